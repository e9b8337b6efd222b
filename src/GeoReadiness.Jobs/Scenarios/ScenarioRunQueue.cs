using System.Threading.Channels;
using GeoReadiness.Spatial.Scenarios.Storage;

namespace GeoReadiness.Jobs.Scenarios;

/// <summary>A queued run: its id and its kind (<see cref="RunRecord.Kind"/>), which decides the executor.</summary>
public readonly record struct QueuedRun(Guid Id, string Kind);

/// <summary>
/// The runs waiting to execute in this process, in the order they were queued: scenario runs and the other kinds
/// (e.g. <c>model-train</c>). Ids and kinds, not records: the record in the repository is the truth, read again when
/// the run starts. Thread-safe; one reader.
/// </summary>
public sealed class ScenarioRunQueue
{
    private readonly Channel<QueuedRun> _channel = Channel.CreateUnbounded<QueuedRun>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid runId, string kind = RunRecord.ScenarioKind)
    {
        if (!_channel.Writer.TryWrite(new QueuedRun(runId, kind))) throw new InvalidOperationException("the run queue is closed");
    }

    /// <summary>The queued runs as they come, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public IAsyncEnumerable<QueuedRun> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
