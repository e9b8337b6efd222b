using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace GeoReadiness.Spatial.Import;

/// <summary>The geometry shapes a layer accepts.</summary>
internal enum GeometryShape
{
    Areal,
    Linear,
    Point,
    PointOrPolygon,
}

/// <summary>
/// Geometry validation on import: missing and empty geometries, the wrong type for the layer, coordinates
/// outside Indonesia (with a hint when lat/lon look swapped or projected), and OGC validity — invalid
/// geometries are repaired with <see cref="GeometryFixer"/> and listed, or rejected in strict mode.
/// </summary>
internal static class GeometryChecks
{
    public static Geometry? Check(IO.SourceFeature feature, string? key, GeometryShape shape, ImportContext ctx)
    {
        var g = feature.Geometry;
        var index = feature.Index;
        foreach (var repair in feature.RepairNotes)
        {
            if (ctx.Strict) ctx.Error(index, key, $"geometry needs repair (strict): {repair}");
            else
            {
                ctx.Warning(index, key, $"geometry repaired: {repair}");
                ctx.Repaired.Add(new RepairedGeometry(index, key, repair));
            }
        }
        if (g is null) { ctx.Error(index, key, "has no geometry"); return null; }
        if (g.IsEmpty) { ctx.Error(index, key, "geometry is empty"); return null; }

        if (!TypeFits(g, shape))
        {
            ctx.Error(index, key, $"wrong geometry type {g.GeometryType} for this layer; expected {Expected(shape)}");
            return null;
        }
        if (!InBounds(g, index, key, ctx)) return null;

        var validity = new IsValidOp(g);
        if (!validity.IsValid)
        {
            var err = validity.ValidationError;
            var what = $"{err.Message} at ({err.Coordinate.X:0.######} {err.Coordinate.Y:0.######})";
            if (ctx.Strict)
            {
                ctx.Error(index, key, $"invalid geometry (strict, not repaired): {what}");
                return null;
            }
            var fixedGeometry = Geo.Factory.CreateGeometry(GeometryFixer.Fix(g));
            if (fixedGeometry.IsEmpty || !TypeFits(fixedGeometry, shape) && !(shape == GeometryShape.PointOrPolygon && fixedGeometry is MultiPolygon))
            {
                ctx.Error(index, key, $"invalid geometry that cannot be repaired into {Expected(shape)}: {what}");
                return null;
            }
            if (shape == GeometryShape.PointOrPolygon && fixedGeometry is MultiPolygon mp)
            {
                if (mp.NumGeometries != 1)
                {
                    ctx.Error(index, key, $"invalid polygon that repairs into {mp.NumGeometries} parts; a population cell must be one polygon: {what}");
                    return null;
                }
                fixedGeometry = mp.GetGeometryN(0);
            }
            ctx.Warning(index, key, $"invalid geometry repaired: {what}");
            ctx.Repaired.Add(new RepairedGeometry(index, key, what));
            g = fixedGeometry;
        }
        return g;
    }

    private static bool TypeFits(Geometry g, GeometryShape shape) => shape switch
    {
        GeometryShape.Areal => g is Polygon or MultiPolygon || g is GeometryCollection gc && gc.Geometries.All(x => x is Polygon or MultiPolygon),
        GeometryShape.Linear => g is LineString or MultiLineString,
        GeometryShape.Point => g is Point || g is MultiPoint { NumGeometries: 1 },
        _ => g is Point or Polygon || g is MultiPolygon { NumGeometries: 1 } || g is MultiPoint { NumGeometries: 1 },
    };

    private static string Expected(GeometryShape shape) => shape switch
    {
        GeometryShape.Areal => "Polygon or MultiPolygon",
        GeometryShape.Linear => "LineString or MultiLineString",
        GeometryShape.Point => "Point",
        _ => "Point or Polygon",
    };

    private static bool InBounds(Geometry g, int index, string? key, ImportContext ctx)
    {
        var env = g.EnvelopeInternal;
        var box = Geo.IndonesiaBounds;
        if (box.Contains(env)) return true;
        var swapped = new Envelope(env.MinY, env.MaxY, env.MinX, env.MaxX);
        var where = $"[{env.MinX:0.####}, {env.MinY:0.####} – {env.MaxX:0.####}, {env.MaxY:0.####}]";
        var hint = box.Contains(swapped) ? " — lat/lon swapped? With x and y exchanged it would lie inside Indonesia"
            : Math.Max(Math.Abs(env.MaxX), Math.Abs(env.MaxY)) > 360 || Math.Max(Math.Abs(env.MinX), Math.Abs(env.MinY)) > 360
                ? " — projected coordinates (metres)? The file's CRS may be missing or wrong"
                : "";
        ctx.Error(index, key, $"lies outside Indonesia (94–142° E, 12° S–7° N): extent {where}{hint}");
        return false;
    }

    /// <summary>The shape a layer stores, once checked.</summary>
    public static MultiPolygon ToMultiPolygon(Geometry g) => Geo.AsMultiPolygon(g);

    public static Point ToPoint(Geometry g) => g is MultiPoint mp ? (Point)mp.GetGeometryN(0) : (Point)g;

    public static Geometry ToPointOrPolygon(Geometry g) => g switch
    {
        MultiPolygon mp => mp.GetGeometryN(0),
        MultiPoint mpt => mpt.GetGeometryN(0),
        _ => g,
    };
}

/// <summary>Collects issues and repairs while one file is imported.</summary>
internal sealed class ImportContext(bool strict)
{
    public bool Strict { get; } = strict;
    public List<ImportIssue> Issues { get; } = [];
    public List<RepairedGeometry> Repaired { get; } = [];
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);

    public void Error(int? index, string? key, string message, int? line = null) => Issues.Add(new(IssueSeverity.Error, index, key, message, line));
    public void Warning(int? index, string? key, string message, int? line = null) => Issues.Add(new(IssueSeverity.Warning, index, key, message, line));
    public void Info(int? index, string? key, string message, int? line = null) => Issues.Add(new(IssueSeverity.Info, index, key, message, line));

    /// <summary>A warning, or an error in strict mode.</summary>
    public void Lenient(int? index, string? key, string message, int? line = null)
    {
        if (Strict) Error(index, key, message + " (strict)", line);
        else Warning(index, key, message, line);
    }
}
