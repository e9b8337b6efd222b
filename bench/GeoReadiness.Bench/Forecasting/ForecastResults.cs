using System.Text.Json.Serialization;

namespace GeoReadiness.Bench.Forecasting;

/// <summary>
/// Everything one run of the forecasting benchmark (<c>bench/run.sh --only forecasting</c>) measured: written to
/// bench/results/forecasting.json and rendered as the "Forecasting (ML.NET)" section of docs/benchmarks.md.
/// </summary>
public sealed class ForecastResults : SectionResults
{
    public override string ResultsFile { get; set; } = "bench/results/forecasting.json";

    /// <summary>The synthetic history: seed, units, rounds, rows, its SHA-256 (TrainingData.Sha256).</summary>
    public string History { get; set; } = "";
    public ulong HistorySeed { get; set; }
    /// <summary>ForecastOptions as JSON (seed, trees, leaves, permutations).</summary>
    public string TrainingOptions { get; set; } = "";
    public string ModelVersion { get; set; } = "";

    public Timing Generation { get; set; } = new();
    public Timing Training { get; set; } = new();
    /// <summary>Training split by step (from the trainer's progress lines), one entry per step; seconds of every warm run.</summary>
    public List<Step> TrainingSteps { get; init; } = [];
    /// <summary>Whether every training run gave the same version and the same manifest (training time aside).</summary>
    public bool? TrainingDeterministic { get; set; }
    public Quality? Quality { get; set; }

    /// <summary>Rows scored in each scoring measurement (units × draws) and the draws.</summary>
    public int ScoringRows { get; set; }
    public int Draws { get; set; }
    public int Units { get; set; }
    public int Features { get; set; }
    /// <summary>Share of the feature values that are unknown (NaN) in the scored rows.</summary>
    public double UnknownShare { get; set; }
    public List<Scoring> Scoring { get; init; } = [];
    /// <summary>The check against ML.NET's transform on <see cref="Scoring"/>'s ML.NET rows.</summary>
    public string? Agreement { get; set; }
    public bool? Agrees { get; set; }
    /// <summary>bench/results/forecasting.json of the repository, when a run wrote one.</summary>
    public static ForecastResults? LoadDefault(string root) => LoadDefault<ForecastResults>(root, "forecasting.json");
}

/// <summary>One timed job: its first run in the process apart, then the timed runs, each with the load average when it ended.</summary>
public sealed class Timing
{
    public double ColdSeconds { get; set; }
    public double ColdCpuSeconds { get; set; }
    public List<double> Seconds { get; init; } = [];
    public List<string> Load { get; init; } = [];
    /// <summary>CPU time of the process (user + system, all threads) during each timed run: less sensitive to the machine's load than the wall clock.</summary>
    public List<double> CpuSeconds { get; init; } = [];
    /// <summary>VmHWM during the runs (reset before each), the largest; null off Linux.</summary>
    public long? PeakRssBytes { get; set; }

    [JsonIgnore] public double Median => Measure.Median(Seconds);
    [JsonIgnore] public double CpuMedian => Measure.Median(CpuSeconds);
}

/// <summary>One step of the training (between two progress lines of ForecastTrainer.Train): seconds in the cold run and in each warm run.</summary>
public sealed record Step(string Label, double ColdSeconds, List<double> Seconds)
{
    [JsonIgnore] public double Median => Measure.Median(Seconds);
}

/// <summary>The trained model's held-out figures, so that a speed change that hurts quality shows.</summary>
public sealed record Quality(int TestRound, int TrainExamples, int TestExamples, double Mae, double LastScoreMae, double? ProfileScoreMae,
    double MaeImprovement, double Rmse, double RSquared, double Auc, double BaselineAuc, double LogLoss, double Brier, string TopScoreFeatures);

/// <summary>One scoring measurement: rows per second at the median of the runs.</summary>
/// <param name="Method">what was called, e.g. "PredictScores(span), one call"</param>
public sealed class Scoring
{
    public required string Method { get; init; }
    public int Threads { get; init; }
    public int Rows { get; init; }
    public Timing Timing { get; init; } = new();

    [JsonIgnore] public double RowsPerSecond => Rows / Timing.Median;
    /// <summary>Rows per second of CPU time (median of the runs' CPU seconds): what one core does when it gets the time.</summary>
    [JsonIgnore] public double RowsPerCpuSecond => Rows / Timing.CpuMedian;
}
