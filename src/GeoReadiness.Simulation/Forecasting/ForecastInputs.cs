using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// Builds forecast inputs from what the store knows of a round: the units' assessments under the model's profile
/// (the questionnaire answers and the spatial indicator values the readiness endpoints score) become
/// <see cref="ForecastInput"/>s in the order of the model's <see cref="TrainingSchema"/>.
/// <list type="bullet">
/// <item>indicators: the raw value of each schema indicator, as the profile's scorer resolved it (spatial value,
/// questionnaire field or formula; null when no source had one);</item>
/// <item>infrastructure: the spatial indicator value of each schema name (<c>fibre_km_existing</c>, <c>towers_total</c>,
/// <c>share_5g_pct</c>; null when the store cannot measure it in the unit);</item>
/// <item>assessed score: the store has no panel scores, so the stand-in is the unit's profile readiness score that
/// year (0–100, <see cref="UnitAssessment.Score"/>); when an override changes an indicator, the profile score of the
/// changed raw values (<see cref="ProfileBaseline"/>, equal to the scorer's score of the same values); an override of
/// <c>assessed_score</c> itself wins;</item>
/// <item>selected before: the caller's set of codes;</item>
/// <item>unselected rank: <see cref="ForecastInput.Ranked"/> over the whole pool, after the overrides.</item>
/// </list>
/// Pure: no store access. Stateless and thread-safe.
/// </summary>
public static class ForecastInputs
{
    /// <summary>The feature an override may set besides the schema's indicators and infrastructure values.</summary>
    public const string AssessedScore = FeatureLayout.AssessedScore;

    /// <summary>The feature names an override may set: the schema's indicators, its infrastructure values and <see cref="AssessedScore"/>.</summary>
    public static IReadOnlyList<string> OverridableFeatures(TrainingSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return [.. schema.Indicators, .. schema.Infrastructure, AssessedScore];
    }

    /// <summary>Why <paramref name="profile"/> cannot give the inputs of a model with <paramref name="schema"/>, or null when it can.</summary>
    public static string? Mismatch(TrainingSchema schema, AssessmentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Id != schema.ProfileId || profile.Version != schema.ProfileVersion)
            return $"the model reads profile {schema.ProfileId} {schema.ProfileVersion}, not {profile.Id} {profile.Version}";
        var ids = profile.Indicators.Select(i => i.Id).ToArray();
        if (!ids.SequenceEqual(schema.Indicators, StringComparer.Ordinal))
        {
            var missing = schema.Indicators.Except(ids, StringComparer.Ordinal).ToArray();
            return $"profile {profile.Id} {profile.Version} does not have the model's indicators" +
                (missing.Length > 0 ? $" (missing: {string.Join(", ", missing)})" : " in the model's order");
        }
        return null;
    }

    /// <summary>
    /// The inputs of every unit of <paramref name="pool"/> (one level, one year: the units ranked together), in pool
    /// order, to forecast the round <paramref name="yearsToNext"/> years later.
    /// </summary>
    /// <param name="pool">what each unit is scored on that year, as the readiness endpoints build it</param>
    /// <param name="selectedBefore">the codes selected for a cohort in that round or earlier</param>
    /// <param name="overrides">per code, feature values that replace the store's (names from <see cref="OverridableFeatures"/>)</param>
    /// <exception cref="ArgumentException">the profile does not fit the schema; the pool mixes years or repeats a code; an
    /// override names a unit outside the pool, an unknown feature or a value that is not a finite number</exception>
    public static IReadOnlyList<ForecastInput> FromAssessments(TrainingSchema schema, AssessmentProfile profile, IReadOnlyList<AssessmentInput> pool,
        IReadOnlySet<string>? selectedBefore = null, int yearsToNext = 1, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (Mismatch(schema, profile) is { } mismatch) throw new ArgumentException(mismatch, nameof(profile));
        ArgumentOutOfRangeException.ThrowIfLessThan(yearsToNext, 1);
        var years = pool.Select(u => u.Year).Distinct().ToArray();
        if (years.Length > 1) throw new ArgumentException($"the pool mixes years {string.Join(", ", years.Order())}: a forecast ranks one round's units together", nameof(pool));
        var repeated = pool.GroupBy(u => u.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"unit {repeated.Key} is in the pool twice", nameof(pool));
        overrides ??= new Dictionary<string, IReadOnlyDictionary<string, double>>();
        CheckOverrides(schema, pool, overrides);

        var indicatorIndex = schema.Indicators.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var infrastructureIndex = schema.Infrastructure.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var baseline = new ProfileBaseline(profile);
        var assessments = ReadinessScorer.ScoreAll(profile, pool);
        var inputs = new ForecastInput[pool.Count];
        for (var u = 0; u < pool.Count; u++)
        {
            var unit = pool[u];
            var lines = assessments[u].Indicators.ToDictionary(l => l.Id, StringComparer.Ordinal);
            var raw = schema.Indicators.Select(id => lines[id].RawValue).ToArray();
            var infrastructure = schema.Infrastructure.Select(name => unit.Spatial.TryGetValue(name, out var v) ? v.Value : null).ToArray();
            double? score = assessments[u].Score;
            if (overrides.TryGetValue(unit.Code, out var changes))
            {
                var indicatorChanged = false;
                foreach (var (feature, value) in changes)
                {
                    if (indicatorIndex.TryGetValue(feature, out var i)) { raw[i] = value; indicatorChanged = true; }
                    else if (infrastructureIndex.TryGetValue(feature, out var k)) infrastructure[k] = value;
                }
                if (indicatorChanged) score = baseline.Score(raw);
                if (changes.TryGetValue(AssessedScore, out var assessed)) score = assessed;
            }
            inputs[u] = new ForecastInput(unit.Code, unit.Year, raw, infrastructure, score,
                selectedBefore?.Contains(unit.Code) == true, yearsToNext);
        }
        return ForecastInput.Ranked(inputs);
    }

    private static void CheckOverrides(TrainingSchema schema, IReadOnlyList<AssessmentInput> pool, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> overrides)
    {
        var codes = pool.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var valid = OverridableFeatures(schema);
        var names = valid.ToHashSet(StringComparer.Ordinal);
        foreach (var (code, changes) in overrides)
        {
            if (!codes.Contains(code)) throw new ArgumentException($"override for {code}: the unit is not among the {pool.Count} units of the round", nameof(overrides));
            foreach (var (feature, value) in changes)
            {
                if (!names.Contains(feature))
                    throw new ArgumentException($"override for {code}: unknown feature '{feature}'; features an override may set: {string.Join(", ", valid)}", nameof(overrides));
                if (!double.IsFinite(value))
                    throw new ArgumentException($"override for {code}: {feature} = {value} is not a finite number", nameof(overrides));
                if (feature == AssessedScore && value is < 0 or > 100)
                    throw new ArgumentException($"override for {code}: {AssessedScore} = {value} is not a score 0–100", nameof(overrides));
            }
        }
    }
}
