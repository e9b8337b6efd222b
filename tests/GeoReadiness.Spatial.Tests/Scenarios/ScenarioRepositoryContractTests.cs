using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios.Storage;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Scenarios;

/// <summary>
/// What every <see cref="IScenarioRepository"/> must do, run once per store by a subclass (like the store contract):
/// scenario versions saved once and never overwritten, the latest version by number, run records created, listed,
/// updated while unfinished and frozen once final, read back equal by a fresh instance.
/// </summary>
public abstract class ScenarioRepositoryContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);

    /// <summary>New empty stores of the backend under test.</summary>
    protected abstract TestStores Stores { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Stores.DisposeAsync();

    private Task<ISpatialStore> StoreAsync() => Stores.CreateAsync();

    private static StoredScenario Scenario(string id, string version, string body, DateTimeOffset at) =>
        StoredScenario.Create(id, version, $"{id} title {version}", $$"""{"id": "{{id}}", "version": "{{version}}", "body": "{{body}}"}""", at);

    private static RunRecord Run(string scenario, DateTimeOffset at) =>
        RunRecord.NewPending(RunRecord.ScenarioKind, scenario, "1.0.0", """{"seed":7}""", new RunProvenanceRecord(7, new string('a', 64)), at);

    [StoreFact]
    public async Task AScenarioVersionIsSavedOnceThenUnchangedAndOtherContentIsAConflictThatNeverOverwrites()
    {
        var store = await StoreAsync();
        var repository = ScenarioRepositories.For(store);
        var v1 = Scenario("pp-fibre", "1.0.0", "a", At);

        var saved = await repository.SaveScenarioAsync(v1);
        var again = await repository.SaveScenarioAsync(v1 with { SavedAt = At.AddHours(1) });
        var conflict = await repository.SaveScenarioAsync(Scenario("pp-fibre", "1.0.0", "b", At.AddHours(2)));
        var next = await repository.SaveScenarioAsync(Scenario("pp-fibre", "1.10.0", "b", At.AddHours(3)));
        var nine = await repository.SaveScenarioAsync(Scenario("pp-fibre", "1.9.0", "c", At.AddHours(4)));

        Assert.Equal([DocumentSaveStatus.Saved, DocumentSaveStatus.Unchanged, DocumentSaveStatus.Conflict, DocumentSaveStatus.Saved, DocumentSaveStatus.Saved],
            new[] { saved, again, conflict, next, nine }.Select(o => o.Status));
        Assert.Equal(v1, conflict.Stored);
        Assert.Equal(v1, again.Stored);
        var fresh = ScenarioRepositories.For(store); // a fresh instance reads what was stored
        Assert.Equal(v1, await fresh.GetScenarioAsync("pp-fibre", "1.0.0"));
        Assert.Equal("1.10.0", (await fresh.GetScenarioAsync("pp-fibre"))!.Version); // numerically highest, not the last saved
        Assert.Null(await fresh.GetScenarioAsync("pp-fibre", "2.0.0"));
        Assert.Null(await fresh.GetScenarioAsync("unknown"));
    }

    [StoreFact]
    public async Task TheListNamesEachIdWithItsLatestVersionTitleAndVersions()
    {
        var repository = ScenarioRepositories.For(await StoreAsync());
        Assert.Empty(await repository.ListScenariosAsync());
        await repository.SaveScenarioAsync(Scenario("b-scenario", "2", "x", At));
        await repository.SaveScenarioAsync(Scenario("a-scenario", "1.0", "x", At));
        await repository.SaveScenarioAsync(Scenario("b-scenario", "10", "y", At.AddMinutes(1)));

        var list = await repository.ListScenariosAsync();

        Assert.Equal(
            [new ScenarioSummary("a-scenario", "1.0", "a-scenario title 1.0", ["1.0"], At), new ScenarioSummary("b-scenario", "10", "b-scenario title 10", ["2", "10"], At.AddMinutes(1))],
            list, (x, y) => x.Id == y.Id && x.LatestVersion == y.LatestVersion && x.Title == y.Title && x.Versions.SequenceEqual(y.Versions) && x.LatestSavedAt == y.LatestSavedAt);
    }

    [StoreFact]
    public async Task AScenarioWhoseHashIsNotItsTextOrWhoseIdIsNotASlugIsRefused()
    {
        var repository = ScenarioRepositories.For(await StoreAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveScenarioAsync(Scenario("s", "1", "a", At) with { Json = "{ }" }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveScenarioAsync(Scenario("../escape", "1", "a", At)));
        Assert.Empty(await repository.ListScenariosAsync());
    }

    [StoreFact]
    public async Task ARunIsCreatedUpdatedWhileUnfinishedAndReadBackWithItsResult()
    {
        var store = await StoreAsync();
        var repository = ScenarioRepositories.For(store);
        var run = Run("pp-fibre", At);
        await repository.CreateRunAsync(run);
        Assert.Equal(run, await repository.GetRunAsync(run.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.CreateRunAsync(run));

        // timestamps are kept to the microsecond (what PostgreSQL keeps) on both stores
        var running = run with { State = RunState.Running, StartedAt = At.AddTicks(12_345_678), DrawsDone = 500, Percent = 50, Stage = "drawing chunk 1 (500 draws)" };
        await repository.UpdateRunAsync(running);
        Assert.Equal(running with { StartedAt = At.AddTicks(12_345_670) }, await ScenarioRepositories.For(store).GetRunAsync(run.Id));

        var provenance = running.Provenance! with { DataVersion = "3", QuestionnaireVersion = "1", FootprintHash = "sha256:abc", ProfileId = "kominfo-2019", ProfileVersion = "1.0.0" };
        var done = running with
        {
            State = RunState.Succeeded, StartedAt = At.AddSeconds(1), FinishedAt = At.AddSeconds(9), DrawsDone = 1000, Percent = 100, Stage = "done",
            Provenance = provenance, Result = "{\n  \"draws\": 1000,\n  \"units\": []\n}",
        };
        await repository.UpdateRunAsync(done);
        var stored = await ScenarioRepositories.For(store).GetRunAsync(run.Id);
        Assert.Equal(done, stored);
        Assert.Equal(done.Result, stored!.Result); // the bytes of the result, not a re-serialisation

        // a finished run is never changed again; an unknown run is not created by an update
        await Assert.ThrowsAsync<InvalidOperationException>(() => repository.UpdateRunAsync(done with { State = RunState.Failed, Result = null, Error = "late" }));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => repository.UpdateRunAsync(Run("pp-fibre", At)));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.UpdateRunAsync(running with { Result = "{}" }));
        Assert.Equal(done, await repository.GetRunAsync(run.Id));
        Assert.Null(await repository.GetRunAsync(Guid.NewGuid()));
    }

    [StoreFact]
    public async Task RunsAreListedMostRecentFirstFilteredByScenarioAndStateWithoutResults()
    {
        var repository = ScenarioRepositories.For(await StoreAsync());
        var first = Run("a", At);
        var second = Run("b", At.AddMinutes(1));
        var third = Run("a", At.AddMinutes(2));
        foreach (var r in new[] { first, second, third }) await repository.CreateRunAsync(r);
        var succeeded = third with { State = RunState.Succeeded, Percent = 100, FinishedAt = At.AddMinutes(3), Result = "{}" };
        await repository.UpdateRunAsync(succeeded);
        await repository.UpdateRunAsync(second with { State = RunState.Failed, FinishedAt = At.AddMinutes(4), Error = "no population cells" });

        Assert.Equal([third.Id, second.Id, first.Id], (await repository.ListRunsAsync(new RunQuery())).Select(r => r.Id));
        Assert.Equal([third.Id, first.Id], (await repository.ListRunsAsync(new RunQuery(ScenarioId: "a"))).Select(r => r.Id));
        Assert.Equal([first.Id], (await repository.ListRunsAsync(new RunQuery(State: RunState.Pending))).Select(r => r.Id));
        Assert.Equal([third.Id], (await repository.ListRunsAsync(new RunQuery("a", RunState.Succeeded))).Select(r => r.Id));
        Assert.Equal([third.Id, second.Id], (await repository.ListRunsAsync(new RunQuery(Limit: 2))).Select(r => r.Id));
        Assert.Equal(succeeded with { Result = null }, (await repository.ListRunsAsync(new RunQuery(State: RunState.Succeeded))).Single());
        Assert.Equal("no population cells", (await repository.ListRunsAsync(new RunQuery(State: RunState.Failed))).Single().Error);
    }
}

public sealed class EmbeddedScenarioRepositoryTests : ScenarioRepositoryContractTests
{
    private readonly EmbeddedTestStores _stores = new("gr-scenarios-");

    protected override TestStores Stores => _stores;

    [Fact]
    public async Task ScenariosAndRunsAreFilesInTheirFoldersWithNoTemporaryFilesLeft()
    {
        var dir = _stores.NewDirectory();
        var repository = new EmbeddedScenarioRepository(dir);
        await repository.SaveScenarioAsync(StoredScenario.Create("pp", "1", null, "{}", DateTimeOffset.UtcNow));
        var run = RunRecord.NewPending(RunRecord.ScenarioKind, "pp", "1", "{}", null, DateTimeOffset.UtcNow);
        await repository.CreateRunAsync(run);
        await repository.UpdateRunAsync(run with { State = RunState.Running });

        Assert.Equal(["pp.json"], Directory.GetFiles(Path.Combine(dir, "scenarios")).Select(Path.GetFileName));
        Assert.Equal([run.Id.ToString("N") + ".json"], Directory.GetFiles(Path.Combine(dir, "runs")).Select(Path.GetFileName));
        Assert.Contains("\"state\": \"running\"", await File.ReadAllTextAsync(Path.Combine(dir, "runs", run.Id.ToString("N") + ".json")), StringComparison.Ordinal);
    }
}

[RequiresPostGis]
public sealed class PostGisScenarioRepositoryTests : ScenarioRepositoryContractTests
{
    protected override TestStores Stores { get; } = new PostGisTestStores();
}
