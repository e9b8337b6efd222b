using System.Text.Json;
using GeoReadiness.Api.Health;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Api.Indicators;

/// <summary>Where a set of indicators comes from: every figure can be traced to the data and parameters that produced it.</summary>
/// <param name="SetId">id of the computed set; equal ids mean identical figures</param>
/// <param name="DataVersion">the store's data version the set was computed from (see /health)</param>
/// <param name="Engine">embedded (NetTopologySuite) or postgis (SQL)</param>
/// <param name="RulesVersion">version of the indicator rules (src/GeoReadiness.Spatial/Indicators/README.md)</param>
/// <param name="Options">every parameter used, defaults included</param>
public sealed record IndicatorProvenance(
    Guid SetId,
    long DataVersion,
    string Engine,
    string RulesVersion,
    DateTimeOffset ComputedAt,
    IndicatorOptionsResponse Options,
    IndicatorStatisticsResponse Statistics);

/// <param name="RadiusMetres">default coverage radius per technology (2g … 5g) for towers without their own</param>
/// <param name="BandEdgesPercent">upper edges of every band but the last</param>
/// <param name="Bands">the band labels, lowest first, e.g. 0–25, 26–50, 51–75, 76–100</param>
public sealed record IndicatorOptionsResponse(
    double FibreReachMetres,
    double HouseholdReachMetres,
    IReadOnlyDictionary<string, double> RadiusMetres,
    IReadOnlyList<int> BandEdgesPercent,
    IReadOnlyList<string> Bands,
    int CircleVertices,
    int BufferQuadrantSegments);

/// <param name="Incremental">true when only the leaves touched by changes since the previous set were measured</param>
/// <param name="BasedOn">the set an incremental computation started from</param>
/// <param name="UnitsRecomputed">leaves measured plus ancestors re-aggregated</param>
/// <param name="Unassigned">population cells, towers and facilities that lie in no leaf unit</param>
public sealed record IndicatorStatisticsResponse(
    bool Incremental,
    Guid? BasedOn,
    int LeavesMeasured,
    int UnitsRecomputed,
    double ElapsedMilliseconds,
    UnassignedResponse Unassigned);

public sealed record UnassignedResponse(long PopulationCells, long Towers, long Facilities);

/// <summary>The indicators of one unit. Shares are percentages (0–100); bands are Kominfo-style labels such as 26–50.</summary>
/// <param name="Level">province, regency, district or village</param>
/// <param name="PopulationMethod">cells (population cells), uniformArea (the unit's population spread over its area) or mixed</param>
/// <param name="LeafUnits">leaf units (without children) the figures are summed from; 1 for a village</param>
/// <param name="Coverage">per technology (2g, 3g, 4g, 5g): people within coverage of at least one tower</param>
/// <param name="FibreKm">geodesic length of fibre inside the unit per status (existing, planned, underConstruction)</param>
/// <param name="VillagesOnFibre">villages whose office (or point-on-surface) is within fibreReachMetres of existing fibre</param>
/// <param name="FacilitiesOnFibre">per facility kind: facilities within fibreReachMetres of existing fibre</param>
/// <param name="HouseholdsFixedReach">households within householdReachMetres of existing fibre</param>
/// <param name="Towers">towers located in the unit per technology offered</param>
public sealed record UnitIndicatorsResponse(
    string Code,
    string Name,
    string Level,
    string? ParentCode,
    double AreaKm2,
    long? Population,
    long? Households,
    double? DensityPerKm2,
    PopulationMethod PopulationMethod,
    int LeafUnits,
    IReadOnlyDictionary<string, CoverageResponse> Coverage,
    IReadOnlyDictionary<string, double> FibreKm,
    ShareResponse VillagesOnFibre,
    IReadOnlyDictionary<string, ShareResponse> FacilitiesOnFibre,
    ReachResponse HouseholdsFixedReach,
    IReadOnlyDictionary<string, int> Towers,
    int TowersTotal);

/// <param name="PopulationCovered">people covered (absent when the population is unknown)</param>
/// <param name="Basis">population, or area when the population is unknown (covered area / area)</param>
/// <param name="CoveredAreaKm2">area inside coverage of the leaves without population cells</param>
public sealed record CoverageResponse(double? PopulationCovered, double? SharePercent, ShareBasis? Basis, string? Band, double? CoveredAreaKm2);

public sealed record ShareResponse(long Count, long Total, double? SharePercent, string? Band);

public sealed record ReachResponse(double? Households, double? SharePercent, ShareBasis? Basis, string? Band);

/// <summary>One unit's indicators with their provenance.</summary>
public sealed record UnitIndicatorsDocument(IndicatorProvenance Provenance, UnitIndicatorsResponse Unit);

/// <param name="NumberMatched">units matching level and parent, over all pages</param>
/// <param name="Next">URL of the next page, absent on the last page</param>
public sealed record IndicatorPage(
    IndicatorProvenance Provenance,
    IReadOnlyList<UnitIndicatorsResponse> Items,
    int Offset,
    int Limit,
    int NumberReturned,
    int NumberMatched,
    string? Next);

/// <summary>Maps the computed indicators to the response records by hand, with the API's names (2g, existing, opdOffice).</summary>
internal static class IndicatorMapping
{
    public static string Name(FibreStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string Name(FacilityKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    public static IndicatorProvenance Provenance(IndicatorSet set)
    {
        var o = set.Options;
        var s = set.Statistics;
        return new IndicatorProvenance(set.Id, set.DataVersion, set.Engine, set.Rules, set.ComputedAt,
            new IndicatorOptionsResponse(o.FibreReachMetres, o.HouseholdReachMetres,
                o.DefaultRadiusMetres.ToDictionary(kv => IndicatorOptions.TechnologyName(kv.Key), kv => kv.Value),
                [.. o.BandEdgesPercent], [.. o.Bands.Select(b => b.Label)], o.CircleVertices, o.BufferQuadrantSegments),
            new IndicatorStatisticsResponse(s.Incremental, s.BasedOn, s.LeavesMeasured, s.UnitsRecomputed, s.ElapsedMilliseconds,
                new UnassignedResponse(s.Unassigned.PopulationCells, s.Unassigned.Towers, s.Unassigned.Facilities)));
    }

    /// <param name="technologies">the coverage entries to include</param>
    public static UnitIndicatorsResponse ToResponse(UnitIndicators u, IReadOnlyCollection<RadioTechnology> technologies) => new(
        u.Code,
        u.Name,
        UnitLevels.Name(u.Level),
        u.ParentCode,
        u.AreaKm2,
        u.Population,
        u.Households,
        u.DensityPerKm2,
        u.PopulationMethod,
        u.LeafUnits,
        u.Coverage.Where(kv => technologies.Contains(kv.Key)).ToDictionary(
            kv => IndicatorOptions.TechnologyName(kv.Key),
            kv => new CoverageResponse(kv.Value.PopulationCovered, kv.Value.SharePercent, kv.Value.Basis, kv.Value.Band?.Label, kv.Value.CoveredAreaKm2)),
        u.FibreKm.ToDictionary(kv => Name(kv.Key), kv => kv.Value),
        Share(u.VillagesOnFibre),
        u.FacilitiesOnFibre.ToDictionary(kv => Name(kv.Key), kv => Share(kv.Value)),
        new ReachResponse(u.HouseholdsFixedReach.Households, u.HouseholdsFixedReach.SharePercent, u.HouseholdsFixedReach.Basis, u.HouseholdsFixedReach.Band?.Label),
        u.Towers.ToDictionary(kv => IndicatorOptions.TechnologyName(kv.Key), kv => kv.Value),
        u.TowersTotal);

    private static ShareResponse Share(ShareIndicator s) => new(s.Count, s.Total, s.SharePercent, s.Band?.Label);
}
