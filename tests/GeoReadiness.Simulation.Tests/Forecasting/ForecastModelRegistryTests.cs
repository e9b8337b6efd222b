using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Tests.Forecasting;

/// <summary>The registry facade over the embedded store's files: save, load back, current, corrupt artefacts.</summary>
public sealed class ForecastModelRegistryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gr-registry-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A small model that trains in well under a second: 65 units over 5 rounds (cohorts of 4), few trees.</summary>
    private static ForecastModel Train(int seed) =>
        ForecastTrainer.Train(History(), new ForecastOptions(Seed: seed, ScoreTrees: 20, SelectionTrees: 10, MinimumExampleCountPerLeaf: 5, PermutationCount: 1));

    private static TrainingData History() => SyntheticHistory.Generate(ForecastFixture.Units().Where((_, i) => i % 8 == 0).ToArray(), 5,
        new SyntheticHistoryOptions([new(2021, 4), new(2022, 4), new(2023, 4), new(2024, 4), new(2025, 4)])).Data;

    private static readonly Lazy<(ForecastModel A, ForecastModel B)> Models = new(() => (Train(1), Train(2)));

    private ForecastModelRegistry Registry() => new(new EmbeddedForecastModelRepository(_dir));

    private static IReadOnlyList<ForecastInput> Inputs()
    {
        var data = History();
        return ForecastInput.FromHistory(data, data.Rounds[^1]);
    }

    [Fact]
    public async Task A_saved_model_loads_back_from_a_fresh_registry_and_predicts_the_same()
    {
        var model = Models.Value.A;
        var saved = await Registry().SaveAsync(model);

        Assert.Equal(DocumentSaveStatus.Saved, saved.Status);
        Assert.Equal(model.VersionId, saved.Model.Id);
        Assert.Equal(model.ManifestJson(), saved.Model.ManifestJson);
        var bytes = ForecastModelRegistry.Artefact(model);
        Assert.Equal(ForecastModelStorageChecks.HashOf(bytes), saved.Model.Sha256);

        var fresh = Registry(); // nothing cached
        var loaded = await fresh.LoadAsync(model.VersionId);
        Assert.NotNull(loaded);
        Assert.NotSame(model, loaded);
        Assert.Equal(model.ManifestJson(), loaded.ManifestJson());
        var inputs = Inputs();
        Assert.Equal(model.Predict(inputs), loaded.Predict(inputs));
        Assert.Same(loaded, await fresh.LoadAsync(model.VersionId)); // cached by id
        Assert.Equal(model.Evaluation.Score.Mae, ForecastModelRegistry.ReadManifest(saved.Model).Evaluation.Score.Mae);
        Assert.Equal(DocumentSaveStatus.Unchanged, (await fresh.SaveAsync(loaded)).Status);
    }

    [Fact]
    public async Task The_current_model_is_none_until_one_is_promoted_then_the_promoted_one()
    {
        var registry = Registry();
        var (a, b) = Models.Value;
        await registry.SaveAsync(a);
        await registry.SaveAsync(b);
        Assert.Null(await registry.LoadCurrentAsync());
        Assert.Null(await registry.LoadAsync("fm-0000000000000000"));
        Assert.Null(await registry.PromoteAsync("fm-0000000000000000"));

        Assert.True((await registry.PromoteAsync(b.VersionId))!.IsCurrent);
        Assert.Equal(b.VersionId, (await Registry().LoadCurrentAsync())?.VersionId);
        await registry.PromoteAsync(a.VersionId);
        Assert.Equal(a.VersionId, (await Registry().LoadCurrentAsync())?.VersionId);
        var list = await registry.ListAsync();
        Assert.Equal(new[] { a.VersionId, b.VersionId }.Order(StringComparer.Ordinal), list.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal([a.VersionId], list.Where(m => m.IsCurrent).Select(m => m.Id));
    }

    [Fact]
    public async Task A_corrupt_artefact_is_an_error_naming_the_model()
    {
        var model = Models.Value.A;
        await Registry().SaveAsync(model);
        var file = Path.Combine(_dir, EmbeddedForecastModelRepository.ModelsFolder, model.VersionId + ".zip");
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(file, bytes);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Registry().LoadAsync(model.VersionId));
        Assert.Contains(model.VersionId, e.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);

        // bytes that match their hash but are no model artefact
        var garbage = "not a zip"u8.ToArray();
        const string other = "fm-00000000000000aa";
        await new EmbeddedForecastModelRepository(_dir).SaveAsync(
            new StoredForecastModel(other, """{"versionId":"fm-00000000000000aa"}""", garbage, ForecastModelStorageChecks.HashOf(garbage), DateTimeOffset.UtcNow));
        var unreadable = await Assert.ThrowsAsync<InvalidDataException>(() => Registry().LoadAsync(other));
        Assert.StartsWith($"model {other}: ", unreadable.Message, StringComparison.Ordinal);
    }
}
