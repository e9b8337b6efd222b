using System.Globalization;
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
    [Fact]
    public void The_showcase_prints_its_figures()
    {
        var (scenario, inputs) = fixture.Showcase();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = MonteCarloEngine.Run(scenario, inputs);
        output.WriteLine($"{run.Draws} draws in {clock.Elapsed.TotalSeconds:F2} s");
        foreach (var r in run.Units)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Year} villages {r.VillagesOnFibre!.Mean:F2} reach {r.HouseholdsFixedReach!.Mean:F2} 4g {r.Share4g!.Mean:F2} score {r.Score.Mean:F3}±{r.Score.StandardError:F3} p5 {r.Score.P5:F2} p50 {r.Score.P50:F2} p95 {r.Score.P95:F2} next {r.NextBand} {r.ProbabilityNextBand?.Probability:F3} base {r.Baseline.Score:F2} {r.Baseline.Band} v{r.Baseline.VillagesOnFibre:F2}"));
        foreach (var c in run.Costs) output.WriteLine($"{c.Year} cost {c.Mean:E4} p95 {c.P95:E4}");
    }
}
