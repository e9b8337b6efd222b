using System.Collections.Immutable;
using System.Globalization;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Demo;

/// <summary>The detailed part of the demo: one synthetic kabupaten modelled on Padang Pariaman (13.05).</summary>
internal sealed record KabupatenData(
    AdminUnit Kabupaten,
    IReadOnlyList<AdminUnit> Kecamatan,
    IReadOnlyList<AdminUnit> Nagari,
    IReadOnlyList<Facility> Facilities,
    IReadOnlyList<FibreRoute> FibreRoutes,
    IReadOnlyList<Tower> Towers,
    IReadOnlyList<PopulationCell> PopulationCells,
    Geometry SeaSide);

/// <summary>
/// Builds the synthetic Padang Pariaman: a coastal outline of about 1,340 km² facing the Indian Ocean, 103 nagari
/// as Voronoi cells of seeded sites clipped to it, 17 kecamatan grown from contiguous nagari, offices, a 250 m
/// population grid clustered along roads, villages and the coast, existing and planned fibre, and towers.
/// </summary>
internal static class PadangPariamanGenerator
{
    public const string Code = "13.05";
    public const string Name = "Kabupaten Padang Pariaman";
    public const int NagariCount = 103;
    public const int KecamatanCount = 17;
    public const double TargetAreaKm2 = 1340;
    public const long TargetPopulation = 430_000;
    public const long TargetHouseholds = 110_000;
    public const double PlannedFibreMetres = 263_000;
    /// <summary>Population cell size: 0.00225° ≈ 250 m.</summary>
    public const double CellDegrees = 0.00225;

    private const double CentreLon = 100.30, CentreLat = -0.65;
    private static readonly LocalPlane Plane = new(CentreLon, CentreLat);
    // Axis of the kabupaten: the coast runs NNW–SSE (bearing 338°); v points inland (ENE).
    private static readonly double AxisBearing = -22 * Math.PI / 180;
    private static readonly (double X, double Y) U = (Math.Sin(AxisBearing), Math.Cos(AxisBearing));
    private static readonly (double X, double Y) V = (Math.Cos(AxisBearing), -Math.Sin(AxisBearing));

    private static readonly string[] OpdNames =
    [
        "Sekretariat Daerah", "Sekretariat DPRD", "Bappeda", "Dinas Komunikasi dan Informatika", "Dinas Kesehatan",
        "Dinas Pendidikan dan Kebudayaan", "Dinas Kependudukan dan Pencatatan Sipil", "Badan Keuangan Daerah",
        "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Sosial", "Inspektorat", "Dinas Penanaman Modal dan PTSP",
        "Badan Penanggulangan Bencana Daerah", "Dinas Pariwisata", "Dinas Pertanian",
    ];

    public static KabupatenData Generate(long seed)
    {
        var shape = DemoRandom.Derive(seed, "pp/shape");
        var (outline, coast) = Outline(shape);
        var inland = coast.Select(p => Toward(p, (0, 0), 1.2)).ToList();
        var trunk = TrunkRoad(DemoRandom.Derive(seed, "pp/trunk"), outline);

        // Nagari: Voronoi cells of well-spread sites, denser along the coast and the trunk road.
        var kab = Geo.Factory.CreatePolygon(outline.Select(p => DemoGeometry.Snap(Plane.ToLonLat(p.X, p.Y))).Append(DemoGeometry.Snap(Plane.ToLonLat(outline[0].X, outline[0].Y))).ToArray());
        if (!kab.IsValid) throw new InvalidOperationException("kabupaten outline is not valid");
        var sites = DemoGeometry.BestCandidates(kab, NagariCount, DemoRandom.Derive(seed, "pp/sites"), 10, c =>
        {
            var (x, y) = Plane.ToKm(c);
            return 1 + 1.6 * Math.Exp(-DistanceTo(coast, x, y) / 4) + 0.8 * Math.Exp(-Math.Pow(DistanceTo(trunk, x, y) / 2.5, 2));
        });
        var pieces = DemoGeometry.Tile(kab, sites);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (pieces[i].IsEmpty || !pieces[i].IsValid || new IndexedPointInAreaLocator(pieces[i]).Locate(sites[i]) != Location.Interior)
                throw new InvalidOperationException($"nagari piece {i} is empty, invalid or misses its site");
        }

        // Kecamatan: contiguous groups grown from well-spread capitals; the first holds the kabupaten capital.
        var adjacency = Adjacency(pieces);
        var capitalTarget = Plane.ToLonLat(trunk[1].X, trunk[1].Y);
        var groups = GrowGroups(sites, adjacency, capitalTarget);

        // Codes: kecamatan numbered north to south along the axis, nagari likewise within each kecamatan.
        double Northness(Coordinate c) { var (x, y) = Plane.ToKm(c); return x * U.X + y * U.Y; }
        var groupOrder = Enumerable.Range(0, groups.Count).OrderByDescending(g => Northness(sites[groups[g].Capital])).ThenBy(g => g).ToList();
        var names = new DemoNames(DemoRandom.Derive(seed, "pp/names"));
        var nagariCode = new string[NagariCount];
        var nagariName = new string[NagariCount];
        var kecamatanOf = new int[NagariCount];
        var kecCodes = new List<string>();
        var kecNames = new List<string>();
        var kecMembers = new List<List<int>>();
        var kecCapital = new List<int>();
        foreach (var g in groupOrder)
        {
            var k = kecCodes.Count;
            var code = $"{Code}.{k + 1:00}";
            kecCodes.Add(code);
            kecNames.Add(names.Minang());
            kecCapital.Add(groups[g].Capital);
            var members = groups[g].Members.OrderByDescending(i => Northness(sites[i])).ThenBy(i => i).ToList();
            kecMembers.Add(members);
            for (var j = 0; j < members.Count; j++)
            {
                nagariCode[members[j]] = $"{code}.{2001 + j}";
                nagariName[members[j]] = names.Minang();
                kecamatanOf[members[j]] = k;
            }
        }
        var capitalKec = groupOrder.IndexOf(0);

        // Offices.
        var placing = DemoRandom.Derive(seed, "pp/offices");
        var locators = pieces.Select(p => new IndexedPointInAreaLocator(p)).ToArray();
        var kabLocator = new IndexedPointInAreaLocator(kab);
        var villageOffice = sites.Select(DemoGeometry.Snap).ToArray();
        var kecOffice = kecCapital.Select(n => Near(placing, villageOffice[n], 0.3, locators[n])).ToList();
        var capital = kecOffice[capitalKec];
        var opd = OpdNames.Select(_ => Near(placing, capital, placing.Uniform(0.2, 1.2), kabLocator)).ToList();

        // Roads: the coastal road, the trunk road inland and local roads linking the kecamatan offices.
        var roads = new List<List<(double X, double Y)>> { inland, trunk };
        var kecKm = kecOffice.Select(Plane.ToKm).ToList();
        foreach (var (a, b) in SpanningTree(kecKm)) roads.Add([kecKm[a], kecKm[b]]);

        // Population on a 250 m grid.
        var (cells, cellNagari) = Population(DemoRandom.Derive(seed, "pp/population"), kab, pieces, locators, coast, roads, villageOffice, capital);
        var nagariPop = new long[NagariCount];
        var nagariKk = new long[NagariCount];
        for (var i = 0; i < cells.Count; i++)
        {
            nagariPop[cellNagari[i]] += cells[i].Population;
            nagariKk[cellNagari[i]] += cells[i].Households;
        }

        // Units.
        var nagari = Enumerable.Range(0, NagariCount).Select(i => new AdminUnit
        {
            Code = nagariCode[i],
            Name = nagariName[i],
            Level = AdminLevel.Village,
            Kind = UnitKind.Nagari,
            ParentCode = kecCodes[kecamatanOf[i]],
            Geometry = pieces[i],
            Population = nagariPop[i],
            Households = nagariKk[i],
        }).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        var kecamatan = Enumerable.Range(0, KecamatanCount).Select(k => new AdminUnit
        {
            Code = kecCodes[k],
            Name = kecNames[k],
            Level = AdminLevel.District,
            Kind = UnitKind.Kecamatan,
            ParentCode = Code,
            Geometry = DemoGeometry.Polygons(DemoGeometry.Union(kecMembers[k].Select(i => (Geometry)pieces[i]))),
            Population = kecMembers[k].Sum(i => nagariPop[i]),
            Households = kecMembers[k].Sum(i => nagariKk[i]),
        }).ToList();
        var kabupaten = new AdminUnit
        {
            Code = Code,
            Name = Name,
            Level = AdminLevel.Regency,
            Kind = UnitKind.Kabupaten,
            ParentCode = "13",
            Geometry = DemoGeometry.Polygons(DemoGeometry.Union(kecamatan.Select(k => (Geometry)k.Geometry))),
            Population = kecamatan.Sum(k => k.Population),
            Households = kecamatan.Sum(k => k.Households),
        };

        // Facilities.
        var facilities = new List<Facility>();
        for (var i = 0; i < opd.Count; i++)
            facilities.Add(Facility($"opd-{i + 1:00}", opd[i], FacilityKind.OpdOffice, Code, OpdNames[i] + " Kabupaten Padang Pariaman"));
        for (var k = 0; k < KecamatanCount; k++)
            facilities.Add(Facility($"kec-{kecCodes[k]}", kecOffice[k], FacilityKind.KecamatanOffice, kecCodes[k], "Kantor Camat " + kecNames[k]));
        foreach (var i in Enumerable.Range(0, NagariCount).OrderBy(i => nagariCode[i], StringComparer.Ordinal))
            facilities.Add(Facility($"kwn-{nagariCode[i]}", villageOffice[i], FacilityKind.VillageOffice, nagariCode[i], "Kantor Wali Nagari " + nagariName[i]));

        // Puskesmas: one in each kecamatan capital, more in the most populous kecamatan (25 in all).
        var health = DemoRandom.Derive(seed, "pp/puskesmas");
        var puskesmasAt = kecCapital.ToList();
        var extra = Enumerable.Range(0, KecamatanCount).OrderByDescending(k => kecamatan[k].Population).ThenBy(k => k).Take(8).ToList();
        foreach (var k in extra)
        {
            var n = kecMembers[k].Where(i => i != kecCapital[k]).OrderByDescending(i => nagariPop[i]).ThenBy(i => i).FirstOrDefault(-1);
            if (n >= 0) puskesmasAt.Add(n);
        }
        var puskesmas = new List<Coordinate>();
        for (var j = 0; j < puskesmasAt.Count; j++)
        {
            var n = puskesmasAt[j];
            var p = Near(health, villageOffice[n], health.Uniform(0.4, 0.7), locators[n]);
            puskesmas.Add(p);
            facilities.Add(Facility($"pkm-{j + 1:00}", p, FacilityKind.Puskesmas, nagariCode[n], "Puskesmas " + nagariName[n]));
        }

        // Schools: a senior high school in every kecamatan capital, one or two junior high schools elsewhere.
        var schooling = DemoRandom.Derive(seed, "pp/schools");
        var school = 0;
        for (var k = 0; k < KecamatanCount; k++)
        {
            var n = kecCapital[k];
            facilities.Add(Facility($"sch-{++school:000}", Near(schooling, villageOffice[n], schooling.Uniform(0.2, 0.9), locators[n]), FacilityKind.School, nagariCode[n], "SMA Negeri 1 " + kecNames[k]));
            var others = kecMembers[k].Where(i => i != n).ToList();
            schooling.Shuffle(others);
            var smp = Math.Min(others.Count, schooling.Between(1, 2));
            for (var s = 0; s < smp; s++)
            {
                var m = others[s];
                facilities.Add(Facility($"sch-{++school:000}", Near(schooling, villageOffice[m], schooling.Uniform(0.2, 0.9), locators[m]), FacilityKind.School, nagariCode[m], $"SMP Negeri {s + 1} {kecNames[k]}"));
            }
        }

        // Fibre: the existing 2018 network links OPD offices, kecamatan offices and puskesmas; the planned one
        // reaches every kantor wali nagari.
        var existingNodes = opd.Concat(kecOffice).Concat(puskesmas).ToList();
        var existingNames = OpdNames.Concat(kecNames.Select(n => "Kantor Camat " + n)).Concat(puskesmasAt.Select(n => "Puskesmas " + nagariName[n])).ToList();
        var existing = ExistingFibre(DemoRandom.Derive(seed, "pp/fibre/existing"), existingNodes, existingNames);
        var villageOrder = Enumerable.Range(0, NagariCount).OrderBy(i => nagariCode[i], StringComparer.Ordinal).ToList();
        var planned = PlannedFibre(DemoRandom.Derive(seed, "pp/fibre/planned"), existing, villageOrder.Select(i => villageOffice[i]).ToList(), villageOrder.Select(i => nagariName[i]).ToList());

        var towers = Towers(DemoRandom.Derive(seed, "pp/towers"), cells, cellNagari.Select(n => nagariName[n]).ToList(), kabLocator);

        // The sea: the half-plane west of the coast, for the national layer to stay on land.
        var seaSide = SeaSide(outline);

        return new KabupatenData(
            kabupaten,
            kecamatan,
            nagari,
            facilities,
            [.. existing.Routes, .. planned],
            towers,
            cells,
            seaSide);
    }

    /// <summary>The outline in local km (counter-clockwise, not closed) and its coastal stretch, SSE to NNW.</summary>
    private static (List<(double X, double Y)> Outline, List<(double X, double Y)> Coast) Outline(DemoRandom rng)
    {
        const int n = 480;
        const double a = 29, b = 15;
        var land = Enumerable.Range(2, 7).Select(k => (K: k, Amp: 0.2 * rng.Uniform(0.4, 1.0) / Math.Pow(k, 1.2), Phase: rng.Uniform(0, 2 * Math.PI))).ToList();
        var sea = new[] { (K: 11, Amp: 0.012), (K: 23, Amp: 0.008), (K: 41, Amp: 0.005) }.Select(h => (h.K, h.Amp, Phase: rng.Uniform(0, 2 * Math.PI))).ToList();
        var pts = new List<(double X, double Y)>();
        var coastFlags = new List<bool>();
        for (var i = 0; i < n; i++)
        {
            var t = 2 * Math.PI * i / n;
            var s = Math.Sin(t);
            var c = Math.Clamp((-s - 0.25) / 0.5, 0, 1);
            c = c * c * (3 - 2 * c);
            double mLand = 1, mSea = 1;
            foreach (var (k, amp, phase) in land) mLand += amp * Math.Cos(k * t + phase);
            foreach (var (k, amp, phase) in sea) mSea += amp * Math.Cos(k * t + phase);
            var m = (1 - c) * mLand + c * mSea;
            // A fuller, straighter west side: the coast is a superellipse flank rather than a round one.
            var across = s < 0 ? -Math.Pow(-s, 0.6) : s;
            var along = Math.Cos(t);
            pts.Add((m * (a * along * U.X + b * across * V.X), m * (a * along * U.Y + b * across * V.Y)));
            coastFlags.Add(c >= 0.5);
        }
        var area = 0.0;
        for (var i = 0; i < n; i++)
        {
            var (x0, y0) = pts[i];
            var (x1, y1) = pts[(i + 1) % n];
            area += x0 * y1 - x1 * y0;
        }
        var scale = Math.Sqrt(TargetAreaKm2 / Math.Abs(area / 2));
        pts = pts.Select(p => (p.X * scale, p.Y * scale)).ToList();
        var coast = Enumerable.Range(0, n).Where(i => coastFlags[i]).Select(i => pts[i]).ToList();
        return (pts, coast);
    }

    /// <summary>The trunk road from the middle of the coast inland to the eastern boundary, with gentle bends.</summary>
    private static List<(double X, double Y)> TrunkRoad(DemoRandom rng, List<(double X, double Y)> outline)
    {
        var n = outline.Count;
        var start = Toward(outline[n * 3 / 4], (0, 0), 3.0);
        var end = Toward(outline[(int)(n * (0.25 - 0.05))], (0, 0), 1.0);
        var road = new List<(double X, double Y)> { start };
        for (var i = 1; i <= 3; i++)
        {
            var f = i / 4.0;
            double x = start.X + (end.X - start.X) * f, y = start.Y + (end.Y - start.Y) * f;
            var off = rng.Uniform(-2, 2);
            road.Add((x + off * U.X, y + off * U.Y));
        }
        road.Add(end);
        return road;
    }

    private static Geometry SeaSide(List<(double X, double Y)> outline)
    {
        // A wide polygon west of the line through the westernmost outline points, parallel to the axis.
        var minAcross = outline.Min(p => p.X * V.X + p.Y * V.Y);
        var corners = new (double Along, double Across)[] { (-400, minAcross + 0.5), (400, minAcross + 0.5), (400, minAcross - 400), (-400, minAcross - 400) };
        var ring = corners.Select(c => DemoGeometry.Snap(Plane.ToLonLat(c.Along * U.X + c.Across * V.X, c.Along * U.Y + c.Across * V.Y))).ToList();
        ring.Add(ring[0].Copy());
        var poly = Geo.Factory.CreatePolygon(ring.ToArray());
        return poly.Shell.IsCCW ? poly : (Polygon)poly.Reverse();
    }

    private static (double X, double Y) Toward((double X, double Y) p, (double X, double Y) target, double km)
    {
        double dx = target.X - p.X, dy = target.Y - p.Y;
        var d = Math.Sqrt(dx * dx + dy * dy);
        return d <= km ? target : (p.X + dx / d * km, p.Y + dy / d * km);
    }

    private static double DistanceTo(List<(double X, double Y)> line, double x, double y)
    {
        var best = double.PositiveInfinity;
        for (var i = 1; i < line.Count; i++)
            best = Math.Min(best, LocalPlane.PointSegment(x, y, line[i - 1].X, line[i - 1].Y, line[i].X, line[i].Y).Distance);
        return best;
    }

    private static List<int>[] Adjacency(MultiPolygon[] pieces)
    {
        var adjacency = pieces.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < pieces.Length; i++)
        {
            for (var j = i + 1; j < pieces.Length; j++)
            {
                if (!pieces[i].EnvelopeInternal.Intersects(pieces[j].EnvelopeInternal)) continue;
                var im = pieces[i].Relate(pieces[j]);
                if (im.Get(Location.Boundary, Location.Boundary) != Dimension.Curve) continue;
                adjacency[i].Add(j);
                adjacency[j].Add(i);
            }
        }
        return adjacency;
    }

    private sealed record Group(int Capital, List<int> Members);

    private static List<Group> GrowGroups(IReadOnlyList<Coordinate> sites, List<int>[] adjacency, Coordinate capitalTarget)
    {
        var n = sites.Count;
        var first = Enumerable.Range(0, n).OrderBy(i => Plane.DistanceKm(sites[i], capitalTarget)).ThenBy(i => i).First();
        var capitals = new List<int> { first };
        while (capitals.Count < KecamatanCount)
        {
            var next = Enumerable.Range(0, n).Where(i => !capitals.Contains(i))
                .OrderByDescending(i => capitals.Min(c => Plane.DistanceKm(sites[i], sites[c]))).ThenBy(i => i).First();
            capitals.Add(next);
        }
        var owner = Enumerable.Repeat(-1, n).ToArray();
        var groups = capitals.Select((c, g) => { owner[c] = g; return new Group(c, [c]); }).ToList();
        var assigned = capitals.Count;
        while (assigned < n)
        {
            var progressed = false;
            foreach (var g in Enumerable.Range(0, groups.Count).OrderBy(g => groups[g].Members.Count).ThenBy(g => g))
            {
                var group = groups[g];
                var candidate = group.Members.SelectMany(m => adjacency[m]).Where(i => owner[i] < 0).Distinct()
                    .OrderBy(i => Plane.DistanceKm(sites[i], sites[group.Capital])).ThenBy(i => i).FirstOrDefault(-1);
                if (candidate < 0) continue;
                owner[candidate] = g;
                group.Members.Add(candidate);
                assigned++;
                progressed = true;
                break;
            }
            if (!progressed) throw new InvalidOperationException("nagari adjacency graph is not connected");
        }
        return groups;
    }

    /// <summary>A point about <paramref name="km"/> from <paramref name="from"/> that lies inside the area, or <paramref name="from"/> itself.</summary>
    private static Coordinate Near(DemoRandom rng, Coordinate from, double km, IPointOnGeometryLocator area)
    {
        var (x, y) = Plane.ToKm(from);
        var start = rng.Uniform(0, 2 * Math.PI);
        for (var shrink = 1.0; shrink > 0.1; shrink *= 0.6)
        {
            for (var k = 0; k < 12; k++)
            {
                var t = start + k * Math.PI / 6;
                var c = DemoGeometry.Snap(Plane.ToLonLat(x + km * shrink * Math.Cos(t), y + km * shrink * Math.Sin(t)));
                if (area.Locate(c) == Location.Interior) return c;
            }
        }
        return from;
    }

    private static Facility Facility(string id, Coordinate at, FacilityKind kind, string unit, string name) => new()
    {
        Id = id,
        Location = DemoGeometry.Point(at),
        Kind = kind,
        UnitCode = unit,
        Name = name,
    };

    /// <summary>Prim's minimum spanning tree over points in the plane; edges as (tree node, new node) in the order added.</summary>
    private static List<(int A, int B)> SpanningTree(IReadOnlyList<(double X, double Y)> pts)
    {
        var n = pts.Count;
        var inTree = new bool[n];
        var best = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var from = new int[n];
        var edges = new List<(int, int)>();
        inTree[0] = true;
        for (var i = 1; i < n; i++) { best[i] = Dist(pts[0], pts[i]); from[i] = 0; }
        for (var step = 1; step < n; step++)
        {
            var next = -1;
            for (var i = 0; i < n; i++)
                if (!inTree[i] && (next < 0 || best[i] < best[next])) next = i;
            inTree[next] = true;
            edges.Add((from[next], next));
            for (var i = 0; i < n; i++)
            {
                if (inTree[i]) continue;
                var d = Dist(pts[next], pts[i]);
                if (d < best[i]) { best[i] = d; from[i] = next; }
            }
        }
        return edges;
    }

    private static double Dist((double X, double Y) a, (double X, double Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    private static (List<PopulationCell>, List<int>) Population(DemoRandom rng, Polygon kab, MultiPolygon[] pieces, IndexedPointInAreaLocator[] locators,
        List<(double X, double Y)> coast, List<List<(double X, double Y)>> roads, Coordinate[] offices, Coordinate capital)
    {
        var env = kab.EnvelopeInternal;
        var officeKm = offices.Select(Plane.ToKm).ToArray();
        var capitalKm = Plane.ToKm(capital);
        var tree = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (var i = 0; i < pieces.Length; i++) tree.Insert(pieces[i].EnvelopeInternal, i);
        tree.Build();
        var kabLocator = new IndexedPointInAreaLocator(kab);

        var centres = new List<(Coordinate C, int Nagari, int Ix, int Iy)>();
        var weights = new List<double>();
        var ix0 = (int)Math.Floor(env.MinX / CellDegrees);
        var ix1 = (int)Math.Ceiling(env.MaxX / CellDegrees);
        var iy0 = (int)Math.Floor(env.MinY / CellDegrees);
        var iy1 = (int)Math.Ceiling(env.MaxY / CellDegrees);
        for (var iy = iy1; iy >= iy0; iy--)
        {
            for (var ix = ix0; ix <= ix1; ix++)
            {
                var c = DemoGeometry.Snap(new Coordinate((ix + 0.5) * CellDegrees, (iy + 0.5) * CellDegrees));
                var noise = rng.Uniform(0.5, 1.5);
                if (kabLocator.Locate(c) != Location.Interior) continue;
                var nagari = tree.Query(new Envelope(c)).Order().FirstOrDefault(i => locators[i].Locate(c) != Location.Exterior, -1);
                if (nagari < 0) continue;
                var (x, y) = Plane.ToKm(c);
                var dCoast = DistanceTo(coast, x, y);
                var dRoad = roads.Min(r => DistanceTo(r, x, y));
                var village = 0.0;
                foreach (var (ox, oy) in officeKm)
                {
                    var d2 = (ox - x) * (ox - x) + (oy - y) * (oy - y);
                    if (d2 < 16) village += Math.Exp(-d2 / (0.9 * 0.9));
                }
                var dCap2 = (capitalKm.X - x) * (capitalKm.X - x) + (capitalKm.Y - y) * (capitalKm.Y - y);
                var hills = 1 - 0.7 * Math.Clamp(dCoast / 25, 0, 1);
                var w = (0.05 + 1.2 * Math.Exp(-dRoad * dRoad / 0.5) + 0.9 * Math.Exp(-dCoast / 2.5) + 2.5 * village + 6 * Math.Exp(-dCap2 / 2.25)) * hills * noise;
                if (w < 0.15) w = 0; // forest, paddy and hills without settlements
                centres.Add((c, nagari, ix, iy));
                weights.Add(w);
            }
        }
        var people = Allocate(weights, TargetPopulation);
        // Households: a household size of 3.6–4.3 per cell, then scaled to the target total.
        var sizes = people.Select(p => p == 0 ? 0 : p / rng.Uniform(3.6, 4.3)).ToList();
        var households = Allocate(sizes, TargetHouseholds);

        var cells = new List<PopulationCell>();
        var cellNagari = new List<int>();
        for (var i = 0; i < centres.Count; i++)
        {
            if (people[i] == 0) continue;
            cells.Add(new PopulationCell
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"pc-{cells.Count + 1:00000}"),
                Geometry = Geo.Factory.CreatePoint(centres[i].C),
                Population = checked((int)people[i]),
                Households = checked((int)Math.Min(households[i], people[i])),
            });
            cellNagari.Add(centres[i].Nagari);
        }
        if (cellNagari.Distinct().Count() != pieces.Length) throw new InvalidOperationException("a nagari got no populated cell");
        return (cells, cellNagari);
    }

    /// <summary>Largest-remainder apportionment of <paramref name="total"/> in proportion to the weights (ties by index).</summary>
    internal static long[] Allocate(IReadOnlyList<double> weights, long total)
    {
        var sum = weights.Sum();
        var result = new long[weights.Count];
        var remainders = new double[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = weights[i] / sum * total;
            result[i] = (long)Math.Floor(exact);
            remainders[i] = exact - result[i];
            given += result[i];
        }
        foreach (var i in Enumerable.Range(0, weights.Count).Where(i => weights[i] > 0).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)(total - given)))
            result[i]++;
        return result;
    }

    private sealed record Existing(List<FibreRoute> Routes, List<((double X, double Y) A, (double X, double Y) B)> Segments);

    private static Existing ExistingFibre(DemoRandom rng, List<Coordinate> nodes, List<string> names)
    {
        var km = nodes.Select(Plane.ToKm).ToList();
        var routes = new List<FibreRoute>();
        var segments = new List<((double X, double Y), (double X, double Y))>();
        foreach (var (a, b) in SpanningTree(km))
        {
            var d = Dist(km[a], km[b]);
            var k = rng.Uniform(0.06, 0.14);
            var path = Bend(km[a], km[b], Meander(rng).Select(p => (p.T, k * d * p.H)));
            for (var i = 1; i < path.Count; i++) segments.Add((path[i - 1], path[i]));
            routes.Add(new FibreRoute
            {
                Id = $"fo-e-{routes.Count + 1:000}",
                Geometry = Line(path),
                Status = FibreStatus.Existing,
                Year = 2018,
                Owner = "Pemerintah Kabupaten Padang Pariaman",
                Name = $"FO {names[a]} - {names[b]}",
            });
        }
        return new Existing(routes, segments);
    }

    /// <summary>
    /// The planned network: a greedy Steiner tree that joins each kantor wali nagari, nearest first, to the
    /// nearest point of the network built so far (the existing fibre or planned routes, split where joined),
    /// then lengthened with one detour factor so that its geodesic length is <see cref="PlannedFibreMetres"/>.
    /// </summary>
    private static List<FibreRoute> PlannedFibre(DemoRandom rng, Existing existing, List<Coordinate> offices, List<string> names)
    {
        var nodes = new List<(double X, double Y)>();
        var edges = new List<(int A, int B, string Name)>();
        var officeKm = offices.Select(Plane.ToKm).ToList();
        var connected = new bool[offices.Count];
        var best = new double[offices.Count];
        for (var i = 0; i < offices.Count; i++)
            best[i] = existing.Segments.Min(s => LocalPlane.PointSegment(officeKm[i].X, officeKm[i].Y, s.A.X, s.A.Y, s.B.X, s.B.Y).Distance);

        for (var step = 0; step < offices.Count; step++)
        {
            var o = Enumerable.Range(0, offices.Count).Where(i => !connected[i]).OrderBy(i => best[i]).ThenBy(i => i).First();
            connected[o] = true;
            var (ox, oy) = officeKm[o];
            // Re-resolve the nearest point exactly: on an existing segment or on a planned edge.
            var bestD = double.PositiveInfinity;
            (double X, double Y) joinPoint = default;
            var joinEdge = -1;
            double joinT = 0;
            foreach (var (a, b) in existing.Segments)
            {
                var (d, t) = LocalPlane.PointSegment(ox, oy, a.X, a.Y, b.X, b.Y);
                if (d < bestD) { bestD = d; joinPoint = (a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y)); joinEdge = -1; }
            }
            for (var e = 0; e < edges.Count; e++)
            {
                var (a, b) = (nodes[edges[e].A], nodes[edges[e].B]);
                var (d, t) = LocalPlane.PointSegment(ox, oy, a.X, a.Y, b.X, b.Y);
                if (d < bestD) { bestD = d; joinEdge = e; joinT = t; joinPoint = (a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y)); }
            }
            int joinNode;
            if (joinEdge < 0)
            {
                joinNode = nodes.Count;
                nodes.Add(joinPoint);
            }
            else
            {
                var (ea, eb, name) = edges[joinEdge];
                var length = Dist(nodes[ea], nodes[eb]);
                if (joinT * length < 0.001) joinNode = ea;
                else if ((1 - joinT) * length < 0.001) joinNode = eb;
                else
                {
                    joinNode = nodes.Count;
                    nodes.Add(joinPoint);
                    edges[joinEdge] = (ea, joinNode, name);
                    edges.Add((joinNode, eb, name));
                }
            }
            var officeNode = nodes.Count;
            nodes.Add((ox, oy));
            edges.Add((joinNode, officeNode, "FO rencana Kantor Wali Nagari " + names[o]));
            var np = nodes[joinNode];
            for (var i = 0; i < offices.Count; i++)
            {
                if (connected[i]) continue;
                best[i] = Math.Min(best[i], LocalPlane.PointSegment(officeKm[i].X, officeKm[i].Y, np.X, np.Y, ox, oy).Distance);
            }
        }

        // Detours: each edge meanders like a road, offset sideways by a seeded profile of three sine terms
        // proportional to its length; one global factor k scales all offsets and is found by bisection so that
        // the geodesic total hits the target.
        var shapes = edges.Select(_ => Meander(rng)).ToList();
        List<MultiLineString> Build(double k) => edges.Select((e, i) =>
        {
            var (a, b) = (nodes[e.A], nodes[e.B]);
            var d = Dist(a, b);
            return Line(Bend(a, b, shapes[i].Select(p => (p.T, k * d * p.H))));
        }).ToList();
        double Total(double k) => Build(k).Sum(GeodesicMeasure.Length);
        var straight = Total(0);
        if (straight > PlannedFibreMetres)
            throw new InvalidOperationException($"the straight planned network is already {straight / 1000:F1} km, more than the {PlannedFibreMetres / 1000:F0} km target");
        double lo = 0, hi = 0.05;
        while (Total(hi) < PlannedFibreMetres) hi *= 2;
        for (var iteration = 0; iteration < 60 && hi - lo > 1e-12; iteration++)
        {
            var mid = (lo + hi) / 2;
            if (Total(mid) < PlannedFibreMetres) lo = mid; else hi = mid;
        }
        var lines = Build((lo + hi) / 2);
        return edges.Select((e, i) => new FibreRoute
        {
            Id = $"fo-p-{i + 1:000}",
            Geometry = lines[i],
            Status = FibreStatus.Planned,
            Year = 2026 + i * 3 / edges.Count,
            Owner = "Pemerintah Kabupaten Padang Pariaman",
            Name = e.Name,
        }).ToList();
    }

    /// <summary>A road-like sideways profile: offsets at t = 1/6 … 5/6 from three seeded sine terms, scaled to at most 1.</summary>
    private static List<(double T, double H)> Meander(DemoRandom rng)
    {
        double a1 = rng.Uniform(-1, 1), a2 = rng.Uniform(-1, 1), a3 = rng.Uniform(-0.6, 0.6);
        var profile = Enumerable.Range(1, 5).Select(j => j / 6.0)
            .Select(t => (T: t, H: a1 * Math.Sin(Math.PI * t) + a2 * Math.Sin(2 * Math.PI * t) + a3 * Math.Sin(3 * Math.PI * t))).ToList();
        var max = profile.Max(p => Math.Abs(p.H));
        return max < 1e-9 ? profile : profile.Select(p => (p.T, p.H / max)).ToList();
    }

    /// <summary>The path from a to b through points at fractions t of the way, offset sideways by h km.</summary>
    private static List<(double X, double Y)> Bend((double X, double Y) a, (double X, double Y) b, IEnumerable<(double T, double H)> bends)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var d = Math.Sqrt(dx * dx + dy * dy);
        double nx = d == 0 ? 0 : -dy / d, ny = d == 0 ? 0 : dx / d;
        var path = new List<(double X, double Y)> { a };
        foreach (var (t, h) in bends) path.Add((a.X + t * dx + h * nx, a.Y + t * dy + h * ny));
        path.Add(b);
        return path;
    }

    private static MultiLineString Line(List<(double X, double Y)> path)
    {
        var coords = new List<Coordinate>();
        foreach (var (x, y) in path)
        {
            var c = DemoGeometry.Snap(Plane.ToLonLat(x, y));
            if (coords.Count == 0 || !coords[^1].Equals2D(c)) coords.Add(c);
        }
        if (coords.Count == 1) coords.Add(coords[0].Copy());
        return Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString(coords.ToArray())]);
    }

    private static readonly (string Operator, double Share)[] Operators = [("Telkomsel", 0.45), ("Indosat", 0.25), ("XL Axiata", 0.2), ("Smartfren", 0.1)];

    private static List<Tower> Towers(DemoRandom rng, List<PopulationCell> cells, List<string> cellNagariName, IndexedPointInAreaLocator kab)
    {
        const int count = 100;
        var weights = cells.Select(c => Math.Pow(c.Population, 0.8)).ToList();
        var towers = new List<Tower>();
        var placed = new List<(double X, double Y)>();
        for (var attempt = 0; towers.Count < count && attempt < 100_000; attempt++)
        {
            var i = rng.Pick(weights);
            var (cx, cy) = Plane.ToKm(((Point)cells[i].Geometry).Coordinate);
            var (x, y) = (cx + rng.Uniform(-0.1, 0.1), cy + rng.Uniform(-0.1, 0.1));
            var minSpacing = attempt < 50_000 ? 1.2 : 0.6;
            if (placed.Any(p => Dist(p, (x, y)) < minSpacing)) continue;
            var at = DemoGeometry.Snap(Plane.ToLonLat(x, y));
            if (kab.Locate(at) != Location.Interior) continue;
            placed.Add((x, y));

            var op = Operators[rng.Pick(Operators.Select(o => o.Share).ToList())].Operator;
            RadioTechnology[] tech;
            if (op == "Smartfren") tech = [RadioTechnology.G4];
            else
            {
                var r = rng.NextDouble();
                tech = r switch
                {
                    < 0.08 => [RadioTechnology.G2],
                    < 0.22 => [RadioTechnology.G2, RadioTechnology.G3],
                    < 0.60 => [RadioTechnology.G2, RadioTechnology.G3, RadioTechnology.G4],
                    < 0.80 => [RadioTechnology.G2, RadioTechnology.G4],
                    < 0.92 => [RadioTechnology.G4],
                    _ => [RadioTechnology.G3, RadioTechnology.G4],
                };
            }
            var radii = ImmutableSortedDictionary.CreateRange(tech.Select(t => new KeyValuePair<RadioTechnology, double>(t, t switch
            {
                RadioTechnology.G2 => Math.Round(5000 * rng.Uniform(0.85, 1.15) / 10) * 10,
                RadioTechnology.G3 => Math.Round(3000 * rng.Uniform(0.85, 1.15) / 10) * 10,
                _ => Math.Round(2000 * rng.Uniform(0.85, 1.15) / 10) * 10,
            })));
            var year = tech[0] switch
            {
                RadioTechnology.G2 => rng.Between(2006, 2015),
                RadioTechnology.G3 => rng.Between(2010, 2018),
                _ => rng.Between(2015, 2024),
            };
            towers.Add(new Tower
            {
                Id = $"bts-{towers.Count + 1:000}",
                Location = Geo.Factory.CreatePoint(at),
                Technologies = [.. tech],
                RadiusMetres = radii,
                Operator = op,
                Year = year,
                Name = $"BTS {op} {cellNagariName[i]}",
            });
        }
        return towers;
    }
}
