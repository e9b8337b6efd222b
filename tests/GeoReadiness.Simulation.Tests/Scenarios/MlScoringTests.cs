using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Simulation.Tests.Forecasting;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>A small, fast forecast model of kominfo-2019 trained once on the synthetic history (the test's own training).</summary>
public sealed class SmallForecastModel
{
    public static readonly ForecastOptions Options = new(Seed: 5, ScoreTrees: 80, SelectionTrees: 20, PermutationCount: 1);

    public ForecastModel Model { get; } = ForecastTrainer.Train(SyntheticHistory.Generate(ForecastFixture.Units(), 20251126).Data, Options);
}

/// <summary><c>"scoring": "ml"</c>: the draws' unit-years scored by the forecast model, with model error.</summary>
[Collection(MonteCarloCollection.Name)]
public sealed class MlScoringTests(MonteCarloFixture fixture, SmallForecastModel trained) : IClassFixture<SmallForecastModel>
{
    private ForecastModel Model => trained.Model;

    /// <summary>The document with <paramref name="keys"/> (JSON members, e.g. <c>"scoring": "ml"</c>) added after its seed.</summary>
    private static Scenario With(Scenario scenario, string keys) =>
        ScenarioDocuments.Parse(Regex.Replace(scenario.Json, @"""seed"": (\d+),", m => $"{m.Value} {keys},"));

    private (Scenario Scenario, ScenarioInputs Inputs) Showcase(string keys)
    {
        var (scenario, inputs) = fixture.Showcase();
        return (With(scenario, keys), inputs with { Model = Model });
    }

    [Fact]
    public void An_ml_run_reports_the_scoring_and_the_model_version()
    {
        var (scenario, inputs) = Showcase("\"scoring\": \"ml\"");
        Assert.Equal(ScenarioScoring.Ml, scenario.Scoring);
        Assert.True(scenario.ModelError);
        var run = MonteCarloEngine.Run(scenario, inputs);
        Assert.Equal("ml", run.Provenance.Scoring);
        Assert.Equal(Model.VersionId, run.Provenance.ModelVersion);
        Assert.True(run.Provenance.ModelError);
        Assert.Contains($"\"modelVersion\": \"{Model.VersionId}\"", run.ToJson(), StringComparison.Ordinal);

        // a profile run records no scoring: its JSON is as before the ML scoring existed
        var profile = MonteCarloEngine.Run(fixture.Showcase().Scenario, fixture.Showcase().Inputs);
        Assert.Null(profile.Provenance.Scoring);
        Assert.DoesNotContain("modelVersion", profile.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"scoring\"", profile.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Model_error_widens_every_score_interval()
    {
        var (with, inputs) = Showcase("\"scoring\": \"ml\"");
        var (without, _) = Showcase("\"scoring\": \"ml\", \"modelError\": false");
        Assert.False(without.ModelError);
        var a = MonteCarloEngine.Run(with, inputs);
        var b = MonteCarloEngine.Run(without, inputs);
        Assert.False(b.Provenance.ModelError);
        foreach (var (x, y) in a.Units.Zip(b.Units))
        {
            Assert.Equal((x.Code, x.Year), (y.Code, y.Year));
            var spread = Model.Residuals.Quantile(0.95) - Model.Residuals.Quantile(0.05);
            Assert.True(x.Score.P95 - x.Score.P5 > y.Score.P95 - y.Score.P5 + spread / 4,
                $"{x.Year}: p5–p95 {x.Score.P5}–{x.Score.P95} with model error, {y.Score.P5}–{y.Score.P95} without (residual spread {spread})");
            // the error is centred on the model's: the means differ by the residuals' mean at most, within sampling error
            Assert.InRange(x.Score.Mean - y.Score.Mean, Model.Residuals.Residuals.Average() - 5 * x.Score.StandardError - 1,
                Model.Residuals.Residuals.Average() + 5 * x.Score.StandardError + 1);
        }
    }

    [Fact]
    public void With_certainty_and_no_model_error_the_scores_are_the_models_predictions_of_the_deterministic_features()
    {
        var engineTests = new MonteCarloEngineTests(fixture);
        var profile = AssessmentProfiles.Default;
        var scenario = With(ScenarioDocuments.Parse(engineTests.CertainScenario()), "\"scoring\": \"ml\", \"modelError\": false");
        var inputs = fixture.Inputs(fixture.Spatial.Footprint, engineTests.CertainElements()) with { Model = Model };
        var run = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 2 });
        var unit = fixture.UnitInput;
        var baseline = Spatial.Indicators.IndicatorValues.Of(fixture.UnitWith(fixture.Spatial.Footprint, []));
        var distinct = new HashSet<double>();
        foreach (var (year, values, expected) in engineTests.Deterministic(profile, scenario))
        {
            ForecastInput Input(UnitAssessment a, IReadOnlyDictionary<string, Spatial.Indicators.IndicatorValue> named) => new(unit.Code, year,
                [.. Model.Schema.Indicators.Select(id => a.Indicators.Single(l => l.Id == id).RawValue)],
                [.. Model.Schema.Infrastructure.Select(n => named[n].Value)],
                a.Score, SelectedBefore: false, YearsToNext: 1, UnselectedRank: 1);
            var none = ReadinessScorer.Score(profile, new AssessmentInput(unit.Code, unit.Name, unit.Level, unit.ProvinceCode, year, unit.Questionnaire, baseline));
            var predicted = Model.PredictScores([Input(expected, values), Input(none, baseline)]).Select(s => Math.Clamp(s, 0, 100)).ToArray();

            var r = run[unit.Code, year];
            MonteCarloEngineTests.AssertCertain(predicted[0], r.Score);
            Assert.Equal(predicted[1], r.Baseline.Score, 1e-9);
            Assert.Equal(1, r.Rank.Mean);
            distinct.Add(predicted[0]);
            // the pillars stay the profile's
            for (var p = 0; p < expected.Pillars.Count; p++) MonteCarloEngineTests.AssertCertain(expected.Pillars[p].Score!.Value, r.Pillars[p].Score);
        }
        // the scenario moves the features: the model's predictions move with them
        Assert.True(distinct.Count > 1);
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_ml_results_on_one_and_two_cores()
    {
        var (scenario, inputs) = Showcase("\"scoring\": \"ml\"");
        var one = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 1 }).ToJson();
        var two = MonteCarloEngine.Run(scenario, inputs, new SamplingOptions { MaxDegreeOfParallelism = 2, ChunksAhead = 3 }).ToJson();
        Assert.Equal(one, two);
        Assert.NotEqual(one, MonteCarloEngine.Run(scenario with { Seed = scenario.Seed + 1 }, inputs).ToJson());
    }

    [Fact]
    public async Task Ranks_and_bands_follow_the_ml_scores()
    {
        // two kecamatan of 13.05, the work certain: without model error each draw gives the same ML scores
        var (scenario, inputs) = await new MonteCarloRankTests(fixture).TwoKecamatan("{\"probability\": 1}", topK: 1);
        scenario = With(ScenarioDocuments.Parse(scenario.Json.Replace("{\"dist\": \"uniform\", \"min\": 0, \"max\": 24}", "3", StringComparison.Ordinal)),
            "\"scoring\": \"ml\", \"modelError\": false");
        var run = MonteCarloEngine.Run(scenario, inputs with { Model = Model });
        var withError = MonteCarloEngine.Run(ScenarioDocuments.Parse(scenario.Json.Replace("\"modelError\": false", "\"modelError\": true", StringComparison.Ordinal)),
            inputs with { Model = Model });
        var bands = AssessmentProfiles.Default.Bands;
        var edges = bands.Levels.Select(l => bands.On == BandBasis.Index ? (l.From - 1) * 25 : l.From).ToArray();
        foreach (var year in run.Years)
        {
            var a = run[inputs.Units[0].Code, year];
            var b = run[inputs.Units[1].Code, year];
            Assert.Equal(0, a.Score.StandardError);
            Assert.Equal(a.Score.Mean >= b.Score.Mean ? 1 : 2, a.Rank.Mean);
            Assert.Equal(b.Score.Mean >= a.Score.Mean ? 1 : 2, b.Rank.Mean);
            Assert.Equal(a.Score.Mean >= b.Score.Mean ? 1 : 0, a.Rank.ProbabilityTopK);
            foreach (var r in new[] { a, b })
                Assert.Equal(edges.Select(edge => r.Score.Mean >= edge - 1e-9 ? 1.0 : 0.0), r.Bands.Select(x => x.Probability));
            // with model error each unit's rank varies from draw to draw, and P(top-1) of the two sums to 1 (no ties in continuous scores)
            var x = withError[inputs.Units[0].Code, year].Rank;
            var y = withError[inputs.Units[1].Code, year].Rank;
            Assert.Equal(1, x.ProbabilityTopK + y.ProbabilityTopK, 1e-9);
            Assert.InRange(x.ProbabilityTopK, 0.01, 0.99);
        }
    }

    [Theory]
    [InlineData("\"scoring\": \"neural\"", "scoring", "must be \"profile\"")]
    [InlineData("\"scoring\": 1", "scoring", "must be \"profile\"")]
    [InlineData("\"model\": \"fm-0123456789abcdef\"", "model", "only read with \"scoring\": \"ml\"")]
    [InlineData("\"scoring\": \"profile\", \"modelError\": false", "modelError", "only drawn with \"scoring\": \"ml\"")]
    [InlineData("\"scoring\": \"ml\", \"model\": \"latest\"", "model", "is not a forecast model version id")]
    [InlineData("\"scoring\": \"ml\", \"modelError\": \"no\"", "modelError", "must be true")]
    public void Scoring_keys_are_validated_with_their_path(string keys, string path, string message)
    {
        var (scenario, _) = fixture.Showcase();
        var result = ScenarioDocuments.TryParse(Regex.Replace(scenario.Json, @"""seed"": (\d+),", m => $"{m.Value} {keys},"));
        Assert.Null(result.Scenario);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_model_is_kept_and_a_document_without_scoring_scores_with_the_profile()
    {
        var (scenario, _) = fixture.Showcase();
        Assert.Equal(ScenarioScoring.Profile, scenario.Scoring);
        Assert.Null(scenario.Model);
        var named = With(scenario, "\"scoring\": \"ml\", \"model\": \"fm-0123456789abcdef\"");
        Assert.Equal(("fm-0123456789abcdef", ScenarioScoring.Ml), (named.Model, named.Scoring));
    }

    [Fact]
    public void A_model_that_does_not_fit_the_scenario_is_refused_before_drawing()
    {
        var (scenario, inputs) = Showcase("\"scoring\": \"ml\"");
        var e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(scenario, inputs with { Model = null }));
        Assert.Contains("scoring: the scenario scores with the ML model, but no model was given", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(fixture.Showcase().Scenario, inputs));
        Assert.Contains($"yet model {Model.VersionId} was given", e.Message, StringComparison.Ordinal);

        var other = With(fixture.Showcase().Scenario, "\"scoring\": \"ml\", \"model\": \"fm-0123456789abcdef\"");
        e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(other, inputs));
        Assert.Contains($"the scenario names model fm-0123456789abcdef, but model {Model.VersionId} was given", e.Message, StringComparison.Ordinal);

        var json = File.ReadAllText(Path.Combine(TestData.RepositoryRoot(), "src", "GeoReadiness.Simulation", "Assessment", "Profiles", "kominfo-2019.json"));
        var newer = AssessmentProfiles.Parse(json.Replace("\"version\": \"1.0.0\"", "\"version\": \"1.1.0\"", StringComparison.Ordinal));
        e = Assert.Throws<ArgumentException>(() => MonteCarloEngine.Run(scenario, inputs with { Profile = newer }));
        Assert.Contains($"model {Model.VersionId} was trained on profile kominfo-2019 1.0.0; the scenario's profile is kominfo-2019 1.1.0", e.Message, StringComparison.Ordinal);

        var spbe = AssessmentProfiles.BuiltIn["spbe-2020"];
        var problems = ScenarioScoringCheck.Problems(scenario, spbe, Model);
        Assert.All(problems, p => Assert.Equal("model", p.Path));
        Assert.Contains(problems, p => p.Message.Contains("trained on profile kominfo-2019 1.0.0", StringComparison.Ordinal));
        var missing = Model.Schema.Indicators.Where(i => spbe.Indicators.All(x => x.Id != i)).ToArray();
        Assert.NotEmpty(missing);
        Assert.Contains(problems, p => p.Message.Contains($"reads indicator(s) {string.Join(", ", missing)}, which profile spbe-2020", StringComparison.Ordinal));
        Assert.Empty(ScenarioScoringCheck.Problems(scenario, AssessmentProfiles.Default, Model));
    }
}
