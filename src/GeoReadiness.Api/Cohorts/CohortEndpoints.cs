using System.ComponentModel;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Api.Scenarios;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Cohorts.Storage;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Cohorts;

/// <summary>Mentoring cohorts (docs/cohorts.md, "HTTP API"): choose, save and serve them as JSON, CSV and GeoJSON.</summary>
public static class CohortEndpoints
{
    /// <summary>A request is a handful of numbers and at most a few hundred codes.</summary>
    public const int MaxRequestBytes = 64 << 10;

    /// <summary>Maps the cohort endpoints (the one line Program.cs needs; the repository is the store's, <see cref="CohortRepositories.For"/>).</summary>
    public static WebApplication MapCohorts(this WebApplication app)
    {
        var group = app.MapGroup("/api/cohorts").WithTags("Cohorts");
        group.MapPost("/", SelectCohort)
            .WithName("SelectCohort")
            .WithSummary("Choose and save a mentoring cohort (API key)")
            .WithDescription("The body is a cohort request (docs/cohorts.md), e.g. `{\"k\": 50, \"level\": \"regency\", \"year\": 2019, "
                + "\"objective\": \"most_ready\", \"constraints\": {\"minPerIslandGroup\": 3, \"maxPerProvince\": 5, \"min3T\": 5}, \"seed\": 5}`. "
                + "The scores are the profile's readiness of the year (`source` readiness) with `draws` (default 1000) Monte-Carlo draws of a "
                + "seeded assessment noise of standard deviation `noise` (default 3 points; 0: none); with `\"source\": \"forecast\"` the current "
                + "(or `model`) ML model's forecast of the round two years later with draws of its held-out error. The cohort is the exact optimum of the "
                + "objective under the constraints; each selected and borderline unit has its selection frequency, P(top-K) and the three "
                + "indicators that helped and held it back (English and Indonesian labels). Answers 201 with Location /api/cohorts/{id}. "
                + "A malformed value, an unknown unit, K above the eligible units or constraints that cannot be met together is a 400 whose "
                + "`errors` are keyed by path (e.g. `constraints.minPerIslandGroup`) and whose detail names the conflicting constraints.")
            .Accepts<object>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .RequireApiKey();
        group.MapGet("/", ListCohorts)
            .WithName("ListCohorts")
            .WithSummary("The saved cohorts, most recent first")
            .WithDescription("Each saved cohort's id, time, K, objective, level, year, request hash and seed.");
        group.MapGet("/{id}", GetCohort)
            .WithName("GetCohort")
            .WithSummary("One saved cohort as JSON, CSV (`{id}.csv`) or GeoJSON (`{id}.geojson`)")
            .WithDescription("`/api/cohorts/{id}`: the cohort as saved (id, createdAt, selected, borderline, units, summary, provenance). "
                + "`/api/cohorts/{id}.csv`: one row per selected then borderline unit (text/csv). `/api/cohorts/{id}.geojson`: an RFC 7946 "
                + "FeatureCollection of the selected and borderline kab/kota with their boundaries from the store and the cohort's "
                + "properties (application/geo+json). 404 for an unknown id.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: ApiParameters.CsvMediaType)
            .Produces(StatusCodes.Status200OK, contentType: ScenarioEndpoints.GeoJsonMediaType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static ICohortRepository Repository(ISpatialStore store) => CohortRepositories.For(store);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> SelectCohort(
        HttpRequest request,
        ISpatialStore store,
        IAssessmentRepository assessment,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var body = await ApiParameters.ReadBodyAsync(request, MaxRequestBytes, ct);
        if (body is null)
            return ApiParameters.TooLarge("A cohort request", MaxRequestBytes);
        if (string.IsNullOrWhiteSpace(body))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["the body is empty: send the cohort request as JSON"] });
        var (cohortRequest, problems) = CohortRequestParser.Read(body);
        if (cohortRequest is null) return Invalid(problems);
        var models = new ForecastModelRegistry(ForecastModelRepositories.For(store));
        var selection = await CohortSelector.SelectAsync(cohortRequest, assessment, indicators, models, ct);
        if (selection.Result is not { } result) return Invalid(selection.Problems);

        var stored = await CohortSaving.SaveAsync(result, Repository(store), ct);
        request.HttpContext.Response.Headers.Location = $"/api/cohorts/{stored.Id:N}";
        return TypedResults.Text(stored.Document(), "application/json; charset=utf-8", statusCode: StatusCodes.Status201Created);
    }

    /// <summary>400 with every problem keyed by its path; the detail lists them (so that it names the conflicting constraints).</summary>
    private static ValidationProblem Invalid(IReadOnlyList<ProfileProblem> problems) =>
        TypedResults.ValidationProblem(
            ApiParameters.ErrorsByPath(problems),
            detail: $"The cohort request is not valid or cannot be met ({problems.Count} problem(s)): " + string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}")),
            title: "Invalid cohort request");

    public static async Task<Ok<CohortList>> ListCohorts(ISpatialStore store, CancellationToken ct) =>
        TypedResults.Ok(new CohortList((await Repository(store).ListAsync(ct)).Select(CohortListItem.From).ToArray()));

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetCohort(
        [Description("the cohort's id (32 hex digits), optionally with .csv or .geojson")] string id,
        ISpatialStore store,
        CancellationToken ct)
    {
        var (key, format) = id.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? (id[..^4], "csv")
            : id.EndsWith(".geojson", StringComparison.OrdinalIgnoreCase) ? (id[..^8], "geojson")
            : (id, "json");
        if (!Guid.TryParseExact(key, "N", out var guid) || await Repository(store).GetAsync(guid, ct) is not { } stored)
            return TypedResults.Problem($"No cohort '{key}' is saved; see GET /api/cohorts, or choose one with POST /api/cohorts.",
                statusCode: StatusCodes.Status404NotFound, title: "No such cohort");
        if (format == "json") return TypedResults.Text(stored.Document(), "application/json; charset=utf-8");
        var result = CohortResult.FromJson(stored.Json);
        if (format == "csv") return TypedResults.Text(CohortOutputs.ToCsv(result), ApiParameters.CsvMediaType + "; charset=utf-8");

        try
        {
            return TypedResults.Text(await CohortOutputs.ToGeoJsonAsync(result, store, ct), ScenarioEndpoints.GeoJsonMediaType + "; charset=utf-8");
        }
        catch (KeyNotFoundException e)
        {
            return TypedResults.Problem(e.Message + ".", statusCode: StatusCodes.Status404NotFound, title: "No such unit");
        }
    }
}

/// <summary>A saved cohort as listed.</summary>
public sealed record CohortListItem(string Id, DateTimeOffset CreatedAt, int K, string Objective, string? Level, int? Year, string RequestSha256, ulong Seed)
{
    internal static CohortListItem From(StoredCohort c) => new(c.Id.ToString("N"), c.CreatedAt, c.K, c.Objective, c.Level, c.Year, c.RequestSha256, c.Seed);
}

public sealed record CohortList(IReadOnlyList<CohortListItem> Items);
