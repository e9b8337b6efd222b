using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>One problem of a questionnaire file: where it is (line, unit code, field) and what is wrong.</summary>
/// <param name="Line">1-based line of the file the row starts on; null for problems of the whole file</param>
/// <param name="Code">the unit code of the row, when known</param>
/// <param name="Field">the column the problem is about, when it is about one</param>
public sealed record QuestionnaireProblem(int? Line, string? Code, string? Field, string Message)
{
    /// <summary>"FILE:LINE: kode 14.72, field ict_staff: message" (the parts that are known).</summary>
    public string Format(string file)
    {
        var where = new List<string>();
        if (Code is { Length: > 0 }) where.Add($"kode {Code}");
        if (Field is { Length: > 0 }) where.Add($"field {Field}");
        var at = Line is { } l ? $"{file}:{l}" : file;
        return where.Count > 0 ? $"{at}: {string.Join(", ", where)}: {Message}" : $"{at}: {Message}";
    }

    public override string ToString() => Format("line " + (Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"));
}

/// <summary>What <see cref="QuestionnaireCsv.Read"/> found: the valid rows and every problem.</summary>
/// <param name="Rows">the rows without problems, in file order</param>
/// <param name="Problems">every problem, in file order; the file is only importable when this is empty</param>
public sealed record QuestionnaireReadResult(IReadOnlyList<QuestionnaireRow> Rows, IReadOnlyList<QuestionnaireProblem> Problems)
{
    /// <summary>The 1-based file line of each of <see cref="Rows"/> (same order), for problems found later.</summary>
    public IReadOnlyList<int> Lines { get; init; } = [];

    public bool HasProblems => Problems.Count > 0;
}

/// <summary>What an import did to the stored questionnaire.</summary>
/// <param name="Inserted">rows for a (code, year) not stored before</param>
/// <param name="Replaced">rows whose stored answers differed and were replaced</param>
/// <param name="Unchanged">rows equal to the stored ones</param>
/// <param name="Version">the questionnaire version after the import</param>
public sealed record QuestionnaireImportSummary(int Inserted, int Replaced, int Unchanged, long Version)
{
    public bool ChangedAnything => Inserted + Replaced > 0;
}

/// <summary>The stored questionnaire: every row with the provenance readiness results record.</summary>
/// <param name="Rows">ordered by code (ordinal), then year</param>
/// <param name="Version">increases by one with every import that changed something; 0 when nothing was ever stored</param>
/// <param name="ImportedAt">when the last changing import happened (UTC); null when empty</param>
/// <param name="Source">what the last changing import came from (a file name, a dataset); null when empty</param>
public sealed record QuestionnaireSnapshot(IReadOnlyList<QuestionnaireRow> Rows, long Version, DateTimeOffset? ImportedAt, string? Source)
{
    public static QuestionnaireSnapshot Empty { get; } = new([], 0, null, null);

    /// <summary>The row of this unit and year, or null.</summary>
    public QuestionnaireRow? Find(string code, int year) => Rows.FirstOrDefault(r => r.Code == code && r.Year == year);
}

/// <summary>An assessment profile document kept as opaque text; (<see cref="Id"/>, <see cref="Version"/>) is unique.</summary>
/// <param name="Json">the document exactly as saved; the simulation library validates it, the repository does not</param>
/// <param name="Sha256">lower-case hex SHA-256 of <see cref="Json"/> in UTF-8 (checked on save)</param>
public sealed record StoredProfile(string Id, string Version, string Json, string Sha256, DateTimeOffset SavedAt)
{
    /// <summary>A profile stamped with the hash of its text.</summary>
    public static StoredProfile Create(string id, string version, string json, DateTimeOffset savedAt) =>
        new(id, version, json, HashOf(json), savedAt);

    public static string HashOf(string json) => Model.DocumentHash.Of(json);
}

/// <param name="Stored">the profile held under the id and version after the call (for a conflict: the existing one)</param>
public sealed record ProfileSaveOutcome(DocumentSaveStatus Status, StoredProfile Stored);

/// <summary>The outcome of <see cref="QuestionnaireImporter.ImportAsync"/>.</summary>
/// <param name="Rows">valid rows read</param>
/// <param name="Summary">what the store did; null when nothing was written (a problem, or a dry run)</param>
public sealed record QuestionnaireImportReport(string Source, int Rows, IReadOnlyList<QuestionnaireProblem> Problems, QuestionnaireImportSummary? Summary, bool DryRun)
{
    public bool Succeeded => Problems.Count == 0;
}
