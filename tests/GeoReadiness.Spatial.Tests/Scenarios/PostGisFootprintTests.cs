using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Scenarios;

/// <summary>The footprint read from a PostGIS store equals the one read from the embedded store.</summary>
[RequiresPostGis]
public sealed class PostGisFootprintTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    [StoreFact]
    public async Task FootprintFromPostGisEqualsTheEmbeddedOne()
    {
        await using var database = await PostGisDatabase.CreateAsync();
        await using var store = await PostGisStore.OpenAsync(database.ConnectionString);
        Assert.True((await new DatasetLoader().LoadAsync(DatasetManifest.Load(ScenarioFixture.DemoDirectory), store)).Succeeded);

        var planned = await FootprintCalculator.StoredRoutesToCompleteAsync(store, [ScenarioFixture.Kabupaten]);
        Assert.Equal(fixture.Planned.Select(e => e.Id), planned.Select(e => e.Id));
        var footprint = await FootprintCalculator.ComputeAsync(store, [ScenarioFixture.Kabupaten], planned, fixture.NewTowers, fixture.Upgrades, IndicatorOptions.Default);

        Assert.Equal(fixture.Footprint.DataVersion, footprint.DataVersion);
        Assert.Equal(fixture.Footprint.ToJson(), footprint.ToJson());
        Assert.Equal(fixture.Footprint.ContentHash, footprint.ContentHash);
    }

    [StoreFact]
    public async Task RouteBuiltFromPostGisEqualsTheEmbeddedOne()
    {
        await using var database = await PostGisDatabase.CreateAsync();
        await using var store = await PostGisStore.OpenAsync(database.ConnectionString);
        Assert.True((await new DatasetLoader().LoadAsync(DatasetManifest.Load(ScenarioFixture.DemoDirectory), store)).Succeeded);
        string[] codes = [.. fixture.Footprint.Leaves.Where((_, i) => i % 9 == 0).Select(l => l.Code)];

        var fromPostGis = await RouteBuilder.ConnectOfficesAsync(store, codes, 1.3, IndicatorOptions.Default);
        var fromEmbedded = await RouteBuilder.ConnectOfficesAsync(fixture.Store, codes, 1.3, IndicatorOptions.Default);
        Assert.Equal(fromEmbedded.Elements.Select(e => e.Id), fromPostGis.Elements.Select(e => e.Id));
        Assert.True(fromEmbedded.Elements.Zip(fromPostGis.Elements).All(p => p.First.Geometry.EqualsExact(p.Second.Geometry)));
        Assert.Equal(fromEmbedded.TotalKm, fromPostGis.TotalKm);
    }
}
