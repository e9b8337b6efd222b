using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>
/// The engine's named values straight from a unit's counts against <see cref="IndicatorValues.Of"/> on the
/// <see cref="GeoReadiness.Spatial.Indicators.UnitIndicators"/> of the same counts: every name, the same double and the
/// same availability, over random states that include empty totals, no towers, no fibre and replaced fibre.
/// </summary>
public class UnitCountValuesTests
{
    [Fact]
    public void NamedValuesFromCountsAreThoseOfIndicatorValues()
    {
        var rng = new Random(20261125);
        var shares = new double[3];
        var values = new double[UnitCountValues.Count];
        Assert.Equal(IndicatorValues.Descriptions.Keys.Order(StringComparer.Ordinal), UnitCountValues.Names.Order(StringComparer.Ordinal));
        for (var n = 0; n < 5000; n++)
        {
            long Count(int max) => rng.NextDouble() < 0.25 ? 0 : rng.Next(max);
            var population = Count(100_000);
            var households = Count(25_000);
            var covered = Enumerable.Range(0, Enum.GetValues<RadioTechnology>().Length).Select(_ => rng.NextDouble() < 0.3 ? 0.0 : rng.Next((int)population + 1)).ToArray();
            var facilities = Enumerable.Range(0, Enum.GetValues<FacilityKind>().Length).Select(_ => Count(30)).ToArray();
            var facilitiesOn = facilities.Select(f => f == 0 ? 0 : rng.NextInt64(f + 1)).ToArray();
            var villages = Count(200);
            var fibre = Enumerable.Range(0, Enum.GetValues<FibreStatus>().Length).Select(_ => rng.NextDouble() < 0.4 ? 0.0 : rng.NextDouble() * 50_000 - (rng.NextDouble() < 0.1 ? 50_000 : 0)).ToArray();
            var towers = Enumerable.Range(0, Enum.GetValues<RadioTechnology>().Length).Select(_ => (int)Count(20)).ToArray();
            var counts = new UnitCounts
            {
                Covered = covered,
                Population = population,
                InReach = rng.NextDouble() < 0.3 ? 0 : rng.Next((int)households + 1),
                Households = households,
                VillagesOn = villages == 0 ? 0 : rng.NextInt64(villages + 1),
                Villages = villages,
                FacilitiesOn = facilitiesOn,
                Facilities = facilities,
                FibreMetres = fibre,
                Towers = towers,
                TowersTotal = rng.NextDouble() < 0.3 ? 0 : towers.Max() + rng.Next(3),
            };
            UnitCountValues.Compute(counts, values, shares);
            var expected = IndicatorValues.Of(UnitCountValues.Indicators("11.01", counts, 3));
            Assert.Equal(expected.Count, values.Length);
            for (var k = 0; k < values.Length; k++)
            {
                var e = expected[UnitCountValues.Names[k]];
                Assert.True(e.Value is null == double.IsNaN(values[k]), $"state {n}: {UnitCountValues.Names[k]} is {e.Value?.ToString() ?? e.Unavailable} but the counts give {values[k]}");
                if (e.Value is { } v)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(values[k]));
            }
        }
    }
}
