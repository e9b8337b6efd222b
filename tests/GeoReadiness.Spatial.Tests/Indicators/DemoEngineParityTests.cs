using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>Both engines on the demo data set (Padang Pariaman in detail, the other kab/kota as leaves).</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoEngineParityTests(DemoFixture demo)
{
    [PostGisFact]
    public async Task BothEnginesMeasureEveryLeafOfTheDemoAlike()
    {
        await using var pg = await PostGisEngineHost.CreateAsync(demo.Data.ToChange());
        using var dir = new DemoTempDir();
        await using var embedded = await EmbeddedStore.OpenAsync(dir.Path);
        await embedded.ApplyAsync(demo.Data.ToChange());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fromPostGis = await pg.Engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        var postGisTime = clock.Elapsed;
        var fromEmbedded = await new EmbeddedIndicatorEngine(embedded).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        Console.WriteLine($"postgis {postGisTime.TotalMilliseconds:F0} ms");
        EngineParity.AssertEquivalent(fromEmbedded, fromPostGis);
    }
}
