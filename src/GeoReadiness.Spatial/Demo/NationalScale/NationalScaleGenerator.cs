using System.Collections.Immutable;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace GeoReadiness.Spatial.Demo.NationalScale;

/// <summary>
/// Generates the national-scale benchmark data set (PERF-NOTES): at <see cref="NationalScaleOptions.Scale"/> 1.0,
/// 38 provinces, 514 kab/kota, ≈ 7,200 kecamatan, ≈ 83,000 Voronoi villages, 2,000,000 population points holding
/// ≈ 300 M people, 100,000 towers (≈ 60 % 4G, radii 1.5–5 km), 100,024 km of fibre and one village office per village.
/// </summary>
/// <remarks>
/// Each level is the Voronoi tiling of its parent by well-spread sites (so a village is a small Voronoi cell of
/// its kecamatan); the provinces are the blobs of <see cref="NationalGenerator"/>'s table cut apart by the Voronoi
/// cells of their centres. Every part draws from its own <see cref="DemoRandom.Derive"/> stream keyed by the seed
/// and a label holding the unit's code, so units are generated in parallel and the result does not depend on the
/// number of threads.
/// </remarks>
public static class NationalScaleGenerator
{
    /// <summary>Bump when a change to the generator changes its output for a given seed.</summary>
    public const string Version = "1.0.0";

    public const int FullDistricts = 7_200;
    public const int FullVillages = 83_000;
    public const int FullPopulationPoints = 2_000_000;
    public const long FullPeople = 300_000_000;
    public const int FullTowers = 100_000;
    public const double FullFibreKm = 100_024;
    public const double FourGShare = 0.6;

    /// <summary>Approximate population of each province in millions (2023), used as relative weights only.</summary>
    private static readonly Dictionary<string, double> ProvincePopulation = new(StringComparer.Ordinal)
    {
        ["11"] = 5.4, ["12"] = 15.4, ["13"] = 5.7, ["14"] = 6.6, ["15"] = 3.7, ["16"] = 8.7, ["17"] = 2.1, ["18"] = 9.2,
        ["19"] = 1.5, ["21"] = 2.1, ["31"] = 10.7, ["32"] = 49.9, ["33"] = 37.5, ["34"] = 3.7, ["35"] = 41.4, ["36"] = 12.3,
        ["51"] = 4.4, ["52"] = 5.5, ["53"] = 5.5, ["61"] = 5.5, ["62"] = 2.7, ["63"] = 4.2, ["64"] = 3.9, ["65"] = 0.7,
        ["71"] = 2.7, ["72"] = 3.1, ["73"] = 9.3, ["74"] = 2.7, ["75"] = 1.2, ["76"] = 1.5, ["81"] = 1.9, ["82"] = 1.3,
        ["91"] = 1.0, ["92"] = 0.6, ["93"] = 0.5, ["94"] = 1.4, ["95"] = 1.4, ["96"] = 0.6,
    };

    private static readonly string[] Operators = ["Telkomsel", "Indosat Ooredoo Hutchison", "XL Axiata", "Smartfren"];
    private static readonly string[] FibreOwners = ["Telkom Indonesia", "Palapa Ring", "Lintasarta", "Icon+", "Moratelindo"];

    private sealed record Unit(string Code, string Name, UnitKind Kind, string? Parent, MultiPolygon Geometry, int ProvinceIndex)
    {
        public double ApproxAreaKm2 { get; } = Geometry.Area * Math.Cos(Geometry.EnvelopeInternal.Centre.Y * Math.PI / 180) * 12_364;
    }

    public static NationalScaleDataset Generate(NationalScaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Scale > 0 && options.Scale <= 1.0)) throw new ArgumentOutOfRangeException(nameof(options), options.Scale, "Scale must be in (0, 1]");
        var seed = options.Seed;
        var scale = options.Scale;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        var table = NationalGenerator.ProvinceTable;

        // 1. Provinces: blobs of roughly the real area around the real centres, cut apart by Voronoi cells.
        var inner = Geo.Factory.ToGeometry(new Envelope(94.5, 141.5, -11.5, 6.5));
        var provinceCells = DemoGeometry.Tile(inner, table.Select(p => new Coordinate(p.Lon, p.Lat)).ToList());
        var provinces = new Unit[table.Length];
        Parallel.For(0, table.Length, parallel, p =>
        {
            var (code, name, lon, lat, areaKm2, _, _) = table[p];
            var rng = DemoRandom.Derive(seed, "natscale/province/" + code);
            var radiusDeg = 0.85 * Math.Sqrt(areaKm2 / Math.PI) / 111.0;
            var blob = DemoGeometry.Blob(rng, radiusDeg * rng.Uniform(1.0, 1.2), radiusDeg * rng.Uniform(0.75, 0.95), rng.Uniform(0, Math.PI), 0.25, 96,
                (x, y) => new Coordinate(lon + x, lat + y));
            provinces[p] = new Unit(code, name, UnitKind.Provinsi, null, DemoGeometry.Polygons(DemoGeometry.Intersection(provinceCells[p], blob)), p);
        });

        // 2. Regencies: the real numbers of kabupaten (01…) and kota (71…) per province, times the scale.
        var regenciesOf = new Unit[table.Length][];
        Parallel.For(0, table.Length, parallel, p =>
        {
            var (code, _, _, _, _, kab, kota) = table[p];
            var kabCount = Math.Max(1, (int)Math.Round(kab * scale));
            var kotaCount = (int)Math.Round(kota * scale);
            var codes = Enumerable.Range(1, kabCount).Select(n => (Code: $"{code}.{n:00}", Kind: UnitKind.Kabupaten))
                .Concat(Enumerable.Range(71, kotaCount).Select(n => (Code: $"{code}.{n}", Kind: UnitKind.Kota))).ToList();
            var rng = DemoRandom.Derive(seed, "natscale/regencies/" + code);
            var names = new DemoNames(rng);
            var tiles = TileOrdered(provinces[p].Geometry, codes.Count, rng);
            regenciesOf[p] = codes.Select((c, i) => new Unit(c.Code, (c.Kind == UnitKind.Kota ? "Kota " : "Kabupaten ") + names.Invented(), c.Kind, code, tiles[i], p)).ToArray();
        });
        var regencies = regenciesOf.SelectMany(r => r).ToArray();

        // 3. Kecamatan: ≈ 7,200 × scale, more where the province is denser.
        double Density(Unit u) => Math.Sqrt(ProvincePopulation[table[u.ProvinceIndex].Code] * 1e6 / table[u.ProvinceIndex].AreaKm2);
        var districtCounts = Allocate(Math.Max(regencies.Length, (int)Math.Round(FullDistricts * scale)), regencies.Select(r => r.ApproxAreaKm2 * Density(r)).ToArray(), 1, 99);
        var districtsOf = new Unit[regencies.Length][];
        Parallel.For(0, regencies.Length, parallel, r =>
        {
            var parent = regencies[r];
            var rng = DemoRandom.Derive(seed, "natscale/districts/" + parent.Code);
            var names = new DemoNames(rng);
            var tiles = TileOrdered(parent.Geometry, districtCounts[r], rng);
            districtsOf[r] = tiles.Select((t, i) => new Unit($"{parent.Code}.{i + 1:00}", names.Invented(), UnitKind.Kecamatan, parent.Code, t, parent.ProvinceIndex)).ToArray();
        });
        var districts = districtsOf.SelectMany(d => d).ToArray();

        // 4. Villages: ≈ 83,000 × scale Voronoi cells, desa codes 2001…
        var villageCounts = Allocate(Math.Max(2 * districts.Length, (int)Math.Round(FullVillages * scale)), districts.Select(d => d.ApproxAreaKm2 * Density(d)).ToArray(), 2, 999);
        var villagesOf = new Unit[districts.Length][];
        Parallel.For(0, districts.Length, parallel, d =>
        {
            var parent = districts[d];
            var rng = DemoRandom.Derive(seed, "natscale/villages/" + parent.Code);
            var names = new DemoNames(rng);
            var tiles = TileOrdered(parent.Geometry, villageCounts[d], rng);
            villagesOf[d] = tiles.Select((t, i) => new Unit($"{parent.Code}.{2001 + i}", names.Invented(), UnitKind.Desa, parent.Code, t, parent.ProvinceIndex)).ToArray();
        });
        var villages = villagesOf.SelectMany(v => v).ToArray();

        // 5. People per village: the province's share spread over its villages with log-normal noise.
        var villagesPerProvince = new int[table.Length];
        foreach (var v in villages) villagesPerProvince[v.ProvinceIndex]++;
        var popRng = DemoRandom.Derive(seed, "natscale/people");
        var peopleWeights = villages.Select(v => ProvincePopulation[table[v.ProvinceIndex].Code] / villagesPerProvince[v.ProvinceIndex] * Math.Exp(0.6 * popRng.Normal())).ToArray();
        var totalPeople = (long)Math.Round(FullPeople * scale);
        var pointCount = Math.Max(villages.Length, (int)Math.Round(FullPopulationPoints * scale));
        var pointsPerVillage = Allocate(pointCount, peopleWeights, 1, int.MaxValue);
        var peoplePerVillage = Allocate(totalPeople - pointCount, peopleWeights, 0, int.MaxValue).Select((n, i) => (long)n + pointsPerVillage[i]).ToArray();
        var pointOffset = PrefixSums(pointsPerVillage);

        // 6. Towers: where people are, and some spread by area.
        var towerCount = (int)Math.Round(FullTowers * scale);
        var areaTotal = villages.Sum(v => v.ApproxAreaKm2);
        var weightTotal = peopleWeights.Sum();
        var towersPerVillage = Allocate(towerCount, villages.Select((v, i) => 0.7 * peopleWeights[i] / weightTotal + 0.3 * v.ApproxAreaKm2 / areaTotal).ToArray(), 0, int.MaxValue);
        var towerOffset = PrefixSums(towersPerVillage);

        var cells = new PopulationCell[pointCount];
        var towers = new Tower[towerCount];
        var offices = new Facility[villages.Length];
        var villageUnits = new AdminUnit[villages.Length];
        Parallel.For(0, villages.Length, parallel, v =>
        {
            var village = villages[v];
            var rng = DemoRandom.Derive(seed, "natscale/village/" + village.Code);
            var locator = new IndexedPointInAreaLocator(village.Geometry);
            var env = village.Geometry.EnvelopeInternal;
            Coordinate Inside()
            {
                for (var attempt = 0; attempt < 10_000; attempt++)
                {
                    var c = DemoGeometry.Snap(new Coordinate(rng.Uniform(env.MinX, env.MaxX), rng.Uniform(env.MinY, env.MaxY)));
                    if (locator.Locate(c) == Location.Interior) return c;
                }
                throw new InvalidOperationException($"no point could be placed inside village {village.Code}");
            }

            var n = pointsPerVillage[v];
            var split = Allocate(peoplePerVillage[v] - n, Enumerable.Range(0, n).Select(_ => Math.Exp(0.8 * rng.Normal())).ToArray(), 0, int.MaxValue);
            long people = 0, households = 0;
            for (var i = 0; i < n; i++)
            {
                var pop = split[i] + 1;
                var hh = Math.Clamp((int)Math.Round(pop / rng.Uniform(3.2, 4.2)), 1, pop);
                people += pop;
                households += hh;
                var index = pointOffset[v] + i;
                cells[index] = new PopulationCell { Id = $"P{index:D7}", Geometry = Geo.Factory.CreatePoint(Inside()), Population = pop, Households = hh };
            }

            for (var i = 0; i < towersPerVillage[v]; i++)
            {
                var index = towerOffset[v] + i;
                var techs = new List<RadioTechnology> { RadioTechnology.G2 };
                var radii = new Dictionary<RadioTechnology, double> { [RadioTechnology.G2] = Math.Round(rng.Uniform(3500, 5000)) };
                if (rng.Chance(0.75)) radii[RadioTechnology.G3] = Math.Round(rng.Uniform(2500, 4000));
                if (rng.Chance(FourGShare))
                {
                    radii[RadioTechnology.G4] = Math.Round(rng.Uniform(1500, 3500));
                    if (rng.Chance(0.08)) radii[RadioTechnology.G5] = Math.Round(rng.Uniform(1500, 2000));
                }
                towers[index] = new Tower
                {
                    Id = $"T{index:D6}",
                    Location = Geo.Factory.CreatePoint(Inside()),
                    Technologies = radii.Keys.ToImmutableSortedSet(),
                    RadiusMetres = radii.ToImmutableSortedDictionary(),
                    Operator = Operators[rng.Next(Operators.Length)],
                    Year = rng.Between(2005, 2024),
                };
            }

            var office = Geo.Factory.CreatePoint(DemoGeometry.Snap(village.Geometry.InteriorPoint.Coordinate));
            if (locator.Locate(office.Coordinate) != Location.Interior) office = Geo.Factory.CreatePoint(Inside());
            offices[v] = new Facility { Id = $"F-{village.Code}", Location = office, Kind = FacilityKind.VillageOffice, UnitCode = village.Code, Name = "Kantor Desa " + village.Name };
            villageUnits[v] = ToAdminUnit(village, AdminLevel.Village, people, households);
        });

        // 7. Each parent becomes the union of its children, so its boundary holds every vertex where a child's
        // edge meets it: with geodesic edges (PostGIS geography) the children then tile it exactly too. Then the
        // counts are summed up the hierarchy.
        districts = UnionsOf(districts, villagesOf, parallel);
        regencies = UnionsOf(regencies, districtsOf.Select((_, r) => districts[DistrictRange(districtsOf, r)]).ToArray(), parallel);
        provinces = UnionsOf(provinces, regenciesOf.Select((_, p) => regencies[RegencyRange(regenciesOf, p)]).ToArray(), parallel);
        var districtUnits = Roll(districts, villageUnits, AdminLevel.District);
        var regencyUnits = Roll(regencies, districtUnits, AdminLevel.Regency);
        var provinceUnits = Roll(provinces, regencyUnits, AdminLevel.Province);

        var fibre = Fibre(seed, FullFibreKm * 1000 * scale, regenciesOf, districtsOf, offices, villages);

        return new NationalScaleDataset
        {
            Seed = seed,
            Scale = scale,
            GeneratorVersion = Version,
            Provinces = provinceUnits,
            Regencies = regencyUnits,
            Districts = districtUnits,
            Villages = villageUnits,
            FibreRoutes = fibre,
            Towers = towers,
            Facilities = offices,
            PopulationCells = cells,
        };
    }

    private static AdminUnit ToAdminUnit(Unit u, AdminLevel level, long people, long households) => new()
    {
        Code = u.Code,
        Name = u.Name,
        Level = level,
        Kind = u.Kind,
        ParentCode = u.Parent,
        Geometry = u.Geometry,
        Population = people,
        Households = households,
    };

    private static Unit[] UnionsOf(Unit[] parents, Unit[][] children, ParallelOptions parallel)
    {
        var result = new Unit[parents.Length];
        Parallel.For(0, parents.Length, parallel, i => result[i] = children[i].Length == 1
            ? parents[i] with { Geometry = children[i][0].Geometry }
            : parents[i] with { Geometry = UnionOfTiles(children[i].Select(c => c.Geometry).ToList()) });
        return result;
    }

    /// <summary>
    /// The union of tiles that share their edges exactly: a coverage union (which only drops the shared edges) when
    /// its result is valid and keeps the area, otherwise the snap-rounded overlay union.
    /// </summary>
    private static MultiPolygon UnionOfTiles(List<MultiPolygon> tiles)
    {
        var all = Geo.Factory.CreateMultiPolygon(tiles.SelectMany(t => t.Geometries.Cast<Polygon>()).ToArray());
        try
        {
            var union = DemoGeometry.Polygons(NetTopologySuite.Operation.OverlayNG.CoverageUnion.Union(all));
            if (union.IsValid && Math.Abs(union.Area - all.Area) <= 1e-9 * all.Area) return union;
        }
        catch (Exception e) when (e is TopologyException or NetTopologySuite.Utilities.AssertionFailedException)
        {
            // not an exact coverage: fall through to the overlay union
        }
        return DemoGeometry.Polygons(DemoGeometry.Union(tiles.Cast<Geometry>()));
    }

    private static Range DistrictRange(Unit[][] districtsOf, int regency)
    {
        var start = districtsOf.Take(regency).Sum(d => d.Length);
        return start..(start + districtsOf[regency].Length);
    }

    private static Range RegencyRange(Unit[][] regenciesOf, int province)
    {
        var start = regenciesOf.Take(province).Sum(r => r.Length);
        return start..(start + regenciesOf[province].Length);
    }

    private static AdminUnit[] Roll(Unit[] parents, AdminUnit[] children, AdminLevel level)
    {
        var sums = children.GroupBy(c => c.ParentCode!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (People: g.Sum(c => c.Population ?? 0), Households: g.Sum(c => c.Households ?? 0)), StringComparer.Ordinal);
        return parents.Select(p => ToAdminUnit(p, level, sums[p.Code].People, sums[p.Code].Households)).ToArray();
    }

    /// <summary>
    /// Splits <paramref name="region"/> into <paramref name="count"/> Voronoi tiles of well-spread sites, ordered
    /// north to south (then west to east) so that codes run across the map like real numbering.
    /// </summary>
    private static MultiPolygon[] TileOrdered(MultiPolygon region, int count, DemoRandom rng)
    {
        if (count == 1) return [region];
        var sites = DemoGeometry.BestCandidates(region, count, rng, 6, xScale: Math.Cos(region.EnvelopeInternal.Centre.Y * Math.PI / 180));
        var tiles = Tile(region, sites);
        var order = Enumerable.Range(0, count).OrderByDescending(i => sites[i].Y).ThenBy(i => sites[i].X).ToList();
        return order.Select(i => tiles[i]).ToArray();
    }

    /// <summary>
    /// As <see cref="DemoGeometry.Tile"/>, but a Voronoi cell that lies inside the region is only snapped to the
    /// grid rather than overlaid, which is most cells and several times faster. Overlays snap to the same grid,
    /// so neighbouring cells still share their vertices exactly.
    /// </summary>
    private static MultiPolygon[] Tile(MultiPolygon region, List<Coordinate> sites)
    {
        var cells = DemoGeometry.VoronoiCells(region, sites);
        var prepared = PreparedGeometryFactory.Prepare(region);
        var convex = ConvexRing(region);
        var result = new MultiPolygon[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            var cell = cells[i];
            MultiPolygon? piece = null;
            var ring = convex is not null ? SnapRing(Clip(cell.ExteriorRing.Coordinates, convex))
                : prepared.ContainsProperly(cell) ? SnapRing(cell.ExteriorRing.Coordinates) : null;
            if (ring is not null)
            {
                var snapped = Geo.Factory.CreatePolygon(ring);
                if (IsStrictlyConvex(ring) || snapped.IsValid) piece = Geo.Factory.CreateMultiPolygon([snapped]);
            }
            result[i] = piece ?? DemoGeometry.Polygons(DemoGeometry.Intersection(cell, region));
            if (result[i].IsEmpty) throw new InvalidOperationException($"Voronoi tile {i} is empty");
        }
        return result;
    }

    /// <summary>The region's ring, counter-clockwise, when the region is one convex polygon without holes; else null.</summary>
    private static Coordinate[]? ConvexRing(MultiPolygon region)
    {
        if (region.NumGeometries != 1 || ((Polygon)region.GetGeometryN(0)).NumInteriorRings != 0) return null;
        var ring = ((Polygon)region.GetGeometryN(0)).ExteriorRing.Coordinates;
        if (!NetTopologySuite.Algorithm.Orientation.IsCCW(ring)) ring = ring.Reverse().ToArray();
        for (var i = 0; i + 2 < ring.Length + 1; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % (ring.Length - 1)];
            var c = ring[(i + 2) % (ring.Length - 1)];
            if (Cross(a, b, c) <= 0) return null;
        }
        return ring;
    }

    /// <summary>True for a closed ring of at least three vertices that turns the same way at every vertex (a valid polygon; cheaper than IsValid).</summary>
    private static bool IsStrictlyConvex(Coordinate[] ring)
    {
        var n = ring.Length - 1;
        if (n < 3) return false;
        var sign = 0;
        for (var i = 0; i < n; i++)
        {
            var c = Math.Sign(Cross(ring[i], ring[(i + 1) % n], ring[(i + 2) % n]));
            if (c == 0 || (sign != 0 && c != sign)) return false;
            sign = c;
        }
        // Same turn everywhere and one full turn: the edge directions' angles must sum to 2π.
        var turn = 0.0;
        for (var i = 0; i < n; i++)
        {
            var (a, b, c) = (ring[i], ring[(i + 1) % n], ring[(i + 2) % n]);
            turn += Math.Abs(Math.Atan2(Cross(a, b, c), (b.X - a.X) * (c.X - b.X) + (b.Y - a.Y) * (c.Y - b.Y)));
        }
        return Math.Abs(turn - 2 * Math.PI) < 1e-6;
    }

    private static double Cross(Coordinate a, Coordinate b, Coordinate c) => (b.X - a.X) * (c.Y - a.Y) - (b.Y - a.Y) * (c.X - a.X);

    /// <summary>
    /// Sutherland–Hodgman: the part of the convex polygon <paramref name="subject"/> inside the convex,
    /// counter-clockwise <paramref name="clip"/> ring. Crossing points are computed from the segment's endpoints in
    /// a fixed order, so the two cells that share an edge get bit-identical points.
    /// </summary>
    private static Coordinate[] Clip(Coordinate[] subject, Coordinate[] clip)
    {
        var output = subject.Take(subject.Length - 1).ToList();
        for (var e = 0; e + 1 < clip.Length && output.Count > 0; e++)
        {
            var (a, b) = (clip[e], clip[e + 1]);
            var input = output;
            output = new List<Coordinate>(input.Count + 2);
            for (var i = 0; i < input.Count; i++)
            {
                var p = input[i];
                var q = input[(i + 1) % input.Count];
                var pIn = Cross(a, b, p) >= 0;
                var qIn = Cross(a, b, q) >= 0;
                if (pIn) output.Add(p);
                if (pIn != qIn) output.Add(Crossing(p, q, a, b));
            }
        }
        if (output.Count > 0) output.Add(output[0]);
        return output.ToArray();
    }

    private static Coordinate Crossing(Coordinate p, Coordinate q, Coordinate a, Coordinate b)
    {
        if (p.CompareTo(q) > 0) (p, q) = (q, p);
        var dp = Cross(a, b, p);
        var dq = Cross(a, b, q);
        var t = dp / (dp - dq);
        return new Coordinate(p.X + t * (q.X - p.X), p.Y + t * (q.Y - p.Y));
    }

    private static Coordinate[]? SnapRing(Coordinate[] ring)
    {
        var list = new List<Coordinate>(ring.Length);
        foreach (var c in ring)
        {
            var s = DemoGeometry.Snap(c);
            if (list.Count == 0 || !list[^1].Equals2D(s)) list.Add(s);
        }
        return list.Count >= 4 && list[0].Equals2D(list[^1]) ? list.ToArray() : null;
    }

    /// <summary>
    /// Splits <paramref name="total"/> into whole parts proportional to the weights (largest remainder), each at
    /// least <paramref name="min"/> and at most <paramref name="max"/>.
    /// </summary>
    internal static int[] Allocate(long total, IReadOnlyList<double> weights, int min, int max)
    {
        var n = weights.Count;
        var result = new int[n];
        Array.Fill(result, min);
        var left = total - (long)min * n;
        var open = Enumerable.Range(0, n).ToList();
        while (left > 0 && open.Count > 0)
        {
            var sum = open.Sum(i => weights[i]);
            var quota = new double[n];
            long given = 0;
            foreach (var i in open)
            {
                quota[i] = sum > 0 ? left * weights[i] / sum : (double)left / open.Count;
                var add = (int)Math.Min(Math.Floor(quota[i]), max - result[i]);
                result[i] += add;
                given += add;
                quota[i] -= Math.Floor(quota[i]);
            }
            left -= given;
            open = open.Where(i => result[i] < max).ToList();
            foreach (var i in open.OrderByDescending(i => quota[i]).ThenBy(i => i))
            {
                if (left == 0) break;
                result[i]++;
                left--;
            }
            open = open.Where(i => result[i] < max).ToList();
            if (given == 0 && left > 0 && open.All(i => weights[i] <= 0)) break;
        }
        return result;
    }

    private static int[] PrefixSums(int[] counts)
    {
        var offsets = new int[counts.Length];
        for (var i = 1; i < counts.Length; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
        return offsets;
    }

    /// <summary>
    /// Fibre: a backbone through each province's regency seats, then feeders from kecamatan seats to their
    /// regency seat, then spurs from village offices to their kecamatan seat (feeders and spurs in seeded
    /// random order), taken until the geodesic total reaches <paramref name="targetMetres"/>; the last route is
    /// cut so that the total matches to within centimetres.
    /// </summary>
    private static FibreRoute[] Fibre(long seed, double targetMetres, Unit[][] regenciesOf, Unit[][] districtsOf, Facility[] offices, Unit[] villages)
    {
        var rng = DemoRandom.Derive(seed, "natscale/fibre");
        Coordinate Seat(Unit u) => DemoGeometry.Snap(u.Geometry.InteriorPoint.Coordinate);
        var candidates = new List<(Coordinate A, Coordinate B, string Kind)>();
        var regencySeat = new Dictionary<string, Coordinate>(StringComparer.Ordinal);
        foreach (var province in regenciesOf)
        {
            var seats = province.Select(r => (r.Code, At: Seat(r))).ToList();
            foreach (var (code, at) in seats) regencySeat[code] = at;
            // Nearest-neighbour chain from the westernmost seat.
            var left = seats.Select(s => s.At).OrderBy(c => c.X).ThenBy(c => c.Y).ToList();
            var current = left[0];
            left.RemoveAt(0);
            while (left.Count > 0)
            {
                var next = left.OrderBy(c => (c.X - current.X) * (c.X - current.X) + (c.Y - current.Y) * (c.Y - current.Y)).First();
                left.Remove(next);
                candidates.Add((current, next, "backbone"));
                current = next;
            }
        }
        var districtSeat = new Dictionary<string, Coordinate>(StringComparer.Ordinal);
        var feeders = new List<(Coordinate, Coordinate, string)>();
        foreach (var d in districtsOf.SelectMany(x => x))
        {
            districtSeat[d.Code] = Seat(d);
            feeders.Add((districtSeat[d.Code], regencySeat[d.Parent!], "feeder"));
        }
        rng.Shuffle(feeders);
        candidates.AddRange(feeders);
        var spurs = offices.Select((o, i) => (o.Location.Coordinate, districtSeat[villages[i].Parent!], "spur")).ToList();
        rng.Shuffle(spurs);
        candidates.AddRange(spurs);

        var routes = new List<FibreRoute>();
        var total = 0.0;
        foreach (var (a, b, kind) in candidates)
        {
            if (total >= targetMetres - 0.5) break;
            if (GeodesicMeasure.Distance(a, b) < 50) continue;
            var path = Wiggle(a, b, rng);
            var line = Geo.Factory.CreateLineString(path);
            var length = GeodesicMeasure.Length(line);
            if (total + length > targetMetres)
            {
                line = Cut(path, targetMetres - total);
                if (line is null) break;
                length = GeodesicMeasure.Length(line);
            }
            total += length;
            var status = kind == "backbone" ? FibreStatus.Existing
                : rng.NextDouble() switch { < 0.75 => FibreStatus.Existing, < 0.92 => FibreStatus.Planned, _ => FibreStatus.UnderConstruction };
            routes.Add(new FibreRoute
            {
                Id = $"FO{routes.Count:D6}",
                Geometry = Geo.Factory.CreateMultiLineString([line]),
                Status = status,
                Year = status == FibreStatus.Existing ? rng.Between(2008, 2024) : rng.Between(2025, 2028),
                Owner = FibreOwners[rng.Next(FibreOwners.Length)],
                Name = kind,
            });
        }
        return routes.ToArray();
    }

    /// <summary>A path from a to b through 1–3 intermediate vertices pushed sideways by up to 8 % of the distance.</summary>
    private static Coordinate[] Wiggle(Coordinate a, Coordinate b, DemoRandom rng)
    {
        var n = rng.Between(1, 3);
        var path = new List<Coordinate> { a };
        double dx = b.X - a.X, dy = b.Y - a.Y;
        for (var i = 1; i <= n; i++)
        {
            var t = (double)i / (n + 1);
            var off = rng.Uniform(-0.08, 0.08);
            var c = DemoGeometry.Snap(new Coordinate(
                Math.Clamp(a.X + t * dx - off * dy, Geo.IndonesiaBounds.MinX, Geo.IndonesiaBounds.MaxX),
                Math.Clamp(a.Y + t * dy + off * dx, Geo.IndonesiaBounds.MinY, Geo.IndonesiaBounds.MaxY)));
            if (!c.Equals2D(path[^1])) path.Add(c);
        }
        if (!b.Equals2D(path[^1])) path.Add(b.Copy());
        return path.ToArray();
    }

    /// <summary>The first <paramref name="metres"/> of the path, the last point placed by the direct geodesic problem.</summary>
    private static LineString? Cut(Coordinate[] path, double metres)
    {
        var g = Geodesic.Wgs84;
        var result = new List<Coordinate> { path[0] };
        var left = metres;
        for (var i = 1; i < path.Length; i++)
        {
            var inv = g.Inverse(path[i - 1].Y, path[i - 1].X, path[i].Y, path[i].X);
            if (inv.DistanceMetres < left)
            {
                result.Add(path[i]);
                left -= inv.DistanceMetres;
                continue;
            }
            var end = g.Direct(path[i - 1].Y, path[i - 1].X, inv.Azimuth1, left);
            var c = DemoGeometry.Snap(new Coordinate(end.Lon2, end.Lat2));
            if (!c.Equals2D(result[^1])) result.Add(c);
            break;
        }
        return result.Count >= 2 ? Geo.Factory.CreateLineString(result.ToArray()) : null;
    }
}
