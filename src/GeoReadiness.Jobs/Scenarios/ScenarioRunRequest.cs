using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Jobs.Scenarios;

/// <summary>
/// What a scenario run is asked for, stored with the run (<c>RunRecord.Request</c>): the CLI's <c>--seed</c> and
/// <c>--draws</c> (see <see cref="RunOverride"/>), the K of P(top-K), and the scenario version (null: the latest
/// when the run was created; the record names the version run).
/// </summary>
public sealed record ScenarioRunRequest(ulong? Seed = null, int? Draws = null, int? TopK = null, string? Version = null)
{
    /// <summary>The most draws a request may fix: enough for any tolerance this product needs, and bounded memory.</summary>
    public const int MaxDraws = 1_000_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static readonly string[] Keys = ["seed", "draws", "topK", "version"];

    /// <summary>The seed and draws as a <see cref="RunOverride"/>.</summary>
    public RunOverride Override => new(Draws, Seed);

    /// <summary>The request as stored: a JSON object of the given fields.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored request (written by <see cref="ToJson"/>).</summary>
    public static ScenarioRunRequest FromJson(string json) =>
        JsonSerializer.Deserialize<ScenarioRunRequest>(json, Json) ?? throw new InvalidDataException("the stored run request is null");

    /// <summary>
    /// Reads a request body: empty, or a JSON object with any of <c>seed</c> (whole number ≥ 0), <c>draws</c> (2 …
    /// <see cref="MaxDraws"/>), <c>topK</c> (≥ 1) and <c>version</c> (a non-empty string); null values count as absent.
    /// Every problem is added to <paramref name="errors"/> under its key (<c>$</c> for the body itself).
    /// </summary>
    public static ScenarioRunRequest? Parse(string? body, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(body)) return new ScenarioRunRequest();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            Add(errors, "$", $"the body is not JSON: {e.Message}");
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                Add(errors, "$", "the body must be a JSON object such as {\"seed\": 7, \"draws\": 1000}");
                return null;
            }
            var request = new ScenarioRunRequest();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (!Keys.Contains(property.Name, StringComparer.Ordinal))
                {
                    Add(errors, property.Name, $"unknown key: a run request takes {string.Join(", ", Keys)}");
                    continue;
                }
                if (value.ValueKind == JsonValueKind.Null) continue;
                switch (property.Name)
                {
                    case "seed":
                        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var seed)) request = request with { Seed = seed };
                        else Add(errors, "seed", $"the seed must be a whole number from 0 to {ulong.MaxValue}, got {value.GetRawText()}");
                        break;
                    case "draws":
                        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var draws) && draws is >= RunOverride.MinDraws and <= MaxDraws)
                            request = request with { Draws = draws };
                        else Add(errors, "draws", string.Create(CultureInfo.InvariantCulture,
                            $"draws must be a whole number from {RunOverride.MinDraws} (a standard error needs two draws) to {MaxDraws}, got {value.GetRawText()}"));
                        break;
                    case "topK":
                        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var k) && k >= 1) request = request with { TopK = k };
                        else Add(errors, "topK", $"topK must be a whole number of at least 1, got {value.GetRawText()}");
                        break;
                    case "version":
                        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } version) request = request with { Version = version };
                        else Add(errors, "version", $"version must be a non-empty string, got {value.GetRawText()}");
                        break;
                }
            }
            return errors.Count == 0 ? request : null;
        }
    }

    private static void Add(Dictionary<string, string[]> errors, string key, string message) =>
        errors[key] = errors.TryGetValue(key, out var existing) ? [.. existing, message] : [message];
}
