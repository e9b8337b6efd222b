using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GeoReadiness.Bench;

/// <summary>Runs bench/geopandas_join.py with Debian's Python and reads back its timings and per-unit figures.</summary>
public static class GeoPandasRunner
{
    public static async Task<(EngineRun Run, EngineFigures? Figures, List<(string Label, double Seconds)> Steps, string? Versions)> RunAsync(
        string python, string script, string directory, int runs, Action<string> log)
    {
        const string name = "geopandas (Debian python3-geopandas)";
        const string job = "PERF-NOTES job: point→village, 4G coverage, fibre km, village on fibre, regency sums";
        var check = await RunProcessAsync(python, ["-c", "import geopandas, shapely, pyproj; print(geopandas.__version__, shapely.__version__, pyproj.__version__)"]);
        if (check.Code != 0)
            return (new EngineRun(name, job, [], null, $"not available: {python} cannot import geopandas (apt-get install python3-geopandas)"), null, [], null);
        var parts = check.Out.Trim().Split(' ');
        var versions = $"geopandas {parts[0]}, shapely {parts.ElementAtOrDefault(1)}, pyproj {parts.ElementAtOrDefault(2)}";
        log($"running geopandas ({versions}), {runs} run(s) ...");
        var result = await RunProcessAsync(python, [script, "--dir", directory, "--runs", runs.ToString(CultureInfo.InvariantCulture)], log);
        if (result.Code != 0)
            return (new EngineRun(name, job, [], null, "failed: " + result.Err.Trim().Split('\n').LastOrDefault()), null, [], versions);

        using var stats = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "stats.json")));
        var seconds = stats.RootElement.GetProperty("runs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var peak = stats.RootElement.GetProperty("peak_rss_bytes").GetInt64();
        var steps = stats.RootElement.GetProperty("steps").EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())).ToList();
        var readSeconds = stats.RootElement.GetProperty("read_seconds").GetDouble();

        var villages = ReadFigures(Path.Combine(directory, "villages_out.csv"));
        var regencies = ReadFigures(Path.Combine(directory, "regencies_out.csv"));
        return (new EngineRun(name, job, seconds, peak, Notes: $"reading the CSV inputs: {readSeconds:0.0} s (not timed)"),
            new EngineFigures(villages, regencies), steps, versions);
    }

    private static Dictionary<string, UnitFigures> ReadFigures(string path)
    {
        var result = new Dictionary<string, UnitFigures>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            result[f[0]] = new UnitFigures
            {
                Code = f[0],
                Population = long.Parse(f[1], CultureInfo.InvariantCulture),
                Covered4G = long.Parse(f[2], CultureInfo.InvariantCulture),
                FibreMetres = double.Parse(f[3], CultureInfo.InvariantCulture),
                VillagesOnFibre = long.Parse(f[4], CultureInfo.InvariantCulture),
            };
        }
        return result;
    }

    private static async Task<(int Code, string Out, string Err)> RunProcessAsync(string file, string[] args, Action<string>? log = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
        using (process)
        {
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                output.AppendLine(e.Data);
                log?.Invoke("  geopandas: " + e.Data);
            };
            process.BeginOutputReadLine();
            var err = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output.ToString(), await err);
        }
    }
}
