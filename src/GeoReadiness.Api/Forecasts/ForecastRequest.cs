using System.Globalization;
using System.Text.Json;
using GeoReadiness.Api.Infrastructure;
using GeoReadiness.Jobs.Models;
using GeoReadiness.Api.Health;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Api.Forecasts;

/// <summary>
/// The body of <c>POST /api/forecasts</c>: which round and units to forecast from, with which model, what to change
/// (overrides by feature name), who was selected before, and how much explanation and what interval to give.
/// </summary>
/// <param name="Year">the round the forecast starts from (null: the latest year with questionnaire answers)</param>
/// <param name="Units">Kemendagri codes to forecast (null: every assessed unit of <paramref name="Level"/>)</param>
/// <param name="Level">the level forecast when no units are named (default regency)</param>
/// <param name="Model"><c>current</c> (default) or a model id</param>
/// <param name="Overrides">per unit code, feature values replacing the store's</param>
/// <param name="SelectedBefore">codes selected for a mentoring cohort in <paramref name="Year"/> or before</param>
/// <param name="Top">drivers up and down per unit and target (1–20, default 5)</param>
/// <param name="Coverage">the prediction interval's coverage, between 0 and 1 (default: the model's)</param>
/// <param name="YearsToNext">years from <paramref name="Year"/> to the forecast round (1–10, default 1)</param>
public sealed record ForecastRequest(
    int? Year = null,
    IReadOnlyList<string>? Units = null,
    AdminLevel? Level = null,
    string Model = ForecastRequest.CurrentModel,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? Overrides = null,
    IReadOnlyList<string>? SelectedBefore = null,
    int Top = 5,
    double? Coverage = null,
    int YearsToNext = 1)
{
    public const string CurrentModel = "current";
    public const int MaxTop = 20;
    public const int MaxYearsToNext = 10;
    public const int MaxUnits = 10_000;

    private static readonly string[] Keys = ["year", "units", "level", "model", "overrides", "selectedBefore", "top", "coverage", "yearsToNext"];

    /// <summary>
    /// Reads the body; every problem is added to <paramref name="errors"/> under its key (<c>units[2]</c>,
    /// <c>overrides.13.05</c>; <c>$</c> for the body). Feature names are checked later, against the model.
    /// </summary>
    public static ForecastRequest? Parse(string? body, Dictionary<string, string[]> errors)
    {
        const string example = "{\"year\": 2019, \"units\": [\"13.05\"], \"model\": \"current\"}";
        if (RequestJson.ParseObject(body, errors, $"the body is empty: send a forecast request such as {example}", example) is not { } root) return null;
        var request = new ForecastRequest();
        foreach (var property in root.EnumerateObject())
        {
            var (name, value) = (property.Name, property.Value);
            if (!Keys.Contains(name, StringComparer.Ordinal))
            {
                ApiParameters.AddError(errors, name, $"unknown key: a forecast request takes {string.Join(", ", Keys)}");
                continue;
            }
            if (value.ValueKind == JsonValueKind.Null) continue;
            switch (name)
            {
                case "year":
                    if (value.TryGetInt32Strict(out var year) && year is >= QuestionnaireSchema.FirstYear and <= QuestionnaireSchema.LastYear) request = request with { Year = year };
                    else ApiParameters.AddError(errors, "year", $"year must be a whole number from {QuestionnaireSchema.FirstYear} to {QuestionnaireSchema.LastYear}, got {value.GetRawText()}");
                    break;
                case "units":
                    request = request with { Units = Codes(value, "units", errors) };
                    break;
                case "selectedBefore":
                    request = request with { SelectedBefore = Codes(value, "selectedBefore", errors) };
                    break;
                case "level":
                    if (value.ValueKind == JsonValueKind.String && UnitLevels.TryParse(value.GetString(), out var level)) request = request with { Level = level };
                    else ApiParameters.AddError(errors, "level", $"{value.GetRawText()} is not a level: use province, regency, district or village");
                    break;
                case "model":
                    if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } model) request = request with { Model = model };
                    else ApiParameters.AddError(errors, "model", $"model must be \"current\" or a model id (GET /api/models), got {value.GetRawText()}");
                    break;
                case "overrides":
                    request = request with { Overrides = ParseOverrides(value, errors) };
                    break;
                case "top":
                    if (value.TryGetInt32Strict(out var top) && top is >= 1 and <= MaxTop) request = request with { Top = top };
                    else ApiParameters.AddError(errors, "top", $"top must be a whole number from 1 to {MaxTop}, got {value.GetRawText()}");
                    break;
                case "coverage":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is > 0 and < 1 and var coverage) request = request with { Coverage = coverage };
                    else ApiParameters.AddError(errors, "coverage", $"coverage must be a number between 0 and 1 (e.g. 0.9), got {value.GetRawText()}");
                    break;
                case "yearsToNext":
                    if (value.TryGetInt32Strict(out var years) && years is >= 1 and <= MaxYearsToNext) request = request with { YearsToNext = years };
                    else ApiParameters.AddError(errors, "yearsToNext", $"yearsToNext must be a whole number from 1 to {MaxYearsToNext}, got {value.GetRawText()}");
                    break;
            }
        }
        if (request.Units is not null && request.Level is not null)
            ApiParameters.AddError(errors, "level", "give units or level, not both: the level is that of the units");
        return errors.Count == 0 ? request : null;
    }

    private static string[]? Codes(JsonElement value, string key, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            ApiParameters.AddError(errors, key, $"{key} must be an array of Kemendagri codes such as [\"13.05\"], got {value.GetRawText()}");
            return null;
        }
        var codes = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{key}[{i++}]");
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } code && KemendagriCode.IsValid(code)) codes.Add(code);
            else ApiParameters.AddError(errors, at, $"{item.GetRawText()} is not a Kemendagri code, e.g. 13.05");
        }
        if (codes.Count > MaxUnits) ApiParameters.AddError(errors, key, $"at most {MaxUnits} codes, got {codes.Count}");
        var repeated = codes.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) ApiParameters.AddError(errors, key, $"listed more than once: {string.Join(", ", repeated)}");
        if (key == "units" && codes.Count == 0 && i == 0) ApiParameters.AddError(errors, key, "no unit: name at least one, or leave units out and give a level");
        return codes.ToArray();
    }

    private static Dictionary<string, IReadOnlyDictionary<string, double>>? ParseOverrides(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            ApiParameters.AddError(errors, "overrides", $"overrides must be an object such as {{\"13.05\": {{\"ict_staff_pct\": 4.0}}}}, got {value.GetRawText()}");
            return null;
        }
        var result = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var unit in value.EnumerateObject())
        {
            var key = "overrides." + unit.Name;
            if (!KemendagriCode.IsValid(unit.Name))
            {
                ApiParameters.AddError(errors, key, $"'{unit.Name}' is not a Kemendagri code, e.g. 13.05");
                continue;
            }
            if (unit.Value.ValueKind != JsonValueKind.Object)
            {
                ApiParameters.AddError(errors, key, $"the overrides of {unit.Name} must be an object of feature values such as {{\"ict_staff_pct\": 4.0}}, got {unit.Value.GetRawText()}");
                continue;
            }
            var features = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var feature in unit.Value.EnumerateObject())
            {
                if (feature.Value.ValueKind == JsonValueKind.Number && feature.Value.GetDouble() is var v && double.IsFinite(v)) features[feature.Name] = v;
                else ApiParameters.AddError(errors, $"{key}.{feature.Name}", $"{feature.Name} must be a number, got {feature.Value.GetRawText()}");
            }
            result[unit.Name] = features;
        }
        return result;
    }
}

internal static class JsonElementExtensions
{
    /// <summary>A JSON number that is a whole int (not 2.5, not a string).</summary>
    public static bool TryGetInt32Strict(this JsonElement value, out int result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out result);
    }
}
