using System.Runtime.CompilerServices;
using GeoReadiness.Api.Health;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Api.Readiness;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoReadiness.Api.Forecasts;

public static class ForecastEndpoints
{
    /// <summary>A forecast request is a list of codes and a few overrides.</summary>
    public const int MaxRequestBytes = 1 << 20;

    /// <summary>One gate per loaded model: a model's ML.NET calls run one at a time (<see cref="ForecastModel"/>).</summary>
    private static readonly ConditionalWeakTable<ForecastModel, object> Gates = [];

    internal static IEndpointRouteBuilder MapForecastQueries(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/forecasts").WithTags("Forecasts").MapPost("/", Forecast)
            .WithName("Forecast")
            .WithSummary("Forecast the next round: score, interval, selection probability and drivers per unit")
            .WithDescription("The JSON body: `year` (the round forecast from; default the latest year with questionnaire answers), `units` "
                + "(Kemendagri codes, e.g. [\"13.05\"]) or `level` (every assessed unit of it, default regency), `model` (`current`, the "
                + "default, or a model id), `overrides` (per code, feature values replacing the store's, e.g. {\"13.05\": {\"ict_staff_pct\": "
                + "4.0, \"share_5g_pct\": 30}}: any of the model's indicators (raw values), infrastructure values and `assessed_score`), "
                + "`selectedBefore` (codes already mentored), `top` (drivers per direction, 1–20, default 5), `coverage` (of the interval, "
                + "default the model's 0.9) and `yearsToNext` (default 1). The inputs are those the readiness endpoints score under the "
                + "model's profile: the raw indicator values, the spatial infrastructure values and, as the assessed score, the profile "
                + "score of the round (recomputed when an override changes an indicator); every unit of the level assessed that year forms "
                + "the pool the rank among units not selected before is counted in. Per unit: the expected score of the next round with its "
                + "interval, the selection probability, the top drivers up and down of each, and the model version. 400 for a bad field, an "
                + "unknown feature (the problem lists the valid names) or an override of a unit not forecast; 404 for a unit the store does "
                + "not have or that has no answers that year, or an unknown model; 409 when no model is current (train one with POST "
                + "/api/models/train and promote it) or the store cannot score the model's profile.")
            .Accepts<ForecastRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    public static async Task<Results<Ok<ForecastResponse>, ProblemHttpResult, ValidationProblem>> Forecast(
        HttpRequest request,
        ForecastModelRegistry registry,
        IAssessmentRepository assessment,
        IndicatorService indicators,
        CancellationToken ct)
    {
        var body = await ApiParameters.ReadBodyAsync(request, MaxRequestBytes, ct);
        if (body is null)
            return ApiParameters.TooLarge("A forecast request", MaxRequestBytes);
        var errors = new Dictionary<string, string[]>();
        if (ForecastRequest.Parse(body, errors) is not { } asked) return Invalid(errors);

        // the model and its profile
        var summary = await ModelEndpoints.FindAsync(registry, asked.Model, ct);
        if (summary is null)
        {
            if (asked.Model != ForecastRequest.CurrentModel) return await ModelEndpoints.ModelNotFoundAsync(registry, asked.Model, ct);
            return TypedResults.Problem("No model is current. Train one with POST /api/models/train (e.g. {\"synthetic\": {\"seed\": 1}, \"promote\": true}), "
                + "or promote a trained one with POST /api/models/{id}/promote (GET /api/models lists them).",
                statusCode: StatusCodes.Status409Conflict, title: "No current model");
        }
        var model = await registry.LoadAsync(summary.Id, ct) ?? throw new InvalidOperationException($"model {summary.Id} vanished from the registry");
        var schema = model.Schema;
        var profile = ProfileCatalog.From(await assessment.GetProfilesAsync(ct)).Resolve($"{schema.ProfileId}@{schema.ProfileVersion}", out var profileError);
        var mismatch = profile is null ? profileError : ForecastInputs.Mismatch(schema, profile);
        if (mismatch is not null)
            return TypedResults.Problem($"Model {model.VersionId} reads the indicators of profile {schema.ProfileId} {schema.ProfileVersion}, which this store cannot "
                + $"score: {mismatch}. Save that profile (POST /api/profiles) or use a model trained on a profile the store has.",
                statusCode: StatusCodes.Status409Conflict, title: "Model profile not available");
        var features = ForecastInputs.OverridableFeatures(schema);
        foreach (var (code, changes) in asked.Overrides ?? new Dictionary<string, IReadOnlyDictionary<string, double>>())
            foreach (var feature in changes.Keys.Where(f => !features.Contains(f, StringComparer.Ordinal)))
                ApiParameters.AddError(errors, $"overrides.{code}.{feature}", $"unknown feature '{feature}'; the features of model {model.VersionId} an override may set: {string.Join(", ", features)}");
        if (errors.Count > 0) return Invalid(errors);

        // the round and its pool
        var set = await indicators.GetCurrentAsync(IndicatorOptions.Default, ct);
        var byCode = set.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var level = asked.Level ?? AdminLevel.Regency;
        if (asked.Units is { } codes)
        {
            var missing = codes.Where(c => !byCode.ContainsKey(c)).ToArray();
            if (missing.Length > 0)
                return TypedResults.Problem($"No unit {string.Join(", ", missing)} in the store; see GET /api/units.", statusCode: StatusCodes.Status404NotFound, title: "No such unit");
            var levels = codes.Select(c => byCode[c].Level).Distinct().ToArray();
            if (levels.Length > 1)
                return Invalid("units", $"the units are of several levels ({string.Join(", ", levels.Select(UnitLevels.Name))}): a forecast ranks the units of one level together");
            level = levels[0];
        }
        foreach (var (code, i) in (asked.SelectedBefore ?? []).Select((c, i) => (c, i)).Where(x => !byCode.ContainsKey(x.c)))
            ApiParameters.AddError(errors, $"selectedBefore[{i}]", $"no unit {code} in the store");
        if (errors.Count > 0) return Invalid(errors);

        var questionnaire = await assessment.GetQuestionnaireAsync(ct);
        var levelName = UnitLevels.Name(level);
        if (ReadinessTables.ChooseYear(ReadinessTables.Years(questionnaire, set, level), asked.Year, $"{levelName} units", out var yearError) is not { } year)
            return TypedResults.Problem($"{yearError}. Import answers with POST /api/questionnaires.", statusCode: StatusCodes.Status404NotFound, title: "No readiness data");
        var pool = questionnaire.Rows.Where(r => r.Year == year && byCode.TryGetValue(r.Code, out var u) && u.Level == level)
            .OrderBy(r => r.Code, StringComparer.Ordinal).Select(r => ReadinessTables.Input(r, byCode[r.Code])).ToArray();
        var inPool = pool.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var chosen = asked.Units ?? pool.Select(u => u.Code).ToArray();
        var unassessed = chosen.Where(c => !inPool.Contains(c)).ToArray();
        if (unassessed.Length > 0)
            return TypedResults.Problem($"{string.Join(", ", unassessed)}: no questionnaire answers for {year}, so no readiness to forecast from. "
                + "Import its row with POST /api/questionnaires.", statusCode: StatusCodes.Status404NotFound, title: "No readiness data");
        var forecast = chosen.ToHashSet(StringComparer.Ordinal);
        foreach (var code in (asked.Overrides?.Keys ?? []).Where(c => !forecast.Contains(c)))
            ApiParameters.AddError(errors, $"overrides.{code}", $"{code} is not one of the units forecast; add it to units");
        if (errors.Count > 0) return Invalid(errors);

        // one batch through the model
        var inputs = ForecastInputs.FromAssessments(schema, profile!, pool, (asked.SelectedBefore ?? []).ToHashSet(StringComparer.Ordinal), asked.YearsToNext, asked.Overrides);
        var index = inputs.Select((input, i) => (input.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        var batch = chosen.Select(c => inputs[index[c]]).ToArray();
        var coverage = asked.Coverage ?? model.Manifest.Options.IntervalCoverage;
        IReadOnlyList<ForecastPrediction> predictions;
        IReadOnlyList<ForecastExplanation> scoreDrivers, selectionDrivers;
        lock (Gates.GetValue(model, _ => new object()))
        {
            predictions = model.Predict(batch, coverage);
            scoreDrivers = model.Explain(batch, asked.Top);
            selectionDrivers = model.ExplainSelection(batch, asked.Top);
        }

        var names = pool.ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);
        var units = batch.Select((input, i) =>
        {
            var p = predictions[i];
            var overridden = asked.Overrides?.GetValueOrDefault(input.Code)?.Keys.Order(StringComparer.Ordinal).ToArray() ?? [];
            return new ForecastUnit(input.Code, names[input.Code], p.Year, p.ForecastYear, p.Score, new ForecastInterval(p.Lower, p.Upper, coverage),
                p.SelectionProbability, input.AssessedScore, input.SelectedBefore, input.UnselectedRank, overridden,
                new ForecastExplanations(new ForecastDrivers(scoreDrivers[i].Up, scoreDrivers[i].Down), new ForecastDrivers(selectionDrivers[i].Up, selectionDrivers[i].Down)),
                p.ModelVersion);
        }).ToArray();
        var provenance = ReadinessTables.Provenance(profile!, year, questionnaire, set);
        return TypedResults.Ok(new ForecastResponse(
            new ForecastModelReference(model.VersionId, model.Manifest.TrainedAt, model.Manifest.TrainingDataSha256, summary.IsCurrent),
            levelName, year, year + asked.YearsToNext, pool.Length, ReadinessProvenanceResponse.From(provenance), units));
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The forecast request is not valid.");

    private static ValidationProblem Invalid(string key, string message) => Invalid(new Dictionary<string, string[]> { [key] = [message] });
}
