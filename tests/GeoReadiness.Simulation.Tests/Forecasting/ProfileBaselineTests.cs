using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Forecasting;

public sealed class ProfileBaselineTests
{
    [Fact]
    public void The_profile_score_of_raw_values_equals_the_scorers_overall_score()
    {
        var profile = AssessmentProfiles.Default;
        var q = TestData.DumaiQuestionnaire();
        foreach (var questionnaire in new[] { q, new Dictionary<string, double>(q) { ["ipm"] = 73.2, ["kkd"] = 1.4, ["mou_count"] = 2, ["e_planning"] = 1 } })
        {
            var assessment = ReadinessScorer.Score(profile, TestData.Input("14.72", questionnaire));
            Assert.Contains(assessment.Indicators, l => l.Status == IndicatorStatus.MissingExcluded); // reweighting is exercised
            var raw = assessment.Indicators.Select(l => l.RawValue).ToArray();
            Assert.Equal(assessment.Score, new ProfileBaseline(profile).Score(raw), 9);
        }
    }

    [Fact]
    public void A_wrong_number_of_values_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProfileBaseline(AssessmentProfiles.Default).Score([1.0, 2.0]));
        Assert.Contains("2 value(s) for the 23 indicators of kominfo-2019", e.Message);
    }
}
