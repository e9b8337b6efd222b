using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// One typical outcome of mentoring: a questionnaire field reaching a state. A year field (<c>reg_year</c>) reaches
/// the assessment year when it has no year yet; a boolean reaches 1; any other field is raised to
/// <see cref="AtLeast"/> (never lowered).
/// </summary>
public sealed record MentoringOutcome(string Field, double? AtLeast = null);

/// <summary>A unit's objective inputs: its readiness score now and the points mentoring is expected to add.</summary>
/// <param name="Ready">the expected readiness score 0–100</param>
/// <param name="Gain">the score with the typical mentoring outcomes applied minus <see cref="Ready"/> (≥ 0 for a profile whose rules agree with their direction)</param>
public sealed record UnitOutlook(string Code, double Ready, double Gain);

/// <summary>
/// The <c>most_to_gain</c> model (docs/cohorts.md, "Objectives"): a unit is rescored with the typical mentoring outcomes
/// applied to its questionnaire answers, by the same profile code (<see cref="ReadinessScorer"/>); which indicators
/// change follows from the profile, as those that read the changed fields.
/// </summary>
public static class MentoringOutcomes
{
    /// <summary>
    /// A smart-city regulation and an ICT masterplan in force, the SPBE architecture adopted and SPBE governance
    /// (domain 2, tata kelola) at maturity level 3 or above — the outputs the programme's mentoring works towards.
    /// </summary>
    public static IReadOnlyList<MentoringOutcome> Typical { get; } =
    [
        new("reg_year"),
        new("masterplan_year"),
        new("spbe_architecture"),
        new("spbe_tata_kelola", 3),
    ];

    /// <summary>The input with the outcomes applied (a copy; the input is not changed).</summary>
    public static AssessmentInput Apply(AssessmentInput input, IReadOnlyList<MentoringOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outcomes);
        var answers = new Dictionary<string, double>(input.Questionnaire, StringComparer.Ordinal);
        foreach (var o in outcomes)
        {
            if (!QuestionnaireSchema.TryGetField(o.Field, out var field))
                throw new ArgumentException($"'{o.Field}' is not a questionnaire field", nameof(outcomes));
            var has = answers.TryGetValue(o.Field, out var now);
            answers[o.Field] = field.Type switch
            {
                QuestionnaireFieldType.Year => has && now > 0 ? now : input.Year,
                QuestionnaireFieldType.Boolean => 1,
                _ when o.AtLeast is { } floor => has ? Math.Max(now, floor) : floor,
                _ => throw new ArgumentException($"outcome for {o.Field} ({field.Type}) needs a value to reach (atLeast)", nameof(outcomes)),
            };
        }
        return input with { Questionnaire = answers };
    }

    /// <summary>The ids of the profile's indicators that read any of the outcomes' fields (directly or through a formula).</summary>
    public static IReadOnlyList<string> IndicatorsAffected(AssessmentProfile profile, IReadOnlyList<MentoringOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(outcomes);
        var fields = outcomes.Select(o => o.Field).ToHashSet(StringComparer.Ordinal);
        return profile.Indicators.Where(i => i.Sources.Any(s => s.Kind == SourceKind.Questionnaire
                ? fields.Contains(s.Reference)
                : s.Compiled?.Names.Any(n => n.Kind == FormulaNameKind.Questionnaire && fields.Contains(n.Name)) == true))
            .Select(i => i.Id).ToArray();
    }

    /// <summary>The unit's assessment now and its outlook: readiness now, and the gain with the outcomes applied.</summary>
    public static (UnitAssessment Now, UnitOutlook Outlook) Outlook(AssessmentProfile profile, AssessmentInput input,
        IReadOnlyList<MentoringOutcome>? outcomes = null)
    {
        var now = ReadinessScorer.Score(profile, input);
        var after = ReadinessScorer.Score(profile, Apply(input, outcomes ?? Typical));
        return (now, new UnitOutlook(input.Code, now.Score, after.Score - now.Score));
    }
}
