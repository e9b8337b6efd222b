using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Api.Tests;

/// <summary>The units API over each store: the same requests give the same answers on PostGIS and embedded.</summary>
public abstract class UnitApiTests : IAsyncLifetime
{
    private ApiFactory _factory = null!;
    private HttpClient _client = null!;

    protected abstract Task<ApiFactory> CreateFactoryAsync();
    protected abstract string ExpectedStoreKind { get; }

    public virtual async Task InitializeAsync()
    {
        _factory = await CreateFactoryAsync();
        _client = _factory.CreateClient();
        await _factory.Store.ApplyAsync(new DatasetChange { Source = "test", Units = TestUnits.Hierarchy(25) });
    }

    public virtual async Task DisposeAsync() => await _factory.DisposeAsync();

    [StoreFact]
    public async Task HealthReportsStoreKindVersionAndCountsPerLevel()
    {
        var health = await _client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(ExpectedStoreKind, health.GetProperty("store").GetString());
        Assert.Equal(1, health.GetProperty("dataVersion").GetInt64());
        var units = health.GetProperty("units");
        Assert.Equal(1, units.GetProperty("province").GetInt32());
        Assert.Equal(1, units.GetProperty("regency").GetInt32());
        Assert.Equal(1, units.GetProperty("district").GetInt32());
        Assert.Equal(25, units.GetProperty("village").GetInt32());
    }

    [StoreFact]
    public async Task UnitByCodeReturnsItsBoundaryAsGeoJson()
    {
        var unit = await _client.GetFromJsonAsync<JsonElement>("/api/units/13.05.01.2003");
        Assert.Equal("13.05.01.2003", unit.GetProperty("code").GetString());
        Assert.Equal("village", unit.GetProperty("level").GetString());
        Assert.Equal("nagari", unit.GetProperty("kind").GetString());
        Assert.Equal("13.05.01", unit.GetProperty("parentCode").GetString());
        Assert.Equal(1003, unit.GetProperty("population").GetInt64());
        Assert.Equal("MultiPolygon", unit.GetProperty("geometry").GetProperty("type").GetString());
    }

    [StoreFact]
    public async Task UnknownCodeIsA404ProblemNamingTheCode()
    {
        var response = await _client.GetAsync("/api/units/13.99");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("13.99", problem.GetProperty("detail").GetString());
    }

    [StoreFact]
    public async Task BadParametersAre400ProblemsNamingTheParameter()
    {
        (string Url, string Parameter)[] cases =
        [
            ("/api/units/1305", "code"),
            ("/api/units?level=kabupaten", "level"),
            ("/api/units?parent=13.5", "parent"),
            ("/api/units?limit=5000", "limit"),
            ("/api/units?offset=-1", "offset"),
            ("/api/units?bbox=100,-1,nope,0", "bbox"),
            ("/api/units?bbox=101,-1,100,0", "bbox"),
        ];
        foreach (var (url, parameter) in cases)
        {
            var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"no error for '{parameter}' at {url}: {problem}");
        }
    }

    [StoreFact]
    public async Task ParentMatchesAnyAncestorAndPagesFollowNextLinks()
    {
        var codes = new List<string>();
        string? url = "/api/units?level=village&parent=13.05&limit=10";
        var pages = 0;
        while (url is not null)
        {
            var page = await _client.GetFromJsonAsync<JsonElement>(url);
            codes.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!));
            Assert.False(page.GetProperty("items")[0].TryGetProperty("geometry", out _));
            url = page.TryGetProperty("next", out var next) ? new Uri(next.GetString()!).PathAndQuery : null;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(25, codes.Count);
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
        Assert.All(codes, c => Assert.StartsWith("13.05.01.", c));
    }

    [StoreFact]
    public async Task UnknownParentIsA404()
    {
        var response = await _client.GetAsync("/api/units?level=village&parent=13.06");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [StoreFact]
    public async Task BboxSelectsUnitsWhoseBoundaryIntersects()
    {
        // Village 13.05.01.2001 covers 100.11..100.12 E, -0.90..-0.89 S; the box touches only villages near it.
        var page = await _client.GetFromJsonAsync<JsonElement>("/api/units?level=village&bbox=100.115,-0.895,100.116,-0.894");
        var codes = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToArray();
        Assert.Equal(new[] { "13.05.01.2001" }, codes);
    }

    [StoreFact]
    public async Task OpenApiDocumentDescribesTheEndpoints()
    {
        var doc = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/health", out _));
        Assert.True(paths.TryGetProperty("/api/units/{code}", out var unit));
        Assert.Equal("One administrative unit by its Kemendagri code", unit.GetProperty("get").GetProperty("summary").GetString());
        Assert.True(paths.TryGetProperty("/api/units", out _));
    }
}

public sealed class EmbeddedUnitApiTests : UnitApiTests
{
    protected override string ExpectedStoreKind => "embedded";
    protected override Task<ApiFactory> CreateFactoryAsync() => Task.FromResult(new ApiFactory());
}

[RequiresPostGis]
public sealed class PostGisUnitApiTests : UnitApiTests
{
    private PostGisDatabase? _database;

    protected override string ExpectedStoreKind => "postGis";

    protected override async Task<ApiFactory> CreateFactoryAsync()
    {
        _database = await PostGisDatabase.CreateAsync();
        return new ApiFactory(_database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}

/// <summary>A PostGIS server that goes away after start: /health says 503 with a problem document, never 500.</summary>
[RequiresPostGis]
public sealed class PostGisOutageTests
{
    [StoreFact]
    public async Task HealthIs503WhenTheDatabaseGoesAway()
    {
        var database = await PostGisDatabase.CreateAsync();
        await using var factory = new ApiFactory(database.ConnectionString);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await database.DisposeAsync(); // DROP DATABASE … WITH (FORCE) ends the server's connections

        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Store unavailable", problem.GetProperty("title").GetString());
    }
}
