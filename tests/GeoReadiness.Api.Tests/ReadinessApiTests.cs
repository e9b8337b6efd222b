using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Api.Tests;

/// <summary>
/// The readiness API over each store with the demo dataset: Kota Dumai's published row explained line by line,
/// infrastructure taken from the spatial indicators where the store measures them (Padang Pariaman), the national
/// table ranked and downloadable as CSV, and bad parameters answered with problems that name them.
/// </summary>
public abstract class ReadinessApiTests(DemoApiFixture fixture)
{
    private const double Eps = 1e-9;

    private HttpClient Client => fixture.Client;

    private static JsonElement Line(JsonElement explanation, string id) =>
        explanation.GetProperty("assessment").GetProperty("indicators").EnumerateArray().Single(l => l.GetProperty("id").GetString() == id);

    /// <summary>Asserts the display value, band, score and declared weight of a line, and that its contribution is weight × score.</summary>
    private static JsonElement AssertLine(JsonElement explanation, string id, double display, string? band, double score, double declaredWeight)
    {
        var line = Line(explanation, id);
        Assert.Equal("scored", line.GetProperty("status").GetString());
        Assert.Equal(display, line.GetProperty("displayValue").GetDouble());
        if (band is null) Assert.False(line.TryGetProperty("bandLabel", out _));
        else Assert.Equal(band, line.GetProperty("bandLabel").GetString());
        Assert.Equal(score, line.GetProperty("score").GetDouble());
        Assert.Equal(declaredWeight, line.GetProperty("declaredWeight").GetDouble());
        Assert.Equal(line.GetProperty("effectiveWeight").GetDouble() * score, line.GetProperty("contribution").GetDouble(), Eps);
        return line;
    }

    [StoreFact]
    public async Task DumaisPublishedRowIsExplainedLineByLine()
    {
        var dumai = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.72?year=2019");

        var coverage = AssertLine(dumai, "coverage_4g_pct", 50.0, "26–50 %", 50, 15);
        Assert.Equal(100.0 * 159913 / 319827, coverage.GetProperty("rawValue").GetDouble(), Eps);
        Assert.Equal("formula", coverage.GetProperty("source").GetProperty("kind").GetString());
        var spatial = coverage.GetProperty("notUsed").EnumerateArray().Single();
        Assert.Equal("share_4g_pct", spatial.GetProperty("reference").GetString());
        Assert.Contains("not placed by population cells", spatial.GetProperty("unavailable").GetString());
        AssertLine(dumai, "fixed_broadband_pct", 50.0, "26–50 %", 50, 15);
        AssertLine(dumai, "ict_staff_pct", 3.0, "1–3 %", 60, 30);
        AssertLine(dumai, "s2_staff_pct", 14.1, "> 3 %", 100, 20);

        var assessment = dumai.GetProperty("assessment");
        Assert.Equal("Kota Dumai", assessment.GetProperty("name").GetString());
        Assert.Equal(2019, assessment.GetProperty("year").GetInt32());
        var lines = assessment.GetProperty("indicators").EnumerateArray().ToList();
        Assert.Equal(assessment.GetProperty("score").GetDouble(), lines.Sum(l => l.GetProperty("contribution").GetDouble()), Eps);
        Assert.Equal(1 + 4 * assessment.GetProperty("score").GetDouble() / 100, assessment.GetProperty("index").GetDouble(), Eps);
        Assert.Equal("kominfo-2019", dumai.GetProperty("provenance").GetProperty("profile").GetProperty("id").GetString());
        Assert.Equal([2019], dumai.GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(514, dumai.GetProperty("rankedUnits").GetInt32());
    }

    [StoreFact]
    public async Task WithoutAYearTheLatestYearWithAnswersIsUsed()
    {
        var response = await Client.GetAsync("/api/readiness/14.72");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2019, body.GetProperty("assessment").GetProperty("year").GetInt32());
        Assert.Equal("2019", response.Headers.GetValues("X-Readiness-Year").Single());
        Assert.Equal("kominfo-2019@1.0.0", response.Headers.GetValues("X-Readiness-Profile").Single());
    }

    [StoreFact]
    public async Task PadangPariamansInfrastructureComesFromTheSpatialIndicators()
    {
        var explanation = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/13.05");
        var indicators = (await Client.GetFromJsonAsync<JsonElement>("/api/units/13.05/indicators")).GetProperty("unit");

        var coverage = Line(explanation, "coverage_4g_pct");
        Assert.Equal("spatial", coverage.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal("share_4g_pct", coverage.GetProperty("source").GetProperty("reference").GetString());
        Assert.Equal(indicators.GetProperty("coverage").GetProperty("4g").GetProperty("sharePercent").GetDouble(), coverage.GetProperty("rawValue").GetDouble(), Eps);
        var questionnaire = coverage.GetProperty("notUsed").EnumerateArray().Single();
        Assert.Equal("formula", questionnaire.GetProperty("kind").GetString());
        Assert.True(questionnaire.GetProperty("value").GetDouble() > 0);
        Assert.Contains("used; not used: formula", coverage.GetProperty("note").GetString());

        var villages = Line(explanation, "villages_fibre_pct");
        Assert.Equal("villages_on_fibre_pct", villages.GetProperty("source").GetProperty("reference").GetString());
        Assert.Equal(indicators.GetProperty("villagesOnFibre").GetProperty("sharePercent").GetDouble(), villages.GetProperty("rawValue").GetDouble(), Eps);
        Assert.Equal("spatial", Line(explanation, "fixed_broadband_pct").GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(explanation.GetProperty("provenance").GetProperty("indicatorSet").GetProperty("id").GetString(),
            (await Client.GetAsync("/api/units/13.05/indicators")).Headers.GetValues("X-Indicator-Set").Single());
    }

    [StoreFact]
    public async Task TheNationalTableRanksEveryAssessedRegencyWithProvincePercentiles()
    {
        var items = new List<JsonElement>();
        for (string? next = "/api/readiness?year=2019&limit=200"; next is not null;)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>(next);
            Assert.Equal(514, page.GetProperty("total").GetInt32());
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("next", out var n) ? new Uri(n.GetString()!).PathAndQuery : null;
        }

        Assert.Equal(Enumerable.Range(1, 514), items.Select(i => i.GetProperty("rank").GetInt32()));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(items, i => Assert.InRange(i.GetProperty("score").GetDouble(), 0, 100));
        foreach (var province in items.GroupBy(i => i.GetProperty("provinceCode").GetString()))
        {
            var ranks = province.Select(i => i.GetProperty("provinceRank").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(1, ranks.Count), ranks);
            Assert.Equal(100, province.First().GetProperty("provincePercentile").GetDouble());
            if (ranks.Count > 1) Assert.Equal(0, province.Last().GetProperty("provincePercentile").GetDouble());
        }

        var riau = await Client.GetFromJsonAsync<JsonElement>("/api/readiness?year=2019&province=14");
        var riauItems = riau.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(riauItems, i => i.GetProperty("code").GetString() == "14.72");
        Assert.All(riauItems, i => Assert.StartsWith("14.", i.GetProperty("code").GetString(), StringComparison.Ordinal));
        var dumaiRow = items.Single(i => i.GetProperty("code").GetString() == "14.72");
        Assert.Equal(dumaiRow.GetProperty("rank").GetInt32(), riauItems.Single(i => i.GetProperty("code").GetString() == "14.72").GetProperty("rank").GetInt32());
    }

    [StoreFact]
    public async Task TheTableIsAPlainCsvWithPillarColumnsAndProvenanceHeaders()
    {
        var response = await Client.GetAsync("/api/readiness?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2019", response.Headers.GetValues("X-Readiness-Year").Single());
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(515, lines.Length);
        Assert.Equal("rank,code,name,level,province_code,year,score,index,band,band_label,data_share,pillar_struktur,pillar_infrastruktur,pillar_suprastruktur,"
            + "dimension_smart_governance,dimension_smart_branding,dimension_smart_economy,dimension_smart_living,dimension_smart_society,dimension_smart_environment,"
            + "province_rank,province_count,province_percentile", lines[0]);
        Assert.StartsWith("1,", lines[1], StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task TheSpbeProfileScoresTheSameUnitsOnTheOneToFiveIndex()
    {
        var spbe = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.72?profile=spbe-2020");
        var assessment = spbe.GetProperty("assessment");
        Assert.Equal("spbe-2020", assessment.GetProperty("profileId").GetString());
        Assert.Equal(["kebijakan_internal", "tata_kelola", "manajemen", "layanan"],
            assessment.GetProperty("pillars").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.InRange(assessment.GetProperty("index").GetDouble(), 1, 5);
    }

    [StoreTheory]
    [InlineData("/api/readiness?year=1900", "year")]
    [InlineData("/api/readiness?level=kelurahanx", "level")]
    [InlineData("/api/readiness?profile=nope", "profile")]
    [InlineData("/api/readiness?profile=kominfo-2019@9.9", "profile")]
    [InlineData("/api/readiness?province=1", "province")]
    [InlineData("/api/readiness?format=xml", "format")]
    [InlineData("/api/readiness?limit=0", "limit")]
    [InlineData("/api/readiness/14-72", "code")]
    public async Task BadParametersAreProblemsNamingTheParameter(string url, string parameter)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"errors of {url} should name {parameter}: {problem}");
    }

    [StoreTheory]
    [InlineData("/api/readiness/99.99", "99.99")]
    [InlineData("/api/readiness/14.72?year=2021", "years with answers: 2019")]
    [InlineData("/api/readiness/13.05.01", "no questionnaire answers")]
    [InlineData("/api/readiness?year=2030", "years with answers: 2019")]
    [InlineData("/api/readiness?level=district", "district units: no questionnaire answers")]
    public async Task MissingDataIsANotFoundProblemThatSaysWhy(string url, string detail)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [StoreFact]
    public async Task ProfilesListTheBuiltInOnesWithTheDefault()
    {
        var list = await Client.GetFromJsonAsync<JsonElement>("/api/profiles");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        var kominfo = items.Single(p => p.GetProperty("id").GetString() == "kominfo-2019");
        Assert.True(kominfo.GetProperty("isDefault").GetBoolean());
        Assert.Equal("builtIn", kominfo.GetProperty("origin").GetString());
        Assert.Equal(["struktur", "infrastruktur", "suprastruktur"], kominfo.GetProperty("pillars").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(items, p => p.GetProperty("id").GetString() == "spbe-2020");

        var document = await Client.GetAsync("/api/profiles/kominfo-2019");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var json = JsonNode.Parse(await document.Content.ReadAsStringAsync())!;
        Assert.Equal("kominfo-2019", (string?)json["id"]);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/profiles/nope")).StatusCode);
    }

    [StoreFact]
    public async Task TheStoredQuestionnaireIsSummarisedAndDownloadableAsTheImportFormat()
    {
        var summary = await Client.GetFromJsonAsync<JsonElement>("/api/questionnaires");
        Assert.True(summary.GetProperty("version").GetInt64() >= 1);
        var year = summary.GetProperty("years").EnumerateArray().Single();
        Assert.Equal((2019, 514), (year.GetProperty("year").GetInt32(), year.GetProperty("units").GetInt32()));
        var ictStaff = summary.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "ict_staff");
        Assert.Equal(("count", "employees"), (ictStaff.GetProperty("type").GetString(), ictStaff.GetProperty("atMost").GetString()));

        var csv = await Client.GetStringAsync("/api/questionnaires/2019");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(515, lines.Length);
        Assert.StartsWith("kode,nama,tahun,", lines[0], StringComparison.Ordinal);
        var dumai = lines.Single(l => l.StartsWith("14.72,", StringComparison.Ordinal));
        Assert.StartsWith("14.72,Kota Dumai,2019,", dumai, StringComparison.Ordinal);
        Assert.Contains(",159913,", dumai, StringComparison.Ordinal);

        var json = await Client.GetFromJsonAsync<JsonElement>("/api/questionnaires/2019?format=json");
        var row = json.EnumerateArray().Single(r => r.GetProperty("code").GetString() == "14.72");
        Assert.Equal(2316, row.GetProperty("values").GetProperty("employees").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/questionnaires/2030")).StatusCode);
    }

    [StoreFact]
    public async Task WritesWithoutAValidApiKeyAreUnauthorizedProblems()
    {
        var noKey = await Client.PostAsync("/api/profiles", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Contains("X-API-Key", (await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/questionnaires") { Content = new StringContent("kode,tahun\n", Encoding.UTF8, "text/csv") };
        wrong.Headers.Add("X-API-Key", "not-the-key");
        var wrongKey = await Client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Contains("does not hold a key", (await wrongKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [StoreFact]
    public async Task TheOpenApiDocumentMarksTheWriteEndpointsAsNeedingTheKey()
    {
        var doc = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.Equal("X-API-Key", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.True(doc.GetProperty("paths").GetProperty("/api/profiles").GetProperty("post").TryGetProperty("security", out _));
        Assert.True(doc.GetProperty("paths").GetProperty("/api/questionnaires").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(doc.GetProperty("paths").GetProperty("/api/profiles").GetProperty("get").TryGetProperty("security", out _));
    }
}

public sealed class EmbeddedReadinessApiTests(EmbeddedDemoApiFixture fixture) : ReadinessApiTests(fixture), IClassFixture<EmbeddedDemoApiFixture>;

[RequiresPostGis]
public sealed class PostGisReadinessApiTests(PostGisDemoApiFixture fixture) : ReadinessApiTests(fixture), IClassFixture<PostGisDemoApiFixture>;

/// <summary>
/// Saving profiles and uploading questionnaires through the API, on each store: validated as a whole, nothing
/// written on error, never overwriting a profile.
/// </summary>
public abstract class AssessmentWriteApiTests(DemoApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private async Task<HttpResponseMessage> PostAsync(string url, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add("X-API-Key", ApiFactory.ApiKey);
        return await Client.SendAsync(request);
    }

    private async Task<JsonObject> DefaultProfileAsync() =>
        JsonNode.Parse(await Client.GetStringAsync("/api/profiles/kominfo-2019"))!.AsObject();

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject Indicator(JsonObject profile, string id) =>
        profile["indicators"]!.AsArray().Select(i => i!.AsObject()).Single(i => (string?)i["id"] == id);

    private async Task<long> QuestionnaireVersionAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.72?year=2019")).GetProperty("provenance").GetProperty("questionnaireVersion").GetInt64();

    [StoreFact]
    public async Task ASavedProfileWithMovedWeightsScoresDifferentlyAndIsNeverOverwritten()
    {
        var profile = await DefaultProfileAsync();
        profile["id"] = "kominfo-staff-heavy";
        Indicator(profile, "ict_staff_pct")["weight"] = 10;
        Indicator(profile, "s2_staff_pct")["weight"] = 40;

        var created = await PostAsync("/api/profiles", Json(profile));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/profiles/kominfo-staff-heavy?version=1.0.0", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/api/profiles", Json(profile))).StatusCode);

        var before = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.72?year=2019");
        var after = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.72?year=2019&profile=kominfo-staff-heavy");
        Assert.NotEqual(before.GetProperty("assessment").GetProperty("score").GetDouble(), after.GetProperty("assessment").GetProperty("score").GetDouble());
        var linesBefore = before.GetProperty("assessment").GetProperty("indicators").EnumerateArray().ToList();
        var linesAfter = after.GetProperty("assessment").GetProperty("indicators").EnumerateArray().ToList();
        for (var i = 0; i < linesBefore.Count; i++)
        {
            Assert.Equal(linesBefore[i].GetProperty("rawValue").ToString(), linesAfter[i].GetProperty("rawValue").ToString());
            Assert.Equal(linesBefore[i].GetProperty("score").ToString(), linesAfter[i].GetProperty("score").ToString());
            Assert.Equal(linesBefore[i].GetProperty("source").ToString(), linesAfter[i].GetProperty("source").ToString());
        }

        Indicator(profile, "ict_staff_pct")["weight"] = 20;
        Indicator(profile, "s2_staff_pct")["weight"] = 30;
        var conflict = await PostAsync("/api/profiles", Json(profile));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("new version", (await conflict.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var builtIn = await DefaultProfileAsync();
        Indicator(builtIn, "ict_staff_pct")["weight"] = 10;
        Indicator(builtIn, "s2_staff_pct")["weight"] = 40;
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync("/api/profiles", Json(builtIn))).StatusCode);
    }

    [StoreFact]
    public async Task AnInvalidProfileIsRejectedWithTheProblemKeyedByItsEntryAndNotSaved()
    {
        var weights = await DefaultProfileAsync();
        weights["id"] = "kominfo-broken";
        Indicator(weights, "ict_staff_pct")["weight"] = 35;
        var unknown = await DefaultProfileAsync();
        unknown["id"] = "kominfo-broken";
        Indicator(unknown, "coverage_4g_pct")["source"] = new JsonArray(new JsonObject { ["questionnaire"] = "pop_5g" });

        var sum = await PostAsync("/api/profiles", Json(weights));
        Assert.Equal(HttpStatusCode.BadRequest, sum.StatusCode);
        var sumErrors = (await sum.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("105", sumErrors.GetProperty("pillars[struktur]").ToString());
        var source = await PostAsync("/api/profiles", Json(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, source.StatusCode);
        var sourceErrors = (await source.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(sourceErrors.EnumerateObject(), e => e.Name.StartsWith("indicators[coverage_4g_pct].source", StringComparison.Ordinal) && e.Value.ToString().Contains("pop_5g"));
        Assert.DoesNotContain((await Client.GetFromJsonAsync<JsonElement>("/api/profiles")).GetProperty("items").EnumerateArray(),
            p => p.GetProperty("id").GetString() == "kominfo-broken");
    }

    [StoreFact]
    public async Task AQuestionnaireWithProblemsIsRejectedNamingLineAndFieldAndNothingIsImported()
    {
        var version = await QuestionnaireVersionAsync();
        const string csv = "kode,tahun,penduduk,kk,employees,ict_staff,pop_4g\n"
            + "14.71,2021,1000000,250000,8000,120,900000\n"
            + "14.72,2021,330000,95000,2400,3000,120000\n"
            + "14.73,2021,1000,300,10,1,2000\n";
        var response = await PostAsync("/api/questionnaires", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("nothing was imported", problem.GetProperty("detail").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Contains("ict_staff", errors.GetProperty("line 3").ToString());
        Assert.Contains("pop_4g", errors.GetProperty("line 4").ToString());
        Assert.Equal(version, await QuestionnaireVersionAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/readiness/14.71?year=2021")).StatusCode);
    }

    [StoreFact]
    public async Task ADownloadedYearUploadedAgainChangesNothing()
    {
        var version = await QuestionnaireVersionAsync();
        var csv = await Client.GetStringAsync("/api/questionnaires/2019");
        var response = await PostAsync("/api/questionnaires", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0, 514), (summary.GetProperty("inserted").GetInt32(), summary.GetProperty("replaced").GetInt32(), summary.GetProperty("unchanged").GetInt32()));
        Assert.Equal(version, await QuestionnaireVersionAsync());
    }

    [StoreFact]
    public async Task AnUploadedYearBecomesTheLatestAndADryRunWritesNothing()
    {
        const string csv = "kode,tahun,penduduk,kk,employees,ict_staff,pop_4g,kk_fixed_bb\n14.71,2022,1100000,280000,9000,150,1000000,140000\n";
        var version = await QuestionnaireVersionAsync();
        var dry = await PostAsync("/api/questionnaires?dryRun=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        Assert.True((await dry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("dryRun").GetBoolean());
        Assert.Equal(version, await QuestionnaireVersionAsync());

        using var form = new MultipartFormDataContent();
        var file = new StringContent(csv, Encoding.UTF8);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "pekanbaru-2022.csv");
        var imported = await PostAsync("/api/questionnaires", form);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var summary = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pekanbaru-2022.csv", summary.GetProperty("source").GetString());
        Assert.Equal(1, summary.GetProperty("inserted").GetInt32());

        var latest = await Client.GetFromJsonAsync<JsonElement>("/api/readiness/14.71");
        Assert.Equal(2022, latest.GetProperty("assessment").GetProperty("year").GetInt32());
        Assert.Equal([2022, 2019], latest.GetProperty("years").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal(1, latest.GetProperty("rankedUnits").GetInt32());
        Assert.True(latest.GetProperty("provenance").GetProperty("questionnaireVersion").GetInt64() > version);
    }
}

// Class fixtures are per test class: these get an app of their own, so the writes do not reach the read-only tests.
public sealed class EmbeddedAssessmentWriteApiTests(EmbeddedDemoApiFixture fixture) : AssessmentWriteApiTests(fixture), IClassFixture<EmbeddedDemoApiFixture>;

[RequiresPostGis]
public sealed class PostGisAssessmentWriteApiTests(PostGisDemoApiFixture fixture) : AssessmentWriteApiTests(fixture), IClassFixture<PostGisDemoApiFixture>;
