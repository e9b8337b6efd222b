using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Tests;

/// <summary>
/// Properties over seeded random units (reproducible: the seed is in the test data, a failure names it). Both shipped
/// profiles.
/// </summary>
public class PropertyTests
{
    private const double Eps = 1e-9;
    private const int Units = 300;

    public static TheoryData<string> Profiles => new(AssessmentProfiles.BuiltIn.Keys.Order(StringComparer.Ordinal));

    /// <summary>Fields whose larger value means a better-equipped region (not denominators, not the 3T flag).</summary>
    private static readonly string[] HigherIsBetterFields = QuestionnaireSchema.Fields
        .Select(f => f.Name)
        .Except(["penduduk", "kk", "employees", "s2_base", "three_t"])
        .ToArray();

    internal static AssessmentInput RandomUnit(Random rng, int i)
    {
        var q = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in QuestionnaireSchema.Fields)
        {
            if (rng.NextDouble() < 0.25)
                continue;
            q[f.Name] = f.Type switch
            {
                QuestionnaireFieldType.Count => rng.Next(0, 5000),
                QuestionnaireFieldType.Percent => Math.Round(rng.NextDouble() * 100, 2),
                QuestionnaireFieldType.Boolean => rng.Next(2),
                QuestionnaireFieldType.Year => rng.NextDouble() < 0.3 ? 0 : rng.Next(2010, 2020),
                QuestionnaireFieldType.Level => rng.Next(1, 6),
                _ => (f.Min ?? 0) + rng.NextDouble() * ((f.Max ?? 100) - (f.Min ?? 0)),
            };
        }
        var s = new Dictionary<string, IndicatorValue>(StringComparer.Ordinal);
        foreach (var name in IndicatorValues.Descriptions.Keys)
            s[name] = rng.NextDouble() < 0.4 ? IndicatorValue.Measured(Math.Round(rng.NextDouble() * 100, 3)) : IndicatorValue.Missing("no data for the test");
        var province = $"{11 + rng.Next(5)}";
        return TestData.Input($"{province}.{i:D2}", q, s, province);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void ScoresStayInRangeAndTheOverallScoreIsTheSumOfContributions(string profileId)
    {
        var profile = AssessmentProfiles.BuiltIn[profileId];
        var rng = new Random(20190401);
        for (var i = 0; i < Units; i++)
        {
            var a = ReadinessScorer.Score(profile, RandomUnit(rng, i));
            Assert.InRange(a.Score, 0, 100);
            Assert.InRange(a.Index, 1, 5);
            Assert.InRange(a.DataShare, 0, 1 + Eps);
            Assert.All(a.Indicators, l => Assert.InRange(l.Score ?? 0, 0, 100));
            Assert.All(a.Pillars.Concat(a.Dimensions), g => Assert.InRange(g.Score ?? 0, 0, 100));
            Assert.Equal(a.Score, a.Indicators.Sum(l => l.Contribution), Eps);
            var effective = a.Indicators.Sum(l => l.EffectiveWeight);
            Assert.True(Math.Abs(effective - 1) < Eps || effective == 0, $"unit {i}: effective weights sum to {effective}");
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void RaisingAHigherIsBetterInputNeverLowersAnIndicatorScoreNorTheOverallScore(string profileId)
    {
        var profile = AssessmentProfiles.BuiltIn[profileId];
        var rng = new Random(1000 + profileId.Length);
        for (var i = 0; i < Units; i++)
        {
            var unit = RandomUnit(rng, i);
            var before = ReadinessScorer.Score(profile, unit);
            foreach (var field in HigherIsBetterFields.Where(unit.Questionnaire.ContainsKey))
            {
                var q = new Dictionary<string, double>(unit.Questionnaire) { [field] = unit.Questionnaire[field] + 1 + rng.Next(50) };
                AssertNotLower(before, ReadinessScorer.Score(profile, unit with { Questionnaire = q }), $"unit {i}, {field}");
            }
            foreach (var (name, value) in unit.Spatial.Where(kv => kv.Value.Value is not null))
            {
                var s = new Dictionary<string, IndicatorValue>(unit.Spatial) { [name] = IndicatorValue.Measured(value.Value!.Value + rng.NextDouble() * 30) };
                AssertNotLower(before, ReadinessScorer.Score(profile, unit with { Spatial = s }), $"unit {i}, {name}");
            }
        }
    }

    private static void AssertNotLower(UnitAssessment before, UnitAssessment after, string what)
    {
        Assert.True(after.Score >= before.Score - Eps, $"{what}: overall {before.Score} -> {after.Score}");
        for (var k = 0; k < before.Indicators.Count; k++)
            Assert.True((after.Indicators[k].Score ?? 0) >= (before.Indicators[k].Score ?? 0),
                $"{what}: {before.Indicators[k].Id} {before.Indicators[k].Score} -> {after.Indicators[k].Score}");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void EveryRuleIsMonotoneInItsIndicatorsDirection(string profileId)
    {
        var rng = new Random(7);
        foreach (var ind in AssessmentProfiles.BuiltIn[profileId].Indicators)
            for (var k = 0; k < 500; k++)
            {
                var v = rng.NextDouble() * 120 - 10;
                var higher = v + rng.NextDouble() * 20;
                var (a, _) = ind.Scoring.Apply(v, ind.Direction);
                var (b, _) = ind.Scoring.Apply(higher, ind.Direction);
                Assert.True(ind.Direction == IndicatorDirection.Higher ? b >= a : b <= a, $"{ind.Id}: {v} -> {higher} gave {a} -> {b}");
            }
    }

    [Fact]
    public void LowerIsBetterRulesAreReversed()
    {
        Assert.Equal(0, new BooleanRule(0).Apply(1, IndicatorDirection.Lower).Score);
        Assert.Equal(100, new BooleanRule(0).Apply(0, IndicatorDirection.Lower).Score);
        Assert.Equal(100, new MaturityRule(0).Apply(1, IndicatorDirection.Lower).Score);
        Assert.Equal(25, new LinearRule(0, 40, 0).Apply(30, IndicatorDirection.Lower).Score, Eps);
    }
}
