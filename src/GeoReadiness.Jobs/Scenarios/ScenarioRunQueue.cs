using System.Threading.Channels;

namespace GeoReadiness.Jobs.Scenarios;

/// <summary>
/// The ids of the runs waiting to execute in this process, in the order they were queued. Ids, not records: the
/// record in the repository is the truth, read again when the run starts. Thread-safe; one reader.
/// </summary>
public sealed class ScenarioRunQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid runId)
    {
        if (!_channel.Writer.TryWrite(runId)) throw new InvalidOperationException("the run queue is closed");
    }

    /// <summary>The queued ids as they come, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
