using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>What a cohort maximises (docs/cohorts.md, "Objectives").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CohortObjective>))]
public enum CohortObjective
{
    /// <summary>The expected readiness score.</summary>
    [JsonStringEnumMemberName("most_ready")] MostReady,
    /// <summary>The expected improvement from mentoring: the score with the typical mentoring outcomes minus the score now.</summary>
    [JsonStringEnumMemberName("most_to_gain")] MostToGain,
    /// <summary><c>weight</c> × normalised readiness + (1 − <c>weight</c>) × normalised gain.</summary>
    [JsonStringEnumMemberName("blend")] Blend,
}

/// <summary>
/// The quotas and eligibility rules of a cohort; every quota is optional (null: no bound). Minimums apply to every
/// province and island group that has a unit among the requested ones, eligible or not (so that an exclusion that
/// empties a province is reported rather than silently waiving its minimum).
/// </summary>
/// <param name="Min3T">at least this many units flagged 3T (questionnaire field <c>three_t</c>)</param>
/// <param name="ExcludeMentored">leave out the units mentored in an earlier cohort</param>
/// <param name="MinBand">leave out the units below this readiness band (a band id of the profile)</param>
public sealed record CohortConstraints(
    int? MinPerProvince = null,
    int? MaxPerProvince = null,
    int? MinPerIslandGroup = null,
    int? MaxPerIslandGroup = null,
    int? Min3T = null,
    bool ExcludeMentored = false,
    string? MinBand = null);

/// <summary>A request for a mentoring cohort: choose <see cref="K"/> units maximising the objective under the constraints.</summary>
/// <param name="Weight">for <see cref="CohortObjective.Blend"/> only: the weight 0–1 of readiness (1 − it: of gain)</param>
/// <param name="Units">the codes to choose from (each in the assessed pool); null: the whole pool</param>
/// <param name="Seed">the seed of the draws the uncertainty is measured on (recorded; the selection itself draws nothing)</param>
/// <param name="Level">the pool filter the caller applies, e.g. <c>regency</c> (recorded and hashed; the core does not read it)</param>
/// <param name="Year">the assessment or forecast year the caller takes the scores of (recorded and hashed; the core does not read it)</param>
/// <param name="Source">where the scores come from (<see cref="CohortSources"/>): <c>readiness</c> (null: the default) — the
/// profile's readiness of the year with a seeded assessment noise; <c>forecast</c> — an ML model's forecast of the next round</param>
/// <param name="Noise">the standard deviation of the assessment noise in score points (null: <see cref="CohortSources.DefaultNoise"/>; 0: no draws)</param>
/// <param name="Draws">how many Monte-Carlo draws (null: <see cref="CohortSources.DefaultDraws"/>; 0: no draws)</param>
/// <param name="MentoredBefore">codes of units mentored in an earlier cohort (left out under <see cref="CohortConstraints.ExcludeMentored"/>)</param>
/// <param name="Profile">the assessment profile, <c>id</c> or <c>id@version</c> (null: the default profile)</param>
/// <param name="Model">for the <c>forecast</c> source: the forecast model's id (<c>fm-…</c>; null: the registry's current model)</param>
public sealed record CohortRequest(
    int K,
    CohortObjective Objective,
    CohortConstraints Constraints,
    double? Weight = null,
    IReadOnlyList<string>? Units = null,
    ulong Seed = 0,
    string? Level = null,
    int? Year = null,
    string? Source = null,
    double? Noise = null,
    int? Draws = null,
    IReadOnlyList<string>? MentoredBefore = null,
    string? Profile = null,
    string? Model = null)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a request from JSON as <see cref="ToJson"/> writes it (camelCase; missing optional keys take their defaults).</summary>
    /// <exception cref="JsonException">the text is not a request</exception>
    public static CohortRequest FromJson(string json) =>
        JsonSerializer.Deserialize<CohortRequest>(json, Json) ?? throw new JsonException("null is not a cohort request");

    /// <summary>The request as compact JSON (camelCase, nulls left out): the text <see cref="Sha256"/> hashes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Lowercase hex SHA-256 of <see cref="ToJson"/>: equal requests have equal hashes, whatever their source formatting.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));
}

/// <summary>A unit of the assessed pool, as the cohort needs it.</summary>
/// <param name="ProvinceCode">its province's two-digit Kemendagri code (its island group follows from it)</param>
/// <param name="ThreeT">a 3T region (frontier, outermost, underdeveloped; questionnaire field <c>three_t</c>)</param>
/// <param name="MentoredBefore">selected for an earlier cohort</param>
/// <param name="Band">its readiness band now (a band id of the profile)</param>
public sealed record CohortUnit(
    string Code,
    string Name,
    string ProvinceCode,
    AdminLevel Level,
    bool ThreeT,
    bool MentoredBefore,
    string Band);
