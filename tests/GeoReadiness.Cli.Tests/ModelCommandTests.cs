using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness model evaluate --synthetic --format json</c> (issue 6 item 9): the held-out metrics of each model
/// and baseline as JSON on stdout alone, and the acceptance bar on the national synthetic history.
/// </summary>
public sealed class ModelEvaluateCommandTests
{
    [Fact]
    public async Task EvaluateSyntheticJsonHoldsEveryModelAndBaselineAndClearsTheBar()
    {
        // the seeds of the library's ForecastFixture (history 20251125, model 7), over the national demo's 514 kab/kota
        var (exit, output, err) = await CliRunner.RunAsync("model", "evaluate", "--synthetic", "--history-seed", "20251125", "--seed", "7", "--format", "json");

        Assert.True(exit == 0, output + err);
        Assert.Contains("fitting the score regression", err, StringComparison.Ordinal); // progress on stderr
        var root = JsonDocument.Parse(output).RootElement; // stdout is the JSON alone
        Assert.Matches("^fm-[0-9a-f]{16}$", root.GetProperty("modelVersion").GetString());
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        Assert.True(root.GetProperty("trainingSeconds").GetDouble() > 0);
        Assert.False(root.TryGetProperty("stored", out _)); // evaluate stores nothing
        var data = root.GetProperty("data");
        Assert.Equal(("synthetic", 20251125UL, 514, 514 * 8), (data.GetProperty("source").GetString(), data.GetProperty("historySeed").GetUInt64(),
            data.GetProperty("units").GetInt32(), data.GetProperty("rows").GetInt32()));
        Assert.Matches("^[0-9a-f]{64}$", data.GetProperty("sha256").GetString());

        var e = root.GetProperty("evaluation");
        Assert.Equal(2025, e.GetProperty("testRound").GetInt32());
        Assert.Equal(514, e.GetProperty("testExamples").GetInt32());
        var score = e.GetProperty("score");
        var baselines = e.GetProperty("scoreBaselines").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(["last-score", "profile-score"], baselines.Keys);
        foreach (var m in baselines.Values.Prepend(score))
            foreach (var metric in new[] { "mae", "rmse", "rSquared" }) Assert.Equal(JsonValueKind.Number, m.GetProperty(metric).ValueKind);
        var selection = e.GetProperty("selection");
        var historic = e.GetProperty("selectionBaseline");
        Assert.Equal(("fasttree-platt", "historic-rate"), (selection.GetProperty("name").GetString(), historic.GetProperty("name").GetString()));
        foreach (var m in new[] { selection, historic })
            foreach (var metric in new[] { "auc", "logLoss", "brier" }) Assert.Equal(JsonValueKind.Number, m.GetProperty(metric).ValueKind);
        Assert.Equal(10, selection.GetProperty("calibration").GetArrayLength());

        // the acceptance bar, as the library pins it for the fixture's seeds
        var mae = score.GetProperty("mae").GetDouble();
        var lastMae = baselines["last-score"].GetProperty("mae").GetDouble();
        Assert.True(mae <= 0.8 * lastMae, $"MAE {mae:0.000} vs last score {lastMae:0.000}");
        Assert.Equal(1 - mae / lastMae, e.GetProperty("maeImprovement").GetDouble(), 12);
        Assert.True(selection.GetProperty("auc").GetDouble() >= 0.85, $"AUC {selection.GetProperty("auc").GetDouble():0.000}");
        Assert.True(selection.GetProperty("logLoss").GetDouble() < historic.GetProperty("logLoss").GetDouble());
    }
}

/// <summary>A small training table (80 of the demo's kab/kota over five rounds, cohorts of 5) as CSV lines, header first.</summary>
internal static class SmallHistory
{
    public static List<string> Lines()
    {
        var units = DemoRegencies.National().Take(80).Select(r => new SyntheticUnit(r.Code, r.Code, r.ProvinceCode)).ToList();
        var history = SyntheticHistory.Generate(units, 5, new SyntheticHistoryOptions([new(2021, 5), new(2022, 5), new(2023, 5), new(2024, 5), new(2025, 5)]));
        return [.. TrainingCsv.Write(history.Data).TrimEnd('\n').Split('\n')];
    }
}

/// <summary>One embedded store with two trained models: the national synthetic one (promoted, also written to a file) and a small one from a CSV.</summary>
public sealed class TrainedStoreFixture : IAsyncLifetime
{
    public TempDir Dir { get; } = new();

    public string[] StoreArgs => ["--data-dir", Dir.File("store")];

    public string Csv => Dir.File("small.csv");

    public string Artefact => Dir.File("synthetic.zip");

    public (int Exit, string Out, string Err) Synthetic { get; private set; }

    public (int Exit, string Out, string Err) FromCsv { get; private set; }

    public string SyntheticId { get; private set; } = "";

    public string CsvId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await File.WriteAllLinesAsync(Csv, SmallHistory.Lines());
        Synthetic = await CliRunner.RunAsync(["model", "train", "--synthetic", "--seed", "3", "--promote", "--out", Artefact, .. StoreArgs]);
        FromCsv = await CliRunner.RunAsync(["model", "train", "--data", Csv, "--seed", "5", .. StoreArgs]);
        SyntheticId = Id(Synthetic.Out);
        CsvId = Id(FromCsv.Out);
    }

    private static string Id(string output) => Regex.Match(output, @"model (fm-[0-9a-f]{16}) ").Groups[1].Value;

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>georeadiness model train|list|show|promote|explain</c> on the embedded store: the registry as the CLI shows it,
/// explanations that agree with the stored artefact, and every bad input an error that names what is wrong.
/// </summary>
public sealed class ModelCommandTests(TrainedStoreFixture fixture) : IClassFixture<TrainedStoreFixture>
{
    private string[] StoreArgs => fixture.StoreArgs;

    [Fact]
    public async Task TrainPrintsTheIdMetricsAndProgressAndStoresAndWritesTheSameArtefact()
    {
        var (exit, output, err) = fixture.Synthetic;
        Assert.True(exit == 0, output + err);
        Assert.Matches("^fm-[0-9a-f]{16}$", fixture.SyntheticId);
        Assert.Contains("note: the store has no kab/kota; the synthetic history covers the 514 of the national demo", err, StringComparison.Ordinal);
        Assert.Contains("fitting the selection classifier", err, StringComparison.Ordinal);
        Assert.Contains($"model {fixture.SyntheticId} saved in the registry", output, StringComparison.Ordinal);
        Assert.Contains($"model {fixture.SyntheticId} is now the current model", output, StringComparison.Ordinal);
        Assert.Matches(@"model fm-[0-9a-f]{16}, seed 3, trained in \d+\.\d s", output);
        Assert.Matches(@"\nfasttree +\d+\.\d{3} +\d+\.\d{3} +\d\.\d{3}\n", output);
        Assert.Matches(@"\nlast-score +\d+\.\d{3} ", output);
        Assert.Matches(@"\nhistoric-rate +0\.\d{3} ", output);
        Assert.Contains("MAE improvement over last-score: ", output, StringComparison.Ordinal);

        var show = await CliRunner.RunAsync(["model", "show", fixture.SyntheticId, "--format", "json", .. StoreArgs]);
        Assert.True(show.Exit == 0, show.Out + show.Err);
        var stored = JsonDocument.Parse(show.Out).RootElement;
        var bytes = await File.ReadAllBytesAsync(fixture.Artefact);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), stored.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, stored.GetProperty("artefactBytes").GetInt64());
        Assert.Contains($"wrote {fixture.Artefact} ({bytes.Length} bytes, sha256 {stored.GetProperty("sha256").GetString()})", output, StringComparison.Ordinal);
        Assert.Equal(fixture.SyntheticId, stored.GetProperty("manifest").GetProperty("versionId").GetString());
        Assert.Equal(3, stored.GetProperty("manifest").GetProperty("options").GetProperty("seed").GetInt32());
        Assert.True(stored.GetProperty("isCurrent").GetBoolean());
    }

    [Fact]
    public async Task ListShowsTheModelsNewestFirstWithTheCurrentOneMarked()
    {
        Assert.True(fixture.FromCsv.Exit == 0, fixture.FromCsv.Out + fixture.FromCsv.Err);
        var table = await CliRunner.RunAsync(["model", "list", .. StoreArgs]);
        var json = await CliRunner.RunAsync(["model", "list", "--format", "json", .. StoreArgs]);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        var rows = table.Out.Split('\n').Where(l => Regex.IsMatch(l, "^[* ] fm-")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith($"  {fixture.CsvId} ", rows[0], StringComparison.Ordinal);
        Assert.StartsWith($"* {fixture.SyntheticId} ", rows[1], StringComparison.Ordinal);
        var list = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal([fixture.CsvId, fixture.SyntheticId], list.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal([false, true], list.Select(m => m.GetProperty("isCurrent").GetBoolean()));
        Assert.Equal([5, 3], list.Select(m => m.GetProperty("seed").GetInt32()));
    }

    [Fact]
    public async Task ShowPrintsProvenanceMetricsAndImportanceAndUnknownIdsAreErrors()
    {
        var current = await CliRunner.RunAsync(["model", "show", "current", "--top", "3", .. StoreArgs]);
        var unknown = await CliRunner.RunAsync(["model", "show", "fm-0123456789abcdef", .. StoreArgs]);
        var malformed = await CliRunner.RunAsync(["model", "show", "../../etc/passwd", .. StoreArgs]);

        Assert.True(current.Exit == 0, current.Out + current.Err);
        Assert.StartsWith($"model {fixture.SyntheticId} (current)\n", current.Out, StringComparison.Ordinal);
        Assert.Matches(@"trained .* seed 3, format georeadiness/forecast-model/v1", current.Out);
        Assert.Contains("schema kominfo-2019 1.0.0, 30 features", current.Out, StringComparison.Ordinal);
        Assert.Contains("score: permutation importance (increase of MAE, points)\n  assessed_score ", current.Out, StringComparison.Ordinal);
        var importance = current.Out[current.Out.IndexOf("selection: permutation importance", StringComparison.Ordinal)..];
        Assert.Equal(3, importance.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal)));
        Assert.Equal((1, ""), (unknown.Exit, unknown.Out));
        Assert.Contains("error: no model 'fm-0123456789abcdef' in the registry (see `georeadiness model list`)", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("error: no model '../../etc/passwd' in the registry", malformed.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromoteMakesAnotherModelCurrentAndBack()
    {
        var promote = await CliRunner.RunAsync(["model", "promote", fixture.CsvId, .. StoreArgs]);
        var shown = await CliRunner.RunAsync(["model", "show", "current", "--format", "json", .. StoreArgs]);
        var back = await CliRunner.RunAsync(["model", "promote", fixture.SyntheticId, .. StoreArgs]);
        var unknown = await CliRunner.RunAsync(["model", "promote", "fm-ffffffffffffffff", .. StoreArgs]);

        Assert.True(promote.Exit == 0, promote.Out + promote.Err);
        Assert.Equal($"model {fixture.CsvId} is now the current model (before: {fixture.SyntheticId})\n", promote.Out);
        Assert.Equal(fixture.CsvId, JsonDocument.Parse(shown.Out).RootElement.GetProperty("id").GetString());
        Assert.Equal($"model {fixture.SyntheticId} is now the current model (before: {fixture.CsvId})\n", back.Out);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("error: no model 'fm-ffffffffffffffff' in the registry", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainGivesEachUnitsForecastIntervalAndDriversAsTheStoredModelPredicts()
    {
        var table = await CliRunner.RunAsync(["model", "explain", "--synthetic", "--units", "13.05,14.72", "--top", "3", .. StoreArgs]);
        var json = await CliRunner.RunAsync(["model", "explain", "--synthetic", "--units", "14.72", "--format", "json", .. StoreArgs]);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        Assert.StartsWith($"model {fixture.SyntheticId}; synthetic history (seed 3): 514 units", table.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n13\.05 → 2026: score \d+\.\d \(90 % interval \d+\.\d–\d+\.\d\), P\(selected\) 0\.\d{3}\n", table.Out);
        Assert.Matches(@"\n14\.72 → 2026: score ", table.Out);
        var scoreUp = table.Out.Split('\n').First(l => l.StartsWith("  score up", StringComparison.Ordinal));
        Assert.Equal(3, Regex.Matches(scoreUp, @"[a-z0-9_]+ (= [-0-9.]+|\(unknown\)) \+").Count);

        Assert.True(json.Exit == 0, json.Out + json.Err);
        var root = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(fixture.SyntheticId, root.GetProperty("modelVersion").GetString());
        Assert.Equal(3UL, root.GetProperty("data").GetProperty("historySeed").GetUInt64()); // the history the model was trained on
        var unit = Assert.Single(root.GetProperty("units").EnumerateArray());
        Assert.Equal(("14.72", 2025, 2026), (unit.GetProperty("code").GetString(), unit.GetProperty("year").GetInt32(), unit.GetProperty("forecastYear").GetInt32()));
        Assert.InRange(unit.GetProperty("scoreUp").GetArrayLength(), 1, 5); // the default --top 5
        Assert.All(unit.GetProperty("scoreDown").EnumerateArray(), d => Assert.True(d.GetProperty("contribution").GetDouble() < 0));

        // the same numbers as the artefact written by train, loaded by the library
        await using var file = File.OpenRead(fixture.Artefact);
        var model = ForecastModel.Load(file);
        var units = DemoRegencies.National().Select(r => new SyntheticUnit(r.Code, r.Code, r.ProvinceCode)).ToList();
        var inputs = ForecastInput.FromHistory(SyntheticHistory.Generate(units, 3).Data, 2025).Where(i => i.Code == "14.72").ToList();
        var expected = model.Predict(inputs).Single();
        Assert.Equal(expected.Score, unit.GetProperty("score").GetDouble(), 9);
        Assert.Equal((expected.Lower, expected.Upper), (unit.GetProperty("lower").GetDouble(), unit.GetProperty("upper").GetDouble()));
        Assert.Equal(expected.SelectionProbability, unit.GetProperty("selectionProbability").GetDouble(), 9);
        Assert.Equal(model.Explain(inputs, 5).Single().Up.Select(d => d.Feature), unit.GetProperty("scoreUp").EnumerateArray().Select(d => d.GetProperty("feature").GetString()));
    }

    [Fact]
    public async Task ExplainReadsACsvWithANamedModelAndYear()
    {
        var explained = await CliRunner.RunAsync(["model", "explain", "--model", fixture.CsvId, "--data", fixture.Csv, "--year", "2023", "--units", "11.02", "--format", "json", .. StoreArgs]);
        var noYear = await CliRunner.RunAsync(["model", "explain", "--model", fixture.CsvId, "--data", fixture.Csv, "--year", "2019", .. StoreArgs]);
        var noUnit = await CliRunner.RunAsync(["model", "explain", "--data", fixture.Csv, "--units", "96.71", .. StoreArgs]);

        Assert.True(explained.Exit == 0, explained.Out + explained.Err);
        var unit = Assert.Single(JsonDocument.Parse(explained.Out).RootElement.GetProperty("units").EnumerateArray());
        Assert.Equal(("11.02", 2024), (unit.GetProperty("code").GetString(), unit.GetProperty("forecastYear").GetInt32()));
        Assert.Equal(1, noYear.Exit);
        Assert.Contains($"error: {fixture.Csv} has no round 2019 (rounds: 2021, 2022, 2023, 2024, 2025)", noYear.Err, StringComparison.Ordinal);
        Assert.Equal(1, noUnit.Exit);
        Assert.Contains($"error: {fixture.Csv} has no row for 96.71 in 2025", noUnit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutACurrentModelExplainAndShowCurrentAreErrors()
    {
        using var empty = new TempDir();
        var explain = await CliRunner.RunAsync("model", "explain", "--synthetic", "--data-dir", empty.File("store"));
        var show = await CliRunner.RunAsync("model", "show", "current", "--data-dir", empty.File("store"));
        var list = await CliRunner.RunAsync("model", "list", "--data-dir", empty.File("store"));

        foreach (var (exit, output, err) in new[] { explain, show })
        {
            Assert.Equal((1, ""), (exit, output));
            Assert.Contains("error: no current model: promote one with `georeadiness model promote ID`", err, StringComparison.Ordinal);
        }
        Assert.Contains("no models stored", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainingDataWithAMissingColumnANonNumericValueOrOneRoundIsAnErrorNamingLineAndColumn()
    {
        var lines = SmallHistory.Lines();
        var header = lines[0].Split(',').ToList();
        var towers = header.IndexOf("towers_total");
        var missing = lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != towers)));
        var ict = header.IndexOf("ict_staff_pct");
        var cells = lines[2].Split(',');
        cells[ict] = "abc";
        var nonNumeric = lines.Take(2).Append(string.Join(',', cells)).Concat(lines.Skip(3));
        var oneRound = lines.Where((l, i) => i == 0 || l.Split(',')[1] == "2021");
        var code = cells[0];

        var results = new List<(int Exit, string Out, string Err)>();
        foreach (var (name, content) in new[] { ("missing.csv", missing), ("non-numeric.csv", nonNumeric), ("one-round.csv", oneRound) })
        {
            var file = fixture.Dir.File(name);
            await File.WriteAllLinesAsync(file, content);
            results.Add(await CliRunner.RunAsync("model", "evaluate", "--data", file));
        }
        var train = await CliRunner.RunAsync(["model", "train", "--data", fixture.Dir.File("one-round.csv"), .. StoreArgs]);
        var absent = await CliRunner.RunAsync("model", "evaluate", "--data", fixture.Dir.File("absent.csv"));

        Assert.All(results.Append(train).Append(absent), r => Assert.Equal((1, ""), (r.Exit, r.Out)));
        Assert.Contains($"{fixture.Dir.File("missing.csv")}: line 1, column towers_total: missing column 'towers_total'", results[0].Err, StringComparison.Ordinal);
        Assert.Contains($"{fixture.Dir.File("non-numeric.csv")}: line 3, code {code}, column ict_staff_pct: 'abc' is not a number", results[1].Err, StringComparison.Ordinal);
        Assert.Contains("the data has 1 round(s) (2021); forecasting the next round with a time split needs at least 3", results[2].Err, StringComparison.Ordinal);
        Assert.Contains("the data has 1 round(s) (2021)", train.Err, StringComparison.Ordinal);
        Assert.Contains($"error: {fixture.Dir.File("absent.csv")}: file not found", absent.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALatestRoundWithoutSelectionAndUsageMistakesAreClearErrors()
    {
        var noneSelected = SmallHistory.Lines().Select((l, i) => i > 0 && l.Split(',')[1] == "2025" ? l[..^1] + "0" : l);
        var file = fixture.Dir.File("none-selected.csv");
        await File.WriteAllLinesAsync(file, noneSelected);

        var trained = await CliRunner.RunAsync("model", "evaluate", "--data", file);
        var both = await CliRunner.RunAsync("model", "evaluate", "--data", file, "--synthetic");
        var neither = await CliRunner.RunAsync("model", "evaluate");
        var badSeed = await CliRunner.RunAsync("model", "evaluate", "--synthetic", "--seed", "x");
        var badUnits = await CliRunner.RunAsync(["model", "explain", "--synthetic", "--units", "14.7x", .. StoreArgs]);

        Assert.Equal(1, trained.Exit);
        Assert.Contains($"error: {file}: the held-out round 2025 needs both selected and unselected units", trained.Err, StringComparison.Ordinal);
        Assert.All(new[] { both, neither }, r =>
        {
            Assert.Equal(2, r.Exit);
            Assert.Contains("error: give either --data FILE.csv or --synthetic", r.Err, StringComparison.Ordinal);
        });
        Assert.Equal(2, badSeed.Exit);
        Assert.Contains("--seed expects a whole number, got 'x'", badSeed.Err, StringComparison.Ordinal);
        Assert.Equal(2, badUnits.Exit);
        Assert.Contains("--units: '14.7x' is not a Kemendagri code", badUnits.Err, StringComparison.Ordinal);
    }
}

/// <summary><c>georeadiness model …</c> against a PostGIS store: the registry in its tables, as on the embedded store.</summary>
public sealed class PostGisModelCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [PostGisFact]
    public async Task TrainPromoteListShowAndExplainOnPostGis()
    {
        await using var db = await PostGisDatabase.CreateAsync();
        string[] store = ["--postgis", db.ConnectionString];
        var csv = _dir.File("small.csv");
        await File.WriteAllLinesAsync(csv, SmallHistory.Lines());

        var first = await CliRunner.RunAsync(["model", "train", "--data", csv, "--seed", "1", .. store]);
        var second = await CliRunner.RunAsync(["model", "train", "--data", csv, "--seed", "2", "--promote", .. store]);
        var again = await CliRunner.RunAsync(["model", "train", "--data", csv, "--seed", "2", "--format", "json", .. store]);
        var list = await CliRunner.RunAsync(["model", "list", "--format", "json", .. store]);
        var show = await CliRunner.RunAsync(["model", "show", "current", "--format", "json", .. store]);
        var explain = await CliRunner.RunAsync(["model", "explain", "--data", csv, "--units", "11.01", "--format", "json", .. store]);

        foreach (var r in new[] { first, second, again, list, show, explain }) Assert.True(r.Exit == 0, r.Out + r.Err);
        var firstId = Regex.Match(first.Out, "model (fm-[0-9a-f]{16}) saved in the registry").Groups[1].Value;
        var secondId = Regex.Match(second.Out, "model (fm-[0-9a-f]{16}) saved in the registry").Groups[1].Value;
        Assert.NotEqual("", firstId);
        Assert.NotEqual(firstId, secondId);
        var report = JsonDocument.Parse(again.Out).RootElement; // the same data and seed: the same id, stored once
        Assert.Equal(secondId, report.GetProperty("modelVersion").GetString());
        Assert.Equal(("unchanged", false), (report.GetProperty("stored").GetProperty("registry").GetString(), report.GetProperty("stored").GetProperty("promoted").GetBoolean()));
        var models = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal([secondId, firstId], models.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal([true, false], models.Select(m => m.GetProperty("isCurrent").GetBoolean()));
        var shown = JsonDocument.Parse(show.Out).RootElement;
        Assert.Equal(secondId, shown.GetProperty("manifest").GetProperty("versionId").GetString());
        Assert.Equal(2, shown.GetProperty("manifest").GetProperty("options").GetProperty("seed").GetInt32());
        var explained = JsonDocument.Parse(explain.Out).RootElement;
        Assert.Equal(secondId, explained.GetProperty("modelVersion").GetString());
        Assert.Equal("11.01", Assert.Single(explained.GetProperty("units").EnumerateArray()).GetProperty("code").GetString());
    }
}
