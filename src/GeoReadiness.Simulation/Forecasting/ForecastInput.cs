namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// What a forecast of the next round is made from: one unit's state in one round — its indicators and
/// infrastructure values (in the order of the model's <see cref="TrainingSchema"/>), its assessed score that round
/// and whether it has been selected in that round or before.
/// </summary>
/// <param name="Indicators">raw values in <see cref="TrainingSchema.Indicators"/> order; null when unknown</param>
/// <param name="Infrastructure">values in <see cref="TrainingSchema.Infrastructure"/> order; null when unknown</param>
/// <param name="AssessedScore">this round's assessed score 0–100; null when not assessed</param>
/// <param name="SelectedBefore">selected for a cohort in this round or an earlier one</param>
/// <param name="YearsToNext">years from this round to the forecast round (2019 → 2021: 2)</param>
/// <param name="UnselectedRank">the rank of the assessed score among the round's units not selected before (1 = the
/// highest; null for a unit selected before or not assessed): the cohort is chosen from that pool, whatever its size.
/// <see cref="Ranked"/> sets it for a whole round.</param>
public sealed record ForecastInput(
    string Code,
    int Year,
    IReadOnlyList<double?> Indicators,
    IReadOnlyList<double?> Infrastructure,
    double? AssessedScore,
    bool SelectedBefore,
    int YearsToNext = 1,
    int? UnselectedRank = null)
{
    /// <summary>
    /// The inputs with <see cref="UnselectedRank"/> set from their assessed scores: a whole round's units (or a
    /// scenario draw's) ranked together; ties keep the input order.
    /// </summary>
    public static IReadOnlyList<ForecastInput> Ranked(IReadOnlyList<ForecastInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var rank = inputs.Select((input, i) => (input, i))
            .Where(x => !x.input.SelectedBefore && x.input.AssessedScore is not null)
            .OrderByDescending(x => x.input.AssessedScore).ThenBy(x => x.i)
            .Select((x, r) => (x.i, Rank: r + 1)).ToDictionary(x => x.i, x => x.Rank);
        return inputs.Select((input, i) => input with { UnselectedRank = rank.TryGetValue(i, out var r) ? r : null }).ToArray();
    }

    /// <summary>
    /// The inputs of every unit in one round of a history, to forecast the round <paramref name="yearsToNext"/>
    /// years later: the row of that round with the selections of that round and the earlier ones, ranked together
    /// (<see cref="Ranked"/>).
    /// </summary>
    public static IReadOnlyList<ForecastInput> FromHistory(TrainingData data, int year, int yearsToNext = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Rounds.Contains(year))
            throw new ArgumentException($"no round {year} in the data (rounds: {string.Join(", ", data.Rounds)})", nameof(year));
        var selectedBefore = data.Rows.Where(r => r.Selected && r.Year <= year).Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        return Ranked(data.Rows.Where(r => r.Year == year)
            .Select(r => new ForecastInput(r.Code, r.Year, r.Indicators, r.Infrastructure, r.AssessedScore, selectedBefore.Contains(r.Code), yearsToNext))
            .ToArray());
    }
}

/// <summary>The names and order of the feature vector the models read, and how an input becomes that vector.</summary>
internal sealed class FeatureLayout
{
    public const string AssessedScore = "assessed_score";
    public const string SelectedBefore = "selected_before";
    public const string YearsToNext = "years_to_next";
    public const string UnselectedRank = "unselected_rank";

    public FeatureLayout(TrainingSchema schema)
    {
        Schema = schema;
        Names = [.. schema.Indicators, .. schema.Infrastructure, AssessedScore, SelectedBefore, YearsToNext, UnselectedRank];
    }

    public TrainingSchema Schema { get; }

    public string[] Names { get; }

    public float[] Vector(ForecastInput input)
    {
        if (input.Indicators.Count != Schema.Indicators.Count || input.Infrastructure.Count != Schema.Infrastructure.Count)
            throw new ArgumentException($"{input.Code} {input.Year}: {input.Indicators.Count} indicator and {input.Infrastructure.Count} infrastructure value(s); " +
                $"the model reads {Schema.Indicators.Count} and {Schema.Infrastructure.Count} ({Schema.ProfileId} {Schema.ProfileVersion})", nameof(input));
        var v = new float[Names.Length];
        var k = 0;
        foreach (var x in input.Indicators) v[k++] = Value(x);
        foreach (var x in input.Infrastructure) v[k++] = Value(x);
        v[k++] = Value(input.AssessedScore);
        v[k++] = input.SelectedBefore ? 1 : 0;
        v[k++] = input.YearsToNext;
        v[k] = input.UnselectedRank is { } rank ? rank : float.NaN;
        return v;
    }

    private static float Value(double? x) => x is { } d ? (float)d : float.NaN;
}
