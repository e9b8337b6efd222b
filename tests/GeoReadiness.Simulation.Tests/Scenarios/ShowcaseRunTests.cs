using System.Globalization;
using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Scenarios;
using Xunit.Abstractions;

namespace GeoReadiness.Simulation.Tests.Scenarios;

[CollectionDefinition(Name)]
public sealed class MonteCarloCollection : ICollectionFixture<MonteCarloFixture>
{
    public const string Name = "monte-carlo demo";
}

/// <summary>The showcase of issue 5: Padang Pariaman's planned 263 km network, seeded, per year 2019–2026.</summary>
[Collection(MonteCarloCollection.Name)]
public sealed class ShowcaseRunTests(MonteCarloFixture fixture, ITestOutputHelper output)
{
    private static string Line(UnitYearResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Year}  nagari on fibre {r.VillagesOnFibre!.Mean:F4} % (baseline {r.Baseline.VillagesOnFibre:F4})  households in reach {r.HouseholdsFixedReach!.Mean:F4} % (baseline {r.Baseline.HouseholdsFixedReach:F4})  4G {r.Share4g!.Mean:F4} %  score {r.Score.Mean:F4} ± {r.Score.StandardError:F4} [p5 {r.Score.P5:F4}, p50 {r.Score.P50:F4}, p95 {r.Score.P95:F4}] (baseline {r.Baseline.Score:F4} {r.Baseline.Band})  P({r.NextBand}) {r.ProbabilityNextBand!.Probability:F4}");

    private static IEnumerable<string> PropertyNames(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => PropertyNames(p.Value!).Prepend(p.Key)).Distinct(),
        JsonArray a => a.SelectMany(e => e is null ? [] : PropertyNames(e)).Distinct(),
        _ => [],
    };

    /// <summary>Prints the figures: <c>dotnet test tests/GeoReadiness.Simulation.Tests -c Release --filter ShowcaseRunTests --logger "console;verbosity=detailed"</c>.</summary>
    [Fact]
    public void The_showcase_grows_the_fibre_shares_year_by_year_above_the_baseline_with_pinned_figures()
    {
        var (scenario, inputs) = fixture.Showcase();
        var run = MonteCarloEngine.Run(scenario, inputs);
        output.WriteLine($"{scenario} seed {run.Seed}: {run.Draws} draws in {run.Chunks} chunks, footprint {run.Provenance.FootprintHash}");
        foreach (var r in run.Units) output.WriteLine(Line(r));
        foreach (var c in run.Costs)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Year}  cumulative cost {c.Mean / 1e9:F4} bn IDR (p95 {c.P95 / 1e9:F4} bn)"));

        Assert.Equal(Enumerable.Range(2019, 8), run.Years);
        Assert.InRange(run.Draws, scenario.Sampling.MinDraws, scenario.Sampling.MaxDraws);
        Assert.All(run.Units, r => Assert.True(r.Score.StandardError <= scenario.Sampling.Tolerance));
        Assert.Equal(("padang-pariaman-263km", "kominfo-2019", scenario.Sha256), (run.Provenance.ScenarioId, run.Provenance.ProfileId, run.Provenance.ScenarioSha256));
        UnitYearResult? previous = null;
        foreach (var r in run.Units)
        {
            foreach (var share in new[] { r.VillagesOnFibre!, r.HouseholdsFixedReach!, r.Share4g! })
                Assert.True(share.P5 >= 0 && share.P95 <= 100 && share.P5 <= share.P50 && share.P50 <= share.P95);
            Assert.True(r.VillagesOnFibre!.P5 >= r.Baseline.VillagesOnFibre!.Value - 1e-9);
            Assert.True(r.HouseholdsFixedReach!.P5 >= r.Baseline.HouseholdsFixedReach!.Value - 1e-9);
            Assert.True(r.Score.P5 >= r.Baseline.Score - 1e-9, "fibre never lowers the score");
            // fibre does not change 4G coverage
            Assert.Equal(r.Baseline.Share4g!.Value, r.Share4g!.Mean, 1e-9);
            if (previous is not null)
            {
                Assert.True(r.VillagesOnFibre.Mean >= previous.VillagesOnFibre!.Mean);
                Assert.True(r.HouseholdsFixedReach.Mean >= previous.HouseholdsFixedReach!.Mean);
                Assert.True(run.Costs.Single(c => c.Year == r.Year).Mean >= run.Costs.Single(c => c.Year == previous.Year).Mean);
            }
            previous = r;
        }

        // pinned: the seeded result, to the printed precision
        Assert.Equal(1000, run.Draws);
        string[] pinned =
        [
            "2019  nagari on fibre 42.2485 % (baseline 32.0388)  households in reach 75.2108 % (baseline 68.3500)  4G 72.0414 %  score 68.6113 ± 0.0239 [p5 67.9480, p50 67.9480, p95 69.4480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2020  nagari on fibre 85.2408 % (baseline 32.0388)  households in reach 94.9362 % (baseline 68.3500)  4G 72.0414 %  score 71.2471 ± 0.0009 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2021  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2022  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2023  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2024  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2025  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
            "2026  nagari on fibre 95.5913 % (baseline 32.0388)  households in reach 98.0571 % (baseline 68.3500)  4G 72.0414 %  score 71.2480 ± 0.0000 [p5 71.2480, p50 71.2480, p95 71.2480] (baseline 67.9480 cukup_siap)  P(siap) 0.0000",
        ];
        Assert.Equal(pinned, run.Units.Select(Line).ToArray());
        Assert.Equal(39.7278, Math.Round(run.Costs[^1].Mean / 1e9, 4));
        Assert.Equal(42.8869, Math.Round(run.Costs[^1].P95 / 1e9, 4));

        // docs/scenarios.md shows every property of the result's JSON
        var doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "docs", "scenarios.md"));
        var section = doc[doc.IndexOf("## Monte-Carlo runs", StringComparison.Ordinal)..];
        Assert.All(PropertyNames(JsonNode.Parse(run.ToJson())!), name => Assert.Contains($"\"{name}\"", section, StringComparison.Ordinal));
    }
}
