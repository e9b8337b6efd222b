using GeoReadiness.Spatial.Model;
using System.Text.RegularExpressions;

namespace GeoReadiness.Spatial.Scenarios.Storage;

/// <summary>A saved scenario document: the exact text as posted, stamped with its SHA-256. Never overwritten.</summary>
/// <param name="Id">the document's id: a lowercase slug (<c>[a-z0-9]+(-[a-z0-9]+)*</c>)</param>
/// <param name="Title">the document's title, when it has one</param>
/// <param name="Sha256">lowercase hex SHA-256 of the UTF-8 text (the scenario's own hash, see Scenario.Sha256)</param>
public sealed record StoredScenario(string Id, string Version, string? Title, string Json, string Sha256, DateTimeOffset SavedAt)
{
    /// <summary>A document stamped with the hash of its text.</summary>
    public static StoredScenario Create(string id, string version, string? title, string json, DateTimeOffset savedAt) =>
        new(id, version, title, json, HashOf(json), savedAt);

    public static string HashOf(string json) => Model.DocumentHash.Of(json);
}

/// <param name="Stored">the document now stored under the id and version (for a conflict: the one that was there)</param>
public sealed record ScenarioSaveOutcome(DocumentSaveStatus Status, StoredScenario Stored);

/// <summary>One scenario id as listed.</summary>
/// <param name="LatestVersion">the highest version (<see cref="Model.DocumentVersions"/>)</param>
/// <param name="Title">the latest version's title</param>
/// <param name="Versions">every stored version, lowest first</param>
public sealed record ScenarioSummary(string Id, string LatestVersion, string? Title, IReadOnlyList<string> Versions, DateTimeOffset LatestSavedAt);

/// <summary>Where a run stands. A run moves pending → running → succeeded | failed | cancelled; the last three are final.</summary>
public enum RunState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>What a run's numbers come from, filled in as the run learns it (the seed at once, the rest once prepared).</summary>
/// <param name="Seed">the root seed drawn with (the request's, else the document's)</param>
/// <param name="ScenarioSha256">the hash of the scenario document run</param>
/// <param name="DataVersion">the store's data version of the footprint (null until prepared)</param>
/// <param name="QuestionnaireVersion">the questionnaire version of the answers used (null until prepared)</param>
/// <param name="FootprintHash">the content hash of the footprint (null until prepared)</param>
/// <param name="Scoring">"ml" when the run scores with a forecast model (its version in <paramref name="ModelVersion"/>);
/// null for the profile's scores</param>
public sealed record RunProvenanceRecord(
    ulong Seed,
    string ScenarioSha256,
    string? ProfileId = null,
    string? ProfileVersion = null,
    string? DataVersion = null,
    string? QuestionnaireVersion = null,
    string? FootprintHash = null,
    string? Scoring = null,
    string? ModelVersion = null);

/// <summary>
/// A run of a job, the truth about it: what was asked, where it stands, and its result once it succeeded. Designed
/// for every kind of job (<see cref="Kind"/>); scenario runs are the first. Immutable: an update stores a new record.
/// </summary>
/// <param name="Kind">the job kind, e.g. <see cref="ScenarioKind"/></param>
/// <param name="Request">the request's parameters as a JSON object (e.g. seed, draws, topK), <c>{}</c> for none</param>
/// <param name="DrawsDone">draws combined so far</param>
/// <param name="Percent">0–100: how far the run is (100 once it succeeded)</param>
/// <param name="Stage">what the run does now, or how it ended, in words</param>
/// <param name="Error">why the run failed or was cancelled, in words</param>
/// <param name="Result">the result's JSON (for scenarios <c>ScenarioRun.ToJson()</c>) once the run succeeded; left out of lists</param>
public sealed record RunRecord(
    Guid Id,
    string Kind,
    string ScenarioId,
    string ScenarioVersion,
    string Request,
    RunState State,
    int DrawsDone,
    double Percent,
    string? Stage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    RunProvenanceRecord? Provenance,
    string? Result)
{
    /// <summary>The kind of a scenario's Monte-Carlo run.</summary>
    public const string ScenarioKind = "scenario";

    /// <summary>A new pending run created now.</summary>
    public static RunRecord NewPending(string kind, string scenarioId, string scenarioVersion, string request, RunProvenanceRecord? provenance, DateTimeOffset createdAt) =>
        new(Guid.NewGuid(), kind, scenarioId, scenarioVersion, request, RunState.Pending, 0, 0, "queued", createdAt, null, null, null, provenance, null);

    /// <summary>Succeeded, failed or cancelled: the record changes no more.</summary>
    public bool IsFinal => State is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
}

/// <summary>Which runs to list; null fields do not filter.</summary>
/// <param name="Limit">the most recent runs first, at most this many</param>
public sealed record RunQuery(string? ScenarioId = null, RunState? State = null, int Limit = 100);

/// <summary>The checks every <see cref="IScenarioRepository"/> makes before it writes.</summary>
public static partial class ScenarioStorageChecks
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    public static bool IsId(string? id) => id is { Length: > 0 and <= 200 } && Slug().IsMatch(id);

    internal static void Check(StoredScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (!IsId(scenario.Id)) throw new ArgumentException($"scenario id '{scenario.Id}' is not a lowercase slug", nameof(scenario));
        ArgumentException.ThrowIfNullOrWhiteSpace(scenario.Version);
        ArgumentNullException.ThrowIfNull(scenario.Json);
        if (!string.Equals(StoredScenario.HashOf(scenario.Json), scenario.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"scenario {scenario.Id} {scenario.Version}: Sha256 is not the SHA-256 of its text", nameof(scenario));
    }

    internal static StoredScenario Normalised(StoredScenario scenario) =>
        scenario with { Sha256 = scenario.Sha256.ToLowerInvariant(), SavedAt = Microseconds(scenario.SavedAt) };

    /// <summary>UTC, cut to whole microseconds: what PostgreSQL keeps, so that both stores give back the same instant.</summary>
    internal static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    internal static void Check(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Id == Guid.Empty) throw new ArgumentException("a run needs an id", nameof(run));
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.ScenarioId);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.ScenarioVersion);
        ArgumentNullException.ThrowIfNull(run.Request);
        if (run.Percent is < 0 or > 100 || double.IsNaN(run.Percent)) throw new ArgumentException($"percent must be 0–100, not {run.Percent}", nameof(run));
        if (run.DrawsDone < 0) throw new ArgumentException($"draws done must not be negative, not {run.DrawsDone}", nameof(run));
        if (run.Result is not null && run.State != RunState.Succeeded)
            throw new ArgumentException($"only a succeeded run has a result (run {run.Id} is {run.State})", nameof(run));
    }

    internal static RunRecord Normalised(RunRecord run) => run with
    {
        CreatedAt = Microseconds(run.CreatedAt),
        StartedAt = run.StartedAt is { } started ? Microseconds(started) : null,
        FinishedAt = run.FinishedAt is { } finished ? Microseconds(finished) : null,
    };

    /// <summary>Why <paramref name="stored"/> may not be replaced, or null when it may.</summary>
    internal static string? RefusesUpdate(RunRecord stored) =>
        stored.IsFinal ? $"run {stored.Id} is {stored.State.ToString().ToLowerInvariant()}: a finished run is never changed" : null;

    internal static IEnumerable<RunRecord> Select(IEnumerable<RunRecord> runs, RunQuery query) => runs
        .Where(r => query.ScenarioId is null || r.ScenarioId == query.ScenarioId)
        .Where(r => query.State is null || r.State == query.State)
        .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id.ToString("N"), StringComparer.Ordinal)
        .Take(query.Limit)
        .Select(r => r with { Result = null });

    internal static IReadOnlyList<ScenarioSummary> Summaries(IEnumerable<StoredScenario> scenarios) => scenarios
        .GroupBy(s => s.Id, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g =>
        {
            var versions = g.OrderBy(s => s.Version, Model.DocumentVersions.Comparer).ToList();
            var latest = versions[^1];
            return new ScenarioSummary(g.Key, latest.Version, latest.Title, versions.Select(v => v.Version).ToList(), latest.SavedAt);
        })
        .ToList();

    /// <summary>The given version, or the highest when <paramref name="version"/> is null.</summary>
    internal static StoredScenario? Pick(IEnumerable<StoredScenario> versions, string? version) => version is null
        ? versions.OrderBy(s => s.Version, Model.DocumentVersions.Comparer).LastOrDefault()
        : versions.FirstOrDefault(s => s.Version == version);
}
