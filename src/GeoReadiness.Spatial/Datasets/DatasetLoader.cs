using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Datasets;

/// <summary>The outcome of loading a dataset folder: one report per file and the store's change summary.</summary>
/// <param name="Reports">one per spatial (import-layer) file, in manifest order, up to the first that failed</param>
/// <param name="Changes">null when nothing was written (an error in some file)</param>
public sealed record DatasetLoadResult(IReadOnlyList<ImportReport> Reports, ChangeSummary? Changes)
{
    /// <summary>One per questionnaire file (layer <c>questionnaire</c>), in manifest order; checked only when every spatial file imported.</summary>
    public IReadOnlyList<QuestionnaireImportReport> Questionnaires { get; init; } = [];

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
/// Questionnaire files (layer <c>questionnaire</c>) are checked after the spatial files are staged — their codes
/// must be units of the dataset or of the target — and, like them, before anything is written; they are written
/// to the target's assessment repository after its spatial change succeeded.
/// Stateless and thread-safe.
/// </remarks>
public sealed class DatasetLoader(DatasetImporter importer)
{
    public DatasetLoader() : this(new DatasetImporter()) { }

    /// <param name="assessment">where questionnaire files go; by default <see cref="AssessmentRepositories.For"/> the target</param>
    public async Task<DatasetLoadResult> LoadAsync(DatasetManifest manifest, ISpatialStore target, CancellationToken cancellationToken = default,
        IAssessmentRepository? assessment = null)
    {
        var stagingDir = Path.Combine(Path.GetTempPath(), "georeadiness-staging-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var staging = await EmbeddedStore.OpenAsync(stagingDir, cancellationToken: cancellationToken);
            var reports = new List<ImportReport>();
            var questionnaires = new List<(string Source, string? Text, string? Error)>();
            foreach (var file in manifest.Files)
            {
                if (DatasetManifest.IsQuestionnaire(file))
                {
                    var (text, error) = ReadText(manifest.PathOf(file));
                    questionnaires.Add((SourceOf(manifest, file), text, error));
                    continue;
                }
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
            var checkedQuestionnaires = new List<(string Source, QuestionnaireReadResult Read)>();
            foreach (var (source, text, error) in questionnaires)
            {
                checkedQuestionnaires.Add((source, text is null
                    ? new QuestionnaireReadResult([], [new QuestionnaireProblem(null, null, null, error ?? "cannot be read")])
                    : await QuestionnaireImporter.ValidateAsync(text, source, [staging, target], cancellationToken)));
            }
            if (checkedQuestionnaires.Any(q => q.Read.HasProblems))
            {
                return new DatasetLoadResult(reports, null)
                {
                    Questionnaires = checkedQuestionnaires.Select(q => new QuestionnaireImportReport(q.Source, q.Read.Rows.Count, q.Read.Problems, null, DryRun: false)).ToList(),
                };
            }

            var summary = await target.ApplyAsync(change, cancellationToken);
            var written = new List<QuestionnaireImportReport>();
            if (checkedQuestionnaires.Count > 0)
            {
                assessment ??= AssessmentRepositories.For(target);
                foreach (var (source, read) in checkedQuestionnaires)
                {
                    var imported = await assessment.ImportQuestionnaireAsync(read.Rows, source, cancellationToken);
                    written.Add(new QuestionnaireImportReport(source, read.Rows.Count, [], imported, DryRun: false));
                }
            }
            return new DatasetLoadResult(reports, summary) { Questionnaires = written };
        }
        finally
        {
            if (Directory.Exists(stagingDir)) Directory.Delete(stagingDir, recursive: true);
        }
    }

    /// <summary>The provenance recorded with a questionnaire: the dataset's name and the file's path in it.</summary>
    private static string SourceOf(DatasetManifest manifest, ManifestFile file) =>
        manifest.Name is { Length: > 0 } n ? $"{n}/{file.Path}" : file.Path;

    private static (string? Text, string? Error) ReadText(string path)
    {
        try
        {
            return (File.ReadAllText(path, new System.Text.UTF8Encoding(false, true)), null);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return (null, "is not UTF-8 text; save it as UTF-8");
        }
        catch (IOException e)
        {
            return (null, $"cannot be read: {e.Message}");
        }
    }
}
