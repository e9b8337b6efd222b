using System.Text.Json.Serialization;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>What one unit is scored on: its questionnaire answers and its named spatial values for one year.</summary>
/// <param name="ProvinceCode">the province the unit belongs to, for the rank within the province</param>
/// <param name="Questionnaire">answers by <see cref="GeoReadiness.Spatial.Assessment.QuestionnaireSchema"/> field name; an unanswered field is absent</param>
/// <param name="Spatial">values by <see cref="IndicatorValues"/> name, each measured or unavailable with the reason</param>
public sealed record AssessmentInput(
    string Code,
    string Name,
    AdminLevel Level,
    string? ProvinceCode,
    int Year,
    IReadOnlyDictionary<string, double> Questionnaire,
    IReadOnlyDictionary<string, IndicatorValue> Spatial);

[JsonConverter(typeof(JsonStringEnumConverter<IndicatorStatus>))]
public enum IndicatorStatus
{
    /// <summary>A source had a value and the rule scored it.</summary>
    [JsonStringEnumMemberName("scored")] Scored,
    /// <summary>No source had a value; left out and its weight spread over the others (policy "reweight").</summary>
    [JsonStringEnumMemberName("missing-excluded")] MissingExcluded,
    /// <summary>No source had a value; scored 0 with its weight kept (policy "zero").</summary>
    [JsonStringEnumMemberName("missing-zero")] MissingZero,
}

/// <summary>One alternative of an indicator's source list as it turned out for the unit.</summary>
/// <param name="Reference">spatial name, questionnaire field or formula text</param>
/// <param name="Value">its value, or null when <paramref name="Unavailable"/> says why it has none</param>
public sealed record SourceTrace(SourceKind Kind, string Reference, double? Value, string? Unavailable);

/// <summary>One indicator's line of the explanation.</summary>
/// <param name="Source">the alternative used (the first with a value), null when none had one</param>
/// <param name="NotUsed">the other alternatives, with their value or why they had none</param>
/// <param name="DisplayValue">the raw value rounded to the rule's precision</param>
/// <param name="Score">0–100; null when the indicator is left out, 0 when missing under policy "zero"</param>
/// <param name="DeclaredWeight">its weight within its pillar, as the profile declares it</param>
/// <param name="EffectiveWeight">its share of the overall score after re-spreading, 0–1</param>
/// <param name="Contribution">EffectiveWeight × Score: the points it adds to the overall score</param>
/// <param name="Note">the line in words: source used, alternatives not used, missing-value handling</param>
public sealed record IndicatorLine(
    string Id,
    LocalizedText Label,
    string Unit,
    string Pillar,
    SourceTrace? Source,
    IReadOnlyList<SourceTrace> NotUsed,
    double? RawValue,
    double? DisplayValue,
    string? BandLabel,
    double? Score,
    double DeclaredWeight,
    double EffectiveWeight,
    double Contribution,
    IndicatorStatus Status,
    string? MissingNote,
    string Note);

/// <summary>A pillar's or dimension's result.</summary>
/// <param name="DeclaredWeight">as the profile declares it (in weightTotal units)</param>
/// <param name="EffectiveWeight">its share (0–1) among the groups that have data; 0 when it has none</param>
/// <param name="Score">0–100, null when no indicator of the group had data (and none is scored 0 by policy)</param>
/// <param name="DataShare">the share (0–1) of the group's indicator weight whose indicators had data</param>
public sealed record GroupScore(
    string Id,
    LocalizedText Label,
    double DeclaredWeight,
    double EffectiveWeight,
    double? Score,
    double DataShare);

public sealed record AssessmentBand(string Id, LocalizedText Label);

/// <summary>One unit's readiness under one profile, with the explanation line by line.</summary>
/// <param name="Score">0–100, equal to the sum of the lines' contributions</param>
/// <param name="Index">1 + 4 · Score / 100, on the 1–5 scale</param>
/// <param name="DataShare">the share (0–1) of the declared overall weight whose indicators had data</param>
public sealed record UnitAssessment(
    string Code,
    string Name,
    AdminLevel Level,
    string? ProvinceCode,
    int Year,
    string ProfileId,
    string ProfileVersion,
    string ProfileSha256,
    double Score,
    double Index,
    AssessmentBand Band,
    double DataShare,
    IReadOnlyList<GroupScore> Pillars,
    IReadOnlyList<GroupScore> Dimensions,
    IReadOnlyList<IndicatorLine> Indicators);
