using System.Text.Json;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Documents;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// Reads a cohort request from the JSON a user sends (docs/cohorts.md, "The request"), reporting every malformed value
/// with its path (<c>k</c>, <c>constraints.maxPerProvince</c>, <c>units[3]</c>, …) instead of stopping at the first.
/// What needs the pool (unknown units, K above the eligible units, quotas that cannot be met) is checked later by
/// <see cref="CohortValidator"/>.
/// </summary>
public static class CohortRequestParser
{
    /// <summary>The largest number of draws a request may ask for (each draw solves the selection once).</summary>
    public const int MaxDraws = 20_000;

    /// <summary>The request, or null and every problem found.</summary>
    public static (CohortRequest? Request, IReadOnlyList<ProfileProblem> Problems) Read(string json) => CohortRequestReader.Read(json);

    /// <summary>The wire name of an administrative level (<c>province</c>, <c>regency</c>, <c>district</c>, <c>village</c>).</summary>
    public static string LevelName(AdminLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>The level of a wire name (case-insensitive), or null.</summary>
    public static AdminLevel? ParseLevel(string? name) =>
        Enum.GetValues<AdminLevel>().Cast<AdminLevel?>().FirstOrDefault(l => string.Equals(LevelName(l!.Value), name, StringComparison.OrdinalIgnoreCase));
}

internal sealed class CohortRequestReader : DocumentReader
{
    private static readonly string[] Keys =
        ["k", "objective", "weight", "constraints", "units", "seed", "level", "year", "source", "noise", "draws", "mentoredBefore", "profile", "model"];

    private static readonly string[] ConstraintKeys =
        ["minPerProvince", "maxPerProvince", "minPerIslandGroup", "maxPerIslandGroup", "min3T", "excludeMentored", "minBand"];

    public static (CohortRequest? Request, IReadOnlyList<ProfileProblem> Problems) Read(string json) =>
        ReadDocument<CohortRequestReader, CohortRequest>(json, new CohortRequestReader(), (r, root) => r.ReadRequest(root));

    private CohortRequest? ReadRequest(JsonElement root)
    {
        if (!CheckObject(root, "$", Keys))
            return null;
        var k = root.TryGetProperty("k", out _) ? Int(root, "k", "k") : MissingK();
        var objective = CohortObjective.MostReady;
        if (root.TryGetProperty("objective", out var o))
        {
            var text = o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            var parsed = Enum.GetValues<CohortObjective>().Cast<CohortObjective?>().FirstOrDefault(x => CohortValidator.Wire(x!.Value) == text);
            if (parsed is { } p) objective = p;
            else Problem("objective", $"{Shown(o)} is not an objective: use most_ready, most_to_gain or blend");
        }
        var weight = Optional(root, "weight") is not null ? ReadNumber(root, "weight", "weight") : null;
        var constraints = new CohortConstraints();
        if (root.TryGetProperty("constraints", out var c) && CheckObject(c, "constraints", ConstraintKeys))
            constraints = new CohortConstraints(
                OptionalInt(c, "minPerProvince", "constraints."), OptionalInt(c, "maxPerProvince", "constraints."),
                OptionalInt(c, "minPerIslandGroup", "constraints."), OptionalInt(c, "maxPerIslandGroup", "constraints."),
                OptionalInt(c, "min3T", "constraints."),
                Optional(c, "excludeMentored") is { } ex ? Bool(ex, "constraints.excludeMentored") : false,
                Optional(c, "minBand") is not null ? ReadString(c, "minBand", "constraints.minBand") : null);
        var units = Codes(root, "units");
        ulong seed = 0;
        if (Optional(root, "seed") is { } s && !s.TryGetUInt64(out seed))
            Problem("seed", $"{Shown(s)} is not a seed: a whole number from 0 to {ulong.MaxValue}");
        string? level = null;
        if (Optional(root, "level") is not null && ReadString(root, "level", "level") is { } l)
        {
            if (CohortRequestParser.ParseLevel(l) is { } parsedLevel) level = CohortRequestParser.LevelName(parsedLevel);
            else Problem("level", $"'{l}' is not a level: use province, regency, district or village");
        }
        var year = OptionalInt(root, "year", "");
        if (year is { } y && (y < QuestionnaireSchema.FirstYear || y > QuestionnaireSchema.LastYear))
            Problem("year", $"must be between {QuestionnaireSchema.FirstYear} and {QuestionnaireSchema.LastYear} (got {y})");
        string? source = null;
        if (Optional(root, "source") is not null && ReadString(root, "source", "source") is { } src)
        {
            if (CohortSources.Known.Contains(src)) source = src;
            else Problem("source", $"'{src}' is not a source of scores: use {string.Join(" or ", CohortSources.Known)}");
        }
        var noise = Optional(root, "noise") is not null ? ReadNumber(root, "noise", "noise") : null;
        if (noise is < 0 or > 100)
            Problem("noise", $"must be a standard deviation from 0 to 100 score points (got {Num(noise.Value)})");
        var draws = OptionalInt(root, "draws", "");
        if (draws is < 0 or > CohortRequestParser.MaxDraws)
            Problem("draws", $"must be from 0 to {CohortRequestParser.MaxDraws} (got {draws})");
        var mentored = Codes(root, "mentoredBefore");
        var profile = Optional(root, "profile") is not null ? ReadString(root, "profile", "profile") : null;
        var model = Optional(root, "model") is not null ? ReadString(root, "model", "model") : null;
        if (model is not null && source != CohortSources.Forecast)
            Problem("model", "only the forecast source reads a model (set \"source\": \"forecast\")");
        return k is { } kk
            ? new CohortRequest(kk, objective, constraints, weight, units, seed, level, year, source, noise, draws, mentored, profile, model)
            : null;
    }

    private int? MissingK()
    {
        Problem("k", "missing: the number of units to select");
        return null;
    }

    private static JsonElement? Optional(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private int? OptionalInt(JsonElement obj, string key, string prefix) =>
        Optional(obj, key) is not null ? Int(obj, key, prefix + key) : null;

    private int? Int(JsonElement obj, string key, string path)
    {
        var v = obj.GetProperty(key);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
            return i;
        Problem(path, $"{Shown(v)} is not a whole number");
        return null;
    }

    private bool Bool(JsonElement v, string path)
    {
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return v.GetBoolean();
        Problem(path, $"{Shown(v)} is not true or false");
        return false;
    }

    /// <summary>An optional array of Kemendagri codes; every entry that is not one is a problem at <c>key[i]</c>.</summary>
    private List<string>? Codes(JsonElement obj, string key)
    {
        if (Optional(obj, key) is not { } array)
            return null;
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(key, "must be an array of Kemendagri codes, e.g. [\"14.72\", \"13.05\"]");
            return null;
        }
        var codes = new List<string>();
        var index = 0;
        foreach (var e in array.EnumerateArray())
        {
            var path = $"{key}[{index++}]";
            if (e.ValueKind == JsonValueKind.String && KemendagriCode.IsValid(e.GetString()!)) codes.Add(e.GetString()!);
            else Problem(path, $"{Shown(e)} is not a Kemendagri code, e.g. 14.72");
        }
        return codes;
    }

    private static string Shown(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
