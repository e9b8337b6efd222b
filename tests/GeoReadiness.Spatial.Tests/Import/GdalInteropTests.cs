using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Export;

namespace GeoReadiness.Spatial.Tests.Import;

/// <summary>
/// Files written by GDAL (ogr2ogr, installed by test.sh) in other CRSs import back onto the original lon/lat:
/// this checks the .prj and GeoPackage SRS paths against what real tools produce, not against our own writer.
/// </summary>
public sealed class GdalInteropTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DatasetImporter _importer = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<IReadOnlyList<AdminUnit>> ImportKecamatanAsync(string path, DatasetImporter importer)
    {
        await using var s = await TempStore.OpenAsync(seedPadangPariaman: true);
        var report = await importer.ImportAsync(new ImportRequest(path, ImportLayer.Units) { Strict = true }, s.Store);
        Assert.False(report.HasErrors, report.ToText());
        return await s.Store.QueryUnitsAsync(new UnitQuery(AdminLevel.District));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("ESRI Shapefile", "kec_utm.shp", "EPSG:32747", 1e-6)]
    [InlineData("ESRI Shapefile", "kec_merc.shp", "EPSG:3857", 1e-6)]
    [InlineData("GPKG", "kec_utm.gpkg", "EPSG:32747", 1e-6)]
    [InlineData("GeoJSON", "kec_utm.geojson", "EPSG:32747", 1e-5)]
    public async Task ReprojectedFilesFromOgr2ogrImportOntoTheOriginalCoordinates(string driver, string name, string srs, double toleranceDegrees)
    {
        var source = SharedDataPath();
        var target = _dir.File(name);
        var (exit, output) = await ExportTests.RunAsync("ogr2ogr", "-f", driver, "-t_srs", srs, target, source);
        Assert.True(exit == 0, output);

        var original = await ImportKecamatanAsync(source, _importer);
        var reprojected = await ImportKecamatanAsync(target, _importer);

        Assert.Equal(17, reprojected.Count);
        Assert.Equal(original.Select(u => (u.Code, u.Name)), reprojected.Select(u => (u.Code, u.Name)));
        foreach (var (a, b) in original.Zip(reprojected))
        {
            Assert.Equal(a.Geometry.NumPoints, b.Geometry.NumPoints);
            var worst = a.Geometry.Coordinates.Zip(b.Geometry.Coordinates).Max(p => Math.Max(Math.Abs(p.First.X - p.Second.X), Math.Abs(p.First.Y - p.Second.Y)));
            Assert.True(worst < toleranceDegrees, $"{a.Code}: coordinates differ by up to {worst}°");
        }
    }

    private static string SharedDataPath() => Fixtures.SharedData("boundaries", "padang_pariaman_13.05_kecamatan.geojson");
}
