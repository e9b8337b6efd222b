using System.Globalization;
using GeoReadiness.Simulation.Scenarios;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Cli.Commands;

/// <summary><c>georeadiness scenario compare FILE_A [FILE_B]</c>: two runs (or a run and its baseline) per unit and year.</summary>
public sealed class ScenarioCompareCommand : ICliCommand
{
    public string Name => "scenario compare";
    public string Summary => "compare two scenarios' runs (or one with its baseline): differences ± SE per unit and year";
    public string Usage => """
        usage: georeadiness scenario compare FILE_A [FILE_B] [--year Y] [--format table|json|geojson]
                                        [--draws N] [--seed N] [--data-dir DIR | --postgis CONNSTRING]

          Runs A (and B) on the store as `scenario run` does and compares them per unit and year: the score, the
          4G share, the households within fixed reach, the villages on fibre and the cumulative cost, with A's
          and B's means, the difference A − B, its standard error √(SE_A² + SE_B²) (the runs are independent;
          their draws are not paired) and whether |difference| > 2·SE. Without FILE_B, A is compared with its
          baseline (the values without interventions, SE 0, no cost). Units of only one run are listed.
          --year    the year of the table (default: every year) or of the GeoJSON (default: the last year)
          --format  table (default); json: the full comparison; geojson: an RFC 7946 FeatureCollection of the
                    compared units' boundaries with the year's differences as properties
          --draws, --seed  as for `scenario run`, applied to both runs
        Exit codes: 0 compared, 1 file not found, invalid document, failed store checks, runs over different
        years or without a common unit, store errors, 2 usage.
        """;
    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public async Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken)
    {
        args.EnsureOnly("year", "format", "draws", "seed", "data-dir", "postgis");
        if (args.Positionals.Count is < 1 or > 2)
            throw new CliUsageException("expected FILE_A and optionally FILE_B, e.g. data/scenarios/padang-pariaman-263km.json");
        var files = args.Positionals.Select(ScenarioCli.Existing).ToArray();
        var format = ReadinessCli.ParseFormat(args.Option("format"), "table", "json", "geojson");
        var year = args.IntOption("year");
        var overrides = ScenarioCli.RunOverrides(args);
        var scenarios = new List<Scenario>();
        foreach (var file in files)
        {
            if (await ScenarioCli.ParseAsync(file, context, cancellationToken) is not { } scenario) return 1;
            scenarios.Add(scenario);
        }

        await using var inputs = await ReadinessCli.LoadAsync(args, context, cancellationToken);
        var runs = new List<ScenarioRun>();
        for (var i = 0; i < files.Length; i++)
        {
            if (await ScenarioRunCommand.RunAsync(files[i], overrides, scenarios[i], inputs, context, cancellationToken) is not { } run)
                return 1;
            runs.Add(run);
        }

        ScenarioComparison comparison;
        try
        {
            comparison = runs.Count == 2 ? ScenarioComparison.Compare(runs[0], runs[1]) : ScenarioComparison.AgainstBaseline(runs[0]);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException(ScenarioCli.Message(e));
        }
        if (year is { } y && !comparison.Years.Contains(y))
            throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                $"--year {y} is not one of the compared years ({comparison.Years[0]}–{comparison.Years[^1]})"));

        switch (format)
        {
            case "json":
                context.Out.WriteLine(comparison.ToJson());
                break;
            case "geojson":
                var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
                foreach (var code in comparison.Units.Select(u => u.Code).Distinct())
                {
                    var unit = await inputs.Store.FindUnitAsync(code, cancellationToken) ?? throw new CliInputException($"unit {code} is not in the store");
                    boundaries[code] = unit.Geometry;
                }
                context.Out.WriteLine(comparison.ToGeoJson(boundaries, year ?? comparison.Years[^1]));
                break;
            default:
                WriteTable(context.Out, comparison, year);
                break;
        }
        return 0;
    }

    private static readonly (string Measure, string Label, double Scale)[] Measures =
    [
        ("score", "score", 1),
        ("share4g", "4G share %", 1),
        ("householdsFixedReach", "households in reach %", 1),
        ("villagesOnFibre", "villages on fibre %", 1),
        ("cost", "cost bn IDR", 1e-9),
    ];

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A's and B's labels, then per unit, year and measure: a, b, difference ± SE, significant.</summary>
    public static void WriteTable(TextWriter w, ScenarioComparison comparison, int? year)
    {
        w.WriteLine($"A: {comparison.A}");
        w.WriteLine($"B: {comparison.B}");
        w.WriteLine("difference A − B ± its standard error (independent runs); significant: |difference| > 2·SE");
        if (comparison.OnlyInA.Count > 0) w.WriteLine($"only in A (not compared): {string.Join(", ", comparison.OnlyInA)}");
        if (comparison.OnlyInB.Count > 0) w.WriteLine($"only in B (not compared): {string.Join(", ", comparison.OnlyInB)}");
        foreach (var unit in comparison.Units.Where(u => year is null || u.Year == year).GroupBy(u => u.Code))
        {
            w.WriteLine();
            w.WriteLine($"{unit.Key} {unit.First().Name}");
            w.WriteLine($"{"unit",-8}  {"year",4}  {"measure",-21}  {"a",10}  {"b",10}  {"difference ± SE",21}  {"significant",11}");
            foreach (var r in unit)
            {
                var values = r.Measures().ToDictionary(m => m.Measure, m => m.Value);
                foreach (var (measure, label, scale) in Measures)
                {
                    var v = values[measure];
                    var row = v is null
                        ? $"{"–",10}  {"–",10}  {"–",21}  {"–",11}"
                        : $"{F(v.A * scale),10}  {F(v.B * scale),10}  {(v.Difference >= 0 ? "+" : "") + F(v.Difference * scale) + " ± " + F(v.StandardError * scale),21}  {(v.Significant ? "yes" : "no"),11}";
                    w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Code,-8}  {r.Year,4}  {label,-21}  {row}"));
                }
            }
        }
    }
}
