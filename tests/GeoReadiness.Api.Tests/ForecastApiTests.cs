using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GeoReadiness.Api.Tests;

/// <summary>
/// Forecast models and forecasts over HTTP on each store with the demo dataset (514 kabupaten/kota answered in 2019):
/// a model trained in the background from the synthetic history (small trees, so that it trains in a second or two),
/// listed, promoted and used for forecasts with intervals and drivers; a CSV-trained model; and every kind of mistake
/// answered with a problem that names it.
/// </summary>
public abstract class ForecastApiTests(DemoApiFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Few trees with a larger learning rate and one permutation: a quick model that still fits (too few small steps would
    /// leave it biased, its interval beside its score); the options are part of the request, as a client may send them.
    /// </summary>
    private const string QuickOptions = """{"scoreTrees": 40, "scoreLearningRate": 0.3, "selectionTrees": 20, "selectionLearningRate": 0.3, "permutationCount": 1}""";

    private HttpClient Client => fixture.Client;

    private Task<HttpResponseMessage> PostAsync(string url, string? body, string? key = ApiFactory.ApiKey) => ScenarioApi.PostAsync(Client, url, body, key);

    private async Task<HttpResponseMessage> PostCsvAsync(string url, string csv, string? key = ApiFactory.ApiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(csv, Encoding.UTF8, "text/csv") };
        if (key is not null) request.Headers.Add("X-API-Key", key);
        return await Client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response) =>
        (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");

    /// <summary>Posts a training request, checks the 202 and waits for the run; returns the final run.</summary>
    private async Task<JsonElement> TrainAsync(Func<Task<HttpResponseMessage>> post)
    {
        var accepted = await post();
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var location = accepted.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/runs/", location, StringComparison.Ordinal);
        var queued = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("model-train", "forecast-models"), (queued.GetProperty("kind").GetString(), queued.GetProperty("scenarioId").GetString()));
        Assert.Equal(location, $"/api/runs/{queued.GetProperty("id").GetString()}");
        var run = await ScenarioApi.WaitAsync(Client, location);
        Assert.True(run.GetProperty("state").GetString() == "succeeded", run.ToString());
        return run;
    }

    private async Task<int> TrainingRunCountAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/runs?limit=1000")).GetProperty("items").EnumerateArray()
            .Count(r => r.GetProperty("kind").GetString() == "model-train");

    [StoreFact]
    public async Task AModelIsTrainedInTheBackgroundListedPromotedAndForecastsWithIntervalsAndDrivers()
    {
        // before any model is current a forecast says how to get one
        var none = await ProblemAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"]}"""), HttpStatusCode.Conflict);
        Assert.Contains("POST /api/models/train", none.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("promote", none.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var request = $$"""{"synthetic": {"seed": 11}, "seed": 5, "options": {{QuickOptions}}}""";
        var run = await TrainAsync(() => PostAsync("/api/models/train", request));
        var results = run.GetProperty("results");
        output.WriteLine(results.ToString());
        var id = results.GetProperty("modelId").GetString()!;
        Assert.Matches("^fm-[0-9a-f]{16}$", id);
        Assert.Equal(("saved", false, "synthetic", 11UL, 5), (results.GetProperty("status").GetString(), results.GetProperty("promoted").GetBoolean(),
            results.GetProperty("source").GetString(), results.GetProperty("syntheticSeed").GetUInt64(), results.GetProperty("seed").GetInt32()));
        Assert.Equal(514 * 8, results.GetProperty("trainingDataRows").GetInt32());
        // the table the CLI's `model train --synthetic --history-seed 11` builds from the same store's kab/kota
        var regencies = await fixture.Factory.Store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Regency));
        var cliTable = SyntheticHistory.Generate(regencies.Select(r => new SyntheticUnit(r.Code, r.Name, r.ParentCode ?? r.Code[..2])).ToArray(), 11).Data;
        Assert.Equal(cliTable.Sha256, results.GetProperty("trainingDataSha256").GetString());
        Assert.Equal(40, results.GetProperty("options").GetProperty("scoreTrees").GetInt32());
        var metrics = results.GetProperty("metrics");
        Assert.Equal(2025, metrics.GetProperty("testRound").GetInt32());
        Assert.True(metrics.GetProperty("scoreMae").GetDouble() > 0 && metrics.GetProperty("lastScoreMae").GetDouble() > 0, metrics.ToString());
        Assert.InRange(metrics.GetProperty("selectionAuc").GetDouble(), 0.5, 1);
        // provenance: the training seed, the training data's hash and the profile
        var provenance = run.GetProperty("provenance");
        Assert.Equal((5UL, results.GetProperty("trainingDataSha256").GetString(), "kominfo-2019"), (provenance.GetProperty("seed").GetUInt64(),
            provenance.GetProperty("scenarioSha256").GetString(), provenance.GetProperty("profileId").GetString()));
        Assert.Equal(100, run.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal($"done: model {id} saved", run.GetProperty("stage").GetString());

        // the same data and options again: the same model, which the registry has already
        var again = (await TrainAsync(() => PostAsync("/api/models/train", request))).GetProperty("results");
        Assert.Equal((id, "unchanged"), (again.GetProperty("modelId").GetString(), again.GetProperty("status").GetString()));

        // listed, not current yet
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/models");
        var listed = list.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        Assert.False(listed.GetProperty("current").GetBoolean());
        Assert.False(list.TryGetProperty("current", out _));
        Assert.Equal(metrics.GetProperty("scoreMae").GetDouble(), listed.GetProperty("metrics").GetProperty("scoreMae").GetDouble());
        Assert.Equal(metrics.GetProperty("historicRateAuc").GetDouble(), listed.GetProperty("metrics").GetProperty("historicRateAuc").GetDouble());
        Assert.Equal(("kominfo-2019", 5), (listed.GetProperty("profileId").GetString(), listed.GetProperty("seed").GetInt32()));
        var detail = await Client.GetFromJsonAsync<JsonElement>($"/api/models/{id}");
        var manifest = detail.GetProperty("manifest");
        Assert.Equal((id, "georeadiness/forecast-model/v1"), (manifest.GetProperty("versionId").GetString(), manifest.GetProperty("format").GetString()));
        Assert.Equal(10, manifest.GetProperty("evaluation").GetProperty("selection").GetProperty("calibration").GetArrayLength());
        Assert.Contains(manifest.GetProperty("scoreImportance").EnumerateArray(), f => f.GetProperty("feature").GetString() == "assessed_score");
        Assert.Equal("kominfo-2019", manifest.GetProperty("schema").GetProperty("profileId").GetString());
        await ProblemAsync(await Client.GetAsync("/api/models/current"), HttpStatusCode.NotFound);

        // promoted (with the key only), then current
        await ProblemAsync(await PostAsync($"/api/models/{id}/promote", null, key: null), HttpStatusCode.Unauthorized);
        var promoted = await PostAsync($"/api/models/{id}/promote", null);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.True((await promoted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("current").GetBoolean());
        Assert.Equal(id, (await Client.GetFromJsonAsync<JsonElement>("/api/models/current")).GetProperty("summary").GetProperty("id").GetString());
        Assert.Equal(id, (await Client.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("current").GetString());

        // forecasts: 13.05 with two overrides, Kota Dumai as the store has it, Pekanbaru mentored already
        var forecast = await PostAsync("/api/forecasts", """
            {"year": 2019, "units": ["13.05", "14.72", "14.71"], "overrides": {"13.05": {"ict_staff_pct": 4.0, "share_5g_pct": 30}},
             "selectedBefore": ["14.71"], "top": 3, "coverage": 0.8}
            """);
        Assert.True(forecast.StatusCode == HttpStatusCode.OK, await forecast.Content.ReadAsStringAsync());
        var answer = await forecast.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((id, true, "regency", 2019, 2020, 514), (answer.GetProperty("model").GetProperty("id").GetString(), answer.GetProperty("model").GetProperty("current").GetBoolean(),
            answer.GetProperty("level").GetString(), answer.GetProperty("year").GetInt32(), answer.GetProperty("forecastYear").GetInt32(), answer.GetProperty("poolSize").GetInt32()));
        Assert.Equal("kominfo-2019", answer.GetProperty("provenance").GetProperty("profile").GetProperty("id").GetString());
        var units = answer.GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal(["13.05", "14.72", "14.71"], units.Select(u => u.GetProperty("code").GetString()));
        Assert.Equal("Kabupaten Padang Pariaman", units[0].GetProperty("name").GetString());
        foreach (var unit in units)
        {
            var score = unit.GetProperty("score").GetDouble();
            var interval = unit.GetProperty("interval");
            Assert.InRange(score, interval.GetProperty("lower").GetDouble(), interval.GetProperty("upper").GetDouble());
            Assert.True(interval.GetProperty("upper").GetDouble() > interval.GetProperty("lower").GetDouble());
            Assert.Equal(0.8, interval.GetProperty("coverage").GetDouble());
            Assert.InRange(unit.GetProperty("selectionProbability").GetDouble(), 0, 1);
            Assert.Equal(id, unit.GetProperty("modelVersion").GetString());
            foreach (var target in new[] { "score", "selection" })
            {
                var drivers = unit.GetProperty("drivers").GetProperty(target);
                Assert.InRange(drivers.GetProperty("up").GetArrayLength(), 0, 3);
                Assert.InRange(drivers.GetProperty("down").GetArrayLength(), 0, 3);
                Assert.All(drivers.GetProperty("up").EnumerateArray(), d => Assert.True(d.GetProperty("contribution").GetDouble() > 0));
                Assert.All(drivers.GetProperty("down").EnumerateArray(), d => Assert.True(d.GetProperty("contribution").GetDouble() < 0));
            }
            var scoreDrivers = unit.GetProperty("drivers").GetProperty("score");
            Assert.True(scoreDrivers.GetProperty("up").GetArrayLength() + scoreDrivers.GetProperty("down").GetArrayLength() > 0, unit.ToString());
        }
        Assert.Equal(["ict_staff_pct", "share_5g_pct"], units[0].GetProperty("overridden").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((true, JsonValueKind.Null), (units[2].GetProperty("selectedBefore").GetBoolean(), units[2].TryGetProperty("unselectedRank", out var rank) ? rank.ValueKind : JsonValueKind.Null));
        // the stand-in assessed score: Dumai's readiness score as the readiness endpoint gives it; 13.05's changed by its override
        async Task<double> ReadinessAsync(string code) =>
            (await Client.GetFromJsonAsync<JsonElement>($"/api/readiness/{code}?year=2019")).GetProperty("assessment").GetProperty("score").GetDouble();
        Assert.Equal(await ReadinessAsync("14.72"), units[1].GetProperty("assessedScore").GetDouble(), 9);
        Assert.NotEqual(await ReadinessAsync("13.05"), units[0].GetProperty("assessedScore").GetDouble(), 6);

        // the same unit without overrides, by the model's id: the override changed the forecast
        var plain = await PostAsync("/api/forecasts", $$"""{"year": 2019, "units": ["13.05"], "model": "{{id}}"}""");
        var plainUnit = (await plain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("units")[0];
        Assert.Equal(await ReadinessAsync("13.05"), plainUnit.GetProperty("assessedScore").GetDouble(), 9);
        Assert.Empty(plainUnit.GetProperty("overridden").EnumerateArray());
        Assert.NotEqual(plainUnit.GetProperty("score").GetDouble(), units[0].GetProperty("score").GetDouble());

        // a whole level
        var level = await PostAsync("/api/forecasts", """{"level": "regency", "top": 1}""");
        var all = (await level.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("units").EnumerateArray().ToArray();
        Assert.Equal(514, all.Length);
        Assert.Equal(Enumerable.Range(1, 514), all.Select(u => u.GetProperty("unselectedRank").GetInt32()).Order());

        // mistakes that need the model: an unknown feature, a unit not forecast, unknown units, an unknown model
        var feature = await ErrorsAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"], "overrides": {"13.05": {"ict_staf_pct": 4}}}"""));
        var message = feature.GetProperty("overrides.13.05.ict_staf_pct")[0].GetString()!;
        Assert.Contains("unknown feature 'ict_staf_pct'", message, StringComparison.Ordinal);
        Assert.Contains("ict_staff_pct, s2_staff_pct", message, StringComparison.Ordinal);
        Assert.Contains("share_5g_pct, assessed_score", message, StringComparison.Ordinal);
        var notForecast = await ErrorsAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"], "overrides": {"14.72": {"ict_staff_pct": 4}}}"""));
        Assert.Contains("14.72 is not one of the units forecast", notForecast.GetProperty("overrides.14.72")[0].GetString(), StringComparison.Ordinal);
        var unknownUnit = await ProblemAsync(await PostAsync("/api/forecasts", """{"units": ["13.05", "99.99"]}"""), HttpStatusCode.NotFound);
        Assert.Contains("No unit 99.99 in the store", unknownUnit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var province = await ErrorsAsync(await PostAsync("/api/forecasts", """{"units": ["13.05", "13"]}"""));
        Assert.Contains("several levels", province.GetProperty("units")[0].GetString(), StringComparison.Ordinal);
        var noAnswers = await ProblemAsync(await PostAsync("/api/forecasts", """{"year": 2020, "units": ["13.05"]}"""), HttpStatusCode.NotFound);
        Assert.Contains("no questionnaire answers for 2020", noAnswers.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var unknownModel = await ProblemAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"], "model": "fm-0123456789abcdef"}"""), HttpStatusCode.NotFound);
        Assert.Contains("No model fm-0123456789abcdef; models: ", unknownModel.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(id, unknownModel.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var selected = await ErrorsAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"], "selectedBefore": ["99.99"]}"""));
        Assert.Contains("no unit 99.99 in the store", selected.GetProperty("selectedBefore[0]")[0].GetString(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task ATrainingTablePostedAsCsvIsTrainedAndNamedByItsHash()
    {
        // 60 units over four rounds with cohorts of 5, so that every round has units left to select
        var units = Enumerable.Range(1, 60).Select(k => new SyntheticUnit($"{11 + k % 9}.{k:00}", $"Unit {k}", $"{11 + k % 9}")).ToArray();
        var data = SyntheticHistory.Generate(units, 3, new SyntheticHistoryOptions([new(2019, 5), new(2021, 5), new(2022, 5), new(2023, 5)])).Data;
        var csv = TrainingCsv.Write(data);
        var run = await TrainAsync(() => PostCsvAsync("/api/models/train?seed=2&promote=false", csv));
        var results = run.GetProperty("results");
        Assert.Equal(("csv", data.Sha256, 60 * 4, 2), (results.GetProperty("source").GetString(), results.GetProperty("trainingDataSha256").GetString(),
            results.GetProperty("trainingDataRows").GetInt32(), results.GetProperty("seed").GetInt32()));
        Assert.False(results.TryGetProperty("syntheticSeed", out _));
        Assert.Equal(data.Sha256, run.GetProperty("request").GetProperty("trainingDataSha256").GetString());
        Assert.False(run.GetProperty("request").TryGetProperty("trainingCsv", out _)); // the table is not stored with the run

        // the same table inside JSON, with other options: another model of the same data
        var json = JsonSerializer.Serialize(new { trainingCsv = csv, seed = 2, options = new { scoreTrees = 30, selectionTrees = 10, permutationCount = 1 } });
        var other = (await TrainAsync(() => PostAsync("/api/models/train", json))).GetProperty("results");
        Assert.Equal(data.Sha256, other.GetProperty("trainingDataSha256").GetString());
        Assert.NotEqual(results.GetProperty("modelId").GetString(), other.GetProperty("modelId").GetString());
        var ids = (await Client.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Contains(results.GetProperty("modelId").GetString(), ids);
        Assert.Contains(other.GetProperty("modelId").GetString(), ids);
    }

    [StoreFact]
    public async Task BadTrainingRequestsAreRefusedBeforeAnythingIsQueued()
    {
        var before = await TrainingRunCountAsync();
        var header = string.Join(",", SyntheticHistory.Schema.Columns);
        // every value but code, year and selected
        var cells = Enumerable.Repeat("1", SyntheticHistory.Schema.Columns.Count - 3).ToArray();
        var values = string.Join(",", cells);
        cells[1] = "x"; // s2_staff_pct
        // a non-numeric value on line 3, and a single round
        var csv = $"{header}\n14.72,2019,{values},0\n14.03,2019,{string.Join(",", cells)},0\n";
        var problems = await ErrorsAsync(await PostCsvAsync("/api/models/train", csv));
        var messages = problems.GetProperty("trainingCsv").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(messages, m => m.StartsWith("line 3, code 14.03, column s2_staff_pct: 'x' is not a number", StringComparison.Ordinal));
        var single = await ErrorsAsync(await PostCsvAsync("/api/models/train", $"{header}\n14.72,2019,{values},0\n"));
        Assert.Contains(single.GetProperty("trainingCsv").EnumerateArray(), e => e.GetString()!.Contains("the data has 1 round(s) (2019)", StringComparison.Ordinal));
        var missing = await ErrorsAsync(await PostAsync("/api/models/train", JsonSerializer.Serialize(new { trainingCsv = "code,year\n14.72,2019\n" })));
        Assert.Contains(missing.GetProperty("trainingCsv").EnumerateArray(), e => e.GetString() == "line 1, column ict_staff_pct: missing column 'ict_staff_pct'");

        var both = await ErrorsAsync(await PostAsync("/api/models/train", """{"synthetic": {"seed": 1}, "trainingCsv": "code"}"""));
        Assert.Contains("not both", both.GetProperty("$")[0].GetString(), StringComparison.Ordinal);
        var neither = await ErrorsAsync(await PostAsync("/api/models/train", """{"seed": 1}"""));
        Assert.Contains("say what to train on", neither.GetProperty("$")[0].GetString(), StringComparison.Ordinal);
        var fields = await ErrorsAsync(await PostAsync("/api/models/train",
            """{"synthetic": {"seed": -1}, "seed": 2.5, "promote": "yes", "options": {"scoreTrees": 0, "intervalCoverage": 1, "depth": 3}, "epochs": 3}"""));
        Assert.Equal(["epochs", "options.depth", "options.intervalCoverage", "options.scoreTrees", "promote", "seed", "synthetic"], fields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("from 1 to 2000, got 0", fields.GetProperty("options.scoreTrees")[0].GetString(), StringComparison.Ordinal);
        var profile = await ErrorsAsync(await PostAsync("/api/models/train", """{"trainingCsv": "code", "profile": "nope"}"""));
        Assert.Contains("no profile 'nope'", profile.GetProperty("profile")[0].GetString(), StringComparison.Ordinal);
        var query = await ErrorsAsync(await PostAsync("/api/models/train?seed=3", """{"synthetic": {"seed": 1}}"""));
        Assert.Contains("goes with a text/csv body", query.GetProperty("seed")[0].GetString(), StringComparison.Ordinal);
        var badQuery = await ErrorsAsync(await PostCsvAsync("/api/models/train?seed=x&promote=maybe", $"{header}\n"));
        Assert.Equal(["promote", "seed"], badQuery.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var notJson = await ErrorsAsync(await PostAsync("/api/models/train", "{\"synthetic\": "));
        Assert.Contains("not JSON", notJson.GetProperty("$")[0].GetString(), StringComparison.Ordinal);

        await ProblemAsync(await PostAsync("/api/models/train", """{"synthetic": {"seed": 1}}""", key: null), HttpStatusCode.Unauthorized);
        await ProblemAsync(await PostAsync("/api/models/train", """{"synthetic": {"seed": 1}}""", key: "wrong"), HttpStatusCode.Unauthorized);
        var tooLarge = await ProblemAsync(await PostCsvAsync("/api/models/train", new string('x', (8 << 20) + 1)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("8 MiB", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(before, await TrainingRunCountAsync());
    }

    [StoreFact]
    public async Task BadForecastRequestsAndUnknownModelsAreProblemsNamingWhatIsWrong()
    {
        var fields = await ErrorsAsync(await PostAsync("/api/forecasts",
            """{"year": 1990, "units": ["13.05", "x", "13.05"], "top": 0, "coverage": 1.5, "overrides": {"13.05": {"ict_staff_pct": "4"}}, "colour": 1}"""));
        Assert.Equal(["colour", "coverage", "overrides.13.05.ict_staff_pct", "top", "units", "units[1]", "year"], fields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("listed more than once: 13.05", fields.GetProperty("units")[0].GetString(), StringComparison.Ordinal);
        var both = await ErrorsAsync(await PostAsync("/api/forecasts", """{"units": ["13.05"], "level": "regency"}"""));
        Assert.Contains("units or level, not both", both.GetProperty("level")[0].GetString(), StringComparison.Ordinal);
        Assert.True((await ErrorsAsync(await PostAsync("/api/forecasts", ""))).TryGetProperty("$", out _));
        var tooLarge = await ProblemAsync(await PostAsync("/api/forecasts", new string(' ', (1 << 20) + 1)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1 MiB", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var unknown = await ProblemAsync(await Client.GetAsync("/api/models/fm-0000000000000000"), HttpStatusCode.NotFound);
        Assert.Contains("No model fm-0000000000000000", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var notAnId = await ProblemAsync(await Client.GetAsync("/api/models/latest"), HttpStatusCode.NotFound);
        Assert.Contains("'latest' is not a model id", notAnId.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await PostAsync("/api/models/fm-0000000000000000/promote", null), HttpStatusCode.NotFound);
        await ProblemAsync(await PostAsync("/api/models/fm-0000000000000000/promote", null, key: null), HttpStatusCode.Unauthorized);
        var openApi = (await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        Assert.True(openApi.GetProperty("/api/models/train").GetProperty("post").TryGetProperty("security", out _));
        Assert.True(openApi.GetProperty("/api/models/{id}/promote").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(openApi.GetProperty("/api/models").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(openApi.GetProperty("/api/forecasts").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(string.IsNullOrEmpty(openApi.GetProperty("/api/forecasts").GetProperty("post").GetProperty("description").GetString()));
    }

    [StoreFact]
    public async Task AModelOfAProfileTheStoreCannotScoreIsAConflict()
    {
        // a model whose columns claim a version of kominfo-2019 the store does not have, saved straight into the registry
        var units = Enumerable.Range(1, 60).Select(k => new SyntheticUnit($"{11 + k % 9}.{k:00}", $"Unit {k}", $"{11 + k % 9}")).ToArray();
        var history = SyntheticHistory.Generate(units, 5, new SyntheticHistoryOptions([new(2019, 5), new(2021, 5), new(2022, 5), new(2023, 5)])).Data;
        var schema = new TrainingSchema(history.Schema.ProfileId, "0.9.0", history.Schema.Indicators, history.Schema.Infrastructure);
        var model = ForecastTrainer.Train(TrainingData.Create(schema, history.Rows), new ForecastOptions(ScoreTrees: 20, SelectionTrees: 10, PermutationCount: 1));
        await fixture.Factory.Services.GetRequiredService<ForecastModelRegistry>().SaveAsync(model);

        var conflict = await ProblemAsync(await PostAsync("/api/forecasts", $$"""{"units": ["13.05"], "model": "{{model.VersionId}}"}"""), HttpStatusCode.Conflict);
        var detail = conflict.GetProperty("detail").GetString();
        Assert.Contains($"Model {model.VersionId} reads the indicators of profile kominfo-2019 0.9.0, which this store cannot score", detail, StringComparison.Ordinal);
        Assert.Contains("profile 'kominfo-2019' has no version '0.9.0'", detail, StringComparison.Ordinal);
    }
}

// Class fixtures are per test class: each store gets an app of its own, whose registry only these tests write.
public sealed class EmbeddedForecastApiTests(EmbeddedDemoApiFixture fixture, ITestOutputHelper output)
    : ForecastApiTests(fixture, output), IClassFixture<EmbeddedDemoApiFixture>;

[RequiresPostGis]
public sealed class PostGisForecastApiTests(PostGisDemoApiFixture fixture, ITestOutputHelper output)
    : ForecastApiTests(fixture, output), IClassFixture<PostGisDemoApiFixture>;
