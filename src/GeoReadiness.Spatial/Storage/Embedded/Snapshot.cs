using System.Collections.Frozen;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// One immutable version of the embedded store's data with its spatial indexes. Readers take the current
/// snapshot and never see a half-applied change; writers build a new snapshot and swap it in.
/// </summary>
/// <remarks>
/// Thread-safe: built once, then only read (STRtree queries are safe once the tree is built). Because every part
/// is immutable, a new snapshot shares the parts a change did not touch with its predecessor (<see cref="Next"/>):
/// applying one fibre route rebuilds the fibre layer only, not the two million population cells.
/// </remarks>
internal sealed class Snapshot
{
    public long DataVersion { get; }
    public DateTimeOffset? UpdatedAt { get; }
    public UnitTable UnitTable { get; }
    /// <summary>Units sorted by code (ordinal), so that all descendants of a code form one contiguous run.</summary>
    public IReadOnlyList<AdminUnit> Units => UnitTable.Items;
    public FrozenDictionary<string, AdminUnit> UnitsByCode => UnitTable.ByCode;
    /// <summary>Unit counts for every level (0 where there are none).</summary>
    public IReadOnlyDictionary<AdminLevel, int> UnitsPerLevel => UnitTable.PerLevel;
    public Layer<FibreRoute> FibreRoutes { get; }
    public Layer<Tower> Towers { get; }
    public Layer<Facility> Facilities { get; }
    public Layer<PopulationCell> PopulationCells { get; }
    /// <summary>Where the data changed in the last versions.</summary>
    public ChangeHistory Changes { get; }

    public static Snapshot Empty { get; } = new(0, null, [], [], [], [], [], ChangeHistory.Empty);

    /// <summary>Builds every part from the given features (in any order).</summary>
    public Snapshot(
        long dataVersion,
        DateTimeOffset? updatedAt,
        IEnumerable<AdminUnit> units,
        IEnumerable<FibreRoute> fibreRoutes,
        IEnumerable<Tower> towers,
        IEnumerable<Facility> facilities,
        IEnumerable<PopulationCell> populationCells,
        ChangeHistory changes)
        : this(dataVersion, updatedAt, new UnitTable(units), new(fibreRoutes, FeatureSpecs.FibreRoutes), new(towers, FeatureSpecs.Towers),
            new(facilities, FeatureSpecs.Facilities), new(populationCells, FeatureSpecs.PopulationCells), changes)
    {
    }

    private Snapshot(
        long dataVersion,
        DateTimeOffset? updatedAt,
        UnitTable units,
        Layer<FibreRoute> fibreRoutes,
        Layer<Tower> towers,
        Layer<Facility> facilities,
        Layer<PopulationCell> populationCells,
        ChangeHistory changes)
    {
        DataVersion = dataVersion;
        UpdatedAt = updatedAt;
        UnitTable = units;
        FibreRoutes = fibreRoutes;
        Towers = towers;
        Facilities = facilities;
        PopulationCells = populationCells;
        Changes = changes;
    }

    /// <summary>
    /// The next version: the parts given are rebuilt from their new contents, every part passed as null is this
    /// snapshot's own (shared, not copied).
    /// </summary>
    public Snapshot Next(
        long dataVersion,
        DateTimeOffset updatedAt,
        ChangeHistory changes,
        IEnumerable<AdminUnit>? units = null,
        IEnumerable<FibreRoute>? fibreRoutes = null,
        IEnumerable<Tower>? towers = null,
        IEnumerable<Facility>? facilities = null,
        IEnumerable<PopulationCell>? populationCells = null) => new(
            dataVersion,
            updatedAt,
            units is null ? UnitTable : new UnitTable(units),
            fibreRoutes is null ? FibreRoutes : new(fibreRoutes, FeatureSpecs.FibreRoutes),
            towers is null ? Towers : new(towers, FeatureSpecs.Towers),
            facilities is null ? Facilities : new(facilities, FeatureSpecs.Facilities),
            populationCells is null ? PopulationCells : new(populationCells, FeatureSpecs.PopulationCells),
            changes);

    /// <summary>Indexes (into <see cref="Units"/>) of the units whose geometry intersects the box, ascending.</summary>
    public IEnumerable<int> UnitsIntersecting(Envelope box) => UnitTable.Intersecting(box);

    /// <summary>The index range [start, end) of the units strictly below <paramref name="ancestor"/>.</summary>
    public (int Start, int End) DescendantRange(string ancestor) => UnitTable.DescendantRange(ancestor);

    internal static STRtree<int> BuildIndex<T>(IReadOnlyList<T> items, Func<T, Geometry> geometry)
    {
        var tree = new STRtree<int>();
        for (var i = 0; i < items.Count; i++) tree.Insert(geometry(items[i]).EnvelopeInternal, i);
        tree.Build();
        return tree;
    }

    internal static IEnumerable<int> Intersecting(STRtree<int> index, Envelope box, Func<int, Geometry> geometry)
    {
        var boxGeometry = Geo.Factory.ToGeometry(box);
        var prepared = NetTopologySuite.Geometries.Prepared.PreparedGeometryFactory.Prepare(boxGeometry);
        var hits = index.Query(box).Where(i => prepared.Intersects(geometry(i))).ToList();
        hits.Sort();
        return hits;
    }
}

/// <summary>The administrative units of a snapshot: sorted by code, with a code lookup, counts per level and a spatial index.</summary>
internal sealed class UnitTable
{
    private readonly STRtree<int> _index;

    public UnitTable(IEnumerable<AdminUnit> units)
    {
        Items = units.OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        ByCode = Items.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        PerLevel = Enum.GetValues<AdminLevel>().ToFrozenDictionary(l => l, l => Items.Count(u => u.Level == l));
        _index = Snapshot.BuildIndex(Items, u => u.Geometry);
    }

    /// <summary>Sorted by code (ordinal), so that all descendants of a code form one contiguous run.</summary>
    public IReadOnlyList<AdminUnit> Items { get; }
    public FrozenDictionary<string, AdminUnit> ByCode { get; }
    /// <summary>Unit counts for every level (0 where there are none).</summary>
    public IReadOnlyDictionary<AdminLevel, int> PerLevel { get; }

    /// <summary>Indexes (into <see cref="Items"/>) of the units whose geometry intersects the box, ascending.</summary>
    public IEnumerable<int> Intersecting(Envelope box) => Snapshot.Intersecting(_index, box, i => Items[i].Geometry);

    /// <summary>The index range [start, end) of the units strictly below <paramref name="ancestor"/>.</summary>
    public (int Start, int End) DescendantRange(string ancestor)
    {
        var prefix = ancestor + ".";
        var start = LowerBound(prefix);
        var end = start;
        while (end < Items.Count && Items[end].Code.StartsWith(prefix, StringComparison.Ordinal)) end++;
        return (start, end);
    }

    private int LowerBound(string key)
    {
        int lo = 0, hi = Items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Items[mid].Code, key) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>How the embedded store keys, indexes and tracks the features of one layer.</summary>
/// <param name="Geometry">the geometry the spatial index and bbox queries use</param>
/// <param name="Extent">the box a change of the feature touches (see <see cref="ChangeTracking"/>)</param>
/// <param name="Reach">how far the feature's influence reaches, in metres (towers), else 0</param>
internal sealed record FeatureSpec<T>(
    FeatureLayer Layer,
    Func<T, string> Id,
    Func<T, Geometry> Geometry,
    Func<T, Envelope> Extent,
    Func<T, double> Reach);

internal static class FeatureSpecs
{
    public static FeatureSpec<AdminUnit> Units { get; } =
        new(FeatureLayer.Units, u => u.Code, u => u.Geometry, u => u.Geometry.EnvelopeInternal, _ => 0);

    public static FeatureSpec<FibreRoute> FibreRoutes { get; } =
        new(FeatureLayer.FibreRoutes, f => f.Id, f => f.Geometry, f => f.Geometry.EnvelopeInternal, _ => 0);

    public static FeatureSpec<Tower> Towers { get; } =
        new(FeatureLayer.Towers, t => t.Id, t => t.Location, ChangeTracking.ExtentOf, ChangeTracking.ReachOf);

    public static FeatureSpec<Facility> Facilities { get; } =
        new(FeatureLayer.Facilities, f => f.Id, f => f.Location, f => f.Location.EnvelopeInternal, _ => 0);

    public static FeatureSpec<PopulationCell> PopulationCells { get; } =
        new(FeatureLayer.PopulationCells, c => c.Id, c => c.Geometry, c => c.Geometry.EnvelopeInternal, _ => 0);
}

/// <summary>A feature layer of a snapshot: features sorted by id, with an id lookup and a spatial index.</summary>
internal sealed class Layer<T> where T : class
{
    private readonly Func<T, Geometry> _geometry;
    // Built on the first box query, not with the layer: a layer of millions of population cells is often only
    // read whole (by the indicator engine), and its tree would cost seconds and hundreds of MB at every open.
    private readonly Lazy<STRtree<int>> _index;

    public IReadOnlyList<T> Items { get; }
    /// <summary>Features by id. A plain dictionary: freezing one of millions of ids costs seconds at every open.</summary>
    public IReadOnlyDictionary<string, T> ById { get; }

    public Layer(IEnumerable<T> items, FeatureSpec<T> spec)
    {
        _geometry = spec.Geometry;
        Items = items.OrderBy(spec.Id, StringComparer.Ordinal).ToArray();
        ById = Items.ToDictionary(spec.Id, StringComparer.Ordinal);
        _index = new Lazy<STRtree<int>>(() => Snapshot.BuildIndex(Items, _geometry), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IReadOnlyList<T> Query(FeatureQuery query)
    {
        IEnumerable<T> rows = query.Bbox is { } box
            ? Snapshot.Intersecting(_index.Value, box, i => _geometry(Items[i])).Select(i => Items[i])
            : Items;
        return rows.Skip(query.Offset).Take(query.Limit).ToArray();
    }
}
