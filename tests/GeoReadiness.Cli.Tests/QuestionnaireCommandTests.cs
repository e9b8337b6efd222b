using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness questionnaire import|validate|show</c> and the questionnaire of <c>load</c> on each store: problems
/// are printed as FILE:LINE: kode, field: message with exit code 1 and nothing written; imports upsert and bump the
/// questionnaire version.
/// </summary>
public abstract class QuestionnaireCommandTests : StoreCommandTests
{
    protected abstract Task<ISpatialStore> OpenStoreAsync();

    private async Task SeedUnitsAsync()
    {
        var store = await OpenStoreAsync();
        try
        {
            await store.ApplyAsync(new DatasetChange
            {
                Source = "seed",
                Units = [TestUnits.Unit("14", 101.0, 1.0, 1.0), TestUnits.Unit("14.72", 101.2, 1.2, 0.4)],
            });
        }
        finally
        {
            if (store is IAsyncDisposable d) await d.DisposeAsync();
        }
    }

    private string Csv(string name, string text)
    {
        var path = Dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [StoreFact]
    public async Task ImportPrintsTheCountsAndVersionThenAReplacedRowBumpsTheVersion()
    {
        await SeedUnitsAsync();
        var a = Csv("a.csv", "kode,nama,tahun,penduduk,kk,employees,ict_staff,reg_year\n14.72,Kota Dumai,2019,319827,94441,2316,70,2019\n");
        var b = Csv("b.csv", "kode,tahun,penduduk,kk,employees,ict_staff,reg_year\n14.72,2019,319827,94441,2316,71,2019\n14.72,2020,320000,94500,2320,72,\n");

        var first = await RunAsync(["questionnaire", "import", a, .. StoreArgs]);
        var again = await RunAsync(["questionnaire", "import", a, .. StoreArgs]);
        var second = await RunAsync(["questionnaire", "import", b, .. StoreArgs]);
        var show = await RunAsync(["questionnaire", "show", "14.72", "--year", "2020", .. StoreArgs]);

        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains("1 inserted, 0 replaced, 0 unchanged; questionnaire version 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("no change: 1 row(s) already stored (questionnaire version 1)", again.Out, StringComparison.Ordinal);
        Assert.Contains("1 inserted, 1 replaced, 0 unchanged; questionnaire version 2", second.Out, StringComparison.Ordinal);
        Assert.True(show.Exit == 0, show.Out + show.Err);
        Assert.Contains("questionnaire version 2", show.Out, StringComparison.Ordinal);
        Assert.Contains("tahun 2020", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("tahun 2019", show.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  ict_staff +72 ", show.Out);
        Assert.Matches(@"\n  reg_year +none ", show.Out);
        Assert.Matches(@"\n  pop_4g +- ", show.Out);
    }

    [StoreFact]
    public async Task ImportWithProblemsPrintsFileLineCodeAndFieldExitsOneAndWritesNothing()
    {
        await SeedUnitsAsync();
        var bad = Csv("bad.csv", "kode,tahun,penduduk,kk,employees,ict_staff,data_centre\n14.72,2019,319827,94441,80,120,true\n99.99,2019,10,2,1,,maybe\n");

        var r = await RunAsync(["questionnaire", "import", bad, .. StoreArgs]);
        var show = await RunAsync(["questionnaire", "show", "14.72", .. StoreArgs]);

        Assert.Equal(1, r.Exit);
        Assert.Contains($"{bad}:2: kode 14.72, field ict_staff: ict_staff 120 exceeds employees 80", r.Out, StringComparison.Ordinal);
        Assert.Contains($"{bad}:3: kode 99.99, field data_centre: 'maybe' is not a boolean", r.Out, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", r.Out, StringComparison.Ordinal);
        Assert.Equal(1, show.Exit);
        Assert.Contains("no questionnaire answers stored for 14.72 (questionnaire version 0)", show.Err, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task ValidateAndDryRunCheckTheUnitsButWriteNothing()
    {
        await SeedUnitsAsync();
        var good = Csv("good.csv", "kode,tahun,penduduk,kk,employees\n14.72,2019,10,2,1\n");
        var unknown = Csv("unknown.csv", "kode,tahun,penduduk,kk,employees\n14.72,2019,10,2,1\n99.99,2019,10,2,1\n");

        var validate = await RunAsync(["questionnaire", "validate", good, .. StoreArgs]);
        var dry = await RunAsync(["questionnaire", "import", good, "--dry-run", .. StoreArgs]);
        var invalid = await RunAsync(["questionnaire", "validate", unknown, .. StoreArgs]);
        var show = await RunAsync(["questionnaire", "show", "14.72", .. StoreArgs]);

        Assert.True(validate.Exit == 0, validate.Out + validate.Err);
        Assert.Contains("1 row(s) valid; dry run, nothing was written", validate.Out, StringComparison.Ordinal);
        Assert.Equal(0, dry.Exit);
        Assert.Contains("dry run", dry.Out, StringComparison.Ordinal);
        Assert.Equal(1, invalid.Exit);
        Assert.Contains($"{unknown}:3: kode 99.99, field kode: unknown unit 99.99", invalid.Out, StringComparison.Ordinal);
        Assert.Equal(1, show.Exit);
    }

    [StoreFact]
    public async Task LoadingTheDemoFolderStoresItsQuestionnaireWithDumaisPublishedRow()
    {
        var load = await RunAsync(["load", Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles"), .. StoreArgs]);
        var show = await RunAsync(["questionnaire", "show", "14.72", .. StoreArgs]);

        Assert.True(load.Exit == 0, load.Out + load.Err);
        Assert.Contains("questionnaire georeadiness-demo/national/questionnaire.csv: 514 inserted, 0 replaced, 0 unchanged; questionnaire version 1", load.Out, StringComparison.Ordinal);
        Assert.True(show.Exit == 0, show.Out + show.Err);
        Assert.Contains("14.72 Kota Dumai: questionnaire version 1", show.Out, StringComparison.Ordinal);
        foreach (var (field, value) in new[] { ("penduduk", "319827"), ("kk", "94441"), ("pop_4g", "159913"), ("kk_fixed_bb", "47220"), ("ict_staff", "70"),
                     ("employees", "2316"), ("s2_staff", "314"), ("s2_base", "2220"), ("admin_apps", "3"), ("portals", "1"), ("websites", "30"),
                     ("reg_year", "2019"), ("masterplan_year", "2018"), ("data_centre", "true"), ("command_centre", "false") })
            Assert.Matches($@"\n  {field} +{value}  ", show.Out);
    }

    [Fact]
    public async Task UsageErrorsNameTheProblem()
    {
        var noFile = await RunAsync("questionnaire", "import");
        var badCode = await RunAsync("questionnaire", "show", "dumai");
        var help = await RunAsync("help");

        Assert.Equal(2, noFile.Exit);
        Assert.Contains("FILE is required", noFile.Err, StringComparison.Ordinal);
        Assert.Equal(2, badCode.Exit);
        Assert.Contains("'dumai' is not a Kemendagri code", badCode.Err, StringComparison.Ordinal);
        Assert.Contains("questionnaire import", help.Out, StringComparison.Ordinal);
        Assert.Contains("questionnaire show", help.Out, StringComparison.Ordinal);
    }
}

public sealed class EmbeddedQuestionnaireCommandTests : QuestionnaireCommandTests
{
    protected override string[] StoreArgs => ["--data-dir", Dir.File("store")];

    protected override async Task<ISpatialStore> OpenStoreAsync() => await EmbeddedStore.OpenAsync(Dir.File("store"));

    public override Task InitializeAsync() => Task.CompletedTask;
}

[RequiresPostGis]
public sealed class PostGisQuestionnaireCommandTests : QuestionnaireCommandTests
{
    protected override string[] StoreArgs => PostGisArgs;

    protected override async Task<ISpatialStore> OpenStoreAsync() => await PostGisStore.OpenAsync(Database.ConnectionString);

    public override async Task InitializeAsync()
    {
        if (TestEnvironment.PostGisConnectionString is not null || TestEnvironment.PostGisRequired) await CreateDatabaseAsync();
    }
}
