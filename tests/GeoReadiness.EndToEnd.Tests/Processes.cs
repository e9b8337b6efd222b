using System.Diagnostics;
using System.Reflection;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.EndToEnd.Tests;

/// <summary>Locates the built server and CLI (same configuration as this test assembly) and runs them as processes.</summary>
public static class Processes
{
    /// <summary>Debug or Release: the server and CLI are built with the same configuration as this assembly.</summary>
    private static string Configuration =>
        typeof(Processes).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ProjectOutput(string project, string assembly)
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "src", project, "bin", Configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first: {path} is missing", path);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the CLI to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunCliAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = DotnetStart(ProjectOutput("GeoReadiness.Cli", "georeadiness.dll"), environment);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo DotnetStart(string dll, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        // The test host's own settings must not leak into the child (e.g. a PostGIS connection string).
        psi.Environment.Remove("ConnectionStrings__PostGis");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }
}

/// <summary>The API server as a real process on a free loopback port.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, TimeSpan? startTimeout = null)
    {
        var port = Processes.FreePort();
        var env = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" };
        var psi = Processes.DotnetStart(Processes.ProjectOutput("GeoReadiness.Api", "GeoReadiness.Api.dll"), env);
        var server = new ServerProcess(Process.Start(psi)!, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (startTimeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (server._process.HasExited)
                throw new InvalidOperationException($"the server exited with code {server._process.ExitCode}:\n{server.Log}");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await server.DisposeAsync();
        throw new TimeoutException($"the server did not answer /health in time:\n{server.Log}");
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
