using System.Globalization;
using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

[Collection(MonteCarloCollection.Name)]
public sealed class MonteCarloEngineTests(MonteCarloFixture fixture)
{
    private const int Split = 60;

    /// <summary>
    /// Every uncertainty certain: the planned routes of 13.05 in two interventions (the first 60 in service from 2020,
    /// the rest from 2022), three new towers from 2019, two upgrades from 2024, 20 more ICT staff from 2020 and a fixed
    /// adoption curve.
    /// </summary>
    internal string CertainScenario()
    {
        var upgraded = string.Join(", ", fixture.Spatial.Upgrades.Select(u => $"\"{u.TowerId}\""));
        return $$"""
        {
          "id": "certain", "version": "1", "title": "every uncertainty certain",
          "baseYear": 2018, "horizon": 8, "units": ["13.05"], "seed": 11,
          "sampling": {"minDraws": 4, "maxDraws": 8, "tolerance": 0.1, "chunkSize": 2},
          "interventions": [
            {"id": "fibre-a", "kind": "fibre_route", "start": 2019, "planned": {"within": "13.05"}, "delay": 6, "duration": 9, "costPerKm": 1e8, "overrun": 1.2},
            {"id": "fibre-b", "kind": "fibre_route", "start": 2021, "planned": {"within": "13.05"}, "duration": 12, "costPerKm": 1e8},
            {"id": "towers-new", "kind": "tower", "start": 2019, "points": [{"lon": 100.3, "lat": -0.6, "technologies": ["4g"]}], "costPerTower": 2e9},
            {"id": "towers-up", "kind": "tower", "start": 2023, "upgrade": {"towers": [{{upgraded}}], "add": ["4g"]}, "delay": 13, "costPerTower": 4e8},
            {"id": "staff", "kind": "staffing", "start": 2020, "unit": "13.05", "changes": [{"field": "ict_staff", "change": "+20"}], "cost": 1e9},
            {"id": "uptake", "kind": "adoption", "start": 2019, "rate": 0.9, "midpoint": 2, "ceiling": 0.35}
          ]
        }
        """;
    }

    internal Dictionary<string, IReadOnlyList<string>> CertainElements()
    {
        var planned = fixture.Spatial.Planned.Select(p => p.Id).ToArray();
        return new()
        {
            ["fibre-a"] = planned[..Split],
            ["fibre-b"] = planned[Split..],
            ["towers-new"] = [.. fixture.Spatial.NewTowers.Select(t => t.Id)],
            ["towers-up"] = [.. fixture.Spatial.Upgrades.Select(u => u.Id)],
        };
    }

    /// <summary>The elements in service in <paramref name="year"/> under the certain scenario, with their cost.</summary>
    private IEnumerable<(string Id, double Cost)> InService(int year)
    {
        var elements = CertainElements();
        var km = fixture.Spatial.Footprint.Elements.ToDictionary(e => e.Id, e => e.LengthKm);
        if (year >= 2020) foreach (var id in elements["fibre-a"]) yield return (id, km[id] * 1e8 * 1.2);
        if (year >= 2022) foreach (var id in elements["fibre-b"]) yield return (id, km[id] * 1e8);
        if (year >= 2019) foreach (var id in elements["towers-new"]) yield return (id, 2e9);
        if (year >= 2024) foreach (var id in elements["towers-up"]) yield return (id, 4e8);
    }

    /// <summary>The default profile, and a variant whose fixed-broadband indicator reads only the questionnaire
    /// (kk_fixed_bb, which adoption grows) and scores it linearly, so that the adoption shows in the score.</summary>
    public static TheoryData<string> Profiles => new() { "default", "adoption-visible" };

    internal static AssessmentProfile Profile(string which)
    {
        if (which == "default") return AssessmentProfiles.Default;
        var json = File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "src", "GeoReadiness.Simulation", "Assessment", "Profiles", "kominfo-2019.json"));
        var start = json.IndexOf("\"id\": \"fixed_broadband_pct\"", StringComparison.Ordinal);
        var end = json.IndexOf("\"pillar\"", start, StringComparison.Ordinal);
        var block = json[start..end];
        var changed = Regex.Replace(block, @"""source"": \[.*?\],", @"""source"": [{""formula"": ""100 * kk_fixed_bb / kk""}],");
        changed = Regex.Replace(changed, @"""scoring"": \{.*\},", @"""scoring"": {""kind"": ""linear"", ""precision"": 6, ""worst"": 0, ""best"": 100},", RegexOptions.Singleline);
        Assert.NotEqual(block, changed);
        return AssessmentProfiles.Parse(json[..start] + changed + json[end..]);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void With_every_uncertainty_certain_each_unit_year_equals_the_deterministic_recomputation(string which)
    {
        var profile = Profile(which);
        var scenario = ScenarioDocuments.Parse(CertainScenario());
        var inputs = fixture.Inputs(fixture.Spatial.Footprint, CertainElements()) with { Profile = profile };
        var run = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 2 });

        Assert.Equal(4, run.Draws);
        var unit = fixture.UnitInput;
        var baselineUnit = fixture.UnitWith(fixture.Spatial.Footprint, []);
        double cumulativeCost = 0;
        foreach (var (year, values, expected) in Deterministic(profile, scenario))
        {
            var inService = InService(year).ToArray();
            var none = ReadinessScorer.Score(profile, new AssessmentInput(unit.Code, unit.Name, unit.Level, unit.ProvinceCode, year, unit.Questionnaire,
                IndicatorValues.Of(baselineUnit)));

            var r = run[unit.Code, year];
            AssertCertain(expected.Score, r.Score);
            AssertCertain(values["share_4g_pct"].Value!.Value, r.Share4g!);
            AssertCertain(values["households_fixed_reach_pct"].Value!.Value, r.HouseholdsFixedReach!);
            AssertCertain(values["villages_on_fibre_pct"].Value!.Value, r.VillagesOnFibre!);
            Assert.Equal(expected.Pillars.Select(p => p.Id), r.Pillars.Select(p => p.Id));
            for (var p = 0; p < expected.Pillars.Count; p++) AssertCertain(expected.Pillars[p].Score!.Value, r.Pillars[p].Score);
            var band = profile.Bands.Levels.Select((l, i) => (l, i)).Single(b => b.l.Id == expected.Band.Id).i;
            Assert.Equal(profile.Bands.Levels.Select((_, i) => i <= band ? 1.0 : 0.0), r.Bands.Select(b => b.Probability));

            Assert.Equal(none.Score, r.Baseline.Score, 1e-9);
            Assert.Equal(none.Band.Id, r.Baseline.Band);
            Assert.Equal(IndicatorValues.Of(baselineUnit)["villages_on_fibre_pct"].Value!.Value, r.Baseline.VillagesOnFibre!.Value, 1e-9);

            cumulativeCost = inService.Sum(e => e.Cost) + (year >= 2020 ? 1e9 : 0);
            var cost = run.Costs.Single(c => c.Year == year);
            Assert.Equal(cumulativeCost, cost.Mean, cumulativeCost * 1e-12);
            Assert.Equal(0, cost.StandardError);
        }
        // the scenario changes something: more villages on fibre at the end than in the baseline
        Assert.True(run[unit.Code, 2026].VillagesOnFibre!.Mean > run[unit.Code, 2026].Baseline.VillagesOnFibre + 10);
    }

    /// <summary>
    /// The deterministic recomputation of the certain scenario, year by year: the unit's named values with the elements
    /// in service measured and aggregated, and its assessment with the staffing change and the adoption applied.
    /// </summary>
    internal IEnumerable<(int Year, IReadOnlyDictionary<string, IndicatorValue> Values, UnitAssessment Expected)> Deterministic(
        AssessmentProfile profile, Scenario scenario)
    {
        var unit = fixture.UnitInput;
        var baselineUnit = fixture.UnitWith(fixture.Spatial.Footprint, []);
        var reachedBefore = baselineUnit.HouseholdsFixedReach.Households!.Value;
        var reachedIn = new Dictionary<int, double>();
        foreach (var year in scenario.Years)
        {
            var indicators = fixture.UnitWith(fixture.Spatial.Footprint, InService(year).Select(e => e.Id));
            var values = IndicatorValues.Of(indicators);
            // households first reached this year, and the adoption of every year's newly reached households so far
            reachedIn[year] = indicators.HouseholdsFixedReach.Households!.Value - reachedBefore;
            reachedBefore = indicators.HouseholdsFixedReach.Households!.Value;
            var answers = new Dictionary<string, double>(unit.Questionnaire);
            if (year >= 2020) answers["ict_staff"] += 20;
            var adopted = reachedIn.Sum(r => r.Value * AdoptionIntervention.Share(year - Math.Max(r.Key, 2019), 0.9, 2, 0.35));
            answers["kk_fixed_bb"] = Math.Min(answers["kk"], answers["kk_fixed_bb"] + adopted);
            yield return (year, values, ReadinessScorer.Score(profile, new AssessmentInput(unit.Code, unit.Name, unit.Level, unit.ProvinceCode, year, answers, values)));
        }
    }

    internal static void AssertCertain(double expected, DrawSummary actual)
    {
        Assert.Equal(expected, actual.Mean, 1e-9);
        Assert.Equal(expected, actual.P5, 1e-9);
        Assert.Equal(expected, actual.P95, 1e-9);
        Assert.Equal(0, actual.StandardError, 1e-9);
    }

    [Theory]
    [InlineData(0, 2019)]
    [InlineData(11.999, 2019)]
    [InlineData(12, 2020)]
    [InlineData(33, 2021)]
    public void Work_completed_within_a_year_is_in_service_for_that_year(double months, int year) =>
        Assert.Equal(year, ScenarioModel.ServiceYear(2019, months));

    [Fact]
    public void The_same_seed_gives_byte_identical_json_on_one_and_two_cores()
    {
        var (scenario, inputs) = fixture.Showcase();
        var one = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 1 }).ToJson();
        var two = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 2, ChunksAhead = 3 }).ToJson();
        Assert.Equal(one, two);
    }

    [Fact]
    public void Different_seeds_give_means_within_a_few_standard_errors()
    {
        var (scenario, inputs) = fixture.Showcase();
        var a = MonteCarloEngine.Run(scenario, inputs);
        var b = MonteCarloEngine.Run(scenario with { Seed = scenario.Seed + 1 }, inputs);
        Assert.NotEqual(a.ToJson(), b.ToJson());
        foreach (var (x, y) in a.Units.Zip(b.Units))
        {
            Within(x.Score, y.Score);
            Within(x.VillagesOnFibre!, y.VillagesOnFibre!);
            Within(x.HouseholdsFixedReach!, y.HouseholdsFixedReach!);
        }
        foreach (var (x, y) in a.Costs.Zip(b.Costs))
            Assert.True(Math.Abs(x.Mean - y.Mean) <= 5 * Math.Sqrt(x.StandardError * x.StandardError + y.StandardError * y.StandardError),
                $"cost {x.Year}: {x.Mean} vs {y.Mean}");
    }

    private static void Within(DrawSummary x, DrawSummary y)
    {
        // 5 combined standard errors; a floor for outputs that (nearly) never vary
        var se = Math.Sqrt(x.StandardError * x.StandardError + y.StandardError * y.StandardError);
        Assert.True(Math.Abs(x.Mean - y.Mean) <= 5 * se + 1e-9, $"{x.Mean} vs {y.Mean} (se {se})");
    }

    [Fact]
    public void A_unit_with_leaves_without_population_cells_is_refused_with_the_leaves_named()
    {
        var (scenario, inputs) = fixture.Showcase();
        var leaf = fixture.PlannedFootprint.Leaves[3].Code;
        var footprint = fixture.PlannedFootprint with { Unsupported = [new UnsupportedLeaf(leaf, "no population cells (UniformArea)")] };
        var e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(scenario, inputs with { Footprint = footprint }));
        Assert.Contains("scenario unit 13.05", e.Message, StringComparison.Ordinal);
        Assert.Contains(leaf + " (no population cells (UniformArea))", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_intervention_without_elements_or_an_element_of_two_interventions_is_refused()
    {
        var scenario = ScenarioDocuments.Parse(CertainScenario());
        var elements = CertainElements();
        elements.Remove("towers-up");
        var e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(scenario, fixture.Inputs(fixture.Spatial.Footprint, elements)));
        Assert.Contains("no footprint elements for intervention towers-up", e.Message, StringComparison.Ordinal);

        elements = CertainElements();
        elements["fibre-b"] = [.. elements["fibre-b"], elements["fibre-a"][0]];
        e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(scenario, fixture.Inputs(fixture.Spatial.Footprint, elements)));
        Assert.Contains("belongs to both fibre-a and fibre-b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_an_unrelated_intervention_leaves_the_draws_of_the_others_unchanged()
    {
        var (scenario, inputs) = fixture.Showcase();
        var json = scenario.Json.Replace("\"interventions\": [", """
            "interventions": [
              {"id": "staff", "kind": "staffing", "start": 2019, "unit": "13.05", "changes": [{"field": "mou_count", "change": "+0"}],
               "delay": {"dist": "uniform", "min": 0, "max": 30}, "cost": 1},
            """, StringComparison.Ordinal);
        var more = ScenarioDocuments.Parse(json);
        var a = MonteCarloEngine.Run(scenario, inputs);
        var b = MonteCarloEngine.Run(more, inputs);
        Assert.Equal(a.Draws, b.Draws);
        Assert.Equal(a.Units.Select(u => u.Score), b.Units.Select(u => u.Score));
        Assert.Equal(a.Units.Select(u => u.VillagesOnFibre), b.Units.Select(u => u.VillagesOnFibre));
        // the new intervention only adds its own cost of 1 IDR once in effect
        Assert.All(a.Costs.Zip(b.Costs), p => Assert.InRange(p.Second.Mean - p.First.Mean, 0, 1 + 1e-3));
    }
}

/// <summary>Ranks among the scenario units of a level: two kecamatan of 13.05 sharing the planned network.</summary>
[Collection(MonteCarloCollection.Name)]
public sealed class MonteCarloRankTests(MonteCarloFixture fixture)
{
    private static readonly string[] Kecamatan = ["13.05.01", "13.05.02"];

    internal async Task<(Scenario, ScenarioInputs)> TwoKecamatan(string completion, int topK)
    {
        var footprint = (await FootprintCalculator.ComputeAsync(fixture.Spatial.Store, Kecamatan, fixture.Spatial.Planned, [], [],
            IndicatorOptions.Default)).WithHash();
        var scenario = ScenarioDocuments.Parse($$"""
            {
              "id": "two-kecamatan", "version": "1", "title": "ranks", "baseYear": 2018, "horizon": 3, "units": ["13.05.01", "13.05.02"], "seed": 5,
              "sampling": {"minDraws": 400, "maxDraws": 400, "tolerance": 100, "chunkSize": 100},
              "interventions": [
                {"id": "fibre", "kind": "fibre_route", "start": 2019, "geometry": {"type": "LineString", "coordinates": [[100.2, -0.6], [100.3, -0.6]]},
                 "completion": {{completion}}, "delay": {"dist": "uniform", "min": 0, "max": 24}, "duration": 6, "costPerKm": 1e8}
              ]
            }
            """);
        var inputs = new ScenarioInputs(AssessmentProfiles.Default, footprint,
            new Dictionary<string, IReadOnlyList<string>> { ["fibre"] = [.. footprint.Elements.Select(e => e.Id)] },
            [.. Kecamatan.Select(fixture.UnitInputOf)], new ScenarioProvenance("1", "demo", footprint.ComputeHash())) { TopK = topK };
        return (scenario, inputs);
    }

    [Fact]
    public async Task Rank_distributions_sum_to_one_and_top_k_is_their_partial_sum()
    {
        var (scenario, inputs) = await TwoKecamatan("{\"probability\": 0.5}", topK: 1);
        var run = MonteCarloEngine.Run(scenario, inputs);
        foreach (var year in run.Years)
        {
            var a = run[Kecamatan[0], year].Rank;
            var b = run[Kecamatan[1], year].Rank;
            foreach (var r in new[] { a, b })
            {
                Assert.Equal(2, r.Of);
                Assert.Equal(1, r.TopK);
                Assert.Equal(1, r.Distribution.Sum(), 1e-12);
                Assert.Equal(r.Distribution[0], r.ProbabilityTopK, 1e-12);
                Assert.Equal(r.Distribution[0] + 2 * r.Distribution[1], r.Mean, 1e-9);
            }
            // in every draw at least one of the two ranks first (both when tied)
            Assert.True(a.ProbabilityTopK + b.ProbabilityTopK >= 1 - 1e-12);
        }
    }

    [Fact]
    public async Task With_certainty_the_rank_follows_the_scores()
    {
        var (scenario, inputs) = await TwoKecamatan("{\"probability\": 1}", topK: 5);
        scenario = ScenarioDocuments.Parse(scenario.Json.Replace("{\"dist\": \"uniform\", \"min\": 0, \"max\": 24}", "3", StringComparison.Ordinal));
        var run = MonteCarloEngine.Run(scenario, inputs);
        foreach (var year in run.Years)
        {
            var a = run[Kecamatan[0], year];
            var b = run[Kecamatan[1], year];
            Assert.Equal(0, a.Score.StandardError);
            Assert.Equal(a.Score.Mean >= b.Score.Mean ? 1 : 2, a.Rank.Mean);
            Assert.Equal(b.Score.Mean >= a.Score.Mean ? 1 : 2, b.Rank.Mean);
            Assert.Equal(2, a.Rank.TopK);
            Assert.Equal(1, a.Rank.ProbabilityTopK);
        }
    }
}
