using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Measures the raw spatial quantities of leaf units (units without child units) by spatial joins. One
/// implementation per store (embedded NetTopologySuite, PostGIS SQL); both follow the rules in
/// Indicators/README.md exactly and are held equal by the parity suite. Aggregation up the hierarchy, shares
/// and bands are computed from these measures by <see cref="IndicatorAggregator"/>, the same code for both.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface IIndicatorEngine
{
    /// <summary>"embedded" or "postgis".</summary>
    string Name { get; }

    /// <summary>
    /// Reads the hierarchy (every unit) and measures the leaves in <paramref name="scope"/>, all from one consistent
    /// version of the data.
    /// </summary>
    Task<EngineMeasurement> MeasureAsync(
        IndicatorOptions options,
        MeasureScope scope,
        IProgress<IndicatorProgress>? progress = null,
        CancellationToken cancellationToken = default);
}

/// <summary>Which leaves to measure: all of them, or those whose boundary's envelope intersects one of the areas.</summary>
public sealed record MeasureScope
{
    public static MeasureScope All { get; } = new();

    /// <summary>null = every leaf; otherwise only leaves whose envelope intersects one of these lon/lat boxes.</summary>
    public IReadOnlyList<Envelope>? Areas { get; init; }

    public static MeasureScope Within(IReadOnlyList<Envelope> areas) => new() { Areas = areas };

    public bool Includes(Envelope leafEnvelope) => Areas is null || Areas.Any(a => a.Intersects(leafEnvelope));
}

/// <summary>Progress of a computation: the stage and how many of the leaves to measure are done.</summary>
public sealed record IndicatorProgress(string Stage, int Done, int Total);

/// <summary>What an engine read and measured.</summary>
/// <param name="DataVersion">the store's data version the measurement was taken from</param>
/// <param name="Units">every unit of the store, ordered by code</param>
/// <param name="Leaves">measures of the leaves in scope, ordered by code</param>
/// <param name="Unassigned">point features (cells, towers, facilities) that fall in no leaf, per layer</param>
public sealed record EngineMeasurement(
    long DataVersion,
    IReadOnlyList<UnitNode> Units,
    IReadOnlyList<LeafMeasures> Leaves,
    UnassignedFeatures Unassigned);

public sealed record UnassignedFeatures(long PopulationCells, long Towers, long Facilities)
{
    public static UnassignedFeatures None { get; } = new(0, 0, 0);
}

/// <summary>A unit of the hierarchy without its boundary, with the geodesic area of its own boundary.</summary>
/// <param name="IsLeaf">true when no unit has this one as parent</param>
public sealed record UnitNode(
    string Code,
    string Name,
    AdminLevel Level,
    string? ParentCode,
    long? Population,
    long? Households,
    double AreaM2,
    bool IsLeaf);

public enum PopulationMethod
{
    /// <summary>People placed by population cells.</summary>
    Cells,
    /// <summary>The unit's population spread uniformly over its area.</summary>
    UniformArea,
    /// <summary>An aggregate over units of both kinds.</summary>
    Mixed,
}

/// <summary>
/// The raw measures of one leaf unit, in metres, square metres and counts. See Indicators/README.md for the
/// exact rule behind each.
/// </summary>
public sealed record LeafMeasures
{
    public required string Code { get; init; }

    /// <summary><see cref="PopulationMethod.Cells"/> when at least one population cell is assigned to the leaf.</summary>
    public required PopulationMethod Method { get; init; }

    /// <summary>Population cells assigned to the leaf.</summary>
    public long Cells { get; init; }
    /// <summary>Sum of the assigned cells' population (Cells method; 0 otherwise).</summary>
    public long CellPopulation { get; init; }
    /// <summary>Sum of the assigned cells' households (Cells method; 0 otherwise).</summary>
    public long CellHouseholds { get; init; }

    /// <summary>Cells method: people in cells covered by at least one tower offering the technology.</summary>
    public IReadOnlyDictionary<RadioTechnology, long> CoveredPopulation { get; init; } = EnumMap<RadioTechnology, long>.Empty;

    /// <summary>UniformArea method: geodesic area (m²) of the leaf inside the union of the technology's coverage.</summary>
    public IReadOnlyDictionary<RadioTechnology, double> CoveredAreaM2 { get; init; } = EnumMap<RadioTechnology, double>.Empty;

    /// <summary>Cells method: households in cells within household reach of existing fibre.</summary>
    public long HouseholdsInReach { get; init; }

    /// <summary>UniformArea method: share (0–1) of the leaf's area within household reach of existing fibre.</summary>
    public double ReachAreaShare { get; init; }

    /// <summary>Geodesic length (m) of the fibre routes inside the leaf, per status.</summary>
    public IReadOnlyDictionary<FibreStatus, double> FibreMetres { get; init; } = EnumMap<FibreStatus, double>.Empty;

    /// <summary>Village leaves only: whether the village's anchor (its office, else its point-on-surface) is within
    /// fibre reach of an existing route; null for leaves that are not villages.</summary>
    public bool? VillageOnFibre { get; init; }

    /// <summary>Village leaves only: true when the anchor is a village office, false when it is the point-on-surface.</summary>
    public bool? AnchorIsOffice { get; init; }

    /// <summary>Facilities located in the leaf, per kind.</summary>
    public IReadOnlyDictionary<FacilityKind, int> Facilities { get; init; } = EnumMap<FacilityKind, int>.Empty;

    /// <summary>Facilities located in the leaf within fibre reach of an existing route, per kind.</summary>
    public IReadOnlyDictionary<FacilityKind, int> FacilitiesOnFibre { get; init; } = EnumMap<FacilityKind, int>.Empty;

    /// <summary>Towers located in the leaf offering the technology.</summary>
    public IReadOnlyDictionary<RadioTechnology, int> Towers { get; init; } = EnumMap<RadioTechnology, int>.Empty;

    /// <summary>Towers located in the leaf (each counted once).</summary>
    public int TowersTotal { get; init; }

    public bool Equals(LeafMeasures? other) =>
        other is not null && Code == other.Code && Method == other.Method && Cells == other.Cells
        && CellPopulation == other.CellPopulation && CellHouseholds == other.CellHouseholds
        && HouseholdsInReach == other.HouseholdsInReach && ReachAreaShare == other.ReachAreaShare
        && VillageOnFibre == other.VillageOnFibre && AnchorIsOffice == other.AnchorIsOffice && TowersTotal == other.TowersTotal
        && SameMap(CoveredPopulation, other.CoveredPopulation) && SameMap(CoveredAreaM2, other.CoveredAreaM2)
        && SameMap(FibreMetres, other.FibreMetres) && SameMap(Facilities, other.Facilities)
        && SameMap(FacilitiesOnFibre, other.FacilitiesOnFibre) && SameMap(Towers, other.Towers);

    public override int GetHashCode() => HashCode.Combine(Code, Method, Cells, CellPopulation);

    /// <summary>Maps compare by value with a missing key meaning zero, so sparse and dense maps are equal.</summary>
    private static bool SameMap<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> a, IReadOnlyDictionary<TKey, TValue> b)
        where TKey : notnull =>
        a.All(kv => EqualityComparer<TValue>.Default.Equals(kv.Value, b.GetValueOrDefault(kv.Key)!))
        && b.All(kv => EqualityComparer<TValue>.Default.Equals(kv.Value, a.GetValueOrDefault(kv.Key)!));

}
