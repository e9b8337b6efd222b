using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Api.Readiness;

/// <summary>What a readiness answer was computed from.</summary>
/// <param name="Profile">id, version and SHA-256 of the profile document</param>
/// <param name="QuestionnaireVersion">version of the stored questionnaire (raised by every import that changes a row)</param>
/// <param name="IndicatorSet">the spatial indicator set the infrastructure values come from, with its data version</param>
public sealed record ReadinessProvenanceResponse(
    ProfileReference Profile,
    int Year,
    long QuestionnaireVersion,
    DateTimeOffset? QuestionnaireImportedAt,
    IndicatorSetReference IndicatorSet)
{
    internal static ReadinessProvenanceResponse From(ReadinessProvenance p) => new(
        new ProfileReference(p.ProfileId, p.ProfileVersion, p.ProfileSha256),
        p.Year, p.QuestionnaireVersion, p.QuestionnaireImportedAt,
        new IndicatorSetReference(p.IndicatorSetId, p.DataVersion, p.IndicatorEngine, p.IndicatorRules, p.IndicatorsComputedAt));
}

public sealed record ProfileReference(string Id, string Version, string Sha256);

public sealed record IndicatorSetReference(Guid Id, long DataVersion, string Engine, string RulesVersion, DateTimeOffset ComputedAt);

/// <summary>One unit's line of the readiness table.</summary>
/// <param name="Score">overall score, 0–100</param>
/// <param name="Index">the same on the 1–5 scale</param>
/// <param name="DataShare">share (0–1) of the profile's weight whose indicators had data</param>
/// <param name="Pillars">pillar scores by pillar id (null: no data for that pillar)</param>
/// <param name="ProvincePercentile">share of the other units of its province it ranks above, 0–100</param>
public sealed record ReadinessRow(
    int Rank,
    string Code,
    string Name,
    string? ProvinceCode,
    double Score,
    double Index,
    AssessmentBand Band,
    double DataShare,
    IReadOnlyDictionary<string, double?> Pillars,
    IReadOnlyDictionary<string, double?> Dimensions,
    int ProvinceRank,
    int ProvinceCount,
    double ProvincePercentile)
{
    internal static ReadinessRow From(RankedUnit r)
    {
        var a = r.Assessment;
        return new ReadinessRow(r.Rank, a.Code, a.Name, a.ProvinceCode, a.Score, a.Index, a.Band, a.DataShare,
            a.Pillars.ToDictionary(p => p.Id, p => p.Score), a.Dimensions.ToDictionary(d => d.Id, d => d.Score),
            r.ProvinceRank, r.ProvinceCount, r.ProvincePercentile);
    }
}

/// <param name="Total">units of the level assessed in the year</param>
/// <param name="Next">URL of the next page, absent on the last page</param>
public sealed record ReadinessPage(
    ReadinessProvenanceResponse Provenance,
    string Level,
    IReadOnlyList<ReadinessRow> Items,
    int Offset,
    int Limit,
    int NumberReturned,
    int Total,
    string? Next);

/// <summary>One unit's readiness with its explanation: every indicator's value, source, score, weight and contribution.</summary>
/// <param name="Years">the years this unit has questionnaire answers for, latest first</param>
public sealed record ReadinessExplanation(
    ReadinessProvenanceResponse Provenance,
    int Rank,
    int RankedUnits,
    int ProvinceRank,
    int ProvinceCount,
    double ProvincePercentile,
    IReadOnlyList<int> Years,
    UnitAssessment Assessment);
