using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Storage;

public enum StoreKind
{
    Embedded,
    PostGis,
}

/// <summary>
/// The spatial store: the administrative hierarchy with fibre routes, towers, facilities and population
/// cells. One implementation per backend (PostGIS, embedded); both are held equal by one contract test-suite.
/// </summary>
/// <remarks>Implementations are safe for concurrent use by many requests.</remarks>
public interface ISpatialStore
{
    StoreKind Kind { get; }

    /// <summary>Data version and feature counts.</summary>
    Task<StoreSummary> GetSummaryAsync(CancellationToken cancellationToken = default);

    Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>Units matching the query, ordered by code.</summary>
    Task<IReadOnlyList<AdminUnit>> QueryUnitsAsync(UnitQuery query, CancellationToken cancellationToken = default);

    /// <summary>Features of a layer, ordered by id.</summary>
    Task<IReadOnlyList<FibreRoute>> QueryFibreRoutesAsync(FeatureQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Tower>> QueryTowersAsync(FeatureQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Facility>> QueryFacilitiesAsync(FeatureQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<PopulationCell>> QueryPopulationCellsAsync(FeatureQuery query, CancellationToken cancellationToken = default);

    /// <summary>Which of the given unit codes exist in the store.</summary>
    Task<IReadOnlySet<string>> ExistingUnitCodesAsync(IEnumerable<string> codes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Upserts a change set (units by code, other features by id), all or nothing: when anything fails —
    /// a broken reference, a constraint, a cancellation — the store is left exactly as it was.
    /// Re-applying the same change is reported as unchanged and does not bump the data version.
    /// </summary>
    /// <exception cref="StoreIntegrityException">the change would break the hierarchy or a key.</exception>
    Task<ChangeSummary> ApplyAsync(DatasetChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the data changed after version <paramref name="sinceVersion"/>, up to the current version: per
    /// change and per changed layer, one box covering the old and new geometries of every inserted or updated
    /// feature (a tower's coverage polygon included), for incremental indicator recompute.
    /// </summary>
    /// <returns>
    /// The log from <paramref name="sinceVersion"/> to the current version (no extents when they are equal), or
    /// null when the store cannot tell: the log no longer reaches back that far (it keeps the last
    /// <c>1,000</c> versions, and starts where change tracking was added to an existing store), or
    /// <paramref name="sinceVersion"/> is greater than the current version (the caller's figures belong to other
    /// data, e.g. a store that was recreated). Null means "recompute everything".
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sinceVersion"/> is negative.</exception>
    Task<StoreChangeLog?> GetChangesSinceAsync(long sinceVersion, CancellationToken cancellationToken = default);
}

/// <param name="Level">only units of this level</param>
/// <param name="Ancestor">only units below this code (any depth); the ancestor itself is excluded</param>
/// <param name="Bbox">only units whose geometry intersects this lon/lat box</param>
public sealed record UnitQuery(
    AdminLevel? Level = null,
    string? Ancestor = null,
    Envelope? Bbox = null,
    int Offset = 0,
    int Limit = int.MaxValue);

public sealed record FeatureQuery(Envelope? Bbox = null, int Offset = 0, int Limit = int.MaxValue)
{
    public static FeatureQuery All { get; } = new();
}

/// <summary>A set of features to upsert together. <see cref="Source"/> describes where they came from (file, generator).</summary>
public sealed record DatasetChange
{
    public required string Source { get; init; }
    public IReadOnlyList<AdminUnit> Units { get; init; } = [];
    public IReadOnlyList<FibreRoute> FibreRoutes { get; init; } = [];
    public IReadOnlyList<Tower> Towers { get; init; } = [];
    public IReadOnlyList<Facility> Facilities { get; init; } = [];
    public IReadOnlyList<PopulationCell> PopulationCells { get; init; } = [];

    public bool IsEmpty => Units.Count + FibreRoutes.Count + Towers.Count + Facilities.Count + PopulationCells.Count == 0;
}

public sealed record LayerChange(int Inserted, int Updated, int Unchanged)
{
    public static LayerChange None { get; } = new(0, 0, 0);
    public bool ChangedAnything => Inserted + Updated > 0;
}

public sealed record ChangeSummary(
    long DataVersion,
    LayerChange Units,
    LayerChange FibreRoutes,
    LayerChange Towers,
    LayerChange Facilities,
    LayerChange PopulationCells)
{
    public bool ChangedAnything =>
        Units.ChangedAnything || FibreRoutes.ChangedAnything || Towers.ChangedAnything
        || Facilities.ChangedAnything || PopulationCells.ChangedAnything;
}

/// <param name="DataVersion">increases by one with every change that alters the data; 0 for an empty store</param>
/// <param name="UpdatedAt">when the data last changed (UTC); null for an empty store</param>
public sealed record StoreSummary(
    StoreKind Kind,
    long DataVersion,
    DateTimeOffset? UpdatedAt,
    IReadOnlyDictionary<AdminLevel, int> UnitsPerLevel,
    int FibreRoutes,
    int Towers,
    int Facilities,
    int PopulationCells);

/// <summary>A change rejected because it would break the hierarchy or a key; the store is unchanged.</summary>
public sealed class StoreIntegrityException(string message, IReadOnlyList<string> problems) : Exception(message)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
