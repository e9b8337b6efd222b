using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Demo.NationalScale;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Bench.Scenarios;

/// <summary>An embedded store of the benchmark's work directory, what it holds, how long making it took, and whether an earlier run made it.</summary>
public sealed record BenchStore(EmbeddedStore Store, string Directory, string Summary, double BuildSeconds, bool Cached) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Store.DisposeAsync();
}

/// <summary>
/// The embedded stores the scenario benchmark runs on, built once and kept in the work directory under a name
/// holding the generators' versions and seed (and scale), so later runs open them instead of generating again.
/// A store counts as built only once its marker file is written last; a half-built one is rebuilt.
/// </summary>
public static class ScenarioStores
{
    private const string Marker = "ready.json";

    private sealed record Ready(string Summary, double Seconds);

    /// <summary>
    /// The national-scale data set (<see cref="NationalScaleGenerator"/>) with the demo generator's seeded
    /// questionnaire answers for every kab/kota (<see cref="DemoQuestionnaire"/>; the national-scale data has none).
    /// </summary>
    public static Task<BenchStore> NationalAsync(string work, long seed, double scale, Action<string> log) =>
        CachedAsync(Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"national-g{NationalScaleGenerator.Version}-q{DemoGenerator.Version}-seed{seed}-scale{scale}")), log, async store =>
        {
            log($"generating the national-scale data set (seed {seed}, scale {scale.ToString(CultureInfo.InvariantCulture)}) ...");
            var data = NationalScaleGenerator.Generate(new NationalScaleOptions(seed, scale));
            var summary = NationalSummary.Of(data, seed, scale);
            log("loading it into the embedded store ...");
            await store.ApplyAsync(data.ToChange());
            var rows = DemoQuestionnaire.Generate(seed, data.Regencies);
            await AssessmentRepositories.For(store).ImportQuestionnaireAsync(rows, $"bench: DemoQuestionnaire.Generate, seed {seed}");
            return summary + string.Create(CultureInfo.InvariantCulture,
                $"; questionnaire: the demo generator's seeded answers (DemoQuestionnaire, seed {seed}) for all {rows.Count} kab/kota, assessment year {DemoQuestionnaire.AssessmentYear}");
        });

    /// <summary>The demo data set as the CLI makes and loads it: <c>demo generate</c> (DemoFiles) then <c>load</c> (DatasetLoader).</summary>
    public static Task<BenchStore> DemoAsync(string work, Action<string> log) =>
        CachedAsync(Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"demo-g{DemoGenerator.Version}-seed{DemoOptions.DefaultSeed}")), log, async store =>
        {
            log("generating the demo data set (DemoGenerator, as `georeadiness demo generate`) and loading it (as `georeadiness load`) ...");
            var data = DemoGenerator.Generate(new DemoOptions());
            var files = Path.Combine(Path.GetDirectoryName(store.Directory)!, "shapefiles");
            DemoFiles.Write(data, files);
            var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(files), store);
            if (!result.Succeeded) throw new InvalidOperationException("the generated demo data set did not load: " + result.Reports.Last().ToText(20));
            return string.Create(CultureInfo.InvariantCulture,
                $"demo generator {data.GeneratorVersion}, seed {data.Seed}: {data.Regencies.Count} kab/kota, Padang Pariaman (13.05) with {data.Kecamatan.Count} kecamatan, " +
                $"{data.Nagari.Count} nagari, {data.PopulationCells.Count:N0} population cells, {data.Towers.Count} towers, {data.FibreRoutes.Count} fibre routes; questionnaire {data.Questionnaire.Count} rows");
        });

    private static async Task<BenchStore> CachedAsync(string dir, Action<string> log, Func<EmbeddedStore, Task<string>> build)
    {
        var marker = Path.Combine(dir, Marker);
        var storeDir = Path.Combine(dir, "store");
        if (File.Exists(marker))
        {
            var ready = JsonSerializer.Deserialize<Ready>(await File.ReadAllTextAsync(marker)) ?? throw new InvalidDataException(marker);
            log($"using the cached store {storeDir} (built in {ready.Seconds:0.0} s by an earlier run)");
            return new BenchStore(await EmbeddedStore.OpenAsync(storeDir), storeDir, ready.Summary, ready.Seconds, Cached: true);
        }
        if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        System.IO.Directory.CreateDirectory(dir);
        var clock = Stopwatch.StartNew();
        var store = await EmbeddedStore.OpenAsync(storeDir);
        try
        {
            var summary = await build(store);
            var seconds = clock.Elapsed.TotalSeconds;
            await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new Ready(summary, seconds)));
            log($"store built in {seconds:0.0} s: {summary}");
            return new BenchStore(store, storeDir, summary, seconds, Cached: false);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
