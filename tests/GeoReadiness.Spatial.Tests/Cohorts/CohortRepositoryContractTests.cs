using System.Text.Json;
using GeoReadiness.Spatial.Cohorts.Storage;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Cohorts;

/// <summary>
/// What every <see cref="ICohortRepository"/> must do, run once per store by a subclass: a cohort saved once under its
/// id and read back equal (the result's bytes kept) by a fresh instance, never overwritten, listed most recent first
/// without its result, and an incomplete record refused.
/// </summary>
public abstract class CohortRepositoryContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);

    /// <summary>New empty stores of the backend under test.</summary>
    protected abstract TestStores Stores { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Stores.DisposeAsync();

    private static StoredCohort Cohort(DateTimeOffset at, ulong seed = 5, int? year = 2019) =>
        new(Guid.NewGuid(), at, 50, "most_ready", "regency", year, new string('a', 63) + "b", seed,
            "{\n  \"selected\": [ {\"code\": \"14.72\", \"frequency\": 0.875} ],\n  \"summary\": {\"k\": 50}\n}");

    [StoreFact]
    public async Task ACohortIsSavedOnceAndReadBackEqualWithItsBytesByAFreshInstance()
    {
        var store = await Stores.CreateAsync();
        var cohort = Cohort(At.AddTicks(7), seed: ulong.MaxValue, year: null); // sub-microsecond ticks are dropped, as PostgreSQL does

        await CohortRepositories.For(store).SaveAsync(cohort);
        await Assert.ThrowsAsync<ArgumentException>(() => CohortRepositories.For(store).SaveAsync(cohort with { Json = "{\"other\": 1}" }));

        var read = await CohortRepositories.For(store).GetAsync(cohort.Id);
        Assert.Equal(cohort with { CreatedAt = At }, read);
        Assert.Equal(ulong.MaxValue, read!.Seed);
        Assert.Null(await CohortRepositories.For(store).GetAsync(Guid.NewGuid()));
    }

    [StoreFact]
    public async Task TheListIsMostRecentFirstWithoutResults()
    {
        var repository = CohortRepositories.For(await Stores.CreateAsync());
        Assert.Empty(await repository.ListAsync());
        var first = Cohort(At);
        var second = Cohort(At.AddMinutes(1));
        await repository.SaveAsync(first);
        await repository.SaveAsync(second);

        var list = await repository.ListAsync();

        Assert.Equal([second with { Json = "" }, first with { Json = "" }], list);
    }

    [StoreFact]
    public async Task AnIncompleteCohortIsRefused()
    {
        var repository = CohortRepositories.For(await Stores.CreateAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(Cohort(At) with { Json = " " }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(Cohort(At) with { RequestSha256 = "ABC" }));
        await Assert.ThrowsAsync<ArgumentException>(() => repository.SaveAsync(Cohort(At) with { K = 0 }));
        Assert.Empty(await repository.ListAsync());
    }

    [StoreFact]
    public async Task TheDocumentPutsTheIdAndTimeBeforeTheResultsOwnKeys()
    {
        var repository = CohortRepositories.For(await Stores.CreateAsync());
        var cohort = Cohort(At);
        await repository.SaveAsync(cohort);

        using var document = JsonDocument.Parse((await repository.GetAsync(cohort.Id))!.Document());

        Assert.Equal(["id", "createdAt", "selected", "summary"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(cohort.Id.ToString("N"), document.RootElement.GetProperty("id").GetString());
        Assert.Equal("2026-11-25T01:02:03.000000Z", document.RootElement.GetProperty("createdAt").GetString());
        Assert.Equal(0.875, document.RootElement.GetProperty("selected")[0].GetProperty("frequency").GetDouble());
    }
}

public sealed class EmbeddedCohortRepositoryTests : CohortRepositoryContractTests
{
    private readonly EmbeddedTestStores _stores = new("gr-cohorts-");

    protected override TestStores Stores => _stores;

    [Fact]
    public async Task ACohortIsOneFileInItsFolderWithNoTemporaryFileLeft()
    {
        var dir = _stores.NewDirectory();
        var repository = new EmbeddedCohortRepository(dir);
        var cohort = Cohort(At);
        await repository.SaveAsync(cohort);

        Assert.Equal([cohort.Id.ToString("N") + ".json"], Directory.GetFiles(Path.Combine(dir, "cohorts")).Select(Path.GetFileName));
    }

    private static StoredCohort Cohort(DateTimeOffset at) =>
        new(Guid.NewGuid(), at, 3, "blend", null, 2019, new string('0', 64), 1, "{}");

    private static readonly DateTimeOffset At = new(2026, 11, 25, 1, 2, 3, TimeSpan.Zero);
}

[RequiresPostGis]
public sealed class PostGisCohortRepositoryTests : CohortRepositoryContractTests
{
    protected override TestStores Stores { get; } = new PostGisTestStores();
}
