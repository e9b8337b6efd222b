using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Import;

/// <summary>Shapefiles with the agreed convention columns (as the demo-data generator writes them) import with no mapping.</summary>
public sealed class ConventionFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DatasetImporter _importer = new();

    public void Dispose() => _dir.Dispose();

    private static Point P(double x, double y) => Geo.Factory.CreatePoint(new Coordinate(x, y));

    [Fact]
    public async Task TowersFibreFacilitiesAndPopulationShapefilesImportWithoutMapping()
    {
        await using var s = await TempStore.OpenAsync(seedPadangPariaman: true);
        var towers = Fixtures.WriteShapefile(_dir.Path, "towers",
        [
            (P(100.21, -0.71), new() { ["id"] = "T-1", ["teknologi"] = "2G,3G,4G", ["r_2g"] = 5000.0, ["r_3g"] = 0.0, ["r_4g"] = 2000.0, ["r_5g"] = 0.0, ["operator"] = "Telkomsel", ["tahun"] = 2019, ["nama"] = "BTS Lubuk Alung" }),
            (P(100.25, -0.75), new() { ["id"] = "T-2", ["teknologi"] = "4G", ["r_2g"] = 0.0, ["r_3g"] = 0.0, ["r_4g"] = 0.0, ["r_5g"] = 0.0, ["operator"] = "XL", ["tahun"] = 2022, ["nama"] = "BTS Pariaman" }),
        ], Fixtures.Wgs84Prj);
        var fibre = Fixtures.WriteShapefile(_dir.Path, "fibre",
        [
            (Geo.Factory.CreateLineString([new(100.1, -0.9), new(100.3, -0.8)]), new() { ["id"] = "F-1", ["status"] = "under_construction", ["tahun"] = 2025, ["pemilik"] = "Telkom", ["nama"] = "Ring Padang Pariaman" }),
        ], Fixtures.Wgs84Prj);
        var facilities = Fixtures.WriteShapefile(_dir.Path, "facilities",
        [
            (P(100.15, -0.85), new() { ["id"] = "P-1", ["jenis"] = "puskesmas", ["kode_unit"] = "13.05.01", ["nama"] = "Puskesmas Lubuak Aluang" }),
            (P(100.16, -0.86), new() { ["id"] = "K-1", ["jenis"] = "village_office", ["kode_unit"] = "1305012001", ["nama"] = "Kantor Wali Nagari" }),
        ], Fixtures.Wgs84Prj);
        var cells = Fixtures.WriteShapefile(_dir.Path, "cells",
        [
            (Fixtures.Box(100.12, -0.88, 0.0025), new() { ["id"] = "C-1", ["penduduk"] = 120, ["kk"] = 31 }),
        ], Fixtures.Wgs84Prj);

        foreach (var (path, layer) in new[] { (towers, ImportLayer.Towers), (fibre, ImportLayer.Fibre), (facilities, ImportLayer.Facilities), (cells, ImportLayer.Population) })
        {
            var report = await _importer.ImportAsync(new ImportRequest(path, layer), s.Store);
            Assert.False(report.HasErrors, report.ToText());
            Assert.True(report.Applied);
        }

        var t = await s.Store.QueryTowersAsync(FeatureQuery.All);
        Assert.Equal([RadioTechnology.G2, RadioTechnology.G3, RadioTechnology.G4], t[0].Technologies);
        Assert.Equal(new Dictionary<RadioTechnology, double> { [RadioTechnology.G2] = 5000, [RadioTechnology.G4] = 2000 }, t[0].RadiusMetres);
        Assert.Empty(t[1].RadiusMetres); // 0 = the engine's default
        Assert.Equal(2019, t[0].Year);
        var f = Assert.Single(await s.Store.QueryFibreRoutesAsync(FeatureQuery.All));
        Assert.Equal(FibreStatus.UnderConstruction, f.Status);
        Assert.Equal("Telkom", f.Owner);
        var fac = await s.Store.QueryFacilitiesAsync(FeatureQuery.All);
        Assert.Equal("13.05.01.2001", fac.Single(x => x.Id == "K-1").UnitCode);
        Assert.Equal(FacilityKind.VillageOffice, fac.Single(x => x.Id == "K-1").Kind);
        var cell = Assert.Single(await s.Store.QueryPopulationCellsAsync(FeatureQuery.All));
        Assert.IsType<Polygon>(cell.Geometry);
        Assert.Equal((120, 31), (cell.Population, cell.Households));
    }

    [Fact]
    public async Task TowerRadiusForATechnologyNotOfferedIsAnError()
    {
        await using var s = await TempStore.OpenAsync();
        var towers = Fixtures.WriteShapefile(_dir.Path, "towers",
            [(P(100.21, -0.71), new() { ["id"] = "T-1", ["teknologi"] = "4G", ["r_2g"] = 5000.0 })], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(new ImportRequest(towers, ImportLayer.Towers), s.Store);

        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Error && i.Key == "T-1" && i.Message.Contains("radius for 2G", StringComparison.Ordinal));
        Assert.Equal(0, (await s.Store.GetSummaryAsync()).DataVersion);
    }

    [Fact]
    public async Task UnitsShapefileInfersKindsParentsAndKeepsOtherFieldsAsAttributes()
    {
        await using var s = await TempStore.OpenAsync(seedPadangPariaman: true);
        var shp = Fixtures.WriteShapefile(_dir.Path, "desa",
        [
            (Fixtures.Box(100.15, -0.85, 0.01), new() { ["kode"] = "13.05.01.2001", ["nama"] = "Lubuk Alung", ["kode_induk"] = "13.05.01", ["penduduk"] = 12000, ["kk"] = 3100, ["luas_km2"] = 21.5, ["sumber"] = "survei 2025" }),
            (Fixtures.Box(100.16, -0.85, 0.01), new() { ["kode"] = "13.05.01.1001", ["nama"] = "Kelurahan X", ["kode_induk"] = "", ["penduduk"] = 0, ["kk"] = 0, ["luas_km2"] = 1.0, ["sumber"] = "" }),
        ], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(new ImportRequest(shp, ImportLayer.Units), s.Store);

        Assert.False(report.HasErrors, report.ToText());
        var nagari = (await s.Store.FindUnitAsync("13.05.01.2001"))!;
        Assert.Equal((UnitKind.Nagari, "13.05.01", 12000L, 3100L), (nagari.Kind, nagari.ParentCode!, nagari.Population!.Value, nagari.Households!.Value));
        Assert.Equal(21.5, nagari.Attributes["luas_km2"].GetDouble());
        Assert.Equal("survei 2025", nagari.Attributes["sumber"].GetString());
        Assert.Equal(["luas_km2", "sumber"], nagari.Attributes.Keys);
        Assert.Equal(UnitKind.Kelurahan, (await s.Store.FindUnitAsync("13.05.01.1001"))!.Kind);
    }

    [Fact]
    public async Task KindThatContradictsTheLevelIsAnError()
    {
        await using var s = await TempStore.OpenAsync(seedPadangPariaman: true);
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), new() { ["kode"] = "13.05.02", ["nama"] = "A", ["jenis"] = "kota" })], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(new ImportRequest(shp, ImportLayer.Units), s.Store);

        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Error && i.Message.Contains("kind 'kota' does not fit a District code", StringComparison.Ordinal));
    }
}
