using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// Imports a questionnaire CSV into a store's assessment repository: reads and checks it with
/// <see cref="QuestionnaireCsv"/>, checks that every code is a unit of the store, and writes the rows only when
/// there is no problem at all. Stateless and thread-safe.
/// </summary>
public static class QuestionnaireImporter
{
    /// <param name="text">the CSV text</param>
    /// <param name="source">the file name: in messages, and recorded as the provenance of the import</param>
    /// <param name="dryRun">check everything, write nothing</param>
    public static async Task<QuestionnaireImportReport> ImportAsync(
        string text, string source, ISpatialStore store, IAssessmentRepository repository, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(repository);
        var read = await ValidateAsync(text, source, [store], cancellationToken);
        if (read.HasProblems || dryRun) return new QuestionnaireImportReport(source, read.Rows.Count, read.Problems, null, dryRun);
        var summary = await repository.ImportQuestionnaireAsync(read.Rows, source, cancellationToken);
        return new QuestionnaireImportReport(source, read.Rows.Count, [], summary, DryRun: false);
    }

    /// <summary>
    /// <see cref="QuestionnaireCsv.Read"/> plus a problem for every row whose code is a unit of none of
    /// <paramref name="unitStores"/> ("unknown unit 99.99").
    /// </summary>
    public static async Task<QuestionnaireReadResult> ValidateAsync(
        string text, string source, IReadOnlyList<ISpatialStore> unitStores, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unitStores);
        var read = QuestionnaireCsv.Read(text, source);
        var missing = read.Rows.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var store in unitStores)
        {
            if (missing.Count == 0) break;
            missing.ExceptWith(await store.ExistingUnitCodesAsync(missing, cancellationToken));
        }
        if (missing.Count == 0) return read;

        var problems = read.Problems.Select(p => (p.Line ?? 0, p)).ToList();
        for (var i = 0; i < read.Rows.Count; i++)
        {
            var row = read.Rows[i];
            if (!missing.Contains(row.Code)) continue;
            var line = i < read.Lines.Count ? read.Lines[i] : (int?)null;
            problems.Add((line ?? 0, new QuestionnaireProblem(line, row.Code, QuestionnaireSchema.CodeColumn, $"unknown unit {row.Code}: the store has no unit with this code")));
        }
        return new QuestionnaireReadResult(read.Rows, problems.OrderBy(p => p.Item1).Select(p => p.p).ToList()) { Lines = read.Lines };
    }
}
