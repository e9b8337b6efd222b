using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Datasets;

/// <summary>The outcome of loading a dataset folder: one report per file and the store's change summary.</summary>
/// <param name="Changes">null when nothing was written (an error in some file)</param>
public sealed record DatasetLoadResult(IReadOnlyList<ImportReport> Reports, ChangeSummary? Changes)
{
    public bool Succeeded => Changes is not null;
}

/// <summary>
/// Loads every file a <see cref="DatasetManifest"/> lists into a store, as ONE all-or-nothing change.
/// </summary>
/// <remarks>
/// Files depend on each other (nagari need their kecamatan; an attribute table needs its units), so each file
/// is first imported, in manifest order, into a private staging store in a temporary folder. Only when every
/// file imported cleanly is the staged whole applied to the target store with a single
/// <see cref="ISpatialStore.ApplyAsync"/>; if any file fails, the target is never touched. A dataset is
/// therefore self-contained: every parent its units name is in one of its files (to add units below what a
/// store already holds, import the file on its own).
/// Stateless and thread-safe.
/// </remarks>
public sealed class DatasetLoader(DatasetImporter importer)
{
    public DatasetLoader() : this(new DatasetImporter()) { }

    public async Task<DatasetLoadResult> LoadAsync(DatasetManifest manifest, ISpatialStore target, CancellationToken cancellationToken = default)
    {
        var stagingDir = Path.Combine(Path.GetTempPath(), "georeadiness-staging-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var staging = await EmbeddedStore.OpenAsync(stagingDir, cancellationToken: cancellationToken);
            var reports = new List<ImportReport>();
            foreach (var file in manifest.Files)
            {
                ImportLayers.TryParse(file.Layer, out var layer);
                var request = new ImportRequest(manifest.PathOf(file), layer)
                {
                    Mapping = file.Mapping is { Count: > 0 } m ? FieldMapping.Parse(m) : FieldMapping.Default,
                };
                var report = await importer.ImportAsync(request, staging, cancellationToken);
                reports.Add(report);
                if (report.HasErrors) return new DatasetLoadResult(reports, null);
            }

            var change = new DatasetChange
            {
                Source = manifest.Name is { Length: > 0 } n ? $"dataset {n}" : $"dataset {manifest.Directory}",
                Units = await staging.QueryUnitsAsync(new UnitQuery(), cancellationToken),
                FibreRoutes = await staging.QueryFibreRoutesAsync(FeatureQuery.All, cancellationToken),
                Towers = await staging.QueryTowersAsync(FeatureQuery.All, cancellationToken),
                Facilities = await staging.QueryFacilitiesAsync(FeatureQuery.All, cancellationToken),
                PopulationCells = await staging.QueryPopulationCellsAsync(FeatureQuery.All, cancellationToken),
            };
            var summary = await target.ApplyAsync(change, cancellationToken);
            return new DatasetLoadResult(reports, summary);
        }
        finally
        {
            if (Directory.Exists(stagingDir)) Directory.Delete(stagingDir, recursive: true);
        }
    }
}
