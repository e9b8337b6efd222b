namespace GeoReadiness.Cli;

/// <summary>One verb of the <c>georeadiness</c> command line.</summary>
public interface ICliCommand
{
    /// <summary>The words that select the command, e.g. <c>import</c> or <c>demo generate</c>.</summary>
    string Name { get; }
    string Summary { get; }
    /// <summary>Usage text shown by <c>georeadiness help NAME</c> and after a usage error.</summary>
    string Usage { get; }
    /// <summary>Options that take no value.</summary>
    IReadOnlySet<string> Flags { get; }
    Task<int> RunAsync(CliArgs args, CliContext context, CancellationToken cancellationToken);
}

/// <summary>What a command may use: output writers and the environment.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>Whether <see cref="Error"/> is a terminal, where progress may be redrawn in place.</summary>
    public bool ErrorIsTerminal { get; init; }
}
