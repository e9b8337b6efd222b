using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Tests.Demo;

/// <summary>The written files import with the importer's default conventions, in manifest order, into a real store.</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoImportTests(DemoFixture fixture)
{
    [Fact]
    public async Task EveryFileImportsWithoutMappingInManifestOrderAndGivesBackTheDataSet()
    {
        using var files = new DemoTempDir();
        using var storeDir = new DemoTempDir();
        var order = DemoFiles.Write(fixture.Data, files.Path);
        await using var store = await EmbeddedStore.OpenAsync(storeDir.Path);
        var importer = new DatasetImporter();
        foreach (var f in order)
        {
            if (f.Layer == DatasetManifest.QuestionnaireLayer)
            {
                var path = Path.Combine(files.Path, f.Path);
                var q = await QuestionnaireImporter.ImportAsync(await File.ReadAllTextAsync(path), path, store, AssessmentRepositories.For(store), dryRun: false);
                Assert.True(q.Succeeded, string.Join("\n", q.Problems));
                Assert.Equal(f.Records, q.Summary!.Inserted);
                continue;
            }
            Assert.True(ImportLayers.TryParse(f.Layer, out var layer), f.Layer);
            var report = await importer.ImportAsync(new ImportRequest(Path.Combine(files.Path, f.Path), layer), store);
            Assert.False(report.HasErrors, report.ToText());
            Assert.Equal(f.Records, report.RecordCount);
        }

        var d = fixture.Data;
        var summary = await store.GetSummaryAsync();
        Assert.Equal(d.Provinces.Count, summary.UnitsPerLevel[AdminLevel.Province]);
        Assert.Equal(d.Regencies.Count, summary.UnitsPerLevel[AdminLevel.Regency]);
        Assert.Equal(d.Kecamatan.Count, summary.UnitsPerLevel[AdminLevel.District]);
        Assert.Equal(d.Nagari.Count, summary.UnitsPerLevel[AdminLevel.Village]);
        Assert.Equal(d.FibreRoutes.Count, summary.FibreRoutes);
        Assert.Equal(d.Towers.Count, summary.Towers);
        Assert.Equal(d.Facilities.Count, summary.Facilities);
        Assert.Equal(d.PopulationCells.Count, summary.PopulationCells);

        var kab = await store.FindUnitAsync("13.05");
        Assert.NotNull(kab);
        Assert.True(kab.Geometry.EqualsExact(d.Kabupaten.Geometry));
        Assert.Equal(d.Kabupaten.Population, kab.Population);
        var nagari = await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Village));
        Assert.Equal(d.Nagari.Select(n => (n.Code, n.Name, n.Kind, n.Population, n.Households)), nagari.Select(n => (n.Code, n.Name, n.Kind, n.Population, n.Households)));
        Assert.Equal(d.Towers, await store.QueryTowersAsync(FeatureQuery.All));
        Assert.Equal(d.Facilities, await store.QueryFacilitiesAsync(FeatureQuery.All));
        Assert.Equal(d.FibreRoutes, await store.QueryFibreRoutesAsync(FeatureQuery.All));

        var dumai = await store.FindUnitAsync("14.72");
        Assert.NotNull(dumai);
        Assert.Equal(319827, dumai.Population);
        var stored = await AssessmentRepositories.For(store).GetQuestionnaireAsync();
        Assert.Equal(d.Questionnaire, stored.Rows);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task TheCommittedFolderLoadsAsOneDatasetThroughItsManifest()
    {
        using var storeDir = new DemoTempDir();
        var manifest = DatasetManifest.Load(Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles"));
        Assert.Equal(DemoFiles.LoadOrder(fixture.Data).Select(f => (f.Path, f.Layer)), manifest.Files.Select(f => (f.Path, f.Layer)));
        Assert.All(manifest.Files, f => Assert.False(string.IsNullOrEmpty(f.Sha256)));
        await using var store = await EmbeddedStore.OpenAsync(storeDir.Path);
        var result = await new DatasetLoader().LoadAsync(manifest, store);
        Assert.True(result.Succeeded, string.Join("\n", result.Reports.Select(r => r.ToText(20))));
        var summary = await store.GetSummaryAsync();
        Assert.Equal(fixture.Data.Nagari.Count, summary.UnitsPerLevel[AdminLevel.Village]);
        Assert.Equal(fixture.Data.PopulationCells.Count, summary.PopulationCells);
        var questionnaire = await AssessmentRepositories.For(store).GetQuestionnaireAsync();
        Assert.Equal(fixture.Data.Questionnaire, questionnaire.Rows);
        Assert.Equal("georeadiness-demo/national/questionnaire.csv", questionnaire.Source);
        Assert.Equal(514, Assert.Single(result.Questionnaires).Summary!.Inserted);
    }

    [Fact]
    public async Task LoadingTheCommittedFolderTwiceLeavesTheQuestionnaireVersionAtOne()
    {
        using var storeDir = new DemoTempDir();
        var manifest = DatasetManifest.Load(Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles"));
        await using var store = await EmbeddedStore.OpenAsync(storeDir.Path);
        await new DatasetLoader().LoadAsync(manifest, store);
        var again = await new DatasetLoader().LoadAsync(manifest, store);

        Assert.True(again.Succeeded);
        var summary = Assert.Single(again.Questionnaires).Summary!;
        Assert.Equal((0, 0, 514, 1L), (summary.Inserted, summary.Replaced, summary.Unchanged, summary.Version));
    }
}
