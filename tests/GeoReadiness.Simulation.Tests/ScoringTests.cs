using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Tests;

public class ScoringTests
{
    private const double Eps = 1e-9;

    private static Dictionary<string, IndicatorValue> Measured(params (string Name, double Value)[] values)
    {
        var spatial = TestData.NoSpatialData("14.72").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (name, value) in values)
            spatial[name] = IndicatorValue.Measured(value);
        return spatial;
    }

    [Fact]
    public void InfrastructureComesFromSpatialValuesWhenMeasuredAndTheQuestionnaireIsShownAsNotUsed()
    {
        var q = TestData.DumaiQuestionnaire();
        q["fibre_opd_pct"] = 20;
        var input = TestData.Input("14.72", q, Measured(("share_4g_pct", 80.4), ("facilities_opd_office_on_fibre_pct", 60)));
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, input);

        var coverage = a.Line("coverage_4g_pct");
        Assert.Equal(SourceKind.Spatial, coverage.Source!.Kind);
        Assert.Equal("share_4g_pct", coverage.Source.Reference);
        Assert.Equal(80, coverage.DisplayValue);
        Assert.Equal("76–100 %", coverage.BandLabel);
        var formula = Assert.Single(coverage.NotUsed);
        Assert.Equal(SourceKind.Formula, formula.Kind);
        Assert.Equal(100.0 * 159913 / 319827, formula.Value!.Value, Eps);
        Assert.Equal("spatial share_4g_pct = 80.4 used; not used: formula 100 * pop_4g / penduduk = 50", coverage.Note);

        var opd = a.Line("opd_on_fibre_pct");
        Assert.Equal("facilities_opd_office_on_fibre_pct", opd.Source!.Reference);
        Assert.Equal(60, opd.RawValue);
        Assert.Equal(20, opd.NotUsed.Single().Value);
        Assert.Contains("not used: questionnaire fibre_opd_pct = 20", opd.Note);
    }

    [Fact]
    public void WithoutSpatialDataTheQuestionnaireIsUsedAndTheSpatialReasonShown()
    {
        var q = TestData.DumaiQuestionnaire();
        q["fibre_opd_pct"] = 20;
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Input("14.72", q, TestData.NoSpatialData("14.72")));
        var opd = a.Line("opd_on_fibre_pct");
        Assert.Equal(SourceKind.Questionnaire, opd.Source!.Kind);
        Assert.Equal(20, opd.RawValue);
        Assert.Equal("0–25 %", opd.BandLabel);
        Assert.Contains("spatial facilities_opd_office_on_fibre_pct unavailable: the store holds no OPD offices of 14.72", opd.NotUsed.Single().Unavailable);
    }

    [Theory]
    [InlineData(25.4, "0–25 %", 25)]
    [InlineData(25.6, "26–50 %", 50)]
    [InlineData(50.49, "26–50 %", 50)]
    [InlineData(50.5, "51–75 %", 75)]
    [InlineData(75.2, "51–75 %", 75)]
    [InlineData(100, "76–100 %", 100)]
    public void KominfoQuarterBandsCompareWholePercent(double share, string band, double score)
    {
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Input("14.72", TestData.DumaiQuestionnaire(), Measured(("share_4g_pct", share))));
        var line = a.Line("coverage_4g_pct");
        Assert.Equal(band, line.BandLabel);
        Assert.Equal(score, line.Score);
        Assert.Equal(Math.Round(share, MidpointRounding.AwayFromZero), line.DisplayValue);
    }

    [Fact]
    public void MovingWeightWithinAPillarChangesOnlyWeightsScoresAndContributions()
    {
        var moved = TestData.EditDefault(d =>
        {
            d.Indicator("ict_staff_pct")["weight"] = 10;
            d.Indicator("s2_staff_pct")["weight"] = 40;
        }).Profile!;
        var before = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        var after = ReadinessScorer.Score(moved, TestData.Dumai());

        Assert.NotEqual(before.Score, after.Score);
        Assert.NotEqual(before.Pillar("struktur").Score, after.Pillar("struktur").Score);
        Assert.Equal((10 * 60 + 40 * 100) / 50.0, after.Pillar("struktur").Score!.Value, Eps);
        Assert.Equal(before.Pillar("infrastruktur"), after.Pillar("infrastruktur"));
        Assert.Equal(before.Dimensions, after.Dimensions);
        for (var i = 0; i < before.Indicators.Count; i++)
        {
            var (b, x) = (before.Indicators[i], after.Indicators[i]);
            Assert.Equal(b.RawValue, x.RawValue);
            Assert.Equal(b.DisplayValue, x.DisplayValue);
            Assert.Equal(b.Source, x.Source);
            Assert.Equal(b.NotUsed, x.NotUsed);
            Assert.Equal(b.Score, x.Score);
            Assert.Equal(b.BandLabel, x.BandLabel);
            Assert.Equal(b.Status, x.Status);
        }
        Assert.NotEqual(before.Line("ict_staff_pct").Contribution, after.Line("ict_staff_pct").Contribution);
        Assert.Equal(after.Score, after.Indicators.Sum(l => l.Contribution), Eps);
    }

    [Fact]
    public void MissingPolicyZeroKeepsTheWeightAndScoresZero()
    {
        var zero = TestData.EditDefault(d => d["missing"] = "zero").Profile!;
        var a = ReadinessScorer.Score(zero, TestData.Dumai());
        var ipm = a.Line("human_development");
        Assert.Equal(IndicatorStatus.MissingZero, ipm.Status);
        Assert.Equal(0, ipm.Score);
        Assert.Equal(0.3 * 0.2, ipm.EffectiveWeight, Eps);
        Assert.Contains("scored 0", ipm.MissingNote);
        // struktur: (30·60 + 20·100) / 100
        Assert.Equal(38, a.Pillar("struktur").Score!.Value, Eps);
        Assert.Equal(0.5, a.Pillar("struktur").DataShare, Eps);
        Assert.Equal(a.Score, a.Indicators.Sum(l => l.Contribution), Eps);
    }

    [Fact]
    public void APerIndicatorMissingPolicyOverridesTheProfiles()
    {
        var p = TestData.EditDefault(d => d.Indicator("human_development")["missing"] = "zero").Profile!;
        var a = ReadinessScorer.Score(p, TestData.Dumai());
        Assert.Equal(IndicatorStatus.MissingZero, a.Line("human_development").Status);
        Assert.Equal(IndicatorStatus.MissingExcluded, a.Line("fiscal_capacity").Status);
        Assert.Equal((30 * 60 + 20 * 100) / 70.0, a.Pillar("struktur").Score!.Value, Eps);
    }

    [Fact]
    public void APillarWithoutDataIsLeftOutAndThePillarWeightsReSpread()
    {
        var q = TestData.DumaiQuestionnaire();
        q.Remove("reg_year");
        q.Remove("masterplan_year");
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Input("14.72", q, TestData.NoSpatialData("14.72")));
        var supra = a.Pillar("suprastruktur");
        Assert.Null(supra.Score);
        Assert.Equal(0, supra.EffectiveWeight);
        Assert.Equal(30.0 / 70, a.Pillar("struktur").EffectiveWeight, Eps);
        Assert.Equal(30.0 / 70 * 76 + 40.0 / 70 * 3820 / 65, a.Score, Eps);
        Assert.Equal(a.Score, a.Indicators.Sum(l => l.Contribution), Eps);
    }

    [Fact]
    public void AUnitWithoutAnyDataScoresZeroInTheLowestBand()
    {
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Input("99.99", new Dictionary<string, double>()));
        Assert.Equal(0, a.Score);
        Assert.Equal(1, a.Index);
        Assert.Equal(0, a.DataShare);
        Assert.Equal("belum_siap", a.Band.Id);
        Assert.All(a.Indicators, l => Assert.Equal(IndicatorStatus.MissingExcluded, l.Status));
    }

    [Fact]
    public void DivisionByZeroMakesAFormulaUnavailableWithTheReason()
    {
        var q = TestData.DumaiQuestionnaire();
        q["employees"] = 0;
        q["ict_staff"] = 0;
        var line = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Input("14.72", q)).Line("ict_staff_pct");
        Assert.Equal(IndicatorStatus.MissingExcluded, line.Status);
        Assert.Contains("division by zero", line.MissingNote);
    }

    [Theory]
    [InlineData("if(websites > 10, 2, 1) + max(1, admin_apps, 2) * -1", 2 - 3)]
    [InlineData("(websites >= 30) + (websites != 30) + (websites == 30) + (websites < 30) + (websites <= 30)", 3)]
    [InlineData("not data_centre or command_centre", 0)]
    [InlineData("data_centre and not command_centre", 1)]
    [InlineData("command_centre and ipm > 0", 0)]
    [InlineData("year - reg_year + min(portals)", 1)]
    [InlineData("if(data_centre, 7, ipm)", 7)]
    [InlineData("-(2 - 3) * 4 / 8", 0.5)]
    public void TheFormulaLanguageEvaluatesAsDocumented(string formula, double expected)
    {
        var p = TestData.EditDefault(d => d.Indicator("partnerships")["source"] = new JsonArray(new JsonObject { ["formula"] = formula }));
        Assert.Empty(p.Problems);
        var line = ReadinessScorer.Score(p.Profile!, TestData.Dumai()).Line("partnerships");
        Assert.Equal(expected, line.RawValue!.Value, Eps);
    }

    [Fact]
    public void AFormulaNeedingAnUnansweredFieldIsUnavailableWithTheFieldNamed()
    {
        var p = TestData.EditDefault(d => d.Indicator("partnerships")["source"] = new JsonArray(new JsonObject { ["formula"] = "ipm + 1" }));
        var line = ReadinessScorer.Score(p.Profile!, TestData.Dumai()).Line("partnerships");
        Assert.Equal(IndicatorStatus.MissingExcluded, line.Status);
        Assert.Equal("questionnaire field ipm not answered", line.NotUsed.Single().Unavailable);
        Assert.Contains("formula ipm + 1 unavailable: questionnaire field ipm not answered", line.MissingNote);
    }

    [Fact]
    public void Spbe2020IndexEqualsTheMaturityLevelWhenEveryAnswerSaysTheSame()
    {
        var spbe = AssessmentProfiles.BuiltIn["spbe-2020"];
        var q = new Dictionary<string, double>
        {
            ["spbe_kebijakan"] = 3, ["spbe_tata_kelola"] = 3, ["spbe_manajemen"] = 3, ["spbe_layanan"] = 3,
        };
        var a = ReadinessScorer.Score(spbe, TestData.Input("14.72", q));
        Assert.Equal(3, a.Index, Eps);
        Assert.Equal("baik", a.Band.Id);
        Assert.Equal(0.455, a.Pillar("layanan").EffectiveWeight, Eps);
        q["spbe_layanan"] = 1;
        var lower = ReadinessScorer.Score(spbe, TestData.Input("14.72", q));
        Assert.Equal(3 - 2 * 0.455, lower.Index, Eps);
        Assert.Equal("cukup", lower.Band.Id);
    }

    [Fact]
    public void ScoringInParallelWithOneProfileGivesTheSameResults()
    {
        var rng = new Random(11);
        var units = Enumerable.Range(0, 200).Select(i => PropertyTests.RandomUnit(rng, i)).ToArray();
        var sequential = ReadinessScorer.ScoreAll(AssessmentProfiles.Default, units).Select(a => a.Score).ToArray();
        var parallel = units.AsParallel().AsOrdered().Select(u => ReadinessScorer.Score(AssessmentProfiles.Default, u).Score).ToArray();
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ScoringIsDeterministic()
    {
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        var b = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        Assert.Equal(a.Score, b.Score);
        Assert.Equal(a.Pillars, b.Pillars);
        Assert.Equal(a.Indicators.Select(l => l.Note), b.Indicators.Select(l => l.Note));
    }
}
