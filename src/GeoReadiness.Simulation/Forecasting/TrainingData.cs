using System.Security.Cryptography;
using System.Text;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// The columns of a training table: the unit and round, every indicator of a profile (raw values, named by indicator
/// id), the infrastructure values (named as <see cref="IndicatorValues.Descriptions"/>), the assessed score and
/// whether the unit was selected for the mentoring cohort in that round.
/// </summary>
public sealed record TrainingSchema
{
    public const string CodeColumn = "code";
    public const string YearColumn = "year";
    public const string ScoreColumn = "assessed_score";
    public const string SelectedColumn = "selected";

    /// <summary>The infrastructure values a training table carries by default.</summary>
    public static IReadOnlyList<string> DefaultInfrastructure { get; } = ["fibre_km_existing", "towers_total", "share_5g_pct"];

    public TrainingSchema(string profileId, string profileVersion, IReadOnlyList<string> indicators, IReadOnlyList<string> infrastructure)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(infrastructure);
        var unknown = infrastructure.Where(n => !IndicatorValues.Descriptions.ContainsKey(n)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"unknown infrastructure value(s) {string.Join(", ", unknown)} (known: {string.Join(", ", IndicatorValues.Descriptions.Keys.Order(StringComparer.Ordinal))})", nameof(infrastructure));
        ProfileId = profileId;
        ProfileVersion = profileVersion;
        Indicators = indicators.ToArray();
        Infrastructure = infrastructure.ToArray();
        Columns = [CodeColumn, YearColumn, .. Indicators, .. Infrastructure, ScoreColumn, SelectedColumn];
        var repeated = Columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
            throw new ArgumentException($"column name(s) used twice: {string.Join(", ", repeated)}");
    }

    /// <summary>The schema of a profile's indicators with the <see cref="DefaultInfrastructure"/> values.</summary>
    public static TrainingSchema For(AssessmentProfile profile, IReadOnlyList<string>? infrastructure = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new TrainingSchema(profile.Id, profile.Version, profile.Indicators.Select(i => i.Id).ToArray(), infrastructure ?? DefaultInfrastructure);
    }

    /// <summary>The profile whose indicator ids name <see cref="Indicators"/>.</summary>
    public string ProfileId { get; }

    public string ProfileVersion { get; }

    /// <summary>The profile's indicator ids, in profile order.</summary>
    public IReadOnlyList<string> Indicators { get; }

    public IReadOnlyList<string> Infrastructure { get; }

    /// <summary>Every column in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    public bool Equals(TrainingSchema? other) =>
        other is not null && ProfileId == other.ProfileId && ProfileVersion == other.ProfileVersion && Columns.SequenceEqual(other.Columns);

    public override int GetHashCode() => HashCode.Combine(ProfileId, ProfileVersion, string.Join(",", Columns));
}

/// <summary>One unit in one assessment round.</summary>
/// <param name="Indicators">raw values in <see cref="TrainingSchema.Indicators"/> order; null when unknown</param>
/// <param name="Infrastructure">values in <see cref="TrainingSchema.Infrastructure"/> order; null when unknown</param>
/// <param name="AssessedScore">the panel's score 0–100; null when the unit was not assessed that round</param>
/// <param name="Selected">chosen for the round's mentoring cohort</param>
public sealed record TrainingRow(
    string Code,
    int Year,
    IReadOnlyList<double?> Indicators,
    IReadOnlyList<double?> Infrastructure,
    double? AssessedScore,
    bool Selected);

/// <summary>
/// A validated training table: unique (code, year), at least <see cref="MinimumRounds"/> rounds, rows ordered by
/// year then code. Immutable.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Rounds needed to learn the next round with a time split: pairs of rounds to train on, the latest pair to test.</summary>
    public const int MinimumRounds = 3;

    private readonly Lazy<string> _sha256;

    private TrainingData(TrainingSchema schema, TrainingRow[] rows)
    {
        Schema = schema;
        Rows = rows;
        Rounds = rows.Select(r => r.Year).Distinct().Order().ToArray();
        _sha256 = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TrainingCsv.Write(this)))));
    }

    public TrainingSchema Schema { get; }

    /// <summary>Ordered by year, then code (ordinal).</summary>
    public IReadOnlyList<TrainingRow> Rows { get; }

    /// <summary>The distinct years, ascending.</summary>
    public IReadOnlyList<int> Rounds { get; }

    /// <summary>Lowercase hex SHA-256 of the table as <see cref="TrainingCsv.Write"/> writes it (so independent of the input's formatting and order).</summary>
    public string Sha256 => _sha256.Value;

    /// <summary>Checks rows against a schema: every problem is listed (line numbers are 1-based row positions + 1, as in a CSV with a header).</summary>
    public static TrainingReadResult TryCreate(TrainingSchema schema, IEnumerable<TrainingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        var problems = new List<TrainingProblem>();
        var seen = new Dictionary<(string, int), int>();
        for (var i = 0; i < list.Count; i++)
        {
            var row = list[i];
            var line = i + 2;
            if (row.Indicators.Count != schema.Indicators.Count)
                problems.Add(new(line, row.Code, null, $"{row.Indicators.Count} indicator value(s), the schema has {schema.Indicators.Count}"));
            if (row.Infrastructure.Count != schema.Infrastructure.Count)
                problems.Add(new(line, row.Code, null, $"{row.Infrastructure.Count} infrastructure value(s), the schema has {schema.Infrastructure.Count}"));
            CheckRow(line, row, problems);
            if (seen.TryGetValue((row.Code, row.Year), out var first))
                problems.Add(new(line, row.Code, null, $"duplicate row for code {row.Code}, year {row.Year} (first on line {first})"));
            else seen[(row.Code, row.Year)] = line;
        }
        CheckRounds(list.Select(r => r.Year), problems);
        return problems.Count > 0
            ? new TrainingReadResult(null, problems)
            : new TrainingReadResult(new TrainingData(schema, list.OrderBy(r => r.Year).ThenBy(r => r.Code, StringComparer.Ordinal).ToArray()), []);
    }

    /// <exception cref="TrainingDataException">the rows do not validate</exception>
    public static TrainingData Create(TrainingSchema schema, IEnumerable<TrainingRow> rows)
    {
        var result = TryCreate(schema, rows);
        return result.Data ?? throw new TrainingDataException(result.Problems);
    }

    /// <summary>The checks of one row's own values (code, year, score): shared by <see cref="TrainingCsv"/> and <see cref="TryCreate"/>.</summary>
    internal static void CheckRow(int line, TrainingRow row, List<TrainingProblem> problems)
    {
        if (!Spatial.Model.KemendagriCode.IsValid(row.Code))
            problems.Add(new(line, row.Code, TrainingSchema.CodeColumn, $"'{row.Code}' is not a Kemendagri code (expected e.g. 14.72)"));
        if (row.Year is < 2000 or > 2100)
            problems.Add(new(line, row.Code, TrainingSchema.YearColumn, $"year {row.Year} is outside 2000–2100"));
        if (row.AssessedScore is { } s && (s < 0 || s > 100 || !double.IsFinite(s)))
            problems.Add(new(line, row.Code, TrainingSchema.ScoreColumn, $"{s} is not a score 0–100"));
    }

    internal static void CheckRounds(IEnumerable<int> years, List<TrainingProblem> problems)
    {
        var rounds = years.Distinct().Order().ToArray();
        if (rounds.Length < MinimumRounds)
            problems.Add(new(null, null, TrainingSchema.YearColumn,
                $"the data has {rounds.Length} round(s)" + (rounds.Length > 0 ? $" ({string.Join(", ", rounds)})" : "") +
                $"; forecasting the next round with a time split needs at least {MinimumRounds}: consecutive rounds to train on and the latest pair to test"));
    }
}

/// <summary>A problem of a training table; <see cref="Line"/> is the CSV line (null for the table as a whole).</summary>
public sealed record TrainingProblem(int? Line, string? Code, string? Column, string Message)
{
    public override string ToString()
    {
        var where = new List<string>();
        if (Line is { } l) where.Add($"line {l}");
        if (Code is { Length: > 0 } c) where.Add($"code {c}");
        if (Column is { } col) where.Add($"column {col}");
        return where.Count == 0 ? Message : $"{string.Join(", ", where)}: {Message}";
    }
}

/// <summary>The data when valid (no problems), else null and every problem found.</summary>
public sealed record TrainingReadResult(TrainingData? Data, IReadOnlyList<TrainingProblem> Problems);

/// <summary>A training table that does not validate; the message lists every problem.</summary>
public sealed class TrainingDataException : Exception
{
    public TrainingDataException(IReadOnlyList<TrainingProblem> problems)
        : base("invalid training data:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public TrainingDataException() : this([]) { }

    public TrainingDataException(string message) : base(message) => Problems = [];

    public TrainingDataException(string message, Exception inner) : base(message, inner) => Problems = [];

    public IReadOnlyList<TrainingProblem> Problems { get; }
}
