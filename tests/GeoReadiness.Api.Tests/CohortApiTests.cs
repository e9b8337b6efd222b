using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Api.Tests;

/// <summary>
/// The cohort API over each store on the demo national layer (514 kab/kota with questionnaires, 2019): the issue's
/// request selects 50 meeting every constraint with frequencies and reasons, the same request and seed give the same
/// cohort byte for byte, impossible quotas and bad values are 400s that name them, and a saved cohort is served as
/// JSON, CSV and GeoJSON.
/// </summary>
public abstract class CohortApiTests(DemoApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    /// <summary>The issue's example on the demo data's year, with fewer draws than the default to keep the test short.</summary>
    private const string IssueRequest = """
        {"k": 50, "level": "regency", "year": 2019, "objective": "most_ready",
         "constraints": {"minPerIslandGroup": 3, "maxPerProvince": 5, "min3T": 5}, "seed": 5, "draws": 200}
        """;

    private Task<HttpResponseMessage> PostAsync(string body, string? key = ApiFactory.ApiKey) => ScenarioApi.PostAsync(Client, "/api/cohorts", body, key);

    private async Task<(HttpResponseMessage Response, string Text, JsonElement Json)> SelectAsync(string body)
    {
        var response = await PostAsync(body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return (response, text, JsonDocument.Parse(text).RootElement.Clone());
    }

    [StoreFact]
    public async Task FiftyWithIslandGroupMinimumsMeetEveryConstraintWithFrequenciesAndReasons()
    {
        var (response, _, cohort) = await SelectAsync(IssueRequest);

        var id = cohort.GetProperty("id").GetString()!;
        Assert.Equal($"/api/cohorts/{id}", response.Headers.Location!.OriginalString);
        var selected = cohort.GetProperty("selected").EnumerateArray().ToArray();
        Assert.Equal(50, selected.Length);
        Assert.Equal(Enumerable.Range(1, 50), selected.Select(s => s.GetProperty("rank").GetInt32()));
        var groups = selected.GroupBy(s => s.GetProperty("islandGroup").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(["bali_nusa_tenggara", "java", "kalimantan", "maluku", "papua", "sulawesi", "sumatra"], groups.Keys.Order());
        Assert.All(groups.Values, n => Assert.True(n >= 3));
        Assert.All(selected.GroupBy(s => s.GetProperty("provinceCode").GetString()), g => Assert.True(g.Count() <= 5));
        Assert.True(selected.Count(s => s.GetProperty("threeT").GetBoolean()) >= 5);
        Assert.Equal(50, selected.Select(s => s.GetProperty("code").GetString()).Distinct().Count());
        foreach (var s in selected)
        {
            Assert.False(string.IsNullOrEmpty(s.GetProperty("name").GetString()));
            Assert.InRange(s.GetProperty("frequency").GetDouble(), 0, 1);
            var reasons = s.GetProperty("reasons");
            Assert.Equal("readiness", reasons.GetProperty("source").GetString());
            var helped = reasons.GetProperty("helped").EnumerateArray().ToArray();
            Assert.InRange(helped.Length, 1, 3);
            Assert.All(helped, h => Assert.True(h.GetProperty("points").GetDouble() > 0));
            Assert.All(reasons.GetProperty("heldBack").EnumerateArray(), h => Assert.True(h.GetProperty("points").GetDouble() < 0));
            var label = helped[0].GetProperty("label");
            Assert.False(string.IsNullOrEmpty(label.GetProperty("en").GetString()));
            Assert.False(string.IsNullOrEmpty(label.GetProperty("id").GetString()));
        }
        // the frequencies of every eligible unit add up to K (each draw selects exactly K)
        Assert.Equal(50, cohort.GetProperty("units").EnumerateArray().Sum(u => u.GetProperty("frequency").GetDouble()), 1e-9);
        var summary = cohort.GetProperty("summary");
        Assert.Equal(200, summary.GetProperty("draws").GetInt32());
        Assert.Equal(514, summary.GetProperty("eligible").GetInt32());
        Assert.InRange(summary.GetProperty("stable").GetInt32(), 0, 50);
        Assert.NotEmpty(cohort.GetProperty("borderline").EnumerateArray());
        var provenance = cohort.GetProperty("provenance");
        Assert.Equal(5UL, provenance.GetProperty("seed").GetUInt64());
        Assert.Equal(64, provenance.GetProperty("requestSha256").GetString()!.Length);
        var versions = provenance.GetProperty("versions");
        Assert.Equal("kominfo-2019@1.0.0", versions.GetProperty("profile").GetString());
        Assert.Equal("2019", versions.GetProperty("year").GetString());
        Assert.Equal("3", versions.GetProperty("noise").GetString());
        Assert.True(versions.TryGetProperty("questionnaireVersion", out _) && versions.TryGetProperty("dataVersion", out _));

        var saved = await Client.GetStringAsync($"/api/cohorts/{id}");
        Assert.Equal(cohort.GetRawText(), JsonDocument.Parse(saved).RootElement.GetRawText());
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/cohorts");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id && i.GetProperty("k").GetInt32() == 50);
    }

    [StoreFact]
    public async Task TheSameRequestAndSeedGiveTheSameCohortByteForByteAndAnotherSeedOtherFrequencies()
    {
        static string WithoutIdAndTime(string text)
        {
            var lines = text.Split('\n');
            Assert.StartsWith("  \"id\": ", lines[1], StringComparison.Ordinal);
            Assert.StartsWith("  \"createdAt\": ", lines[2], StringComparison.Ordinal);
            return string.Join('\n', lines.Where((_, i) => i is not (1 or 2)));
        }
        var first = await SelectAsync(IssueRequest);
        var again = await SelectAsync(IssueRequest.Replace("\"seed\": 5, \"draws\": 200", "\"draws\": 200, \"seed\": 5", StringComparison.Ordinal));
        var other = await SelectAsync(IssueRequest.Replace("\"seed\": 5", "\"seed\": 6", StringComparison.Ordinal));

        Assert.NotEqual(first.Json.GetProperty("id").GetString(), again.Json.GetProperty("id").GetString());
        Assert.Equal(WithoutIdAndTime(first.Text), WithoutIdAndTime(again.Text));
        Assert.NotEqual(WithoutIdAndTime(first.Text), WithoutIdAndTime(other.Text));
        // the cohort is the optimum on the expected scores: the seed moves the frequencies, not the selection
        static IEnumerable<string?> Codes(JsonElement c) => c.GetProperty("selected").EnumerateArray().Select(s => s.GetProperty("code").GetString());
        Assert.Equal(Codes(first.Json), Codes(other.Json));
    }

    [StoreFact]
    public async Task InfeasibleConstraintsAreRejectedWithAMessageNamingThem()
    {
        var response = await PostAsync("""{"k": 20, "year": 2019, "constraints": {"minPerIslandGroup": 3, "maxPerProvince": 1}, "draws": 0}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("minPerIslandGroup 3", detail, StringComparison.Ordinal);
        Assert.Contains("> k 20", detail, StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("constraints.minPerIslandGroup", out _), problem.ToString());

        var maluku = await PostAsync("""{"k": 50, "year": 2019, "constraints": {"minPerIslandGroup": 3, "maxPerProvince": 1}, "draws": 0}""");
        var malukuDetail = (await maluku.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Equal(HttpStatusCode.BadRequest, maluku.StatusCode);
        Assert.Contains("minPerIslandGroup 3 but Maluku can give at most maxPerProvince 1 × 2 provinces = 2", malukuDetail, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task MalformedValuesUnknownUnitsAndATooLargeKAreProblemsKeyedByTheirPaths()
    {
        var malformed = await PostAsync("""
            {"k": "fifty", "objective": "best", "constraints": {"maxPerProvince": "five", "minPerCity": 1}, "units": ["14.72", "x"], "noise": -1}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var errors = (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["constraints.maxPerProvince", "constraints.minPerCity", "k", "noise", "objective", "units[1]"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var unknown = await PostAsync("""{"k": 2, "year": 2019, "units": ["14.72", "13.05", "99.99"], "draws": 0}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var unknownErrors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("99.99", unknownErrors.GetProperty("units[2]")[0].GetString(), StringComparison.Ordinal);

        var tooMany = await PostAsync("""{"k": 600, "year": 2019, "draws": 0}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("only 514 eligible", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("k")[0].GetString(),
            StringComparison.Ordinal);

        var noYear = await PostAsync("""{"k": 5, "year": 2021}""");
        Assert.Equal(HttpStatusCode.BadRequest, noYear.StatusCode);
        Assert.Contains("years with answers: 2019",
            (await noYear.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("year")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(IssueRequest, key: null)).StatusCode);
        var huge = "{\"k\": 5, \"units\": [" + string.Join(", ", Enumerable.Repeat("\"14.72\"", 8000)) + "]}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(huge)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/cohorts/{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/cohorts/not-an-id.csv")).StatusCode);
    }

    [StoreFact]
    public async Task ASavedCohortIsServedAsCsvAndAsGeoJsonOfTheSelectedAndBorderlineUnits()
    {
        var (_, _, cohort) = await SelectAsync("""
            {"k": 10, "year": 2019, "objective": "blend", "weight": 0.5, "constraints": {"minPerIslandGroup": 1}, "seed": 3, "draws": 50}
            """);
        var id = cohort.GetProperty("id").GetString();
        var selected = cohort.GetProperty("selected").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToArray();
        var outside = cohort.GetProperty("borderline").EnumerateArray().Where(b => !b.TryGetProperty("rank", out _))
            .Select(b => b.GetProperty("code").GetString()).ToArray();
        Assert.NotEmpty(outside);

        var csv = await Client.GetAsync($"/api/cohorts/{id}.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("status,rank,code,name,province_code,island_group,three_t,band,ready,gain,objective,frequency,probability_top_k,why,helped,held_back", lines[0]);
        Assert.Equal(1 + selected.Length + outside.Length, lines.Length);
        Assert.StartsWith($"selected,1,{selected[0]},", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"borderline,,{outside[0]},", lines[1 + selected.Length], StringComparison.Ordinal);

        var geo = await Client.GetAsync($"/api/cohorts/{id}.geojson");
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        var map = await geo.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FeatureCollection", map.GetProperty("type").GetString());
        var features = map.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(selected.Concat(outside), features.Select(f => f.GetProperty("properties").GetProperty("code").GetString()));
        Assert.All(features, f => Assert.Contains(f.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" }));
        var first = features[0].GetProperty("properties");
        Assert.Equal(("selected", 1), (first.GetProperty("status").GetString(), first.GetProperty("rank").GetInt32()));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("helpedId").GetString()));
        Assert.Equal("borderline", features[^1].GetProperty("properties").GetProperty("status").GetString());
    }
}

public sealed class EmbeddedCohortApiTests(EmbeddedDemoApiFixture fixture) : CohortApiTests(fixture), IClassFixture<EmbeddedDemoApiFixture>;

[RequiresPostGis]
public sealed class PostGisCohortApiTests(PostGisDemoApiFixture fixture) : CohortApiTests(fixture), IClassFixture<PostGisDemoApiFixture>;
