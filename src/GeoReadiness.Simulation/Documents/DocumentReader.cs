using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Documents;

/// <summary>
/// What the readers of the JSON documents (assessment profiles, scenarios) share: every problem is collected as a
/// <see cref="ProfileProblem"/> with the path of its entry, rather than stopping at the first, so one round of
/// edits can fix them all.
/// </summary>
internal abstract partial class DocumentReader
{
    private readonly List<ProfileProblem> _problems = [];

    protected IReadOnlyList<ProfileProblem> Problems => _problems;

    /// <summary>
    /// Parses the text (comments allowed; invalid JSON is one problem at <c>$</c>) and reads its root with
    /// <paramref name="read"/>: the value when no problem was found, else null and every problem.
    /// </summary>
    protected static (T? Value, IReadOnlyList<ProfileProblem> Problems) ReadDocument<TReader, T>(string json, TReader reader,
        Func<TReader, JsonElement, T?> read)
        where TReader : DocumentReader
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return (null, [new ProfileProblem("$", $"not valid JSON: {e.Message}")]);
        }
        using (doc)
        {
            var value = read(reader, doc.RootElement);
            return reader._problems.Count == 0 && value is not null ? (value, []) : (null, reader._problems.ToArray());
        }
    }

    /// <summary>Reads every element of an array (paths <c>path[i]</c>): all of them, or null when any has a problem.</summary>
    protected static List<T>? ReadEach<T>(JsonElement array, string path, Func<JsonElement, string, T?> read)
        where T : class
    {
        var result = new List<T>();
        var index = 0;
        foreach (var e in array.EnumerateArray())
            if (read(e, $"{path}[{index++}]") is { } item)
                result.Add(item);
        return result.Count == index ? result : null;
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 document text.</summary>
    protected static string Sha256Of(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    protected void Problem(string path, string message) => _problems.Add(new ProfileProblem(path, message));

    protected static string Num(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>
    /// The path of an array entry: by its id where it has a non-empty string one (<c>interventions[fibre-nagari]</c>),
    /// else by its position.
    /// </summary>
    protected static string EntryPath(JsonElement e, string arrayPath, int index) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var idElement)
        && idElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(idElement.GetString())
            ? $"{arrayPath}[{idElement.GetString()}]"
            : $"{arrayPath}[{index}]";

    /// <summary>True when <paramref name="e"/> is an object; reports every key not in <paramref name="known"/>.</summary>
    protected bool CheckObject(JsonElement e, string path, params string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "must be an object");
            return false;
        }
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                Problem(path == "$" ? p.Name : $"{path}.{p.Name}", $"unknown key (expected one of: {string.Join(", ", known)})");
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    /// <summary>A document id (<c>kominfo-2019</c>, <c>padang-pariaman-263km</c>): letters, digits, single hyphens.</summary>
    protected string? ReadSlug(JsonElement obj, string key, string path)
    {
        var slug = ReadString(obj, key, path);
        if (slug is null || SlugPattern().IsMatch(slug))
            return slug;
        Problem(path, $"'{slug}' is not a lowercase slug (letters, digits, single hyphens)");
        return null;
    }

    protected string? ReadString(JsonElement obj, string key, string path, bool allowEmpty = false)
    {
        if (!obj.TryGetProperty(key, out var v))
        {
            Problem(path, "missing");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String || (!allowEmpty && string.IsNullOrWhiteSpace(v.GetString())))
        {
            Problem(path, allowEmpty ? "must be a string" : "must be a non-empty string");
            return null;
        }
        return v.GetString();
    }

    protected double? ReadNumber(JsonElement obj, string key, string path)
    {
        if (!obj.TryGetProperty(key, out var v))
        {
            Problem(path, "missing");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            Problem(path, "must be a number");
            return null;
        }
        return d;
    }
}
