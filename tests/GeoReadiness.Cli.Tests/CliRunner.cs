using GeoReadiness.Cli;

namespace GeoReadiness.Cli.Tests;

/// <summary>Runs the command line in-process, as <c>georeadiness ARGS</c> would, and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliContext(o, e), CancellationToken.None);
        return (exit, o.ToString(), e.ToString());
    }
}
