using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// <c>georeadiness cohort select|show|list</c> on each store with the demo dataset (514 kab/kota answered in 2019):
/// the issue's request selects 50 meeting every quota, the same request from options or from a file gives the same
/// bytes, a saved cohort is listed and shown as JSON, CSV and GeoJSON, and impossible or malformed requests are
/// errors that name what is wrong.
/// </summary>
public abstract partial class CohortCommandTests : StoreCommandTests
{
    private static readonly string[] IssueOptions =
    [
        "cohort", "select", "--k", "50", "--level", "regency", "--year", "2019", "--objective", "most_ready",
        "--min-per-island-group", "3", "--max-per-province", "5", "--min-3t", "5", "--seed", "5", "--draws", "100",
    ];

    [GeneratedRegex("saved cohort ([0-9a-f]{32})")]
    private static partial Regex SavedId();

    [StoreFact]
    public async Task TheIssuesRequestSelectsFiftyTheSameFromAFileAndIsSavedListedAndShown()
    {
        var options = await RunAsync([.. IssueOptions, "--format", "json", .. StoreArgs]);
        var request = Dir.File("request.json");
        await File.WriteAllTextAsync(request, """
            {"seed": 5, "draws": 100, "constraints": {"min3T": 5, "maxPerProvince": 5, "minPerIslandGroup": 3},
             "objective": "most_ready", "year": 2019, "level": "regency", "k": 50}
            """);
        var file = await RunAsync(["cohort", "select", "--request", request, "--format", "json", .. StoreArgs]);

        Assert.True(options.Exit == 0, options.Out + options.Err);
        Assert.Equal(options.Out, file.Out);
        var cohort = JsonDocument.Parse(options.Out).RootElement;
        var selected = cohort.GetProperty("selected").EnumerateArray().ToArray();
        Assert.Equal(50, selected.Length);
        Assert.All(selected.GroupBy(s => s.GetProperty("islandGroup").GetString()), g => Assert.True(g.Count() >= 3));
        Assert.Equal(7, selected.Select(s => s.GetProperty("islandGroup").GetString()).Distinct().Count());
        Assert.All(selected.GroupBy(s => s.GetProperty("provinceCode").GetString()), g => Assert.True(g.Count() <= 5));
        Assert.True(selected.Count(s => s.GetProperty("threeT").GetBoolean()) >= 5);
        Assert.All(selected, s => Assert.True(s.TryGetProperty("frequency", out _) && s.GetProperty("reasons").GetProperty("helped").GetArrayLength() > 0));

        var saved = await RunAsync([.. IssueOptions, "--save", .. StoreArgs]);
        Assert.True(saved.Exit == 0, saved.Out + saved.Err);
        Assert.Matches(@"k 50 of 514 eligible", saved.Out);
        var id = SavedId().Match(saved.Err).Groups[1].Value;
        Assert.Contains(id, (await RunAsync(["cohort", "list", .. StoreArgs])).Out, StringComparison.Ordinal);

        var shown = await RunAsync(["cohort", "show", id, "--format", "json", .. StoreArgs]);
        var document = JsonDocument.Parse(shown.Out).RootElement;
        Assert.Equal(id, document.GetProperty("id").GetString());
        Assert.Equal(cohort.GetProperty("selected").GetRawText(), document.GetProperty("selected").GetRawText());
        var csv = (await RunAsync(["cohort", "show", id, "--format", "csv", .. StoreArgs])).Out.TrimEnd('\n').Split('\n');
        Assert.StartsWith("status,rank,code,name,", csv[0], StringComparison.Ordinal);
        Assert.Equal(50, csv.Count(l => l.StartsWith("selected,", StringComparison.Ordinal)));
        var map = JsonDocument.Parse((await RunAsync(["cohort", "show", id, "--format", "geojson", .. StoreArgs])).Out).RootElement;
        Assert.Equal(csv.Length - 1, map.GetProperty("features").GetArrayLength());
    }

    [StoreFact]
    public async Task ImpossibleQuotasMalformedValuesAndUnknownIdsAreErrorsThatNameThem()
    {
        var infeasible = await RunAsync(["cohort", "select", "--k", "20", "--year", "2019", "--min-per-island-group", "3", "--max-per-province", "1",
            "--draws", "0", .. StoreArgs]);
        Assert.Equal(1, infeasible.Exit);
        Assert.Contains("constraints.minPerIslandGroup: minPerIslandGroup 3 × 7 groups = 21 > k 20", infeasible.Err, StringComparison.Ordinal);

        var malformed = await RunAsync(["cohort", "select", "--k", "fifty", "--objective", "best", "--exclude", "14.72,x", .. StoreArgs]);
        Assert.Equal(1, malformed.Exit);
        Assert.Contains("k: \"fifty\" is not a whole number", malformed.Err, StringComparison.Ordinal);
        Assert.Contains("objective: \"best\" is not an objective", malformed.Err, StringComparison.Ordinal);
        Assert.Contains("mentoredBefore[1]: \"x\" is not a Kemendagri code", malformed.Err, StringComparison.Ordinal);

        Assert.Equal(2, (await RunAsync(["cohort", "select", "--year", "2019", .. StoreArgs])).Exit);
        var unknown = await RunAsync(["cohort", "show", new string('0', 32), .. StoreArgs]);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no cohort", unknown.Err, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task TheForecastSourceScoresWithTheCurrentModelItsErrorDrawsAndItsReasons()
    {
        string[] select = ["cohort", "select", "--k", "20", "--year", "2019", "--source", "forecast", "--min-per-island-group", "2", "--seed", "9",
            "--draws", "100", "--format", "json", .. StoreArgs];
        var none = await RunAsync(select);
        Assert.Equal(1, none.Exit);
        Assert.Contains("source: the model registry has no current forecast model", none.Err, StringComparison.Ordinal);
        var train = await RunAsync(["model", "train", "--synthetic", "--promote", .. StoreArgs]);
        Assert.True(train.Exit == 0, train.Out + train.Err);
        var model = Regex.Match(train.Out + train.Err, "fm-[0-9a-f]{16}").Value;

        var forecast = await RunAsync(select);
        var again = await RunAsync([.. select, "--model", model]);

        Assert.True(forecast.Exit == 0, forecast.Out + forecast.Err);
        var cohort = JsonDocument.Parse(forecast.Out).RootElement;
        var versions = cohort.GetProperty("provenance").GetProperty("versions");
        Assert.Equal(("forecast", model, "2021"), (versions.GetProperty("source").GetString(), versions.GetProperty("model").GetString(),
            versions.GetProperty("forecastYear").GetString()));
        var selected = cohort.GetProperty("selected").EnumerateArray().ToArray();
        Assert.Equal(20, selected.Length);
        Assert.All(selected.GroupBy(s => s.GetProperty("islandGroup").GetString()), g => Assert.True(g.Count() >= 2));
        Assert.All(selected, s =>
        {
            var reasons = s.GetProperty("reasons");
            Assert.Equal(("forecast", model), (reasons.GetProperty("source").GetString(), reasons.GetProperty("modelVersion").GetString()));
            Assert.InRange(s.GetProperty("frequency").GetDouble(), 0, 1);
        });
        Assert.Equal(100, cohort.GetProperty("summary").GetProperty("draws").GetInt32());
        // naming the current model explicitly is the same request but for the model key: the same cohort
        Assert.Equal(cohort.GetProperty("selected").GetRawText(), JsonDocument.Parse(again.Out).RootElement.GetProperty("selected").GetRawText());
    }
}

public sealed class EmbeddedCohortCommandTests : CohortCommandTests
{
    protected override string[] StoreArgs => ["--data-dir", Dir.File("store")];

    public override Task InitializeAsync() => LoadDemoAsync();
}

[RequiresPostGis]
public sealed class PostGisCohortCommandTests : CohortCommandTests
{
    protected override string[] StoreArgs => PostGisArgs;

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        await LoadDemoAsync();
    }
}
