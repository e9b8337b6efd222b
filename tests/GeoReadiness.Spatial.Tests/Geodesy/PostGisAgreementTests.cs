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
/// GeodesicMeasure against PostGIS geography (ST_Area / ST_Perimeter / ST_Length / ST_Distance, use_spheroid = true)
/// on the real Indonesian boundaries. Geometries go to the server as NTS parameters (the same coordinates, SRID 4326)
/// in one geometry[] per query.
/// </summary>
public sealed class PostGisAgreementTests(ITestOutputHelper output)
{
    private const double AreaRelativeTolerance = 1e-9;
    private const double LengthAbsoluteTolerance = 1e-6;     // m
    private const double LengthRelativeTolerance = 1e-12;

    /// <summary>Runs <paramref name="sql"/> with $1 (and $2) = the geometries and returns its single double column (NULL as NaN), in order.</summary>
    private static async Task<double[]> ServerMeasures(NpgsqlConnection conn, string sql, IReadOnlyList<Geometry> geometries, IReadOnlyList<Geometry>? second = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = geometries.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry });
        if (second is not null)
            cmd.Parameters.Add(new NpgsqlParameter { Value = second.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Geometry });
        var result = new List<double>(geometries.Count);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result.Add(reader.IsDBNull(0) ? double.NaN : reader.GetDouble(0));
        Assert.Equal(geometries.Count, result.Count);
        return [.. result];
    }

    /// <summary>
    /// A session-local (pg_temp) ST_Area(geography) that gives NULL instead of PostGIS's error for polygons whose holes
    /// exceed the shell, so that one bad feature does not abort the whole batch; every other error still propagates.
    /// </summary>
    private const string CreateAreaOrNull = """
        CREATE FUNCTION pg_temp.area_or_null(g geometry) RETURNS double precision LANGUAGE plpgsql AS $$
        BEGIN
          RETURN ST_Area(g::geography);
        EXCEPTION WHEN OTHERS THEN
          IF SQLERRM LIKE '%returned area < 0.0%' THEN RETURN NULL; END IF;
          RAISE;
        END $$
        """;

    private static IReadOnlyList<BoundaryFeature> LoadAll(ITestOutputHelper output)
    {
        // SharedData repairs only the documented defects (Sorong's 3-point holes, which enclose nothing).
        var kab = SharedData.LoadBoundaries("id_kabkota.geojson").Select(u => new BoundaryFeature(u.Code, u.Geometry)).ToList();
        var nagari = SharedData.LoadBoundaries("padang_pariaman_13.05_nagari.geojson").Select(u => new BoundaryFeature(u.Code, u.Geometry)).ToList();
        Assert.Equal(514, kab.Count);
        Assert.Equal(103, nagari.Count);
        output.WriteLine($"loaded {kab.Count} kab/kota and {nagari.Count} nagari");
        Assert.All(kab.Concat(nagari), f => Assert.Equal(Geo.Srid, f.Geometry.SRID));
        return [.. kab, .. nagari];
    }

    private static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    [PostGisFact]
    public async Task Area_and_perimeter_agree_with_PostGIS_geography_for_every_kabkota_and_nagari()
    {
        var features = LoadAll(output);
        var geometries = features.Select(f => f.Geometry).ToList();
        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand(CreateAreaOrNull, conn))
            await create.ExecuteNonQueryAsync();
        var areas = await ServerMeasures(conn, "SELECT pg_temp.area_or_null(g) FROM unnest($1::geometry[]) WITH ORDINALITY AS t(g, i) ORDER BY i", geometries);
        var perimeters = await ServerMeasures(conn, "SELECT ST_Perimeter(g::geography) FROM unnest($1::geometry[]) WITH ORDINALITY AS t(g, i) ORDER BY i", geometries);

        double worstArea = 0, worstPerimeter = 0;
        string worstAreaCode = "", worstPerimeterCode = "";
        var failures = new List<string>();
        var rejected = new List<string>();
        for (int i = 0; i < features.Count; i++)
        {
            if (double.IsNaN(areas[i]))
            {
                // PostGIS refuses this feature (holes larger than the shell, i.e. kab 96.01 Sorong): so must we.
                rejected.Add(features[i].Code);
                var ex = Assert.Throws<ArgumentException>(() => GeodesicMeasure.Area(geometries[i]));
                output.WriteLine($"{features[i].Code}: rejected by PostGIS and by GeodesicMeasure: {ex.Message}");
                continue;
            }
            double area = GeodesicMeasure.Area(geometries[i]);
            double rel = Math.Abs(area - areas[i]) / areas[i];
            if (rel > worstArea) (worstArea, worstAreaCode) = (rel, features[i].Code);
            if (!(rel < AreaRelativeTolerance))
                failures.Add($"{features[i].Code}: area {area:R} vs PostGIS {areas[i]:R} (rel {G(rel)})");

            double perimeter = GeodesicMeasure.Perimeter(geometries[i]);
            double relP = Math.Abs(perimeter - perimeters[i]) / perimeters[i];
            if (relP > worstPerimeter) (worstPerimeter, worstPerimeterCode) = (relP, features[i].Code);
            if (!(Math.Abs(perimeter - perimeters[i]) <= Math.Max(LengthAbsoluteTolerance, LengthRelativeTolerance * perimeters[i])))
                failures.Add($"{features[i].Code}: perimeter {perimeter:R} vs PostGIS {perimeters[i]:R}");
        }
        output.WriteLine($"{features.Count - rejected.Count} features compared: worst relative area difference vs ST_Area(geography): {G(worstArea)} ({worstAreaCode})");
        output.WriteLine($"worst relative perimeter difference vs ST_Perimeter(geography): {G(worstPerimeter)} ({worstPerimeterCode})");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(rejected.Count <= 1, "PostGIS rejected more features than the one known broken kab/kota: " + string.Join(", ", rejected));
    }

    [PostGisFact]
    public async Task Area_of_every_single_ring_agrees_with_PostGIS_geography()
    {
        var features = LoadAll(output);
        // each ring (shells and holes, including the mis-ordered rings of 96.01) as a polygon of its own
        var rings = features
            .SelectMany(f => Enumerable.Range(0, f.Geometry.NumGeometries).Select(k => (Polygon)f.Geometry.GetGeometryN(k)))
            .SelectMany(p => new[] { p.Shell }.Concat(p.Holes))
            .Select(r => (Geometry)Geo.Factory.CreatePolygon(r.CoordinateSequence.Copy()))
            .ToList();
        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        var areas = await ServerMeasures(conn, "SELECT ST_Area(g::geography) FROM unnest($1::geometry[]) WITH ORDINALITY AS t(g, i) ORDER BY i", rings);

        double worstRel = 0, worstAbs = 0;
        var failures = new List<string>();
        for (int i = 0; i < rings.Count; i++)
        {
            double area = GeodesicMeasure.Area(rings[i]);
            double diff = Math.Abs(area - areas[i]);
            worstAbs = Math.Max(worstAbs, diff);
            if (areas[i] > 0) worstRel = Math.Max(worstRel, diff / areas[i]);
            // relative 1e-9, or 1e-3 m² for slivers of a few m², whose area is a small difference of large edge terms
            if (!(diff <= Math.Max(1e-3, AreaRelativeTolerance * areas[i])))
                failures.Add($"ring {i} ({rings[i].NumPoints} vertices): {area:R} vs PostGIS {areas[i]:R}");
        }
        output.WriteLine($"{rings.Count} rings: worst relative area difference {G(worstRel)}, worst absolute {G(worstAbs)} m²");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [PostGisFact]
    public async Task Lengths_of_the_exterior_rings_as_lines_agree_with_PostGIS_geography()
    {
        var features = LoadAll(output);
        // every exterior ring of every part, as a LineString: ~6,000 lines, 3 to 20,000 vertices each
        var lines = features
            .SelectMany(f => Enumerable.Range(0, f.Geometry.NumGeometries).Select(k => (Polygon)f.Geometry.GetGeometryN(k)))
            .Select(p => (Geometry)Geo.Factory.CreateLineString(p.ExteriorRing.CoordinateSequence.Copy()))
            .ToList();
        // and the multi-line form of whole features (sum of parts)
        var multiLines = features
            .Select(f => (Geometry)Geo.Factory.CreateMultiLineString(Enumerable.Range(0, f.Geometry.NumGeometries)
                .Select(k => Geo.Factory.CreateLineString(((Polygon)f.Geometry.GetGeometryN(k)).ExteriorRing.CoordinateSequence.Copy())).ToArray()))
            .ToList();
        var all = lines.Concat(multiLines).ToList();

        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        var lengths = await ServerMeasures(conn, "SELECT ST_Length(g::geography) FROM unnest($1::geometry[]) WITH ORDINALITY AS t(g, i) ORDER BY i", all);

        double worstAbs = 0, worstRel = 0;
        var failures = new List<string>();
        for (int i = 0; i < all.Count; i++)
        {
            double length = GeodesicMeasure.Length(all[i]);
            double diff = Math.Abs(length - lengths[i]);
            worstAbs = Math.Max(worstAbs, diff);
            if (lengths[i] > 0) worstRel = Math.Max(worstRel, diff / lengths[i]);
            if (!(diff <= Math.Max(LengthAbsoluteTolerance, LengthRelativeTolerance * lengths[i])))
                failures.Add($"line {i} ({all[i].NumPoints} vertices): {length:R} vs PostGIS {lengths[i]:R} (diff {G(diff)} m)");
        }
        output.WriteLine($"{all.Count} lines, {all.Sum(l => l.NumPoints)} vertices: worst |ST_Length - Length| {G(worstAbs)} m, worst relative {G(worstRel)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [PostGisFact]
    public async Task Distances_between_points_agree_with_PostGIS_geography()
    {
        var features = LoadAll(output);
        var a = new List<Geometry>();
        var b = new List<Geometry>();
        Point P(Coordinate c) => Geo.Factory.CreatePoint(new Coordinate(c.X, c.Y));
        // long pairs: first vertex of each feature to the first vertex of a feature far along the list (up to ~5,000 km)
        for (int i = 0; i < features.Count; i++)
        {
            a.Add(P(features[i].Geometry.Coordinates[0]));
            b.Add(P(features[(i * 7 + 300) % features.Count].Geometry.Coordinates[0]));
        }
        // short pairs: consecutive vertices (metres to kilometres) and vertices ten apart
        var coords = features.Take(60).SelectMany(f => f.Geometry.Coordinates.Take(40)).ToArray();
        for (int i = 0; i + 10 < coords.Length; i++)
        {
            a.Add(P(coords[i])); b.Add(P(coords[i + 1]));
            a.Add(P(coords[i])); b.Add(P(coords[i + 10]));
        }

        await using var db = TestEnvironment.OpenPostGisDataSource();
        await using var conn = await db.OpenConnectionAsync();
        var distances = await ServerMeasures(conn,
            "SELECT ST_Distance(p::geography, q::geography) FROM unnest($1::geometry[], $2::geometry[]) WITH ORDINALITY AS t(p, q, i) ORDER BY i", a, b);

        double worstAbs = 0;
        var failures = new List<string>();
        for (int i = 0; i < a.Count; i++)
        {
            double d = GeodesicMeasure.Distance(a[i].Coordinate, b[i].Coordinate);
            double diff = Math.Abs(d - distances[i]);
            worstAbs = Math.Max(worstAbs, diff);
            if (!(diff <= Math.Max(LengthAbsoluteTolerance, LengthRelativeTolerance * distances[i])))
                failures.Add($"{a[i].AsText()} - {b[i].AsText()}: {d:R} vs PostGIS {distances[i]:R}");
        }
        output.WriteLine($"{a.Count} point pairs (max {distances.Max():R} m): worst |ST_Distance - Distance| {G(worstAbs)} m");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }
}

/// <summary>A boundary read from shared/data (in place, never copied into the repository).</summary>
internal sealed record BoundaryFeature(string Code, NetTopologySuite.Geometries.Geometry Geometry);
