using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Forecasting;

/// <summary>
/// <see cref="ForecastModel.PredictScores(ReadOnlySpan{float}, Span{double})"/> (the compiled ensemble, tree-major
/// over blocks of rows) against ML.NET's transform of the same model (<see cref="ForecastModel.TransformScores"/>):
/// equal scores whatever the batch size, the unknown values, the number of threads, for a trained and a loaded model.
/// </summary>
[Collection(ForecastCollection.Name)]
public sealed class BatchScoringTests(ForecastFixture fixture)
{
    /// <summary>The feature vectors of every round of the history (514 × 8 rows, unknown values as in the data), row-major.</summary>
    private float[] HistoryRows()
    {
        var data = fixture.History.Data;
        var model = fixture.Model;
        var inputs = data.Rounds.SelectMany(year => ForecastInput.FromHistory(data, year)).ToArray();
        var rows = new float[inputs.Length * model.FeatureCount];
        for (var i = 0; i < inputs.Length; i++) model.WriteFeatures(inputs[i], rows.AsSpan(i * model.FeatureCount, model.FeatureCount));
        return rows;
    }

    private static double[] Predict(ForecastModel model, ReadOnlySpan<float> rows)
    {
        var scores = new double[rows.Length / model.FeatureCount];
        model.PredictScores(rows, scores);
        return scores;
    }

    private static double[] Transform(ForecastModel model, ReadOnlySpan<float> rows)
    {
        var scores = new double[rows.Length / model.FeatureCount];
        model.TransformScores(rows, scores);
        return scores;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(129)]
    [InlineData(514)]
    public void Batches_of_any_size_score_as_ML_NET_and_as_each_row_alone(int rows)
    {
        var model = fixture.Model;
        var n = model.FeatureCount;
        // rows from the middle of the history, so a batch does not start at a round's first unit
        var batch = HistoryRows().AsSpan(1000 * n, rows * n);
        if (rows >= 63) Assert.Contains(float.NaN, batch.ToArray()); // unknown values as in the data (3 % of the indicators)
        var scores = Predict(model, batch);
        Assert.Equal(Transform(model, batch), scores);
        for (var r = 0; r < rows; r += Math.Max(1, rows / 17))
            Assert.Equal(scores[r], Predict(model, batch.Slice(r * n, n))[0]);
    }

    [Fact]
    public void Rows_with_unknown_values_are_imputed_as_ML_NET_does()
    {
        var model = fixture.Model;
        var n = model.FeatureCount;
        var rows = HistoryRows().AsSpan(0, 40 * n).ToArray();
        rows.AsSpan(0, n).Fill(float.NaN);                        // a row of unknown values only
        for (var r = 1; r < 40; r++) rows[r * n + r % n] = float.NaN; // one more unknown value in every other row
        for (var k = 0; k < n; k++) rows[39 * n + k] = k % 2 == 0 ? float.NaN : rows[39 * n + k];
        var scores = Predict(model, rows);
        Assert.Equal(Transform(model, rows), scores);
        Assert.All(scores, s => Assert.True(double.IsFinite(s)));
        // an unknown value is the training mean: writing the means in gives the same score
        var means = model.Manifest.FeatureMeans.Select(m => (float)m).ToArray();
        Assert.Equal(scores[0], Predict(model, means)[0]);
    }

    [Fact]
    public void Extreme_values_fall_to_the_outermost_leaves_as_in_ML_NET()
    {
        var model = fixture.Model;
        var n = model.FeatureCount;
        var rows = new float[4 * n];
        rows.AsSpan(0, n).Fill(float.PositiveInfinity);
        rows.AsSpan(n, n).Fill(float.NegativeInfinity);
        rows.AsSpan(2 * n, n).Fill(1e30f);
        rows.AsSpan(3 * n, n).Fill(0);
        var scores = Predict(model, rows);
        Assert.Equal(Transform(model, rows), scores);
        Assert.Equal(scores[0], scores[2]);
        Assert.NotEqual(scores[0], scores[1]);
    }

    [Fact]
    public void A_loaded_model_scores_the_whole_history_as_ML_NET()
    {
        var loaded = fixture.SavedAndLoaded();
        Assert.True(loaded.ScoresDirectly);
        var rows = HistoryRows();
        var scores = Predict(loaded, rows);
        Assert.Equal(514 * 8, scores.Length);
        Assert.Equal(Transform(loaded, rows), scores);
        Assert.Equal(Predict(fixture.Model, rows), scores);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(31)]
    public void Trees_of_more_than_eight_leaves_are_scored_row_by_row_as_ML_NET(int leaves)
    {
        // a small model: more than 8 leaves a tree leaves the vector path for the row-by-row one
        var options = new ForecastOptions(Seed: 3, ScoreTrees: 20, ScoreLeaves: leaves, SelectionTrees: 5, MinimumExampleCountPerLeaf: 5, PermutationCount: 1);
        var model = ForecastTrainer.Train(fixture.History.Data, options);
        Assert.True(model.ScoresDirectly);
        var rows = HistoryRows().AsSpan(0, 777 * model.FeatureCount);
        Assert.Equal(Transform(model, rows), Predict(model, rows));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Several_threads_give_the_scores_of_one(int threads)
    {
        var model = fixture.Model;
        var history = HistoryRows();
        // 3 × 4,112 + 5 rows: several chunks of 4,096 and a ragged end
        var rows = history.Concat(history).Concat(history).Concat(history.Take(5 * model.FeatureCount)).ToArray();
        var parallel = new double[rows.Length / model.FeatureCount];
        model.PredictScores(rows, parallel, threads);
        Assert.Equal(Predict(model, rows), parallel);
    }

    [Fact]
    public void A_batch_of_the_wrong_length_is_refused_with_the_counts()
    {
        var model = fixture.Model;
        var rows = new float[3 * model.FeatureCount + 1];
        var e = Assert.Throws<ArgumentException>(() => model.PredictScores(rows, new double[3]));
        Assert.Contains($"{rows.Length} feature values for 3 rows of {model.FeatureCount}", e.Message);
        Assert.Throws<ArgumentException>(() => model.PredictScores(rows, new double[3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PredictScores(new float[model.FeatureCount], new double[1], 0));
        Assert.Empty(Predict(model, []));
    }
}
