using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Scenarios.Storage;
using GeoReadiness.Spatial.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoReadiness.Jobs.Scenarios;

/// <summary>
/// Executes one scenario run by its id, the way <c>georeadiness scenario run</c> does: loads the run and its stored
/// scenario, applies the request (seed, draws, topK), prepares it on the store (<see cref="ScenarioPreparation"/> over
/// a <see cref="StoreScenarioSource"/> with the profile catalogue, the stored questionnaire and the current indicator
/// set), draws it with <see cref="MonteCarloEngine.Run"/> and stores the result. The run record is the truth: it
/// moves to running, receives progress (at most every <see cref="ProgressInterval"/>), and ends succeeded with the
/// result or failed with a readable error — an exception is never swallowed, it becomes the run's error and a log line.
/// </summary>
/// <remarks>
/// At-least-once safe: a run that is already final is left alone, and a run found running (its process died) is
/// started again from scratch — its result is written only at the end, so nothing is counted twice. When
/// <c>cancellationToken</c> is cancelled (the host stops), the run goes back to pending so that the next start picks
/// it up again. Thread-safe; runs may execute concurrently.
/// </remarks>
public sealed class ScenarioRunExecutor(
    ISpatialStore store,
    IAssessmentRepository assessment,
    IndicatorService indicators,
    IScenarioRepository repository,
    TimeProvider? clock = null,
    ILogger<ScenarioRunExecutor>? logger = null)
{
    /// <summary>The least time between two progress writes to the run record.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>Runs the run to its end and returns its final record (null when no run has the id).</summary>
    /// <exception cref="OperationCanceledException">the token was cancelled; the run is pending again</exception>
    public async Task<RunRecord?> ExecuteAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var run = await repository.GetRunAsync(runId, cancellationToken);
        if (run is null)
        {
            _logger.LogWarning("Run {RunId} is not stored: nothing to execute", runId);
            return null;
        }
        if (run.IsFinal) return run;
        if (run.Kind != RunRecord.ScenarioKind)
            return await FinishAsync(run with { State = RunState.Failed, Error = $"this executor runs scenario runs, not '{run.Kind}' runs" });

        run = run with
        {
            State = RunState.Running, StartedAt = _clock.GetUtcNow(), FinishedAt = null, DrawsDone = 0, Percent = 0, Error = null,
            Stage = run.State == RunState.Running ? "restarted from scratch (the previous attempt did not finish); loading the scenario" : "loading the scenario",
        };
        await repository.UpdateRunAsync(run, cancellationToken);
        var progress = new RunProgress(repository, run, _clock);
        try
        {
            var result = await DrawAsync(run, progress, cancellationToken);
            await progress.StopAsync();
            _logger.LogInformation("Run {RunId} of {Scenario} {Version} succeeded: {Draws} draws", run.Id, run.ScenarioId, run.ScenarioVersion, result.Draws);
            return await FinishAsync(progress.Current with
            {
                State = RunState.Succeeded, DrawsDone = result.Draws, Percent = 100,
                Stage = string.Create(CultureInfo.InvariantCulture, $"done: {result.Draws} draws in {result.Chunks} chunks"),
                Result = result.ToJson(),
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await SettleAsync(progress, run);
            _logger.LogInformation("Run {RunId} interrupted by shutdown: pending again", run.Id);
            await repository.UpdateRunAsync(progress.Current with
            {
                State = RunState.Pending, StartedAt = null, DrawsDone = 0, Percent = 0,
                Stage = "interrupted by a shutdown; it starts again from scratch when the server starts",
            }, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await SettleAsync(progress, run);
            var error = Describe(e);
            _logger.LogError(e, "Run {RunId} of {Scenario} {Version} failed: {Error}", run.Id, run.ScenarioId, run.ScenarioVersion, error);
            return await FinishAsync(progress.Current with { State = RunState.Failed, Stage = "failed", Error = error });
        }
    }

    /// <summary>Waits for the progress write in flight before the outcome is written; its failure is logged, the outcome still written.</summary>
    private async Task SettleAsync(RunProgress progress, RunRecord run)
    {
        try
        {
            await progress.StopAsync();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Run {RunId}: a progress write failed", run.Id);
        }
    }

    private async Task<RunRecord> FinishAsync(RunRecord run)
    {
        var final = run with { FinishedAt = _clock.GetUtcNow() };
        // the outcome is recorded even while the host stops: it is the truth about work that was done
        await repository.UpdateRunAsync(final, CancellationToken.None);
        // as stored (the store keeps times to the microsecond)
        return await repository.GetRunAsync(final.Id, CancellationToken.None) ?? final;
    }

    /// <summary>The error text of a failed run: what the person who asked can act on.</summary>
    public static string Describe(Exception e) => e switch
    {
        ScenarioValidationException { Problems.Count: > 0 } v =>
            "the scenario does not pass its checks on the store: " + string.Join("; ", v.Problems.Select(p => p.ToString())),
        ArgumentException or SamplingToleranceException or ScenarioValidationException => RunOverride.Message(e),
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private async Task<ScenarioRun> DrawAsync(RunRecord run, RunProgress progress, CancellationToken cancellationToken)
    {
        var stored = await repository.GetScenarioAsync(run.ScenarioId, run.ScenarioVersion, cancellationToken)
            ?? throw new ScenarioValidationException($"scenario {run.ScenarioId} version {run.ScenarioVersion} is not stored");
        var parsed = ScenarioDocuments.TryParse(stored.Json);
        if (parsed.Scenario is not { } document) throw new ScenarioValidationException(parsed.Problems);
        var request = ScenarioRunRequest.FromJson(run.Request);
        var overrides = request.Override;
        var scenario = overrides.Apply(document);

        await progress.StageAsync("loading the profile catalogue, the questionnaire and the indicators", cancellationToken);
        var profiles = ProfileCatalog.From(await assessment.GetProfilesAsync(cancellationToken));
        var questionnaire = await assessment.GetQuestionnaireAsync(cancellationToken);
        var set = await indicators.GetCurrentAsync(IndicatorOptions.Default, cancellationToken);

        var baseline = new ScenarioBaseline(profiles, questionnaire, set.Units, set.DataVersion);
        var prepared = await ScenarioPreparation.PrepareAsync(scenario, baseline, new StoreScenarioSource(store, set.Options),
            new StageProgress(progress), cancellationToken);
        var inputs = request.TopK is { } k ? prepared.Inputs with { TopK = k } : prepared.Inputs;
        inputs = await ScenarioScoringModels.WithModelAsync(scenario, inputs, new ForecastModelRegistry(ForecastModelRepositories.For(store)), cancellationToken);
        var p = inputs.Provenance;
        await progress.ProvenanceAsync(new RunProvenanceRecord(scenario.Seed, scenario.Sha256, inputs.Profile.Id, inputs.Profile.Version,
            p.DataVersion, p.QuestionnaireVersion, p.FootprintHash, inputs.Model is null ? null : "ml", inputs.Model?.VersionId), prepared.Notes, cancellationToken);

        var rule = scenario.Sampling;
        var result = await Task.Run(() => MonteCarloEngine.Run(scenario, inputs, new SamplingOptions
        {
            Progress = new DrawProgress(progress, rule),
            CancellationToken = cancellationToken,
        }), cancellationToken);
        return overrides.Finish(result);
    }

    /// <summary>Stage lines of the preparation, written to the record (throttled).</summary>
    private sealed class StageProgress(RunProgress progress) : IProgress<string>
    {
        public void Report(string value) => progress.Report(r => r with { Stage = value });
    }

    /// <summary>
    /// Draws combined so far. The percentage runs towards the rule's minDraws (exactly the draws of a fixed-draws run);
    /// past it the tolerance decides, so it stays below 100 until the run has succeeded.
    /// </summary>
    private sealed class DrawProgress(RunProgress progress, SamplingRule rule) : IProgress<int>
    {
        public void Report(int value) => progress.Report(r => r with
        {
            DrawsDone = value,
            Percent = Math.Min(99, 100.0 * value / Math.Max(1, rule.MinDraws)),
            Stage = string.Create(CultureInfo.InvariantCulture, $"drawing chunk {(value + rule.ChunkSize - 1) / rule.ChunkSize} ({value} draws)"),
        });
    }

    /// <summary>
    /// The run's record as the execution changes it; reports from the engine's threads are folded into it and written
    /// at most every <see cref="ProgressInterval"/>, one write at a time, never blocking the engine.
    /// </summary>
    private sealed class RunProgress(IScenarioRepository repository, RunRecord start, TimeProvider clock)
    {
        private readonly Lock _gate = new();
        private RunRecord _current = start;
        private long _lastWrite = clock.GetTimestamp();
        private Task _writing = Task.CompletedTask;

        public RunRecord Current
        {
            get { lock (_gate) return _current; }
        }

        public void Report(Func<RunRecord, RunRecord> change)
        {
            lock (_gate)
            {
                _current = change(_current);
                if (!_writing.IsCompleted || clock.GetElapsedTime(_lastWrite) < ProgressInterval) return;
                _lastWrite = clock.GetTimestamp();
                var snapshot = _current;
                _writing = repository.UpdateRunAsync(snapshot, CancellationToken.None);
            }
        }

        /// <summary>Records a stage at once (not throttled): the start of a long step.</summary>
        public async Task StageAsync(string stage, CancellationToken cancellationToken)
        {
            await StopAsync();
            RunRecord snapshot;
            lock (_gate) snapshot = _current = _current with { Stage = stage };
            await repository.UpdateRunAsync(snapshot, cancellationToken);
        }

        public async Task ProvenanceAsync(RunProvenanceRecord provenance, IReadOnlyList<string> notes, CancellationToken cancellationToken)
        {
            await StopAsync();
            RunRecord snapshot;
            lock (_gate)
            {
                snapshot = _current = _current with
                {
                    Provenance = provenance,
                    Stage = notes.Count == 0 ? "prepared" : "prepared; " + string.Join("; ", notes.Select(n => "note: " + n)),
                };
            }
            await repository.UpdateRunAsync(snapshot, cancellationToken);
        }

        /// <summary>Waits for the progress write in flight; a failed write surfaces here, not silently.</summary>
        public Task StopAsync()
        {
            lock (_gate) return _writing;
        }
    }
}

/// <summary>Reads back a result stored as <c>ScenarioRun.ToJson()</c>.</summary>
public static class ScenarioRunJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ScenarioRun Parse(string json) =>
        JsonSerializer.Deserialize<ScenarioRun>(json, Json) ?? throw new InvalidDataException("the stored run result is null");
}
