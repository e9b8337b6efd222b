using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// The service that keeps indicators current, on each store with its own engine and repository (as the server and
/// the CLI build them): computes once and stores, answers the stored set while the data is unchanged (also after a
/// restart), shares one computation between concurrent callers, and after a data change recomputes — incrementally
/// when the store's change log allows — to the same figures as a full recompute.
/// </summary>
[Collection(DemoCollection.Name)]
public abstract class IndicatorServiceTests(DemoFixture demo) : IAsyncLifetime
{
    protected ISpatialStore Store { get; private set; } = null!;
    protected DemoFixture Demo { get; } = demo;

    protected abstract Task<ISpatialStore> CreateStoreAsync();
    protected abstract Task DisposeStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.ApplyAsync(Demo.Data.ToChange());
    }

    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>A service as the server builds it; a new one stands for a restart (nothing in memory).</summary>
    private IndicatorService NewService() => IndicatorEngines.ServiceFor(Store);

    [StoreFact]
    public async Task ComputesOnceThenAnswersTheStoredSetUntilTheDataChangesAlsoAfterARestart()
    {
        using var service = NewService();
        var first = await service.GetCurrentAsync(IndicatorOptions.Default);
        var again = await service.GetCurrentAsync(IndicatorOptions.Default);
        using var restarted = NewService();
        var afterRestart = await restarted.GetCurrentAsync(IndicatorOptions.Default);

        Assert.Equal((await Store.GetSummaryAsync()).DataVersion, first.DataVersion);
        Assert.Equal(service.EngineName, first.Engine);
        Assert.False(first.Statistics.Incremental);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Id, afterRestart.Id);
        Assert.Equal(first.ComputedAt, afterRestart.ComputedAt);
        Assert.Equal(first.Leaves, afterRestart.Leaves);
    }

    [StoreFact]
    public async Task ConcurrentCallersShareOneComputationAndOtherOptionsGetTheirOwnSet()
    {
        using var service = NewService();
        var sets = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => service.GetCurrentAsync(IndicatorOptions.Default))));
        var wider = await service.GetCurrentAsync(IndicatorOptions.Default with { FibreReachMetres = 1500 });

        Assert.Single(sets.Select(s => s.Id).Distinct());
        Assert.NotEqual(sets[0].Id, wider.Id);
        Assert.Equal(1500, wider.Options.FibreReachMetres);
        var kab = Demo.Data.Kabupaten.Code;
        Assert.True(wider.Units.Single(u => u.Code == kab).VillagesOnFibre.Count >= sets[0].Units.Single(u => u.Code == kab).VillagesOnFibre.Count);
    }

    [StoreFact]
    public async Task AfterAFibreChangeTheServiceRecomputesIncrementallyAndEqualsAFullRecompute()
    {
        using var service = NewService();
        var before = await service.GetCurrentAsync(IndicatorOptions.Default);
        var nagari = Demo.Data.Nagari[40];
        await Store.ApplyAsync(new DatasetChange { Source = "test", FibreRoutes = [RouteAcross(nagari, "test-route-1")] });

        var incremental = await service.GetCurrentAsync(IndicatorOptions.Default);
        var full = await NewService().RecomputeAsync(IndicatorOptions.Default);

        Assert.Equal(before.DataVersion + 1, incremental.DataVersion);
        Assert.True(incremental.Statistics.Incremental, "expected an incremental recompute");
        Assert.Equal(before.Id, incremental.Statistics.BasedOn);
        Assert.InRange(incremental.Statistics.LeavesMeasured, 1, 20);
        Assert.True(incremental.Statistics.UnitsRecomputed < before.Units.Count / 10, $"{incremental.Statistics.UnitsRecomputed} units recomputed");
        AssertSameFigures(full, incremental);
        Assert.True(incremental.Units.Single(u => u.Code == nagari.Code).FibreKm[FibreStatus.Existing]
            > before.Units.Single(u => u.Code == nagari.Code).FibreKm[FibreStatus.Existing]);
    }

    [StoreFact]
    public async Task AfterARestartTheStoredSetIsTheBaseOfTheIncrementalRecompute()
    {
        using (var first = NewService()) await first.GetCurrentAsync(IndicatorOptions.Default);
        await Store.ApplyAsync(new DatasetChange { Source = "test", FibreRoutes = [RouteAcross(Demo.Data.Nagari[7], "test-route-2")] });

        using var restarted = NewService();
        var incremental = await restarted.GetCurrentAsync(IndicatorOptions.Default);
        var full = await restarted.RecomputeAsync(IndicatorOptions.Default);

        Assert.True(incremental.Statistics.Incremental, "expected an incremental recompute from the stored set");
        AssertSameFigures(full, incremental);
    }

    private static void AssertSameFigures(IndicatorSet full, IndicatorSet incremental)
    {
        Assert.False(full.Statistics.Incremental);
        Assert.Equal(full.DataVersion, incremental.DataVersion);
        Assert.Equal(full.Units.Count, incremental.Units.Count);
        for (var i = 0; i < full.Units.Count; i++) Assert.Equivalent(full.Units[i], incremental.Units[i], strict: true);
        Assert.Equal(full.Leaves, incremental.Leaves);
    }

    /// <summary>An existing route across the middle of a nagari.</summary>
    private static FibreRoute RouteAcross(AdminUnit nagari, string id)
    {
        var e = nagari.Geometry.EnvelopeInternal;
        var line = Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString([
            new Coordinate(e.MinX + e.Width * 0.3, e.Centre.Y), new Coordinate(e.MinX + e.Width * 0.7, e.Centre.Y)])]);
        return new FibreRoute { Id = id, Geometry = line, Status = FibreStatus.Existing };
    }
}

public sealed class EmbeddedIndicatorServiceTests(DemoFixture demo) : IndicatorServiceTests(demo)
{
    private readonly DemoTempDir _dir = new();

    protected override async Task<ISpatialStore> CreateStoreAsync() => await EmbeddedStore.OpenAsync(_dir.Path);

    protected override async Task DisposeStoreAsync()
    {
        await ((EmbeddedStore)Store).DisposeAsync();
        _dir.Dispose();
    }
}

[RequiresPostGis]
public sealed class PostGisIndicatorServiceTests(DemoFixture demo) : IndicatorServiceTests(demo)
{
    private PostGisDatabase? _database;

    protected override async Task<ISpatialStore> CreateStoreAsync()
    {
        _database = await PostGisDatabase.CreateAsync();
        return await PostGisStore.OpenAsync(_database.ConnectionString);
    }

    protected override async Task DisposeStoreAsync()
    {
        await ((PostGisStore)Store).DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
