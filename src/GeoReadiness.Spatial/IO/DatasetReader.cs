namespace GeoReadiness.Spatial.IO;

public enum SourceFormat
{
    Shapefile,
    GeoJson,
    GeoPackage,
    Csv,
}

/// <summary>Picks a reader by file extension.</summary>
public static class DatasetReader
{
    public static SourceFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".shp" => SourceFormat.Shapefile,
        ".geojson" or ".json" => SourceFormat.GeoJson,
        ".gpkg" => SourceFormat.GeoPackage,
        ".csv" => SourceFormat.Csv,
        var ext => throw new DatasetReadException(path, $"unknown file type '{ext}' (expected .shp, .geojson, .json, .gpkg or .csv)"),
    };

    /// <param name="tables">GeoPackage only: the feature tables to read (all when null)</param>
    public static SourceDataset Read(string path, IReadOnlyList<string>? tables = null)
    {
        var format = FormatOf(path);
        if (!File.Exists(path)) throw new DatasetReadException(path, "file not found");
        return format switch
        {
            SourceFormat.Shapefile => ShapefileFileReader.Read(path),
            SourceFormat.GeoJson => GeoJsonFileReader.Read(path),
            SourceFormat.GeoPackage => GeoPackageFileReader.Read(path, tables),
            _ => CsvTable.Read(path),
        };
    }
}
