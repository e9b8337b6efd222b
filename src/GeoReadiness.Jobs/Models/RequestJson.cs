using System.Text.Json;

namespace GeoReadiness.Jobs.Models;

/// <summary>Reading a request body that must be a JSON object, with problems keyed as ValidationProblem errors.</summary>
public static class RequestJson
{
    /// <summary>
    /// The body's root object, or null with the problem under <c>$</c>: an empty body (<paramref name="whenEmpty"/>),
    /// text that is not JSON, or JSON that is not an object (<paramref name="example"/> shows one).
    /// </summary>
    public static JsonElement? ParseObject(string? body, Dictionary<string, string[]> errors, string whenEmpty, string example)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(body))
        {
            AddError(errors, "$", whenEmpty);
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document.RootElement.Clone();
            AddError(errors, "$", $"the body must be a JSON object such as {example}");
            return null;
        }
        catch (JsonException e)
        {
            AddError(errors, "$", $"the body is not JSON: {e.Message}");
            return null;
        }
    }

    /// <summary>Adds a problem to the errors of <paramref name="key"/>.</summary>
    public static void AddError(Dictionary<string, string[]> errors, string key, string message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
    }
}
