using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// The parity rule of Indicators/README.md as assertions: equal counts and methods, and areas, lengths and
/// shares within a relative tolerance (0.1 % by default), leaf by leaf.
/// </summary>
public static class EngineParity
{
    public const double Tolerance = 1e-3;

    /// <summary>Asserts that two measurements agree: same units (areas within the tolerance) and leaves.</summary>
    public static void AssertEquivalent(EngineMeasurement expected, EngineMeasurement actual, double tolerance = Tolerance)
    {
        Assert.Equal(expected.DataVersion, actual.DataVersion);
        Assert.Equal(expected.Units.Select(u => (u.Code, u.Name, u.Level, u.ParentCode, u.Population, u.Households, u.IsLeaf)),
            actual.Units.Select(u => (u.Code, u.Name, u.Level, u.ParentCode, u.Population, u.Households, u.IsLeaf)));
        for (var i = 0; i < expected.Units.Count; i++)
            AssertClose(expected.Units[i].AreaM2, actual.Units[i].AreaM2, tolerance, $"{expected.Units[i].Code} area");
        Assert.Equal(expected.Unassigned, actual.Unassigned);
        Assert.Equal(expected.Leaves.Select(l => l.Code), actual.Leaves.Select(l => l.Code));
        var areas = expected.Units.ToDictionary(u => u.Code, u => u.AreaM2, StringComparer.Ordinal);
        for (var i = 0; i < expected.Leaves.Count; i++) AssertEquivalent(expected.Leaves[i], actual.Leaves[i], areas[expected.Leaves[i].Code], tolerance);
    }

    /// <summary>Asserts that two measures of one leaf agree; covered areas are compared as shares of <paramref name="leafAreaM2"/>.</summary>
    public static void AssertEquivalent(LeafMeasures e, LeafMeasures a, double leafAreaM2, double tolerance = Tolerance)
    {
        var at = e.Code;
        Assert.Equal(e.Code, a.Code);
        Assert.True(e.Method == a.Method, $"{at}: method {e.Method} ≠ {a.Method}");
        Assert.True((e.Cells, e.CellPopulation, e.CellHouseholds) == (a.Cells, a.CellPopulation, a.CellHouseholds),
            $"{at}: cells {(e.Cells, e.CellPopulation, e.CellHouseholds)} ≠ {(a.Cells, a.CellPopulation, a.CellHouseholds)}");
        foreach (var t in Enum.GetValues<RadioTechnology>())
        {
            Assert.True(e.CoveredPopulation.GetValueOrDefault(t) == a.CoveredPopulation.GetValueOrDefault(t),
                $"{at} {t}: covered people {e.CoveredPopulation.GetValueOrDefault(t)} ≠ {a.CoveredPopulation.GetValueOrDefault(t)}");
            // A share of the leaf's area: a sliver of a large leaf is compared against the leaf, not against itself.
            AssertClose(e.CoveredAreaM2.GetValueOrDefault(t) / leafAreaM2, a.CoveredAreaM2.GetValueOrDefault(t) / leafAreaM2, tolerance, $"{at} {t} covered share", absolute: true);
            Assert.True(e.Towers.GetValueOrDefault(t) == a.Towers.GetValueOrDefault(t), $"{at} {t}: towers {e.Towers.GetValueOrDefault(t)} ≠ {a.Towers.GetValueOrDefault(t)}");
        }
        Assert.True(e.TowersTotal == a.TowersTotal, $"{at}: towers {e.TowersTotal} ≠ {a.TowersTotal}");
        Assert.True(e.HouseholdsInReach == a.HouseholdsInReach, $"{at}: households in reach {e.HouseholdsInReach} ≠ {a.HouseholdsInReach}");
        AssertClose(e.ReachAreaShare, a.ReachAreaShare, tolerance, $"{at} reach share", absolute: true);
        foreach (var s in Enum.GetValues<FibreStatus>())
            AssertClose(e.FibreMetres.GetValueOrDefault(s), a.FibreMetres.GetValueOrDefault(s), tolerance, $"{at} fibre {s}", floor: 0.01);
        Assert.True(e.VillageOnFibre == a.VillageOnFibre, $"{at}: village on fibre {e.VillageOnFibre} ≠ {a.VillageOnFibre}");
        Assert.True(e.AnchorIsOffice == a.AnchorIsOffice, $"{at}: anchor is office {e.AnchorIsOffice} ≠ {a.AnchorIsOffice}");
        foreach (var k in Enum.GetValues<FacilityKind>())
        {
            Assert.True(e.Facilities.GetValueOrDefault(k) == a.Facilities.GetValueOrDefault(k), $"{at} {k}: facilities {e.Facilities.GetValueOrDefault(k)} ≠ {a.Facilities.GetValueOrDefault(k)}");
            Assert.True(e.FacilitiesOnFibre.GetValueOrDefault(k) == a.FacilitiesOnFibre.GetValueOrDefault(k),
                $"{at} {k}: facilities on fibre {e.FacilitiesOnFibre.GetValueOrDefault(k)} ≠ {a.FacilitiesOnFibre.GetValueOrDefault(k)}");
        }
    }

    /// <summary>Relative comparison (or absolute with <paramref name="absolute"/>); values below <paramref name="floor"/> compare absolutely.</summary>
    public static void AssertClose(double expected, double actual, double tolerance, string what, bool absolute = false, double floor = 0)
    {
        var scale = absolute ? 1 : Math.Max(Math.Abs(expected), floor);
        var ok = Math.Abs(expected - actual) <= tolerance * scale || (floor > 0 && Math.Abs(expected - actual) <= floor);
        Assert.True(ok, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):G4}, tolerance {tolerance:P2})");
    }
}
