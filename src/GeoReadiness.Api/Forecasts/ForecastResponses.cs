using System.Text.Json;
using GeoReadiness.Api.Readiness;
using GeoReadiness.Jobs.Models;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Forecasting.Storage;

namespace GeoReadiness.Api.Forecasts;

/// <summary>A model as listed: its id, when it was trained, whether it is current, and its headline metrics beside the baselines.</summary>
/// <param name="Current">the model forecasts use when none is named</param>
/// <param name="Profile">the profile whose indicators the model reads</param>
/// <param name="Metrics">held-out MAE/RMSE/R² of the score and AUC/log-loss/Brier of selection, each beside its naive baseline</param>
public sealed record ModelSummaryResponse(
    string Id,
    DateTimeOffset TrainedAt,
    DateTimeOffset SavedAt,
    bool Current,
    DateTimeOffset? PromotedAt,
    string ProfileId,
    string ProfileVersion,
    int Seed,
    string TrainingDataSha256,
    int TrainingDataRows,
    double TrainingSeconds,
    string Sha256,
    long ArtefactBytes,
    ModelHeadline Metrics)
{
    internal static ModelSummaryResponse From(ForecastModelSummary s, ForecastManifest m) => new(
        s.Id, m.TrainedAt, s.SavedAt, s.IsCurrent, s.PromotedAt, m.Schema.ProfileId, m.Schema.ProfileVersion, m.Options.Seed,
        m.TrainingDataSha256, m.TrainingDataRows, m.TrainingSeconds, s.Sha256, s.ArtefactBytes, ModelHeadline.From(m.Evaluation));
}

/// <param name="Current">the current model's id (null: none promoted yet)</param>
public sealed record ModelList(IReadOnlyList<ModelSummaryResponse> Items, string? Current);

/// <summary>One model: its summary and its whole manifest (schema, options, trainers, evaluation with the calibration table, importance, residuals).</summary>
/// <param name="Manifest">the manifest as stored with the model (docs/forecasting.md, "The artefact")</param>
public sealed record ModelDetail(ModelSummaryResponse Summary, JsonElement Manifest);

/// <summary>The prediction interval of a score.</summary>
/// <param name="Coverage">its nominal coverage (e.g. 0.9: the score lies inside 9 times in 10)</param>
public sealed record ForecastInterval(double Lower, double Upper, double Coverage);

/// <summary>The drivers of one target: the features that raise it most and those that lower it most.</summary>
public sealed record ForecastDrivers(IReadOnlyList<FeatureDriver> Up, IReadOnlyList<FeatureDriver> Down);

/// <summary>What moves a unit's forecast.</summary>
/// <param name="Score">FastTree feature contributions, in score points</param>
/// <param name="Selection">the change of the selection probability when the feature is set to its training mean</param>
public sealed record ForecastExplanations(ForecastDrivers Score, ForecastDrivers Selection);

/// <summary>One unit's forecast of the next round.</summary>
/// <param name="Year">the round forecast from</param>
/// <param name="ForecastYear">the round forecast</param>
/// <param name="Score">the expected assessed score 0–100 in <paramref name="ForecastYear"/></param>
/// <param name="SelectionProbability">the calibrated probability of selection into that round's cohort</param>
/// <param name="AssessedScore">the score the forecast starts from (the profile score of the round, or its override)</param>
/// <param name="UnselectedRank">its rank among the round's units not selected before (null: selected before)</param>
/// <param name="Overridden">the features the request replaced for this unit</param>
/// <param name="ModelVersion">the model that made the forecast</param>
public sealed record ForecastUnit(
    string Code,
    string Name,
    int Year,
    int ForecastYear,
    double Score,
    ForecastInterval Interval,
    double SelectionProbability,
    double? AssessedScore,
    bool SelectedBefore,
    int? UnselectedRank,
    IReadOnlyList<string> Overridden,
    ForecastExplanations Drivers,
    string ModelVersion);

/// <summary>The model a forecast used.</summary>
public sealed record ForecastModelReference(string Id, DateTimeOffset TrainedAt, string TrainingDataSha256, bool Current);

/// <summary>The answer of <c>POST /api/forecasts</c>.</summary>
/// <param name="Level">the level whose units were ranked together</param>
/// <param name="PoolSize">the units of that level assessed in the round (the pool <c>unselectedRank</c> is counted in)</param>
/// <param name="Provenance">the profile, questionnaire and indicator set the inputs come from</param>
public sealed record ForecastResponse(
    ForecastModelReference Model,
    string Level,
    int Year,
    int ForecastYear,
    int PoolSize,
    ReadinessProvenanceResponse Provenance,
    IReadOnlyList<ForecastUnit> Units);
