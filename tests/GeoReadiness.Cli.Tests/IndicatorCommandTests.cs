using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness indicators compute|show</c> on each store with the demo dataset (data/shapefiles): the set is
/// computed, stored and summarised; a second run finds it current; bad options and a mismatched engine are usage
/// errors (exit 2) naming the option.
/// </summary>
public abstract class IndicatorCommandTests : StoreCommandTests
{
    protected abstract string Engine { get; }
    protected abstract string OtherEngine { get; }

    [StoreFact]
    public async Task ComputeStoresTheSetAndPrintsOneRowPerLevelThenFindsItCurrent()
    {
        var first = await RunAsync(["indicators", "compute", "--engine", Engine, .. StoreArgs]);
        var second = await RunAsync(["indicators", "compute", .. StoreArgs]);

        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains($"engine {Engine}, rules {IndicatorSet.RulesVersion}", first.Out, StringComparison.Ordinal);
        Assert.Contains("full: ", first.Out, StringComparison.Ordinal);
        Assert.Matches(@"\nprovince +38 ", first.Out);
        Assert.Matches(@"\nregency +514 ", first.Out);
        Assert.Matches(@"\ndistrict +17 +430,000 ", first.Out);
        Assert.Matches(@"\nvillage +103 +430,000 .* 33 of 103 \(32\.0 %\)", first.Out);
        // Not a terminal: plain stage lines, no bar redrawn with carriage returns.
        Assert.DoesNotContain("\r", first.Err, StringComparison.Ordinal);
        Assert.Contains(" to do\n", first.Err, StringComparison.Ordinal);
        Assert.True(second.Exit == 0, second.Out + second.Err);
        Assert.Contains("already current", second.Out, StringComparison.Ordinal);
        Assert.Equal(SetId(first.Out), SetId(second.Out));
    }

    [StoreFact]
    public async Task LevelAndParentPrintOneRowPerUnitWithTheOptionsUsed()
    {
        var r = await RunAsync(["indicators", "compute", "--level", "district", "--parent", "13.05", "--fibre-reach", "800", "--bands", "20,40,60,80", .. StoreArgs]);

        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Contains("17 unit(s)", r.Out, StringComparison.Ordinal);
        Assert.Contains("\n13.05.17 ", r.Out, StringComparison.Ordinal);
        Assert.Contains("fibre reach 800 m", r.Out, StringComparison.Ordinal);
        Assert.Contains("bands 0–20, 21–40, 41–60, 61–80, 81–100", r.Out, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task ShowPrintsOneUnitAndAnUnknownCodeIsAnInputError()
    {
        var shown = await RunAsync(["indicators", "show", "13.05", .. StoreArgs]);
        var unknown = await RunAsync(["indicators", "show", "13.05.99", .. StoreArgs]);

        Assert.True(shown.Exit == 0, shown.Out + shown.Err);
        Assert.Contains("13.05 Kabupaten Padang Pariaman (regency, in 13)", shown.Out, StringComparison.Ordinal);
        Assert.Contains("villages on fibre   33 of 103", shown.Out, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("13.05.99", unknown.Err, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task BadOptionsAndAMismatchedEngineAreUsageErrorsNamingTheOption()
    {
        (string[] Args, string Says)[] cases =
        [
            (["--fibre-reach", "-3"], "--fibre-reach"),
            (["--household-reach", "far"], "--household-reach"),
            (["--radius-4g", "0"], "--radius-4g"),
            (["--bands", "50,25"], "--bands"),
            (["--bands", "25,x"], "--bands"),
            (["--level", "kelurahanx"], "--level"),
            (["--engine", "spark"], "--engine"),
            (["--engine", OtherEngine], "--engine " + OtherEngine),
            (["--parent", "13.05"], "--parent"),
            (["--radius-6g", "100"], "--radius-6g"),
        ];
        foreach (var (extra, says) in cases)
        {
            var r = await RunAsync(["indicators", "compute", .. extra, .. StoreArgs]);
            Assert.True(r.Exit == 2, $"{string.Join(' ', extra)}: exit {r.Exit}\n{r.Out}{r.Err}");
            Assert.Contains(says, r.Err.Split('\n')[0], StringComparison.Ordinal);
        }
    }

    private static string SetId(string output) => output.Split(':')[0].Replace("indicator set ", "", StringComparison.Ordinal);
}

public sealed class EmbeddedIndicatorCommandTests : IndicatorCommandTests
{
    protected override string[] StoreArgs => ["--data-dir", Dir.File("store")];
    protected override string Engine => IndicatorEngines.Embedded;
    protected override string OtherEngine => IndicatorEngines.PostGis;

    public override Task InitializeAsync() => LoadDemoAsync();

    [StoreFact]
    public async Task TheSetIsStoredInTheDataDirectory()
    {
        var r = await RunAsync(["indicators", "compute", .. StoreArgs]);

        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Single(Directory.GetFiles(Path.Combine(Dir.File("store"), "indicators"), "*.json.gz", SearchOption.AllDirectories));
    }
}

[RequiresPostGis]
public sealed class PostGisIndicatorCommandTests : IndicatorCommandTests
{
    protected override string[] StoreArgs => PostGisArgs;
    protected override string Engine => IndicatorEngines.PostGis;
    protected override string OtherEngine => IndicatorEngines.Embedded;

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        await LoadDemoAsync();
    }
}
