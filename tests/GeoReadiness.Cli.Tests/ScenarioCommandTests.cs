using System.Globalization;
using System.Text.Json;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness scenario validate|run</c> on each store with the demo dataset: the showcase runs end to end with
/// the library showcase's pinned figures (ShowcaseRunTests), its JSON agrees with its table, seeds reproduce byte for
/// byte, and bad documents, failing store checks and units the engine refuses are errors that name the entry.
/// </summary>
public abstract class ScenarioCommandTests : StoreCommandTests
{
    private static string Showcase => Path.Combine(TestEnvironment.RepositoryRoot, "data", "scenarios", "padang-pariaman-263km.json");

    private static string Number(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The table row of a year as ScenarioCli prints it: shares, score ± SE, p5/p50/p95, P(next band), baseline, cost.</summary>
    private static string Row(JsonElement u, JsonElement cost) =>
        $"{u.GetProperty("year").GetInt32()} "
        + string.Join(" ", new[] { "villagesOnFibre", "householdsFixedReach", "share4g" }.Select(s => Number(u.GetProperty(s).GetProperty("mean").GetDouble()) + " %"))
        + $" {Number(u.GetProperty("score").GetProperty("mean").GetDouble())} ± {Number(u.GetProperty("score").GetProperty("standardError").GetDouble())}"
        + string.Concat(new[] { "p5", "p50", "p95" }.Select(p => " " + Number(u.GetProperty("score").GetProperty(p).GetDouble())))
        + $" {u.GetProperty("nextBand").GetString()} {Number(u.GetProperty("probabilityNextBand").GetProperty("probability").GetDouble())}"
        + $" {Number(u.GetProperty("baseline").GetProperty("score").GetDouble())}"
        + $" {Number(cost.GetProperty("mean").GetDouble() / 1e9)} {Number(cost.GetProperty("p95").GetDouble() / 1e9)}";

    private static string[] Squeezed(string text) =>
        [.. text.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), " {2,}", " "))];

    [StoreFact]
    public async Task TheShowcaseRunsEndToEndWithTheLibrarysPinnedFiguresAndItsJsonAgreesWithItsTable()
    {
        var table = await RunAsync(["scenario", "run", Showcase, .. StoreArgs]);
        var json = await RunAsync(["scenario", "run", Showcase, "--format", "json", .. StoreArgs]);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        Assert.True(json.Exit == 0, json.Out + json.Err);
        Assert.Contains("1000 draws in 2 chunks, seed 20190105, tolerance 0.25", table.Out, StringComparison.Ordinal);
        Assert.Contains("profile kominfo-2019 1.0.0", table.Out, StringComparison.Ordinal);
        Assert.Contains("note: 13.05: no questionnaire answers for 2018; using those of 2019 (none earlier)", table.Err, StringComparison.Ordinal);
        Assert.Contains("preparing footprint", table.Err, StringComparison.Ordinal);
        Assert.Contains("drawing chunk 2 (1000 draws)", table.Err, StringComparison.Ordinal);
        // pinned as in ShowcaseRunTests: 2019 score 68.6113 ± 0.0239, 2020 nagari on fibre 85.2408 %, cost 39.7278 bn (p95 42.8869)
        var rows = Squeezed(table.Out);
        Assert.Contains("2019 42.2485 % 75.2108 % 72.0414 % 68.6113 ± 0.0239 67.9480 67.9480 69.4480 siap 0.0000 67.9480 4.8294 7.7926", rows);
        Assert.Contains(rows, r => r.StartsWith("2020 85.2408 % 94.9362 % 72.0414 % 71.2471 ± 0.0009 71.2480 71.2480 71.2480 siap 0.0000 67.9480 ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("2026 95.5913 % 98.0571 % 72.0414 % 71.2480 ± 0.0000 ", StringComparison.Ordinal) && r.EndsWith(" 39.7278 42.8869", StringComparison.Ordinal));

        // stdout of --format json is the result alone, and every unit-year of it is a row of the table
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal((1000, 20190105UL), (root.GetProperty("draws").GetInt32(), root.GetProperty("seed").GetUInt64()));
        Assert.Equal("padang-pariaman-263km", root.GetProperty("provenance").GetProperty("scenarioId").GetString());
        Assert.Contains($"footprint {root.GetProperty("provenance").GetProperty("footprintHash").GetString()}", table.Out, StringComparison.Ordinal);
        var costs = root.GetProperty("costs").EnumerateArray().ToDictionary(c => c.GetProperty("year").GetInt32());
        var units = root.GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal(8, units.Length);
        Assert.All(units, u => Assert.Contains(Row(u, costs[u.GetProperty("year").GetInt32()]), rows));
    }

    [StoreFact]
    public async Task CompareWithTheBaselinePrintsTheDifferencesAndMapsTheYearAsGeoJson()
    {
        var table = await RunAsync(["scenario", "compare", Showcase, .. StoreArgs]);
        var year = await RunAsync(["scenario", "compare", Showcase, "--year", "2020", .. StoreArgs]);
        var geo = await RunAsync(["scenario", "compare", Showcase, "--format", "geojson", "--year", "2020", .. StoreArgs]);
        var json = await RunAsync(["scenario", "compare", Showcase, "--format", "json", .. StoreArgs]);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        Assert.Contains("A: padang-pariaman-263km 1.0.0 (seed 20190105, 1000 draws)", table.Out, StringComparison.Ordinal);
        Assert.Contains("B: baseline", table.Out, StringComparison.Ordinal);
        var rows = Squeezed(table.Out);
        // as ScenarioComparisonTests: 2020 villages on fibre 85.2408 − 32.0388 = +53.2019 ± 0.1101 (pinned seed)
        Assert.Contains("13.05 2020 villages on fibre % 85.2408 32.0388 +53.2019 ± 0.1101 yes", rows);
        Assert.Contains("13.05 2020 4G share % 72.0414 72.0414 +0.0000 ± 0.0000 no", rows);
        Assert.Contains(rows, r => r.StartsWith("13.05 2026 cost bn IDR 39.7278 0.0000 +39.7278 ± ", StringComparison.Ordinal));
        Assert.Equal(8 * 5, rows.Count(r => r.StartsWith("13.05 20", StringComparison.Ordinal)));
        Assert.True(year.Exit == 0, year.Out + year.Err);
        Assert.Equal(5, Squeezed(year.Out).Count(r => r.StartsWith("13.05 2020 ", StringComparison.Ordinal)));
        Assert.DoesNotContain(Squeezed(year.Out), r => r.StartsWith("13.05 2021 ", StringComparison.Ordinal));

        Assert.True(geo.Exit == 0, geo.Out + geo.Err);
        var root = JsonDocument.Parse(geo.Out).RootElement;
        Assert.Equal("FeatureCollection", root.GetProperty("type").GetString());
        var feature = Assert.Single(root.GetProperty("features").EnumerateArray());
        Assert.Equal("MultiPolygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        var lon = feature.GetProperty("geometry").GetProperty("coordinates")[0][0][0][0].GetDouble();
        var lat = feature.GetProperty("geometry").GetProperty("coordinates")[0][0][0][1].GetDouble();
        Assert.True(lon is > 99 and < 101 && lat is > -1.5 and < 0, $"lon/lat of Padang Pariaman, got {lon}, {lat}");
        var properties = feature.GetProperty("properties");
        Assert.Equal(("13.05", 2020, "baseline"), (properties.GetProperty("code").GetString(), properties.GetProperty("year").GetInt32(), properties.GetProperty("b").GetString()));
        Assert.Equal("53.2019", Number(properties.GetProperty("villagesOnFibreDifference").GetDouble()));
        Assert.Equal("0.1101", Number(properties.GetProperty("villagesOnFibreStandardError").GetDouble()));
        Assert.True(properties.GetProperty("villagesOnFibreSignificant").GetBoolean());
        Assert.Equal("32.0388", Number(properties.GetProperty("villagesOnFibreB").GetDouble()));

        Assert.True(json.Exit == 0, json.Out + json.Err);
        var comparison = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(8, comparison.GetProperty("units").GetArrayLength());
        Assert.Equal(0, comparison.GetProperty("onlyInA").GetArrayLength());
    }

    [StoreFact]
    public async Task CompareTwoFilesRunsBothAndRefusesRunsOverDifferentYears()
    {
        var text = await File.ReadAllTextAsync(Showcase);
        var shorter = Dir.File("shorter.json");
        Assert.Contains("\"horizon\": 8", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(shorter, text.Replace("\"horizon\": 8", "\"horizon\": 3", StringComparison.Ordinal));

        var same = await RunAsync(["scenario", "compare", Showcase, Showcase, "--draws", "500", "--year", "2026", .. StoreArgs]);
        var years = await RunAsync(["scenario", "compare", Showcase, shorter, "--draws", "500", .. StoreArgs]);
        var badYear = await RunAsync(["scenario", "compare", Showcase, "--draws", "500", "--year", "2031", .. StoreArgs]);
        var usage = await RunAsync(["scenario", "compare", .. StoreArgs]);
        var format = await RunAsync(["scenario", "compare", Showcase, "--format", "csv", .. StoreArgs]);

        // the same document and seed twice: identical means, no difference, never significant
        Assert.True(same.Exit == 0, same.Out + same.Err);
        Assert.Contains("B: padang-pariaman-263km 1.0.0 (seed 20190105, 500 draws)", same.Out, StringComparison.Ordinal);
        var rows = Squeezed(same.Out).Where(r => r.StartsWith("13.05 2026 ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, rows.Length);
        Assert.All(rows, r => Assert.Matches(@" \+0\.0000 ± \d+\.\d{4} no$", r));
        Assert.Equal(1, years.Exit);
        Assert.Contains("error: the runs cover different years: A 2019–2026, B 2019–2021", years.Err, StringComparison.Ordinal);
        Assert.Equal(1, badYear.Exit);
        Assert.Contains("--year 2031 is not one of the compared years (2019–2026)", badYear.Err, StringComparison.Ordinal);
        Assert.Equal((2, 2), (usage.Exit, format.Exit));
    }

    [StoreFact]
    public async Task DrawsAndSeedOverrideTheDocumentAndTheSameSeedReproducesTheResultByteForByte()
    {
        var a = await RunAsync(["scenario", "run", Showcase, "--draws", "600", "--seed", "7", "--format", "json", .. StoreArgs]);
        var again = await RunAsync(["scenario", "run", Showcase, "--draws", "600", "--seed", "7", "--format", "json", .. StoreArgs]);
        var other = await RunAsync(["scenario", "run", Showcase, "--draws", "600", "--seed", "8", "--format", "json", .. StoreArgs]);

        Assert.True(a.Exit == 0, a.Out + a.Err);
        Assert.Equal(a.Out, again.Out);
        Assert.NotEqual(a.Out, other.Out);
        var run = JsonDocument.Parse(a.Out).RootElement;
        // 600 rounded up to whole chunks of 500; the tolerance reported is the largest score standard error reached
        Assert.Equal((1000, 2, 7UL), (run.GetProperty("draws").GetInt32(), run.GetProperty("chunks").GetInt32(), run.GetProperty("seed").GetUInt64()));
        Assert.Equal(run.GetProperty("units").EnumerateArray().Max(u => u.GetProperty("score").GetProperty("standardError").GetDouble()),
            run.GetProperty("tolerance").GetDouble());
        var first = JsonDocument.Parse(other.Out).RootElement.GetProperty("units")[0].GetProperty("score");
        Assert.NotEqual(run.GetProperty("units")[0].GetProperty("score").GetProperty("mean").GetDouble(), first.GetProperty("mean").GetDouble());

        var usage = await RunAsync(["scenario", "run", Showcase, "--draws", "1", .. StoreArgs]);
        var seed = await RunAsync(["scenario", "run", Showcase, "--seed", "-3", .. StoreArgs]);
        var format = await RunAsync(["scenario", "run", Showcase, "--format", "csv", .. StoreArgs]);
        var missing = await RunAsync(["scenario", "run", Dir.File("none.json"), .. StoreArgs]);
        Assert.Equal((2, 2, 2, 1), (usage.Exit, seed.Exit, format.Exit, missing.Exit));
        Assert.Contains("none.json: file not found", missing.Err, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task ValidateReportsDocumentProblemsAndFailedStoreChecksWithTheirPaths()
    {
        var text = await File.ReadAllTextAsync(Showcase);
        var bad = Dir.File("bad.json");
        await File.WriteAllTextAsync(bad, text.Replace("\"costPerKm\"", "\"costPerkm\"", StringComparison.Ordinal)
            .Replace("\"probability\": 0.9", "\"probability\": 1.9", StringComparison.Ordinal));
        var store = Dir.File("store.json");
        await File.WriteAllTextAsync(store, text.Replace("\"units\": [\"13.05\"]", "\"units\": [\"13.05\", \"13.97\"]", StringComparison.Ordinal)
            .Replace("\"planned\": {\"within\": \"13.05\"}", "\"connect\": {\"villages\": [\"13.05.01.2001\", \"13.05.01.2999\"], \"within\": \"13.05\", \"detourFactor\": 1.3}", StringComparison.Ordinal));

        var invalid = await RunAsync(["scenario", "validate", bad]);
        var failing = await RunAsync(["scenario", "validate", store, .. StoreArgs]);
        var run = await RunAsync(["scenario", "run", store, .. StoreArgs]);
        var valid = await RunAsync(["scenario", "validate", Showcase, .. StoreArgs]);
        var withoutStore = await RunAsync(["scenario", "validate", Showcase]);

        Assert.Equal(1, invalid.Exit);
        Assert.Contains($"{bad}: interventions[fibre-nagari].costPerkm: unknown key", invalid.Err, StringComparison.Ordinal);
        Assert.Contains($"{bad}: interventions[fibre-nagari].costPerKm: missing", invalid.Err, StringComparison.Ordinal);
        Assert.Contains($"{bad}: interventions[fibre-nagari].completion.probability:", invalid.Err, StringComparison.Ordinal);
        Assert.Equal(1, failing.Exit);
        Assert.Contains($"{store}: units[1]: unit 13.97 is not in the store", failing.Err, StringComparison.Ordinal);
        Assert.Contains($"{store}: interventions[fibre-nagari].connect.villages[1]: village 13.05.01.2999 is not in the store", failing.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("13.05.01.2001", failing.Err, StringComparison.Ordinal);
        Assert.Equal(1, run.Exit);
        Assert.Contains("units[1]: unit 13.97 is not in the store", run.Err, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
        Assert.True(valid.Exit == 0, valid.Out + valid.Err);
        Assert.StartsWith("valid: padang-pariaman-263km 1.0.0, 2 interventions, units 13.05, years 2019–2026; 4 store checks passed", valid.Out, StringComparison.Ordinal);
        Assert.Equal(0, withoutStore.Exit);
        Assert.Contains("store checks not made", withoutStore.Out, StringComparison.Ordinal);
    }

    /// <summary>A small model of kominfo-2019 trained on a synthetic history of 150 units (fast options).</summary>
    private static ForecastModel TrainSmallModel()
    {
        var units = Enumerable.Range(0, 150).Select(i => $"{11 + i / 15}.{i % 15 + 1:00}").Select(c => new SyntheticUnit(c, "Kabupaten " + c, c[..2])).ToArray();
        var history = SyntheticHistory.Generate(units, 42, new SyntheticHistoryOptions([new(2017, 10), new(2018, 10), new(2019, 10), new(2021, 10), new(2022, 10)]));
        return ForecastTrainer.Train(history.Data, new ForecastOptions(Seed: 3, ScoreTrees: 40, SelectionTrees: 10, PermutationCount: 1));
    }

    private async Task<ISpatialStore> OpenStoreAsync()
    {
        var options = new SpatialStoreOptions();
        if (StoreArgs[0] == "--data-dir") options.DataDirectory = Path.GetFullPath(StoreArgs[1]);
        else options.PostGisConnectionString = StoreArgs[1];
        return await SpatialStoreFactory.OpenAsync(options);
    }

    [StoreFact]
    public async Task AnMlScoredScenarioRunsWithThePromotedModelAndIsRefusedWithoutOne()
    {
        var showcase = await File.ReadAllTextAsync(Showcase);
        var ml = Dir.File("ml.json");
        await File.WriteAllTextAsync(ml, showcase.Replace("\"seed\": 20190105,", "\"seed\": 20190105, \"scoring\": \"ml\",", StringComparison.Ordinal));
        var named = Dir.File("named.json");
        await File.WriteAllTextAsync(named, showcase.Replace("\"seed\": 20190105,", "\"seed\": 20190105, \"scoring\": \"ml\", \"model\": \"fm-0000000000000000\",", StringComparison.Ordinal));

        var none = await RunAsync(["scenario", "run", ml, "--draws", "500", .. StoreArgs]);
        var invalid = await RunAsync(["scenario", "validate", ml, .. StoreArgs]);
        Assert.Equal((1, 1), (none.Exit, invalid.Exit));
        Assert.Equal("", none.Out);
        Assert.Contains($"{ml}: scoring: the scenario scores with the ML model, but the store has no current model", none.Err, StringComparison.Ordinal);
        Assert.Contains($"{ml}: scoring: the scenario scores with the ML model, but the store has no current model", invalid.Err, StringComparison.Ordinal);

        var model = TrainSmallModel();
        var store = await OpenStoreAsync();
        try
        {
            var registry = new ForecastModelRegistry(ForecastModelRepositories.For(store));
            await registry.SaveAsync(model);
            Assert.NotNull(await registry.PromoteAsync(model.VersionId));
        }
        finally
        {
            if (store is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }

        var table = await RunAsync(["scenario", "run", ml, "--draws", "500", .. StoreArgs]);
        var json = await RunAsync(["scenario", "run", ml, "--draws", "500", "--format", "json", .. StoreArgs]);
        var profile = await RunAsync(["scenario", "run", Showcase, "--draws", "500", "--format", "json", .. StoreArgs]);
        var unknown = await RunAsync(["scenario", "run", named, "--draws", "500", .. StoreArgs]);
        var valid = await RunAsync(["scenario", "validate", ml, .. StoreArgs]);
        Assert.True(valid.Exit == 0, valid.Out + valid.Err);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        Assert.True(json.Exit == 0, json.Out + json.Err);
        Assert.Contains($"scoring: ml, model {model.VersionId} with model error", table.Out, StringComparison.Ordinal);
        var provenance = JsonDocument.Parse(json.Out).RootElement.GetProperty("provenance");
        Assert.Equal(("ml", model.VersionId, true), (provenance.GetProperty("scoring").GetString(), provenance.GetProperty("modelVersion").GetString(),
            provenance.GetProperty("modelError").GetBoolean()));
        // the model's scores, not the profile's
        var score = (string output) => JsonDocument.Parse(output).RootElement.GetProperty("units")[0].GetProperty("score").GetProperty("mean").GetDouble();
        Assert.NotEqual(score(profile.Out), score(json.Out));
        Assert.False(JsonDocument.Parse(profile.Out).RootElement.GetProperty("provenance").TryGetProperty("scoring", out _));

        Assert.Equal(1, unknown.Exit);
        Assert.Contains($"{named}: model: the store's model registry holds no model fm-0000000000000000", unknown.Err, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task AUnitWithoutPopulationCellsIsRefusedWithTheEnginesReason()
    {
        var file = Dir.File("dumai.json");
        await File.WriteAllTextAsync(file, """
            {
              "id": "dumai-staff", "version": "1.0.0", "title": "Dumai hires ICT staff", "description": "twenty more ICT staff",
              "baseYear": 2019, "horizon": 3, "profile": "kominfo-2019", "units": ["14.72"], "seed": 1,
              "sampling": {"minDraws": 100, "maxDraws": 1000, "tolerance": 0.5, "chunkSize": 50},
              "interventions": [
                {"id": "staff", "kind": "staffing", "start": 2020, "unit": "14.72", "changes": [{"field": "ict_staff", "change": "+20"}],
                 "completion": {"probability": 0.8}, "delay": {"dist": "uniform", "min": 0, "max": 12}}
              ]
            }
            """);

        var (exit, output, err) = await RunAsync(["scenario", "run", file, .. StoreArgs]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("error: scenario unit 14.72 has 1 leaves the footprint cannot express as item sets", err, StringComparison.Ordinal);
        Assert.Contains("no population cells", err, StringComparison.Ordinal);
    }
}

public sealed class EmbeddedScenarioCommandTests : ScenarioCommandTests
{
    protected override string[] StoreArgs => ["--data-dir", Dir.File("store")];

    public override Task InitializeAsync() => LoadDemoAsync();
}

[RequiresPostGis]
public sealed class PostGisScenarioCommandTests : ScenarioCommandTests
{
    protected override string[] StoreArgs => PostGisArgs;

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        await LoadDemoAsync();
    }
}
