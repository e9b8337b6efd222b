using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Datasets;

namespace GeoReadiness.Spatial.Tests.Import;

public sealed class UnitReimportTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gr-reimport-" + Guid.NewGuid().ToString("N"));
    private EmbeddedStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _store = await EmbeddedStore.OpenAsync(Path.Combine(_root, "store"));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ReimportingBoundariesKeepsPopulationAndAttributesFromAnAttributeTable()
    {
        var units = Path.Combine(_root, "units.geojson");
        var table = Path.Combine(_root, "attributes.csv");
        File.WriteAllText(units, DatasetLoaderTests.UnitsGeoJson(villages: 3));
        File.WriteAllText(table, "kode,penduduk,kk,ict_staff\n13.05,4000,1000,12\n");
        var importer = new DatasetImporter();

        Assert.True((await importer.ImportAsync(new ImportRequest(units, ImportLayer.Units), _store)).Applied);
        Assert.True((await importer.ImportAsync(new ImportRequest(table, ImportLayer.Attributes), _store)).Applied);
        var again = await importer.ImportAsync(new ImportRequest(units, ImportLayer.Units), _store);

        Assert.True(again.NoOp, again.ToText());
        var regency = await _store.FindUnitAsync("13.05");
        Assert.Equal(4000, regency!.Population);
        Assert.Equal(1000, regency.Households);
        Assert.Equal(12, regency.Attributes["ict_staff"].GetInt32());
    }

    [Fact]
    public async Task AUnitFileWithAPopulationColumnReplacesThePopulation()
    {
        var units = Path.Combine(_root, "units.geojson");
        File.WriteAllText(units, DatasetLoaderTests.UnitsGeoJson(villages: 1));
        var importer = new DatasetImporter();
        await importer.ImportAsync(new ImportRequest(units, ImportLayer.Units), _store);
        File.WriteAllText(units, File.ReadAllText(units).Replace("\"nama\":\"Padang Pariaman\"", "\"nama\":\"Padang Pariaman\",\"penduduk\":430000", StringComparison.Ordinal));

        var report = await importer.ImportAsync(new ImportRequest(units, ImportLayer.Units), _store);

        Assert.Equal(1, report.Changes!.Units.Updated);
        Assert.Equal(430000, (await _store.FindUnitAsync("13.05"))!.Population);
    }
}
