using System.Text.Json.Serialization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>Where a unit's reasons come from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReasonSource>))]
public enum ReasonSource
{
    /// <summary>The readiness explanation: each indicator's contribution under the profile.</summary>
    [JsonStringEnumMemberName("readiness")] Readiness,
    /// <summary>An ML forecast's feature contributions (<see cref="ForecastModel.Explain"/>).</summary>
    [JsonStringEnumMemberName("forecast")] Forecast,
}

/// <summary>One reason: an indicator (or model feature) and the points it moves the score by.</summary>
/// <param name="Id">the indicator id, or the model feature name</param>
/// <param name="Points">for a reason that helped, the points it adds (&gt; 0); for one that held the unit back, the
/// points it costs (&lt; 0): under the readiness explanation its effective weight × (100 − its score), the points
/// short of full marks; under a forecast its (negative) contribution</param>
/// <param name="Value">the indicator's display value (or the feature's value), null when missing</param>
/// <param name="Score">the indicator's score 0–100 (null for a forecast feature)</param>
public sealed record ReasonDriver(string Id, LocalizedText Label, double Points, double? Value, double? Score);

/// <summary>The three reasons (by default) that helped a unit most and the three that held it back most.</summary>
/// <param name="ModelVersion">the forecast model's version for <see cref="ReasonSource.Forecast"/>, else null</param>
public sealed record UnitReasons(ReasonSource Source, IReadOnlyList<ReasonDriver> Helped, IReadOnlyList<ReasonDriver> HeldBack,
    string? ModelVersion = null);

/// <summary>Reasons from the readiness explanation or from ML contributions, in one shape.</summary>
public static class CohortReasons
{
    /// <summary>
    /// From a <see cref="UnitAssessment"/>: helped = the largest contributions (effective weight × score); held back =
    /// the largest shortfalls, effective weight × (100 − score) — an indicator left out for missing data carries no
    /// weight and is neither. Ties by indicator id.
    /// </summary>
    public static UnitReasons FromAssessment(UnitAssessment assessment, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var scored = assessment.Indicators.Where(l => l.Score is not null && l.EffectiveWeight > 0).ToArray();
        var helped = scored.Where(l => l.Contribution > 0)
            .OrderByDescending(l => l.Contribution).ThenBy(l => l.Id, StringComparer.Ordinal).Take(top)
            .Select(l => new ReasonDriver(l.Id, l.Label, l.Contribution, l.DisplayValue, l.Score)).ToArray();
        var heldBack = scored.Select(l => (Line: l, Short: l.EffectiveWeight * (100 - l.Score!.Value))).Where(x => x.Short > 0)
            .OrderByDescending(x => x.Short).ThenBy(x => x.Line.Id, StringComparer.Ordinal).Take(top)
            .Select(x => new ReasonDriver(x.Line.Id, x.Line.Label, -x.Short, x.Line.DisplayValue, x.Line.Score)).ToArray();
        return new UnitReasons(ReasonSource.Readiness, helped, heldBack);
    }

    /// <summary>
    /// From a forecast explanation: its drivers up and down, the top <paramref name="top"/> of each. A feature named
    /// after a profile indicator takes the indicator's labels; any other feature is labelled by its name.
    /// </summary>
    public static UnitReasons FromForecast(ForecastExplanation explanation, AssessmentProfile profile, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(profile);
        LocalizedText Label(string feature) =>
            profile.Indicators.FirstOrDefault(i => i.Id == feature)?.Label ?? new LocalizedText(feature, feature);
        ReasonDriver Driver(FeatureDriver d) => new(d.Feature, Label(d.Feature), d.Contribution, d.Value, null);
        return new UnitReasons(ReasonSource.Forecast,
            explanation.Up.Where(d => d.Contribution > 0).Take(top).Select(Driver).ToArray(),
            explanation.Down.Where(d => d.Contribution < 0).Take(top).Select(Driver).ToArray(),
            explanation.ModelVersion);
    }
}
