using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Forecasting;

/// <summary>
/// What every <see cref="IForecastModelRepository"/> must do, run once per store by a subclass: a model id saved once
/// and never overwritten, the list newest first, the artefact and the manifest's exact text read back, exactly one
/// current model after promotions, and the registry as it was after the store is closed and opened again.
/// </summary>
public abstract class ForecastModelRepositoryContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);

    /// <summary>New empty stores of the backend under test.</summary>
    protected abstract TestStores Stores { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Stores.DisposeAsync();

    private Task<ISpatialStore> CreateStoreAsync() => Stores.CreateAsync();

    /// <summary>A model with a manifest whose keys are not in order and whose spacing is irregular: its text must come back as given.</summary>
    private static StoredForecastModel Model(int n, DateTimeOffset savedAt, byte fill = 0)
    {
        var artefact = Enumerable.Range(0, 300 + n).Select(i => (byte)((i * 31 + n + fill) % 256)).ToArray();
        var manifest = $$$"""{"versionId":"{{{Id(n)}}}",  "seed": {{{n}}}, "algorithm":"fasttree", "metrics": {"mae": 3.5, "auc": 0.9}}""";
        return new StoredForecastModel(Id(n), manifest, artefact, ForecastModelStorageChecks.HashOf(artefact), savedAt);
    }

    private static string Id(int n) => $"fm-{n:x16}";

    [StoreFact]
    public async Task AModelIsSavedOnceThenUnchangedAndNeverOverwritten()
    {
        var repository = ForecastModelRepositories.For(await CreateStoreAsync());
        var model = Model(1, At);

        var saved = await repository.SaveAsync(model);
        var again = await repository.SaveAsync(Model(1, At.AddHours(1), fill: 7)); // same id, other bytes: the first is kept

        Assert.Equal(DocumentSaveStatus.Saved, saved.Status);
        Assert.Equal(DocumentSaveStatus.Unchanged, again.Status);
        var expected = new ForecastModelSummary(model.Id, model.ManifestJson, model.Sha256, model.Artefact.Length, At, false, null);
        Assert.Equal(expected, saved.Model);
        Assert.Equal(expected, again.Model);
        var stored = await repository.GetAsync(model.Id);
        Assert.NotNull(stored);
        Assert.Equal(model.Artefact, stored.Artefact);
        Assert.Equal((model.Id, model.ManifestJson, model.Sha256, model.SavedAt), (stored.Id, stored.ManifestJson, stored.Sha256, stored.SavedAt));
        Assert.Equal(expected, await repository.GetSummaryAsync(model.Id));
    }

    [StoreFact]
    public async Task ModelsAreListedNewestFirst()
    {
        var repository = ForecastModelRepositories.For(await CreateStoreAsync());
        Assert.Empty(await repository.ListAsync());
        await repository.SaveAsync(Model(3, At));
        await repository.SaveAsync(Model(1, At.AddMinutes(2)));
        await repository.SaveAsync(Model(2, At.AddMinutes(1)));
        await repository.SaveAsync(Model(4, At)); // the same instant as 3: by id

        var list = await repository.ListAsync();

        Assert.Equal([Id(1), Id(2), Id(3), Id(4)], list.Select(m => m.Id));
        Assert.Equal([At.AddMinutes(2), At.AddMinutes(1), At, At], list.Select(m => m.SavedAt));
        Assert.All(list, m => Assert.False(m.IsCurrent));
    }

    [StoreFact]
    public async Task PromotionMakesExactlyOneModelCurrentAndRemembersWhenEachWasPromoted()
    {
        var repository = ForecastModelRepositories.For(await CreateStoreAsync());
        await repository.SaveAsync(Model(1, At));
        await repository.SaveAsync(Model(2, At.AddMinutes(1)));
        Assert.Null(await repository.CurrentAsync());

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var first = await repository.PromoteAsync(Id(1));
        var second = await repository.PromoteAsync(Id(2));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.True(first.IsCurrent);
        Assert.True(first.PromotedAt >= before);
        Assert.True(second.PromotedAt >= first.PromotedAt);
        Assert.Equal(second, await repository.CurrentAsync());
        var list = await repository.ListAsync();
        Assert.Equal([Id(2)], list.Where(m => m.IsCurrent).Select(m => m.Id));
        var previous = list.Single(m => m.Id == Id(1));
        Assert.False(previous.IsCurrent);
        Assert.Equal(first.PromotedAt, previous.PromotedAt); // still stored, with its last promotion

        var back = await repository.PromoteAsync(Id(1)); // promoting an earlier model again
        Assert.Equal(Id(1), (await repository.CurrentAsync())?.Id);
        Assert.True(back!.PromotedAt >= second.PromotedAt);
    }

    [StoreFact]
    public async Task UnknownOrMalformedIdsAreNullAndPromoteNothing()
    {
        var repository = ForecastModelRepositories.For(await CreateStoreAsync());
        await repository.SaveAsync(Model(1, At));
        await repository.PromoteAsync(Id(1));

        foreach (var id in new[] { Id(9), "../models/x", "fm-XYZ", "", "fm-0000000000000001/../../x" })
        {
            Assert.Null(await repository.GetAsync(id));
            Assert.Null(await repository.GetSummaryAsync(id));
            Assert.Null(await repository.PromoteAsync(id));
        }
        Assert.Equal(Id(1), (await repository.CurrentAsync())?.Id);
    }

    [StoreFact]
    public async Task AModelWithABadIdHashOrManifestIsRefused()
    {
        var repository = ForecastModelRepositories.For(await CreateStoreAsync());
        var model = Model(1, At);
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(model with { Id = "../escape" }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(model with { Sha256 = new string('0', 64) }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(model with { ManifestJson = "{ not json" }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(model with { ManifestJson = "[1, 2]" }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(model with { Artefact = [], Sha256 = ForecastModelStorageChecks.HashOf([]) }));
        Assert.Empty(await repository.ListAsync());
    }

    [StoreFact]
    public async Task TheRegistrySurvivesReopeningTheStore()
    {
        var store = await CreateStoreAsync();
        var repository = ForecastModelRepositories.For(store);
        var model = Model(5, At);
        await repository.SaveAsync(model);
        await repository.SaveAsync(Model(6, At.AddMinutes(1)));
        var promoted = await repository.PromoteAsync(model.Id);

        var reopened = ForecastModelRepositories.For(await Stores.ReopenAsync(store));

        Assert.Equal(promoted, await reopened.CurrentAsync());
        Assert.Equal(model.Artefact, (await reopened.GetAsync(model.Id))?.Artefact);
        Assert.Equal([Id(6), Id(5)], (await reopened.ListAsync()).Select(m => m.Id));
    }
}

public sealed class EmbeddedForecastModelRepositoryTests : ForecastModelRepositoryContractTests
{
    private readonly EmbeddedTestStores _stores = new("gr-models-");

    protected override TestStores Stores => _stores;

    [Fact]
    public async Task ModelsAreAnArtefactAndAManifestFileWithTheRegistryBesideThemAndNoTemporaryFilesLeft()
    {
        var store = (EmbeddedStore)await _stores.CreateAsync();
        var repository = new EmbeddedForecastModelRepository(store.Directory);
        var artefact = new byte[] { 1, 2, 3 };
        var id = "fm-00000000000000ab";
        await repository.SaveAsync(new StoredForecastModel(id, """{"versionId":"fm-00000000000000ab"}""", artefact, ForecastModelStorageChecks.HashOf(artefact), DateTimeOffset.UtcNow));
        await repository.PromoteAsync(id);

        var folder = Path.Combine(store.Directory, EmbeddedForecastModelRepository.ModelsFolder);
        Assert.Equal([id + ".json", id + ".zip", "registry.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(artefact, await File.ReadAllBytesAsync(Path.Combine(folder, id + ".zip")));
        Assert.Contains($"\"current\": \"{id}\"", await File.ReadAllTextAsync(Path.Combine(folder, "registry.json")), StringComparison.Ordinal);
    }
}

[RequiresPostGis]
public sealed class PostGisForecastModelRepositoryTests : ForecastModelRepositoryContractTests
{
    protected override TestStores Stores { get; } = new PostGisTestStores();
}
