using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// The profile score (0–100) of a row's raw indicator values: each indicator scored by its rule, averaged with its
/// weight within its pillar, the pillars averaged with theirs — the overall score of <see cref="ReadinessScorer"/>,
/// computed from the indicator values directly (a training row has no questionnaire answers to resolve sources from).
/// Missing values follow the indicator's policy: left out with the weight re-spread ("reweight") or scored 0 ("zero").
/// Immutable and thread-safe.
/// </summary>
public sealed class ProfileBaseline
{
    private readonly AssessmentProfile _profile;
    private readonly int[] _pillarOf;

    public ProfileBaseline(AssessmentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        var pillarIndex = profile.Pillars.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        _pillarOf = profile.Indicators.Select(i => pillarIndex[i.Pillar]).ToArray();
    }

    /// <param name="raw">one value per profile indicator, in profile order; null when unknown</param>
    public double Score(IReadOnlyList<double?> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var indicators = _profile.Indicators;
        if (raw.Count != indicators.Count)
            throw new ArgumentException($"{raw.Count} value(s) for the {indicators.Count} indicators of {_profile.Id}", nameof(raw));
        var pillars = _profile.Pillars.Count;
        Span<double> kept = stackalloc double[pillars];
        Span<double> weighted = stackalloc double[pillars];
        for (var i = 0; i < indicators.Count; i++)
        {
            var ind = indicators[i];
            double score;
            if (raw[i] is { } v && double.IsFinite(v)) score = ind.Scoring.Apply(v, ind.Direction).Score;
            else if (ind.Missing == MissingPolicy.Zero) score = 0;
            else continue;
            kept[_pillarOf[i]] += ind.Weight;
            weighted[_pillarOf[i]] += ind.Weight * score;
        }
        double included = 0, total = 0;
        for (var p = 0; p < pillars; p++)
            if (kept[p] > 0) included += _profile.Pillars[p].Weight;
        for (var p = 0; p < pillars; p++)
            if (kept[p] > 0) total += _profile.Pillars[p].Weight / included * Math.Clamp(weighted[p] / kept[p], 0, 100);
        return Math.Clamp(total, 0, 100);
    }
}
