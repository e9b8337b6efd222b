using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using GeoReadiness.Spatial.Export;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Export;

public sealed class ExportTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DatasetImporter _importer = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Every layer, with attributes of each JSON type, a polygon with a hole, a two-part fibre route.</summary>
    public static DatasetChange SampleData()
    {
        var f = Geo.Factory;
        var units = TestUnits.Hierarchy(3).Select((u, i) => u with
        {
            Households = u.Level == AdminLevel.Village ? 250 + i : null,
            Attributes = Attributes.From([
                new("skor", i * 0.25), new("siap", i % 2 == 0), new("catatan", $"unit {i}, \"quoted\""), new("jumlah_sekolah", (long)i), new("lat", -0.9 + i),
            ]),
        }).ToList();
        var holed = f.CreatePolygon(f.CreateLinearRing([new(100.5, -0.5), new(100.6, -0.5), new(100.6, -0.4), new(100.5, -0.4), new(100.5, -0.5)]),
            [f.CreateLinearRing([new(100.52, -0.48), new(100.52, -0.42), new(100.58, -0.42), new(100.52, -0.48)])]);
        units.Add(TestUnits.Unit("13.05.02") with { Geometry = f.CreateMultiPolygon([holed]), Name = "Sintuak Toboh Gadang" });
        return new DatasetChange
        {
            Source = "sample",
            Units = units,
            FibreRoutes =
            [
                new FibreRoute { Id = "F-1", Status = FibreStatus.Existing, Year = 2021, Owner = "Telkom", Name = "Backbone", Geometry = f.CreateMultiLineString([f.CreateLineString([new(100.1, -0.9), new(100.31234567891234, -0.81)]), f.CreateLineString([new(100.4, -0.8), new(100.5, -0.7)])]) },
                new FibreRoute { Id = "F-2", Status = FibreStatus.UnderConstruction, Geometry = f.CreateMultiLineString([f.CreateLineString([new(100.2, -0.9), new(100.3, -0.95)])]) },
            ],
            Towers =
            [
                new Tower { Id = "T-1", Location = f.CreatePoint(new Coordinate(100.21, -0.71)), Technologies = [RadioTechnology.G2, RadioTechnology.G4], RadiusMetres = ImmutableSortedDictionary<RadioTechnology, double>.Empty.Add(RadioTechnology.G4, 2500.5), Operator = "Telkomsel", Year = 2019, Name = "BTS Lubuk Alung" },
                new Tower { Id = "T-2", Location = f.CreatePoint(new Coordinate(100.25, -0.75)), Technologies = [RadioTechnology.G5], CoverageArea = f.CreateMultiPolygon([(Polygon)f.ToGeometry(new Envelope(100.2, 100.3, -0.8, -0.7))]) },
            ],
            Facilities =
            [
                new Facility { Id = "P-1", Location = f.CreatePoint(new Coordinate(100.15, -0.85)), Kind = FacilityKind.Puskesmas, UnitCode = "13.05.01", Name = "Puskesmas Lubuk Alung" },
                new Facility { Id = "S-1", Location = f.CreatePoint(new Coordinate(100.16, -0.86)), Kind = FacilityKind.School },
            ],
            PopulationCells =
            [
                new PopulationCell { Id = "C-1", Geometry = f.CreatePoint(new Coordinate(100.12, -0.88)), Population = 120, Households = 30 },
                new PopulationCell { Id = "C-2", Geometry = f.ToGeometry(new Envelope(100.13, 100.1325, -0.88, -0.8775)), Population = 75, Households = 20 },
            ],
        };
    }

    private static async Task<TempStore> StoreWithSampleAsync()
    {
        var s = await TempStore.OpenAsync();
        await s.Store.ApplyAsync(SampleData());
        return s;
    }

    [Fact]
    public async Task GeoPackageExportImportsBackToEqualRecordsForEveryLayer()
    {
        await using var source = await StoreWithSampleAsync();
        var gpkg = _dir.File("all.gpkg");
        var result = await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.GeoPackage, gpkg), source.Store);

        Assert.Equal(["provinces", "regencies", "districts", "villages", "fibre_routes", "towers", "facilities", "population_cells"], result.Tables.Select(t => t.Name));
        await using var target = await TempStore.OpenAsync();
        foreach (var layer in new[] { ImportLayer.Units, ImportLayer.Fibre, ImportLayer.Towers, ImportLayer.Facilities, ImportLayer.Population })
        {
            var report = await _importer.ImportAsync(new ImportRequest(gpkg, layer), target.Store);
            Assert.False(report.HasErrors, report.ToText());
            Assert.Empty(report.Repaired);
        }
        (await target.ContentAsync()).AssertSameAs((await source.ContentAsync()) with { DataVersion = 5 });
    }

    [Fact]
    public async Task GeoJsonExportImportsBackToEqualRecords()
    {
        await using var source = await StoreWithSampleAsync();
        await using var target = await TempStore.OpenAsync();
        var units = _dir.File("units.geojson");
        await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.GeoJson, units), source.Store);
        foreach (var (layer, import) in new[] { (ExportLayer.Fibre, ImportLayer.Fibre), (ExportLayer.Towers, ImportLayer.Towers), (ExportLayer.Facilities, ImportLayer.Facilities), (ExportLayer.Population, ImportLayer.Population) })
        {
            var path = _dir.File($"{layer}.geojson");
            await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.GeoJson, path, layer), source.Store);
            if (layer == ExportLayer.Fibre) Assert.False((await _importer.ImportAsync(new ImportRequest(units, ImportLayer.Units), target.Store)).HasErrors);
            var report = await _importer.ImportAsync(new ImportRequest(path, import), target.Store);
            Assert.False(report.HasErrors, report.ToText());
        }

        (await target.ContentAsync()).AssertSameAs((await source.ContentAsync()) with { DataVersion = 5 });
        using var doc = JsonDocument.Parse(File.ReadAllBytes(units));
        Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        Assert.False(doc.RootElement.TryGetProperty("crs", out _));
        var first = doc.RootElement.GetProperty("features")[0];
        Assert.Equal("13", first.GetProperty("id").GetString());
        Assert.Equal("provinsi", first.GetProperty("properties").GetProperty("jenis").GetString());
        Assert.Equal(JsonValueKind.True, first.GetProperty("properties").GetProperty("siap").ValueKind);
    }

    [Fact]
    public async Task CsvExportHasConventionColumnsAttributesWktAndPointOnSurface()
    {
        await using var source = await StoreWithSampleAsync();
        var csv = _dir.File("villages.csv");
        var result = await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.Csv, csv, ExportLayer.Units, AdminLevel.District), source.Store);

        Assert.Equal(2, result.Features);
        var rows = GeoReadiness.Spatial.IO.CsvTable.Parse(File.ReadAllText(csv), csv);
        Assert.Equal(["kode", "nama", "kode_induk", "jenis", "penduduk", "kk", "catatan", "jumlah_sekolah", "attr_lat", "siap", "skor", "wkt", "lon", "lat"], rows[0].Fields);
        var holed = rows.Single(r => r.Fields[0] == "13.05.02").Fields;
        Assert.StartsWith("MULTIPOLYGON (((100.5 -0.5", holed[11], StringComparison.Ordinal);
        var p = Geo.Factory.CreatePoint(new Coordinate(double.Parse(holed[12], System.Globalization.CultureInfo.InvariantCulture), double.Parse(holed[13], System.Globalization.CultureInfo.InvariantCulture)));
        var unit = (await source.Store.FindUnitAsync("13.05.02"))!;
        Assert.True(unit.Geometry.Contains(p)); // inside the polygon, not in its hole
        var other = rows.Single(r => r.Fields[0] == "13.05.01").Fields;
        Assert.Equal("unit 2, \"quoted\"", other[6]);
        Assert.Equal("kecamatan", other[3]);
    }

    [Fact]
    public async Task OgrinfoListsTheGeoPackageLayersAndFeatureCounts()
    {
        await using var source = await StoreWithSampleAsync();
        var gpkg = _dir.File("all.gpkg");
        await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.GeoPackage, gpkg), source.Store);

        var (exit, output) = await RunAsync("ogrinfo", "-so", "-al", gpkg);

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("ERROR", output, StringComparison.Ordinal);
        foreach (var (layer, count) in new[] { ("provinces", 1), ("regencies", 1), ("districts", 2), ("villages", 3), ("fibre_routes", 2), ("towers", 2), ("facilities", 2), ("population_cells", 2) })
        {
            var at = output.IndexOf($"Layer name: {layer}\n", StringComparison.Ordinal);
            Assert.True(at >= 0, output);
            Assert.Contains($"Feature Count: {count}\n", output[at..], StringComparison.Ordinal);
            Assert.Matches($"Layer name: {layer}\n(.*\n)*?Feature Count: {count}\n", output[at..]);
        }
        Assert.Contains("Geometry: Multi Polygon", output, StringComparison.Ordinal);
        Assert.Contains("EPSG\",4326", output.Replace("ID[", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("penduduk: Integer", output, StringComparison.Ordinal);
        Assert.Contains("siap: Integer(Boolean)", output, StringComparison.Ordinal);

        // The spatial index is found and agrees with the data.
        var (exit2, sql) = await RunAsync("ogrinfo", gpkg, "-sql", "SELECT HasSpatialIndex('villages','geom') AS idx, count(*) AS n FROM rtree_villages_geom", "-dialect", "SQLite");
        Assert.True(exit2 == 0, sql);
        Assert.Contains("idx (Integer) = 1", sql, StringComparison.Ordinal);
        Assert.Contains("n (Integer) = 3", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportOfUnitLevelWritesOnlyThatTable()
    {
        await using var source = await StoreWithSampleAsync();
        var gpkg = _dir.File("villages.gpkg");

        var result = await DatasetExporter.ExportAsync(new ExportRequest(ExportFormat.GeoPackage, gpkg, Level: AdminLevel.Village), source.Store);

        var table = Assert.Single(result.Tables);
        Assert.Equal(new ExportedTable("villages", 3), table);
        Assert.Equal(["villages"], GeoReadiness.Spatial.IO.GeoPackageFileReader.FeatureTables(gpkg));
    }

    /// <summary>Runs a tool (ogrinfo, ogr2ogr) and returns its exit code with stdout and stderr.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}

public sealed class WktPrecisionTests
{
    [Fact]
    public void TowerCoverageWktKeepsEveryDigit()
    {
        var f = Geo.Factory;
        var ring = new Coordinate[] { new(100.09999999999999, -0.09999999999999998), new(100.3, -0.1), new(100.3, 0.0123456789012345678), new(100.09999999999999, -0.09999999999999998) };
        var coverage = f.CreateMultiPolygon([f.CreatePolygon(ring)]);
        var table = ExportTable.FromTowers([new Tower { Id = "T", Location = f.CreatePoint(new Coordinate(100.2, -0.05)), Technologies = [RadioTechnology.G4], CoverageArea = coverage }]);

        var wkt = (string)table.Rows[0].Values[table.Columns.ToList().FindIndex(c => c.Name == "coverage_wkt")]!;
        var back = new NetTopologySuite.IO.WKTReader(Geo.Factory.GeometryServices).Read(wkt);

        Assert.True(coverage.EqualsExact(back), wkt);
    }
}
