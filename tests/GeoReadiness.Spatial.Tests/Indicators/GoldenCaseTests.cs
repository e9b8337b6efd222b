using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>Every golden file of TestData/indicators, loaded with the stores' ApplyAsync, on both engines.</summary>
public sealed class GoldenCaseTests
{
    public static IEnumerable<object[]> Cases => GoldenCase.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EmbeddedEngineGivesTheHandDerivedNumbers(string name)
    {
        var golden = GoldenCase.Load(name);
        using var dir = new DemoTempDir();
        await using var store = await EmbeddedStore.OpenAsync(dir.Path);
        await store.ApplyAsync(golden.Change);
        await AssertGoldenAsync(golden, new EmbeddedIndicatorEngine(store));
    }

    [PostGisTheory]
    [MemberData(nameof(Cases))]
    public async Task PostGisEngineGivesTheHandDerivedNumbers(string name)
    {
        var golden = GoldenCase.Load(name);
        await using var pg = await PostGisEngineHost.CreateAsync(golden.Change);
        await AssertGoldenAsync(golden, pg.Engine);
    }

    [Fact]
    public void EveryGoldenFileExplainsItsNumbersAndHasExpectations()
    {
        var names = GoldenCase.Names().Select(n => (string)n[0]).ToArray();
        Assert.True(names.Length >= 5, string.Join(", ", names));
        foreach (var name in names)
        {
            var text = File.ReadAllText(Path.Combine(GoldenCase.Directory, name + ".json"));
            Assert.Contains("\"derivation\"", text);
            Assert.NotEmpty(GoldenCase.Load(name).Expectations);
        }
    }

    private static async Task AssertGoldenAsync(GoldenCase golden, IIndicatorEngine engine)
    {
        var measurement = await engine.MeasureAsync(golden.Options, MeasureScope.All);
        var units = IndicatorAggregator.Aggregate(measurement.Units, measurement.Leaves, golden.Options);
        var failures = golden.Check(measurement, units);
        Assert.True(failures.Count == 0, $"{engine.Name}, {golden.Title}:\n" + string.Join("\n", failures));
    }
}
