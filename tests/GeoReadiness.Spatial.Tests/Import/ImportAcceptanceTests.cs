using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Tests.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Import;

/// <summary>
/// The broken inputs every import must survive with a clear report and an untouched store, run against each
/// backend (the classes below).
/// </summary>
public abstract class ImportAcceptanceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly DatasetImporter _importer = new();

    protected abstract TestBackend Backend { get; }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<TempStore> OpenStoreAsync(bool seedPadangPariaman = false) => TempStore.OpenAsync(Backend, seedPadangPariaman);

    private static void AssertError(ImportReport report, Func<ImportIssue, bool> match)
    {
        Assert.True(report.HasErrors, report.ToText());
        Assert.False(report.Applied);
        Assert.Null(report.Changes);
        Assert.True(report.Issues.Any(i => i.Severity == IssueSeverity.Error && match(i)), report.ToText());
        Assert.Contains("nothing was imported", report.Outcome);
    }

    [StoreFact]
    public async Task ShapefileWithoutPrjIsRefusedNamingTheFileAndLeavesStoreUnchanged()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "kecamatan_noprj", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "Sintuak Toboh Gadang"))], prj: null);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.Message.Contains("kecamatan_noprj.shp", StringComparison.Ordinal) && i.Message.Contains(".prj", StringComparison.Ordinal));
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task BowTiePolygonIsRepairedAndReported()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var shp = Fixtures.WriteShapefile(_dir.Path, "bowtie", [(Fixtures.BowTie(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "Sintuak Toboh Gadang"))], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        Assert.False(report.HasErrors, report.ToText());
        Assert.True(report.Applied);
        Assert.True(report.Repaired.Count == 1, report.ToText());
        var repaired = report.Repaired[0];
        Assert.Equal(0, repaired.FeatureIndex);
        Assert.Equal("13.05.02", repaired.Key);
        Assert.Contains(report.Issues, i => i.Severity == IssueSeverity.Warning && i.Message.Contains("Self-intersection", StringComparison.OrdinalIgnoreCase));
        var unit = await s.Store.FindUnitAsync("13.05.02");
        Assert.NotNull(unit);
        Assert.True(unit.Geometry.IsValid);
        Assert.Equal(2, unit.Geometry.NumGeometries); // the two triangles of the bow-tie
        Assert.Equal(UnitKind.Kecamatan, unit.Kind);
        Assert.Equal("13.05", unit.ParentCode);
    }

    [StoreFact]
    public async Task BowTiePolygonIsRejectedInStrictModeAndLeavesStoreUnchanged()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "bowtie", [(Fixtures.BowTie(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "Sintuak Toboh Gadang"))], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units, strict: true), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 0 && i.Key == "13.05.02" && i.Message.Contains("strict", StringComparison.Ordinal));
        Assert.Empty(report.Repaired);
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task ImportRejectsDuplicateCodesAndLeavesStoreUnchanged()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "dups",
        [
            (Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A")),
            (Fixtures.Box(100.3, -0.8, 0.05), Fixtures.Unit("13.05.03", "B")),
            (Fixtures.Box(100.4, -0.8, 0.05), Fixtures.Unit("13.05.02", "A again")),
        ], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 2 && i.Key == "13.05.02" && i.Message.Contains("duplicate", StringComparison.Ordinal) && i.Message.Contains("#0", StringComparison.Ordinal));
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task TruncatedShapefileIsAnErrorNamingTheFileNotACrash()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "truncated",
            Enumerable.Range(0, 5).Select(i => ((Geometry)Fixtures.Box(100.2 + i * 0.06, -0.8, 0.05), Fixtures.Unit($"13.05.{i + 2:00}", "K" + i))), Fixtures.Wgs84Prj);
        var bytes = File.ReadAllBytes(shp);
        File.WriteAllBytes(shp, bytes[..(bytes.Length * 2 / 3)]);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.Message.Contains("truncated.shp", StringComparison.Ordinal) && i.Message.Contains("truncated or corrupt", StringComparison.Ordinal));
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task GeoJsonWithLatLonSwappedIsAnErrorWithFeatureIndexCodeAndHint()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var path = _dir.File("swapped.geojson");
        // The second feature is written [lat, lon], as the upstream SQL of the boundary data stores it.
        File.WriteAllText(path, """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"kode":"13.05.02","nama":"Ok"},"geometry":{"type":"Polygon","coordinates":[[[100.2,-0.8],[100.25,-0.8],[100.25,-0.75],[100.2,-0.75],[100.2,-0.8]]]}},
             {"type":"Feature","properties":{"kode":"13.05.03","nama":"Swapped"},"geometry":{"type":"Polygon","coordinates":[[[-0.8,100.3],[-0.8,100.35],[-0.75,100.35],[-0.75,100.3],[-0.8,100.3]]]}}
            ]}
            """);

        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 1 && i.Key == "13.05.03" && i.Message.Contains("outside Indonesia", StringComparison.Ordinal) && i.Message.Contains("lat/lon swapped?", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Issues, i => i.FeatureIndex == 0 && i.Severity == IssueSeverity.Error);
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task CsvRowWithUnknownCodeIsAnErrorWithRowNumberAndCode()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var path = _dir.File("survey.csv");
        File.WriteAllText(path, "kode,penduduk,skor_kesiapan,catatan\n13.05,458310,0.7,\"ok, verified\"\n13.99,1000,0.1,missing\n");

        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Attributes), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 1 && i.Line == 3 && i.Key == "13.99" && i.Message.Contains("unknown code", StringComparison.Ordinal));
        Assert.Contains("row 2, line 3 (13.99)", report.ToText(), StringComparison.Ordinal);
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task AttributeCsvUpdatesPopulationAndTypesFreeAttributes()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var path = _dir.File("survey.csv");
        File.WriteAllText(path, "\uFEFFkode,penduduk,kk,skor,siap,catatan,telp,kosong\r\n13.05,458310,120000,0.7,true,\"ok, \"\"verified\"\"\",0812,\r\n");

        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Attributes), s.Store, default);

        Assert.False(report.HasErrors, report.ToText());
        Assert.Equal(1, report.Changes!.Units.Updated);
        var u = (await s.Store.FindUnitAsync("13.05"))!;
        Assert.Equal(458310, u.Population);
        Assert.Equal(120000, u.Households);
        Assert.Equal(0.7, u.Attributes["skor"].GetDouble());
        Assert.True(u.Attributes["siap"].GetBoolean());
        Assert.Equal("ok, \"verified\"", u.Attributes["catatan"].GetString());
        Assert.Equal("0812", u.Attributes["telp"].GetString());
        Assert.False(u.Attributes.ContainsKey("kosong"));
        Assert.Equal("Unit 13.05", u.Name);

        var again = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Attributes), s.Store, default);
        Assert.True(again.NoOp, again.ToText());
    }

    [StoreFact]
    public async Task ReimportingTheSameFileIsReportedAsUnchanged()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec",
        [
            (Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A")),
            (Fixtures.Box(100.3, -0.8, 0.05), Fixtures.Unit("13.05.03", "B")),
        ], Fixtures.Wgs84Prj);

        var first = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);
        var version = (await s.Store.GetSummaryAsync()).DataVersion;
        var second = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        Assert.Equal(2, first.Changes!.Units.Inserted);
        Assert.False(first.NoOp);
        Assert.True(second.NoOp, second.ToText());
        Assert.Equal(2, second.Changes!.Units.Unchanged);
        Assert.Contains("no change", second.Outcome, StringComparison.Ordinal);
        Assert.Equal(version, (await s.Store.GetSummaryAsync()).DataVersion);
    }

    [StoreFact]
    public async Task OrphanParentIsAnErrorAndLeavesStoreUnchanged()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "orphan", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.06.01", "Orphan"))], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 0 && i.Key == "13.06.01" && i.Message.Contains("orphan", StringComparison.Ordinal) && i.Message.Contains("'13.06'", StringComparison.Ordinal));
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task DryRunValidatesButWritesNothing()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units) with { DryRun = true }, s.Store, default);

        Assert.False(report.HasErrors, report.ToText());
        Assert.False(report.Applied);
        Assert.Equal(1, report.RecordCount);
        Assert.Contains("dry run", report.Outcome, StringComparison.Ordinal);
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task WrongAndEmptyGeometriesAreErrors()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var before = await s.ContentAsync();
        var path = _dir.File("mixed.geojson");
        File.WriteAllText(path, """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"kode":"13.05.02","nama":"Line"},"geometry":{"type":"LineString","coordinates":[[100.2,-0.8],[100.25,-0.8]]}},
             {"type":"Feature","properties":{"kode":"13.05.03","nama":"Empty"},"geometry":{"type":"MultiPolygon","coordinates":[]}},
             {"type":"Feature","properties":{"kode":"13.05.04","nama":"None"},"geometry":null}
            ]}
            """);

        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.FeatureIndex == 0 && i.Message.Contains("wrong geometry type LineString", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.FeatureIndex == 1 && i.Message.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(report.Issues, i => i.FeatureIndex == 2 && i.Message.Contains("no geometry", StringComparison.Ordinal));
        (await s.ContentAsync()).AssertSameAs(before);
    }

    [StoreFact]
    public async Task MalformedJsonIsAnErrorNamingTheFile()
    {
        await using var s = await OpenStoreAsync();
        var path = _dir.File("broken.geojson");
        File.WriteAllText(path, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"13"},""");

        var report = await _importer.ImportAsync(Fixtures.Request(path, ImportLayer.Units), s.Store, default);

        AssertError(report, i => i.Message.StartsWith("broken.geojson: not valid JSON", StringComparison.Ordinal));
        Assert.Equal(0, (await s.Store.GetSummaryAsync()).DataVersion);
    }

    [StoreFact]
    public async Task ExplicitMappingReadsBigRbiColumns()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var attrs = new Dictionary<string, object?> { ["KDPPUM"] = "13", ["KDPKAB"] = "13.05", ["KDCPUM"] = "13.05.01", ["KDEPUM"] = "13.05.01.2001", ["NAMOBJ"] = "Lubuk Alung", ["WADMKC"] = "Lubuak Aluang", ["LUASWH"] = 12.5 };
        var shp = Fixtures.WriteShapefile(_dir.Path, "rbi_desa", [(Fixtures.Box(100.15, -0.85, 0.02), attrs)], Fixtures.Wgs84Prj);

        // Default mapping picks the most specific KD* column; the explicit one says the same.
        var byDefault = await _importer.ValidateAsync(Fixtures.Request(shp, ImportLayer.Units), s.Store, default);
        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units, mapping: FieldMapping.Parse(["code=KDEPUM", "name=NAMOBJ"])), s.Store, default);

        Assert.False(byDefault.HasErrors, byDefault.ToText());
        Assert.False(report.HasErrors, report.ToText());
        var u = (await s.Store.FindUnitAsync("13.05.01.2001"))!;
        Assert.Equal("Lubuk Alung", u.Name);
        Assert.Equal(UnitKind.Nagari, u.Kind); // 2xxx in province 13, not Mentawai
        Assert.Equal(12.5, u.Attributes["LUASWH"].GetDouble());
        Assert.Equal("Lubuak Aluang", u.Attributes["WADMKC"].GetString());
        Assert.False(u.Attributes.ContainsKey("KDPKAB"));
    }

    [StoreFact]
    public async Task MappingToAMissingColumnIsAnError()
    {
        await using var s = await OpenStoreAsync(seedPadangPariaman: true);
        var shp = Fixtures.WriteShapefile(_dir.Path, "kec", [(Fixtures.Box(100.2, -0.8, 0.05), Fixtures.Unit("13.05.02", "A"))], Fixtures.Wgs84Prj);

        var report = await _importer.ImportAsync(Fixtures.Request(shp, ImportLayer.Units, mapping: FieldMapping.Parse(["code=KDEPUM"])), s.Store, default);

        AssertError(report, i => i.Message.Contains("no column 'KDEPUM'", StringComparison.Ordinal));
    }
}

public sealed class EmbeddedImportAcceptanceTests : ImportAcceptanceTests
{
    protected override TestBackend Backend => TestBackend.Embedded;
}

[RequiresPostGis]
public sealed class PostGisImportAcceptanceTests : ImportAcceptanceTests
{
    protected override TestBackend Backend => TestBackend.PostGis;
}

public sealed class ImportConventionTests
{
    [Theory]
    [InlineData("13", UnitKind.Provinsi)]
    [InlineData("13.05", UnitKind.Kabupaten)]
    [InlineData("13.71", UnitKind.Kota)]
    [InlineData("13.05.02", UnitKind.Kecamatan)]
    [InlineData("13.05.02.2001", UnitKind.Nagari)]
    [InlineData("13.01.02.2001", UnitKind.Desa)]
    [InlineData("13.71.01.1001", UnitKind.Kelurahan)]
    [InlineData("32.04.01.2001", UnitKind.Desa)]
    [InlineData("91.01.01.3001", UnitKind.Other)]
    public void KindIsInferredFromTheCode(string code, UnitKind expected) => Assert.Equal(expected, Conventions.InferKind(code));

    [Fact]
    public void ReportTextListsErrorsWithFeatureIndexAndCode()
    {
        var report = new ImportReport
        {
            File = "x.geojson",
            Layer = ImportLayer.Units,
            Issues = [new ImportIssue(IssueSeverity.Warning, 0, "13.05.01", "repaired"), new ImportIssue(IssueSeverity.Error, 3, "13.05.04", "lies outside Indonesia")],
        };
        var text = report.ToText();
        Assert.Contains("error: feature #3 (13.05.04): lies outside Indonesia", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("error:", StringComparison.Ordinal) < text.IndexOf("warning:", StringComparison.Ordinal));
        Assert.Contains("store is unchanged", text, StringComparison.Ordinal);
    }
}
