using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>The showcase scenario committed in data/scenarios and the example in docs/scenarios.md.</summary>
public class ScenarioExampleTests
{
    [Fact]
    public void ThePadangPariamanScenarioParsesAsThePlanned263KmNetworkWithUptake()
    {
        var scenario = ScenarioDocuments.Parse(File.ReadAllText(ScenarioTestData.ExamplePath));
        Assert.Equal("padang-pariaman-263km", scenario.Id);
        Assert.Equal(["13.05"], scenario.Units);
        Assert.Equal(Enumerable.Range(2019, 8), scenario.Years);
        var fibre = Assert.IsType<FibreRouteIntervention>(scenario.Interventions[0]);
        Assert.Equal(new PlannedFibre("13.05"), fibre.Route);
        Assert.Equal(0.9, fibre.Completion);
        Assert.Equal((0.0, 18.0), (fibre.Delay.Lower, fibre.Delay.Upper));
        Assert.Equal(150_000_000, fibre.CostPerKm);
        Assert.IsType<AdoptionIntervention>(scenario.Interventions[1]);
        Assert.Contains(scenario.StoreChecks, c => c.Kind == StoreCheckKind.PlannedRoutesExist && c.Subject == "13.05");
    }

    [Fact]
    public void TheDocumentationShowsTheCommittedExampleAndEveryKind()
    {
        var doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "docs", "scenarios.md"));
        var example = File.ReadAllText(ScenarioTestData.ExamplePath).Trim();
        Assert.Contains(example, doc.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var kind in ScenarioDocuments.InterventionKinds)
            Assert.Contains($"`{kind}`", doc, StringComparison.Ordinal);
        foreach (var dist in new[] { "fixed", "uniform", "triangular", "normal", "lognormal", "bernoulli" })
            Assert.Contains($"\"dist\": \"{dist}\"", doc, StringComparison.Ordinal);
    }
}
