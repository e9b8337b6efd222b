using System.Diagnostics;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.EndToEnd.Tests;

/// <summary>The CLI as a process: load the demo dataset, export a GeoPackage GDAL reads, refuse a broken file.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gr-e2e-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task LoadTheDemoDatasetExportAGeoPackageAndReadItWithOgrinfo()
    {
        var store = Path.Combine(_dir, "store");
        var demo = Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles");

        var load = await Processes.RunCliAsync(null, "load", demo, "--data-dir", store);
        Assert.True(load.ExitCode == 0, load.Out + load.Error);
        Assert.Contains("loaded: data version 1", load.Out);

        var again = await Processes.RunCliAsync(null, "load", demo, "--data-dir", store);
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Contains("no change", again.Out);

        var gpkg = Path.Combine(_dir, "demo.gpkg");
        var export = await Processes.RunCliAsync(null, "export", "--format", "gpkg", "--out", gpkg, "--data-dir", store);
        Assert.True(export.ExitCode == 0, export.Out + export.Error);

        var ogrinfo = Process.Start(new ProcessStartInfo("ogrinfo", ["-so", "-al", gpkg]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var info = await ogrinfo.StandardOutput.ReadToEndAsync();
        await ogrinfo.WaitForExitAsync();
        Assert.Equal(0, ogrinfo.ExitCode);
        Assert.Contains("Layer name: villages", info);
        Assert.Contains("Feature Count: 103", info);
        Assert.Contains("Layer name: towers", info);
    }

    [Fact]
    public async Task ABrokenFileIsRefusedWithExitCode1AndTheStoreStaysAsItWas()
    {
        var store = Path.Combine(_dir, "store");
        var demo = Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles");
        Assert.Equal(0, (await Processes.RunCliAsync(null, "load", demo, "--data-dir", store)).ExitCode);
        var storeFile = Path.Combine(store, "store.bin");
        var before = await File.ReadAllBytesAsync(storeFile);

        var swapped = Path.Combine(_dir, "swapped.geojson");
        await File.WriteAllTextAsync(swapped, """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"kode":"13.05.01.2999","nama":"Swapped"},
               "geometry":{"type":"Polygon","coordinates":[[[-0.60,100.20],[-0.60,100.21],[-0.59,100.21],[-0.59,100.20],[-0.60,100.20]]]}}]}
            """);
        var import = await Processes.RunCliAsync(null, "import", swapped, "--layer", "units", "--data-dir", store);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("13.05.01.2999", import.Out);
        Assert.Contains("swapped", import.Out);
        Assert.Contains("unchanged", import.Out);
        Assert.Equal(before, await File.ReadAllBytesAsync(storeFile));

        var usage = await Processes.RunCliAsync(null, "import", swapped, "--layer", "roads", "--data-dir", store);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--layer", usage.Error);
    }
}
