using GeoReadiness.Spatial.Model;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// Reads an ESRI shapefile (.shp with its .dbf, .prj and optional .cpg). The CRS comes from the .prj and the
/// geometries are transformed to EPSG:4326; a shapefile without .prj is refused rather than guessed at.
/// The reader itself does no validation; the importer does.
/// </summary>
public static class ShapefileFileReader
{
    public static SourceDataset Read(string path)
    {
        if (!File.Exists(path)) throw new DatasetReadException(path, "file not found");
        var prj = Sibling(path, ".prj");
        if (prj is null)
            throw new DatasetReadException(path, $"has no .prj file ({Path.ChangeExtension(Path.GetFileName(path), ".prj")}), so its coordinate reference system is unknown; add the .prj that came with the data");
        if (Sibling(path, ".dbf") is null)
            throw new DatasetReadException(path, $"has no .dbf file ({Path.ChangeExtension(Path.GetFileName(path), ".dbf")}) with its attributes");
        var crs = SourceCrs.FromWkt(File.ReadAllText(prj), path);
        CheckLength(path);

        var features = new List<SourceFeature>();
        var columns = new List<string>();
        var index = 0;
        try
        {
            using var reader = Shapefile.OpenRead(path, new ShapefileReaderOptions { Factory = Geo.Factory, GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes });
            columns.AddRange(reader.Fields.Select(f => f.Name));
            while (reader.Read(out var deleted, out Feature feature))
            {
                if (deleted) { index++; continue; }
                var props = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var name in feature.Attributes.GetNames()) props[name] = Scalar(feature.Attributes[name]);
                var geometry = feature.Geometry is null || feature.Geometry.IsEmpty ? feature.Geometry : crs.ToWgs84(feature.Geometry);
                features.Add(new SourceFeature(index, geometry, props));
                index++;
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or DatasetReadException))
        {
            throw new DatasetReadException(path, $"is truncated or corrupt: reading record {index} failed ({e.GetType().Name}: {e.Message})", index, e);
        }
        return new SourceDataset(path, "Shapefile", crs.Name, columns, features);
    }

    /// <summary>
    /// The .shp header states the file length; a shorter file was cut off (an interrupted copy or download),
    /// which the record reader would otherwise turn into silently empty geometries.
    /// </summary>
    private static void CheckLength(string path)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[28];
        if (stream.Length < 100 || stream.ReadAtLeast(header, 28, throwOnEndOfStream: false) < 28)
            throw new DatasetReadException(path, $"is truncated or corrupt: {stream.Length} bytes, shorter than the 100-byte .shp header");
        var fileCode = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
        if (fileCode != 9994) throw new DatasetReadException(path, $"is not a shapefile (file code {fileCode}, expected 9994)");
        var declared = 2L * System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(24));
        if (stream.Length < declared)
            throw new DatasetReadException(path, $"is truncated or corrupt: its header declares {declared} bytes but the file has {stream.Length}");
    }

    /// <summary>The sibling file with the given extension, in either letter case.</summary>
    private static string? Sibling(string path, string extension)
    {
        foreach (var ext in new[] { extension, extension.ToUpperInvariant() })
        {
            var p = Path.ChangeExtension(path, ext);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static object? Scalar(object? v) => v switch
    {
        null or DBNull => null,
        string s => s.Trim() is { Length: > 0 } t ? t : null,
        int or long or short or byte => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture),
        double d => d,
        float f => (double)f,
        decimal m => m == decimal.Truncate(m) && Math.Abs(m) < long.MaxValue ? (object)(long)m : (double)m,
        bool b => b,
        DateTime dt => dt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
    };
}
