using System.Text.Json;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoReadiness.Jobs.Models;

/// <summary>The headline figures of a model's held-out evaluation, each beside its naive baseline.</summary>
/// <param name="TestRound">the round whose outcomes were held out</param>
/// <param name="ScoreMae">the score regression's MAE, points</param>
/// <param name="LastScoreMae">the MAE of the naive "last score" baseline</param>
/// <param name="ProfileScoreMae">the MAE of the "profile score" baseline (null when the profile was unknown)</param>
/// <param name="MaeImprovement">1 − MAE / MAE(last score)</param>
/// <param name="SelectionAuc">the selection classifier's AUC</param>
/// <param name="HistoricRateAuc">the AUC of the "historic rate" baseline</param>
public sealed record ModelHeadline(
    int TestRound,
    double ScoreMae,
    double ScoreRmse,
    double ScoreRSquared,
    double LastScoreMae,
    double? ProfileScoreMae,
    double MaeImprovement,
    double SelectionAuc,
    double SelectionLogLoss,
    double SelectionBrier,
    double HistoricRateAuc,
    double HistoricRateBrier)
{
    public static ModelHeadline From(ForecastEvaluation e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.TestRound, e.Score.Mae, e.Score.Rmse, e.Score.RSquared, e.ScoreBaselines.Single(b => b.Name == "last-score").Mae,
            e.ScoreBaselines.FirstOrDefault(b => b.Name == "profile-score")?.Mae, e.MaeImprovement,
            e.Selection.Auc, e.Selection.LogLoss, e.Selection.Brier, e.SelectionBaseline.Auc, e.SelectionBaseline.Brier);
    }
}

/// <summary>The result of a succeeded <c>model-train</c> run (its record's <c>Result</c>).</summary>
/// <param name="ModelId">the model's version id, under which the registry keeps it</param>
/// <param name="Status">saved, or unchanged when the registry had the model already (same data and options)</param>
/// <param name="Promoted">whether the run made it the current model</param>
/// <param name="Source">synthetic or csv</param>
/// <param name="SyntheticSeed">the synthetic history's seed</param>
/// <param name="Seed">the training seed</param>
public sealed record ModelTrainingResult(
    string ModelId,
    string Status,
    bool Promoted,
    string Source,
    ulong? SyntheticSeed,
    int Seed,
    string ProfileId,
    string ProfileVersion,
    string TrainingDataSha256,
    int TrainingDataRows,
    DateTimeOffset TrainedAt,
    double TrainingSeconds,
    ForecastOptions Options,
    ModelHeadline Metrics)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// Executes one <c>model-train</c> run by its id: takes the training table (the posted CSV from the
/// <see cref="ModelTrainingInbox"/>, or the synthetic history of the store's kabupaten/kota regenerated from its seed),
/// trains with <see cref="ForecastTrainer"/>, saves the model in the <see cref="ForecastModelRegistry"/> and, when asked,
/// promotes it. The run record is the truth, as for scenario runs: it moves to running, receives each training step
/// as its stage and percentage, and ends succeeded with a <see cref="ModelTrainingResult"/> or failed with a readable
/// error. The provenance holds the training seed, the training data's SHA-256 (in <c>ScenarioSha256</c>, the hash of
/// what the run is made from) and the profile.
/// </summary>
/// <remarks>
/// A final run is left alone; a run found running (its process died) starts again. When the token is cancelled (the
/// host stops) the run goes back to pending; the training in progress is abandoned (its progress no longer written).
/// </remarks>
public sealed class ModelTrainingExecutor(
    IScenarioRepository runs,
    ForecastModelRegistry registry,
    IAssessmentRepository assessment,
    IndicatorService indicators,
    ModelTrainingInbox inbox,
    TimeProvider? clock = null,
    ILogger<ModelTrainingExecutor>? logger = null)
{
    /// <summary>The run kind of a model training.</summary>
    public const string Kind = "model-train";

    /// <summary>What a training run names as its "scenario": the registry it writes into.</summary>
    public const string Subject = "forecast-models";

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>A new pending training run (its record; the caller stores it, puts the table in the inbox and queues it).</summary>
    public static RunRecord NewRun(ModelTrainingRequest request, TrainingData data, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(data);
        var schema = data.Schema;
        return RunRecord.NewPending(Kind, Subject, $"{schema.ProfileId}@{schema.ProfileVersion}", request.ToJson(),
            new RunProvenanceRecord((ulong)request.Seed, data.Sha256, schema.ProfileId, schema.ProfileVersion), createdAt);
    }

    /// <summary>
    /// The synthetic history of the store's kabupaten/kota (the regency units of the current indicator set), as the
    /// CLI's <c>model train --synthetic</c> builds it: the programme's rounds, their cohort sizes scaled to the number
    /// of units when it is not the national 514 — so the same store and seed give the same table (and model id) here
    /// and there.
    /// </summary>
    /// <exception cref="InvalidOperationException">the store has fewer than <see cref="SyntheticHistory.MinimumUnits"/> kabupaten/kota</exception>
    public static async Task<TrainingData> SyntheticAsync(IndicatorService indicators, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        var set = await indicators.GetCurrentAsync(IndicatorOptions.Default, cancellationToken).ConfigureAwait(false);
        var units = set.Units.Where(u => u.Level == AdminLevel.Regency).Select(u => new SyntheticUnit(u.Code, u.Name, u.Code[..2])).ToArray();
        if (units.Length < SyntheticHistory.MinimumUnits)
            throw new InvalidOperationException($"the store has {units.Length} kab/kota; a synthetic history needs at least {SyntheticHistory.MinimumUnits} "
                + "(load the units first, e.g. georeadiness load data/shapefiles), or post a training table as CSV");
        return SyntheticHistory.Generate(units, seed, SyntheticHistoryOptions.Default.ScaledTo(units.Length)).Data;
    }

    /// <summary>Runs the training to its end and returns the final record (null when no run has the id).</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled; the run is pending again</exception>
    public async Task<RunRecord?> ExecuteAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var run = await runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            _logger.LogWarning("Run {RunId} is not stored: nothing to execute", runId);
            return null;
        }
        if (run.IsFinal) return run;
        if (run.Kind != Kind)
            return await FinishAsync(run with { State = RunState.Failed, Stage = "failed", Error = $"this executor trains models, not '{run.Kind}' runs" }).ConfigureAwait(false);

        run = run with
        {
            State = RunState.Running, StartedAt = _clock.GetUtcNow(), FinishedAt = null, DrawsDone = 0, Percent = 0, Error = null,
            Stage = run.State == RunState.Running ? "restarted from scratch (the previous attempt did not finish); preparing the training data" : "preparing the training data",
        };
        await runs.UpdateRunAsync(run, cancellationToken).ConfigureAwait(false);
        var progress = new StepProgress(runs, run);
        try
        {
            var result = await TrainAsync(run, progress, cancellationToken).ConfigureAwait(false);
            _logger.LogInformation("Run {RunId} trained model {ModelId} ({Status})", run.Id, result.ModelId, result.Status);
            return await FinishAsync(await progress.StopAsync() with
            {
                State = RunState.Succeeded, Percent = 100, Result = result.ToJson(),
                Stage = $"done: model {result.ModelId} {result.Status}" + (result.Promoted ? " and promoted to current" : ""),
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var current = await progress.StopAsync();
            _logger.LogInformation("Run {RunId} interrupted by shutdown: pending again", run.Id);
            await runs.UpdateRunAsync(current with
            {
                State = RunState.Pending, StartedAt = null, Percent = 0,
                Stage = "interrupted by a shutdown; it starts again from scratch when the server starts",
            }, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception e)
        {
            var current = await progress.StopAsync();
            var error = e is TrainingDataException or ArgumentException or InvalidOperationException or InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            _logger.LogError(e, "Run {RunId} failed: {Error}", run.Id, error);
            return await FinishAsync(current with { State = RunState.Failed, Stage = "failed", Error = error }).ConfigureAwait(false);
        }
    }

    private async Task<ModelTrainingResult> TrainAsync(RunRecord run, StepProgress progress, CancellationToken cancellationToken)
    {
        var request = ModelTrainingRequest.FromJson(run.Request);
        var data = inbox.Take(run.Id);
        if (data is null)
        {
            if (request.Synthetic is not { } synthetic)
                throw new InvalidOperationException("the posted training table was held in memory by a server process that stopped before training it; post it again");
            data = await SyntheticAsync(indicators, synthetic.Seed, cancellationToken).ConfigureAwait(false);
        }
        var schema = data.Schema;
        var profile = ProfileCatalog.From(await assessment.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
            .Resolve($"{schema.ProfileId}@{schema.ProfileVersion}", out _);
        var options = request.ForecastOptions;
        await progress.StepAsync(r => r with
        {
            Provenance = new RunProvenanceRecord((ulong)options.Seed, data.Sha256, schema.ProfileId, schema.ProfileVersion),
            Stage = $"training on {data.Rows.Count} rows, rounds {string.Join(", ", data.Rounds)}",
            Percent = 5,
        }, cancellationToken).ConfigureAwait(false);

        var model = await Task.Run(() => ForecastTrainer.Train(data, options, profile, progress, _clock), cancellationToken)
            .WaitAsync(cancellationToken).ConfigureAwait(false);

        await progress.StepAsync(r => r with { Stage = $"saving model {model.VersionId}", Percent = 95 }, cancellationToken).ConfigureAwait(false);
        var saved = await registry.SaveAsync(model, cancellationToken).ConfigureAwait(false);
        if (request.Promote && await registry.PromoteAsync(model.VersionId, cancellationToken).ConfigureAwait(false) is null)
            throw new InvalidOperationException($"model {model.VersionId} was saved but the registry does not know it to promote it");
        var m = model.Manifest;
        return new ModelTrainingResult(model.VersionId, saved.Status.ToString().ToLowerInvariant(), request.Promote,
            request.Synthetic is null ? "csv" : "synthetic", request.Synthetic?.Seed, options.Seed, schema.ProfileId, schema.ProfileVersion,
            m.TrainingDataSha256, m.TrainingDataRows, m.TrainedAt, m.TrainingSeconds, options, ModelHeadline.From(m.Evaluation));
    }

    private async Task<RunRecord> FinishAsync(RunRecord run)
    {
        var final = run with { FinishedAt = _clock.GetUtcNow() };
        // the outcome is recorded even while the host stops: it is the truth about work that was done
        await runs.UpdateRunAsync(final, CancellationToken.None).ConfigureAwait(false);
        return await runs.GetRunAsync(final.Id, CancellationToken.None).ConfigureAwait(false) ?? final;
    }

    /// <summary>
    /// The run's record as the training moves on: each step of <see cref="ForecastTrainer"/> (a handful, seconds apart)
    /// is written at once, in order, from the training's thread; after <see cref="StopAsync"/> nothing more is written,
    /// so an abandoned training cannot overwrite the outcome.
    /// </summary>
    private sealed class StepProgress(IScenarioRepository runs, RunRecord start) : IProgress<string>
    {
        /// <summary>The percentage after each training step: training, fitting the score, fitting selection, evaluating, importance, done.</summary>
        private static readonly double[] StepPercent = [10, 15, 55, 75, 80, 90];

        private readonly SemaphoreSlim _gate = new(1, 1);
        private RunRecord _current = start;
        private int _steps;
        private bool _stopped;

        public void Report(string value)
        {
            _gate.Wait();
            try
            {
                if (_stopped) return;
                _current = _current with { Stage = value, Percent = StepPercent[Math.Min(_steps++, StepPercent.Length - 1)] };
                runs.UpdateRunAsync(_current, CancellationToken.None).GetAwaiter().GetResult();
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task StepAsync(Func<RunRecord, RunRecord> change, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _current = change(_current);
                await runs.UpdateRunAsync(_current, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Waits for a write in flight, stops further writes and returns the record as last written.</summary>
        public async Task<RunRecord> StopAsync()
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                _stopped = true;
                return _current;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
