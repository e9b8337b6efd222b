using System.Globalization;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>
/// Scores units under a profile. Pure and deterministic: the same profile and input give the same assessment; safe
/// to call from many threads at once (the profile is read-only, every call keeps its own state).
/// </summary>
public static class ReadinessScorer
{
    public static UnitAssessment Score(AssessmentProfile profile, AssessmentInput input)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(input);
        var indicators = profile.Indicators;
        var n = indicators.Count;
        var scope = new FormulaScope
        {
            Questionnaire = input.Questionnaire,
            Spatial = input.Spatial,
            IndicatorRaw = new double[n],
            IndicatorMissing = new string?[n],
            Year = input.Year,
        };
        var traces = new SourceTrace[n][];
        var used = new int[n];
        foreach (var i in profile.EvaluationOrder)
        {
            (traces[i], used[i]) = Resolve(indicators[i], scope);
            scope.IndicatorRaw[i] = used[i] >= 0 ? traces[i][used[i]].Value!.Value : double.NaN;
            scope.IndicatorMissing[i] = used[i] >= 0 ? null : string.Join("; ", traces[i].Select(t => t.Unavailable));
        }

        // indicator scores: null when left out, 0 when missing under "zero"
        var scores = new double?[n];
        var status = new IndicatorStatus[n];
        var bandLabels = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var ind = indicators[i];
            if (used[i] >= 0)
            {
                (var s, bandLabels[i]) = ind.Scoring.Apply(scope.IndicatorRaw[i], ind.Direction);
                scores[i] = s;
                status[i] = IndicatorStatus.Scored;
            }
            else if (ind.Missing == MissingPolicy.Zero)
            {
                scores[i] = 0;
                status[i] = IndicatorStatus.MissingZero;
            }
            else
                status[i] = IndicatorStatus.MissingExcluded;
        }

        var total = profile.WeightTotal;
        var pillars = Aggregate(profile.Pillars.Select(p => (p.Id, p.Label, p.Weight)).ToArray(),
            i => [(profile.PillarOf[i], indicators[i].Weight)], n, scores, status, total);
        var dimensions = Aggregate(profile.Dimensions.Select(d => (d.Id, d.Label, d.Weight)).ToArray(),
            i => profile.DimensionsOf[i], n, scores, status, total);

        var lines = new IndicatorLine[n];
        double overall = 0, dataShare = 0;
        foreach (var g in pillars.Groups)
            overall += g.EffectiveWeight * (g.Score ?? 0);
        for (var i = 0; i < n; i++)
        {
            var ind = indicators[i];
            var p = profile.PillarOf[i];
            var effective = pillars.MemberShare[p] > 0 && scores[i] is not null
                ? pillars.Groups[p].EffectiveWeight * ind.Weight / pillars.MemberShare[p]
                : 0;
            if (status[i] == IndicatorStatus.Scored)
                dataShare += profile.Pillars[p].Weight / total * (ind.Weight / total);
            lines[i] = Line(ind, traces[i], used[i], scope.IndicatorRaw[i], bandLabels[i], scores[i], effective, status[i]);
        }
        overall = Math.Clamp(overall, 0, 100);
        var index = 1 + 4 * overall / 100;
        var bandValue = profile.Bands.On == BandBasis.Index ? index : overall;
        var band = profile.Bands.Levels.Last(l => l.From <= bandValue + 1e-12 || l == profile.Bands.Levels[0]);

        return new UnitAssessment(input.Code, input.Name, input.Level, input.ProvinceCode, input.Year,
            profile.Id, profile.Version, profile.Sha256, overall, index, new AssessmentBand(band.Id, band.Label),
            Math.Min(1, dataShare), pillars.Groups, dimensions.Groups, lines);
    }

    /// <summary>Scores many units with one profile, in input order.</summary>
    public static IReadOnlyList<UnitAssessment> ScoreAll(AssessmentProfile profile, IEnumerable<AssessmentInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Select(i => Score(profile, i)).ToArray();
    }

    private static (SourceTrace[] Traces, int Used) Resolve(ProfileIndicator ind, FormulaScope scope)
    {
        var traces = new SourceTrace[ind.Sources.Count];
        var used = -1;
        for (var s = 0; s < traces.Length; s++)
        {
            var src = ind.Sources[s];
            scope.Missing = null;
            var value = src.Kind switch
            {
                SourceKind.Questionnaire => scope.Questionnaire.TryGetValue(src.Reference, out var q)
                    ? q : scope.Unavailable($"questionnaire field {src.Reference} not answered"),
                SourceKind.Spatial => !scope.Spatial.TryGetValue(src.Reference, out var v) ? scope.Unavailable($"spatial {src.Reference} not provided")
                    : v.Value ?? scope.Unavailable($"spatial {src.Reference} unavailable: {v.Unavailable}"),
                _ => src.Compiled!.Evaluate(scope),
            };
            var ok = !double.IsNaN(value);
            traces[s] = new SourceTrace(src.Kind, src.Reference, ok ? value : null, ok ? null : scope.Missing);
            if (ok && used < 0)
                used = s;
        }
        return (traces, used);
    }

    private sealed record Aggregation(GroupScore[] Groups, double[] MemberShare);

    /// <summary>
    /// Scores groups (pillars or dimensions) from their members' scores: a member left out gives its weight to the
    /// members that remain; a group with no member remaining is left out and gives its weight to the other groups.
    /// <see cref="Aggregation.MemberShare"/> is each group's remaining member weight.
    /// </summary>
    private static Aggregation Aggregate((string Id, LocalizedText Label, double Weight)[] groups,
        Func<int, IReadOnlyList<(int Group, double Weight)>> membership, int n,
        double?[] scores, IndicatorStatus[] status, double total)
    {
        var kept = new double[groups.Length];
        var withData = new double[groups.Length];
        var weighted = new double[groups.Length];
        for (var i = 0; i < n; i++)
            foreach (var (g, w) in membership(i))
            {
                if (scores[i] is { } s)
                {
                    kept[g] += w;
                    weighted[g] += w * s;
                }
                if (status[i] == IndicatorStatus.Scored)
                    withData[g] += w;
            }
        var includedWeight = 0.0;
        for (var g = 0; g < groups.Length; g++)
            if (kept[g] > 0)
                includedWeight += groups[g].Weight;
        var result = new GroupScore[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            var has = kept[g] > 0;
            result[g] = new GroupScore(groups[g].Id, groups[g].Label, groups[g].Weight,
                has && includedWeight > 0 ? groups[g].Weight / includedWeight : 0,
                has ? Math.Clamp(weighted[g] / kept[g], 0, 100) : null,
                Math.Min(1, withData[g] / total));   // a sum of parts may pass 1 by a rounding error
        }
        return new Aggregation(result, kept);
    }

    private static IndicatorLine Line(ProfileIndicator ind, SourceTrace[] traces, int used, double raw, string? bandLabel,
        double? score, double effective, IndicatorStatus status)
    {
        var source = used >= 0 ? traces[used] : null;
        var notUsed = traces.Where((_, k) => k != used).ToArray();
        string? missingNote = status switch
        {
            IndicatorStatus.MissingExcluded => $"no value ({string.Join("; ", traces.Select(Describe))}): left out, its weight spread over the indicators with data",
            IndicatorStatus.MissingZero => $"no value ({string.Join("; ", traces.Select(Describe))}): scored 0, weight kept",
            _ => null,
        };
        double? display = source is null ? null : ind.Scoring.Display(raw);
        var note = source is null
            ? missingNote!
            : $"{Describe(source)} used" + (notUsed.Length == 0 ? "" : $"; not used: {string.Join("; ", notUsed.Select(Describe))}");
        return new IndicatorLine(ind.Id, ind.Label, ind.Unit, ind.Pillar, source, notUsed,
            source is null ? null : raw, display, bandLabel, score, ind.Weight, effective,
            effective * (score ?? 0), status, missingNote, note);
    }

    private static string Describe(SourceTrace t)
    {
        var what = $"{t.Kind.ToString().ToLowerInvariant()} {t.Reference}";
        return t.Value is { } v
            ? $"{what} = {v.ToString("0.###", CultureInfo.InvariantCulture)}"
            : t.Kind == SourceKind.Formula ? $"{what} unavailable: {t.Unavailable}" : t.Unavailable!;
    }
}
