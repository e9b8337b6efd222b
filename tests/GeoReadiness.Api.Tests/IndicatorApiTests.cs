using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Api.Tests;

/// <summary>The app with the demo dataset seeded, shared by the tests of one class (seeding takes seconds).</summary>
public abstract class DemoApiFixture : IAsyncLifetime
{
    private ApiFactory? _factory;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The app, for its services (e.g. a repository to write what only a dead process leaves).</summary>
    public ApiFactory Factory => _factory ?? throw new InvalidOperationException("the fixture has no app (PostGIS tests skipped)");

    protected abstract Task<ApiFactory?> CreateFactoryAsync();

    public async Task InitializeAsync()
    {
        _factory = await CreateFactoryAsync();
        if (_factory is not null) Client = _factory.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }
}

public sealed class EmbeddedDemoApiFixture : DemoApiFixture
{
    protected override Task<ApiFactory?> CreateFactoryAsync() => Task.FromResult<ApiFactory?>(new ApiFactory(seedDemo: true));
}

public sealed class PostGisDemoApiFixture : DemoApiFixture
{
    private PostGisDatabase? _database;

    protected override async Task<ApiFactory?> CreateFactoryAsync()
    {
        // Without PG_CONN outside CI the tests are skipped; the fixture must not fail them first.
        if (TestEnvironment.PostGisConnectionString is null && !TestEnvironment.PostGisRequired) return null;
        _database = await PostGisDatabase.CreateAsync();
        return new ApiFactory(_database.ConnectionString, seedDemo: true);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>
/// The indicators API over each store with the demo dataset (data/shapefiles): every unit of the demo kabupaten has
/// indicators with their provenance, the nagari add up to the kabupaten, bad parameters are 400 problems naming the
/// parameter, and the CSV form reads as a plain table.
/// </summary>
public abstract class IndicatorApiTests(DemoApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    protected abstract string ExpectedEngine { get; }

    private async Task<List<JsonElement>> AllItemsAsync(string url)
    {
        var items = new List<JsonElement>();
        for (string? next = url; next is not null;)
        {
            var page = await Client.GetFromJsonAsync<JsonElement>(next);
            items.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.TryGetProperty("next", out var n) ? new Uri(n.GetString()!).PathAndQuery : null;
        }
        return items;
    }

    [StoreFact]
    public async Task EveryNagariKecamatanAndTheKabupatenHaveIndicators()
    {
        var nagari = await AllItemsAsync("/api/indicators?level=village&parent=13.05&limit=40");
        var kecamatan = await AllItemsAsync("/api/indicators?level=district&parent=13.05");
        var kabupaten = await Client.GetFromJsonAsync<JsonElement>("/api/units/13.05/indicators");

        Assert.Equal(103, nagari.Count);
        Assert.Equal(17, kecamatan.Count);
        Assert.Equal(nagari.Select(Code).Distinct().Count(), nagari.Count);
        Assert.All(nagari, n => Assert.StartsWith("13.05.", Code(n), StringComparison.Ordinal));
        var unit = kabupaten.GetProperty("unit");
        Assert.Equal("13.05", Code(unit));
        Assert.Equal("regency", unit.GetProperty("level").GetString());
        Assert.Equal(103, unit.GetProperty("leafUnits").GetInt32());
        Assert.Equal("cells", unit.GetProperty("populationMethod").GetString());
        Assert.Equal(103, unit.GetProperty("villagesOnFibre").GetProperty("total").GetInt64());
        Assert.True(unit.GetProperty("coverage").GetProperty("4g").GetProperty("sharePercent").GetDouble() is > 0 and <= 100);
    }

    [StoreFact]
    public async Task NagariSumsEqualTheKabupatenTotals()
    {
        var nagari = await AllItemsAsync("/api/indicators?level=village&parent=13.05&limit=1000");
        var kabupaten = (await Client.GetFromJsonAsync<JsonElement>("/api/units/13.05/indicators")).GetProperty("unit");

        Assert.Equal(kabupaten.GetProperty("population").GetInt64(), nagari.Sum(n => n.GetProperty("population").GetInt64()));
        Assert.Equal(kabupaten.GetProperty("households").GetInt64(), nagari.Sum(n => n.GetProperty("households").GetInt64()));
        Assert.Equal(kabupaten.GetProperty("towersTotal").GetInt32(), nagari.Sum(n => n.GetProperty("towersTotal").GetInt32()));
        Assert.Equal(kabupaten.GetProperty("villagesOnFibre").GetProperty("count").GetInt64(),
            nagari.Sum(n => n.GetProperty("villagesOnFibre").GetProperty("count").GetInt64()));
        Assert.Equal(kabupaten.GetProperty("fibreKm").GetProperty("existing").GetDouble(),
            nagari.Sum(n => n.GetProperty("fibreKm").GetProperty("existing").GetDouble()), 6);
        foreach (var t in new[] { "2g", "3g", "4g", "5g" })
        {
            var covered = nagari.Sum(n => n.GetProperty("coverage").GetProperty(t).GetProperty("populationCovered").GetDouble());
            Assert.Equal(kabupaten.GetProperty("coverage").GetProperty(t).GetProperty("populationCovered").GetDouble(), covered, 3);
            // Shares are recomputed from sums, never averaged.
            Assert.Equal(kabupaten.GetProperty("coverage").GetProperty(t).GetProperty("sharePercent").GetDouble(),
                100.0 * covered / kabupaten.GetProperty("population").GetInt64(), 9);
        }
    }

    [StoreFact]
    public async Task ResponsesCarryTheProvenanceWithEveryDefaultOption()
    {
        var health = await Client.GetFromJsonAsync<JsonElement>("/health");
        var response = await Client.GetAsync("/api/units/13.05.01/indicators");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var p = body.GetProperty("provenance");

        Assert.Equal(health.GetProperty("dataVersion").GetInt64(), p.GetProperty("dataVersion").GetInt64());
        Assert.Equal(ExpectedEngine, p.GetProperty("engine").GetString());
        Assert.Equal("1", p.GetProperty("rulesVersion").GetString());
        Assert.True(Guid.TryParse(p.GetProperty("setId").GetString(), out var setId));
        Assert.True(p.TryGetProperty("computedAt", out _));
        var o = p.GetProperty("options");
        Assert.Equal(500, o.GetProperty("fibreReachMetres").GetDouble());
        Assert.Equal(2000, o.GetProperty("householdReachMetres").GetDouble());
        Assert.Equal(2000, o.GetProperty("radiusMetres").GetProperty("4g").GetDouble());
        Assert.Equal(["0–25", "26–50", "51–75", "76–100"], o.GetProperty("bands").EnumerateArray().Select(b => b.GetString()!));
        Assert.Equal(setId.ToString(), response.Headers.GetValues("X-Indicator-Set").Single());
        Assert.Equal(ExpectedEngine, response.Headers.GetValues("X-Indicator-Engine").Single());
        Assert.Contains("fibreReachMetres=500", response.Headers.GetValues("X-Indicator-Options").Single(), StringComparison.Ordinal);

        // Stored and current: the next request answers with the same set.
        var again = await Client.GetFromJsonAsync<JsonElement>("/api/indicators?level=province&limit=1");
        Assert.Equal(setId.ToString(), again.GetProperty("provenance").GetProperty("setId").GetString());
    }

    [StoreFact]
    public async Task OptionParametersChangeTheResultAndAreReturned()
    {
        var wide = await Client.GetFromJsonAsync<JsonElement>("/api/units/13.05/indicators?fibreReachMetres=5000&radius4gMetres=4000&bands=20,40,60,80");
        var plain = await Client.GetFromJsonAsync<JsonElement>("/api/units/13.05/indicators");

        var o = wide.GetProperty("provenance").GetProperty("options");
        Assert.Equal(5000, o.GetProperty("fibreReachMetres").GetDouble());
        Assert.Equal(4000, o.GetProperty("radiusMetres").GetProperty("4g").GetDouble());
        Assert.Equal(5000, o.GetProperty("radiusMetres").GetProperty("2g").GetDouble());
        Assert.Equal(5, o.GetProperty("bands").GetArrayLength());
        Assert.NotEqual(plain.GetProperty("provenance").GetProperty("setId").GetString(), wide.GetProperty("provenance").GetProperty("setId").GetString());
        Assert.True(VillagesOnFibre(wide) >= VillagesOnFibre(plain));
        Assert.True(Share4g(wide) >= Share4g(plain));

        static long VillagesOnFibre(JsonElement d) => d.GetProperty("unit").GetProperty("villagesOnFibre").GetProperty("count").GetInt64();
        static double Share4g(JsonElement d) => d.GetProperty("unit").GetProperty("coverage").GetProperty("4g").GetProperty("sharePercent").GetDouble();
    }

    [StoreFact]
    public async Task BadParametersAre400ProblemsNamingTheParameterAndTheProblem()
    {
        (string Url, string Parameter, string Says)[] cases =
        [
            ("/api/indicators?fibreReachMetres=-5", "fibreReachMetres", "-5"),
            ("/api/units/13.05/indicators?householdReachMetres=far", "householdReachMetres", "far"),
            ("/api/indicators?radius4gMetres=0", "radius4gMetres", "more than zero"),
            ("/api/indicators?technology=6g", "technology", "6g"),
            ("/api/indicators?format=csv&technology=4g,lte", "technology", "lte"),
            ("/api/indicators?level=kelurahanx", "level", "kelurahanx"),
            ("/api/indicators?bands=25,x,75", "bands", "'x'"),
            ("/api/indicators?bands=50,25", "bands", "increase"),
            ("/api/indicators?bands=0,50", "bands", "outside"),
            ("/api/indicators?parent=13.5", "parent", "13.5"),
            ("/api/indicators?format=xml", "format", "xml"),
            ("/api/indicators?limit=5000", "limit", "1000"),
            ("/api/indicators?offset=-1", "offset", "-1"),
            ("/api/units/1305/indicators", "code", "1305"),
        ];
        foreach (var (url, parameter, says) in cases)
        {
            var response = await Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), $"no error for '{parameter}' at {url}: {problem}");
            Assert.Contains(says, messages[0].GetString(), StringComparison.Ordinal);
        }
    }

    [StoreFact]
    public async Task UnknownUnitOrParentIsA404Problem()
    {
        var unit = await Client.GetAsync("/api/units/13.05.99.2001/indicators");
        var parent = await Client.GetAsync("/api/indicators?parent=13.99");

        Assert.Equal(HttpStatusCode.NotFound, unit.StatusCode);
        Assert.Equal("application/problem+json", unit.Content.Headers.ContentType?.MediaType);
        Assert.Contains("13.05.99.2001", (await unit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, parent.StatusCode);
    }

    [StoreFact]
    public async Task CsvHasAHeaderRowAndOneRowPerUnitAndMatchesTheJson()
    {
        var response = await Client.GetAsync("/api/indicators?level=village&parent=13.05&format=csv");
        var text = await response.Content.ReadAsStringAsync();
        var json = await AllItemsAsync("/api/indicators?level=village&parent=13.05&limit=1000");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Link"));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(104, lines.Length);
        Assert.Equal(["code", "name", "level", "parent_code", "area_km2", "population"], header.Take(6));
        Assert.Contains("share_4g_pct", header);
        Assert.Contains("fibre_km_existing", header);
        var rows = lines.Skip(1).Select(ParseCsvLine).ToArray();
        Assert.All(rows, r => Assert.Equal(header.Length, r.Count));
        Assert.Equal(json.Select(Code), rows.Select(r => r[0]));
        var share = Array.IndexOf(header, "share_4g_pct");
        for (var i = 0; i < rows.Length; i++)
            Assert.Equal(json[i].GetProperty("coverage").GetProperty("4g").GetProperty("sharePercent").GetDouble(),
                double.Parse(rows[i][share], CultureInfo.InvariantCulture));
        Assert.Equal(json.Sum(j => j.GetProperty("population").GetInt64()),
            rows.Sum(r => long.Parse(r[Array.IndexOf(header, "population")], CultureInfo.InvariantCulture)));
        Assert.NotEmpty(response.Headers.GetValues("X-Data-Version").Single());
    }

    [StoreFact]
    public async Task AcceptTextCsvSelectsCsvAndTechnologySelectsCoverageColumnsAndPagesLinkOn()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/indicators?level=district&technology=4g&limit=10");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await Client.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(11, lines.Length);
        Assert.Contains("share_4g_pct", lines[0].Split(','));
        Assert.DoesNotContain("share_2g_pct", lines[0].Split(','));
        Assert.Contains("offset=10", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task OpenApiDocumentDescribesTheIndicatorEndpoints()
    {
        var doc = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");

        Assert.Equal("Readiness indicators of one unit", paths.GetProperty("/api/units/{code}/indicators").GetProperty("get").GetProperty("summary").GetString());
        var list = paths.GetProperty("/api/indicators").GetProperty("get");
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "radius4gMetres");
    }

    private static string Code(JsonElement unit) => unit.GetProperty("code").GetString()!;

    /// <summary>RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes).</summary>
    private static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}

public sealed class EmbeddedIndicatorApiTests(EmbeddedDemoApiFixture fixture) : IndicatorApiTests(fixture), IClassFixture<EmbeddedDemoApiFixture>
{
    protected override string ExpectedEngine => "embedded";
}

[RequiresPostGis]
public sealed class PostGisIndicatorApiTests(PostGisDemoApiFixture fixture) : IndicatorApiTests(fixture), IClassFixture<PostGisDemoApiFixture>
{
    protected override string ExpectedEngine => "postgis";
}
