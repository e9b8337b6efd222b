using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Cohorts;

public class CohortValidationTests
{
    private static IReadOnlyList<ProfileProblem> Problems(CohortRequest request, IReadOnlyList<CohortUnit> pool)
    {
        var v = CohortValidator.Validate(request, pool, CohortTestData.Bands);
        Assert.Null(v.Plan);
        return v.Problems;
    }

    private static CohortRequest Ready(int k, CohortConstraints? c = null, IReadOnlyList<string>? units = null) =>
        new(k, CohortObjective.MostReady, c ?? new CohortConstraints(), Units: units);

    [Fact]
    public void TooManyIslandGroupMinimumsForKAreNamedWithTheirArithmetic()
    {
        var (pool, _) = CohortTestData.National();
        var p = Assert.Single(Problems(Ready(20, new(MinPerIslandGroup: 3)), pool));
        Assert.Equal(new ProfileProblem("constraints.minPerIslandGroup", "minPerIslandGroup 3 × 7 groups = 21 > k 20"), p);
    }

    [Fact]
    public void TooFewEligible3TUnits()
    {
        var (pool, _) = CohortTestData.Small(
            ("94.01", true, false, "kurang_siap", 50, 5), ("94.02", true, false, "kurang_siap", 50, 5),
            ("94.03", true, true, "kurang_siap", 50, 5), ("32.01", false, false, "siap", 90, 1),
            ("32.02", false, false, "siap", 85, 1), ("32.03", true, false, "siap", 85, 1), ("32.04", false, false, "siap", 85, 1));
        var p = Assert.Single(Problems(Ready(5, new(Min3T: 4, ExcludeMentored: true)), pool));
        Assert.Equal(new ProfileProblem("constraints.min3T", "min3T 4 but only 3 eligible 3T units"), p);
        Assert.Equal("min3T 6 > k 5", Assert.Single(Problems(Ready(5, new(Min3T: 6)), pool)).Message);
    }

    [Fact]
    public void ProvinceMaximaThatCannotFillKAreNamed()
    {
        var (pool, _) = CohortTestData.National();
        var provinces = pool.Select(u => u.ProvinceCode).Distinct().Take(30).ToHashSet();
        var units = pool.Where(u => provinces.Contains(u.ProvinceCode)).Select(u => u.Code).ToArray();
        var p = Assert.Single(Problems(Ready(50, new(MaxPerProvince: 1), units), pool));
        Assert.Equal(new ProfileProblem("constraints.maxPerProvince", "maxPerProvince 1 × 30 provinces with eligible units = 30 < k 50"), p);
    }

    [Fact]
    public void AnIslandGroupMinimumAboveItsEligibleUnitsOrItsProvincesMaxima()
    {
        var (pool, _) = CohortTestData.Small(
            ("81.01", false, false, "kurang_siap", 50, 5), ("81.02", false, false, "kurang_siap", 50, 5),
            ("81.03", false, true, "kurang_siap", 50, 5), ("82.01", false, false, "kurang_siap", 40, 5),
            ("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1), ("32.03", false, false, "siap", 85, 1),
            ("33.01", false, false, "siap", 85, 1), ("34.01", false, false, "siap", 85, 1));
        // 81.03 mentored before: Maluku keeps three eligible units
        Assert.Equal(new ProfileProblem("constraints.minPerIslandGroup", "minPerIslandGroup 4 but Maluku has only 3 eligible units"),
            Assert.Single(Problems(Ready(8, new(MinPerIslandGroup: 4, ExcludeMentored: true)), pool)));
        Assert.Contains(new ProfileProblem("constraints.minPerIslandGroup", "minPerIslandGroup 3 but Maluku can give at most maxPerProvince 1 × 2 provinces = 2"),
            Problems(Ready(5, new(MinPerIslandGroup: 3, MaxPerProvince: 1)), pool));
    }

    [Fact]
    public void ProvinceMinimumsAboveTheirEligibleUnitsAndAboveAGroupMaximum()
    {
        var (pool, _) = CohortTestData.Small(
            ("11.01", false, false, "siap", 80, 1), ("12.01", false, false, "siap", 80, 1), ("12.02", false, true, "siap", 80, 1),
            ("13.01", false, false, "siap", 80, 1), ("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1));
        var problems = Problems(Ready(5, new(MinPerProvince: 1, MaxPerIslandGroup: 2, ExcludeMentored: true)), pool);
        Assert.Contains(new ProfileProblem("constraints.maxPerIslandGroup", "minPerProvince 1 × 3 provinces of Sumatra = 3 > maxPerIslandGroup 2"), problems);
        var short_ = Problems(Ready(4, new(MinPerProvince: 2)), pool);
        Assert.Contains(new ProfileProblem("constraints.minPerProvince", "minPerProvince 2 but 2 provinces have fewer eligible units: 11 (1), 13 (1)"), short_);
    }

    [Fact]
    public void CapacityAnd3TConflictsAreNamed()
    {
        var (pool, _) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1), ("33.01", false, false, "siap", 80, 1),
            ("94.01", true, false, "kurang_siap", 50, 5), ("94.02", false, false, "kurang_siap", 45, 5));
        Assert.Equal("constraints: at most 3 of the 5 eligible units fit under maxPerProvince 1 and maxPerIslandGroup 2 (Java 2, Papua 1) < k 4",
            Assert.Single(Problems(Ready(4, new(MaxPerProvince: 1, MaxPerIslandGroup: 2)), pool)).ToString());

        var (papua, _) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1), ("33.01", false, false, "siap", 80, 1),
            ("94.01", true, false, "kurang_siap", 50, 5), ("94.02", true, false, "kurang_siap", 45, 5), ("95.01", true, false, "kurang_siap", 45, 5));
        Assert.Equal("constraints.min3T: min3T 3 but at most 2 of the 3 eligible 3T units fit under maxPerProvince 1",
            Assert.Single(Problems(Ready(3, new(MaxPerProvince: 1, Min3T: 3)), papua)).ToString());

        var (forced, _) = CohortTestData.Small(
            ("32.01", true, false, "siap", 90, 1), ("32.02", true, false, "siap", 85, 1),
            ("81.01", false, false, "kurang_siap", 50, 5), ("94.01", false, false, "kurang_siap", 45, 5), ("94.02", false, false, "kurang_siap", 40, 5));
        Assert.Equal("constraints.min3T: min3T 2 but under minPerProvince 1, 2 of the k 3 places go to units that are not 3T, leaving 1",
            Assert.Single(Problems(Ready(3, new(MinPerProvince: 1, Min3T: 2)), forced)).ToString());
    }

    [Fact]
    public void RequestErrorsAreAllCollectedWithTheirPaths()
    {
        var (pool, _) = CohortTestData.Small(("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1));
        var problems = Problems(new CohortRequest(0, CohortObjective.Blend, new(MinPerProvince: 3, MaxPerProvince: 2, Min3T: -1, MinBand: "sangat_siap"),
            Units: ["32.01", "32.09", "32.01"]), pool);
        Assert.Equal(
        [
            "k: must be at least 1 (got 0)",
            "weight: missing: the blend objective needs the weight 0–1 of readiness (1 − weight: of gain)",
            "constraints.min3T: must be ≥ 0 (got -1)",
            "constraints.minPerProvince: minPerProvince 3 > maxPerProvince 2",
            "constraints.minBand: unknown band 'sangat_siap' (the profile's bands, lowest first: belum_siap, kurang_siap, cukup_siap, siap)",
            "units[1]: unknown unit '32.09': not in the assessed pool",
            "units[2]: duplicate unit '32.01'",
        ], problems.Select(p => p.ToString()));
        Assert.Equal("weight: only the blend objective takes a weight (objective is most_ready)",
            Assert.Single(Problems(new CohortRequest(1, CohortObjective.MostReady, new(), Weight: 0.5), pool)).ToString());
        Assert.Equal("weight: must be between 0 and 1 (got 1.5)",
            Assert.Single(Problems(new CohortRequest(1, CohortObjective.Blend, new(), Weight: 1.5), pool)).ToString());
    }

    [Fact]
    public void KLargerThanTheEligiblePoolSaysWhatWasLeftOut()
    {
        var (pool, _) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 1), ("32.02", false, true, "siap", 85, 1), ("32.03", false, true, "cukup_siap", 70, 1),
            ("32.04", false, false, "kurang_siap", 50, 1), ("32.05", false, false, "cukup_siap", 65, 1), ("32.06", false, false, "belum_siap", 20, 1));
        Assert.Equal("k: k 3 but only 2 eligible units (6 requested; 2 mentored before, 2 below band cukup_siap left out)",
            Assert.Single(Problems(Ready(3, new(ExcludeMentored: true, MinBand: "cukup_siap")), pool)).ToString());
        var plan = CohortValidator.Validate(Ready(2, new(ExcludeMentored: true, MinBand: "cukup_siap")), pool, CohortTestData.Bands).Plan!;
        Assert.Equal(["32.01", "32.05"], plan.Eligible.Select(u => u.Code));
        Assert.Equal((2, 2), (plan.ExcludedMentored, plan.ExcludedBelowBand));
    }

    [Fact]
    public void ACertificateIsOnlyGivenForInfeasibleQuotasAndEveryInfeasibleSetIsExplained()
    {
        int certified = 0, byConflictSet = 0;
        for (var instance = 0; instance < 400; instance++)
        {
            var (layout, _) = CohortSolverTests.RandomInstance(RandomStream.For(instance, "cohort-certificates", 5), ties: false);
            var c = new CohortConstraints(
                layout.Provinces[0].Min, layout.Provinces[0].Max == int.MaxValue ? null : layout.Provinces[0].Max,
                layout.Groups[0].Min, layout.Groups[0].Max == int.MaxValue ? null : layout.Groups[0].Max, layout.Min3T);
            var feasible = new CohortSolver(layout).IsFeasible();
            var certificates = CohortInfeasibility.Certificates(layout, c);
            if (feasible)
            {
                Assert.Empty(certificates);
                continue;
            }
            var explained = CohortInfeasibility.Explain(layout, c);
            Assert.NotEmpty(explained);
            if (certificates.Count > 0)
                certified++;
            else
            {
                var p = Assert.Single(explained);
                Assert.Equal("constraints", p.Path);
                Assert.Contains("cannot hold together", p.Message, StringComparison.Ordinal);
                byConflictSet++;
            }
        }
        // the counting arguments explain most conflicts; the rest are named by their minimal constraint set
        Assert.InRange(certified, 30, 400);
        Assert.InRange(byConflictSet, 0, certified / 4);
    }

    [Fact]
    public void AConflictNoCountingArgumentCoversIsNamedByItsMinimalConstraintSet()
    {
        // Java: 32 one unit, 33 two 3T units; Papua: 94 one 3T unit and one other. Each province needs a unit and Java
        // takes at most two, so Java gives at most one 3T unit and Papua one: two, not three. No count alone is short.
        var (pool, _) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 1), ("33.01", true, false, "siap", 85, 1), ("33.02", true, false, "siap", 80, 1),
            ("94.01", true, false, "kurang_siap", 50, 5), ("94.02", false, false, "kurang_siap", 45, 5));
        var p = Assert.Single(Problems(Ready(4, new(MinPerProvince: 1, MaxPerIslandGroup: 2, Min3T: 3)), pool));
        Assert.Equal("constraints", p.Path);
        Assert.Equal("k 4, minPerProvince 1, maxPerIslandGroup 2 and min3T 3 cannot hold together: no selection of the 5 eligible units "
            + "meets them all, and dropping any one of the constraints makes one possible", p.Message);
    }
}
