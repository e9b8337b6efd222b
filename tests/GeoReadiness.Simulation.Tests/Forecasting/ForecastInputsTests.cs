using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Tests.Forecasting;

[Collection(ForecastCollection.Name)]
public sealed class ForecastInputsTests(ForecastFixture fixture)
{
    private static readonly AssessmentProfile Profile = AssessmentProfiles.Default;
    private static readonly TrainingSchema Schema = TrainingSchema.For(Profile);

    private static IReadOnlyDictionary<string, IndicatorValue> Spatial(double fibreKm, double towers) => new Dictionary<string, IndicatorValue>(StringComparer.Ordinal)
    {
        ["fibre_km_existing"] = IndicatorValue.Measured(fibreKm),
        ["towers_total"] = IndicatorValue.Measured(towers),
        ["share_5g_pct"] = IndicatorValue.Missing("no 5G tower in the store covers the unit"),
    };

    /// <summary>Three units of 2019: Dumai's answers, a weaker copy and a stronger one.</summary>
    private static AssessmentInput[] Pool()
    {
        var weak = new Dictionary<string, double>(TestData.DumaiQuestionnaire()) { ["ict_staff"] = 5, ["data_centre"] = 0, ["websites"] = 4 };
        var strong = new Dictionary<string, double>(TestData.DumaiQuestionnaire()) { ["ict_staff"] = 200, ["command_centre"] = 1, ["portals"] = 3 };
        return
        [
            TestData.Input("14.72", TestData.DumaiQuestionnaire(), Spatial(12.5, 121)),
            TestData.Input("14.03", weak, Spatial(0, 7)),
            TestData.Input("14.71", strong, Spatial(80, 300)),
        ];
    }

    [Fact]
    public void Inputs_carry_the_raw_values_in_schema_order_the_spatial_values_and_the_profile_score()
    {
        var pool = Pool();
        var inputs = ForecastInputs.FromAssessments(Schema, Profile, pool, new HashSet<string> { "14.71" });

        var assessments = ReadinessScorer.ScoreAll(Profile, pool);
        Assert.Equal(["14.72", "14.03", "14.71"], inputs.Select(i => i.Code));
        for (var u = 0; u < pool.Length; u++)
        {
            var input = inputs[u];
            Assert.Equal(2019, input.Year);
            Assert.Equal(1, input.YearsToNext);
            Assert.Equal(Schema.Indicators.Select(id => assessments[u].Indicators.Single(l => l.Id == id).RawValue), input.Indicators);
            Assert.Equal(assessments[u].Score, input.AssessedScore);
        }
        Assert.Equal(100.0 * 70 / 2316, inputs[0].Indicators[Schema.Indicators.ToList().IndexOf("ict_staff_pct")]!.Value, 9); // 70 of 2,316 employees
        Assert.Equal([12.5, 121, null], inputs[0].Infrastructure);
        Assert.Equal([false, false, true], inputs.Select(i => i.SelectedBefore));
        // the strongest unit was selected before: the other two are ranked, the better first
        Assert.True(inputs[0].AssessedScore > inputs[1].AssessedScore);
        Assert.Equal([1, 2, null], inputs.Select(i => i.UnselectedRank));
    }

    [Fact]
    public void Overrides_replace_values_by_feature_name_and_the_stand_in_score_and_the_ranks_follow()
    {
        var pool = Pool();
        var plain = ForecastInputs.FromAssessments(Schema, Profile, pool);
        var ict = Schema.Indicators.ToList().IndexOf("ict_staff_pct");
        var overrides = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["14.03"] = new Dictionary<string, double> { ["ict_staff_pct"] = 4.0, ["share_5g_pct"] = 30 },
            ["14.71"] = new Dictionary<string, double> { ["ict_staff_pct"] = 0.1, [ForecastInputs.AssessedScore] = 10 },
        };
        var changed = ForecastInputs.FromAssessments(Schema, Profile, pool, overrides: overrides, yearsToNext: 2);

        Assert.Equal(plain[0].Indicators, changed[0].Indicators);
        Assert.Equal(plain[0].Infrastructure, changed[0].Infrastructure);
        Assert.Equal((plain[0].AssessedScore, 2), (changed[0].AssessedScore, changed[0].YearsToNext));
        Assert.Equal(4.0, changed[1].Indicators[ict]);
        Assert.Equal([0, 7, 30], changed[1].Infrastructure);
        var raw = plain[1].Indicators.ToArray();
        raw[ict] = 4.0;
        Assert.Equal(new ProfileBaseline(Profile).Score(raw), changed[1].AssessedScore!.Value, 9);
        Assert.True(changed[1].AssessedScore > plain[1].AssessedScore, "more ICT staff raise the profile score");
        // without an override the stand-in is the scorer's score, which the baseline reproduces from the same raw values
        Assert.Equal(plain[1].AssessedScore!.Value, new ProfileBaseline(Profile).Score(plain[1].Indicators), 9);
        Assert.Equal(0.1, changed[2].Indicators[ict]);
        Assert.Equal(10, changed[2].AssessedScore); // an override of the score itself wins
        Assert.Equal([2, 1, 3], changed.Select(i => i.UnselectedRank));
    }

    [Fact]
    public void An_unknown_feature_names_it_and_lists_the_valid_names()
    {
        var overrides = new Dictionary<string, IReadOnlyDictionary<string, double>> { ["14.72"] = new Dictionary<string, double> { ["ict_staf_pct"] = 4 } };
        var e = Assert.Throws<ArgumentException>(() => ForecastInputs.FromAssessments(Schema, Profile, Pool(), overrides: overrides));
        Assert.Contains("override for 14.72: unknown feature 'ict_staf_pct'", e.Message);
        Assert.Contains("ict_staff_pct, s2_staff_pct", e.Message);
        Assert.Contains("fibre_km_existing, towers_total, share_5g_pct, assessed_score", e.Message);
        Assert.Equal([.. Schema.Indicators, "fibre_km_existing", "towers_total", "share_5g_pct", "assessed_score"], ForecastInputs.OverridableFeatures(Schema));
    }

    [Theory]
    [InlineData("13.05", "ict_staff_pct", 1.0, "override for 13.05: the unit is not among the 3 units of the round")]
    [InlineData("14.72", "assessed_score", 120.0, "assessed_score = 120 is not a score 0–100")]
    [InlineData("14.72", "towers_total", double.NaN, "towers_total = NaN is not a finite number")]
    public void Overrides_of_an_unknown_unit_or_with_a_bad_value_are_refused(string code, string feature, double value, string message)
    {
        var overrides = new Dictionary<string, IReadOnlyDictionary<string, double>> { [code] = new Dictionary<string, double> { [feature] = value } };
        var e = Assert.Throws<ArgumentException>(() => ForecastInputs.FromAssessments(Schema, Profile, Pool(), overrides: overrides));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_profile_other_than_the_schemas_is_refused_with_the_reason()
    {
        var other = new TrainingSchema(Profile.Id, "0.9.0", Schema.Indicators, Schema.Infrastructure);
        Assert.Equal($"the model reads profile kominfo-2019 0.9.0, not kominfo-2019 {Profile.Version}", ForecastInputs.Mismatch(other, Profile));
        var e = Assert.Throws<ArgumentException>(() => ForecastInputs.FromAssessments(other, Profile, Pool()));
        Assert.Contains("the model reads profile kominfo-2019 0.9.0", e.Message);

        var fewer = new TrainingSchema(Profile.Id, Profile.Version, Schema.Indicators.Skip(1).ToArray(), Schema.Infrastructure);
        Assert.Contains("does not have the model's indicators in the model's order", ForecastInputs.Mismatch(fewer, Profile));
        Assert.Null(ForecastInputs.Mismatch(Schema, Profile));
    }

    [Fact]
    public void A_pool_that_mixes_years_or_repeats_a_unit_is_refused()
    {
        var pool = Pool();
        pool[1] = pool[1] with { Year = 2018 };
        Assert.Contains("the pool mixes years 2018, 2019", Assert.Throws<ArgumentException>(() => ForecastInputs.FromAssessments(Schema, Profile, pool)).Message);
        Assert.Contains("unit 14.72 is in the pool twice",
            Assert.Throws<ArgumentException>(() => ForecastInputs.FromAssessments(Schema, Profile, [.. Pool(), Pool()[0]])).Message);
    }

    [Fact]
    public void The_inputs_fit_a_model_trained_on_the_profiles_schema()
    {
        Assert.Equal(fixture.Model.Schema, Schema);
        var inputs = ForecastInputs.FromAssessments(Schema, Profile, Pool());
        var predictions = fixture.Model.Predict(inputs);
        Assert.Equal(["14.72", "14.03", "14.71"], predictions.Select(p => p.Code));
        Assert.All(predictions, p => Assert.Equal((2020, fixture.Model.VersionId), (p.ForecastYear, p.ModelVersion)));
        Assert.All(predictions, p => Assert.InRange(p.Score, p.Lower, p.Upper));
    }
}
