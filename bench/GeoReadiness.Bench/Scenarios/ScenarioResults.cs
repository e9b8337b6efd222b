using System.Text.Json.Serialization;

namespace GeoReadiness.Bench.Scenarios;

/// <summary>
/// Everything one run of the scenario benchmark (<c>bench/run.sh --only scenarios</c>) measured: written to
/// bench/results/scenarios.json, separately from the indicator benchmark's benchmarks.json, and rendered as the
/// "What-if scenarios (Monte-Carlo)" section of docs/benchmarks.md.
/// </summary>
public sealed class ScenarioResults : SectionResults
{
    /// <summary>--scenario-draws: the national scenario drawn with this many draws instead of its 10,000; null = as documented.</summary>
    public int? DrawsOverride { get; init; }
    public string WorkDirectory { get; init; } = "";
    public override string ResultsFile { get; set; } = "bench/results/scenarios.json";
    public ScenarioFigures? National { get; set; }
    public ScenarioFigures? Showcase { get; set; }

    /// <summary>bench/results/scenarios.json of the repository, when a run wrote one.</summary>
    public static ScenarioResults? LoadDefault(string root) => LoadDefault<ScenarioResults>(root, "scenarios.json");
}

/// <summary>One scenario: its data, its preparation (not timed) and the timed Monte-Carlo runs.</summary>
public sealed class ScenarioFigures
{
    public required string Label { get; init; }
    /// <summary>The data set (generator, seed, scale, counts).</summary>
    public required string Dataset { get; init; }
    /// <summary>The scenario: id, SHA-256, units, years, interventions, sampling rule.</summary>
    public string Scenario { get; set; } = "";
    public string ScenarioSha256 { get; set; } = "";
    /// <summary>Data generation and loading into the embedded store, seconds (in the run that built the cached store when <see cref="DataCached"/>).</summary>
    public double DataSeconds { get; set; }
    public bool DataCached { get; set; }
    public double IndicatorSeconds { get; set; }
    /// <summary>ScenarioPreparation.PrepareAsync as a whole (store checks, routes, footprint, unit data).</summary>
    public double PrepareSeconds { get; set; }
    /// <summary>Of which the footprint (FootprintCalculator.ComputeAsync, or reading the cached JSON).</summary>
    public double FootprintSeconds { get; set; }
    public bool FootprintCached { get; set; }
    /// <summary>Computing the footprint, in this run or in the run that cached it; null if unknown.</summary>
    public double? FootprintComputeSeconds { get; set; }
    public string Footprint { get; set; } = "";
    /// <summary>Timed runs per parallelism after the cold run.</summary>
    public int Runs { get; set; }
    public int Units { get; set; }
    public int Years { get; set; }
    public int Draws { get; set; }
    public int Chunks { get; set; }
    public double Tolerance { get; set; }
    public double ColdSeconds { get; set; }
    public List<double> WarmSeconds { get; init; } = [];
    /// <summary>The same runs with MaxDegreeOfParallelism = 1.</summary>
    public List<double> SerialSeconds { get; init; } = [];
    /// <summary>Peak resident set size during a run (VmHWM reset before it), the largest over the runs of each parallelism.</summary>
    public long? PeakRssBytes { get; set; }
    public long? SerialPeakRssBytes { get; set; }
    /// <summary>Whether VmHWM could be reset before each run (/proc/self/clear_refs); otherwise the process's peak.</summary>
    public bool PeakReset { get; set; }
    /// <summary>Managed heap at the start of a run (after its forced GC: the inputs held) and its peak during the runs (sampled every 10 ms).</summary>
    public long HeapBeforeBytes { get; set; }
    public long PeakManagedBytes { get; set; }
    /// <summary>Bytes allocated by one run (median over the runs at parallelism 2).</summary>
    public long AllocatedBytes { get; set; }
    public string ResultSha256 { get; set; } = "";
    public string SerialResultSha256 { get; set; } = "";
    public bool? Identical { get; set; }
    /// <summary>Null when the scenario ran; otherwise why not.</summary>
    public string? Problem { get; set; }
    public List<string> Notes { get; init; } = [];

    [JsonIgnore] public double Median => Measure.Median(WarmSeconds);
    [JsonIgnore] public double SerialMedian => Measure.Median(SerialSeconds);
    [JsonIgnore] public long UnitYears => (long)Units * Years;
    /// <summary>Unit-year evaluations per second at the warm median (parallelism 2).</summary>
    [JsonIgnore] public double Throughput => (double)Draws * UnitYears / Median;
}
