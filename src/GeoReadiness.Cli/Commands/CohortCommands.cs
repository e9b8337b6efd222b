using System.Globalization;
using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Cohorts.Storage;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness cohort select</c>: choose a mentoring cohort from the store's readiness (docs/cohorts.md, "Command line").</summary>
public sealed class CohortSelectCommand : ICliCommand
{
    public string Name => "cohort select";
    public string Summary => "choose a mentoring cohort of K kab/kota under quotas (table, JSON, CSV or GeoJSON)";
    public string Usage => """
        usage: georeadiness cohort select --k N [--level regency] [--year YEAR]
                                     [--objective most_ready|most_to_gain|blend [--weight W]]
                                     [--min-per-island-group N] [--max-per-island-group N]
                                     [--min-per-province N] [--max-per-province N] [--min-3t N] [--min-band BAND]
                                     [--exclude CODES] [--units CODES] [--source readiness|forecast [--model ID]] [--noise SD] [--draws N]
                                     [--seed N] [--profile ID[@VERSION]] [--request FILE.json] [--save]
                                     [--format table|json|csv|geojson] [--data-dir DIR | --postgis CONNSTRING]

          Chooses the exact optimum of the objective over the units of the level that answered the questionnaire
          in the year (default: the latest), under the quotas, and measures each unit's selection frequency over
          --draws (default 1000) Monte-Carlo draws of an assessment noise of standard deviation --noise score
          points (default 3; 0: no draws), seeded by --seed (default 0). The request may come from --request (the
          JSON of POST /api/cohorts); options override its keys. --exclude 14.72,13.05 marks those units mentored
          before and leaves them out; --units limits the pool to the listed codes. --save stores the cohort with an
          id (see cohort show, cohort list).
          --source forecast scores with the registry's current forecast model (or --model ID): its forecast of
                    the round two years later from the year's answers, draws of its held-out error, reasons from
                    its feature contributions (--noise is not used)
          --format  table (default): the cohort and the borderline units with frequencies and the indicator that
                    helped most; json: the cohort (docs/cohorts.md, "The result"); csv: one row per selected then
                    borderline unit; geojson: those units' boundaries with the cohort's properties
        Exit codes: 0 chosen, 1 a bad request (each problem with its path), infeasible quotas or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "save" };

    private static readonly (string Option, string Key)[] NumberOptions =
    [
        ("k", "k"), ("year", "year"), ("draws", "draws"), ("min-per-island-group", "constraints.minPerIslandGroup"),
        ("max-per-island-group", "constraints.maxPerIslandGroup"), ("min-per-province", "constraints.minPerProvince"),
        ("max-per-province", "constraints.maxPerProvince"), ("min-3t", "constraints.min3T"), ("weight", "weight"), ("noise", "noise"),
        ("seed", "seed"),
    ];

    private static readonly (string Option, string Key)[] TextOptions =
        [("level", "level"), ("objective", "objective"), ("source", "source"), ("profile", "profile"), ("model", "model"), ("min-band", "constraints.minBand")];

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly([.. NumberOptions.Select(o => o.Option), .. TextOptions.Select(o => o.Option), "exclude", "units", "request", "save", "format",
            "data-dir", "postgis"]);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json", "csv", "geojson");
        var json = await RequestJsonAsync(args, cancellationToken);
        var (request, problems) = CohortRequestParser.Read(json.ToJsonString());
        if (request is null) return CohortCli.Report(problems, context);

        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        using var indicators = IndicatorCli.Service(store.Store, args);
        var models = new ForecastModelRegistry(ForecastModelRepositories.For(store.Store));
        var selection = await CohortSelector.SelectAsync(request, AssessmentRepositories.For(store.Store), indicators, models, cancellationToken);
        if (selection.Result is not { } result) return CohortCli.Report(selection.Problems, context);
        StoredCohort? saved = null;
        if (args.Flag("save"))
        {
            saved = await CohortSaving.SaveAsync(result, CohortRepositories.For(store.Store), cancellationToken);
            context.Error.WriteLine($"saved cohort {saved.Id:N}");
        }
        await CohortCli.WriteAsync(context.Out, format, result, saved, store.Store, cancellationToken);
        return 0;
    }

    /// <summary>The request's JSON: --request's object (or an empty one) with every option set at its key.</summary>
    private static async Task<JsonObject> RequestJsonAsync(CliArgs args, CancellationToken ct)
    {
        JsonObject root = [];
        if (args.Option("request") is { } file)
        {
            var text = await File.ReadAllTextAsync(ScenarioCli.Existing(file), ct);
            try
            {
                root = JsonNode.Parse(text) as JsonObject ?? throw new CliInputException($"{file}: the request must be a JSON object");
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new CliInputException($"{file}: not valid JSON: {e.Message}");
            }
        }
        void Set(string key, JsonNode? value)
        {
            var parts = key.Split('.');
            var target = root;
            if (parts.Length == 2)
            {
                if (root[parts[0]] is not JsonObject inner) root[parts[0]] = inner = [];
                target = inner;
            }
            target[parts[^1]] = value;
        }
        foreach (var (option, key) in NumberOptions)
            if (args.Option(option) is { } value)
                Set(key, double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? JsonNode.Parse(value) : JsonValue.Create(value));
        foreach (var (option, key) in TextOptions)
            if (args.Option(option) is { } value)
                Set(key, JsonValue.Create(value));
        if (args.Option("exclude") is { } exclude)
        {
            Set("mentoredBefore", new JsonArray([.. Codes(exclude).Select(c => (JsonNode?)JsonValue.Create(c))]));
            Set("constraints.excludeMentored", JsonValue.Create(true));
        }
        if (args.Option("units") is { } units)
            Set("units", new JsonArray([.. Codes(units).Select(c => (JsonNode?)JsonValue.Create(c))]));
        if (!root.ContainsKey("k")) throw new CliUsageException("--k is required (or a --request file with \"k\")");
        return root;
    }

    private static IEnumerable<string> Codes(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary><c>georeadiness cohort show ID</c>: a saved cohort.</summary>
public sealed class CohortShowCommand : ICliCommand
{
    public string Name => "cohort show";
    public string Summary => "show a saved cohort (table, JSON, CSV or GeoJSON)";
    public string Usage => """
        usage: georeadiness cohort show ID [--format table|json|csv|geojson] [--data-dir DIR | --postgis CONNSTRING]

          The cohort saved under ID (cohort select --save, POST /api/cohorts; see cohort list), as
          cohort select prints it; json is the saved document with its id and time.
        Exit codes: 0 shown, 1 unknown id or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("format", "data-dir", "postgis");
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one cohort ID (see georeadiness cohort list)");
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json", "csv", "geojson");
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var id = args.Positionals[0];
        if (!Guid.TryParseExact(id, "N", out var guid) || await CohortRepositories.For(store.Store).GetAsync(guid, cancellationToken) is not { } saved)
            throw new CliInputException($"no cohort '{id}' is saved (see georeadiness cohort list)");
        await CohortCli.WriteAsync(context.Out, format, CohortResult.FromJson(saved.Json), saved, store.Store, cancellationToken);
        return 0;
    }
}

/// <summary><c>georeadiness cohort list</c>: the saved cohorts.</summary>
public sealed class CohortListCommand : ICliCommand
{
    public string Name => "cohort list";
    public string Summary => "list the saved cohorts, most recent first";
    public string Usage => """
        usage: georeadiness cohort list [--data-dir DIR | --postgis CONNSTRING]

          One line per saved cohort: id, time saved, K, objective, level, year, seed and request hash.
        Exit codes: 0 listed, 1 store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        if (args.Positionals.Count != 0) throw new CliUsageException("cohort list takes no arguments");
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken) ?? await ImportCli.OpenDefaultStoreAsync(cancellationToken);
        var cohorts = await CohortRepositories.For(store.Store).ListAsync(cancellationToken);
        if (cohorts.Count == 0) context.Out.WriteLine("no saved cohorts (georeadiness cohort select --save)");
        foreach (var c in cohorts)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Id:N}  {c.CreatedAt:u}  k {c.K}  {c.Objective}  {c.Level ?? "–"} {(c.Year is { } y ? y.ToString(CultureInfo.InvariantCulture) : "–")}  seed {c.Seed}  request {c.RequestSha256[..12]}…"));
        return 0;
    }
}

/// <summary>What the cohort commands share: problems on stderr, and the outputs.</summary>
internal static class CohortCli
{
    /// <summary>Prints every problem with its path on stderr; exit code 1.</summary>
    public static int Report(IReadOnlyList<Simulation.Assessment.ProfileProblem> problems, CliContext context)
    {
        foreach (var p in problems) context.Error.WriteLine($"cohort request: {p}");
        context.Error.WriteLine($"{problems.Count} problem(s): no cohort chosen");
        return 1;
    }

    public static async Task WriteAsync(TextWriter w, string format, CohortResult result, StoredCohort? saved, ISpatialStore store, CancellationToken ct)
    {
        switch (format)
        {
            case "json":
                w.WriteLine(saved?.Document() ?? result.ToJson());
                return;
            case "csv":
                w.Write(CohortOutputs.ToCsv(result));
                return;
            case "geojson":
                try
                {
                    w.WriteLine(await CohortOutputs.ToGeoJsonAsync(result, store, ct));
                }
                catch (KeyNotFoundException e)
                {
                    throw new CliInputException(e.Message);
                }
                return;
            default:
                WriteTable(w, result, saved);
                return;
        }
    }

    private static void WriteTable(TextWriter w, CohortResult result, StoredCohort? saved)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = result.Summary;
        var p = result.Provenance;
        w.WriteLine(string.Create(ic, $"cohort {(saved is null ? "(not saved)" : saved.Id.ToString("N"))}: k {s.K} of {s.Eligible} eligible ({s.Requested} requested), "
            + $"{s.Objective}, total {s.Total:F2}, 3T {s.ThreeT}, draws {s.Draws}, stable {(s.Stable is { } st ? st.ToString(ic) : "–")} of {s.K}"));
        w.WriteLine(string.Create(ic, $"seed {p.Seed}, request sha256 {p.RequestSha256[..12]}…, {string.Join(", ", p.Versions.Select(v => $"{v.Key} {v.Value}"))}"));
        w.WriteLine("island groups: " + string.Join(", ", s.IslandGroups.Select(g => $"{g.Id} {g.Selected}/{g.Eligible}")));
        w.WriteLine();
        w.WriteLine($"{"status",-10} {"rank",4} {"code",-6} {"name",-28} {"group",-18} {"3T",2} {"ready",6} {"obj",7} {"freq",6} {"P(topK)",7}  helped most / held back most");
        foreach (var (status, e) in CohortOutputs.Rows(result))
            w.WriteLine(string.Create(ic,
                $"{status,-10} {(e.Rank is { } r ? r.ToString(ic) : ""),4} {e.Code,-6} {Cut(e.Name, 28),-28} {e.IslandGroup.WireName(),-18} {(e.ThreeT ? "3T" : ""),2} "
                + $"{e.Ready,6:F1} {e.Objective,7:F2} {ReadinessCli.N(e.Frequency, "P0"),6} {ReadinessCli.N(e.ProbabilityTopK, "P0"),7}  "
                + $"{e.Reasons?.Helped.FirstOrDefault()?.Label.En ?? "–"} / {e.Reasons?.HeldBack.FirstOrDefault()?.Label.En ?? "–"}"));
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
