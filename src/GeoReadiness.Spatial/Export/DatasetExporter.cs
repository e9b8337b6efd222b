using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Export;

public enum ExportFormat
{
    GeoPackage,
    GeoJson,
    Csv,
}

public enum ExportLayer
{
    Units,
    Fibre,
    Towers,
    Facilities,
    Population,
}

/// <param name="OutputPath">the file to write (replaced when it exists)</param>
/// <param name="Layer">the layer to export; null = every layer for GeoPackage, units for GeoJSON and CSV</param>
/// <param name="Level">units only: just this level</param>
public sealed record ExportRequest(ExportFormat Format, string OutputPath, ExportLayer? Layer = null, AdminLevel? Level = null);

public sealed record ExportedTable(string Name, int Features);

public sealed record ExportResult(string Path, ExportFormat Format, IReadOnlyList<ExportedTable> Tables)
{
    public int Features => Tables.Sum(t => t.Features);
}

/// <summary>Reads layers from a store and writes them as GeoPackage, GeoJSON or CSV.</summary>
public static class DatasetExporter
{
    public static async Task<ExportResult> ExportAsync(ExportRequest request, ISpatialStore store, CancellationToken cancellationToken = default)
    {
        var tables = await LoadAsync(store, request, cancellationToken);
        return Write(request, tables);
    }

    /// <summary>The tables of the request, read from the store.</summary>
    public static async Task<IReadOnlyList<ExportTable>> LoadAsync(ISpatialStore store, ExportRequest request, CancellationToken ct)
    {
        var layers = request.Layer is { } l ? [l]
            : request.Format == ExportFormat.GeoPackage && request.Level is null ? Enum.GetValues<ExportLayer>()
            : [ExportLayer.Units];
        var tables = new List<ExportTable>();
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case ExportLayer.Units:
                    var units = await store.QueryUnitsAsync(new UnitQuery(Level: request.Level), ct);
                    var unitTables = ExportTable.FromUnits(units);
                    tables.AddRange(unitTables.Count > 0 || request.Layer is null && layers.Length > 1 ? unitTables
                        : [ExportTable.UnitTable(ExportTable.UnitTableName(request.Level ?? AdminLevel.Province), [])]);
                    break;
                case ExportLayer.Fibre:
                    tables.Add(ExportTable.FromFibre(await store.QueryFibreRoutesAsync(FeatureQuery.All, ct)));
                    break;
                case ExportLayer.Towers:
                    tables.Add(ExportTable.FromTowers(await store.QueryTowersAsync(FeatureQuery.All, ct)));
                    break;
                case ExportLayer.Facilities:
                    tables.Add(ExportTable.FromFacilities(await store.QueryFacilitiesAsync(FeatureQuery.All, ct)));
                    break;
                default:
                    tables.Add(ExportTable.FromPopulationCells(await store.QueryPopulationCellsAsync(FeatureQuery.All, ct)));
                    break;
            }
        }
        // A full GeoPackage holds the layers that have data; a layer asked for by name is written even when empty.
        if (request.Layer is null && layers.Length > 1 && tables.Any(t => t.Rows.Count > 0))
            tables.RemoveAll(t => t.Rows.Count == 0);
        return tables;
    }

    /// <summary>Writes tables that are already built (e.g. from a <see cref="DatasetChange"/>) without a store.</summary>
    public static ExportResult Write(ExportRequest request, IReadOnlyList<ExportTable> tables)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(request.OutputPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        switch (request.Format)
        {
            case ExportFormat.GeoPackage:
                GeoPackageExporter.Write(request.OutputPath, tables);
                break;
            default:
                var temp = request.OutputPath + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
                try
                {
                    using (var stream = File.Create(temp))
                    {
                        if (request.Format == ExportFormat.GeoJson) GeoJsonExporter.Write(stream, tables);
                        else CsvExporter.Write(stream, tables);
                    }
                    File.Move(temp, request.OutputPath, overwrite: true);
                }
                finally
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
                break;
        }
        return new ExportResult(request.OutputPath, request.Format, tables.Select(t => new ExportedTable(t.Name, t.Rows.Count)).ToList());
    }

    /// <summary>Tables for the records of a change set, e.g. to export what a dry run would import.</summary>
    public static IReadOnlyList<ExportTable> TablesOf(DatasetChange change)
    {
        var tables = new List<ExportTable>(ExportTable.FromUnits(change.Units));
        if (change.FibreRoutes.Count > 0) tables.Add(ExportTable.FromFibre(change.FibreRoutes));
        if (change.Towers.Count > 0) tables.Add(ExportTable.FromTowers(change.Towers));
        if (change.Facilities.Count > 0) tables.Add(ExportTable.FromFacilities(change.Facilities));
        if (change.PopulationCells.Count > 0) tables.Add(ExportTable.FromPopulationCells(change.PopulationCells));
        return tables;
    }
}
