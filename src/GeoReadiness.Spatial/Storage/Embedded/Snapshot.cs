using System.Collections.Frozen;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// One immutable version of the embedded store's data with its spatial indexes. Readers take the current
/// snapshot and never see a half-applied change; writers build a new snapshot and swap it in.
/// </summary>
/// <remarks>Thread-safe: built once, then only read (STRtree queries are safe once the tree is built).</remarks>
internal sealed class Snapshot
{
    public long DataVersion { get; }
    public DateTimeOffset? UpdatedAt { get; }
    /// <summary>Units sorted by code (ordinal), so that all descendants of a code form one contiguous run.</summary>
    public IReadOnlyList<AdminUnit> Units { get; }
    public FrozenDictionary<string, AdminUnit> UnitsByCode { get; }
    /// <summary>Unit counts for every level (0 where there are none).</summary>
    public IReadOnlyDictionary<AdminLevel, int> UnitsPerLevel { get; }
    public Layer<FibreRoute> FibreRoutes { get; }
    public Layer<Tower> Towers { get; }
    public Layer<Facility> Facilities { get; }
    public Layer<PopulationCell> PopulationCells { get; }

    private readonly STRtree<int> _unitIndex;

    public static Snapshot Empty { get; } = new(0, null, [], [], [], [], []);

    public Snapshot(
        long dataVersion,
        DateTimeOffset? updatedAt,
        IEnumerable<AdminUnit> units,
        IEnumerable<FibreRoute> fibreRoutes,
        IEnumerable<Tower> towers,
        IEnumerable<Facility> facilities,
        IEnumerable<PopulationCell> populationCells)
    {
        DataVersion = dataVersion;
        UpdatedAt = updatedAt;
        Units = units.OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        UnitsByCode = Units.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        UnitsPerLevel = Enum.GetValues<AdminLevel>().ToFrozenDictionary(l => l, l => Units.Count(u => u.Level == l));
        _unitIndex = BuildIndex(Units, u => u.Geometry);
        FibreRoutes = new Layer<FibreRoute>(fibreRoutes, f => f.Id, f => f.Geometry);
        Towers = new Layer<Tower>(towers, t => t.Id, t => t.Location);
        Facilities = new Layer<Facility>(facilities, f => f.Id, f => f.Location);
        PopulationCells = new Layer<PopulationCell>(populationCells, c => c.Id, c => c.Geometry);
    }

    /// <summary>Indexes (into <see cref="Units"/>) of the units whose geometry intersects the box, ascending.</summary>
    public IEnumerable<int> UnitsIntersecting(Envelope box) => Intersecting(_unitIndex, box, i => Units[i].Geometry);

    /// <summary>The index range [start, end) of the units strictly below <paramref name="ancestor"/>.</summary>
    public (int Start, int End) DescendantRange(string ancestor)
    {
        var prefix = ancestor + ".";
        var start = LowerBound(prefix);
        var end = start;
        while (end < Units.Count && Units[end].Code.StartsWith(prefix, StringComparison.Ordinal)) end++;
        return (start, end);
    }

    private int LowerBound(string key)
    {
        int lo = 0, hi = Units.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(Units[mid].Code, key) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

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

/// <summary>A feature layer of a snapshot: features sorted by id, with an id lookup and a spatial index.</summary>
internal sealed class Layer<T> where T : class
{
    private readonly Func<T, Geometry> _geometry;
    private readonly STRtree<int> _index;

    public IReadOnlyList<T> Items { get; }
    public FrozenDictionary<string, T> ById { get; }

    public Layer(IEnumerable<T> items, Func<T, string> id, Func<T, Geometry> geometry)
    {
        _geometry = geometry;
        Items = items.OrderBy(id, StringComparer.Ordinal).ToArray();
        ById = Items.ToFrozenDictionary(id, StringComparer.Ordinal);
        _index = Snapshot.BuildIndex(Items, geometry);
    }

    public IReadOnlyList<T> Query(FeatureQuery query)
    {
        IEnumerable<T> rows = query.Bbox is { } box
            ? Snapshot.Intersecting(_index, box, i => _geometry(Items[i])).Select(i => Items[i])
            : Items;
        return rows.Skip(query.Offset).Take(query.Limit).ToArray();
    }
}
