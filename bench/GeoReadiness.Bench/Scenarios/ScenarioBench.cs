using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Bench.Scenarios;

/// <summary>
/// The what-if scenario benchmark (<c>bench/run.sh --only scenarios</c>): <see cref="MonteCarloEngine.Run"/> on the
/// national scenario (<see cref="NationalScenario"/>, 10,000 draws × every kab/kota × 5 years on the national-scale
/// data) and on the showcase (data/scenarios/padang-pariaman-263km.json on the demo data, to its own tolerance).
/// Data, indicators and the footprint are prepared first and not timed; the stores and footprints are cached in
/// the work directory. Each run: a forced full GC, VmHWM reset, a Stopwatch around <see cref="MonteCarloEngine.Run"/>.
/// </summary>
public static class ScenarioBench
{
    /// <summary>Where the stores and footprints are kept between runs unless --work says otherwise.</summary>
    public const string DefaultWork = "/tmp/georeadiness-bench";

    public const string ShowcaseFile = "data/scenarios/padang-pariaman-263km.json";

    /// <summary>Runs the benchmark, writes its JSON and the document; the exit code.</summary>
    public static async Task<int> MainAsync(BenchOptions options, string root, Action<string> log)
    {
        var results = await RunAsync(options, root, log);
        var name = options.Scale == 1.0 && options.ScenarioDraws is null ? "scenarios.json"
            : string.Create(CultureInfo.InvariantCulture, $"scenarios-scale-{options.Scale}{(options.ScenarioDraws is { } n ? $"-draws-{n}" : "")}.json");
        results.ResultsFile = "bench/results/" + name;
        var jsonPath = Path.Combine(root, results.ResultsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        results.Save(jsonPath);
        var outPath = Path.IsPathRooted(options.Out) ? options.Out : Path.Combine(root, options.Out);
        await File.WriteAllTextAsync(outPath, Report.Document(root, results, Forecasting.ForecastResults.LoadDefault(root)));
        log($"wrote {jsonPath} and {outPath}");
        return results.National?.Problem is null && results.Showcase?.Problem is null && results.National?.Identical != false && results.Showcase?.Identical != false ? 0 : 1;
    }

    public static async Task<ScenarioResults> RunAsync(BenchOptions options, string root, Action<string> log)
    {
        var work = Path.GetFullPath(options.Work ?? DefaultWork);
        Directory.CreateDirectory(work);
        var results = new ScenarioResults
        {
            Command = options.Command, Machine = MachineInfo.Read(), Runs = options.Runs, DrawsOverride = options.ScenarioDraws, WorkDirectory = work,
        };
        log($"scenario benchmark, work directory {work}; {results.Machine.Cores} cores; load average {results.LoadAtStart}");
        // the small showcase first: memory the GC keeps after the national scenario would count in its peak RSS
        if (!options.Skip.Contains("showcase")) results.Showcase = await ShowcaseAsync(root, options, work, log);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!options.Skip.Contains("national")) results.National = await NationalAsync(options, work, log);
        results.LoadAtEnd = BenchResults.LoadAverage();
        return results;
    }

    private static async Task<ScenarioFigures> NationalAsync(BenchOptions options, string work, Action<string> log)
    {
        await using var bench = await ScenarioStores.NationalAsync(work, options.Seed, options.Scale, log);
        var f = new ScenarioFigures { Label = "national (NationalScenario)", Dataset = bench.Summary, DataSeconds = bench.BuildSeconds, DataCached = bench.Cached };
        var (baseline, set) = await BaselineAsync(bench.Store, f, log);
        var document = await NationalScenario.BuildAsync(bench.Store, set, options.Seed);
        var scenario = ScenarioDocuments.Parse(document.Json);
        var file = Path.Combine(work, $"scenario-{Path.GetFileName(Path.GetDirectoryName(bench.Directory))}-{scenario.Sha256[..16]}.json");
        await File.WriteAllTextAsync(file, document.Json);
        f.Notes.Add("scenario design (bench/GeoReadiness.Bench/Scenarios/NationalScenario.cs): " + NationalScenario.Design);
        f.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"scenario document ({document.Json.Length / 1024.0:N0} KiB) kept as {file}: {document.FibreInterventions} fibre_route (connect) interventions over {document.Villages} villages, " +
            $"{document.TowerInterventions} tower interventions with {document.Towers} new 4G towers, {document.QuestionnaireInterventions} staffing/masterplan interventions, 1 adoption curve"));
        if (options.ScenarioDraws is { } n)
        {
            // a development aid: exactly n draws, no tolerance (as the CLI's --draws), in at least four chunks (at most
            // the document's chunk size) so that the parallel path is exercised even by a few draws
            scenario = scenario with { Sampling = new SamplingRule(n, n, double.MaxValue, Math.Clamp(n / 4, 1, scenario.Sampling.ChunkSize)) };
            f.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"--scenario-draws {n}: drawn with exactly {n} draws instead of the document's {NationalScenario.Draws:N0}"));
        }
        log($"national scenario: {Describe(scenario)}");
        await MeasureAsync(scenario, baseline, bench, set.Options, f, options.NationalRuns ?? options.Runs, options, work, log);
        return f;
    }

    private static async Task<ScenarioFigures> ShowcaseAsync(string root, BenchOptions options, string work, Action<string> log)
    {
        await using var bench = await ScenarioStores.DemoAsync(work, log);
        var f = new ScenarioFigures { Label = "showcase (" + ShowcaseFile + ")", Dataset = bench.Summary, DataSeconds = bench.BuildSeconds, DataCached = bench.Cached };
        var (baseline, set) = await BaselineAsync(bench.Store, f, log);
        var scenario = ScenarioDocuments.Parse(await File.ReadAllTextAsync(Path.Combine(root, ShowcaseFile)));
        log($"showcase scenario: {Describe(scenario)}");
        await MeasureAsync(scenario, baseline, bench, set.Options, f, options.Runs, options, work, log);
        return f;
    }

    /// <summary>The current indicator set (computed as the CLI does, on the embedded engine), the profile catalogue and the stored questionnaire.</summary>
    private static async Task<(ScenarioBaseline Baseline, IndicatorSet Set)> BaselineAsync(EmbeddedStore store, ScenarioFigures f, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(store), IndicatorOptions.Default);
        f.IndicatorSeconds = clock.Elapsed.TotalSeconds;
        log($"indicator set computed in {f.IndicatorSeconds:0.0} s ({set.Units.Count:N0} units, data version {set.DataVersion})");
        var repository = AssessmentRepositories.For(store);
        var catalog = ProfileCatalog.From(await repository.GetProfilesAsync());
        var questionnaire = await repository.GetQuestionnaireAsync();
        return (new ScenarioBaseline(catalog, questionnaire, set.Units, set.DataVersion), set);
    }

    private static string Describe(Scenario s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Id} {s.Version} (sha256 {s.Sha256[..12]}…): {s.Units.Count} units, years {s.BaseYear + 1}–{s.BaseYear + s.Horizon}, {s.Interventions.Count} interventions, " +
        $"sampling minDraws {s.Sampling.MinDraws:N0}, maxDraws {s.Sampling.MaxDraws:N0}, tolerance {(s.Sampling.Tolerance == double.MaxValue ? "none" : s.Sampling.Tolerance.ToString("G4", CultureInfo.InvariantCulture))}, chunkSize {s.Sampling.ChunkSize}, seed {s.Seed}");

    /// <summary>
    /// Prepares the scenario (not timed), then the cold run, <paramref name="runs"/> runs at parallelism 2 and as many at 1; a run that
    /// outlasts --scenario-budget (all timed runs of the scenario together) is stopped and reported with the draws it had combined.
    /// </summary>
    private static async Task MeasureAsync(Scenario scenario, ScenarioBaseline baseline, BenchStore bench, IndicatorOptions indicatorOptions, ScenarioFigures f,
        int runs, BenchOptions options, string work, Action<string> log)
    {
        f.Runs = runs;
        f.Scenario = Describe(scenario);
        f.ScenarioSha256 = scenario.Sha256;
        f.Units = scenario.Units.Count;
        f.Years = scenario.Horizon;
        var cacheName = $"{Path.GetFileName(Path.GetDirectoryName(bench.Directory))}-v{baseline.DataVersion}-{scenario.Sha256[..16]}.json";
        var source = new CachedFootprintSource(new StoreScenarioSource(bench.Store, indicatorOptions), Path.Combine(work, "footprints", cacheName));
        var clock = Stopwatch.StartNew();
        PreparedScenario prepared;
        try
        {
            prepared = await ScenarioPreparation.PrepareAsync(scenario, baseline, source, new Progress(stage => log("  " + stage)));
        }
        catch (ScenarioValidationException e)
        {
            f.Problem = $"preparation failed: {e.Problems.Count} problem(s), e.g. {string.Join("; ", e.Problems.Take(3))}";
            log(f.Problem);
            return;
        }
        f.PrepareSeconds = clock.Elapsed.TotalSeconds;
        (f.FootprintSeconds, f.FootprintCached, f.FootprintComputeSeconds) = (source.FootprintSeconds, source.Cached, source.ComputeSeconds);
        var fp = prepared.Inputs.Footprint;
        f.Footprint = string.Create(CultureInfo.InvariantCulture,
            $"{fp.Leaves.Length:N0} leaves, {fp.Cells.Count:N0} population cells, {fp.Towers.Count:N0} towers, {fp.Anchors.Count:N0} anchors, {fp.Elements.Length:N0} elements " +
            $"({fp.Elements.Count(e => e.Kind == ElementKind.Fibre):N0} fibre, {fp.Elements.Sum(e => e.LengthKm):N1} km), {fp.Unsupported.Length} unsupported leaves; JSON {source.FootprintJsonBytes / 1048576.0:N1} MiB");
        f.Notes.AddRange(prepared.Notes.Take(5).Select(n => "preparation note: " + n));
        log($"prepared in {f.PrepareSeconds:0.0} s (footprint {(f.FootprintCached ? "read from the cache" : "computed")} in {f.FootprintSeconds:0.0} s): {f.Footprint}");

        var inputs = prepared.Inputs;
        // --scenario-budget is the time all timed runs of the scenario may take together: the run in progress when
        // it runs out is stopped (and reported with the draws it had combined); the runs measured before it are kept
        var budget = Stopwatch.StartNew();
        TimeSpan Left() => TimeSpan.FromSeconds(Math.Max(0.001, options.ScenarioBudget - budget.Elapsed.TotalSeconds));
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        var allocated = new List<double>();
        try
        {
            var cold = Timed(scenario, inputs, 2, Left());
            f.ColdSeconds = cold.Seconds;
            (f.Draws, f.Chunks, f.Tolerance, f.ResultSha256) = (cold.Run.Draws, cold.Run.Chunks, cold.Run.Tolerance, cold.Sha256);
            log($"cold run (parallelism 2): {cold.Seconds:0.000} s (CPU {cold.CpuSeconds:0.000} s), {cold.Run.Draws:N0} draws in {cold.Run.Chunks} chunks, tolerance {cold.Run.Tolerance:G4}");
            hashes.Add(cold.Sha256);
            for (var i = 1; i <= runs; i++)
            {
                var t = Timed(scenario, inputs, 2, Left());
                f.WarmSeconds.Add(t.Seconds);
                allocated.Add(t.Allocated);
                (f.PeakRssBytes, f.PeakReset) = (Max(f.PeakRssBytes, t.PeakRss), t.PeakReset);
                f.PeakManagedBytes = Math.Max(f.PeakManagedBytes, t.PeakManaged);
                f.HeapBeforeBytes = Math.Max(f.HeapBeforeBytes, t.HeapBefore);
                hashes.Add(t.Sha256);
                log($"run {i} (parallelism 2): {t.Seconds:0.000} s (CPU {t.CpuSeconds:0.000} s), peak RSS {Measure.MiB(t.PeakRss)}, managed peak {Measure.MiB(t.PeakManaged)}, allocated {Measure.MiB(t.Allocated)}");
            }
            for (var i = 1; i <= runs; i++)
            {
                var t = Timed(scenario, inputs, 1, Left());
                f.SerialSeconds.Add(t.Seconds);
                f.SerialPeakRssBytes = Max(f.SerialPeakRssBytes, t.PeakRss);
                f.SerialResultSha256 = t.Sha256;
                hashes.Add(t.Sha256);
                log($"run {i} (parallelism 1): {t.Seconds:0.000} s (CPU {t.CpuSeconds:0.000} s), peak RSS {Measure.MiB(t.PeakRss)}");
            }
        }
        catch (Exception e) when (e is ArgumentException or SamplingToleranceException)
        {
            f.Problem = "the engine refused or failed the run: " + e.Message;
            log(f.Problem);
        }
        catch (RunStoppedException e)
        {
            var which = f.ColdSeconds == 0 ? "the cold run" : f.WarmSeconds.Count < runs ? $"run {f.WarmSeconds.Count + 1} at parallelism 2" : $"run {f.SerialSeconds.Count + 1} at parallelism 1";
            f.Problem = string.Create(CultureInfo.InvariantCulture,
                $"{which} was stopped after {e.Seconds:N0} s, when the timed runs had used up --scenario-budget {options.ScenarioBudget:0} s; it had combined {e.Draws:N0} of its {scenario.Sampling.MinDraws:N0} draws")
                + (f.ColdSeconds == 0 ? "" : "; the runs before it are kept");
            log(f.Problem);
        }
        if (allocated.Count > 0) f.AllocatedBytes = (long)Measure.Median(allocated);
        if (f.SerialSeconds.Count > 0 && f.WarmSeconds.Count > 0)
        {
            f.Identical = hashes.Count == 1;
            log($"results at parallelism 2 and 1 {(f.Identical == true ? "byte-identical" : "DIFFER")} (ScenarioRun.ToJson, sha256 {f.ResultSha256[..16]}…)");
        }
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private sealed record TimedRun(ScenarioRun Run, double Seconds, long? PeakRss, bool PeakReset, long HeapBefore, long PeakManaged, long Allocated, string Sha256)
    {
        /// <summary>The process's CPU time (user + system, all threads) during the run: meaningful on a loaded machine, where wall time is not.</summary>
        public double CpuSeconds { get; init; }
    }

    private sealed class RunStoppedException(double seconds, int draws) : Exception("the run exceeded its budget")
    {
        public double Seconds { get; } = seconds;
        public int Draws { get; } = draws;
    }

    /// <summary>The draws combined so far (SamplingOptions.Progress, reported after each chunk).</summary>
    private sealed class DrawCount : IProgress<int>
    {
        private int _draws;
        public int Draws => Volatile.Read(ref _draws);
        public void Report(int value) => Volatile.Write(ref _draws, value);
    }

    private static TimedRun Timed(Scenario scenario, ScenarioInputs inputs, int parallelism, TimeSpan budget)
    {
        Measure.CollectGarbage();
        var reset = Measure.ResetPeakResident();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = new CancellationTokenSource(budget);
        var drawn = new DrawCount();
        using var sampler = new ManagedPeakSampler();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        ScenarioRun run;
        try
        {
            run = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = parallelism, Progress = drawn, CancellationToken = stop.Token });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new RunStoppedException(clock.Elapsed.TotalSeconds, drawn.Draws);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var managed = sampler.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var rss = Measure.PeakResidentBytes();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(run.ToJson())));
        return new TimedRun(run, seconds, rss, reset, sampler.Start, managed, allocated, sha) { CpuSeconds = cpu };
    }

    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
