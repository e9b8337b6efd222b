using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Cohorts;

namespace GeoReadiness.Simulation.Tests.Cohorts;

public class CohortEngineTests
{
    private static readonly CohortConstraints NationalQuotas =
        new(MaxPerProvince: 3, MinPerIslandGroup: 3, Min3T: 5, ExcludeMentored: true, MinBand: "kurang_siap");

    private static CohortInputs NationalInputs(int draws = 0)
    {
        var (pool, outlooks) = CohortTestData.National();
        return new CohortInputs(pool, CohortTestData.Bands, outlooks,
            draws > 0 ? CohortTestData.Draws(outlooks, draws, 3, CohortTestData.Seed) : null,
            Versions: new Dictionary<string, string> { ["profile"] = "kominfo-2019 1.0.0", ["data"] = "test-national" });
    }

    [Fact]
    public void ANationalCohortOf50MeetsEveryConstraint()
    {
        var inputs = NationalInputs();
        var request = new CohortRequest(50, CohortObjective.MostReady, NationalQuotas, Seed: 5);
        var result = CohortEngine.Select(request, inputs);
        var pool = inputs.Pool.ToDictionary(u => u.Code);
        var selected = result.Selected.Select(e => pool[e.Code]).ToArray();
        Assert.Equal(50, selected.Length);
        Assert.Equal(50, selected.Select(u => u.Code).Distinct().Count());
        Assert.All(selected, u => Assert.False(u.MentoredBefore));
        Assert.All(selected, u => Assert.NotEqual("belum_siap", u.Band));
        Assert.All(selected.GroupBy(u => u.ProvinceCode), g => Assert.InRange(g.Count(), 1, 3));
        var perGroup = selected.GroupBy(u => IslandGroups.Of(u.ProvinceCode)).ToDictionary(g => g.Key!.Value, g => g.Count());
        Assert.All(IslandGroups.All, g => Assert.InRange(perGroup.GetValueOrDefault(g), 3, 50));
        Assert.InRange(selected.Count(u => u.ThreeT), 5, 50);
        Assert.Equal(Enumerable.Range(1, 50), result.Selected.Select(e => e.Rank!.Value));
        Assert.Equal(result.Selected.Sum(e => e.Objective), result.Summary.Total, 9);
        // the quota counts reported agree with the cohort
        Assert.All(result.Summary.IslandGroups, q => Assert.Equal(perGroup.GetValueOrDefault(IslandGroups.All.Single(g => g.WireName() == q.Id)), q.Selected));
        Assert.Equal(selected.Count(u => u.ThreeT), result.Summary.ThreeT);
        // the quotas bind: without them the cohort is all Java and Sumatra, and scores more
        var free = CohortEngine.Select(request with { Constraints = new() }, inputs);
        Assert.True(free.Summary.Total > result.Summary.Total);
        Assert.DoesNotContain(free.Selected, e => e.IslandGroup is IslandGroup.Papua or IslandGroup.Maluku);
    }

    [Fact]
    public void NoSingleSwapImprovesTheNationalCohort()
    {
        // a necessary condition of optimality that needs no solver: replacing one selected unit by one eligible unit
        // outside either breaks a constraint or does not raise the total
        var inputs = NationalInputs();
        var request = new CohortRequest(50, CohortObjective.MostReady, NationalQuotas with { MinPerIslandGroup = 5, Min3T = 8 });
        var result = CohortEngine.Select(request, inputs);
        var plan = CohortValidator.Validate(request, inputs.Pool, inputs.Bands).Plan!;
        var value = inputs.Outlooks.ToDictionary(o => o.Code, o => o.Ready);
        var pool = inputs.Pool.ToDictionary(u => u.Code);
        var chosen = result.Selected.Select(e => e.Code).ToHashSet();
        bool Meets(IEnumerable<string> codes)
        {
            var units = codes.Select(c => pool[c]).ToArray();
            return units.GroupBy(u => u.ProvinceCode).All(g => g.Count() <= 3)
                && IslandGroups.All.All(g => units.Count(u => IslandGroups.Of(u.ProvinceCode) == g) >= 5)
                && units.Count(u => u.ThreeT) >= 8;
        }
        Assert.True(Meets(chosen));
        var swaps = 0;
        foreach (var outCode in chosen)
            foreach (var inUnit in plan.Eligible.Where(u => !chosen.Contains(u.Code) && value[u.Code] > value[outCode]))
            {
                swaps++;
                Assert.False(Meets(chosen.Where(c => c != outCode).Append(inUnit.Code)), $"swapping {outCode} for {inUnit.Code} improves the cohort");
            }
        Assert.True(swaps > 100, "the quotas should keep better units out");
    }

    [Fact]
    public void TheSameRequestGivesTheSameResultOnOneAndTwoThreads()
    {
        var inputs = NationalInputs(draws: 120);
        var request = new CohortRequest(50, CohortObjective.MostReady, NationalQuotas, Seed: 5);
        var one = CohortEngine.Select(request, inputs, maxDegreeOfParallelism: 1).ToJson();
        var two = CohortEngine.Select(request, inputs, maxDegreeOfParallelism: 2).ToJson();
        Assert.Equal(one, two);
        // and listing the pool in another order changes nothing
        var shuffled = inputs with { Pool = inputs.Pool.Reverse().ToArray(), Outlooks = inputs.Outlooks.Reverse().ToArray() };
        Assert.Equal(one, CohortEngine.Select(request, shuffled, maxDegreeOfParallelism: 2).ToJson());
    }

    [Fact]
    public void FrequenciesStabilityAndBorderlineFollowFromTheDraws()
    {
        var inputs = NationalInputs(draws: 200);
        var result = CohortEngine.Select(new CohortRequest(50, CohortObjective.MostReady, NationalQuotas, Seed: 5), inputs);
        Assert.Equal(200, result.Summary.Draws);
        // every draw selects exactly 50 and ranks exactly 50 in its top K
        Assert.Equal(50, result.Units.Sum(u => u.Frequency!.Value), 9);
        Assert.Equal(50, result.Units.Sum(u => u.ProbabilityTopK!.Value), 9);
        Assert.All(result.Units, u => Assert.Equal(Math.Round(u.Frequency!.Value * 200), u.Frequency!.Value * 200, 9));
        Assert.Equal(result.Selected.Count(e => e.Frequency >= 0.9), result.Summary.Stable);
        Assert.InRange(result.Summary.Stable!.Value, 1, 49);
        var inCohort = result.Selected.Select(e => e.Code).ToHashSet();
        var expectedBorderline = result.Units.Where(u => u.Selected ? u.Frequency < 0.9 : u.Frequency >= 0.1).Select(u => u.Code).ToHashSet();
        Assert.Subset(result.Borderline.Select(b => b.Code).ToHashSet(), expectedBorderline);
        Assert.Equal(expectedBorderline.Count + CohortEngine.NextInLine, result.Borderline.Count);
        Assert.All(result.Borderline, b => Assert.Equal(inCohort.Contains(b.Code), b.Rank is not null));
        Assert.All(result.Borderline, b => Assert.NotNull(b.Why));
        // draws that all equal the expected scores select the cohort every time
        var (pool, outlooks) = CohortTestData.National();
        var certain = CohortEngine.Select(new CohortRequest(50, CohortObjective.MostReady, NationalQuotas),
            new CohortInputs(pool, CohortTestData.Bands, outlooks, CohortTestData.Draws(outlooks, 5, 0, 1)));
        Assert.Equal(50, certain.Summary.Stable);
        Assert.All(certain.Units, u => Assert.Equal(u.Selected ? 1 : 0, u.Frequency));
        Assert.Equal(CohortEngine.NextInLine, certain.Borderline.Count);
        Assert.All(certain.Borderline, b => Assert.StartsWith("next in line", b.Why, StringComparison.Ordinal));
    }

    [Fact]
    public void TheBlendWeightMovesFromMostToGainToMostReady()
    {
        var inputs = NationalInputs();
        var c = new CohortConstraints(MinPerIslandGroup: 2);
        string[] Codes(CohortRequest r) => CohortEngine.Select(r, inputs).Selected.Select(e => e.Code).Order().ToArray();
        var ready = Codes(new(30, CohortObjective.MostReady, c));
        var gain = Codes(new(30, CohortObjective.MostToGain, c));
        Assert.NotEqual(ready, gain);
        Assert.Equal(ready, Codes(new(30, CohortObjective.Blend, c, Weight: 1)));
        Assert.Equal(gain, Codes(new(30, CohortObjective.Blend, c, Weight: 0)));
        var half = CohortEngine.Select(new(30, CohortObjective.Blend, c, Weight: 0.5), inputs);
        var n = half.Summary.Normalisation!;
        Assert.Equal(inputs.Outlooks.Min(o => o.Ready), n.ReadyMin);
        Assert.Equal(inputs.Outlooks.Max(o => o.Gain), n.GainMax);
        Assert.All(half.Selected, e => Assert.Equal(0.5 * (e.Ready - n.ReadyMin) / (n.ReadyMax - n.ReadyMin)
            + 0.5 * (e.Gain - n.GainMin) / (n.GainMax - n.GainMin), e.Objective, 12));
        var mixed = half.Selected.Select(e => e.Code).ToHashSet();
        Assert.True(mixed.Intersect(ready).Any() && mixed.Intersect(gain).Any(), "a half blend takes from both");
    }

    [Fact]
    public void TheResultCarriesItsProvenanceAndSerialisesToCamelCase()
    {
        var request = new CohortRequest(10, CohortObjective.MostReady, new(MinPerIslandGroup: 1, Min3T: 2), Seed: 5);
        var result = CohortEngine.Select(request, NationalInputs(draws: 20));
        Assert.Equal(request, result.Provenance.Request);
        Assert.Equal(request.Sha256(), result.Provenance.RequestSha256);
        Assert.Equal(64, result.Provenance.RequestSha256.Length);
        Assert.NotEqual(request.Sha256(), (request with { Seed = 6 }).Sha256());
        Assert.Equal(5UL, result.Provenance.Seed);
        Assert.Equal(["data", "profile"], result.Provenance.Versions.Keys);
        var json = JsonNode.Parse(result.ToJson())!;
        Assert.Equal("most_ready", (string?)json["provenance"]!["request"]!["objective"]);
        Assert.Equal(2, (int?)json["provenance"]!["request"]!["constraints"]!["min3T"]);
        Assert.Equal("""{"k":10,"objective":"most_ready","constraints":{"minPerIslandGroup":1,"min3T":2,"excludeMentored":false},"seed":5}""",
            request.ToJson());
        Assert.Equal(CohortEngine.Format, (string?)json["provenance"]!["engine"]);
        var first = json["selected"]![0]!;
        Assert.Equal(1, (int?)first["rank"]);
        Assert.NotNull(first["probabilityTopK"]);
        Assert.Contains((string?)first["islandGroup"], IslandGroups.All.Select(g => g.WireName()));
        Assert.Equal(7, json["summary"]!["islandGroups"]!.AsArray().Count);
        Assert.Equal("bali_nusa_tenggara", (string?)json["summary"]!["islandGroups"]![2]!["id"]);
    }

    [Fact]
    public void TheIssuesExampleRequestReadsAndHashesCanonically()
    {
        var request = CohortRequest.FromJson("""
            {"k": 50, "level": "regency", "year": 2021, "objective": "most_ready",
             "constraints": {"minPerIslandGroup": 3, "maxPerProvince": 5, "min3T": 5}, "seed": 5}
            """);
        Assert.Equal(new CohortRequest(50, CohortObjective.MostReady, new(MaxPerProvince: 5, MinPerIslandGroup: 3, Min3T: 5),
            Seed: 5, Level: "regency", Year: 2021), request);
        Assert.Equal(request, CohortRequest.FromJson(request.ToJson()));
        Assert.Equal(request.Sha256(), CohortRequest.FromJson("{\"seed\":5,\"objective\":\"most_ready\",\"year\":2021,\"level\":\"regency\",\"k\":50,"
            + "\"constraints\":{\"min3T\":5,\"maxPerProvince\":5,\"minPerIslandGroup\":3}}").Sha256());
        Assert.NotEqual(request.Sha256(), (request with { Year = 2022 }).Sha256());
        var result = CohortEngine.Select(request, NationalInputs());
        Assert.Equal(50, result.Selected.Count);
        Assert.All(result.Summary.IslandGroups, g => Assert.InRange(g.Selected, 3, 50));
        Assert.All(result.Summary.Provinces, p => Assert.InRange(p.Selected, 0, 5));
        Assert.InRange(result.Summary.ThreeT, 5, 50);
    }

    [Fact]
    public void MissingScoresAndMalformedDrawsAreProblems()
    {
        var (pool, outlooks) = CohortTestData.Small(("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1));
        var request = new CohortRequest(1, CohortObjective.MostReady, new());
        var noScore = CohortEngine.Validate(request, new CohortInputs(pool, CohortTestData.Bands, outlooks.Take(1).ToArray()));
        Assert.Equal("pool[32.02]: no expected score for this unit", Assert.Single(noScore.Problems).ToString());
        var draws = new CohortDraws(["32.01"], [[1.0, 2.0]]);
        var bad = CohortEngine.Validate(request, new CohortInputs(pool, CohortTestData.Bands, outlooks, draws));
        Assert.Equal(["draws: no draws for 1 eligible unit(s): 32.02", "draws: every draw must have 1 values, one per code"],
            bad.Problems.Select(p => p.ToString()));
        var e = Assert.Throws<CohortValidationException>(() => CohortEngine.Select(request with { K = 3 }, new CohortInputs(pool, CohortTestData.Bands, outlooks)));
        Assert.Equal("k", Assert.Single(e.Problems).Path);
    }
}
