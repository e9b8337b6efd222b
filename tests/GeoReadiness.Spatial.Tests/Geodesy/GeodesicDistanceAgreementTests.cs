using System.Globalization;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using Xunit.Abstractions;

namespace GeoReadiness.Spatial.Tests.Geodesy;

/// <summary>
/// <see cref="GeodesicDistance"/> against PostGIS 3.3 geography: <c>ST_Distance</c> and <c>ST_DWithin</c> at 500 m
/// and 2 km for thousands of random points near real nagari boundaries and near long synthetic lines, and for points
/// placed at PostGIS's own threshold distance ± 1e-7 m. Pairs go to the server as two geometry[] parameters, one
/// query per batch; each batch is sent twice, grouped by line (PostGIS then uses its cached circle-tree path) and
/// shuffled (its brute-force path for ST_DWithin).
/// </summary>
public sealed class GeodesicDistanceAgreementTests(ITestOutputHelper output)
{
    private const double DistanceTolerance = 1e-6;  // m
    private static readonly double[] Thresholds = [500, 2000];

    private sealed record ServerAnswer(double Distance, bool Within500, bool Within2000);

    private const string PairSql = """
        SELECT ST_Distance(p::geography, g::geography),
               ST_DWithin(p::geography, g::geography, 500),
               ST_DWithin(p::geography, g::geography, 2000)
        FROM unnest($1::geometry[], $2::geometry[]) WITH ORDINALITY AS t(p, g, i) ORDER BY i
        """;

    private static async Task<ServerAnswer[]> Ask(NpgsqlConnection conn, IReadOnlyList<Coordinate> points, IReadOnlyList<Geometry> geometries)
    {
        await using var cmd = new NpgsqlCommand(PairSql, conn);
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = points.Select(p => (Geometry)Geo.Factory.CreatePoint(p)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry,
        });
        cmd.Parameters.Add(new NpgsqlParameter { Value = geometries.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry });
        var result = new List<ServerAnswer>(points.Count);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(new ServerAnswer(reader.GetDouble(0), reader.GetBoolean(1), reader.GetBoolean(2)));
        Assert.Equal(points.Count, result.Count);
        return [.. result];
    }

    private static async Task<bool[]> AskWithin(NpgsqlConnection conn, IReadOnlyList<Coordinate> points, IReadOnlyList<Geometry> geometries, double[] thresholds)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT ST_DWithin(p::geography, g::geography, d)
            FROM unnest($1::geometry[], $2::geometry[], $3::float8[]) WITH ORDINALITY AS t(p, g, d, i) ORDER BY i
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = points.Select(p => (Geometry)Geo.Factory.CreatePoint(p)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry,
        });
        cmd.Parameters.Add(new NpgsqlParameter { Value = geometries.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry });
        cmd.Parameters.Add(new NpgsqlParameter { Value = thresholds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
        var result = new List<bool>(points.Count);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result.Add(reader.GetBoolean(0));
        Assert.Equal(points.Count, result.Count);
        return [.. result];
    }

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The exterior ring of every part of every Padang Pariaman nagari, as a LineString.</summary>
    private static List<Geometry> NagariRings() =>
        SharedData.LoadBoundaries(SharedData.PadangPariamanNagari)
            .SelectMany(u => Enumerable.Range(0, u.Geometry.NumGeometries).Select(k => (Polygon)u.Geometry.GetGeometryN(k)))
            .Select(p => (Geometry)Geo.Factory.CreateLineString(p.ExteriorRing.CoordinateSequence.Copy()))
            .ToList();

    /// <summary>Lines of 2–6 geodesic-length 20–50 km edges around Indonesia (vertices joined by great-circle arcs in PostGIS).</summary>
    private static List<Geometry> SyntheticLines(Random rnd, int count)
    {
        var lines = new List<Geometry>(count);
        for (int i = 0; i < count; i++)
        {
            double lat = -10 + rnd.NextDouble() * 15, lon = 95 + rnd.NextDouble() * 45, azi = rnd.NextDouble() * 360 - 180;
            var coords = new List<Coordinate> { new(lon, lat) };
            int edges = 1 + rnd.Next(5);
            for (int e = 0; e < edges; e++)
            {
                azi += rnd.NextDouble() * 120 - 60;
                var d = Geodesic.Wgs84.Direct(lat, lon, azi, 20_000 + rnd.NextDouble() * 30_000);
                (lat, lon) = (d.Lat2, d.Lon2);
                coords.Add(new Coordinate(lon, lat));
            }
            lines.Add(Geo.Factory.CreateLineString([.. coords]));
        }
        lines.Add(Geo.Factory.CreateMultiLineString([(LineString)lines[0], (LineString)lines[1]]));
        return lines;
    }

    /// <summary>Random points 0–10 km (geodesic) from a random point of a random edge of each line, grouped by line.</summary>
    private static (List<Coordinate> Points, List<Geometry> Lines) PointsNear(IReadOnlyList<Geometry> lines, int perLine, Random rnd)
    {
        var points = new List<Coordinate>();
        var owners = new List<Geometry>();
        foreach (var line in lines)
        {
            var coords = line.Coordinates;
            for (int k = 0; k < perLine; k++)
            {
                int e = rnd.Next(coords.Length - 1);
                double t = rnd.NextDouble();
                var a = coords[e];
                var b = coords[e + 1];
                // mostly along edges, sometimes exactly at a vertex
                double x = rnd.Next(10) == 0 ? a.X : a.X + t * (b.X - a.X), y = rnd.Next(10) == 0 ? a.Y : a.Y + t * (b.Y - a.Y);
                double dist = rnd.Next(4) switch { 0 => rnd.NextDouble() * 600, 1 => 400 + rnd.NextDouble() * 2000, _ => rnd.NextDouble() * 10_000 };
                var q = Geodesic.Wgs84.Direct(y, x, rnd.NextDouble() * 360 - 180, dist);
                points.Add(new Coordinate(q.Lon2, q.Lat2));
                owners.Add(line);
            }
        }
        return (points, owners);
    }

    private async Task CompareAll(NpgsqlConnection conn, string name, List<Coordinate> points, List<Geometry> lines, Random rnd)
    {
        // grouped by line (PostGIS's cached tree path), then the same pairs shuffled (brute-force ST_DWithin path)
        var order = Enumerable.Range(0, points.Count).ToArray();
        var shuffled = order.ToArray();
        rnd.Shuffle(shuffled);
        var grouped = await Ask(conn, points, lines);
        var mixedAnswers = await Ask(conn, shuffled.Select(i => points[i]).ToList(), shuffled.Select(i => lines[i]).ToList());
        var mixed = new ServerAnswer[points.Count];
        for (int j = 0; j < shuffled.Length; j++) mixed[shuffled[j]] = mixedAnswers[j];

        double worst = 0, worstUnrounded = 0;
        int within500 = 0, within2000 = 0, identical = 0;
        var failures = new List<string>();
        for (int i = 0; i < points.Count; i++)
        {
            double d = GeodesicDistance.PointToGeometry(points[i], lines[i]);
            double diff = Math.Abs(d - grouped[i].Distance);
            worst = Math.Max(worst, diff);
            if (d == grouped[i].Distance) identical++;
            worstUnrounded = Math.Max(worstUnrounded, Math.Abs(GeodesicDistance.UnroundedDistance(points[i], lines[i]) - grouped[i].Distance));
            if (!(diff <= DistanceTolerance))
                failures.Add($"{name} #{i} POINT({points[i].X:R} {points[i].Y:R}): {d:R} vs ST_Distance {grouped[i].Distance:R}");
            if (Math.Abs(mixed[i].Distance - grouped[i].Distance) > DistanceTolerance)
                failures.Add($"{name} #{i}: PostGIS's own distance differs between call orders: {grouped[i].Distance:R} / {mixed[i].Distance:R}");
            bool w500 = GeodesicDistance.IsWithin(points[i], lines[i], 500), w2000 = GeodesicDistance.IsWithin(points[i], lines[i], 2000);
            if (w500) within500++;
            if (w2000) within2000++;
            if (w500 != grouped[i].Within500 || w500 != mixed[i].Within500)
                failures.Add($"{name} #{i}: IsWithin(500) {w500} vs ST_DWithin {grouped[i].Within500}/{mixed[i].Within500} (d = {d:R})");
            if (w2000 != grouped[i].Within2000 || w2000 != mixed[i].Within2000)
                failures.Add($"{name} #{i}: IsWithin(2000) {w2000} vs ST_DWithin {grouped[i].Within2000}/{mixed[i].Within2000} (d = {d:R})");
        }
        output.WriteLine($"{name}: {points.Count} point/line pairs ({lines.Distinct().Count()} lines), within 500 m: {within500}, within 2 km: {within2000}; " +
                         $"ST_Distance identical for {identical}, worst |Δ| {G(worst)} m (unrounded vs ST_Distance: {G(worstUnrounded)} m); IsWithin disagreements: {failures.Count(f => f.Contains("IsWithin"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));

        await CompareAtThresholds(conn, name, points, lines, grouped.Select(a => a.Distance).ToArray(), rnd);
    }

    /// <summary>
    /// Points moved along the geodesic from their sphere-found closest point until PostGIS's ST_Distance equals the
    /// threshold, then ± 1e-7 m from there: IsWithin must agree with ST_DWithin on every one.
    /// </summary>
    private async Task CompareAtThresholds(NpgsqlConnection conn, string name, List<Coordinate> points, List<Geometry> lines, double[] pg, Random rnd)
    {
        var candidates = Enumerable.Range(0, points.Count).Where(i => pg[i] > 1).OrderBy(_ => rnd.Next()).Take(600).ToList();
        var basePoint = new List<Coordinate>();
        var line = new List<Geometry>();
        var target = new List<double>();
        var foot = new List<(double Lat, double Lon, double Azi)>();
        foreach (int i in candidates)
            foreach (double t in Thresholds)
            {
                var c = GeodesicDistance.SphereClosestPoint(points[i], lines[i])!.Value;
                double azi = Geodesic.Wgs84.Inverse(c.Lat, c.Lon, points[i].Y, points[i].X).Azimuth1;
                basePoint.Add(points[i]);
                line.Add(lines[i]);
                target.Add(t);
                foot.Add((c.Lat, c.Lon, azi));
            }
        int n = target.Count;
        var along = target.ToArray();   // geodesic distance from the foot
        Coordinate At(int k, double s)
        {
            var d = Geodesic.Wgs84.Direct(foot[k].Lat, foot[k].Lon, foot[k].Azi, s);
            return new Coordinate(d.Lon2, d.Lat2);
        }
        double[] reached = new double[n];
        for (int round = 0; round < 4; round++)
        {
            var placed = Enumerable.Range(0, n).Select(k => At(k, along[k])).ToList();
            var answers = await Ask(conn, placed, line);
            for (int k = 0; k < n; k++)
            {
                reached[k] = answers[k].Distance;
                along[k] += target[k] - answers[k].Distance;
            }
        }
        int exact = Enumerable.Range(0, n).Count(k => Math.Abs(reached[k] - target[k]) <= 2e-8);

        var probes = new List<Coordinate>();
        var probeLines = new List<Geometry>();
        var probeThresholds = new List<double>();
        for (int k = 0; k < n; k++)
            foreach (double delta in new[] { -1e-7, 0.0, 1e-7 })
            {
                probes.Add(At(k, along[k] + delta));
                probeLines.Add(line[k]);
                probeThresholds.Add(target[k]);
            }
        // grouped (tree path) and interleaved (brute-force path)
        var grouped = await AskWithin(conn, probes, probeLines, [.. probeThresholds]);
        var idx = Enumerable.Range(0, probes.Count).ToArray();
        rnd.Shuffle(idx);
        var mixedAnswers = await AskWithin(conn, idx.Select(i => probes[i]).ToList(), idx.Select(i => probeLines[i]).ToList(), idx.Select(i => probeThresholds[i]).ToArray());
        var mixed = new bool[probes.Count];
        for (int j = 0; j < idx.Length; j++) mixed[idx[j]] = mixedAnswers[j];

        var failures = new List<string>();
        int trueCount = 0, atDisagree = 0;
        double atWorst = 0;
        for (int j = 0; j < probes.Count; j++)
        {
            bool ours = GeodesicDistance.IsWithin(probes[j], probeLines[j], probeThresholds[j]);
            if (j % 3 == 1)
            {
                // exactly at PostGIS's threshold distance: below the resolution of the comparison (ST_Distance is
                // rounded to 1e-8 m, and the two implementations agree to ~1e-9 m, not bit for bit); reported only
                if (ours != grouped[j] || ours != mixed[j])
                {
                    atDisagree++;
                    atWorst = Math.Max(atWorst, Math.Abs(GeodesicDistance.UnroundedDistance(probes[j], probeLines[j]) - probeThresholds[j]));
                }
                continue;
            }
            if (ours) trueCount++;
            if (ours != grouped[j] || ours != mixed[j])
                failures.Add($"{name} threshold probe {j} POINT({probes[j].X:R} {probes[j].Y:R}) at {probeThresholds[j]} m: IsWithin {ours} vs ST_DWithin {grouped[j]}/{mixed[j]} " +
                             $"(unrounded distance {GeodesicDistance.UnroundedDistance(probes[j], probeLines[j]):R})");
        }
        output.WriteLine($"{name}: {2 * n} threshold probes at PostGIS's threshold distance ± 1e-7 m ({n} placements, {exact} of them " +
                         $"at ST_Distance = threshold ± 2e-8 m), {trueCount} within; IsWithin vs ST_DWithin disagreements: {failures.Count}");
        output.WriteLine($"{name}: {n} probes at the threshold itself (± 0): {atDisagree} decided differently, all within {G(atWorst)} m of it");
        Assert.True(exact >= n / 2, $"only {exact} of {n} placements reached the threshold");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [PostGisFact]
    public async Task Distances_and_dwithin_agree_with_PostGIS_near_the_nagari_boundaries()
    {
        var rnd = new Random(20260501);
        var rings = NagariRings();
        Assert.True(rings.Count >= 103);
        var (points, lines) = PointsNear(rings, 30, rnd);
        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        await CompareAll(conn, "nagari rings", points, lines, rnd);
    }

    [PostGisFact]
    public async Task Distances_and_dwithin_agree_with_PostGIS_near_long_synthetic_lines()
    {
        var rnd = new Random(4326);
        var lines0 = SyntheticLines(rnd, 150);
        var (points, lines) = PointsNear(lines0, 20, rnd);
        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        await CompareAll(conn, "synthetic 20-50 km edges", points, lines, rnd);
    }

    [PostGisFact]
    public async Task Distances_to_points_multipoints_multilines_and_polygons_agree_with_PostGIS()
    {
        var rnd = new Random(99);
        var units = SharedData.LoadBoundaries(SharedData.PadangPariamanNagari);
        var points = new List<Coordinate>();
        var geoms = new List<Geometry>();
        foreach (var u in units)
        {
            var env = u.Geometry.EnvelopeInternal;
            for (int k = 0; k < 15; k++)
            {
                // inside the bounding box grown by ~5 km: some inside the nagari, most outside
                var p = new Coordinate(env.MinX - 0.05 + rnd.NextDouble() * (env.Width + 0.1), env.MinY - 0.05 + rnd.NextDouble() * (env.Height + 0.1));
                points.Add(p);
                geoms.Add(u.Geometry);
                points.Add(p);
                geoms.Add(Geo.Factory.CreatePoint(u.Geometry.Coordinates[rnd.Next(u.Geometry.NumPoints)]));
                points.Add(p);
                geoms.Add(Geo.Factory.CreateMultiPointFromCoords(
                    Enumerable.Range(0, 5).Select(_ => u.Geometry.Coordinates[rnd.Next(u.Geometry.NumPoints)].Copy()).ToArray()));
                points.Add(p);
                geoms.Add(Geo.Factory.CreateMultiLineString(Enumerable.Range(0, u.Geometry.NumGeometries)
                    .Select(j => Geo.Factory.CreateLineString(((Polygon)u.Geometry.GetGeometryN(j)).ExteriorRing.CoordinateSequence.Copy())).ToArray()));
            }
        }
        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        var answers = await Ask(conn, points, geoms);
        double worst = 0;
        int inside = 0;
        var failures = new List<string>();
        for (int i = 0; i < points.Count; i++)
        {
            double d = GeodesicDistance.PointToGeometry(points[i], geoms[i]);
            if (d == 0 && geoms[i] is MultiPolygon) inside++;
            double diff = Math.Abs(d - answers[i].Distance);
            worst = Math.Max(worst, diff);
            if (!(diff <= DistanceTolerance))
                failures.Add($"#{i} {geoms[i].GeometryType} POINT({points[i].X:R} {points[i].Y:R}): {d:R} vs ST_Distance {answers[i].Distance:R}");
            if (GeodesicDistance.IsWithin(points[i], geoms[i], 500) != answers[i].Within500
                || GeodesicDistance.IsWithin(points[i], geoms[i], 2000) != answers[i].Within2000)
                failures.Add($"#{i} {geoms[i].GeometryType}: IsWithin disagrees with ST_DWithin (d = {d:R})");
        }
        output.WriteLine($"{points.Count} pairs of a point and a multipolygon, point, multipoint or multilinestring ({inside} points inside their nagari): worst |Δ ST_Distance| {G(worst)} m");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}
