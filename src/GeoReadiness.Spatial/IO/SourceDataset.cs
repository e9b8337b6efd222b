using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// One feature (or table row) as read from a source file, before it is mapped onto the domain model.
/// Geometry is already in EPSG:4326 (lon/lat) when the file had a known CRS.
/// </summary>
/// <param name="Index">0-based position in the file (for CSV: the data row, the header excluded)</param>
/// <param name="Geometry">null for a missing geometry or for a CSV row</param>
/// <param name="Properties">scalar values by column name: string, long, double, bool or null</param>
/// <param name="FeatureId">the GeoJSON feature id, when there is one</param>
/// <param name="Repairs">what the reader fixed while building the geometry (e.g. an unclosed ring)</param>
/// <param name="Error">why this feature could not be read (e.g. a coordinate given as a string); the others still are</param>
/// <param name="Line">1-based line in the file, for CSV rows</param>
public sealed record SourceFeature(
    int Index,
    Geometry? Geometry,
    IReadOnlyDictionary<string, object?> Properties,
    string? FeatureId = null,
    IReadOnlyList<string>? Repairs = null,
    string? Error = null,
    int? Line = null)
{
    public IReadOnlyList<string> RepairNotes => Repairs ?? [];
}

/// <summary>What a reader made of a file: its features in EPSG:4326, the column names and the CRS it came in.</summary>
public sealed record SourceDataset(
    string Path,
    string Format,
    string SourceCrs,
    IReadOnlyList<string> Columns,
    IReadOnlyList<SourceFeature> Features);

/// <summary>A file that cannot be read at all (missing .prj, truncated .shp, malformed JSON, unknown CRS). The message names the file.</summary>
public sealed class DatasetReadException : Exception
{
    public DatasetReadException(string path, string message, int? featureIndex = null, Exception? inner = null)
        : base($"{System.IO.Path.GetFileName(path)}: {message}", inner)
    {
        FilePath = path;
        FeatureIndex = featureIndex;
    }

    public string FilePath { get; }
    public int? FeatureIndex { get; }
}
