using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Cohorts;

public class MentoringAndReasonsTests
{
    [Fact]
    public void TheTypicalOutcomesReachTheirStateWithoutLoweringAnything()
    {
        var input = TestData.Input("14.72", new Dictionary<string, double>
        {
            ["reg_year"] = 2017, ["masterplan_year"] = 0, ["spbe_tata_kelola"] = 2, ["employees"] = 100,
        }, year: 2021);
        var after = MentoringOutcomes.Apply(input, MentoringOutcomes.Typical).Questionnaire;
        Assert.Equal(2017, after["reg_year"]);          // already in force: kept
        Assert.Equal(2021, after["masterplan_year"]);   // none yet: the assessment year
        Assert.Equal(1, after["spbe_architecture"]);    // not answered: reached
        Assert.Equal(3, after["spbe_tata_kelola"]);     // raised to level 3
        Assert.Equal(100, after["employees"]);
        Assert.Equal(0, input.Questionnaire["masterplan_year"]);   // the input is not changed
        var higher = MentoringOutcomes.Apply(input with { Questionnaire = new Dictionary<string, double> { ["spbe_tata_kelola"] = 4 } }, MentoringOutcomes.Typical);
        Assert.Equal(4, higher.Questionnaire["spbe_tata_kelola"]);
        Assert.Throws<ArgumentException>(() => MentoringOutcomes.Apply(input, [new MentoringOutcome("not_a_field")]));
        Assert.Throws<ArgumentException>(() => MentoringOutcomes.Apply(input, [new MentoringOutcome("ipm")]));
    }

    [Fact]
    public void TheMentoringIndicatorsComeFromTheProfile()
    {
        Assert.Equal(["smart_city_regulation", "ict_masterplan", "architecture_adopted"],
            MentoringOutcomes.IndicatorsAffected(AssessmentProfiles.Default, MentoringOutcomes.Typical));
        Assert.Equal(["ict_masterplan", "tata_kelola_level", "architecture_adopted"],
            MentoringOutcomes.IndicatorsAffected(AssessmentProfiles.BuiltIn["spbe-2020"], MentoringOutcomes.Typical));
    }

    [Fact]
    public void TheGainIsTheRescoredSuperstructure()
    {
        // Dumai without regulation or masterplan: its superstructure pillar (30 % of the score) has two indicators with
        // data, both 0; mentoring sets them and the architecture to 100, so the pillar goes from 0 to 100: +30 points
        var q = TestData.DumaiQuestionnaire();
        q["reg_year"] = 0;
        q["masterplan_year"] = 0;
        var (now, outlook) = MentoringOutcomes.Outlook(AssessmentProfiles.Default, TestData.Dumai() with { Questionnaire = q });
        Assert.Equal(0, now.Pillar("suprastruktur").Score);
        Assert.Equal(now.Score, outlook.Ready);
        Assert.Equal(30, outlook.Gain, 9);
        // Dumai as published has both already; the architecture alone adds a 100 to a pillar at 100: no gain
        var (_, published) = MentoringOutcomes.Outlook(AssessmentProfiles.Default, TestData.Dumai());
        Assert.Equal(0, published.Gain, 9);
    }

    [Fact]
    public void ReasonsAreTheLargestContributionsAndShortfallsWithBothLabels()
    {
        var assessment = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        var reasons = CohortReasons.FromAssessment(assessment);
        Assert.Equal(ReasonSource.Readiness, reasons.Source);
        Assert.Equal(3, reasons.Helped.Count);
        Assert.Equal(3, reasons.HeldBack.Count);
        var scored = assessment.Indicators.Where(l => l.Score is not null && l.EffectiveWeight > 0).ToArray();
        // helped: contributions, largest first, and none left out is larger than the third
        Assert.All(reasons.Helped, r => Assert.Equal(assessment.Line(r.Id).Contribution, r.Points));
        Assert.True(reasons.Helped.Zip(reasons.Helped.Skip(1)).All(p => p.First.Points >= p.Second.Points));
        Assert.All(scored.Where(l => reasons.Helped.All(r => r.Id != l.Id)), l => Assert.True(l.Contribution <= reasons.Helped[^1].Points));
        // held back: minus the points short of full marks, largest shortfall first
        Assert.All(reasons.HeldBack, r => Assert.Equal(-assessment.Line(r.Id).EffectiveWeight * (100 - assessment.Line(r.Id).Score!.Value), r.Points, 12));
        Assert.All(reasons.HeldBack, r => Assert.True(r.Points < 0));
        Assert.True(reasons.HeldBack.Zip(reasons.HeldBack.Skip(1)).All(p => p.First.Points <= p.Second.Points));
        // an indicator left out for missing data is no reason either way
        var missing = assessment.Indicators.Where(l => l.Status == IndicatorStatus.MissingExcluded).Select(l => l.Id).ToArray();
        Assert.NotEmpty(missing);
        Assert.DoesNotContain(reasons.Helped.Concat(reasons.HeldBack), r => missing.Contains(r.Id));
        // labels in English and Indonesian, as the profile has them
        Assert.All(reasons.Helped.Concat(reasons.HeldBack), r =>
            Assert.Equal(AssessmentProfiles.Default.Indicators.Single(i => i.Id == r.Id).Label, r.Label));
    }

    [Fact]
    public void ForecastContributionsPlugInAsReasons()
    {
        var explanation = new ForecastExplanation("14.72", 2024, "score", 71.5,
            [new FeatureDriver("coverage_4g_pct", 50, 2.5), new FeatureDriver("assessed_score", 70, 1.25)],
            [new FeatureDriver("ict_masterplan", 0, -3.0)], "fm-0123456789abcdef");
        var reasons = CohortReasons.FromForecast(explanation, AssessmentProfiles.Default);
        Assert.Equal(ReasonSource.Forecast, reasons.Source);
        Assert.Equal("fm-0123456789abcdef", reasons.ModelVersion);
        Assert.Equal(["coverage_4g_pct", "assessed_score"], reasons.Helped.Select(r => r.Id));
        Assert.Equal(AssessmentProfiles.Default.Indicators.Single(i => i.Id == "coverage_4g_pct").Label, reasons.Helped[0].Label);
        Assert.Equal(new LocalizedText("assessed_score", "assessed_score"), reasons.Helped[1].Label);
        Assert.Equal(-3.0, Assert.Single(reasons.HeldBack).Points);
    }

    [Fact]
    public void SelectedAndBorderlineUnitsCarryTheirReasons()
    {
        var (pool, outlooks) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 1), ("32.02", false, false, "siap", 85, 1), ("33.01", false, false, "siap", 80, 1));
        var assessment = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        var reasons = pool.ToDictionary(u => u.Code, _ => CohortReasons.FromAssessment(assessment));
        reasons.Remove("33.01");
        var result = CohortEngine.Select(new CohortRequest(1, CohortObjective.MostReady, new()),
            new CohortInputs(pool, CohortTestData.Bands, outlooks, Reasons: reasons));
        Assert.Equal("32.01", Assert.Single(result.Selected).Code);
        Assert.NotNull(result.Selected[0].Reasons);
        Assert.Equal(["32.02", "33.01"], result.Borderline.Select(b => b.Code));
        Assert.NotNull(result.Borderline[0].Reasons);
        Assert.Null(result.Borderline[1].Reasons);
    }
    [Fact]
    public void MostToGainPicksTheUnitsMentoringWouldLiftFromTheProfile()
    {
        // six Dumai-like units; those without a regulation or masterplan have the most to gain from mentoring
        var inputs = Enumerable.Range(1, 6).Select(i =>
        {
            var q = TestData.DumaiQuestionnaire();
            if (i % 2 == 0) q["reg_year"] = 0;
            if (i % 3 == 0) q["masterplan_year"] = 0;
            return TestData.Dumai() with { Code = $"14.0{i}", Questionnaire = q };
        }).ToArray();
        var scored = inputs.Select(i => MentoringOutcomes.Outlook(AssessmentProfiles.Default, i)).ToArray();
        var pool = scored.Select(s => new CohortUnit(s.Now.Code, s.Now.Name, "14", s.Now.Level, false, false, s.Now.Band.Id)).ToArray();
        var result = CohortEngine.Select(new CohortRequest(3, CohortObjective.MostToGain, new()),
            new CohortInputs(pool, AssessmentProfiles.Default.Bands, scored.Select(s => s.Outlook).ToArray(),
                Reasons: scored.ToDictionary(s => s.Now.Code, s => CohortReasons.FromAssessment(s.Now))));
        // 14.06 lacks both (gain 30), 14.02 and 14.04 the regulation, 14.03 the masterplan (equal gains: the code decides)
        Assert.Equal(["14.06", "14.02", "14.03"], result.Selected.Select(e => e.Code));
        Assert.Equal(30, result.Selected[0].Gain, 9);
        Assert.Equal(result.Selected[1].Gain, result.Selected[2].Gain, 9);
        Assert.Equal("14.04", result.Borderline[0].Code);
        // what held 14.06 back is what mentoring changes
        Assert.Contains(result.Selected[0].Reasons!.HeldBack, r => r.Id is "smart_city_regulation" or "ict_masterplan");
    }

    [Fact]
    public void DrawsOfTheGainMakeMostToGainUncertain()
    {
        var (pool, outlooks) = CohortTestData.Small(
            ("32.01", false, false, "siap", 90, 10), ("32.02", false, false, "siap", 85, 9), ("33.01", false, false, "siap", 80, 2));
        var codes = outlooks.Select(o => o.Code).ToArray();
        double[][] ready = [[90, 85, 80], [90, 85, 80], [90, 85, 80], [90, 85, 80]];
        double[][] gain = [[10, 9, 2], [10, 9, 2], [8, 9, 12], [10, 3, 4]];
        var result = CohortEngine.Select(new CohortRequest(2, CohortObjective.MostToGain, new()),
            new CohortInputs(pool, CohortTestData.Bands, outlooks, new CohortDraws(codes, ready, gain)));
        Assert.Equal(["32.01", "32.02"], result.Selected.Select(e => e.Code));
        // draws 1–2 take 32.01 and 32.02, draw 3 32.02 and 33.01, draw 4 32.01 and 33.01
        Assert.Equal([0.75, 0.75, 0.5], result.Units.Select(u => u.Frequency!.Value));
        Assert.Equal(0, result.Summary.Stable);
        Assert.Equal(["32.01", "32.02", "33.01"], result.Borderline.Select(b => b.Code));
        // without gain draws every draw has the expected gains: no uncertainty
        var fixedGain = CohortEngine.Select(new CohortRequest(2, CohortObjective.MostToGain, new()),
            new CohortInputs(pool, CohortTestData.Bands, outlooks, new CohortDraws(codes, ready)));
        Assert.Equal([1.0, 1.0, 0.0], fixedGain.Units.Select(u => u.Frequency!.Value));
    }
}
