using System.Diagnostics;
using System.Globalization;

namespace GeoReadiness.Bench;

/// <summary>
/// The timing harness: a plain Stopwatch around each run, a full blocking GC before every run (so one run's
/// garbage is not collected on the next one's clock), and the median of the runs. No BenchmarkDotNet: each run
/// takes seconds, so its statistics machinery buys nothing, and a run must be able to return its result.
/// </summary>
public static class Measure
{
    public static void CollectGarbage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    public static async Task<(T Result, double Seconds)> OnceAsync<T>(Func<Task<T>> run)
    {
        CollectGarbage();
        var clock = Stopwatch.StartNew();
        var result = await run();
        return (result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Runs <paramref name="runs"/> times; returns the last result and every run's seconds.</summary>
    public static async Task<(T Result, IReadOnlyList<double> Seconds)> RepeatAsync<T>(int runs, Func<Task<T>> run, Action<int, double>? onRun = null)
    {
        T last = default!;
        var seconds = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var (result, s) = await OnceAsync(run);
            last = result;
            seconds.Add(s);
            onRun?.Invoke(i + 1, s);
        }
        return (last, seconds);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Peak resident set size of this process (VmHWM from /proc/self/status), bytes; null off Linux.</summary>
    public static long? PeakResidentBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
            var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }

    /// <summary>
    /// Resets VmHWM to the current resident set size (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0), so that the
    /// next <see cref="PeakResidentBytes"/> is the peak since now; false where that is not possible.
    /// </summary>
    public static bool ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string Seconds(double s) => double.IsNaN(s) ? "–" : s.ToString(s < 1 ? "0.000" : s < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string List(IEnumerable<double> seconds) => string.Join(", ", seconds.Select(Seconds));

    public static string MiB(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("0", CultureInfo.InvariantCulture) + " MiB" : "–";
}

/// <summary>The largest managed heap size (GC.GetTotalMemory without collecting) seen while it runs, sampled every 10 ms on a thread of its own.</summary>
public sealed class ManagedPeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    /// <summary>The managed heap when sampling started.</summary>
    public long Start { get; }

    public ManagedPeakSampler()
    {
        Start = _peak = GC.GetTotalMemory(false);
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                var now = GC.GetTotalMemory(false);
                if (now > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, now);
                Thread.Sleep(10);
            }
        }) { IsBackground = true, Name = "managed peak sampler" };
        _thread.Start();
    }

    /// <summary>Stops sampling; the peak seen.</summary>
    public long Stop()
    {
        _stop = true;
        _thread.Join();
        return Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false));
    }

    public void Dispose()
    {
        if (!_stop) Stop();
    }
}
