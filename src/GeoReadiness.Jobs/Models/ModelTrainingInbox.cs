using System.Collections.Concurrent;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Jobs.Models;

/// <summary>
/// The posted training tables waiting for their <c>model-train</c> run, by run id. A table can be megabytes, so the
/// run record stores only its hash and row count (<see cref="ModelTrainingRequest"/>) and the table waits here, in
/// this process: a CSV run left pending by a server that stopped fails at the next start, asking for the table to be
/// posted again (a synthetic run is regenerated from its seed and starts again). Thread-safe.
/// </summary>
public sealed class ModelTrainingInbox
{
    private readonly ConcurrentDictionary<Guid, TrainingData> _tables = new();

    public void Put(Guid runId, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!_tables.TryAdd(runId, data)) throw new InvalidOperationException($"run {runId} has a training table already");
    }

    /// <summary>The table of the run, removed from the inbox; null when this process holds none for it.</summary>
    public TrainingData? Take(Guid runId) => _tables.TryRemove(runId, out var data) ? data : null;
}
