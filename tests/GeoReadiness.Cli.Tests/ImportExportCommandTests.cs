using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Cli.Tests;

public sealed class ImportExportCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _data;

    public ImportExportCommandTests() => _data = _dir.File("store");

    public void Dispose() => _dir.Dispose();

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    private async Task SeedAsync()
    {
        await using var store = await EmbeddedStore.OpenAsync(_data);
        await store.ApplyAsync(new DatasetChange { Source = "seed", Units = [TestUnits.Unit("13", 99.5, -1.5, 1.0), TestUnits.Unit("13.05", 100.1, -0.9, 0.4), TestUnits.Unit("13.05.01", 100.1, -0.9, 0.2)] });
    }

    private async Task<long> DataVersionAsync()
    {
        await using var store = await EmbeddedStore.OpenAsync(_data);
        return (await store.GetSummaryAsync()).DataVersion;
    }

    private string KecamatanShapefile(params (string Code, string Name)[] units) =>
        Fixtures.WriteShapefile(_dir.Path, "kec", units.Select((u, i) => ((NetTopologySuite.Geometries.Geometry)Fixtures.Box(100.2 + i * 0.06, -0.8, 0.05), Fixtures.Unit(u.Code, u.Name))), Fixtures.Wgs84Prj);

    [Fact]
    public async Task ImportWritesTheFileAndAReimportReportsNoChange()
    {
        await SeedAsync();
        var shp = KecamatanShapefile(("13.05.02", "Sintuak Toboh Gadang"), ("13.05.03", "Ulakan Tapakih"));

        var first = await RunAsync("import", shp, "--layer", "units", "--data-dir", _data);
        var second = await RunAsync("import", shp, "--layer", "units", "--data-dir", _data);

        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains("imported: units 2 inserted", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.Exit);
        Assert.Contains("no change", second.Out, StringComparison.Ordinal);
        Assert.Equal(2, await DataVersionAsync());
    }

    [Fact]
    public async Task ImportWithErrorsExitsOneListsThemAndLeavesTheStoreUnchanged()
    {
        await SeedAsync();
        var shp = KecamatanShapefile(("13.05.02", "A"), ("13.05.03", "B"), ("13.05.02", "A again"));

        var (exit, output, _) = await RunAsync("import", shp, "--layer", "units", "--data-dir", _data);

        Assert.Equal(1, exit);
        Assert.Contains("error: feature #2 (13.05.02): duplicate code '13.05.02' (also feature #0)", output, StringComparison.Ordinal);
        Assert.Contains("nothing was imported; the store is unchanged", output, StringComparison.Ordinal);
        Assert.Equal(1, await DataVersionAsync());
    }

    [Fact]
    public async Task DryRunWritesNothing()
    {
        await SeedAsync();
        var shp = KecamatanShapefile(("13.05.02", "A"));

        var (exit, output, _) = await RunAsync("import", shp, "--layer", "units", "--dry-run", "--data-dir", _data);

        Assert.Equal(0, exit);
        Assert.Contains("dry run", output, StringComparison.Ordinal);
        Assert.Equal(1, await DataVersionAsync());
    }

    [Fact]
    public async Task ValidateExitsOneOnErrorsAndZeroOnAValidFileWithoutAStore()
    {
        var bowtie = Fixtures.WriteShapefile(_dir.Path, "bowtie", [(Fixtures.BowTie(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], Fixtures.Wgs84Prj);

        var lenient = await RunAsync("validate", bowtie, "--layer", "units");
        var strict = await RunAsync("validate", bowtie, "--layer", "units", "--strict");

        Assert.True(lenient.Exit == 0, lenient.Out);
        Assert.Contains("invalid geometry repaired: Self-intersection", lenient.Out, StringComparison.Ordinal);
        Assert.Contains("parent '13.05' is not in this file", lenient.Out, StringComparison.Ordinal);
        Assert.Equal(1, strict.Exit);
        Assert.Contains("error: feature #0 (13.05.02): invalid geometry (strict", strict.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAgainstAStoreReportsOrphans()
    {
        await SeedAsync();
        var shp = KecamatanShapefile(("13.06.01", "Orphan"));

        var (exit, output, _) = await RunAsync("validate", shp, "--layer", "units", "--data-dir", _data);

        Assert.Equal(1, exit);
        Assert.Contains("orphan: parent '13.06'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShapefileWithoutPrjExitsOneNamingTheFile()
    {
        await SeedAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "noprj", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], prj: null);

        var (exit, output, _) = await RunAsync("import", shp, "--layer", "units", "--data-dir", _data);

        Assert.Equal(1, exit);
        Assert.Contains("error: noprj.shp: has no .prj file", output, StringComparison.Ordinal);
        Assert.Equal(1, await DataVersionAsync());
    }

    [Theory]
    [InlineData("import")]
    [InlineData("import", "x.geojson")]
    [InlineData("import", "x.geojson", "--layer", "roads")]
    [InlineData("import", "x.geojson", "--layer", "units", "--map", "bogus=x")]
    [InlineData("import", "x.geojson", "--layer", "units", "--frobnicate", "1")]
    [InlineData("validate", "x.geojson", "--layer", "units", "--dry-run")]
    [InlineData("export", "--format", "shp", "--out", "x")]
    [InlineData("export", "--format", "gpkg")]
    [InlineData("export", "--format", "gpkg", "--out", "x.gpkg", "--layer", "towers", "--level", "village")]
    public async Task UsageMistakesExitTwo(params string[] args)
    {
        var (exit, _, err) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("usage: georeadiness", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFileExitsOne()
    {
        var (exit, _, err) = await RunAsync("validate", _dir.File("nope.geojson"), "--layer", "units");

        Assert.Equal(1, exit);
        Assert.Contains("nope.geojson: file not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenImportIntoAnotherStoreRoundTrips()
    {
        await SeedAsync();
        Assert.Equal(0, (await RunAsync("import", KecamatanShapefile(("13.05.02", "A"), ("13.05.03", "B")), "--layer", "units", "--data-dir", _data)).Exit);
        var gpkg = _dir.File("out.gpkg");
        var geojson = _dir.File("districts.geojson");

        var gp = await RunAsync("export", "--format", "gpkg", "--out", gpkg, "--data-dir", _data);
        var gj = await RunAsync("export", "--format", "geojson", "--out", geojson, "--level", "district", "--data-dir", _data);
        var other = _dir.File("other");
        var back = await RunAsync("import", gpkg, "--layer", "units", "--data-dir", other);

        Assert.True(gp.Exit == 0, gp.Out + gp.Err);
        Assert.Contains("districts", gp.Out, StringComparison.Ordinal);
        Assert.Contains("wrote", gj.Out, StringComparison.Ordinal);
        Assert.Contains("3 feature(s)", gj.Out, StringComparison.Ordinal);
        Assert.True(back.Exit == 0, back.Out);
        await using var a = await EmbeddedStore.OpenAsync(_data);
        await using var b = await EmbeddedStore.OpenAsync(other);
        Assert.Equal(await a.QueryUnitsAsync(new UnitQuery()), await b.QueryUnitsAsync(new UnitQuery()));
        Assert.Equal(3, (await b.QueryUnitsAsync(new UnitQuery(AdminLevel.District))).Count);
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        var (exit, output, _) = await RunAsync("help");

        Assert.Equal(0, exit);
        Assert.Contains("import", output, StringComparison.Ordinal);
        Assert.Contains("validate", output, StringComparison.Ordinal);
        Assert.Contains("export", output, StringComparison.Ordinal);
    }
}
