using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Documents;

/// <summary>
/// What the readers of the JSON documents (assessment profiles, scenarios) share: every problem is collected as a
/// <see cref="ProfileProblem"/> with the path of its entry, rather than stopping at the first, so one round of
/// edits can fix them all.
/// </summary>
internal abstract class DocumentReader
{
    private readonly List<ProfileProblem> _problems = [];

    protected IReadOnlyList<ProfileProblem> Problems => _problems;

    /// <summary>Parses the text (comments allowed) or returns the problem at <c>$</c>.</summary>
    protected static JsonDocument? ParseJson(string json, out ProfileProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            problem = null;
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            problem = new ProfileProblem("$", $"not valid JSON: {e.Message}");
            return null;
        }
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
