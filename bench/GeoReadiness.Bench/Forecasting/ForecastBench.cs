using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Bench.Forecasting;

/// <summary>
/// The forecasting benchmark (<c>bench/run.sh --only forecasting</c>): the synthetic history of 514 kab/kota over
/// the programme's 8 rounds (<see cref="SyntheticHistory.Generate"/>), <see cref="ForecastTrainer.Train"/> on it
/// (whole and per step), the trained model's held-out quality, and batch scoring through
/// <see cref="ForecastModel.PredictScores(ReadOnlySpan{float}, Span{double})"/> at one and two threads beside ML.NET's
/// transform of the same model. Every measurement: a cold (first) run apart, then <see cref="BenchOptions.Runs"/>
/// timed runs, each after a forced full GC and a VmHWM reset, median reported, the load average recorded per run.
/// </summary>
public static class ForecastBench
{
    /// <summary>The history seed and training options of the tests (docs/forecasting.md), so the metrics can be compared.</summary>
    public const ulong HistorySeed = 20251125;
    public static readonly ForecastOptions TrainingOptions = new(Seed: 7);

    /// <summary>Draws of the 514 units scored in each scoring measurement (1,028,000 rows), and those ML.NET's transform scores.</summary>
    public const int DefaultDraws = 2000;
    public const int TransformDraws = 100;

    /// <summary>Runs the benchmark, writes its JSON and the document; the exit code (1 when the scores disagree with ML.NET's).</summary>
    /// <remarks>With <c>--report FILE</c>, only rewrites the document from the figures saved in FILE.</remarks>
    public static async Task<int> MainAsync(BenchOptions options, string root, Action<string> log)
    {
        if (options.ReportFrom is { } saved)
        {
            var target = Path.IsPathRooted(options.Out) ? options.Out : Path.Combine(root, options.Out);
            await File.WriteAllTextAsync(target, Report.Document(root, Scenarios.ScenarioResults.LoadDefault(root), SectionResults.Load<ForecastResults>(saved)));
            log($"wrote {target} from {saved}");
            return 0;
        }
        var results = Run(options, log);
        var name = options.ForecastDraws is null ? "forecasting.json" : string.Create(CultureInfo.InvariantCulture, $"forecasting-draws-{options.ForecastDraws}.json");
        results.ResultsFile = "bench/results/" + name;
        var jsonPath = Path.Combine(root, results.ResultsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        results.Save(jsonPath);
        var outPath = Path.IsPathRooted(options.Out) ? options.Out : Path.Combine(root, options.Out);
        await File.WriteAllTextAsync(outPath, Report.Document(root, Scenarios.ScenarioResults.LoadDefault(root), results));
        log($"wrote {jsonPath} and {outPath}");
        return results.Agrees == false || results.TrainingDeterministic == false ? 1 : 0;
    }

    public static ForecastResults Run(BenchOptions options, Action<string> log)
    {
        var results = new ForecastResults { Command = options.Command, Machine = MachineInfo.Read(), Runs = options.Runs, HistorySeed = HistorySeed };
        log($"forecasting benchmark; {results.Machine.Cores} cores; load average {results.LoadAtStart}");

        // ------------------------------------------------------------ the synthetic history
        var units = SyntheticHistory.SampleUnits();
        var history = Time(results.Generation, options.Runs, () => SyntheticHistory.Generate(units, HistorySeed), "synthetic history", log);
        var data = history.Data;
        results.History = string.Create(CultureInfo.InvariantCulture,
            $"SyntheticHistory.Generate(SyntheticHistory.SampleUnits(), seed {HistorySeed}): {units.Count} kab/kota × {data.Rounds.Count} rounds ({string.Join(", ", data.Rounds)}), {data.Rows.Count:N0} rows, sha256 {data.Sha256[..16]}…");
        results.TrainingOptions = JsonSerializer.Serialize(TrainingOptions);

        // ------------------------------------------------------------ training
        var steps = new List<List<(string Label, double Seconds)>>();
        var manifests = new HashSet<string>(StringComparer.Ordinal);
        var model = Time(results.Training, options.Runs, () =>
        {
            var progress = new StepClock();
            var trained = ForecastTrainer.Train(data, TrainingOptions, progress: progress);
            steps.Add(progress.Steps());
            manifests.Add(JsonSerializer.Serialize(trained.Manifest with { TrainedAt = default, TrainingSeconds = 0 }));
            return trained;
        }, "training (ForecastTrainer.Train)", log);
        foreach (var (label, _) in steps[^1])
            results.TrainingSteps.Add(new Step(label, steps[0].First(s => s.Label == label).Seconds, steps.Skip(1).Select(run => run.First(s => s.Label == label).Seconds).ToList()));
        log("training steps (median of the warm runs): " + string.Join(", ", results.TrainingSteps.Select(s => $"{s.Label} {Measure.Seconds(s.Median)} s")));
        results.TrainingDeterministic = manifests.Count == 1;
        results.ModelVersion = model.VersionId;
        results.Quality = QualityOf(model.Evaluation, model.Manifest);
        log($"model {model.VersionId}: MAE {results.Quality.Mae:0.00} vs last score {results.Quality.LastScoreMae:0.00} ({results.Quality.MaeImprovement:P0} better), AUC {results.Quality.Auc:0.000}; " +
            $"{(results.TrainingDeterministic.Value ? "every run gave the same manifest" : "**the runs gave different manifests**")}");

        // ------------------------------------------------------------ scoring
        var width = model.FeatureCount;
        var draws = options.ForecastDraws ?? DefaultDraws;
        var features = ScoringRows(data, model, draws, HistorySeed);
        var rows = features.Length / width;
        (results.ScoringRows, results.Draws, results.Units, results.Features) = (rows, draws, units.Count, width);
        results.UnknownShare = features.Count(float.IsNaN) / (double)features.Length;
        log($"scoring {rows:N0} rows ({draws:N0} draws × {units.Count} units, {width} features, {results.UnknownShare:P1} unknown)");
        var scores = new double[rows];
        var perDraw = new double[rows];
        var twoThreads = new double[rows];
        var drawsInParallel = new double[rows];
        Score(results, "PredictScores(span, span): the whole batch in one call", 1, rows, options.Runs, () => model.PredictScores(features, scores), log);
        Score(results, $"PredictScores(span, span): one call per draw ({units.Count} rows), as the Monte-Carlo engine", 1, rows, options.Runs, () =>
        {
            for (var d = 0; d < draws; d++)
                model.PredictScores(features.AsSpan(d * units.Count * width, units.Count * width), perDraw.AsSpan(d * units.Count, units.Count));
        }, log);
        Score(results, "PredictScores(memory, memory, maxDegreeOfParallelism: 2): the whole batch", 2, rows, options.Runs,
            () => model.PredictScores(features, twoThreads, 2), log);
        Score(results, $"PredictScores(span, span) per draw, draws on 2 threads (Parallel.For)", 2, rows, options.Runs, () =>
            Parallel.For(0, draws, new ParallelOptions { MaxDegreeOfParallelism = 2 },
                d => model.PredictScores(features.AsSpan(d * units.Count * width, units.Count * width), drawsInParallel.AsSpan(d * units.Count, units.Count))), log);
        var sameEverywhere = scores.AsSpan().SequenceEqual(perDraw) && scores.AsSpan().SequenceEqual(twoThreads) && scores.AsSpan().SequenceEqual(drawsInParallel);

        var referenceRows = Math.Min(rows, TransformDraws * units.Count);
        var reference = new double[referenceRows];
        Score(results, "ML.NET Transform of the same score model (ForecastModel.TransformScores)", 1, referenceRows, options.Runs,
            () => model.TransformScores(features.AsSpan(0, referenceRows * width), reference), log);
        var identical = 0;
        var maxDifference = 0.0;
        for (var r = 0; r < referenceRows; r++)
        {
            if (scores[r] == reference[r]) identical++;
            maxDifference = Math.Max(maxDifference, Math.Abs(scores[r] - reference[r]));
        }
        results.Agrees = sameEverywhere && maxDifference < 1e-4;
        results.Agreement = string.Create(CultureInfo.InvariantCulture,
            $"on the first {referenceRows:N0} rows, PredictScores and ML.NET's transform give {identical:N0} identical scores, largest difference {maxDifference:G3} points; " +
            $"the four PredictScores measurements give {(sameEverywhere ? "identical scores for all" : "**different scores** for some of the")} {rows:N0} rows");
        log(results.Agreement);
        results.LoadAtEnd = BenchResults.LoadAverage();
        return results;
    }

    /// <summary>
    /// Rows like a scenario's draws: draw d takes the 514 feature vectors of round d mod 8 of the history (its unknown
    /// values kept) and moves each known indicator and infrastructure value by a seeded factor in [0.9, 1.1].
    /// </summary>
    public static float[] ScoringRows(TrainingData data, ForecastModel model, int draws, ulong seed)
    {
        var width = model.FeatureCount;
        var measured = data.Schema.Indicators.Count + data.Schema.Infrastructure.Count;
        var rounds = data.Rounds.Select((year, k) => ForecastInput.FromHistory(data, year, k + 1 < data.Rounds.Count ? data.Rounds[k + 1] - year : 1)).ToArray();
        var units = rounds[0].Count;
        var features = new float[draws * units * width];
        var random = new Random(unchecked((int)seed));
        for (var d = 0; d < draws; d++)
        {
            var inputs = rounds[d % rounds.Length];
            for (var u = 0; u < units; u++)
            {
                var row = features.AsSpan((d * units + u) * width, width);
                model.WriteFeatures(inputs[u], row);
                for (var k = 0; k < measured; k++)
                    if (!float.IsNaN(row[k])) row[k] *= (float)(0.9 + 0.2 * random.NextDouble());
            }
        }
        return features;
    }

    private static Quality QualityOf(ForecastEvaluation e, ForecastManifest m) => new(e.TestRound, e.TrainExamples, e.TestExamples,
        e.Score.Mae, e.ScoreBaselines[0].Mae, e.ScoreBaselines.FirstOrDefault(b => b.Name == "profile-score")?.Mae, e.MaeImprovement, e.Score.Rmse, e.Score.RSquared,
        e.Selection.Auc, e.SelectionBaseline.Auc, e.Selection.LogLoss, e.Selection.Brier,
        string.Join(", ", m.ScoreImportance.Take(3).Select(i => $"{i.Feature} ({i.Change.ToString("0.00", CultureInfo.InvariantCulture)})")));

    private static void Score(ForecastResults results, string method, int threads, int rows, int runs, Action score, Action<string> log)
    {
        var s = new Scoring { Method = method, Threads = threads, Rows = rows };
        Time(s.Timing, runs, () => { score(); return 0; }, method, log);
        results.Scoring.Add(s);
        log($"  {s.RowsPerSecond:N0} rows/s, {s.RowsPerCpuSecond:N0} rows per CPU second");
    }

    /// <summary>The cold run, then <paramref name="runs"/> timed runs; the last result.</summary>
    private static T Time<T>(Timing timing, int runs, Func<T> run, string label, Action<string> log)
    {
        T result = default!;
        for (var i = 0; i <= runs; i++)
        {
            Measure.CollectGarbage();
            Measure.ResetPeakResident();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            result = run();
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var load = BenchResults.LoadAverage();
            if (i == 0) (timing.ColdSeconds, timing.ColdCpuSeconds) = (seconds, cpuSeconds);
            else
            {
                timing.Seconds.Add(seconds);
                timing.Load.Add(load);
                timing.CpuSeconds.Add(cpuSeconds);
                timing.PeakRssBytes = Math.Max(timing.PeakRssBytes ?? 0, Measure.PeakResidentBytes() ?? 0);
            }
            log($"{label} {(i == 0 ? "cold" : "run " + i)}: {Measure.Seconds(seconds)} s, CPU {Measure.Seconds(cpuSeconds)} s (load {load})");
        }
        return result;
    }

    /// <summary>The trainer's progress lines, timed as they come (synchronously, on the training thread).</summary>
    private sealed class StepClock : IProgress<string>
    {
        private static readonly (string Prefix, string Label)[] Known =
        [
            ("fitting the score regression", "data views and examples"),
            ("fitting the selection classifier", "score regression fit (FastTree)"),
            ("evaluating on the held-out round", "selection classifier fit (FastTree + Platt)"),
            ("permutation feature importance", "held-out evaluation and baselines"),
            ("model ", "permutation feature importance and manifest"),
        ];

        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(string Label, double Seconds)> _steps = [];
        private double _last;

        public void Report(string value)
        {
            var known = Known.FirstOrDefault(k => value.StartsWith(k.Prefix, StringComparison.Ordinal));
            if (known.Label is null) return;
            var now = _clock.Elapsed.TotalSeconds;
            _steps.Add((known.Label, now - _last));
            _last = now;
        }

        /// <summary>The steps, the last one ending now; an error when the trainer's progress lines changed.</summary>
        public List<(string Label, double Seconds)> Steps()
        {
            if (_steps.Count != Known.Length)
                throw new InvalidOperationException($"ForecastTrainer.Train reported {_steps.Count} of the {Known.Length} known steps: update StepClock");
            _steps.Add(("after the last line (model built)", _clock.Elapsed.TotalSeconds - _last));
            return _steps;
        }
    }
}
