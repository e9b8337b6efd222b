using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness readiness</c>, <c>readiness show</c> and <c>profiles list|add|validate</c> on each store with the
/// demo dataset: the ranked table and its CSV agree, Dumai's explanation adds up, a saved profile is used by name,
/// and bad input is an error that says what is wrong.
/// </summary>
public abstract class ReadinessCommandTests : StoreCommandTests
{
    [StoreFact]
    public async Task TheTableAndItsCsvRankTheSameRegencies()
    {
        var table = await RunAsync(["readiness", "--top", "3", .. StoreArgs]);
        var csv = await RunAsync(["readiness", "--format", "csv", .. StoreArgs]);

        Assert.True(table.Exit == 0, table.Out + table.Err);
        Assert.Contains("514 regency units assessed in 2019", table.Out, StringComparison.Ordinal);
        Assert.Contains("profile kominfo-2019 1.0.0", table.Out, StringComparison.Ordinal);
        var csvLines = csv.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(515, csvLines.Length);
        var firstCode = csvLines[1].Split(',')[1];
        Assert.Matches($@"\n +1 {firstCode.Replace(".", @"\.", StringComparison.Ordinal)} ", table.Out);
        Assert.Equal(3, table.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ +\d+ \d\d\.\d\d ")));
    }

    [StoreFact]
    public async Task ShowExplainsDumaisPublishedRowAndTheContributionsAddUp()
    {
        var text = await RunAsync(["readiness", "show", "14.72", "--year", "2019", .. StoreArgs]);
        var json = await RunAsync(["readiness", "show", "14.72", "--format", "json", .. StoreArgs]);

        Assert.True(text.Exit == 0, text.Out + text.Err);
        Assert.Matches(@"coverage_4g_pct +50 % 26–50 % +50 +15 ", text.Out);
        Assert.Matches(@"fixed_broadband_pct +50 % 26–50 % +50 +15 ", text.Out);
        Assert.Matches(@"ict_staff_pct +3 % 1–3 % +60 +30 ", text.Out);
        Assert.Matches(@"s2_staff_pct +14\.1 % > 3 % +100 +20 ", text.Out);
        Assert.Contains("not used: spatial share_4g_pct unavailable: the population of 14.72 is not placed by population cells", text.Out, StringComparison.Ordinal);
        var assessment = JsonDocument.Parse(json.Out).RootElement.GetProperty("assessment");
        Assert.Equal(assessment.GetProperty("score").GetDouble(),
            assessment.GetProperty("indicators").EnumerateArray().Sum(l => l.GetProperty("contribution").GetDouble()), 1e-9);
        Assert.Equal("regency", assessment.GetProperty("level").GetString());
    }

    [StoreFact]
    public async Task ASavedProfileIsValidatedListedAndUsedByName()
    {
        var profile = JsonNode.Parse(AssessmentProfiles.Default.Json)!.AsObject();
        profile["id"] = "kominfo-infra-heavy";
        profile["pillars"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["id"] == "infrastruktur")["weight"] = 50;
        profile["pillars"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["id"] == "struktur")["weight"] = 20;
        var good = Dir.File("infra-heavy.json");
        await File.WriteAllTextAsync(good, profile.ToJsonString());
        profile["pillars"]!.AsArray().Select(p => p!.AsObject()).Single(p => (string?)p["id"] == "struktur")["weight"] = 25;
        var bad = Dir.File("bad.json");
        await File.WriteAllTextAsync(bad, profile.ToJsonString());

        var valid = await RunAsync("profiles", "validate", good);
        var invalid = await RunAsync("profiles", "validate", bad);
        var added = await RunAsync(["profiles", "add", good, .. StoreArgs]);
        var again = await RunAsync(["profiles", "add", good, .. StoreArgs]);
        var list = await RunAsync(["profiles", "list", .. StoreArgs]);
        var scored = await RunAsync(["readiness", "show", "14.72", "--profile", "kominfo-infra-heavy", .. StoreArgs]);

        Assert.Equal(0, valid.Exit);
        Assert.Equal(1, invalid.Exit);
        Assert.Contains("pillars: pillar weights sum to 105", invalid.Out, StringComparison.Ordinal);
        Assert.True(added.Exit == 0, added.Out + added.Err);
        Assert.StartsWith("saved kominfo-infra-heavy 1.0.0", added.Out, StringComparison.Ordinal);
        Assert.StartsWith("already saved", again.Out, StringComparison.Ordinal);
        Assert.Matches(@"kominfo-infra-heavy +1\.0\.0 +saved", list.Out);
        Assert.Matches(@"kominfo-2019 +1\.0\.0 +built-in, default", list.Out);
        Assert.True(scored.Exit == 0, scored.Out + scored.Err);
        Assert.Contains("profile kominfo-infra-heavy 1.0.0", scored.Out, StringComparison.Ordinal);
        Assert.Contains("(weight 50, effective 0.500)", scored.Out, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task AnUnknownProfileOrYearIsAnInputErrorAndABadFormatAUsageError()
    {
        var profile = await RunAsync(["readiness", "--profile", "nope", .. StoreArgs]);
        var year = await RunAsync(["readiness", "show", "14.72", "--year", "2021", .. StoreArgs]);
        var format = await RunAsync(["readiness", "--format", "xml", .. StoreArgs]);

        Assert.Equal(1, profile.Exit);
        Assert.Contains("no profile 'nope'; profiles: kominfo-2019, spbe-2020", profile.Err, StringComparison.Ordinal);
        Assert.Equal(1, year.Exit);
        Assert.Contains("Kota Dumai (14.72): no questionnaire answers for 2021; years with answers: 2019", year.Err, StringComparison.Ordinal);
        Assert.Equal(2, format.Exit);
    }
}

public sealed class EmbeddedReadinessCommandTests : ReadinessCommandTests
{
    protected override string[] StoreArgs => ["--data-dir", Dir.File("store")];

    public override Task InitializeAsync() => LoadDemoAsync();
}

[RequiresPostGis]
public sealed class PostGisReadinessCommandTests : ReadinessCommandTests
{
    protected override string[] StoreArgs => PostGisArgs;

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        await LoadDemoAsync();
    }
}
