using System.Collections.Immutable;
using System.Diagnostics;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Bench;

/// <summary>
/// The stand-in for "real, detailed village boundaries": the real boundaries in ../shared/data (38 provinces,
/// 514 kab/kota and the 7,285 kecamatan, which are the leaves), imported with the product's importer, with generated
/// layers on top — 2,000,000 population points and 100,000 towers (times the scale) placed uniformly by area inside the real
/// kecamatan, one fibre route per kab/kota through its kecamatan (nearest-neighbour path through their interior points). Only the embedded engine is timed on it.
/// Real desa exist for West Sumatra only, so no national set of real village polygons is available.
/// </summary>
public static class RealBoundariesVariant
{
    public sealed record Result(string Description, double LoadSeconds, double ColdSeconds, IReadOnlyList<double> WarmSeconds, string? Problem = null)
    {
        public double Median => Measure.Median(WarmSeconds);
    }

    public static async Task<Result> RunAsync(string root, string work, double scale, int runs, long seed, Action<string> log)
    {
        var boundaries = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "boundaries"));
        string[] files = ["id_provinsi.geojson", "id_kabkota.geojson", "id_kecamatan.geojson"];
        if (!files.All(f => File.Exists(Path.Combine(boundaries, f))))
            return new Result("", 0, double.NaN, [], $"not available: {boundaries} does not hold {string.Join(", ", files)}");

        var clock = Stopwatch.StartNew();
        await using var store = await EmbeddedStore.OpenAsync(Path.Combine(work, "real-boundaries"));
        var importer = new DatasetImporter();
        foreach (var f in files)
        {
            var report = await importer.ImportAsync(new ImportRequest(Path.Combine(boundaries, f), ImportLayer.Units), store);
            var errors = report.Issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
            if (errors.Count > 0)
                return new Result("", 0, double.NaN, [], $"import of {f} failed: {errors.Count} errors, first: {errors[0].Message}");
            log($"real boundaries: imported {report.RecordCount} units from {f} ({report.Repaired.Count} geometries repaired)");
        }

        var all = await store.QueryUnitsAsync(new UnitQuery());
        var parents = all.Where(u => u.ParentCode is not null).Select(u => u.ParentCode!).ToHashSet(StringComparer.Ordinal);
        var leaves = all.Where(u => !parents.Contains(u.Code)).OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        var areas = leaves.Select(l => GeodesicMeasure.Area(l.Geometry)).ToArray();
        var cellsPer = Allocate((int)Math.Round(2_000_000 * scale), areas);
        var towersPer = Allocate((int)Math.Round(100_000 * scale), areas);
        var cellStart = Prefix(cellsPer);
        var towerStart = Prefix(towersPer);
        var cells = new PopulationCell[cellStart[^1]];
        var towers = new Tower[towerStart[^1]];
        var anchors = new Coordinate[leaves.Length];
        Parallel.For(0, leaves.Length, i =>
        {
            var rng = new Random(Mix(seed, i));
            var geom = leaves[i].Geometry;
            var locator = new IndexedPointInAreaLocator(geom);
            var env = geom.EnvelopeInternal;
            anchors[i] = geom.InteriorPoint.Coordinate;
            Point Inside()
            {
                for (var attempt = 0; attempt < 2_000; attempt++)
                {
                    var c = new Coordinate(Math.Round(env.MinX + rng.NextDouble() * env.Width, 7), Math.Round(env.MinY + rng.NextDouble() * env.Height, 7));
                    if (locator.Locate(c) == Location.Interior) return Geo.Factory.CreatePoint(c);
                }
                return Geo.Factory.CreatePoint(anchors[i].Copy());
            }
            for (var k = 0; k < cellsPer[i]; k++)
            {
                var pop = rng.Next(50, 251);
                cells[cellStart[i] + k] = new PopulationCell { Id = $"R{cellStart[i] + k:D7}", Geometry = Inside(), Population = pop, Households = Math.Max(1, pop / 4) };
            }
            for (var k = 0; k < towersPer[i]; k++)
            {
                var radii = new Dictionary<RadioTechnology, double> { [RadioTechnology.G2] = rng.Next(3500, 5001) };
                if (rng.NextDouble() < 0.75) radii[RadioTechnology.G3] = rng.Next(2500, 4001);
                if (rng.NextDouble() < 0.6)
                {
                    radii[RadioTechnology.G4] = rng.Next(1500, 3501);
                    if (rng.NextDouble() < 0.08) radii[RadioTechnology.G5] = rng.Next(1500, 2001);
                }
                towers[towerStart[i] + k] = new Tower
                {
                    Id = $"RT{towerStart[i] + k:D6}",
                    Location = Inside(),
                    Technologies = radii.Keys.ToImmutableSortedSet(),
                    RadiusMetres = radii.ToImmutableSortedDictionary(),
                };
            }
        });
        var routes = leaves.Select((l, i) => (Regency: l.Code[..5], Anchor: anchors[i])).GroupBy(x => x.Regency, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .Select((g, n) => new FibreRoute
            {
                Id = "RF-" + g.Key,
                Geometry = Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString(NearestNeighbourPath(g.Select(x => x.Anchor).ToList()))]),
                Status = n % 5 == 4 ? FibreStatus.Planned : FibreStatus.Existing,
            }).ToArray();
        await store.ApplyAsync(new DatasetChange { Source = "bench: real boundaries variant", PopulationCells = cells, Towers = towers, FibreRoutes = routes });
        var load = clock.Elapsed.TotalSeconds;
        var vertices = leaves.Sum(l => (long)l.Geometry.NumPoints);
        var description = $"{leaves.Length:N0} real kecamatan as leaves (avg {vertices / (double)leaves.Length:0.0}, max {leaves.Max(l => l.Geometry.NumPoints):N0} vertices; " +
            $"{vertices:N0} in all, vs {83_000 * 6.1:N0} for the Voronoi villages) under the real 514 kab/kota and 38 provinces; generated {cells.Length:N0} population points, " +
            $"{towers.Length:N0} towers, {routes.Length} fibre routes ({routes.Sum(r => GeodesicMeasure.Length(r.Geometry)) / 1000:N0} km)";
        log("real boundaries: " + description);

        var engine = new EmbeddedIndicatorEngine(store);
        var (_, cold) = await Measure.OnceAsync(() => IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default));
        log($"real boundaries: embedded cold {cold:0.000} s");
        var (_, warm) = await Measure.RepeatAsync(runs, () => IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default),
            (i, s) => log($"real boundaries: embedded warm run {i}: {s:0.000} s"));
        return new Result(description, load, cold, warm);
    }

    private static int[] Allocate(int total, double[] weights)
    {
        var sum = weights.Sum();
        var result = weights.Select(w => (int)Math.Floor(total * w / sum)).ToArray();
        var left = total - result.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => total * weights[i] / sum - result[i]).Take(left)) result[i]++;
        return result;
    }

    /// <summary>The points as one path, each step to the nearest point not yet visited, from the first (by code).</summary>
    private static Coordinate[] NearestNeighbourPath(List<Coordinate> points)
    {
        var path = new List<Coordinate> { points[0].Copy() };
        var left = points.Skip(1).ToList();
        while (left.Count > 0)
        {
            var last = path[^1];
            var next = left.MinBy(p => p.Distance(last))!;
            left.Remove(next);
            path.Add(next.Copy());
        }
        return path.ToArray();
    }

    /// <summary>A per-leaf seed hashed from the root seed and the leaf's index (splitmix64 finaliser), stable across runs.</summary>
    private static int Mix(long seed, int index)
    {
        var z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    private static int[] Prefix(int[] counts)
    {
        var p = new int[counts.Length + 1];
        for (var i = 0; i < counts.Length; i++) p[i + 1] = p[i] + counts[i];
        return p;
    }
}
