using GeoReadiness.Spatial.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// The in-process store used when no database is configured: the whole dataset in memory with STRtree
/// indexes, persisted to one file in a data directory so that a restart loses nothing.
/// </summary>
/// <remarks>
/// Thread-safe. Readers work on an immutable <see cref="Snapshot"/>; a change builds a new snapshot,
/// writes it to a temporary file, renames that over the store file (an atomic replace on one file
/// system) and only then makes it current — the staged swap that makes <see cref="ApplyAsync"/> all or
/// nothing. One process at a time owns a data directory (an exclusive lock file).
/// </remarks>
public sealed class EmbeddedStore : ISpatialStore, IAsyncDisposable, IDisposable
{
    public const string StoreFileName = "store.bin";
    private const string LockFileName = ".lock";

    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ILogger _logger;
    private volatile Snapshot _current;

    private EmbeddedStore(string directory, FileStream lockFile, Snapshot snapshot, ILogger logger)
    {
        _directory = directory;
        _lock = lockFile;
        _current = snapshot;
        _logger = logger;
    }

    public StoreKind Kind => StoreKind.Embedded;

    /// <summary>The current immutable snapshot (for the embedded indicator engine).</summary>
    internal Snapshot CurrentSnapshot => _current;

    /// <summary>The folder that holds the store file.</summary>
    public string Directory => _directory;

    /// <summary>
    /// Opens (or creates) the store in <paramref name="directory"/>.
    /// </summary>
    /// <exception cref="IOException">another process holds the directory.</exception>
    /// <exception cref="InvalidDataException">the store file is corrupt.</exception>
    public static Task<EmbeddedStore> OpenAsync(string directory, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(full, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the data directory '{full}' is in use by another GeoReadiness process", e);
        }
        try
        {
            // Temporary files of a write that was interrupted (a crash between write and rename) are debris.
            foreach (var stale in System.IO.Directory.EnumerateFiles(full, StoreFileName + ".tmp-*")) File.Delete(stale);
            var path = Path.Combine(full, StoreFileName);
            var snapshot = File.Exists(path) ? SnapshotFile.Read(path) : Snapshot.Empty;
            var log = logger ?? NullLogger.Instance;
            log.LogInformation("Embedded store opened at {Directory}: data version {Version}, {Units} units", full, snapshot.DataVersion, snapshot.Units.Count);
            return Task.FromResult(new EmbeddedStore(full, lockFile, snapshot, log));
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    public Task<StoreSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        var s = _current;
        return Task.FromResult(new StoreSummary(StoreKind.Embedded, s.DataVersion, s.UpdatedAt, s.UnitsPerLevel,
            s.FibreRoutes.Items.Count, s.Towers.Items.Count, s.Facilities.Items.Count, s.PopulationCells.Items.Count));
    }

    public Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.UnitsByCode.GetValueOrDefault(code));

    public Task<IReadOnlyList<AdminUnit>> QueryUnitsAsync(UnitQuery query, CancellationToken cancellationToken = default)
    {
        var s = _current;
        IEnumerable<int> rows;
        if (query.Ancestor is not null)
        {
            var (start, end) = s.DescendantRange(query.Ancestor);
            rows = Enumerable.Range(start, end - start);
            if (query.Bbox is { } box)
            {
                var inBox = s.UnitsIntersecting(box).ToHashSet();
                rows = rows.Where(inBox.Contains);
            }
        }
        else
        {
            rows = query.Bbox is { } box ? s.UnitsIntersecting(box) : Enumerable.Range(0, s.Units.Count);
        }
        if (query.Level is { } level) rows = rows.Where(i => s.Units[i].Level == level);
        IReadOnlyList<AdminUnit> result = rows.Skip(query.Offset).Take(query.Limit).Select(i => s.Units[i]).ToArray();
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<FibreRoute>> QueryFibreRoutesAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.FibreRoutes.Query(query));

    public Task<IReadOnlyList<Tower>> QueryTowersAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.Towers.Query(query));

    public Task<IReadOnlyList<Facility>> QueryFacilitiesAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.Facilities.Query(query));

    public Task<IReadOnlyList<PopulationCell>> QueryPopulationCellsAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.PopulationCells.Query(query));

    public Task<IReadOnlySet<string>> ExistingUnitCodesAsync(IEnumerable<string> codes, CancellationToken cancellationToken = default)
    {
        var s = _current;
        IReadOnlySet<string> found = codes.Where(s.UnitsByCode.ContainsKey).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(found);
    }

    /// <summary>How many versions the change log keeps; lowered by tests only.</summary>
    internal int ChangeLogCapacity { get; set; } = ChangeTracking.RetainedVersions;

    /// <summary>Test-only: the current snapshot, to check which parts a change rebuilt.</summary>
    internal Snapshot CurrentSnapshotForTesting => _current;

    /// <summary>
    /// Called after the new snapshot's file is written and before it replaces the store file: a seam for
    /// tests that fail an apply half-way. Production code leaves it null.
    /// </summary>
    internal Func<CancellationToken, Task>? BeforeSwapForTesting { get; set; }

    /// <summary>Called after each layer of a change is merged into the working copy (layer name as in PostGIS: admin_unit, …).</summary>
    internal Func<string, Task>? AfterLayerMergedForTesting { get; set; }

    /// <inheritdoc />
    /// <remarks>
    /// Only the layers the change alters are rebuilt (sorted, indexed); the others, and the units when no unit
    /// changed, are shared with the previous snapshot. The store file is still rewritten whole.
    /// </remarks>
    public async Task<ChangeSummary> ApplyAsync(DatasetChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var s = _current;
            var parents = ChangeValidator.ExternalParentCodes(change).Where(s.UnitsByCode.ContainsKey).ToHashSet(StringComparer.Ordinal);
            ChangeValidator.Validate(change, parents);

            var version = s.DataVersion + 1;
            var units = Merge(s.UnitsByCode, change.Units, FeatureSpecs.Units, version);
            await LayerMerged("admin_unit", cancellationToken);
            var fibre = Merge(s.FibreRoutes.ById, change.FibreRoutes, FeatureSpecs.FibreRoutes, version);
            await LayerMerged("fibre_route", cancellationToken);
            var towers = Merge(s.Towers.ById, change.Towers, FeatureSpecs.Towers, version);
            await LayerMerged("tower", cancellationToken);
            var facilities = Merge(s.Facilities.ById, change.Facilities, FeatureSpecs.Facilities, version);
            await LayerMerged("facility", cancellationToken);
            var cells = Merge(s.PopulationCells.ById, change.PopulationCells, FeatureSpecs.PopulationCells, version);
            await LayerMerged("population_cell", cancellationToken);
            var summary = new ChangeSummary(s.DataVersion, units.Change, fibre.Change, towers.Change, facilities.Change, cells.Change);
            if (!summary.ChangedAnything) return summary;

            ChangedExtent?[] extents = [units.Extent, fibre.Extent, towers.Extent, facilities.Extent, cells.Extent];
            var history = s.Changes.Append(new ChangeHistory.Entry(version, units.Change.ChangedAnything, [.. extents.OfType<ChangedExtent>()]), ChangeLogCapacity);
            var next = s.Next(version, new DateTimeOffset(DateTime.UtcNow.Ticks, TimeSpan.Zero), history,
                units.Items, fibre.Items, towers.Items, facilities.Items, cells.Items);
            var target = Path.Combine(_directory, StoreFileName);
            var temp = $"{target}.tmp-{Guid.NewGuid():N}";
            try
            {
                await SnapshotFile.WriteAsync(next, temp, cancellationToken);
                if (BeforeSwapForTesting is { } hook) await hook(cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                File.Move(temp, target, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
            _current = next;
            _logger.LogInformation("Embedded store: applied '{Source}', data version {Version}", change.Source, next.DataVersion);
            return summary with { DataVersion = next.DataVersion };
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public Task<StoreChangeLog?> GetChangesSinceAsync(long sinceVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(_current.Changes.Since(sinceVersion));

    private async Task LayerMerged(string layer, CancellationToken cancellationToken)
    {
        if (AfterLayerMergedForTesting is { } hook) await hook(layer);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <param name="Items">the layer's new contents, or null when the change leaves the layer as it was</param>
    /// <param name="Extent">the box of the old and new geometries of every inserted or updated feature, or null</param>
    private sealed record Merged<T>(IEnumerable<T>? Items, LayerChange Change, ChangedExtent? Extent);

    private static Merged<T> Merge<T>(IReadOnlyDictionary<string, T> existing, IReadOnlyList<T> incoming, FeatureSpec<T> spec, long version)
        where T : class
    {
        if (incoming.Count == 0) return new Merged<T>(null, LayerChange.None, null);
        int inserted = 0, updated = 0, unchanged = 0;
        Dictionary<string, T>? merged = null;   // copied only once something actually changes
        Envelope? extent = null;
        var reach = 0.0;
        foreach (var item in incoming)
        {
            var k = spec.Id(item);
            if (existing.TryGetValue(k, out var old))
            {
                if (old.Equals(item))
                {
                    unchanged++;
                    continue;
                }
                updated++;
                Touch(old);
            }
            else
            {
                inserted++;
            }
            Touch(item);
            (merged ??= new Dictionary<string, T>(existing, StringComparer.Ordinal))[k] = item;
        }
        return new Merged<T>(merged?.Values, new LayerChange(inserted, updated, unchanged),
            extent is null ? null : new ChangedExtent(version, spec.Layer, extent, reach));

        void Touch(T feature)
        {
            var box = spec.Extent(feature);
            if (extent is null) extent = new Envelope(box); else extent.ExpandToInclude(box);
            reach = Math.Max(reach, spec.Reach(feature));
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        _writer.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
