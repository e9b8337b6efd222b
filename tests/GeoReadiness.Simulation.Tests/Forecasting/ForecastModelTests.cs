using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Forecasting;
using GeoReadiness.Simulation.Scenarios;
using Xunit.Abstractions;

namespace GeoReadiness.Simulation.Tests.Forecasting;

[Collection(ForecastCollection.Name)]
public sealed class ForecastModelTests(ForecastFixture fixture, ITestOutputHelper output)
{
    private ForecastEvaluation Evaluation => fixture.Model.Evaluation;

    [Fact]
    public void The_regression_beats_the_last_score_by_a_fifth_and_the_classifier_ranks_well_on_the_held_out_round()
    {
        var json = new System.Text.Json.JsonSerializerOptions { WriteIndented = true };
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(Evaluation, json));
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(fixture.Model.Manifest.ScoreImportance.Take(6), json));
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(fixture.Model.Manifest.SelectionImportance.Take(6), json));
        output.WriteLine($"training {fixture.Model.Manifest.TrainingSeconds} s");
        Assert.Equal(2025, Evaluation.TestRound);
        Assert.Equal([2018, 2019, 2021, 2022, 2023, 2024], Evaluation.TrainRounds);
        Assert.Equal(514, Evaluation.TestExamples);
        Assert.Equal(6 * 514, Evaluation.TrainExamples);
        var lastScore = Evaluation.ScoreBaselines.Single(b => b.Name == "last-score");
        Assert.True(Evaluation.Score.Mae <= 0.8 * lastScore.Mae, $"MAE {Evaluation.Score.Mae:0.000} vs last score {lastScore.Mae:0.000}");
        Assert.Equal(1 - Evaluation.Score.Mae / lastScore.Mae, Evaluation.MaeImprovement, 12);
        Assert.True(Evaluation.Selection.Auc >= 0.85, $"AUC {Evaluation.Selection.Auc:0.000}");
        Assert.True(Evaluation.Selection.LogLoss < Evaluation.SelectionBaseline.LogLoss, "log-loss against the historic rate");
        Assert.True(Evaluation.Selection.Brier < Evaluation.SelectionBaseline.Brier, "Brier against the historic rate");
    }

    [Fact]
    public void The_report_holds_every_metric_and_baseline()
    {
        Assert.Equal(["last-score", "profile-score"], Evaluation.ScoreBaselines.Select(b => b.Name));
        Assert.All(Evaluation.ScoreBaselines.Append(Evaluation.Score), m =>
        {
            Assert.True(m.Mae > 0 && m.Rmse >= m.Mae, m.Name);
            Assert.InRange(m.RSquared, -10, 1);
        });
        Assert.True(Evaluation.Score.RSquared > 0.5, $"R² {Evaluation.Score.RSquared}");
        var bins = Evaluation.Selection.Calibration;
        Assert.Equal(10, bins.Count);
        Assert.Equal(Evaluation.TestExamples, bins.Sum(b => b.Count));
        Assert.All(bins.Where(b => b.Count > 0), b => Assert.InRange(b.MeanPredicted, b.From, b.To));
        // calibrated: the selected share in the test round equals the mean probability within a few points
        var observed = bins.Sum(b => b.ObservedRate * b.Count) / Evaluation.TestExamples;
        var predicted = bins.Sum(b => b.MeanPredicted * b.Count) / Evaluation.TestExamples;
        Assert.InRange(predicted, observed - 0.05, observed + 0.05);
    }

    [Fact]
    public void The_manifest_records_provenance()
    {
        var m = fixture.Model.Manifest;
        Assert.Equal(ForecastManifest.CurrentFormat, m.Format);
        Assert.Matches("^fm-[0-9a-f]{16}$", m.VersionId);
        Assert.Equal(fixture.History.Data.Sha256, m.TrainingDataSha256);
        Assert.Equal(514 * 8, m.TrainingDataRows);
        Assert.Equal(7, m.Options.Seed);
        Assert.True(m.TrainingSeconds > 0);
        Assert.Equal(["FastTreeRegression", "FastTreeBinary+PlattCalibrator"], m.Trainers.Select(t => t.Trainer));
        Assert.All(m.Trainers, t => Assert.Equal("1", t.Options["numberOfThreads"]));
        Assert.Equal(514, m.TestResiduals.Count);
    }

    [Fact]
    public void Same_seed_and_data_give_identical_metrics_and_version()
    {
        var again = ForecastTrainer.Train(fixture.History.Data, ForecastFixture.Options);
        Assert.Equal(fixture.Model.VersionId, again.VersionId);
        Assert.Equal(Json(fixture.Model.Manifest), Json(again.Manifest));
        var inputs = fixture.HeldOutInputs();
        Assert.Equal(fixture.Model.PredictScores(inputs), again.PredictScores(inputs));

        static string Json(ForecastManifest m) => System.Text.Json.JsonSerializer.Serialize(m with { TrainedAt = default, TrainingSeconds = 0 });
    }

    [Fact]
    public void A_saved_model_loads_with_identical_predictions_and_manifest()
    {
        using var stream = new MemoryStream();
        fixture.Model.Save(stream);
        stream.Position = 0;
        var loaded = ForecastModel.Load(stream);
        Assert.Equal(fixture.Model.ManifestJson(), loaded.ManifestJson());
        var inputs = fixture.HeldOutInputs();
        Assert.Equal(fixture.Model.Predict(inputs), loaded.Predict(inputs));
        Assert.True(loaded.ScoresDirectly);
        Assert.Equal(fixture.Model.PredictScores(inputs), loaded.PredictScores(inputs));
        var some = inputs.Take(20).ToArray();
        Assert.Equal(Describe(fixture.Model.Explain(some)), Describe(loaded.Explain(some)));
        Assert.Equal(Describe(fixture.Model.ExplainSelection(some)), Describe(loaded.ExplainSelection(some)));

        static string Describe(IEnumerable<ForecastExplanation> e) =>
            string.Join("\n", e.Select(x => $"{x.Code} {x.Target} {x.Prediction} " + string.Join(";", x.Up.Concat(x.Down).Select(d => $"{d.Feature}={d.Value}:{d.Contribution}"))));
    }

    [Fact]
    public void The_artefact_is_the_same_bytes_whenever_it_is_saved_and_carries_no_clock_time()
    {
        static byte[] Save(ForecastModel model)
        {
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }
        var first = Save(fixture.Model);
        using (var reloaded = new MemoryStream(first))
            Assert.Equal(first, Save(ForecastModel.Load(reloaded)));
        Assert.Equal(first, Save(fixture.Model));

        // the times of every entry, of the artefact and of the two ML.NET models inside it, are one fixed time
        var times = new List<DateTimeOffset>();
        using var outer = new System.IO.Compression.ZipArchive(new MemoryStream(first));
        foreach (var entry in outer.Entries)
        {
            times.Add(entry.LastWriteTime);
            if (!entry.FullName.EndsWith(".zip", StringComparison.Ordinal)) continue;
            using var inner = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(inner);
            inner.Position = 0;
            using var zip = new System.IO.Compression.ZipArchive(inner);
            Assert.NotEmpty(zip.Entries);
            times.AddRange(zip.Entries.Select(e => e.LastWriteTime));
        }
        Assert.Equal(3, outer.Entries.Count);
        Assert.Single(times.Distinct());
    }

    [Fact]
    public void Loading_something_else_is_a_clear_error()
    {
        using var empty = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(empty, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            zip.CreateEntry("other.txt");
        empty.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => ForecastModel.Load(empty));
        Assert.Contains("manifest.json", e.Message);
    }

    [Fact]
    public void Batch_predictions_follow_the_input_order_and_name_the_model()
    {
        var inputs = fixture.HeldOutInputs();
        var predictions = fixture.Model.Predict(inputs);
        var reversed = fixture.Model.Predict(inputs.Reverse().ToArray());
        Assert.Equal(predictions, reversed.Reverse());
        Assert.Equal(inputs.Select(i => i.Code), predictions.Select(p => p.Code));
        Assert.All(predictions, p =>
        {
            Assert.Equal(fixture.Model.VersionId, p.ModelVersion);
            Assert.Equal(2025, p.ForecastYear);
            Assert.True(p.Lower <= p.Score && p.Score <= p.Upper, p.Code);
            Assert.InRange(p.SelectionProbability, 0, 1);
        });
        // the direct evaluation of the trees gives ML.NET's scores (inputs with unknown values included)
        Assert.True(fixture.Model.ScoresDirectly);
        Assert.Contains(inputs, i => i.Indicators.Any(v => v is null));
        var direct = fixture.Model.PredictScores(inputs);
        for (var i = 0; i < inputs.Count; i++)
            Assert.Equal(predictions[i].Score, Math.Clamp(direct[i], 0, 100), 4);
        // a unit selected before is (almost) never selected again: the classifier learnt it
        var before = predictions.Where((_, i) => inputs[i].SelectedBefore).Average(p => p.SelectionProbability);
        var not = predictions.Where((_, i) => !inputs[i].SelectedBefore).Average(p => p.SelectionProbability);
        Assert.True(before < not / 3, $"{before} vs {not}");
    }

    [Fact]
    public void Explanations_name_real_features_and_add_up_in_the_direction_of_the_forecast()
    {
        var features = fixture.Model.Manifest.Features;
        Assert.Equal(fixture.History.Data.Schema.Indicators.Concat(fixture.History.Data.Schema.Infrastructure)
            .Concat(["assessed_score", "selected_before", "years_to_next", "unselected_rank"]), features);
        var inputs = fixture.HeldOutInputs();
        var explanations = fixture.Model.Explain(inputs, top: 4);
        Assert.Equal(inputs.Count, explanations.Count);
        Assert.All(explanations, e =>
        {
            Assert.InRange(e.Up.Count + e.Down.Count, 1, 8);
            Assert.All(e.Up, d => Assert.True(d.Contribution > 0));
            Assert.All(e.Down, d => Assert.True(d.Contribution < 0));
            Assert.All(e.Up.Concat(e.Down), d => Assert.Contains(d.Feature, features));
        });
        // the best and the worst forecast: their strongest driver pushes the way they stand out
        Assert.All(explanations, e => Assert.Equal("score", e.Target));
        var best = explanations.MaxBy(e => e.Prediction)!;
        var worst = explanations.MinBy(e => e.Prediction)!;
        Assert.True(best.Up[0].Contribution > (best.Down.Count > 0 ? -best.Down[0].Contribution : 0));
        Assert.True(worst.Down[0].Contribution < (worst.Up.Count > 0 ? -worst.Up[0].Contribution : 0));
        // the assessed score drives the forecast of most units
        Assert.True(explanations.Count(e => e.Up.Concat(e.Down).Any(d => d.Feature == "assessed_score")) > inputs.Count / 2);
    }

    [Fact]
    public void Selection_explanations_measure_each_feature_against_its_training_mean()
    {
        var inputs = fixture.HeldOutInputs();
        var predictions = fixture.Model.Predict(inputs);
        var explanations = fixture.Model.ExplainSelection(inputs, top: 3);
        var features = fixture.Model.Manifest.Features;
        Assert.Equal(features.Count, fixture.Model.Manifest.FeatureMeans.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var e = explanations[i];
            Assert.Equal("selection", e.Target);
            Assert.Equal(predictions[i].SelectionProbability, e.Prediction, 6);
            Assert.True(e.Up.Count <= 3 && e.Down.Count <= 3);
            Assert.All(e.Up.Concat(e.Down), d => Assert.Contains(d.Feature, features));
        }
        // the likely ones owe their chance to something: the likeliest to its rank in the pool or its score
        var likeliest = explanations.MaxBy(e => e.Prediction)!;
        Assert.Contains(likeliest.Up, d => d.Feature is "unselected_rank" or "assessed_score");
        Assert.All(explanations.Where(e => e.Prediction > 0.5), e => Assert.NotEmpty(e.Up));
    }

    [Fact]
    public void Permutation_importance_ranks_named_features_with_the_assessed_score_on_top()
    {
        var m = fixture.Model.Manifest;
        Assert.Equal(m.Features.Order(), m.ScoreImportance.Select(i => i.Feature).Order());
        Assert.Equal(m.Features.Order(), m.SelectionImportance.Select(i => i.Feature).Order());
        Assert.Equal("assessed_score", m.ScoreImportance[0].Feature);
        Assert.Contains(m.SelectionImportance[0].Feature, new[] { "assessed_score", "selected_before", "unselected_rank" });
        Assert.True(m.ScoreImportance[0].Change > 1, $"{m.ScoreImportance[0].Change}");
        Assert.Equal(m.ScoreImportance.OrderByDescending(i => i.Change).Select(i => i.Change), m.ScoreImportance.Select(i => i.Change));
    }

    [Fact]
    public void Intervals_cover_about_their_nominal_share_of_held_out_residuals()
    {
        Assert.Equal([0.5, 0.8, 0.9], Evaluation.Intervals.Select(i => i.Nominal));
        foreach (var check in Evaluation.Intervals)
        {
            output.WriteLine($"{check.Nominal}: {check.Coverage:0.000} [{check.Lower:0.00}, {check.Upper:0.00}]");
            Assert.InRange(check.Coverage, check.Nominal - 0.06, check.Nominal + 0.06);
            Assert.True(check.Lower < 0 && check.Upper > 0);
        }
        var widths = Evaluation.Intervals.Select(i => i.Upper - i.Lower).ToArray();
        Assert.True(widths[0] < widths[1] && widths[1] < widths[2]);
    }

    [Fact]
    public void Model_error_draws_follow_the_residuals_and_a_stream()
    {
        var residuals = fixture.Model.Residuals;
        Assert.Equal(residuals.Residuals[0], residuals.Sample(0.0));
        Assert.Equal(residuals.Residuals[^1], residuals.Sample(1.0));
        Assert.Equal(residuals.Quantile(0.5), residuals.Sample(0.5));
        var a = RandomStream.For(0, "14.72", 99);
        var b = RandomStream.For(0, "14.72", 99);
        var draws = Enumerable.Range(0, 4000).Select(_ => residuals.Sample(a)).ToArray();
        Assert.Equal(draws.Take(10), Enumerable.Range(0, 10).Select(_ => residuals.Sample(b)));
        var (lo, hi) = residuals.Interval(0.8);
        Assert.InRange(draws.Count(d => d >= lo && d <= hi) / 4000.0, 0.77, 0.83);
        Assert.InRange(draws.Average(), residuals.Residuals.Average() - 0.3, residuals.Residuals.Average() + 0.3);
    }

    [Fact]
    public void An_input_of_another_schema_is_refused_with_the_counts()
    {
        var input = fixture.HeldOutInputs()[0];
        var e = Assert.Throws<ArgumentException>(() => fixture.Model.Predict([input with { Indicators = input.Indicators.Skip(1).ToArray() }]));
        Assert.Contains($"{input.Code} 2024: 22 indicator and 3 infrastructure value(s); the model reads 23 and 3 (kominfo-2019 1.0.0)", e.Message);
        var spbe = AssessmentProfiles.BuiltIn["spbe-2020"];
        var p = Assert.Throws<ArgumentException>(() => ForecastTrainer.Train(fixture.History.Data, profile: spbe));
        Assert.Contains("does not have the indicators of the training schema", p.Message);
    }
}
