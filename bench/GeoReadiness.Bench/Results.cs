namespace GeoReadiness.Bench;

/// <summary>One engine's line of the result table.</summary>
/// <param name="Seconds">every timed run (median reported)</param>
/// <param name="Available">null when the engine ran; otherwise why it did not</param>
public sealed record EngineRun(string Engine, string Job, IReadOnlyList<double> Seconds, long? PeakBytes, string? Available = null, string? Notes = null)
{
    public double Median => Measure.Median(Seconds);
    public bool Ran => Available is null && Seconds.Count > 0;
}

/// <param name="RecomputeSeconds">the first recompute after the change (includes the engine re-preparing the changed layer)</param>
/// <param name="AgainSeconds">the same recompute repeated, with the changed layer already prepared</param>
public sealed record IncrementalRun(string Regency, string RouteId, double RouteKm, double ApplySeconds, double RecomputeSeconds, double AgainSeconds, int LeavesMeasured, int UnitsRecomputed);

/// <summary>
/// What every benchmark that keeps its own figures (<c>--only scenarios</c>, <c>--only forecasting</c>) records about
/// its run — command, machine, start, load average, runs, where the figures were saved — and how they are saved.
/// </summary>
public abstract class SectionResults
{
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>/proc/loadavg (1, 5, 15 min) when the run started and ended: the machine may be shared.</summary>
    public string LoadAtStart { get; init; } = BenchResults.LoadAverage();
    public string LoadAtEnd { get; set; } = "";
    /// <summary>Timed runs of each measurement (median reported), after the cold run.</summary>
    public int Runs { get; init; }
    /// <summary>The file these figures were saved to, relative to the repository.</summary>
    public abstract string ResultsFile { get; set; }
    public List<string> Notes { get; init; } = [];

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string path) => File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(this, GetType(), Json));

    public static T Load<T>(string path) where T : SectionResults =>
        System.Text.Json.JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);

    /// <summary>The figures saved in bench/results/<paramref name="file"/> of the repository, when a run wrote them.</summary>
    protected static T? LoadDefault<T>(string root, string file) where T : SectionResults
    {
        var path = Path.Combine(root, "bench", "results", file);
        return File.Exists(path) ? Load<T>(path) : null;
    }
}

/// <summary>Everything one benchmark run measured, for the report.</summary>
public sealed class BenchResults
{
    public required BenchOptions Options { get; init; }
    public required MachineInfo Machine { get; init; }
    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>/proc/loadavg (1, 5, 15 min) when the run started and ended: the machine may be shared.</summary>
    public string LoadAtStart { get; init; } = LoadAverage();
    public string LoadAtEnd { get; set; } = "";

    private static readonly System.Text.Json.JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The raw figures, so the report can be rewritten (e.g. after editing bench/analysis.md) without re-running.</summary>
    public void Save(string path) => File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(this, Json));

    public static BenchResults Load(string path) =>
        System.Text.Json.JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
    public string DatasetSummary { get; set; } = "";
    public double GenerateSeconds { get; set; }
    public double GeoPandasFilesSeconds { get; set; }
    public double EmbeddedLoadSeconds { get; set; }
    public double PostGisLoadSeconds { get; set; }

    public EngineRun? EmbeddedCold { get; set; }
    public EngineRun? Embedded { get; set; }
    /// <summary>The separate child process: store open, one cold compute, VmHWM.</summary>
    public (double OpenSeconds, double ComputeSeconds, long PeakBytes, long PeakAfterOpenBytes)? EmbeddedChild { get; set; }
    public List<IncrementalRun> Incremental { get; init; } = [];
    public string? IncrementalCheck { get; set; }
    public EngineRun? ProductPostGis { get; set; }
    public EngineRun? HandTuned { get; set; }
    public RealBoundariesVariant.Result? RealBoundaries { get; set; }
    public List<(string Label, double Seconds)> HandTunedSteps { get; set; } = [];
    public EngineRun? GeoPandas { get; set; }
    public List<(string Label, double Seconds)> GeoPandasSteps { get; set; } = [];
    public List<Agreement> Agreements { get; init; } = [];
    public List<string> Totals { get; init; } = [];
    public List<string> Notes { get; init; } = [];
}

public sealed record MachineInfo(int Cores, string CpuModel, long RamBytes, string Os, string Runtime, string? PostGis, string? GeoPandas)
{
    public static MachineInfo Read()
    {
        string cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        long ram = 0;
        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null) ram = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        var os = File.Exists("/etc/debian_version") ? "Debian " + File.ReadAllText("/etc/debian_version").Trim() : Environment.OSVersion.ToString();
        return new MachineInfo(Environment.ProcessorCount, cpu, ram, os, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, null, null);
    }
}
