using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// The named spatial values offer a number only where the store measured it: a region without population cells,
/// towers or fibre in the store is "unavailable, because …", never a false 0 %.
/// </summary>
public class IndicatorValuesTests
{
    private static UnitIndicators Unit(PopulationMethod method, int towers = 0, double covered4g = 0, double existingKm = 0,
        long villages = 0, long villagesOnFibre = 0, long opd = 0, long opdOnFibre = 0, double householdsInReach = 0) => new()
    {
        Code = "14.72",
        Name = "Kota Dumai",
        Level = AdminLevel.Regency,
        AreaKm2 = 1_800,
        Population = 320_000,
        Households = 94_000,
        PopulationMethod = method,
        LeafUnits = 1,
        Coverage = new Dictionary<RadioTechnology, CoverageIndicator>
        {
            [RadioTechnology.G4] = new(covered4g, 100.0 * covered4g / 320_000, ShareBasis.Population, null, null),
            [RadioTechnology.G5] = new(0, 0, ShareBasis.Population, null, null),
        },
        FibreKm = new Dictionary<FibreStatus, double> { [FibreStatus.Existing] = existingKm, [FibreStatus.Planned] = 0 },
        VillagesOnFibre = new ShareIndicator(villagesOnFibre, villages, villages == 0 ? null : 100.0 * villagesOnFibre / villages, null),
        FacilitiesOnFibre = new Dictionary<FacilityKind, ShareIndicator> { [FacilityKind.OpdOffice] = new(opdOnFibre, opd, opd == 0 ? null : 100.0 * opdOnFibre / opd, null) },
        HouseholdsFixedReach = new ReachIndicator(householdsInReach, 100.0 * householdsInReach / 94_000, ShareBasis.Population, null),
        Towers = new Dictionary<RadioTechnology, int> { [RadioTechnology.G4] = towers },
        TowersTotal = towers,
    };

    [Fact]
    public void WithoutPopulationCellsCoverageAndReachAreUnavailableWithTheReason()
    {
        var values = IndicatorValues.Of(Unit(PopulationMethod.UniformArea, towers: 12, covered4g: 200_000, existingKm: 40));

        Assert.Null(values["share_4g_pct"].Value);
        Assert.Contains("not placed by population cells", values["share_4g_pct"].Unavailable, StringComparison.Ordinal);
        Assert.Contains("not placed by population cells", values["households_fixed_reach_pct"].Unavailable, StringComparison.Ordinal);
        Assert.Contains("only part of 14.72 has population cells", IndicatorValues.Of(Unit(PopulationMethod.Mixed, towers: 3))["share_4g_pct"].Unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void CellsWithoutAnyTowerOrFibreAreNotReadAsZeroCoverage()
    {
        var values = IndicatorValues.Of(Unit(PopulationMethod.Cells));

        Assert.Equal("no tower in the store lies in or covers 14.72", values["share_4g_pct"].Unavailable);
        Assert.Equal("no existing fibre route in the store lies in or reaches 14.72", values["households_fixed_reach_pct"].Unavailable);
        Assert.Equal("the store holds no villages of 14.72", values["villages_on_fibre_pct"].Unavailable);
        Assert.Null(values["towers_total"].Value);
        Assert.Null(values["fibre_km_existing"].Value);
    }

    [Fact]
    public void MeasuredValuesAreOfferedIncludingAMeasuredZero()
    {
        var values = IndicatorValues.Of(Unit(PopulationMethod.Cells, towers: 4, covered4g: 160_000, existingKm: 12.5,
            villages: 10, villagesOnFibre: 0, opd: 20, opdOnFibre: 15, householdsInReach: 47_000));

        Assert.Equal(50, values["share_4g_pct"].Value);
        Assert.Equal(0, values["share_5g_pct"].Value);
        Assert.Equal(50, values["households_fixed_reach_pct"].Value);
        Assert.Equal(0, values["villages_on_fibre_pct"].Value);
        Assert.Equal(75, values["facilities_opd_office_on_fibre_pct"].Value);
        Assert.Equal("the store holds no puskesmas of 14.72", values["facilities_puskesmas_on_fibre_pct"].Unavailable);
        Assert.Equal(12.5, values["fibre_km_existing"].Value);
        Assert.Equal(4, values["towers_total"].Value);
        Assert.Equal(IndicatorValues.Descriptions.Keys.Order(), values.Keys.Order());
    }
}
