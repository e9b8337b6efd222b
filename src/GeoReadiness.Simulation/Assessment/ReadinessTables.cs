using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>Everything a readiness result was computed from: profile, questionnaire and indicator set versions.</summary>
/// <param name="QuestionnaireVersion">the questionnaire store's version (it increases with every import that changes a row)</param>
/// <param name="IndicatorSetId">the spatial indicator set the infrastructure values come from</param>
/// <param name="DataVersion">the spatial store's data version that indicator set was computed from</param>
public sealed record ReadinessProvenance(
    string ProfileId,
    string ProfileVersion,
    string ProfileSha256,
    int Year,
    long QuestionnaireVersion,
    DateTimeOffset? QuestionnaireImportedAt,
    Guid IndicatorSetId,
    long DataVersion,
    string IndicatorEngine,
    string IndicatorRules,
    DateTimeOffset IndicatorsComputedAt);

/// <summary>The ranked readiness of every unit of one level that answered the questionnaire in one year.</summary>
public sealed record ReadinessTable(ReadinessProvenance Provenance, AdminLevel Level, IReadOnlyList<RankedUnit> Units);

/// <summary>
/// Joins the questionnaire with the spatial indicators, scores and ranks: the pure step between the stores and the
/// API/CLI. A unit is assessed in a year when it has a questionnaire row for that year; its infrastructure values come
/// from the indicator set under <see cref="IndicatorValues"/> names (and the profile decides, per indicator, whether
/// they take precedence over the answers).
/// </summary>
public static class ReadinessTables
{
    /// <summary>The years with questionnaire rows for units of the level, latest first.</summary>
    public static IReadOnlyList<int> Years(QuestionnaireSnapshot questionnaire, IndicatorSet indicators, AdminLevel? level = null, string? code = null)
    {
        var units = ByCode(indicators);
        return questionnaire.Rows
            .Where(r => (code is null || r.Code == code) && units.TryGetValue(r.Code, out var u) && (level is null || u.Level == level))
            .Select(r => r.Year).Distinct().OrderDescending().ToArray();
    }

    /// <summary>
    /// The requested year when <paramref name="years"/> has it, else (no request) the latest; null with the reason when
    /// there is no such year. <paramref name="who"/> names whose answers are meant ("Kota Dumai (14.72)", "regency units").
    /// </summary>
    public static int? ChooseYear(IReadOnlyList<int> years, int? requested, string who, out string? error)
    {
        error = years.Count == 0 ? $"{who}: no questionnaire answers"
            : requested is { } y && !years.Contains(y) ? $"{who}: no questionnaire answers for {y}; years with answers: {string.Join(", ", years)}"
            : null;
        return error is null ? requested ?? years[0] : null;
    }

    /// <summary>Scores and ranks the units of <paramref name="level"/> that answered in <paramref name="year"/>.</summary>
    public static ReadinessTable Build(AssessmentProfile profile, int year, AdminLevel level, QuestionnaireSnapshot questionnaire, IndicatorSet indicators)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var ranked = ReadinessRanking.Rank(ReadinessScorer.ScoreAll(profile, Inputs(year, level, questionnaire, indicators)));
        return new ReadinessTable(Provenance(profile, year, questionnaire, indicators), level, ranked);
    }

    /// <summary>What the units of <paramref name="level"/> that answered in <paramref name="year"/> are scored on, in code order.</summary>
    public static IReadOnlyList<AssessmentInput> Inputs(int year, AdminLevel level, QuestionnaireSnapshot questionnaire, IndicatorSet indicators)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        var units = ByCode(indicators);
        var inputs = new List<AssessmentInput>();
        foreach (var row in questionnaire.Rows.Where(r => r.Year == year).OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            // The importer only accepts codes of the store; a unit deleted since has no indicators and is not assessed.
            if (!units.TryGetValue(row.Code, out var unit) || unit.Level != level) continue;
            inputs.Add(Input(row, unit));
        }
        return inputs;
    }

    public static ReadinessProvenance Provenance(AssessmentProfile profile, int year, QuestionnaireSnapshot questionnaire, IndicatorSet indicators) =>
        new(profile.Id, profile.Version, profile.Sha256, year, questionnaire.Version, questionnaire.ImportedAt,
            indicators.Id, indicators.DataVersion, indicators.Engine, indicators.Rules, indicators.ComputedAt);

    /// <summary>What one unit is scored on.</summary>
    public static AssessmentInput Input(QuestionnaireRow row, UnitIndicators unit) =>
        new(unit.Code, unit.Name, unit.Level, unit.Code[..2], row.Year, row.Values, IndicatorValues.Of(unit));

    private static Dictionary<string, UnitIndicators> ByCode(IndicatorSet indicators) =>
        indicators.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
}
