using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Export;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Cli.Tests;

/// <summary>The commands against a PostGIS store (--postgis), each test in a database of its own.</summary>
public sealed class PostGisCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [PostGisFact]
    public async Task ImportPadangPariamanIntoPostGisThenExportAGeoPackageThatOgrinfoReads()
    {
        await using var db = await PostGisDatabase.CreateAsync();
        string[] files = ["id_provinsi.geojson", "id_kabkota.geojson", "padang_pariaman_13.05_kecamatan.geojson", "padang_pariaman_13.05_nagari.geojson"];
        foreach (var file in files)
        {
            var r = await RunAsync("import", Fixtures.SharedData("boundaries", file), "--layer", "units", "--postgis", db.ConnectionString);
            Assert.True(r.Exit == 0, r.Out + r.Err);
        }
        var csv = await RunAsync("import", Fixtures.SharedData("population", "kemendagri_penduduk_2025.csv"), "--layer", "attributes", "--map", "penduduk=total", "--postgis", db.ConnectionString);
        Assert.True(csv.Exit == 0, csv.Out + csv.Err);
        var gpkg = _dir.File("pp.gpkg");
        var export = await RunAsync("export", "--format", "gpkg", "--out", gpkg, "--postgis", db.ConnectionString);
        Assert.True(export.Exit == 0, export.Out + export.Err);

        var (exit, info) = await ExportTests.RunAsync("ogrinfo", "-so", "-al", gpkg);
        Assert.True(exit == 0, info);
        Assert.Matches("Layer name: districts\n(.*\n)*?Feature Count: 17\n", info);
        Assert.Matches("Layer name: villages\n(.*\n)*?Feature Count: 103\n", info);
        Assert.Matches("Layer name: regencies\n(.*\n)*?Feature Count: 514\n", info);
        await using var store = await PostGisStore.OpenAsync(db.ConnectionString);
        Assert.Equal(458_310, (await store.FindUnitAsync("13.05"))!.Population);
        Assert.Equal(103, (await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, "13.05"))).Count);
    }

    [Fact]
    public async Task UnreachablePostGisIsAnInputErrorNotACrash()
    {
        var (exit, _, err) = await RunAsync("export", "--format", "gpkg", "--out", _dir.File("x.gpkg"), "--postgis", "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2");

        Assert.Equal(1, exit);
        Assert.Contains("cannot open the PostGIS store", err, StringComparison.Ordinal);
    }
}
