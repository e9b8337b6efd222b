using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Bench;

/// <summary>
/// Peak memory of the embedded engine, measured in a process of its own that only opens the store and computes
/// the indicators once — so that the generator, PostGIS loading and the parent's copies of the data do not count.
/// The figure is VmHWM (peak resident set) from /proc/self/status.
/// </summary>
public static class PeakChild
{
    private sealed record Report(double OpenSeconds, double ComputeSeconds, long PeakBytes, long PeakAfterOpenBytes, int Leaves);

    /// <summary>Child side: prints one JSON line.</summary>
    public static async Task<int> RunAsync(string storeDirectory)
    {
        var clock = Stopwatch.StartNew();
        await using var store = await EmbeddedStore.OpenAsync(storeDirectory);
        var open = clock.Elapsed.TotalSeconds;
        var afterOpen = Measure.PeakResidentBytes() ?? -1;
        var engine = new EmbeddedIndicatorEngine(store);
        clock.Restart();
        var set = await IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default);
        var compute = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Report(open, compute, Measure.PeakResidentBytes() ?? -1, afterOpen, set.Leaves.Count)));
        return 0;
    }

    /// <summary>Parent side: runs this program in child mode on the store directory.</summary>
    public static async Task<(double OpenSeconds, double ComputeSeconds, long PeakBytes, long PeakAfterOpenBytes)> SpawnAsync(string storeDirectory)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(PeakChild).Assembly.Location);
        start.ArgumentList.Add("peak");
        start.ArgumentList.Add("--store");
        start.ArgumentList.Add(storeDirectory);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"peak-memory child failed ({process.ExitCode}): {await stderr}");
        var line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        var report = JsonSerializer.Deserialize<Report>(line) ?? throw new InvalidOperationException("no report from the child: " + line);
        return (report.OpenSeconds, report.ComputeSeconds, report.PeakBytes, report.PeakAfterOpenBytes);
    }
}
