using System.Text.Json;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios.Storage;

namespace GeoReadiness.Api.Scenarios;

/// <summary>A saved scenario version.</summary>
/// <param name="Status">saved (new), unchanged (the same document was saved already)</param>
public sealed record ScenarioVersionResponse(string Id, string Version, string? Title, string Sha256, DateTimeOffset SavedAt, string Status)
{
    internal static ScenarioVersionResponse From(StoredScenario s, DocumentSaveStatus status) =>
        new(s.Id, s.Version, s.Title, s.Sha256, s.SavedAt, status.ToString().ToLowerInvariant());
}

/// <summary>A scenario as listed: its latest version and every version saved.</summary>
public sealed record ScenarioListItem(string Id, string LatestVersion, string? Title, IReadOnlyList<string> Versions, DateTimeOffset LatestSavedAt)
{
    internal static ScenarioListItem From(ScenarioSummary s) => new(s.Id, s.LatestVersion, s.Title, s.Versions, s.LatestSavedAt);
}

public sealed record ScenarioList(IReadOnlyList<ScenarioListItem> Items);

/// <summary>How far a run is.</summary>
/// <param name="Draws">draws combined so far</param>
/// <param name="Percent">0–100 (towards the rule's minimum draws; 100 once succeeded)</param>
public sealed record RunProgressResponse(int Draws, double Percent);

/// <summary>Where a run's numbers come from (the seed at once; the rest once the run is prepared).</summary>
public sealed record RunProvenanceResponse(
    ulong Seed, string ScenarioSha256, string? ProfileId, string? ProfileVersion, string? DataVersion, string? QuestionnaireVersion, string? FootprintHash,
    string? Scoring = null, string? ModelVersion = null)
{
    internal static RunProvenanceResponse? From(RunProvenanceRecord? p) =>
        p is null ? null : new(p.Seed, p.ScenarioSha256, p.ProfileId, p.ProfileVersion, p.DataVersion, p.QuestionnaireVersion, p.FootprintHash,
            p.Scoring, p.ModelVersion);
}

/// <summary>A run: what was asked, where it stands, and (GET /api/runs/{id} of a succeeded run) its results.</summary>
/// <param name="Request">the request's parameters as posted (seed, draws, topK, version)</param>
/// <param name="State">pending, running, succeeded, failed or cancelled</param>
/// <param name="Stage">what the run does now, or how it ended</param>
/// <param name="Error">why the run failed</param>
/// <param name="Results">the Monte-Carlo results (docs/scenarios.md, "ScenarioRun as JSON"); only in GET /api/runs/{id} once succeeded</param>
public sealed record RunResponse(
    Guid Id,
    string Kind,
    string ScenarioId,
    string ScenarioVersion,
    JsonElement Request,
    RunState State,
    RunProgressResponse Progress,
    string? Stage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    RunProvenanceResponse? Provenance,
    JsonElement? Results)
{
    internal static RunResponse From(RunRecord r) => new(
        r.Id, r.Kind, r.ScenarioId, r.ScenarioVersion, Parse(r.Request)!.Value, r.State, new RunProgressResponse(r.DrawsDone, r.Percent), r.Stage,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.Error, RunProvenanceResponse.From(r.Provenance), Parse(r.Result));

    private static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

public sealed record RunList(IReadOnlyList<RunResponse> Items, int Limit);

/// <summary>One unit's results of a run, per result year (each as in the run's <c>units</c>).</summary>
public sealed record RunUnitResults(Guid RunId, string Code, string Name, IReadOnlyList<UnitYearResult> Years);
