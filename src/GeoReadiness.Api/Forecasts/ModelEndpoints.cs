using System.ComponentModel;
using System.Text.Json;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Api.Scenarios;
using GeoReadiness.Jobs.Models;
using GeoReadiness.Jobs.Scenarios;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios.Storage;
using GeoReadiness.Spatial.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Forecasts;

public static class ModelEndpoints
{
    /// <summary>A training table of 514 kabupaten/kota over a dozen rounds is about 2 MB of CSV.</summary>
    public const int MaxTrainingBytes = 8 << 20;

    /// <summary>The most CSV problems a 400 lists (the count of the others is given).</summary>
    public const int MaxListedProblems = 50;

    /// <summary>The model registry of the store, the training executor (run by the scenario run worker) and its inbox.</summary>
    public static WebApplicationBuilder AddForecasts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => ForecastModelRepositories.For(sp.GetRequiredService<ISpatialStore>()));
        builder.Services.AddSingleton(sp => new ForecastModelRegistry(sp.GetRequiredService<IForecastModelRepository>()));
        builder.Services.AddSingleton<ModelTrainingInbox>();
        builder.Services.AddSingleton(sp => new ModelTrainingExecutor(
            sp.GetRequiredService<IScenarioRepository>(), sp.GetRequiredService<ForecastModelRegistry>(), sp.GetRequiredService<IAssessmentRepository>(),
            sp.GetRequiredService<IndicatorService>(), sp.GetRequiredService<ModelTrainingInbox>(), TimeProvider.System,
            sp.GetRequiredService<ILogger<ModelTrainingExecutor>>()));
        return builder;
    }

    /// <summary>The model registry (/api/models) and the forecasts (/api/forecasts).</summary>
    public static IEndpointRouteBuilder MapForecasts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");
        group.MapGet("/", ListModels)
            .WithName("ListModels")
            .WithSummary("The trained forecast models, newest first")
            .WithDescription("Every model in the store's registry: its id (\"fm-\" and 16 hex digits of the training data's hash and the options: "
                + "the same data and options give the same id), when it was trained and saved, whether it is the current one (the model "
                + "POST /api/forecasts uses by default), its profile, seed and training data hash, and the headline held-out metrics beside "
                + "the naive baselines: score MAE/RMSE/R² against the last score and the profile score, selection AUC/log-loss/Brier against "
                + "the historic rate (docs/forecasting.md).");
        group.MapGet("/{id}", GetModel)
            .WithName("GetModel")
            .WithSummary("One model with its whole manifest")
            .WithDescription("The summary as listed and the manifest stored with the model: the training schema (profile, indicator and "
                + "infrastructure columns), the options and seed, the trainers, the evaluation (metrics of each model and baseline, the "
                + "calibration table, the interval checks), permutation importance of both models, the held-out residuals and the feature "
                + "means. `current` names the current model. 404 for an unknown id, or for `current` when no model has been promoted.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/promote", PromoteModel)
            .WithName("PromoteModel")
            .WithSummary("Make a model the current one (API key)")
            .WithDescription("Forecasts that name no model (and `model: current`) use the current model from now on; the previous one stays "
                + "stored. Answers the model's summary, now current. 404 for an unknown id.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireApiKey();
        group.MapPost("/train", TrainModel)
            .WithName("TrainModel")
            .WithSummary("Train a forecast model in the background (API key)")
            .WithDescription("Answers 202 with a run of kind `model-train` and Location /api/runs/{runId}; poll it until `state` is succeeded "
                + "(its `results` name the model id, whether it was saved or already stored, and its held-out metrics) or failed (`error` "
                + "says why). The run's `stage` and `progress.percent` follow the training steps; its provenance holds the training seed, the "
                + "training data's SHA-256 (`scenarioSha256`) and the profile. The JSON body names the data — `{\"synthetic\": {\"seed\": N}}` "
                + "(the seeded synthetic history of the store's kabupaten/kota, docs/forecasting.md) or `{\"trainingCsv\": \"code,year,…\"}` "
                + "(a training table, \"Training data format\") — and optionally `profile` (the CSV's columns; default kominfo-2019), `seed` "
                + "(the training seed, default 1), `promote` (make it current once saved) and `options` (trainer settings within bounds: "
                + "`scoreTrees` and `selectionTrees` 1–2000, `scoreLeaves` and `selectionLeaves` 2–256, `scoreLearningRate` and "
                + "`selectionLearningRate` in (0, 1], `minimumExampleCountPerLeaf` 1–1000, `permutationCount` 1–20, `intervalCoverage` in "
                + "(0, 1)). A `text/csv` body is the table itself, with `profile`, `seed` and `promote` in the query. A bad field or CSV (every "
                + "problem with its line, code and column) is a 400 before anything is queued; a body over 8 MiB a 413; a synthetic history on a "
                + "store with fewer than 100 kabupaten/kota a 409.")
            .Accepts<object>("application/json", ApiParameters.CsvMediaType)
            .Produces<RunResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .RequireApiKey();
        app.MapForecastQueries();
        return app;
    }

    public static async Task<Ok<ModelList>> ListModels(ForecastModelRegistry registry, CancellationToken ct)
    {
        var models = await registry.ListAsync(ct);
        return TypedResults.Ok(new ModelList(models.Select(s => ModelSummaryResponse.From(s, ForecastModelRegistry.ReadManifest(s))).ToArray(),
            models.FirstOrDefault(m => m.IsCurrent)?.Id));
    }

    public static async Task<Results<Ok<ModelDetail>, ProblemHttpResult>> GetModel(
        [Description("a model id (fm- and 16 hex digits), or `current`")] string id,
        ForecastModelRegistry registry,
        CancellationToken ct)
    {
        if (await FindAsync(registry, id, ct) is not { } summary) return await ModelNotFoundAsync(registry, id, ct);
        using var manifest = JsonDocument.Parse(summary.ManifestJson);
        return TypedResults.Ok(new ModelDetail(ModelSummaryResponse.From(summary, ForecastModelRegistry.ReadManifest(summary)), manifest.RootElement.Clone()));
    }

    public static async Task<Results<Ok<ModelSummaryResponse>, ProblemHttpResult>> PromoteModel(
        [Description("the id of a stored model (GET /api/models)")] string id,
        ForecastModelRegistry registry,
        CancellationToken ct)
    {
        var promoted = ForecastModelStorageChecks.IsId(id) ? await registry.PromoteAsync(id, ct) : null;
        return promoted is null
            ? await ModelNotFoundAsync(registry, id, ct)
            : TypedResults.Ok(ModelSummaryResponse.From(promoted, ForecastModelRegistry.ReadManifest(promoted)));
    }

    public static async Task<Results<Accepted<RunResponse>, ProblemHttpResult, ValidationProblem>> TrainModel(
        HttpRequest request,
        [Description("with a text/csv body: the profile whose indicators the columns are (default kominfo-2019)")] string? profile,
        [Description("with a text/csv body: the training seed (default 1)")] string? seed,
        [Description("with a text/csv body: true to make the model current once saved")] string? promote,
        IAssessmentRepository assessment,
        IndicatorService indicators,
        IScenarioRepository runs,
        ModelTrainingInbox inbox,
        ScenarioRunQueue queue,
        CancellationToken ct)
    {
        var body = await ApiParameters.ReadBodyAsync(request, MaxTrainingBytes, ct);
        if (body is null)
            return ApiParameters.TooLarge("A training request", MaxTrainingBytes);
        var errors = new Dictionary<string, string[]>();
        var csvBody = request.GetTypedHeaders().ContentType?.MediaType.Equals(ApiParameters.CsvMediaType, StringComparison.OrdinalIgnoreCase) == true;
        ModelTrainingRequest? parsed;
        string? csv;
        if (csvBody)
        {
            parsed = ModelTrainingRequest.ParseQuery(profile, seed, promote, errors);
            csv = body;
            if (string.IsNullOrWhiteSpace(body)) ApiParameters.AddError(errors, ModelTrainingRequest.TrainingCsvKey, "the body is empty: send the training table as CSV");
        }
        else
        {
            foreach (var (name, value) in new[] { ("profile", profile), ("seed", seed), ("promote", promote) })
                if (value is not null) ApiParameters.AddError(errors, name, $"the query's {name} goes with a text/csv body; in a JSON body give \"{name}\" in the body");
            (parsed, csv) = ModelTrainingRequest.Parse(body, errors) is { } p ? p : (null, null);
        }
        if (parsed is null || errors.Count > 0) return TypedResults.ValidationProblem(errors, detail: "The training request is not valid; nothing was queued.");

        TrainingData data;
        if (parsed.Synthetic is { } synthetic)
        {
            try
            {
                data = await ModelTrainingExecutor.SyntheticAsync(indicators, synthetic.Seed, ct);
            }
            catch (InvalidOperationException e)
            {
                return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Too few units to train on");
            }
        }
        else
        {
            var chosen = ProfileCatalog.From(await assessment.GetProfilesAsync(ct)).Resolve(parsed.Profile, out var profileError);
            if (chosen is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["profile"] = [profileError!] });
            var read = TrainingCsv.Read(csv!, csvBody ? "the body" : ModelTrainingRequest.TrainingCsvKey, TrainingSchema.For(chosen));
            if (read.Data is not { } table)
            {
                var listed = read.Problems.Take(MaxListedProblems).Select(p => p.ToString()).ToList();
                if (read.Problems.Count > MaxListedProblems) listed.Add($"… and {read.Problems.Count - MaxListedProblems} more problem(s)");
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ModelTrainingRequest.TrainingCsvKey] = [.. listed] },
                    detail: $"The training table does not validate against {chosen.Id} {chosen.Version}; nothing was queued.");
            }
            data = table;
            parsed = parsed with { Profile = $"{chosen.Id}@{chosen.Version}", TrainingDataSha256 = table.Sha256, TrainingDataRows = table.Rows.Count };
        }

        var run = ModelTrainingExecutor.NewRun(parsed, data, DateTimeOffset.UtcNow);
        await runs.CreateRunAsync(run, ct);
        inbox.Put(run.Id, data);
        queue.Enqueue(run.Id, ModelTrainingExecutor.Kind);
        return TypedResults.Accepted($"/api/runs/{run.Id}", RunResponse.From(run));
    }

    /// <summary>The summary of a model id, or of the current model for <c>current</c>; null when there is none.</summary>
    internal static async Task<ForecastModelSummary?> FindAsync(ForecastModelRegistry registry, string id, CancellationToken ct) =>
        id == ForecastRequest.CurrentModel ? await registry.CurrentAsync(ct)
        : ForecastModelStorageChecks.IsId(id) ? await registry.GetSummaryAsync(id, ct)
        : null;

    /// <summary>404 for an unknown id (or no current model), saying what there is.</summary>
    internal static async Task<ProblemHttpResult> ModelNotFoundAsync(ForecastModelRegistry registry, string id, CancellationToken ct)
    {
        var models = await registry.ListAsync(ct);
        var known = models.Count == 0 ? "the registry has no model yet: train one with POST /api/models/train"
            : $"models: {string.Join(", ", models.Take(10).Select(m => m.Id))}{(models.Count > 10 ? ", …" : "")} (GET /api/models)";
        var detail = id == ForecastRequest.CurrentModel
            ? $"No model is current; {known}, and promote one with POST /api/models/{{id}}/promote."
            : ForecastModelStorageChecks.IsId(id) ? $"No model {id}; {known}."
            : $"'{id}' is not a model id (\"fm-\" and 16 hex digits) nor `current`; {known}.";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No such model");
    }
}
