using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.EndToEnd.Tests;

/// <summary>The README's run command, as a user meets it: the built server as a process on the demo data.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "gr-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDir)) Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task AFreshServerServesTheDemoDataWithoutADatabaseAndKeepsItAcrossARestart()
    {
        var env = new Dictionary<string, string> { ["GEOREADINESS_DATA_DIR"] = _dataDir };
        long version;
        await using (var server = await ServerProcess.StartAsync(env))
        {
            using var client = server.CreateClient();
            var health = await client.GetFromJsonAsync<JsonElement>("/health");
            Assert.Equal("embedded", health.GetProperty("store").GetString());
            AssertDemoCounts(health);
            version = health.GetProperty("dataVersion").GetInt64();
            await AssertPadangPariamanAsync(client);
        }
        Assert.True(File.Exists(Path.Combine(_dataDir, "store.bin")), "the embedded store was not persisted in GEOREADINESS_DATA_DIR");
        await using (var store = await EmbeddedStore.OpenAsync(_dataDir)) await AssertDemoQuestionnaireAsync(store);

        await using (var restarted = await ServerProcess.StartAsync(env))
        {
            using var client = restarted.CreateClient();
            var health = await client.GetFromJsonAsync<JsonElement>("/health");
            AssertDemoCounts(health);
            Assert.Equal(version, health.GetProperty("dataVersion").GetInt64()); // not seeded twice
        }
    }

    [PostGisFact]
    public async Task AServerPointedAtPostGisMigratesAndSeedsTheDatabase()
    {
        await using var database = await PostGisDatabase.CreateAsync();
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__PostGis"] = database.ConnectionString,
            ["GEOREADINESS_DATA_DIR"] = _dataDir,
        };
        await using var server = await ServerProcess.StartAsync(env);
        using var client = server.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("postGis", health.GetProperty("store").GetString());
        AssertDemoCounts(health);
        await AssertPadangPariamanAsync(client);
        Assert.False(File.Exists(Path.Combine(_dataDir, "store.bin")), "PostGIS mode must not write an embedded store");
        await using var store = await PostGisStore.OpenAsync(database.ConnectionString);
        await AssertDemoQuestionnaireAsync(store);
    }

    private static void AssertDemoCounts(JsonElement health)
    {
        var units = health.GetProperty("units");
        Assert.Equal(38, units.GetProperty("province").GetInt32());
        Assert.True(units.GetProperty("regency").GetInt32() >= 200, $"regencies: {units}");
        Assert.Equal(17, units.GetProperty("district").GetInt32());
        Assert.Equal(103, units.GetProperty("village").GetInt32());
        var layers = health.GetProperty("layers");
        Assert.True(layers.GetProperty("towers").GetInt32() >= 80, $"layers: {layers}");
        Assert.True(layers.GetProperty("fibreRoutes").GetInt32() > 0, $"layers: {layers}");
        Assert.True(layers.GetProperty("facilities").GetInt32() >= 17 + 103, $"layers: {layers}");
        Assert.True(layers.GetProperty("populationCells").GetInt32() > 0, $"layers: {layers}");
    }

    /// <summary>The seeding stored the demo questionnaire in the store's assessment repository.</summary>
    private static async Task AssertDemoQuestionnaireAsync(ISpatialStore store)
    {
        var questionnaire = await AssessmentRepositories.For(store).GetQuestionnaireAsync();
        Assert.Equal(1, questionnaire.Version);
        Assert.Equal(514, questionnaire.Rows.Count);
        Assert.Equal(159_913, questionnaire.Find("14.72", 2019)!.Values["pop_4g"]);
    }

    private static async Task AssertPadangPariamanAsync(HttpClient client)
    {
        var nagari = await client.GetFromJsonAsync<JsonElement>("/api/units?level=village&parent=13.05&limit=1000");
        Assert.Equal(103, nagari.GetProperty("numberReturned").GetInt32());
        var sum = nagari.GetProperty("items").EnumerateArray().Sum(n => n.GetProperty("population").GetInt64());
        var kabupaten = await client.GetFromJsonAsync<JsonElement>("/api/units/13.05");
        Assert.Equal(sum, kabupaten.GetProperty("population").GetInt64());
        Assert.InRange(sum, 400_000, 460_000);

        var dumai = await client.GetFromJsonAsync<JsonElement>("/api/units/14.72");
        Assert.Equal(319_827, dumai.GetProperty("population").GetInt64());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/units/13.05.99")).StatusCode);
    }
}
