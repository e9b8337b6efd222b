using System.Diagnostics;
using System.Globalization;
using GeoReadiness.Spatial.Demo.NationalScale;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// Both engines on the national-scale benchmark generator's output (default 1/50 of national scale; set
/// GR_INDICATOR_SCALE, e.g. 0.1, for a timing run): identical leaf measures, and the time each took.
/// </summary>
[Trait("Category", "Slow")]
public sealed class NationalScaleEngineParityTests(ITestOutputHelper output)
{
    [PostGisFact]
    public async Task BothEnginesAgreeOnTheNationalScaleGeneratorsData()
    {
        var scale = double.Parse(Environment.GetEnvironmentVariable("GR_INDICATOR_SCALE") ?? "0.02", CultureInfo.InvariantCulture);
        var data = NationalScaleGenerator.Generate(new NationalScaleOptions(Scale: scale));
        await using var pg = await PostGisEngineHost.CreateAsync(data.ToChange());
        using var dir = new DemoTempDir();
        await using var embedded = await EmbeddedStore.OpenAsync(dir.Path);
        await embedded.ApplyAsync(data.ToChange());

        var clock = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        var fromPostGis = await pg.Engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.All, new SyncProgress(p =>
        {
            if (p.Done == p.Total) output.WriteLine($"  {p.Stage,-16} done at {stage.Elapsed.TotalSeconds,6:F2} s");
        }));
        var postGisTime = clock.Elapsed;
        clock.Restart();
        var fromEmbedded = await new EmbeddedIndicatorEngine(embedded).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        output.WriteLine($"scale {scale}: {data.Villages.Count} villages, {data.PopulationCells.Count} cells, {data.Towers.Count} towers, {data.FibreRoutes.Count} routes; " +
                         $"postgis {postGisTime.TotalSeconds:F2} s, embedded (cold) {clock.Elapsed.TotalSeconds:F2} s");
        EngineParity.AssertEquivalent(fromEmbedded, fromPostGis);
    }
}
