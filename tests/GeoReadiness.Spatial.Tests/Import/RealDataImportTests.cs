using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Tests.Import;

/// <summary>Provinces and kabupaten/kota of all Indonesia from the shared data, imported once into a real embedded store.</summary>
public sealed class NationalUnitsFixture : IAsyncLifetime
{
    public TempStore Store { get; private set; } = null!;
    public ImportReport Provinces { get; private set; } = null!;
    public ImportReport Regencies { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TempStore.OpenAsync();
        var importer = new DatasetImporter();
        Provinces = await importer.ImportAsync(Fixtures.Request(Fixtures.SharedData("boundaries", "id_provinsi.geojson"), ImportLayer.Units), Store.Store, default);
        Regencies = await importer.ImportAsync(Fixtures.Request(Fixtures.SharedData("boundaries", "id_kabkota.geojson"), ImportLayer.Units), Store.Store, default);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();
}

[Trait("Category", "LongRunning")]
public sealed class RealDataImportTests(NationalUnitsFixture national) : IClassFixture<NationalUnitsFixture>
{
    private readonly DatasetImporter _importer = new();

    [Fact]
    public void ProvincesAndRegenciesImportWithSorongSliversRepairedAndReported()
    {
        Assert.False(national.Provinces.HasErrors, national.Provinces.ToText());
        Assert.Equal(38, national.Provinces.Changes!.Units.Inserted + national.Provinces.Changes.Units.Unchanged);
        Assert.False(national.Regencies.HasErrors, national.Regencies.ToText());
        Assert.Equal(514, national.Regencies.RecordCount);
        // Kab. Sorong (96.01) has ten degenerate 3-point rings: dropped, each listed as a repair.
        var sorong = national.Regencies.Repaired.Where(r => r.Key == "96.01").ToList();
        Assert.True(sorong.Count >= 10, national.Regencies.ToText());
        Assert.Contains(sorong, r => r.What.Contains("fewer than the 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PadangPariamanKecamatanAndNagariImportAsSeventeenAndOneHundredThree()
    {
        var kec = await _importer.ImportAsync(Fixtures.Request(Fixtures.SharedData("boundaries", "padang_pariaman_13.05_kecamatan.geojson"), ImportLayer.Units), national.Store.Store, default);
        var nagari = await _importer.ImportAsync(Fixtures.Request(Fixtures.SharedData("boundaries", "padang_pariaman_13.05_nagari.geojson"), ImportLayer.Units), national.Store.Store, default);

        Assert.False(kec.HasErrors, kec.ToText());
        Assert.False(nagari.HasErrors, nagari.ToText());
        var store = national.Store.Store;
        Assert.Equal(17, (await store.QueryUnitsAsync(new UnitQuery(AdminLevel.District, "13.05"))).Count);
        var villages = await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, "13.05"));
        Assert.Equal(103, villages.Count);
        Assert.All(villages, v => Assert.True(v.Geometry.IsValid));
        var lubukAlung = (await store.FindUnitAsync("13.05.01.2001"))!;
        Assert.Equal("Lubuk Alung", lubukAlung.Name);
        Assert.Equal("13.05.01", lubukAlung.ParentCode);
    }

    [Fact]
    public async Task KemendagriPopulationCsvWithMappingSetsPadangPariamanTo458310()
    {
        var path = Fixtures.SharedData("population", "kemendagri_penduduk_2025.csv");
        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Attributes, mapping: FieldMapping.Parse(["penduduk=total"])), national.Store.Store, default);

        Assert.False(report.HasErrors, report.ToText());
        Assert.Equal(552, report.RecordCount); // 38 provinces + 514 kab/kota; the national row "0" is skipped with a warning
        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Warning && i.Key == "0" && i.Line == 2);
        var pp = (await national.Store.Store.FindUnitAsync("13.05"))!;
        Assert.Equal(458_310, pp.Population);
        Assert.Equal(458_310, pp.Attributes["pria"].GetInt64() + pp.Attributes["wanita"].GetInt64());
        Assert.Equal("Kabupaten Padang Pariaman", pp.Attributes["nama"].GetString());
        Assert.Equal(2_546_452, (await national.Store.Store.FindUnitAsync("12.71"))!.Population);
    }

    [Fact]
    public async Task MalformedBandungTowerFileGivesAnErrorPerBadFeatureNotACrash()
    {
        await using var s = await TempStore.OpenAsync();
        var report = await _importer.ImportAsync(Fixtures.Request(Fixtures.SharedData("telecom", "bandung_area_menara_2016.geojson"), ImportLayer.Towers, mapping: FieldMapping.Parse(["id=id_site", "name=nama_site", "operator=nama_perusahaan"])), s.Store, default);

        Assert.True(report.HasErrors);
        Assert.False(report.Applied);
        Assert.Equal(763, report.FeatureCount);
        var coordinateErrors = report.Issues.Where(i => i.Severity == IssueSeverity.Error && i.Message.Contains("coordinates are JSON strings", StringComparison.Ordinal)).ToList();
        Assert.Equal(763, coordinateErrors.Count);
        Assert.Equal(Enumerable.Range(0, 763), coordinateErrors.Select(i => i.FeatureIndex!.Value).Order());
        Assert.Equal("120487109", coordinateErrors.Single(i => i.FeatureIndex == 0).Key);
        Assert.Equal(0, (await s.Store.GetSummaryAsync()).DataVersion);
    }
}
