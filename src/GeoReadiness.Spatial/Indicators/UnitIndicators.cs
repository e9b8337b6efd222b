using System.Collections.Immutable;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>What a share is a share of.</summary>
public enum ShareBasis
{
    /// <summary>People (or households): covered / total.</summary>
    Population,
    /// <summary>Area, when the population is unknown and spread uniformly: covered area / area.</summary>
    Area,
}

/// <summary>The readiness indicators of one unit (any level). Shares are percentages (0–100).</summary>
public sealed record UnitIndicators
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required AdminLevel Level { get; init; }
    public string? ParentCode { get; init; }

    /// <summary>Geodesic area of the unit's own boundary, km².</summary>
    public required double AreaKm2 { get; init; }
    public long? Population { get; init; }
    public long? Households { get; init; }
    /// <summary>People per km² of <see cref="AreaKm2"/>.</summary>
    public double? DensityPerKm2 { get; init; }
    /// <summary>How people were placed: population cells, uniform over the area, or both (aggregates).</summary>
    public required PopulationMethod PopulationMethod { get; init; }
    /// <summary>Leaf units (units without children) this unit's figures are summed from; 1 for a leaf.</summary>
    public required int LeafUnits { get; init; }

    /// <summary>4G, 3G, … coverage: people within coverage of at least one tower offering the technology.</summary>
    public required IReadOnlyDictionary<RadioTechnology, CoverageIndicator> Coverage { get; init; }

    /// <summary>Geodesic length of fibre routes inside the unit, km, per status.</summary>
    public required IReadOnlyDictionary<FibreStatus, double> FibreKm { get; init; }

    /// <summary>Villages whose office (or point-on-surface) is within fibre reach of an existing route.</summary>
    public required ShareIndicator VillagesOnFibre { get; init; }

    /// <summary>Facilities within fibre reach of an existing route, per kind (every kind present in the store).</summary>
    public required IReadOnlyDictionary<FacilityKind, ShareIndicator> FacilitiesOnFibre { get; init; }

    /// <summary>Households within household reach of existing fibre: the proxy for fixed broadband as % of households.</summary>
    public required ReachIndicator HouseholdsFixedReach { get; init; }

    /// <summary>Towers located in the unit offering each technology.</summary>
    public required IReadOnlyDictionary<RadioTechnology, int> Towers { get; init; }
    public required int TowersTotal { get; init; }
}

/// <param name="PopulationCovered">people covered; null when the population is unknown</param>
/// <param name="SharePercent">covered share; by population, or by area when the population is unknown</param>
/// <param name="CoveredAreaKm2">area inside coverage, summed over the leaves without population cells (null when
/// every leaf has cells, whose coverage is measured by people, not area)</param>
public sealed record CoverageIndicator(double? PopulationCovered, double? SharePercent, ShareBasis? Basis, ShareBand? Band, double? CoveredAreaKm2);

/// <summary>A count out of a total, its share in percent (null when the total is 0) and its band.</summary>
public sealed record ShareIndicator(long Count, long Total, double? SharePercent, ShareBand? Band);

/// <param name="Households">households within reach; null when households are unknown</param>
public sealed record ReachIndicator(double? Households, double? SharePercent, ShareBasis? Basis, ShareBand? Band);
