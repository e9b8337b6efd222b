using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// A chosen cohort (docs/cohorts.md, "The result"): the K units with their rank, objective, selection frequency and
/// reasons; the borderline units; every eligible unit's chances; the quota counts; the provenance.
/// </summary>
/// <param name="Selected">the cohort, best objective first (rank 1 …)</param>
/// <param name="Borderline">units whose place is uncertain: in the cohort but selected in under 90 % of draws, outside it but selected in 10 % or more, and the next in line outside it</param>
/// <param name="Units">every eligible unit's objective and, with draws, its selection frequency and P(top-K), in code order</param>
public sealed record CohortResult(
    IReadOnlyList<CohortEntry> Selected,
    IReadOnlyList<CohortEntry> Borderline,
    IReadOnlyList<UnitChance> Units,
    CohortSummary Summary,
    CohortProvenance Provenance)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The result as JSON (camelCase, nulls left out): byte-identical for the same inputs whatever the parallelism.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a result as <see cref="ToJson"/> wrote it (e.g. a saved cohort).</summary>
    /// <exception cref="JsonException">the text is not a cohort result</exception>
    public static CohortResult FromJson(string json) =>
        JsonSerializer.Deserialize<CohortResult>(json, Json) ?? throw new JsonException("null is not a cohort result");
}

/// <summary>A selected or borderline unit.</summary>
/// <param name="Rank">its rank in the cohort (1 = best objective), null outside it</param>
/// <param name="Ready">the expected readiness score</param>
/// <param name="Gain">the expected gain from mentoring (score points)</param>
/// <param name="Objective">the value the solver maximised the sum of (see <see cref="CohortSummary.Objective"/>)</param>
/// <param name="Frequency">the share of draws whose optimal cohort includes it; null without draws</param>
/// <param name="ProbabilityTopK">the share of draws in which its objective ranks in the top K of the eligible units (quotas ignored); null without draws</param>
/// <param name="Why">for a borderline unit, why it is listed</param>
/// <param name="Reasons">what helped and what held it back; null when the caller gave none for it</param>
public sealed record CohortEntry(
    int? Rank,
    string Code,
    string Name,
    string ProvinceCode,
    IslandGroup IslandGroup,
    bool ThreeT,
    string Band,
    double Ready,
    double Gain,
    double Objective,
    double? Frequency,
    double? ProbabilityTopK,
    string? Why,
    UnitReasons? Reasons);

/// <summary>An eligible unit's objective and chances.</summary>
public sealed record UnitChance(string Code, bool Selected, double Objective, double? Frequency, double? ProbabilityTopK);

/// <summary>How many units the cohort takes from one province or island group, and its bounds (null: none).</summary>
public sealed record QuotaCount(string Id, int Selected, int Eligible, int? Min, int? Max);

/// <summary>The cohort in figures.</summary>
/// <param name="Objective">the objective's wire name (<c>most_ready</c>, <c>most_to_gain</c>, <c>blend</c>)</param>
/// <param name="Total">the sum of the selected units' objective values: the maximum under the constraints</param>
/// <param name="Requested">units asked for; <see cref="Eligible"/> of them passed the eligibility rules</param>
/// <param name="Draws">draws the uncertainty was measured on (0: none)</param>
/// <param name="Stable">cohort units selected in at least 90 % of draws; null without draws</param>
/// <param name="Normalisation">for <c>blend</c>: the ranges readiness and gain were scaled by; null otherwise</param>
public sealed record CohortSummary(
    int K,
    string Objective,
    double? Weight,
    double Total,
    int Requested,
    int Eligible,
    int ExcludedMentored,
    int ExcludedBelowBand,
    int ThreeT,
    int Draws,
    int? Stable,
    BlendNormalisation? Normalisation,
    IReadOnlyList<QuotaCount> IslandGroups,
    IReadOnlyList<QuotaCount> Provinces);

/// <summary>
/// The scaling of <c>blend</c>: objective = w · (ready − ReadyMin) / (ReadyMax − ReadyMin) + (1 − w) · (gain − GainMin)
/// / (GainMax − GainMin), over the eligible units' expected values (a range of 0 scales to 0).
/// </summary>
public sealed record BlendNormalisation(double ReadyMin, double ReadyMax, double GainMin, double GainMax);

/// <summary>Where a cohort comes from: the request, its hash, the seed and the versions of the data and models used.</summary>
/// <param name="RequestSha256">SHA-256 of the request's canonical JSON (<see cref="CohortRequest.Sha256"/>)</param>
/// <param name="Versions">the caller's data and model versions by name (e.g. profile, dataVersion, questionnaireVersion, scenarioRun, forecastModel), in name order</param>
/// <param name="Engine">the cohort engine's format, <see cref="CohortEngine.Format"/></param>
public sealed record CohortProvenance(
    CohortRequest Request,
    string RequestSha256,
    ulong Seed,
    IReadOnlyDictionary<string, string> Versions,
    string Engine);
