using System.Collections.Immutable;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Assessment;

/// <summary>
/// What every <see cref="IAssessmentRepository"/> must do, run once per store by a subclass (like the store
/// contract): upsert and version semantics, all-or-nothing imports, profile conflicts, and the importer's checks.
/// </summary>
public abstract class AssessmentRepositoryContractTests : IAsyncLifetime
{
    private readonly List<ISpatialStore> _stores = [];

    /// <summary>New empty stores of the backend under test.</summary>
    protected abstract TestStores Stores { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Stores.DisposeAsync();

    /// <summary>A new store holding units 13, 13.05, 14, 14.72, isolated from every other test.</summary>
    private async Task<ISpatialStore> StoreAsync()
    {
        var store = await Stores.CreateAsync();
        _stores.Add(store);
        await store.ApplyAsync(new DatasetChange
        {
            Source = "test",
            Units = [TestUnits.Unit("13", 99.5, -1.5, 1.0), TestUnits.Unit("13.05", 100.1, -0.9, 0.4), TestUnits.Unit("14", 101.0, 1.0, 1.0), TestUnits.Unit("14.72", 101.2, 1.2, 0.4)],
        });
        return store;
    }

    private static QuestionnaireRow Row(string code, int year, params (string Field, double Value)[] values) =>
        new(code, year, values.ToImmutableSortedDictionary(v => v.Field, v => v.Value, StringComparer.Ordinal));

    [StoreFact]
    public async Task AnEmptyQuestionnaireHasVersionZeroAndNoProvenance()
    {
        var snapshot = await AssessmentRepositories.For(await StoreAsync()).GetQuestionnaireAsync();
        Assert.Equal((0, 0L, (DateTimeOffset?)null, (string?)null), (snapshot.Rows.Count, snapshot.Version, snapshot.ImportedAt, snapshot.Source));
    }

    [StoreFact]
    public async Task ImportUpsertsByCodeAndYearAndTheVersionRisesOnlyWhenSomethingChanged()
    {
        var repository = AssessmentRepositories.For(await StoreAsync());
        var dumai = Row("14.72", 2019, ("penduduk", 319827), ("ipm", 72.35), ("kkd", 0.123), ("reg_year", 0));
        var pp = Row("13.05", 2019, ("penduduk", 430000), ("data_centre", 1));

        var first = await repository.ImportQuestionnaireAsync([dumai, pp], "a.csv");
        var second = await repository.ImportQuestionnaireAsync([dumai, pp with { Values = pp.Values.SetItem("data_centre", 0) }, Row("13.05", 2020, ("penduduk", 431000))], "b.csv");
        var afterSecond = await repository.GetQuestionnaireAsync();
        var third = await repository.ImportQuestionnaireAsync([dumai], "c.csv");

        Assert.Equal(new QuestionnaireImportSummary(2, 0, 0, 1), first);
        Assert.Equal(new QuestionnaireImportSummary(1, 1, 1, 2), second);
        Assert.Equal(new QuestionnaireImportSummary(0, 0, 1, 2), third);
        var snapshot = await AssessmentRepositories.For(_stores[0]).GetQuestionnaireAsync(); // a fresh instance reads what was stored
        Assert.Equal(2, snapshot.Version);
        Assert.Equal("b.csv", snapshot.Source);
        Assert.Equal(afterSecond.ImportedAt, snapshot.ImportedAt);
        Assert.Equal([("13.05", 2019), ("13.05", 2020), ("14.72", 2019)], snapshot.Rows.Select(r => (r.Code, r.Year)));
        Assert.Equal(dumai, snapshot.Find("14.72", 2019));
        Assert.Equal(0, snapshot.Find("13.05", 2019)!.Values["data_centre"]);
    }

    [StoreFact]
    public async Task AReplacedRowKeepsNoAnswerItsReplacementLeftOut()
    {
        var repository = AssessmentRepositories.For(await StoreAsync());
        await repository.ImportQuestionnaireAsync([Row("14.72", 2019, ("penduduk", 10), ("pop_4g", 5))], "a.csv");
        await repository.ImportQuestionnaireAsync([Row("14.72", 2019, ("penduduk", 10))], "b.csv");
        Assert.False((await repository.GetQuestionnaireAsync()).Find("14.72", 2019)!.Values.ContainsKey("pop_4g"));
    }

    [StoreFact]
    public async Task AnImportWithTwoRowsForOneCodeAndYearIsRefusedAndWritesNothing()
    {
        var repository = AssessmentRepositories.For(await StoreAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => repository.ImportQuestionnaireAsync([Row("14.72", 2019, ("penduduk", 1)), Row("14.72", 2019, ("penduduk", 2))], "a.csv"));
        Assert.Equal(0, (await repository.GetQuestionnaireAsync()).Version);
    }

    [StoreFact]
    public async Task ConcurrentImportsAreAppliedOneAfterTheOtherWithoutLosingRows()
    {
        var store = await StoreAsync();
        var imports = Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => AssessmentRepositories.For(store).ImportQuestionnaireAsync([Row("14.72", 2015 + i, ("penduduk", i))], $"{i}.csv")));
        var summaries = await Task.WhenAll(imports);

        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), summaries.Select(s => s.Version).Order());
        var snapshot = await AssessmentRepositories.For(store).GetQuestionnaireAsync();
        Assert.Equal(8, snapshot.Version);
        Assert.Equal(8, snapshot.Rows.Count);
    }

    [StoreFact]
    public async Task AProfileIdAndVersionIsSavedOnceThenUnchangedAndOtherContentIsAConflictThatNeverOverwrites()
    {
        var repository = AssessmentRepositories.For(await StoreAsync());
        var at = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var v1 = StoredProfile.Create("kominfo-2017", "1.0", """{"weights":{"ict_staff":0.5}}""", at);

        var saved = await repository.SaveProfileAsync(v1);
        var again = await repository.SaveProfileAsync(v1 with { SavedAt = at.AddHours(1) });
        var conflict = await repository.SaveProfileAsync(StoredProfile.Create("kominfo-2017", "1.0", """{"weights":{"ict_staff":0.6}}""", at.AddHours(2)));
        var other = await repository.SaveProfileAsync(StoredProfile.Create("kominfo-2017", "1.1", """{"weights":{"ict_staff":0.6}}""", at.AddHours(3)));
        var first = await repository.SaveProfileAsync(StoredProfile.Create("a-profile", "1.0", "{}", at));

        Assert.Equal(DocumentSaveStatus.Saved, saved.Status);
        Assert.Equal(DocumentSaveStatus.Unchanged, again.Status);
        Assert.Equal(DocumentSaveStatus.Conflict, conflict.Status);
        Assert.Equal(v1, conflict.Stored);
        Assert.Equal(DocumentSaveStatus.Saved, other.Status);
        Assert.Equal(DocumentSaveStatus.Saved, first.Status);
        var profiles = await AssessmentRepositories.For(_stores[0]).GetProfilesAsync();
        Assert.Equal([("a-profile", "1.0"), ("kominfo-2017", "1.0"), ("kominfo-2017", "1.1")], profiles.Select(p => (p.Id, p.Version)));
        Assert.Equal(v1, profiles[1]);
    }

    [StoreFact]
    public async Task AProfileWhoseHashIsNotItsTextIsRefused()
    {
        var repository = AssessmentRepositories.For(await StoreAsync());
        var bad = StoredProfile.Create("p", "1", "{}", DateTimeOffset.UtcNow) with { Json = "{ }" };
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveProfileAsync(bad));
        Assert.Empty(await repository.GetProfilesAsync());
    }

    [StoreFact]
    public async Task TheImporterStoresAValidFileAndReportsTheVersion()
    {
        var store = await StoreAsync();
        var report = await QuestionnaireImporter.ImportAsync("kode,tahun,penduduk,kk,employees\n14.72,2019,319827,94441,2316\n13.05,2019,430000,110000,3000\n", "q.csv",
            store, AssessmentRepositories.For(store), dryRun: false);

        Assert.True(report.Succeeded);
        Assert.Equal(new QuestionnaireImportSummary(2, 0, 0, 1), report.Summary);
        Assert.Equal(319827, (await AssessmentRepositories.For(store).GetQuestionnaireAsync()).Find("14.72", 2019)!.Values["penduduk"]);
    }

    [StoreFact]
    public async Task TheImporterNamesAnUnknownUnitWithItsLineAndWritesNothing()
    {
        var store = await StoreAsync();
        var report = await QuestionnaireImporter.ImportAsync("kode,tahun,penduduk,kk,employees\n14.72,2019,10,2,1\n99.99,2019,10,2,1\n", "q.csv",
            store, AssessmentRepositories.For(store), dryRun: false);

        var p = Assert.Single(report.Problems);
        Assert.Equal((3, "99.99", "kode"), (p.Line, p.Code, p.Field));
        Assert.StartsWith("unknown unit 99.99", p.Message, StringComparison.Ordinal);
        Assert.Null(report.Summary);
        Assert.Equal(0, (await AssessmentRepositories.For(store).GetQuestionnaireAsync()).Version);
    }

    [StoreFact]
    public async Task TheImporterWritesNothingWhenOneRowHasAProblemOrOnADryRun()
    {
        var store = await StoreAsync();
        var repository = AssessmentRepositories.For(store);
        var bad = await QuestionnaireImporter.ImportAsync("kode,tahun,penduduk,kk,employees,ict_staff\n14.72,2019,10,2,80,1\n13.05,2019,10,2,80,120\n", "q.csv", store, repository, dryRun: false);
        var dry = await QuestionnaireImporter.ImportAsync("kode,tahun,penduduk,kk,employees\n14.72,2019,10,2,1\n", "q.csv", store, repository, dryRun: true);

        Assert.Equal((3, "13.05", "ict_staff"), (bad.Problems.Single().Line, bad.Problems.Single().Code, bad.Problems.Single().Field));
        Assert.True(dry.Succeeded);
        Assert.True(dry.DryRun);
        Assert.Null(dry.Summary);
        Assert.Equal(1, dry.Rows);
        Assert.Equal(0, (await repository.GetQuestionnaireAsync()).Version);
    }
}

public sealed class EmbeddedAssessmentRepositoryTests : AssessmentRepositoryContractTests
{
    private readonly EmbeddedTestStores _stores = new("gr-assessment-");

    protected override TestStores Stores => _stores;

    [Fact]
    public async Task TheQuestionnaireIsAFileInTheAssessmentFolderWithNoTemporaryFilesLeft()
    {
        var dir = _stores.NewDirectory();
        var repository = new EmbeddedAssessmentRepository(Path.Combine(dir, EmbeddedAssessmentRepository.FolderName));
        await repository.ImportQuestionnaireAsync([new QuestionnaireRow("14.72", 2019, ImmutableSortedDictionary<string, double>.Empty.Add("penduduk", 1))], "a.csv");
        Assert.Equal(["questionnaire.json"], Directory.GetFiles(Path.Combine(dir, "assessment")).Select(Path.GetFileName));
    }
}

[RequiresPostGis]
public sealed class PostGisAssessmentRepositoryTests : AssessmentRepositoryContractTests
{
    protected override TestStores Stores { get; } = new PostGisTestStores();
}
