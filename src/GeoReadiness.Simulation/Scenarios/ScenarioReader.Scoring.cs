using System.Text.Json;
using System.Text.RegularExpressions;

namespace GeoReadiness.Simulation.Scenarios;

internal sealed partial class ScenarioReader
{
    /// <summary>A forecast model's version id, as <c>ForecastManifest.VersionId</c> gives it.</summary>
    [GeneratedRegex("^fm-[0-9a-f]{16}$")]
    private static partial Regex ModelIdPattern();

    /// <summary>
    /// The optional <c>scoring</c> ("profile" by default, or "ml"), <c>model</c> (a model version id; only with ml) and
    /// <c>modelError</c> (true by default; only with ml). Null after reporting a problem.
    /// </summary>
    private (ScenarioScoring Kind, string? Model, bool ModelError)? ReadScoring(JsonElement root)
    {
        var ok = true;
        var kind = ScenarioScoring.Profile;
        if (root.TryGetProperty("scoring", out var s))
        {
            switch (s.ValueKind == JsonValueKind.String ? s.GetString() : null)
            {
                case "profile": break;
                case "ml": kind = ScenarioScoring.Ml; break;
                default:
                    Problem("scoring", $"must be \"profile\" (the profile's score, the default) or \"ml\" (the forecast model's), not {s.GetRawText()}");
                    ok = false;
                    break;
            }
        }
        string? model = null;
        if (root.TryGetProperty("model", out _))
        {
            model = ReadString(root, "model", "model");
            if (model is not null && !ModelIdPattern().IsMatch(model))
            {
                Problem("model", $"'{model}' is not a forecast model version id (\"fm-\" and 16 hex digits, as GET /api/models lists them)");
                model = null;
            }
            ok &= model is not null;
            if (ok && kind != ScenarioScoring.Ml)
            {
                Problem("model", "a model is only read with \"scoring\": \"ml\" (this scenario uses the profile's score)");
                ok = false;
            }
        }
        var modelError = true;
        if (root.TryGetProperty("modelError", out var e))
        {
            if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Problem("modelError", "must be true (each draw adds a model error drawn from the model's residuals, the default) or false");
                ok = false;
            }
            else if (kind != ScenarioScoring.Ml && ok)
            {
                Problem("modelError", "model error is only drawn with \"scoring\": \"ml\" (this scenario uses the profile's score)");
                ok = false;
            }
            else modelError = e.ValueKind == JsonValueKind.True;
        }
        return ok ? (kind, model, modelError) : null;
    }
}
