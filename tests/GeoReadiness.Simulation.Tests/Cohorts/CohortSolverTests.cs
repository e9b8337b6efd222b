using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Cohorts;

public class CohortSolverTests
{
    private const ulong Seed = 20260707;

    /// <summary>A random small instance: up to 14 units over up to 5 provinces in up to 3 island groups, random quotas (some absent).</summary>
    internal static (SelectionLayout Layout, double[] Values) RandomInstance(RandomStream rng, bool ties)
    {
        int Next(int lo, int hi) => lo + (int)(rng.NextUInt64() % (ulong)(hi - lo + 1));
        string[] provinceCodes = ["13", "14", "32", "33", "53", "94"];
        var n = Next(1, 14);
        var provinceCount = Next(1, 5);
        var provinceCodesUsed = provinceCodes.OrderBy(_ => rng.NextUInt64()).Take(provinceCount).OrderBy(c => c, StringComparer.Ordinal).ToArray();
        var groups = provinceCodesUsed.Select(c => IslandGroups.Of(c)!.Value).Distinct().OrderBy(g => g).ToArray();
        var k = Next(0, n);
        int? Maybe(int lo, int hi) => rng.NextDouble() < 0.5 ? null : Next(lo, hi);
        var minP = Maybe(0, 2) ?? 0;
        var maxP = Maybe(1, 5) ?? int.MaxValue;
        var minG = Maybe(0, 4) ?? 0;
        var maxG = Maybe(1, 8) ?? int.MaxValue;
        var min3T = Maybe(0, 4) ?? 0;
        var provinces = provinceCodesUsed.Select(c => new SolverProvince(c, Array.IndexOf(groups, IslandGroups.Of(c)!.Value), minP, maxP)).ToArray();
        var units = Enumerable.Range(0, n).Select(i =>
        {
            var p = Next(0, provinceCount - 1);
            return new SolverUnit($"{provinceCodesUsed[p]}.{i + 1:00}", p, rng.NextDouble() < 0.3);
        }).ToArray();
        var values = units.Select(_ => ties ? Next(0, 4) * 0.5 : rng.NextDouble() * 100).ToArray();
        return (new SelectionLayout(units, provinces, groups.Select(g => new SolverGroup(g, minG, maxG)).ToArray(), k, min3T), values);
    }

    /// <summary>Every subset of size K, the quotas checked one by one, the best by <see cref="CohortSolver.Better"/>; also how many subsets tie with it completely.</summary>
    internal static (int[]? Best, double Objective, int Ties) BruteForce(SelectionLayout layout, double[] values)
    {
        var units = layout.Units;
        var n = units.Count;
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ThenBy(i => units[i].Code, StringComparer.Ordinal).ToArray();
        var position = new long[n];
        for (var r = 0; r < n; r++) position[order[r]] = r;
        int? best = null;
        double bestValue = double.NegativeInfinity;
        long bestPositions = 0;
        var feasible = new List<(int Mask, double Value, long Positions)>();
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != layout.K) continue;
            var perProvince = new int[layout.Provinces.Count];
            var perGroup = new int[layout.Groups.Count];
            var threeT = 0;
            var value = 0.0;
            long positions = 0;
            for (var i = 0; i < n; i++)
            {
                if ((mask & (1 << i)) == 0) continue;
                perProvince[units[i].Province]++;
                perGroup[layout.Provinces[units[i].Province].Group]++;
                if (units[i].ThreeT) threeT++;
                value += values[i];
                positions += position[i];
            }
            if (threeT < layout.Min3T) continue;
            if (layout.Provinces.Where((p, j) => perProvince[j] < p.Min || perProvince[j] > p.Max).Any()) continue;
            if (layout.Groups.Where((g, j) => perGroup[j] < g.Min || perGroup[j] > g.Max).Any()) continue;
            feasible.Add((mask, value, positions));
            if (CohortSolver.Better(value, positions, bestValue, bestPositions))
            {
                best = mask;
                bestValue = value;
                bestPositions = positions;
            }
        }
        if (best is not { } b) return (null, double.NaN, 0);
        var ties = feasible.Count(f => Math.Abs(f.Value - bestValue) <= 1e-9 * Math.Max(1, Math.Abs(bestValue)) && f.Positions == bestPositions);
        return (Enumerable.Range(0, n).Where(i => (b & (1 << i)) != 0).OrderBy(i => position[i]).ToArray(), bestValue, ties);
    }

    [Fact]
    public void TheSolverEqualsBruteForceOn200RandomSmallInstances()
    {
        int feasible = 0, infeasible = 0, compared = 0;
        for (var instance = 0; instance < 200; instance++)
        {
            var rng = RandomStream.For(instance, "cohort-brute-force", Seed);
            var (layout, values) = RandomInstance(rng, ties: instance % 2 == 1);
            var solved = new CohortSolver(layout).Solve(values);
            var (best, objective, ties) = BruteForce(layout, values);
            if (best is null)
            {
                Assert.Null(solved);
                infeasible++;
                continue;
            }
            feasible++;
            Assert.NotNull(solved);
            Assert.Equal(objective, solved.Objective, 9);
            Assert.Equal(objective, solved.Units.Sum(i => values[i]), 9);
            if (ties == 1)
            {
                Assert.Equal(best, solved.Units);
                compared++;
            }
        }
        // the generator gives both outcomes in numbers, and the selections themselves are compared almost always
        Assert.InRange(feasible, 60, 200);
        Assert.InRange(infeasible, 20, 200);
        Assert.InRange(compared, feasible * 9 / 10, feasible);
    }

    [Fact]
    public void ASelectionDoesNotDependOnTheOrderTheUnitsAreListedIn()
    {
        for (var instance = 0; instance < 50; instance++)
        {
            var (layout, values) = RandomInstance(RandomStream.For(instance, "cohort-order", Seed), ties: true);
            var solved = new CohortSolver(layout).Solve(values);
            var reversed = layout with { Units = layout.Units.Reverse().ToArray() };
            var again = new CohortSolver(reversed).Solve(values.Reverse().ToArray());
            Assert.Equal(solved is null, again is null);
            if (solved is null) continue;
            Assert.Equal(solved.Units.Select(i => layout.Units[i].Code), again!.Units.Select(i => reversed.Units[i].Code));
        }
    }

    [Fact]
    public void QuotasOverrideTheBestValues()
    {
        // two provinces of Java, one of Papua; the best four values are all in 32 but at most two per province,
        // at least one unit in Papua and at least one 3T unit
        SolverUnit[] units =
        [
            new("32.01", 0, false), new("32.02", 0, false), new("32.03", 0, false), new("32.04", 0, false),
            new("33.01", 1, false), new("33.02", 1, true), new("94.01", 2, true), new("94.02", 2, false),
        ];
        double[] values = [90, 89, 88, 87, 60, 50, 10, 25];
        var layout = new SelectionLayout(units,
            [new("32", 0, 0, 2), new("33", 0, 0, 2), new("94", 1, 0, 3)],
            [new(IslandGroup.Java, 0, 9), new(IslandGroup.Papua, 1, 9)], 4, 1);
        var s = new CohortSolver(layout).Solve(values)!;
        // the two best of 32, then Papua's best (94.02, 25) and a 3T unit: 33.02 (50) beats 33.01 (60) + 94.01 (3T, 10)
        Assert.Equal(["32.01", "32.02", "33.02", "94.02"], s.Units.Select(i => units[i].Code));
        Assert.Equal(90 + 89 + 50 + 25, s.Objective, 9);
        // without the 3T minimum the better 33.01 comes in
        var free = new CohortSolver(layout with { Min3T = 0 }).Solve(values)!;
        Assert.Equal(["32.01", "32.02", "33.01", "94.02"], free.Units.Select(i => units[i].Code));
    }

    [Fact]
    public void NoSelectionMeetsContradictoryQuotas()
    {
        SolverUnit[] units = [new("32.01", 0, false), new("32.02", 0, false), new("94.01", 1, false)];
        var layout = new SelectionLayout(units, [new("32", 0, 0, 1), new("94", 1, 0, 9)],
            [new(IslandGroup.Java, 0, 9), new(IslandGroup.Papua, 0, 9)], 3, 0);
        Assert.False(new CohortSolver(layout).IsFeasible());
        Assert.True(new CohortSolver(layout with { K = 2 }).IsFeasible());
        Assert.False(new CohortSolver(layout with { K = 2, Min3T = 1 }).IsFeasible());
    }
}
