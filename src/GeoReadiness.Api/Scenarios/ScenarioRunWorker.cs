using GeoReadiness.Jobs.Models;
using GeoReadiness.Jobs.Scenarios;
using GeoReadiness.Spatial.Scenarios.Storage;

namespace GeoReadiness.Api.Scenarios;

/// <summary>
/// Executes the queued runs in the server's process, one at a time, each by the executor of its kind (scenario runs;
/// <c>model-train</c> runs when the forecasts are mapped), until the Hangfire worker of the jobs
/// issue takes over. At start it queues again every run left pending or running by an earlier process (oldest first):
/// a run that was running when its process died starts again from scratch. Stops with the host: the run in progress
/// goes back to pending (see <see cref="ScenarioRunExecutor"/>).
/// </summary>
public sealed class ScenarioRunWorker(IServiceProvider services, ScenarioRunQueue queue, ILogger<ScenarioRunWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not in the constructor: the store opens when the hosted services start.
        var repository = services.GetRequiredService<IScenarioRepository>();
        var executor = services.GetRequiredService<ScenarioRunExecutor>();
        var training = services.GetService<ModelTrainingExecutor>();
        var left = new List<RunRecord>();
        foreach (var state in new[] { RunState.Running, RunState.Pending })
            left.AddRange(await repository.ListRunsAsync(new RunQuery(State: state, Limit: int.MaxValue), stoppingToken));
        foreach (var run in left.OrderBy(r => r.CreatedAt))
        {
            logger.LogInformation("Run {RunId} of {Scenario} was left {State} by an earlier process: queued again", run.Id, run.ScenarioId, run.State);
            queue.Enqueue(run.Id, run.Kind);
        }

        await foreach (var (runId, kind) in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (kind == ModelTrainingExecutor.Kind && training is not null) await training.ExecuteAsync(runId, stoppingToken);
                else await executor.ExecuteAsync(runId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The executor records every failure of the run itself; what arrives here is the store failing to
                // record it. The run keeps its last stored state and is queued again at the next start.
                logger.LogError(e, "Run {RunId} could not be executed or recorded", runId);
            }
        }
    }
}
