using System.Text.Json;
using System.Text.Json.Serialization;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// The result of a Monte-Carlo run (docs/scenarios.md, "Monte-Carlo runs"): per scenario unit and result year the
/// distribution of the score, the headline spatial values and the pillar scores, the band probabilities and the
/// baseline without interventions; per year the cumulative cost. Immutable.
/// </summary>
/// <param name="Draws">draws combined (between the rule's minDraws and maxDraws)</param>
/// <param name="Tolerance">the standard error every unit-year's score is within</param>
public sealed record ScenarioRun(
    RunProvenance Provenance,
    ulong Seed,
    int Draws,
    int Chunks,
    double Tolerance,
    IReadOnlyList<int> Years,
    IReadOnlyList<UnitYearResult> Units,
    IReadOnlyList<CostYear> Costs)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The run as JSON (camelCase, nulls left out, doubles in shortest round-trip form): byte-identical for
    /// the same scenario, inputs and seed whatever the parallelism.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The result of one unit in one year.</summary>
    public UnitYearResult this[string code, int year] =>
        Units.FirstOrDefault(u => u.Code == code && u.Year == year) ?? throw new KeyNotFoundException($"no result for {code} {year}");
}

/// <summary>Where a run's numbers come from.</summary>
/// <param name="Scoring">"ml" when the scores are the forecast model's (docs/scenarios.md, "Scoring with the ML model");
/// null (left out of the JSON) for the profile's scores</param>
/// <param name="ModelVersion">with ml scoring, the forecast model's version id</param>
/// <param name="ModelError">with ml scoring, whether each draw added a model error</param>
public sealed record RunProvenance(
    string ScenarioId,
    string ScenarioVersion,
    string ScenarioSha256,
    string ProfileId,
    string ProfileVersion,
    string ProfileSha256,
    string FootprintHash,
    string DataVersion,
    string QuestionnaireVersion,
    string? Scoring = null,
    string? ModelVersion = null,
    bool? ModelError = null);

/// <summary>The distribution of one output over the draws.</summary>
public sealed record DrawSummary(double Mean, double StandardError, double P5, double P25, double P50, double P75, double P95)
{
    public static DrawSummary Of(OutputStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Mean, s.StandardError, s.P5, s.P25, s.P50, s.P75, s.P95);
    }
}

/// <summary>One pillar's score distribution (a pillar without data in a draw counts 0 there).</summary>
public sealed record PillarSummary(string Id, DrawSummary Score);

/// <summary>The probability that the score reaches a band (at or above its lower edge), with its binomial standard error.</summary>
/// <param name="From">the band's lower edge in the profile's band basis (score or index)</param>
public sealed record BandProbability(string Band, double From, double Probability, double StandardError);

/// <summary>The deterministic values without any intervention (the base-year data scored for the year).</summary>
/// <param name="Share4g">null when unavailable (see <see cref="Spatial.Indicators.IndicatorValues"/>)</param>
public sealed record BaselineValues(
    double Score,
    string Band,
    double? Share4g,
    double? HouseholdsFixedReach,
    double? VillagesOnFibre,
    IReadOnlyList<PillarValue> Pillars);

/// <summary>A pillar's deterministic score (null without data).</summary>
public sealed record PillarValue(string Id, double? Score);

/// <summary>One scenario unit in one result year.</summary>
/// <param name="Share4g">null when the unit has no population (the share is undefined)</param>
/// <param name="NextBand">the band above the baseline's band in that year (null when the baseline is in the top band)</param>
/// <param name="ProbabilityNextBand">the probability of reaching <paramref name="NextBand"/> or higher</param>
public sealed record UnitYearResult(
    string Code,
    string Name,
    int Year,
    DrawSummary Score,
    DrawSummary? Share4g,
    DrawSummary? HouseholdsFixedReach,
    DrawSummary? VillagesOnFibre,
    RankSummary Rank,
    IReadOnlyList<PillarSummary> Pillars,
    IReadOnlyList<BandProbability> Bands,
    string? NextBand,
    BandProbability? ProbabilityNextBand,
    BaselineValues Baseline);

/// <summary>
/// A unit's rank by score among the scenario units of its level (1 = best; ties share the better rank).
/// </summary>
/// <param name="Of">the number of scenario units of the level</param>
/// <param name="Distribution">P(rank = k) for k = 1 … <paramref name="Of"/></param>
/// <param name="TopK">K of <see cref="ScenarioInputs.TopK"/> (at most <paramref name="Of"/>)</param>
/// <param name="ProbabilityTopK">P(rank ≤ K), with its binomial <paramref name="StandardError"/></param>
public sealed record RankSummary(int Of, double Mean, IReadOnlyList<double> Distribution, int TopK, double ProbabilityTopK, double StandardError);

/// <summary>The cost incurred up to the end of a year (IDR), over all interventions.</summary>
public sealed record CostYear(int Year, double Mean, double StandardError, double P95);
