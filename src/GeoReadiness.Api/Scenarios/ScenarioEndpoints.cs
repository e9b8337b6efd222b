using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Jobs.Scenarios;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Scenarios.Storage;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Api.Scenarios;

public static class ScenarioEndpoints
{
    /// <summary>Scenario documents are small; anything bigger is a mistake, not a scenario.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    /// <summary>A run request is a handful of numbers.</summary>
    public const int MaxRequestBytes = 16 << 10;

    public const string GeoJsonMediaType = "application/geo+json";

    /// <summary>The path segment of the comparison, which no scenario id may take.</summary>
    private const string CompareSegment = "compare";

    /// <summary>The scenario repository of the store, the run queue, the executor and the worker that drains the queue.</summary>
    public static WebApplicationBuilder AddScenarios(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ScenarioRepositories.For(sp.GetRequiredService<ISpatialStore>()));
        builder.Services.AddSingleton<ScenarioRunQueue>();
        builder.Services.AddSingleton(sp => new ScenarioRunExecutor(
            sp.GetRequiredService<ISpatialStore>(), sp.GetRequiredService<IAssessmentRepository>(), sp.GetRequiredService<IndicatorService>(),
            sp.GetRequiredService<IScenarioRepository>(), TimeProvider.System, sp.GetRequiredService<ILogger<ScenarioRunExecutor>>()));
        builder.Services.AddHostedService<ScenarioRunWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapScenarios(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/scenarios").WithTags("Scenarios");
        group.MapPost("/", SaveScenario)
            .WithName("SaveScenario")
            .WithSummary("Save a scenario document (API key)")
            .WithDescription("The body is a what-if scenario document (application/json; format in docs/scenarios.md, e.g. "
                + "data/scenarios/padang-pariaman-263km.json). It is validated as a whole and checked against the store (the profile exists; "
                + "units, villages, planned routes and towers are in the store; drawn routes and new towers lie inside the units): every "
                + "problem is a 400 `errors` entry keyed by the path of its entry (e.g. `interventions[fibre-nagari].costPerKm`, `units[1]`; "
                + "`$` for the document itself). A new id or version is a 201 with Location /api/scenarios/{id}; the same document again a "
                + "200; the same id and version with other content a 409 — scenarios are never overwritten, give the new document a new version.")
            .Accepts<object>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .RequireApiKey();
        group.MapGet("/", ListScenarios)
            .WithName("ListScenarios")
            .WithSummary("The saved scenarios")
            .WithDescription("Every saved scenario id with its title, its latest version (dotted numbers compare numerically) and all its versions.");
        group.MapGet("/compare", CompareRuns)
            .WithName("CompareRuns")
            .WithSummary("Compare two runs, or a run with its baseline")
            .WithDescription("`a` and `b` are ids of succeeded runs (`b=baseline` or no `b`: A's own baseline, the values without "
                + "interventions). Per unit in both runs and per year: the score, the 4G share, the households within fixed reach, the "
                + "villages on fibre and the cumulative cost, each with A's and B's means, the difference A − B, its standard error "
                + "√(SE_A² + SE_B²) (the runs are independent) and whether |difference| > 2·SE. `format=geojson` (or `Accept: "
                + "application/geo+json`) answers an RFC 7946 FeatureCollection of the compared units' boundaries with one year's "
                + "differences as flat properties, for a map (`year`, default the last). 400 when a run has not succeeded or the runs "
                + "cannot be compared (different years, no unit in common), saying why; 404 for an unknown run.")
            .Produces(StatusCodes.Status200OK, contentType: GeoJsonMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", GetScenario)
            .WithName("GetScenario")
            .WithSummary("One scenario's document")
            .WithDescription("The document exactly as saved (its latest version unless `version` is given), with its version, SHA-256 and "
                + "saved time in the X-Scenario-Version, X-Scenario-Sha256 and X-Scenario-Saved-At headers. 404 for an unknown id or version.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/runs", StartRun)
            .WithName("StartRun")
            .WithSummary("Start a Monte-Carlo run of a saved scenario (API key)")
            .WithDescription("Queues a run of the scenario's latest version (or `version`) on the store's current data and answers 202 with "
                + "the run's record and Location /api/runs/{runId}; poll it until `state` is succeeded (its `results` are then the "
                + "Monte-Carlo distributions per unit and year) or failed (`error` says why). The optional JSON body: `seed` (the root "
                + "seed instead of the document's; the same seed gives identical results), `draws` (exactly that many draws, rounded up "
                + "to whole chunks, instead of the document's sampling rule — as the CLI's --draws; at least 2), `topK` (the K of P(top-K), "
                + "default 1), `version`. A bad field is a 400 naming it; an unknown scenario or version a 404; a scenario with "
                + "\"scoring\": \"ml\" when the model registry has no current model (or not the one it names) a 409.")
            .Accepts<ScenarioRunRequest>("application/json")
            .Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireApiKey();
        return app;
    }

    public static async Task<Results<Created<ScenarioVersionResponse>, Ok<ScenarioVersionResponse>, ProblemHttpResult, ValidationProblem>> SaveScenario(
        HttpRequest request,
        ISpatialStore store,
        IAssessmentRepository assessment,
        IScenarioRepository repository,
        CancellationToken ct)
    {
        var json = await ApiParameters.ReadBodyAsync(request, MaxDocumentBytes, ct);
        if (json is null)
            return ApiParameters.TooLarge("The scenario document", MaxDocumentBytes);
        if (string.IsNullOrWhiteSpace(json))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["the body is empty: send the scenario document as JSON"] });
        var parsed = ScenarioDocuments.TryParse(json);
        if (parsed.Scenario is not { } scenario) return Invalid(parsed.Problems);
        if (scenario.Id == CompareSegment)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"'{CompareSegment}' is reserved (GET /api/scenarios/compare): choose another id"] });
        var profiles = ProfileCatalog.From(await assessment.GetProfilesAsync(ct));
        var problems = await ScenarioPreparation.CheckStoreAsync(scenario, profiles, new StoreScenarioSource(store, IndicatorOptions.Default), ct);
        if (problems.Count > 0) return Invalid(problems);

        var outcome = await repository.SaveScenarioAsync(StoredScenario.Create(scenario.Id, scenario.Version, scenario.Title, json, DateTimeOffset.UtcNow), ct);
        var saved = ScenarioVersionResponse.From(outcome.Stored, outcome.Status);
        return outcome.Status switch
        {
            DocumentSaveStatus.Saved => TypedResults.Created($"/api/scenarios/{scenario.Id}", saved),
            DocumentSaveStatus.Unchanged => TypedResults.Ok(saved),
            _ => TypedResults.Problem(
                $"{scenario.Id} {scenario.Version} exists with other content (saved {outcome.Stored.SavedAt:u}, sha256 {outcome.Stored.Sha256[..12]}…); "
                + "scenarios are never overwritten — give the new document a new version.",
                statusCode: StatusCodes.Status409Conflict, title: "Scenario version exists"),
        };
    }

    private static ValidationProblem Invalid(IReadOnlyList<ProfileProblem> problems) =>
        TypedResults.ValidationProblem(
            ApiParameters.ErrorsByPath(problems),
            detail: $"The scenario is not valid: {problems.Count} problem(s).");

    public static async Task<Ok<ScenarioList>> ListScenarios(IScenarioRepository repository, CancellationToken ct) =>
        TypedResults.Ok(new ScenarioList((await repository.ListScenariosAsync(ct)).Select(ScenarioListItem.From).ToArray()));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetScenario(
        [Description("scenario id, e.g. padang-pariaman-263km")] string id,
        [Description("a version of the scenario (default: the latest)")] string? version,
        HttpResponse response,
        IScenarioRepository repository,
        CancellationToken ct)
    {
        if (await FindAsync(repository, id, version, ct) is not { } stored) return await ScenarioNotFoundAsync(repository, id, version, ct);
        response.Headers["X-Scenario-Version"] = stored.Version;
        response.Headers["X-Scenario-Sha256"] = stored.Sha256;
        response.Headers["X-Scenario-Saved-At"] = stored.SavedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Text(stored.Json, "application/json; charset=utf-8");
    }

    private static Task<StoredScenario?> FindAsync(IScenarioRepository repository, string id, string? version, CancellationToken ct) =>
        ScenarioStorageChecks.IsId(id) ? repository.GetScenarioAsync(id, version, ct) : Task.FromResult<StoredScenario?>(null);

    /// <summary>404 naming what is missing: the scenario, or the version (with the versions there are).</summary>
    private static async Task<ProblemHttpResult> ScenarioNotFoundAsync(IScenarioRepository repository, string id, string? version, CancellationToken ct)
    {
        var known = ScenarioStorageChecks.IsId(id) ? await repository.GetScenarioAsync(id, null, ct) : null;
        var detail = known is null
            ? $"No scenario '{id}' is saved; see GET /api/scenarios, or save it with POST /api/scenarios."
            : $"Scenario '{id}' has no version '{version}'; versions: {string.Join(", ", (await repository.ListScenariosAsync(ct)).Single(s => s.Id == id).Versions)}.";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No such scenario");
    }

    public static async Task<Results<Accepted<RunResponse>, ProblemHttpResult, ValidationProblem>> StartRun(
        [Description("scenario id, e.g. padang-pariaman-263km")] string id,
        HttpRequest request,
        IScenarioRepository repository,
        ScenarioRunQueue queue,
        ISpatialStore store,
        CancellationToken ct)
    {
        var body = await ApiParameters.ReadBodyAsync(request, MaxRequestBytes, ct);
        if (body is null)
            return ApiParameters.TooLarge("A run request", MaxRequestBytes);
        var errors = new Dictionary<string, string[]>();
        if (ScenarioRunRequest.Parse(body, errors) is not { } runRequest) return TypedResults.ValidationProblem(errors, detail: "The run request is not valid.");
        if (await FindAsync(repository, id, runRequest.Version, ct) is not { } stored) return await ScenarioNotFoundAsync(repository, id, runRequest.Version, ct);

        // The seed is known now (the request's, else the document's); the rest of the provenance once the run is prepared.
        var document = ScenarioDocuments.TryParse(stored.Json).Scenario;
        // "scoring": "ml" without the model in the registry would only fail: refused before anything is queued
        if (document is not null && await ScenarioScoringModels.RegistryProblemAsync(document, ForecastModelRepositories.For(store), ct) is { } missing)
            return TypedResults.Problem($"{missing.Path}: {missing.Message}.", statusCode: StatusCodes.Status409Conflict, title: "No forecast model for this scenario");
        var seed = runRequest.Seed ?? document?.Seed;
        var provenance = seed is { } root ? new RunProvenanceRecord(root, stored.Sha256) : null;
        var run = RunRecord.NewPending(RunRecord.ScenarioKind, stored.Id, stored.Version, runRequest.ToJson(), provenance, DateTimeOffset.UtcNow);
        await repository.CreateRunAsync(run, ct);
        queue.Enqueue(run.Id);
        return TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run));
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> CompareRuns(
        HttpRequest request,
        [Description("the id of run A (a succeeded run)")] string? a,
        [Description("the id of run B, or `baseline` (default): A's values without interventions")] string? b,
        [Description("json (default) or geojson; Accept: application/geo+json also selects GeoJSON")] string? format,
        [Description("the year of the GeoJSON map (default: the last compared year)")] int? year,
        IScenarioRepository repository,
        ISpatialStore store,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(a, out var aId)) ApiParameters.AddError(errors, "a", a is null ? "a is required: the id of a run" : $"'{a}' is not a run id");
        var baseline = b is null || b.Equals("baseline", StringComparison.OrdinalIgnoreCase);
        var bId = Guid.Empty;
        if (!baseline && !Guid.TryParse(b, out bId)) ApiParameters.AddError(errors, "b", $"'{b}' is not a run id or 'baseline'");
        var geoJson = false;
        switch (format?.ToLowerInvariant())
        {
            case null: geoJson = request.GetTypedHeaders().Accept.Any(x => x.MediaType.Equals(GeoJsonMediaType, StringComparison.OrdinalIgnoreCase)); break;
            case "geojson": geoJson = true; break;
            case "json": break;
            default: ApiParameters.AddError(errors, "format", $"'{format}' is not a format: use json or geojson"); break;
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var runs = new List<ScenarioRun>();
        foreach (var (name, runId) in baseline ? [("a", aId)] : new[] { ("a", aId), ("b", bId) })
        {
            var run = await repository.GetRunAsync(runId, ct);
            if (run is null) return RunEndpoints.RunNotFound(runId);
            if (run.State != RunState.Succeeded || run.Result is null)
                ApiParameters.AddError(errors, name, $"run {runId} is {run.State.ToString().ToLowerInvariant()}, not succeeded: only finished runs have results to compare"
                    + (run.Error is { } error ? $" (its error: {error})" : ""));
            else runs.Add(ScenarioRunJson.Parse(run.Result));
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: "The runs cannot be compared.");

        ScenarioComparison comparison;
        try
        {
            comparison = baseline ? ScenarioComparison.AgainstBaseline(runs[0]) : ScenarioComparison.Compare(runs[0], runs[1]);
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["b"] = [RunOverride.Message(e)] }, detail: "The runs cannot be compared.");
        }
        if (!geoJson) return TypedResults.Text(comparison.ToJson(), "application/json; charset=utf-8");

        var chosen = year ?? comparison.Years[^1];
        if (!comparison.Years.Contains(chosen))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["year"] = [$"{chosen} is not one of the compared years ({comparison.Years[0]}–{comparison.Years[^1]})"],
            });
        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var code in comparison.Units.Select(u => u.Code).Distinct())
        {
            if (await store.FindUnitAsync(code, ct) is not { } unit)
                return TypedResults.Problem($"Unit {code} of the runs is no longer in the store, so it has no boundary to map.", statusCode: StatusCodes.Status404NotFound, title: "No such unit");
            boundaries[code] = unit.Geometry;
        }
        return TypedResults.Text(comparison.ToGeoJson(boundaries, chosen), GeoJsonMediaType + "; charset=utf-8");
    }
}
