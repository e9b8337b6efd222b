using System.Collections.Concurrent;
using GeoReadiness.Spatial.Indicators.Storage;
using GeoReadiness.Spatial.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Keeps the indicators of a store current: answers with the stored set for the options when it was computed from
/// the store's current data version, and otherwise computes a new one — incrementally from the previous set when
/// the store can tell what changed since, in full when it cannot — stores it and answers with it.
/// </summary>
/// <remarks>
/// Thread-safe. One computation at a time per options: concurrent callers with the same options wait for the
/// running computation and get its result. The latest set per options is also kept in memory (with the sums that
/// make the next incremental computation cheap), up to <see cref="CachedOptions"/> different options.
/// </remarks>
public sealed class IndicatorService : IDisposable
{
    /// <summary>How many different option sets keep their latest result in memory.</summary>
    public const int CachedOptions = 4;

    private readonly ISpatialStore _store;
    private readonly IIndicatorEngine _engine;
    private readonly IIndicatorRepository _repository;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IndicatorOptions, Entry> _entries = new();

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public IndicatorSet? Latest { get; set; }
        public long LastUsed;
    }

    public IndicatorService(ISpatialStore store, IIndicatorEngine engine, IIndicatorRepository repository, ILogger<IndicatorService>? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The engine's name: embedded or postgis.</summary>
    public string EngineName => _engine.Name;

    /// <summary>The set for these options computed from the store's current data, computing (and storing) it when needed.</summary>
    /// <exception cref="ArgumentException">the options are not usable (see <see cref="IndicatorOptions.Validate"/>).</exception>
    public Task<IndicatorSet> GetCurrentAsync(IndicatorOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(options, full: false, progress: null, cancellationToken);

    /// <inheritdoc cref="GetCurrentAsync(IndicatorOptions, CancellationToken)"/>
    public Task<IndicatorSet> GetCurrentAsync(IndicatorOptions options, IProgress<IndicatorProgress>? progress, CancellationToken cancellationToken = default) =>
        RunAsync(options, full: false, progress, cancellationToken);

    /// <summary>Measures every leaf anew whatever is stored, stores the set and returns it.</summary>
    public Task<IndicatorSet> RecomputeAsync(IndicatorOptions options, IProgress<IndicatorProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(options, full: true, progress, cancellationToken);

    private async Task<IndicatorSet> RunAsync(IndicatorOptions options, bool full, IProgress<IndicatorProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        var entry = _entries.GetOrAdd(options, _ => new Entry());
        Interlocked.Exchange(ref entry.LastUsed, Environment.TickCount64);
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var previous = entry.Latest ?? await _repository.GetLatestAsync(_engine.Name, options, cancellationToken);
            IReadOnlyList<NetTopologySuite.Geometries.Envelope>? changedAreas = null;
            if (previous is not null && !full)
            {
                var (current, log) = await ChangesSinceAsync(previous.DataVersion, cancellationToken);
                if (current == previous.DataVersion)
                {
                    entry.Latest = previous;
                    return previous;
                }
                changedAreas = log is null ? null : ChangedAreas.From(log, options);
            }

            var set = await IndicatorCalculator.ComputeAsync(_engine, options, full ? null : previous, changedAreas, progress, cancellationToken);
            // PostgreSQL keeps microseconds: trimming here makes the provenance identical before and after a restart.
            set = set with { ComputedAt = new DateTimeOffset(set.ComputedAt.UtcTicks / 10 * 10, TimeSpan.Zero) };
            await _repository.SaveAsync(set, cancellationToken);
            _logger.LogInformation(
                "Indicators computed with the {Engine} engine for data version {Version}: {Mode}, {Leaves} leaves measured, {Units} units recomputed in {Ms:F0} ms",
                set.Engine, set.DataVersion, set.Statistics.Incremental ? "incremental" : "full", set.Statistics.LeavesMeasured,
                set.Statistics.UnitsRecomputed, set.Statistics.ElapsedMilliseconds);
            entry.Latest = set;
            Evict();
            return set;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// The store's current data version and what changed since <paramref name="version"/>; a null log means the store
    /// cannot tell (its log does not reach back that far, or the set belongs to other data) and everything is measured.
    /// </summary>
    private async Task<(long Current, StoreChangeLog? Log)> ChangesSinceAsync(long version, CancellationToken cancellationToken)
    {
        var log = await _store.GetChangesSinceAsync(version, cancellationToken);
        return log is not null ? (log.ToVersion, log) : (-1, null);
    }

    /// <summary>Forgets the in-memory sets of the least recently used options beyond <see cref="CachedOptions"/> (they stay stored).</summary>
    private void Evict()
    {
        var withSets = _entries.Where(e => e.Value.Latest is not null).ToArray();
        foreach (var (_, entry) in withSets.OrderByDescending(e => Interlocked.Read(ref e.Value.LastUsed)).Skip(CachedOptions))
            entry.Latest = null;
    }

    public void Dispose()
    {
        foreach (var entry in _entries.Values) entry.Gate.Dispose();
    }
}
