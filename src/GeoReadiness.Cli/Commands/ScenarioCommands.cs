using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Forecasting.Storage;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness scenario validate FILE</c>: the document's problems, and the store checks when a store is given.</summary>
public sealed class ScenarioValidateCommand : ICliCommand
{
    public string Name => "scenario validate";
    public string Summary => "check a scenario document (and, with a store, its units, routes and towers)";
    public string Usage => """
        usage: georeadiness scenario validate FILE [--data-dir DIR | --postgis CONNSTRING]

          Checks a scenario document (docs/scenarios.md) and prints every problem with the path of its entry,
          e.g. "interventions[fibre-nagari].completion.probability: …". With --data-dir or --postgis it also
          makes the checks that need the store: the profile exists, the units, villages, planned routes and
          towers exist, drawn routes and new towers lie inside the scenario's units, and for "scoring": "ml" the
          model registry holds its model (the named one, else a current one).
        Exit codes: 0 valid, 1 problems, file not found or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("data-dir", "postgis");
        var file = ScenarioCli.File(args);
        var scenario = await ScenarioCli.ParseAsync(file, context, cancellationToken);
        if (scenario is null) return 1;
        await using var store = await ImportCli.OpenStoreAsync(args, cancellationToken);
        var checks = "";
        if (store is not null)
        {
            var profiles = ProfileCatalog.From(await AssessmentRepositories.For(store.Store).GetProfilesAsync(cancellationToken));
            var problems = (await ScenarioPreparation.CheckStoreAsync(scenario, profiles, new StoreScenarioSource(store.Store, IndicatorOptions.Default), cancellationToken)).ToList();
            if (await ScenarioScoringModels.RegistryProblemAsync(scenario, ForecastModelRepositories.For(store.Store), cancellationToken) is { } model)
                problems.Add(model);
            if (ScenarioCli.Report(file, problems, context)) return 1;
            checks = string.Create(CultureInfo.InvariantCulture, $"; {scenario.StoreChecks.Count} store checks passed");
        }
        else checks = "; store checks not made (give --data-dir or --postgis)";
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"valid: {scenario.Id} {scenario.Version}, {scenario.Interventions.Count} interventions, units {string.Join(", ", scenario.Units)}, years {scenario.BaseYear + 1}–{scenario.BaseYear + scenario.Horizon}{checks}"));
        return 0;
    }
}

/// <summary><c>georeadiness scenario run FILE</c>: the Monte-Carlo run of a scenario on the store's data.</summary>
public sealed class ScenarioRunCommand : ICliCommand
{
    public string Name => "scenario run";
    public string Summary => "run a scenario's Monte-Carlo simulation (summary table or JSON)";
    public string Usage => """
        usage: georeadiness scenario run FILE [--draws N] [--seed N] [--format table|json]
                                    [--data-dir DIR | --postgis CONNSTRING]

          Validates the document and its store checks, builds the footprint of its routes and towers on the
          store, takes each unit's questionnaire answers of the base year (else of the latest year before it,
          else of the earliest after it, noted on stderr) and the current indicator set, and draws until the
          document's sampling rule is met. Progress goes to stderr. A document with "scoring": "ml" is scored
          by the store's current forecast model (or the one its "model" names; docs/scenarios.md).
          --draws   exactly N draws instead of the sampling rule, rounded up to whole chunks of the document's
                    chunkSize (no tolerance applies; the result's tolerance is the largest score SE reached)
          --seed    the root seed instead of the document's (the same seed gives byte-identical results)
          --format  table (default): per unit and year the shares, the score and its spread, P(next band), the
                    baseline and the cumulative cost; json: the full result (docs/scenarios.md) on stdout
        Exit codes: 0 run, 1 file not found, invalid document, failed store checks, no fitting forecast model
        for "scoring": "ml", units the engine refuses
        (e.g. without population cells) or store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("draws", "seed", "format", "data-dir", "postgis");
        var file = ScenarioCli.File(args);
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json");
        var overrides = ScenarioCli.RunOverrides(args);
        var scenario = await ScenarioCli.ParseAsync(file, context, cancellationToken);
        if (scenario is null) return 1;

        await using var inputs = await ReadinessCli.LoadAsync(args, context, cancellationToken);
        var run = await RunAsync(file, overrides, scenario, inputs, context, cancellationToken);
        if (run is null) return 1;
        if (format == "json") context.Out.WriteLine(run.ToJson());
        else ScenarioCli.WriteTable(context.Out, scenario, run);
        return 0;
    }

    /// <summary>
    /// Prepares <paramref name="scenario"/> on the store (store checks, footprint, unit data; notes on stderr) and draws
    /// it with a progress bar on stderr; null after printing the problems when the store checks fail.
    /// </summary>
    /// <param name="overrides">--draws and --seed, applied to the scenario (with --draws the result's tolerance is the largest score SE reached)</param>
    /// <exception cref="CliInputException">the engine refuses a unit or the sampling rule is not met</exception>
    internal static async Task<ScenarioRun?> RunAsync(string file, RunOverride overrides, Scenario document, ReadinessCli.Inputs inputs,
        CliContext context, CancellationToken cancellationToken)
    {
        var scenario = overrides.Apply(document);
        var progress = new ProgressReporter(context.Error, context.ErrorIsTerminal);
        PreparedScenario prepared;
        try
        {
            var baseline = new ScenarioBaseline(inputs.Profiles, inputs.Questionnaire, inputs.Indicators.Units, inputs.Indicators.DataVersion);
            prepared = await ScenarioPreparation.PrepareAsync(scenario, baseline, new StoreScenarioSource(inputs.Store, inputs.Indicators.Options),
                new Progress(stage => progress.Report(new IndicatorProgress(stage, 0, 0))), cancellationToken);
            if (scenario.Scoring == ScenarioScoring.Ml) progress.Report(new IndicatorProgress("loading the forecast model", 0, 0));
            prepared = prepared with
            {
                Inputs = await ScenarioScoringModels.WithModelAsync(scenario, prepared.Inputs,
                    new ForecastModelRegistry(ForecastModelRepositories.For(inputs.Store)), cancellationToken),
            };
        }
        catch (ScenarioValidationException e)
        {
            progress.Finish();
            ScenarioCli.Report(file, e.Problems, context);
            return null;
        }
        foreach (var note in prepared.Notes) { progress.Finish(); context.Error.WriteLine("note: " + note); }

        ScenarioRun run;
        try
        {
            run = MonteCarloEngine.Run(scenario, prepared.Inputs, new SamplingOptions
            {
                Progress = new DrawProgress(progress, context.ErrorIsTerminal, scenario.Sampling),
                CancellationToken = cancellationToken,
            });
        }
        catch (Exception e) when (e is ArgumentException or SamplingToleranceException)
        {
            progress.Finish();
            throw new CliInputException(ScenarioCli.Message(e));
        }
        progress.Finish();
        return overrides.Finish(run);
    }

    /// <summary>An <see cref="IProgress{T}"/> of stage names, reported synchronously (the reporter is thread-safe).</summary>
    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    /// <summary>The draws combined so far: a bar towards minDraws (or the draws done past it) on a terminal, a line per chunk otherwise.</summary>
    private sealed class DrawProgress(ProgressReporter reporter, bool terminal, SamplingRule rule) : IProgress<int>
    {
        public void Report(int value)
        {
            if (terminal) reporter.Report(new IndicatorProgress("drawing", value, Math.Max(value, rule.MinDraws)));
            else reporter.Report(new IndicatorProgress(
                string.Create(CultureInfo.InvariantCulture, $"drawing chunk {(value + rule.ChunkSize - 1) / rule.ChunkSize} ({value} draws)"), 0, 0));
        }
    }
}

/// <summary>What the scenario commands share: reading the document, reporting problems, the summary table.</summary>
internal static class ScenarioCli
{
    public static string File(CliArgs args)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("expected one scenario FILE, e.g. data/scenarios/padang-pariaman-263km.json");
        return Existing(args.Positionals[0]);
    }

    /// <summary>The file name, when the file exists.</summary>
    public static string Existing(string file) =>
        System.IO.File.Exists(file) ? file : throw new CliInputException($"{file}: file not found");

    /// <summary>--draws and --seed of <c>scenario run|compare</c>.</summary>
    public static RunOverride RunOverrides(CliArgs args)
    {
        var draws = args.IntOption("draws");
        if (draws is < RunOverride.MinDraws) throw new CliUsageException($"--draws must be at least {RunOverride.MinDraws} (a standard error needs two draws)");
        ulong? seed = args.Option("seed") is { } s
            ? ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new CliUsageException($"--seed expects a whole number ≥ 0, got '{s}'")
            : null;
        return new RunOverride(draws, seed);
    }

    /// <summary>An exception's message without the " (Parameter 'x')" suffix of argument exceptions.</summary>
    public static string Message(Exception e) => RunOverride.Message(e);

    /// <summary>The scenario of the file, or null after printing every problem.</summary>
    public static async Task<Scenario?> ParseAsync(string file, CliContext context, CancellationToken ct)
    {
        var parsed = ScenarioDocuments.TryParse(await System.IO.File.ReadAllTextAsync(file, ct));
        if (parsed.Scenario is null) Report(file, parsed.Problems, context);
        return parsed.Scenario;
    }

    /// <summary>Prints the problems on stderr; whether there were any.</summary>
    public static bool Report(string file, IReadOnlyList<ProfileProblem> problems, CliContext context)
    {
        foreach (var p in problems) context.Error.WriteLine($"{file}: {p}");
        if (problems.Count > 0) context.Error.WriteLine($"{problems.Count} problem(s): the scenario is not valid");
        return problems.Count > 0;
    }

    private static string F(double? value, string format = "F4") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Share(DrawSummary? s) => s is null ? "–" : F(s.Mean) + " %";

    public static void WriteTable(TextWriter w, Scenario scenario, ScenarioRun run)
    {
        var p = run.Provenance;
        var ic = CultureInfo.InvariantCulture;
        w.WriteLine($"{scenario.Id} {scenario.Version}: {scenario.Title}");
        w.WriteLine(string.Create(ic, $"{run.Draws} draws in {run.Chunks} chunks, seed {run.Seed}, tolerance {run.Tolerance:G4}"));
        w.WriteLine($"provenance: scenario sha256 {p.ScenarioSha256[..12]}…, profile {p.ProfileId} {p.ProfileVersion} (sha256 {p.ProfileSha256[..12]}…), "
            + $"data version {p.DataVersion}, questionnaire version {p.QuestionnaireVersion}, footprint {p.FootprintHash}");
        if (p.Scoring is { } scoring)
            w.WriteLine($"scoring: {scoring}, model {p.ModelVersion}" + (p.ModelError == false ? " (no model error: the model's point predictions)" : " with model error (one residual draw per unit and draw)"));
        foreach (var unit in run.Units.GroupBy(u => u.Code))
        {
            w.WriteLine();
            w.WriteLine($"{unit.Key} {unit.First().Name}");
            w.WriteLine($"{"year",4}  {"villages on fibre",17}  {"households in reach",19}  {"4G share",10}  {"score mean ± SE",18}  {"p5",7}  {"p50",7}  {"p95",7}  {"P(next band)",18}  {"baseline",8}  {"cost bn IDR",11}  {"cost p95",8}");
            foreach (var r in unit)
            {
                var cost = run.Costs.Single(c => c.Year == r.Year);
                var next = r.NextBand is null ? "top band" : $"{r.NextBand} {F(r.ProbabilityNextBand!.Probability)}";
                w.WriteLine(string.Create(ic,
                    $"{r.Year,4}  {Share(r.VillagesOnFibre),17}  {Share(r.HouseholdsFixedReach),19}  {Share(r.Share4g),10}  {F(r.Score.Mean) + " ± " + F(r.Score.StandardError),18}  {F(r.Score.P5),7}  {F(r.Score.P50),7}  {F(r.Score.P95),7}  {next,18}  {F(r.Baseline.Score),8}  {F(cost.Mean / 1e9),11}  {F(cost.P95 / 1e9),8}"));
            }
        }
    }
}
