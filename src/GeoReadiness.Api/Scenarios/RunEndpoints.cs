using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Jobs.Scenarios;
using GeoReadiness.Spatial.Scenarios.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Scenarios;

public static class RunEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapRuns(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs");
        group.MapGet("/", ListRuns)
            .WithName("ListRuns")
            .WithSummary("Runs, most recent first, without their results")
            .WithDescription("Every run's record — request, state, progress, stage, timestamps, error and provenance — most recent first; "
                + "`scenario` keeps one scenario's runs, `state` those in one state (pending, running, succeeded, failed, cancelled); "
                + "`limit` 1–1000 (default 100). The results are in GET /api/runs/{id}.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetRun)
            .WithName("GetRun")
            .WithSummary("One run: status, progress and, once succeeded, its results")
            .WithDescription("The run's record: `state` (pending → running → succeeded | failed | cancelled), `progress` (draws combined "
                + "and a percentage), `stage`, the created/started/finished times, `error` (why it failed, e.g. a unit the engine refuses "
                + "or a tolerance not reached at maxDraws), the provenance (seed, scenario hash, profile, data and questionnaire versions, "
                + "footprint hash) and, once succeeded, `results`: per unit and year the score's distribution, the shares, the band and "
                + "rank probabilities, the baseline, and per year the cumulative cost (docs/scenarios.md).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/units/{code}", GetRunUnit)
            .WithName("GetRunUnit")
            .WithSummary("One unit's results of a run, per year")
            .WithDescription("The results of one scenario unit of a succeeded run (e.g. `/api/runs/{id}/units/13.05`), one entry per result "
                + "year as in the run's `units`. 404 when the run or the unit is unknown to it; 409 while the run has not succeeded.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    internal static ProblemHttpResult RunNotFound(Guid id) =>
        TypedResults.Problem($"No run {id}; see GET /api/runs.", statusCode: StatusCodes.Status404NotFound, title: "No such run");

    public static async Task<Results<Ok<RunList>, ValidationProblem>> ListRuns(
        [Description("a scenario id: only its runs")] string? scenario,
        [Description("pending, running, succeeded, failed or cancelled: only runs in that state")] string? state,
        [Description("at most this many runs: 1 to 1000 (default 100)")] int? limit,
        IScenarioRepository repository,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        RunState? chosen = null;
        if (state is not null)
        {
            if (Enum.TryParse<RunState>(state, ignoreCase: true, out var parsed) && !int.TryParse(state, out _)) chosen = parsed;
            else ApiParameters.AddError(errors, "state", $"'{state}' is not a state: use {string.Join(", ", Enum.GetNames<RunState>().Select(n => n.ToLowerInvariant()))}");
        }
        var page = ApiPaging.Parse(limit, null, DefaultLimit, MaxLimit, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var runs = await repository.ListRunsAsync(new RunQuery(scenario, chosen, page.Limit), ct);
        return TypedResults.Ok(new RunList(runs.Select(RunResponse.From).ToArray(), page.Limit));
    }

    public static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> GetRun(
        [Description("the run's id, from the Location of POST /api/scenarios/{id}/runs")] Guid id,
        IScenarioRepository repository,
        CancellationToken ct) =>
        await repository.GetRunAsync(id, ct) is { } run ? TypedResults.Ok(RunResponse.From(run)) : RunNotFound(id);

    public static async Task<Results<Ok<RunUnitResults>, ProblemHttpResult>> GetRunUnit(
        [Description("the run's id")] Guid id,
        [Description("a scenario unit's Kemendagri code, e.g. 13.05")] string code,
        IScenarioRepository repository,
        CancellationToken ct)
    {
        if (await repository.GetRunAsync(id, ct) is not { } run) return RunNotFound(id);
        if (run.State != RunState.Succeeded || run.Result is null)
        {
            var why = run.State switch
            {
                RunState.Pending or RunState.Running => $"run {id} is {run.State.ToString().ToLowerInvariant()} ({run.Stage}): its results come when it has succeeded",
                _ => $"run {id} is {run.State.ToString().ToLowerInvariant()} and has no results" + (run.Error is { } error ? $": {error}" : ""),
            };
            return TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict, title: "Run not finished");
        }
        var result = ScenarioRunJson.Parse(run.Result);
        var years = result.Units.Where(u => u.Code == code).OrderBy(u => u.Year).ToArray();
        if (years.Length == 0)
            return TypedResults.Problem($"Run {id} has no unit {code}; its units: {string.Join(", ", result.Units.Select(u => u.Code).Distinct())}.",
                statusCode: StatusCodes.Status404NotFound, title: "No such unit in the run");
        return TypedResults.Ok(new RunUnitResults(id, code, years[0].Name, years));
    }
}
