using GeoReadiness.Spatial.Assessment;
using System.Globalization;
using System.Security.Cryptography;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Tests.Datasets;

public sealed class DatasetLoaderTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gr-dataset-" + Guid.NewGuid().ToString("N"));
    private string DataDir => Path.Combine(_root, "data");
    private EmbeddedStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        _store = await EmbeddedStore.OpenAsync(Path.Combine(_root, "store"));
        File.WriteAllText(Path.Combine(DataDir, "units.geojson"), UnitsGeoJson(villages: 4));
        File.WriteAllText(Path.Combine(DataDir, "attributes.csv"), "kode,penduduk,ict_staff\n13.05,4000,12\n13.05.01.2001,1000,\n");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task LoadsEveryFileAsOneChangeWithOneDataVersion()
    {
        WriteManifest(("units.geojson", "units"), ("attributes.csv", "attributes"));
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DataDir), _store);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Reports.Count);
        Assert.Equal(1, result.Changes!.DataVersion);
        Assert.Equal(7, result.Changes.Units.Inserted);
        var regency = await _store.FindUnitAsync("13.05");
        Assert.Equal(4000, regency!.Population);
        Assert.Equal(12, regency.Attributes["ict_staff"].GetInt32());

        var again = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DataDir), _store);
        Assert.False(again.Changes!.ChangedAnything);
        Assert.Equal(1, (await _store.GetSummaryAsync()).DataVersion);
    }

    [Fact]
    public async Task AFailingLaterFileLeavesTheStoreUntouched()
    {
        File.WriteAllText(Path.Combine(DataDir, "attributes.csv"), "kode,penduduk\n13.05,4000\n13.99,5\n");
        WriteManifest(("units.geojson", "units"), ("attributes.csv", "attributes"));
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DataDir), _store);

        Assert.False(result.Succeeded);
        Assert.False(result.Reports[0].HasErrors);
        Assert.Contains(result.Reports[1].Issues, i => i.Key == "13.99");
        var summary = await _store.GetSummaryAsync();
        Assert.Equal(0, summary.DataVersion);
        Assert.All(summary.UnitsPerLevel.Values, n => Assert.Equal(0, n));
    }

    [Fact]
    public async Task AQuestionnaireFileIsCheckedAgainstTheDatasetsUnitsAndStoredAfterTheSpatialChange()
    {
        File.WriteAllText(Path.Combine(DataDir, "questionnaire.csv"), "kode,tahun,penduduk,kk,employees,ict_staff\n13.05,2024,4000,1000,80,12\n");
        WriteManifest(("questionnaire.csv", "questionnaire"), ("units.geojson", "units"));
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DataDir), _store);

        Assert.True(result.Succeeded);
        Assert.Equal(1, result.Changes!.DataVersion);
        var report = Assert.Single(result.Questionnaires);
        Assert.Equal((1, 1L), (report.Summary!.Inserted, report.Summary.Version));
        var stored = await AssessmentRepositories.For(_store).GetQuestionnaireAsync();
        Assert.Equal(12, stored.Find("13.05", 2024)!.Values["ict_staff"]);
        Assert.Equal("test/questionnaire.csv", stored.Source);
    }

    [Fact]
    public async Task AQuestionnaireWithAProblemLeavesTheStoreAndTheQuestionnaireUntouched()
    {
        File.WriteAllText(Path.Combine(DataDir, "questionnaire.csv"), "kode,tahun,penduduk,kk,employees,ict_staff\n13.05,2024,4000,1000,80,120\n13.99,2024,1,1,1,\n");
        WriteManifest(("units.geojson", "units"), ("questionnaire.csv", "questionnaire"));
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DataDir), _store);

        Assert.False(result.Succeeded);
        var problems = Assert.Single(result.Questionnaires).Problems;
        Assert.Contains(problems, p => p is { Line: 2, Code: "13.05", Field: "ict_staff" } && p.Message.Contains("ict_staff 120 exceeds employees 80", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Line: 3, Code: "13.99", Field: "kode" } && p.Message.Contains("unknown unit 13.99", StringComparison.Ordinal));
        Assert.Equal(0, (await _store.GetSummaryAsync()).DataVersion);
        Assert.Equal(0, (await AssessmentRepositories.For(_store).GetQuestionnaireAsync()).Version);
    }

    [Fact]
    public void AManifestWithAnAlteredFileIsRefusedBeforeAnythingIsRead()
    {
        WriteManifest(("units.geojson", "units"));
        var manifest = File.ReadAllText(Path.Combine(DataDir, DatasetManifest.FileName));
        File.AppendAllText(Path.Combine(DataDir, "units.geojson"), " ");
        var e = Assert.Throws<DatasetManifestException>(() => DatasetManifest.Load(DataDir));
        Assert.Contains("units.geojson", e.Message);
        Assert.Contains("altered", e.Message);
        Assert.NotEmpty(manifest);
    }

    [Fact]
    public void ManifestProblemsNameTheEntry()
    {
        File.WriteAllText(Path.Combine(DataDir, DatasetManifest.FileName), """{"files":[{"path":"units.geojson","layer":"roads"}]}""");
        Assert.Contains("unknown layer 'roads'", Assert.Throws<DatasetManifestException>(() => DatasetManifest.Load(DataDir)).Message);
        File.WriteAllText(Path.Combine(DataDir, DatasetManifest.FileName), """{"files":[{"path":"missing.shp","layer":"units"}]}""");
        Assert.Contains("missing.shp", Assert.Throws<DatasetManifestException>(() => DatasetManifest.Load(DataDir)).Message);
        File.WriteAllText(Path.Combine(DataDir, DatasetManifest.FileName), "{ not json");
        Assert.Contains("not a valid manifest", Assert.Throws<DatasetManifestException>(() => DatasetManifest.Load(DataDir)).Message);
    }

    private void WriteManifest(params (string Path, string Layer)[] files)
    {
        var entries = files.Select(f =>
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(DataDir, f.Path))));
            return $$"""{"path":"{{f.Path}}","layer":"{{f.Layer}}","sha256":"{{sha}}"}""";
        });
        File.WriteAllText(Path.Combine(DataDir, DatasetManifest.FileName), $$"""{"name":"test","files":[{{string.Join(",", entries)}}]}""");
    }

    internal static string UnitsGeoJson(int villages)
    {
        static string Box(double x, double y, double s) => string.Create(CultureInfo.InvariantCulture,
            $"[[[{x},{y}],[{x + s},{y}],[{x + s},{y + s}],[{x},{y + s}],[{x},{y}]]]");
        static string Feature(string code, string name, string box) =>
            $$$"""{"type":"Feature","properties":{"kode":"{{{code}}}","nama":"{{{name}}}"},"geometry":{"type":"Polygon","coordinates":{{{box}}}}}""";
        var features = new List<string>
        {
            Feature("13", "Sumatera Barat", Box(99.5, -1.5, 1.0)),
            Feature("13.05", "Padang Pariaman", Box(100.1, -0.9, 0.4)),
            Feature("13.05.01", "Batang Anai", Box(100.1, -0.9, 0.2)),
        };
        for (var i = 1; i <= villages; i++) features.Add(Feature($"13.05.01.{2000 + i}", $"Nagari {i}", Box(100.1 + i * 0.02, -0.9, 0.02)));
        return $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";
    }
}
