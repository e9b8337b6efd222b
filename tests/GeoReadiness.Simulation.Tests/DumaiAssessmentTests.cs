using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Tests;

/// <summary>
/// Kota Dumai's published row under kominfo-2019, every number derived by hand from the profile:
/// Struktur keeps ict_staff_pct (30) and s2_staff_pct (20) of 100 → (30·60 + 20·100)/50 = 76;
/// Infrastruktur keeps 65 of 100 → (15·50 + 15·50 + 8·100 + 7·0 + 8·70 + 6·100 + 6·60)/65 = 3820/65;
/// Suprastruktur keeps the regulation and masterplan (20 + 20) → 100;
/// overall 0.3·76 + 0.4·3820/65 + 0.3·100 = 4960/65 ≈ 76.31.
/// </summary>
public class DumaiAssessmentTests
{
    private const double Eps = 1e-9;
    private static readonly UnitAssessment Dumai = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());

    /// <summary>Asserts a scored line's numbers; <paramref name="effective"/> is its share of the overall score.</summary>
    private static IndicatorLine AssertLine(string id, double? display, string? band, double score, double declared, double effective)
    {
        var line = Dumai.Line(id);
        Assert.Equal(IndicatorStatus.Scored, line.Status);
        Assert.Equal(display, line.DisplayValue);
        Assert.Equal(band, line.BandLabel);
        Assert.Equal(score, line.Score);
        Assert.Equal(declared, line.DeclaredWeight);
        Assert.Equal(effective, line.EffectiveWeight, Eps);
        Assert.Equal(effective * score, line.Contribution, Eps);
        return line;
    }

    [Fact]
    public void FourGCoverageIsHalfThePopulationInBand26To50FromTheQuestionnaireFormula()
    {
        var line = AssertLine("coverage_4g_pct", 50.0, "26–50 %", 50, 15, 0.4 * 15 / 65);
        Assert.Equal(100.0 * 159913 / 319827, line.RawValue!.Value, Eps);
        Assert.Equal(SourceKind.Formula, line.Source!.Kind);
        Assert.Equal("100 * pop_4g / penduduk", line.Source.Reference);
        var spatial = Assert.Single(line.NotUsed);
        Assert.Equal("share_4g_pct", spatial.Reference);
        Assert.Null(spatial.Value);
        Assert.Contains("spatial share_4g_pct unavailable: the population of 14.72 is not placed by population cells", spatial.Unavailable);
        Assert.Contains("spatial share_4g_pct unavailable", line.Note);
    }

    [Fact]
    public void FixedBroadbandIsHalfTheHouseholds()
    {
        var line = AssertLine("fixed_broadband_pct", 50.0, "26–50 %", 50, 15, 0.4 * 15 / 65);
        Assert.Equal(100.0 * 47220 / 94441, line.RawValue!.Value, Eps);
        Assert.Contains("spatial households_fixed_reach_pct unavailable: the population of 14.72 is not placed", line.NotUsed.Single().Unavailable);
    }

    [Fact]
    public void IctStaffIsThreePercentInTheOneToThreeBand()
    {
        var line = AssertLine("ict_staff_pct", 3.0, "1–3 %", 60, 30, 0.18);
        Assert.Equal(10.8, line.Contribution, Eps);
    }

    [Fact]
    public void S2StaffIsFourteenPointOnePercentAboveThreePercent()
    {
        var line = AssertLine("s2_staff_pct", 14.1, "> 3 %", 100, 20, 0.12);
        Assert.Equal(12, line.Contribution, Eps);
    }

    [Theory]
    [InlineData("has_data_centre", 1, null, 100, 8)]
    [InlineData("has_command_centre", 0, null, 0, 7)]
    [InlineData("admin_applications", 3, "3–5", 70, 8)]
    [InlineData("dynamic_websites", 30, "more than 25", 100, 6)]
    [InlineData("service_portals", 1, "1", 60, 6)]
    public void InfrastructureAnswersScoreAsTheirRulesSay(string id, double display, string? band, double score, double weight) =>
        AssertLine(id, display, band, score, weight, 0.4 * weight / 65);

    [Theory]
    [InlineData("smart_city_regulation")]
    [InlineData("ict_masterplan")]
    public void RegulationAndMasterplanYearsCountAsPresent(string id) => AssertLine(id, 1, null, 100, 20, 0.15);

    [Theory]
    [InlineData("human_development")]
    [InlineData("fiscal_capacity")]
    [InlineData("partnerships")]
    [InlineData("opd_on_fibre_pct")]
    [InlineData("villages_fibre_pct")]
    [InlineData("architecture_adopted")]
    [InlineData("planning_integration")]
    public void UnansweredIndicatorsAreLeftOutWithTheReason(string id)
    {
        var line = Dumai.Line(id);
        Assert.Equal(IndicatorStatus.MissingExcluded, line.Status);
        Assert.Null(line.Score);
        Assert.Null(line.Source);
        Assert.Equal(0, line.EffectiveWeight);
        Assert.Equal(0, line.Contribution);
        Assert.Contains("not answered", line.MissingNote);
    }

    [Fact]
    public void PillarsOverallIndexAndBandMatchTheHandComputation()
    {
        Assert.Equal(76, Dumai.Pillar("struktur").Score!.Value, Eps);
        Assert.Equal(3820.0 / 65, Dumai.Pillar("infrastruktur").Score!.Value, Eps);
        Assert.Equal(100, Dumai.Pillar("suprastruktur").Score!.Value, Eps);
        Assert.Equal(0.5, Dumai.Pillar("struktur").DataShare, Eps);
        Assert.Equal(0.65, Dumai.Pillar("infrastruktur").DataShare, Eps);
        Assert.Equal(0.4, Dumai.Pillar("suprastruktur").DataShare, Eps);
        Assert.Equal(0.4, Dumai.Pillar("infrastruktur").EffectiveWeight, Eps);
        Assert.Equal(4960.0 / 65, Dumai.Score, Eps);
        Assert.Equal(1 + 4 * (4960.0 / 65) / 100, Dumai.Index, Eps);
        Assert.Equal("cukup_siap", Dumai.Band.Id);
        Assert.Equal("Cukup siap", Dumai.Band.Label.Id);
        Assert.Equal(0.3 * 0.5 + 0.4 * 0.65 + 0.3 * 0.4, Dumai.DataShare, Eps);
        Assert.Equal(Dumai.Score, Dumai.Indicators.Sum(l => l.Contribution), Eps);
    }

    [Fact]
    public void DimensionsAreScoredOverTheirOwnWeights()
    {
        // smart_society: coverage_4g (40, score 50); ipm (30) and fibre_village (30) missing
        var society = Dumai.Dimension("smart_society");
        Assert.Equal(50, society.Score!.Value, Eps);
        Assert.Equal(0.4, society.DataShare, Eps);
        // smart_living: fibre_puskesmas (40) and ipm (30) missing; command_centre (30) scores 0
        Assert.Equal(0, Dumai.Dimension("smart_living").Score!.Value, Eps);
        Assert.Equal(1.0, Dumai.Dimensions.Sum(d => d.EffectiveWeight), Eps);
    }

    [Fact]
    public void TheAssessmentCarriesTheProfileProvenance()
    {
        Assert.Equal("kominfo-2019", Dumai.ProfileId);
        Assert.Equal(AssessmentProfiles.Default.Sha256, Dumai.ProfileSha256);
        Assert.Equal(64, Dumai.ProfileSha256.Length);
    }
}
