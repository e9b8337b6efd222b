namespace GeoReadiness.Cli;

/// <summary>
/// Parsed command-line words: positionals, <c>--name value</c> options and <c>--flag</c> switches.
/// Options a command does not know are reported as errors by <see cref="EnsureOnly"/>.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals { get; }

    private CliArgs(List<string> positionals) => Positionals = positionals;

    /// <param name="flagNames">names that take no value (everything else after -- takes one)</param>
    public static CliArgs Parse(IReadOnlyList<string> words, IReadOnlySet<string> flagNames)
    {
        var positionals = new List<string>();
        var result = new CliArgs(positionals);
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (!w.StartsWith("--", StringComparison.Ordinal) || w == "--") { positionals.Add(w); continue; }
            var name = w[2..];
            string? inline = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (flagNames.Contains(name))
            {
                if (inline is not null) throw new CliUsageException($"--{name} takes no value");
                result._flags.Add(name);
                continue;
            }
            var value = inline ?? (i + 1 < words.Count ? words[++i] : throw new CliUsageException($"--{name} needs a value"));
            if (!result._options.TryGetValue(name, out var list)) result._options[name] = list = [];
            list.Add(value);
        }
        return result;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Option(string name) =>
        _options.TryGetValue(name, out var v) ? (v.Count == 1 ? v[0] : throw new CliUsageException($"--{name} given {v.Count} times")) : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public string RequireOption(string name) => Option(name) ?? throw new CliUsageException($"--{name} is required");

    public int? IntOption(string name) =>
        Option(name) is { } s ? (int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new CliUsageException($"--{name} expects a whole number, got '{s}'")) : null;

    /// <summary>Rejects options and flags outside the given names, so a typo is never silently ignored.</summary>
    public void EnsureOnly(params string[] known)
    {
        var unknown = _options.Keys.Concat(_flags).Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0) throw new CliUsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}

/// <summary>A mistake in how the command was called: printed with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>A failure of the input (a file, a value): printed as an error, exit code 1.</summary>
public sealed class CliInputException(string message) : Exception(message);
