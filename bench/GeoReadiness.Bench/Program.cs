using System.Diagnostics;
using System.Globalization;
using GeoReadiness.Bench;
using GeoReadiness.Bench.Forecasting;
using GeoReadiness.Bench.Scenarios;
using GeoReadiness.Spatial.Demo.NationalScale;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Indicators.PostGis;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.PeakStore is not null) return await PeakChild.RunAsync(options.PeakStore);

var root = RepoRoot();
if (options.Only == "scenarios") return await ScenarioBench.MainAsync(options, root, Log);
if (options.Only == "forecasting") return await ForecastBench.MainAsync(options, root, Log);
if (options.ReportFrom is not null)
{
    var saved = BenchResults.Load(options.ReportFrom);
    var target = Path.IsPathRooted(options.Out) ? options.Out : Path.Combine(root, options.Out);
    await File.WriteAllTextAsync(target, Report.Markdown(saved, root, ScenarioResults.LoadDefault(root), ForecastResults.LoadDefault(root)));
    Log($"wrote {target} from {options.ReportFrom}");
    return 0;
}
var results = new BenchResults { Options = options, Machine = MachineInfo.Read() };
var indicatorOptions = IndicatorOptions.Default;
var work = options.Work ?? Directory.CreateTempSubdirectory("georeadiness-bench.").FullName;
Directory.CreateDirectory(work);
Log($"work directory {work}; {results.Machine.Cores} cores, {results.Machine.CpuModel}; load average {results.LoadAtStart}");

// ------------------------------------------------------------------ data
var clock = Stopwatch.StartNew();
var data = NationalScaleGenerator.Generate(new NationalScaleOptions(options.Seed, options.Scale));
results.GenerateSeconds = clock.Elapsed.TotalSeconds;
results.DatasetSummary = NationalSummary.Of(data, options.Seed, options.Scale);
Log($"generated in {results.GenerateSeconds:0.0} s: {results.DatasetSummary}");

clock.Restart();
var pyDir = Path.Combine(work, "geopandas");
if (!options.Skip.Contains("geopandas")) GeoPandasFiles.Write(data, indicatorOptions, pyDir);
results.GeoPandasFilesSeconds = clock.Elapsed.TotalSeconds;

var routes = NewRoutes(data, options.Routes);
var change = data.ToChange();
var pgConn = Environment.GetEnvironmentVariable("PG_CONN");
PostGisStore? pgStore = null;
if (!string.IsNullOrWhiteSpace(pgConn) && !(options.Skip.Contains("postgis") && options.Skip.Contains("handtuned")))
{
    Log("loading PostGIS (PostGisStore.ApplyAsync: binary COPY + upsert), then VACUUM ANALYZE ...");
    clock.Restart();
    pgStore = await PostGisStore.OpenAsync(pgConn, new PostGisStoreOptions { QueryTimeout = TimeSpan.FromHours(1), ApplyTimeout = TimeSpan.FromHours(1) });
    await pgStore.ApplyAsync(change);
    await using (var ds = BenchDataSource.Create(pgConn))
    await using (var cmd = ds.CreateCommand("VACUUM ANALYZE"))
        await cmd.ExecuteNonQueryAsync();
    results.PostGisLoadSeconds = clock.Elapsed.TotalSeconds;
    Log($"PostGIS loaded in {results.PostGisLoadSeconds:0.0} s");
}

EngineFigures? reference = null;
var referenceName = "embedded";
if (options.Skip.Contains("embedded"))
{
    results.Embedded = new EngineRun("embedded (NetTopologySuite)", "full product leaf measurement + aggregation", [], null, "skipped (--skip)");
}
else
{
    var storeDir = Path.Combine(work, "embedded");
    Log("loading the embedded store ...");
    clock.Restart();
    await using (var loading = await EmbeddedStore.OpenAsync(storeDir)) await loading.ApplyAsync(change);
    results.EmbeddedLoadSeconds = clock.Elapsed.TotalSeconds;
    Log($"embedded store loaded and written in {results.EmbeddedLoadSeconds:0.0} s");
    change = null;
    data = null;
    Measure.CollectGarbage();

    // Peak memory first, in a child process that does nothing but open the store and compute.
    results.EmbeddedChild = await PeakChild.SpawnAsync(storeDir);
    Log($"child process: open {results.EmbeddedChild.Value.OpenSeconds:0.00} s, cold compute {results.EmbeddedChild.Value.ComputeSeconds:0.00} s, VmHWM {Measure.MiB(results.EmbeddedChild.Value.PeakAfterOpenBytes)} after open, {Measure.MiB(results.EmbeddedChild.Value.PeakBytes)} after compute");

    await using var store = await EmbeddedStore.OpenAsync(storeDir);
    var engine = new EmbeddedIndicatorEngine(store);
    var (cold, coldSeconds) = await Measure.OnceAsync(() => IndicatorCalculator.ComputeAsync(engine, indicatorOptions));
    results.EmbeddedCold = new EngineRun("embedded, cold (first compute in the process)", "", [coldSeconds], null);
    Log($"embedded cold: {coldSeconds:0.000} s ({cold.Statistics.LeavesMeasured} leaves, unassigned {cold.Statistics.Unassigned})");
    var (baseline, warm) = await Measure.RepeatAsync(options.Runs, () => IndicatorCalculator.ComputeAsync(engine, indicatorOptions),
        (i, s) => Log($"embedded warm run {i}: {s:0.000} s"));
    results.Embedded = new EngineRun("embedded (NetTopologySuite, product engine)", "full product leaf measurement + aggregation", warm, results.EmbeddedChild?.PeakBytes);
    reference = EngineFigures.From(baseline);
    results.Totals.Add(Totals("embedded", reference));

    // Incremental: one new existing fibre route in one kabupaten at a time, applied to the store, then recomputed.
    var previous = baseline;
    foreach (var (regency, route) in routes)
    {
        var before = (await store.GetSummaryAsync()).DataVersion;
        var applyClock = Stopwatch.StartNew();
        var applied = await store.ApplyAsync(new DatasetChange { Source = "bench: new fibre route", FibreRoutes = [route] });
        var applySeconds = applyClock.Elapsed.TotalSeconds;
        // The product's path: the store's change log since the previous set's version, turned into areas to re-measure.
        var log = await store.GetChangesSinceAsync(before) ?? throw new InvalidOperationException("the store kept no change log since version " + before);
        var areas = ChangedAreas.From(log, indicatorOptions);
        var (next, seconds) = await Measure.OnceAsync(() => IndicatorCalculator.ComputeAsync(engine, indicatorOptions, previous, areas));
        if (!next.Statistics.Incremental) results.Notes.Add($"incremental recompute for {route.Id} fell back to a full computation");
        // The same recompute again: the engine has now prepared the changed fibre layer, so this is the cost
        // without that one-off preparation.
        var (_, again) = await Measure.OnceAsync(() => IndicatorCalculator.ComputeAsync(engine, indicatorOptions, previous, areas));
        results.Incremental.Add(new IncrementalRun(regency, route.Id, GeodesicMeasure.Length(route.Geometry) / 1000, applySeconds, seconds, again,
            next.Statistics.LeavesMeasured, next.Statistics.UnitsRecomputed));
        Log($"incremental {route.Id} in {regency}: {seconds * 1000:0.0} ms (again, prepared: {again * 1000:0.0} ms), {next.Statistics.LeavesMeasured} leaves measured, {next.Statistics.UnitsRecomputed} units recomputed (store apply {applySeconds:0.00} s)");
        previous = next;
    }
    var full = await IndicatorCalculator.ComputeAsync(engine, indicatorOptions);
    var sameLeaves = full.Leaves.Count == previous.Leaves.Count && full.Leaves.Zip(previous.Leaves).All(p => p.First.Equals(p.Second));
    var fullUnits = full.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
    var differingUnits = previous.Units.Count(u => !fullUnits.TryGetValue(u.Code, out var f) || !SameUnit(u, f));
    results.IncrementalCheck = sameLeaves && differingUnits == 0
        ? $"after the {routes.Count} incremental recomputes, a full recompute gives identical measures for all {full.Leaves.Count:N0} leaves and identical figures for all {full.Units.Count:N0} units"
        : $"MISMATCH: after the incremental recomputes, a full recompute differs (leaves identical: {sameLeaves}; units differing: {differingUnits})";
    Log(results.IncrementalCheck);
}

// ------------------------------------------------------------------ real boundaries (embedded only)
if (!options.Skip.Contains("real") && !options.Skip.Contains("embedded"))
{
    Log("real-boundaries variant: importing ../shared/data boundaries and generating layers ...");
    results.RealBoundaries = await RealBoundariesVariant.RunAsync(root, work, options.Scale, options.Runs, options.Seed, Log);
    if (results.RealBoundaries.Problem is { } problem) Log("real-boundaries variant " + problem);
    Measure.CollectGarbage();
}

// ------------------------------------------------------------------ PostGIS
if (pgStore is null)
{
    var why = string.IsNullOrWhiteSpace(pgConn) ? "not available: PG_CONN is not set (bench/run.sh starts a PostGIS and sets it)" : "skipped (--skip)";
    results.ProductPostGis = new EngineRun("PostGIS, product engine", "", [], null, why);
    results.HandTuned = new EngineRun("PostGIS, hand-tuned SQL", "", [], null, why);
}
else
{
    await using var dataSource = BenchDataSource.Create(pgConn!);
    if (options.Skip.Contains("postgis"))
        results.ProductPostGis = new EngineRun("PostGIS, product engine", "", [], null, "skipped (--skip)");
    else
    {
        var engine = new PostGisIndicatorEngine(pgStore, statementTimeout: TimeSpan.FromHours(1));
        var (set, seconds) = await Measure.RepeatAsync(options.PostGisRuns ?? options.Runs, () => IndicatorCalculator.ComputeAsync(engine, indicatorOptions),
            (i, s) => Log($"PostGIS product engine run {i}: {s:0.0} s"));
        results.ProductPostGis = new EngineRun("PostGIS, product engine (PostGisIndicatorEngine)", "full product leaf measurement + aggregation", seconds, null);
        var figures = EngineFigures.From(set);
        results.Totals.Add(Totals("PostGIS product", figures));
        if (reference is not null) results.Agreements.Add(Agreement.Check("PostGIS product", figures, referenceName, reference, extended: true));
        else (reference, referenceName) = (figures, "PostGIS product");
    }
    if (options.Skip.Contains("handtuned"))
        results.HandTuned = new EngineRun("PostGIS, hand-tuned SQL", "", [], null, "skipped (--skip)");
    else
    {
        var sql = new HandTunedSql(Path.Combine(root, "bench", "sql", "handtuned.sql"));
        var steps = new List<IReadOnlyList<(string Label, double Seconds)>>();
        var (_, seconds) = await Measure.RepeatAsync(options.PostGisRuns ?? options.Runs, async () =>
        {
            steps.Add(await sql.RunAsync(dataSource));
            return 0;
        }, (i, s) => Log($"hand-tuned SQL run {i}: {s:0.0} s ({string.Join(", ", steps[^1].Select(x => $"{x.Label} {x.Seconds:0.0}"))})"));
        results.HandTuned = new EngineRun("PostGIS, hand-tuned SQL (bench/sql/handtuned.sql)", "the same leaf measurement + regency sums", seconds, null);
        results.HandTunedSteps = steps[0].Select(s => (s.Label, Measure.Median(steps.Select(r => r.First(x => x.Label == s.Label).Seconds).ToArray()))).ToList();
        var figures = await HandTunedSql.ReadAsync(dataSource);
        results.Totals.Add(Totals("hand-tuned SQL", figures));
        if (reference is not null) results.Agreements.Add(Agreement.Check("hand-tuned SQL", figures, referenceName, reference, extended: true));
        else (reference, referenceName) = (figures, "hand-tuned SQL");
    }
    await pgStore.DisposeAsync();
}

// ------------------------------------------------------------------ geopandas
if (options.Skip.Contains("geopandas"))
{
    results.GeoPandas = new EngineRun("geopandas", "", [], null, "skipped (--skip)");
}
else
{
    var (run, figures, steps, versions) = await GeoPandasRunner.RunAsync(options.Python, Path.Combine(root, "bench", "geopandas_join.py"), pyDir, options.GeoPandasRuns, Log);
    results.GeoPandas = run;
    results.GeoPandasSteps = steps;
    if (versions is not null) results.Notes.Add("geopandas stack: " + versions);
    if (figures is not null)
    {
        results.Totals.Add(Totals("geopandas", figures));
        if (reference is not null) results.Agreements.Add(Agreement.Check("geopandas", figures, referenceName, reference, extended: false));
    }
}

foreach (var a in results.Agreements)
{
    Log($"agreement {a.Engine} vs {a.Reference}: {(a.Agrees ? "identical" : a.MismatchCount + " mismatches")} ({a.VillagesCompared:N0} villages, {a.RegenciesCompared} regencies)");
    foreach (var m in a.Mismatches) Log("  " + m);
}
foreach (var t in results.Totals) Log(t);

results.LoadAtEnd = BenchResults.LoadAverage();
var outPath = Path.IsPathRooted(options.Out) ? options.Out : Path.Combine(root, options.Out);
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
var jsonPath = Path.Combine(root, "bench", "results", options.Scale == 1.0 ? "benchmarks.json" : $"benchmarks-scale-{options.Scale.ToString(CultureInfo.InvariantCulture)}.json");
Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
results.Save(jsonPath);
await File.WriteAllTextAsync(outPath, Report.Markdown(results, root, ScenarioResults.LoadDefault(root), ForecastResults.LoadDefault(root)));
Log($"wrote {outPath} and {jsonPath}");
if (options.Work is null) Directory.Delete(work, recursive: true);
return results.Agreements.All(a => a.Agrees) ? 0 : 1;

static void Log(string message) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

static string Totals(string engine, EngineFigures f) => string.Create(CultureInfo.InvariantCulture,
    $"{engine}: population {f.TotalPopulation:N0}, covered 4G {f.TotalCovered4G:N0}, fibre {f.TotalFibreKm:N3} km, villages on fibre {f.TotalVillagesOnFibre:N0}");

static bool SameUnit(UnitIndicators a, UnitIndicators b) =>
    a.Population == b.Population && a.TowersTotal == b.TowersTotal && a.VillagesOnFibre == b.VillagesOnFibre
    && a.HouseholdsFixedReach == b.HouseholdsFixedReach
    && a.Coverage.Count == b.Coverage.Count && a.Coverage.All(kv => b.Coverage.TryGetValue(kv.Key, out var c) && c == kv.Value)
    && a.FibreKm.Count == b.FibreKm.Count && a.FibreKm.All(kv => b.FibreKm.TryGetValue(kv.Key, out var km) && Math.Abs(km - kv.Value) <= 1e-9 * Math.Max(1, Math.Abs(km)));

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "GeoReadiness.sln"))) return dir.FullName;
    throw new InvalidOperationException("run from inside the GeoReadiness repository (GeoReadiness.sln not found above the current directory)");
}

// One new existing route per chosen kabupaten: through the anchors (offices) of the first three villages of its first
// kecamatan with at least three villages — a short local extension, like a real feeder route.
static List<(string Regency, FibreRoute Route)> NewRoutes(NationalScaleDataset data, int count)
{
    var kabupaten = data.Regencies.Where(r => r.Kind == UnitKind.Kabupaten).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
    var offices = data.Facilities.Where(f => f.UnitCode is not null).ToDictionary(f => f.UnitCode!, f => f.Location.Coordinate, StringComparer.Ordinal);
    var villagesByDistrict = data.Villages.GroupBy(v => v.ParentCode!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Code, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
    var routes = new List<(string, FibreRoute)>();
    for (var i = 0; i < count && kabupaten.Count > 0; i++)
    {
        var regency = kabupaten[(int)((i + 0.5) * kabupaten.Count / count)];
        var district = data.Districts.Where(d => d.ParentCode == regency.Code).OrderBy(d => d.Code, StringComparer.Ordinal)
            .FirstOrDefault(d => villagesByDistrict.TryGetValue(d.Code, out var vs) && vs.Count >= 3);
        if (district is null) continue;
        var coords = villagesByDistrict[district.Code].Take(3).Select(v => offices[v.Code].Copy()).ToArray();
        var line = Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString(coords)]);
        routes.Add((regency.Code, new FibreRoute { Id = $"BENCH-NEW-{i + 1}", Geometry = line, Status = FibreStatus.Existing, Year = 2026, Owner = "bench", Name = "bench route in " + regency.Code }));
    }
    return routes;
}
