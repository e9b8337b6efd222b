using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// Reads RFC 7946 GeoJSON (lon/lat). Geometries are parsed feature by feature, so one bad feature
/// (coordinates given as strings, a ring of three points) is reported on that feature and does not stop
/// the others. Rings that do not close are closed and rings of fewer than four points are dropped; both are
/// listed as repairs. An old-style <c>crs</c> member naming EPSG:3857 or a WGS84 UTM zone is honoured,
/// any other CRS is refused.
/// </summary>
public static class GeoJsonFileReader
{
    public static SourceDataset Read(string path)
    {
        JsonDocument doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new DatasetReadException(path, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}", inner: e);
        }
        catch (IOException e)
        {
            throw new DatasetReadException(path, $"cannot be read: {e.Message}", inner: e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new DatasetReadException(path, "is not a GeoJSON object (expected a FeatureCollection)");
            var crs = ReadCrs(root, path);
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var elements = type switch
            {
                "FeatureCollection" => root.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Array
                    ? f.EnumerateArray().ToList()
                    : throw new DatasetReadException(path, "FeatureCollection has no 'features' array"),
                "Feature" => [root],
                null => throw new DatasetReadException(path, "has no 'type' member; not GeoJSON"),
                _ => throw new DatasetReadException(path, $"type '{type}' is not a FeatureCollection or Feature"),
            };

            var columns = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var features = new List<SourceFeature>(elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                var feature = ReadFeature(elements[i], i, crs);
                foreach (var key in feature.Properties.Keys)
                    if (seen.Add(key)) columns.Add(key);
                features.Add(feature);
            }
            return new SourceDataset(path, "GeoJSON", crs.Name, columns, features);
        }
    }

    private static SourceCrs ReadCrs(JsonElement root, string path)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null) return SourceCrs.Wgs84;
        if (crs.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
        {
            var name = n.GetString()!;
            return SourceCrs.FromName(name)
                ?? throw new DatasetReadException(path, $"its \"crs\" member names '{name}', which is not supported; GeoJSON must be WGS84 lon/lat (RFC 7946). Reproject it (e.g. ogr2ogr -t_srs EPSG:4326)");
        }
        throw new DatasetReadException(path, "its \"crs\" member is not a named CRS; GeoJSON must be WGS84 lon/lat (RFC 7946)");
    }

    private static SourceFeature ReadFeature(JsonElement element, int index, SourceCrs crs)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
            return new SourceFeature(index, null, properties, Error: $"is a JSON {element.ValueKind}, not a Feature object");
        if (element.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            foreach (var p in props.EnumerateObject()) properties[p.Name] = Scalar(p.Value);
        string? id = element.TryGetProperty("id", out var idElement)
            ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            }
            : null;
        if (!element.TryGetProperty("geometry", out var g) || g.ValueKind == JsonValueKind.Null)
            return new SourceFeature(index, null, properties, id);
        var repairs = new List<string>();
        try
        {
            var geometry = ParseGeometry(g, repairs);
            if (!crs.IsWgs84) geometry = crs.ToWgs84(geometry);
            return new SourceFeature(index, geometry, properties, id, repairs);
        }
        catch (FormatException e)
        {
            return new SourceFeature(index, null, properties, id, repairs, e.Message);
        }
    }

    /// <summary>JSON scalars as CLR scalars; nested objects and arrays are kept as their JSON text.</summary>
    internal static object? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };

    /// <exception cref="FormatException">the geometry is not valid GeoJSON</exception>
    internal static Geometry ParseGeometry(JsonElement g, List<string> repairs)
    {
        var f = Geo.Factory;
        if (g.ValueKind != JsonValueKind.Object) throw new FormatException($"geometry is a JSON {g.ValueKind}, not an object");
        var type = g.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "GeometryCollection")
        {
            if (!g.TryGetProperty("geometries", out var parts) || parts.ValueKind != JsonValueKind.Array)
                throw new FormatException("GeometryCollection has no 'geometries' array");
            return f.CreateGeometryCollection(parts.EnumerateArray().Select(p => ParseGeometry(p, repairs)).ToArray());
        }
        if (!g.TryGetProperty("coordinates", out var c)) throw new FormatException($"{type ?? "geometry"} has no 'coordinates'");
        return type switch
        {
            "Point" => c.ValueKind == JsonValueKind.Array && c.GetArrayLength() == 0 ? f.CreatePoint() : f.CreatePoint(Position(c)),
            "MultiPoint" => f.CreateMultiPointFromCoords(Array(c, "MultiPoint").Select(Position).ToArray()),
            "LineString" => Line(c, repairs, "LineString"),
            "MultiLineString" => f.CreateMultiLineString(Array(c, "MultiLineString").Select((l, i) => Line(l, repairs, $"line {i}")).ToArray()),
            "Polygon" => (Geometry?)Polygon(c, repairs, "polygon") ?? f.CreatePolygon(),
            "MultiPolygon" => f.CreateMultiPolygon(Array(c, "MultiPolygon").Select((p, i) => Polygon(p, repairs, $"polygon {i}")).OfType<Polygon>().ToArray()),
            null => throw new FormatException("geometry has no 'type'"),
            _ => throw new FormatException($"unknown geometry type '{type}'"),
        };
    }

    private static List<JsonElement> Array(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : throw new FormatException($"{what} coordinates are a JSON {e.ValueKind}, not an array");

    private static Coordinate Position(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 2)
            throw new FormatException($"a position must be an array of at least two numbers, got {Abbreviate(e.GetRawText())}");
        var x = e[0];
        var y = e[1];
        if (x.ValueKind == JsonValueKind.String || y.ValueKind == JsonValueKind.String)
            throw new FormatException($"coordinates are JSON strings ({Abbreviate(e.GetRawText())}); GeoJSON positions must be numbers");
        if (x.ValueKind != JsonValueKind.Number || y.ValueKind != JsonValueKind.Number)
            throw new FormatException($"a position must hold numbers, got {Abbreviate(e.GetRawText())}");
        return new Coordinate(x.GetDouble(), y.GetDouble());
    }

    private static LineString Line(JsonElement e, List<string> repairs, string what)
    {
        var coords = Array(e, what).Select(Position).ToArray();
        if (coords.Length < 2) throw new FormatException($"{what} has {coords.Length} position(s); a line needs at least two");
        return Geo.Factory.CreateLineString(coords);
    }

    private static Polygon? Polygon(JsonElement e, List<string> repairs, string what)
    {
        var rings = new List<LinearRing>();
        var raw = Array(e, what);
        for (var r = 0; r < raw.Count; r++)
        {
            var coords = Array(raw[r], $"{what} ring {r}").Select(Position).ToList();
            var ringName = $"{what} ring {r}";
            if (coords.Count > 0 && !coords[0].Equals2D(coords[^1]))
            {
                coords.Add(coords[0].Copy());
                repairs.Add($"{ringName} was not closed; closed it");
            }
            if (coords.Count < 4)
            {
                if (r == 0)
                {
                    repairs.Add($"{ringName} (outer) has {coords.Count} points, fewer than the 4 a ring needs; dropped the {what}");
                    return null;
                }
                repairs.Add($"{ringName} (hole) has {coords.Count} points, fewer than the 4 a ring needs; dropped it");
                continue;
            }
            rings.Add(Geo.Factory.CreateLinearRing(coords.ToArray()));
        }
        if (rings.Count == 0) return Geo.Factory.CreatePolygon();
        return Geo.Factory.CreatePolygon(rings[0], rings.Skip(1).ToArray());
    }

    private static string Abbreviate(string raw)
    {
        // Pretty-printed input spreads one position over several lines; the message shows it compactly.
        var s = string.Concat(raw.Where(c => !char.IsWhiteSpace(c)));
        return s.Length <= 60 ? s : s[..57] + "...";
    }

    private static string FirstSentence(string s)
    {
        var i = s.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? s[..i] : s;
    }
}
