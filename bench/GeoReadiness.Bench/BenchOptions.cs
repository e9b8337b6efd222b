using System.Globalization;

namespace GeoReadiness.Bench;

/// <summary>Command line of the benchmark (see bench/run.sh and README.md, "Benchmarks").</summary>
public sealed record BenchOptions
{
    public double Scale { get; init; } = 1.0;
    public long Seed { get; init; } = Spatial.Demo.NationalScale.NationalScaleOptions.DefaultSeed;
    /// <summary>Warm runs per engine (median reported).</summary>
    public int Runs { get; init; } = 3;
    /// <summary>Timed runs of each PostGIS job (product engine, hand-tuned SQL); null = <see cref="Runs"/>.</summary>
    public int? PostGisRuns { get; init; }
    public int GeoPandasRuns { get; init; } = 1;
    /// <summary>New fibre routes, each in another kabupaten, for the incremental recompute.</summary>
    public int Routes { get; init; } = 3;
    public string Out { get; init; } = "docs/benchmarks.md";
    public string? Work { get; init; }
    public string Python { get; init; } = "/usr/bin/python3";
    public HashSet<string> Skip { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    public string Command { get; init; } = "bench/run.sh";
    /// <summary>Report mode: rewrite <see cref="Out"/> from the raw figures of an earlier run (bench/results/benchmarks.json).</summary>
    public string? ReportFrom { get; init; }
    /// <summary>"scenarios": only the what-if scenario benchmark (Scenarios/ScenarioBench); "forecasting": only the forecasting benchmark (Forecasting/ForecastBench); null: the indicator benchmark.</summary>
    public string? Only { get; init; }
    /// <summary>Development aid: the national scenario drawn exactly this many times instead of its 10,000.</summary>
    public int? ScenarioDraws { get; init; }
    /// <summary>Timed runs per parallelism of the national scenario; null = <see cref="Runs"/>.</summary>
    public int? NationalRuns { get; init; }
    /// <summary>Longest all timed runs of one scenario may take together (seconds): the run in progress then is stopped and reported as such.</summary>
    public double ScenarioBudget { get; init; } = 1800;
    /// <summary>Draws of the 514 units scored per forecasting measurement; null = <see cref="Forecasting.ForecastBench.DefaultDraws"/>.</summary>
    public int? ForecastDraws { get; init; }
    /// <summary>Child mode: open the embedded store in this directory, compute once, print peak memory.</summary>
    public string? PeakStore { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--scale" => o with { Scale = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => o with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pg-runs" => o with { PostGisRuns = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--geopandas-runs" => o with { GeoPandasRuns = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--routes" => o with { Routes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => o with { Out = Next() },
                "--work" => o with { Work = Next() },
                "--python" => o with { Python = Next() },
                "--skip" => o with { Skip = [.. o.Skip, .. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "--command" => o with { Command = Next() },
                "--report" => o with { ReportFrom = Next() },
                "--only" => o with { Only = Next() is ("scenarios" or "forecasting") and var only ? only : throw new ArgumentException("--only takes scenarios or forecasting") },
                "--scenario-draws" => o with { ScenarioDraws = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--national-runs" => o with { NationalRuns = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--forecast-draws" => o with { ForecastDraws = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--scenario-budget" => o with { ScenarioBudget = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "peak" => o with { PeakStore = args.Length > i + 2 && args[i + 1] == "--store" ? args[i += 2] : throw new ArgumentException("peak --store DIR") },
                "-h" or "--help" => throw new ArgumentException(Usage),
                _ => throw new ArgumentException($"unknown argument {args[i]}\n{Usage}"),
            };
        }
        if (!(o.Scale > 0 && o.Scale <= 1)) throw new ArgumentException("--scale must be in (0, 1]");
        if (o.Runs < 1 || o.PostGisRuns < 1 || o.GeoPandasRuns < 1 || o.Routes < 1) throw new ArgumentException("--runs, --pg-runs, --geopandas-runs and --routes must be at least 1");
        if (o.ForecastDraws < 1) throw new ArgumentException("--forecast-draws must be at least 1");
        if (o.NationalRuns < 1) throw new ArgumentException("--national-runs must be at least 1");
        if (!(o.ScenarioBudget > 0)) throw new ArgumentException("--scenario-budget must be a positive number of seconds");
        if (o.ScenarioDraws < 2) throw new ArgumentException("--scenario-draws must be at least 2 (a standard error needs two draws)");
        return o;
    }

    public const string Usage =
        "usage: georeadiness-bench [--scale 1.0] [--seed N] [--runs 3] [--pg-runs 3] [--geopandas-runs 1] [--routes 3] [--out docs/benchmarks.md]\n" +
        "                          [--work DIR] [--python /usr/bin/python3] [--skip embedded,real,postgis,handtuned,geopandas]\n" +
        "       georeadiness-bench --only scenarios [--runs 3] [--scale 1.0] [--seed N] [--national-runs N] [--scenario-draws N] [--scenario-budget 1800] [--skip national,showcase]\n" +
        "                          [--work /tmp/georeadiness-bench] [--out docs/benchmarks.md]   (the what-if scenario benchmark alone, no PostGIS)\n" +
        "       georeadiness-bench --only forecasting [--runs 3] [--forecast-draws 2000] [--out docs/benchmarks.md] [--report bench/results/forecasting.json]\n" +
        "                          (the forecasting benchmark alone: history, training, batch scoring; --report only rewrites the document)\n" +
        "       georeadiness-bench --report bench/results/benchmarks.json [--out docs/benchmarks.md]   (rewrite the report only)\n" +
        "       PG_CONN (Npgsql connection string) selects the PostGIS database; bench/run.sh starts one and sets it.";
}
