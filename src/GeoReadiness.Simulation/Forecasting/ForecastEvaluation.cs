namespace GeoReadiness.Simulation.Forecasting;

/// <summary>Errors of a score forecast on the held-out round.</summary>
/// <param name="Mae">mean absolute error, points</param>
/// <param name="Rmse">root mean squared error, points</param>
/// <param name="RSquared">1 − SSE / SST around the held-out mean</param>
public sealed record RegressionMetrics(string Name, double Mae, double Rmse, double RSquared);

/// <summary>One bin of the calibration table: predictions in [From, To).</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Quality of selection probabilities on the held-out round.</summary>
/// <param name="LogLoss">mean negative natural log-likelihood (probabilities clipped to [1e−15, 1 − 1e−15])</param>
/// <param name="Brier">mean squared difference between probability and outcome</param>
/// <param name="Calibration">ten equal-width bins of the predicted probability</param>
public sealed record ClassificationMetrics(string Name, double Auc, double LogLoss, double Brier, IReadOnlyList<CalibrationBin> Calibration);

/// <summary>Share of held-out residuals inside the interval of a nominal coverage (split-half: quantiles from one half, coverage of the other).</summary>
public sealed record IntervalCheck(double Nominal, double Coverage, double Lower, double Upper);

/// <summary>
/// The held-out evaluation of a trained model: each model beside its naive baselines, measured on the latest pair of
/// rounds (features of the round before, outcomes of the latest), which training never saw.
/// </summary>
/// <param name="TestRound">the year whose outcomes are predicted</param>
/// <param name="TrainRounds">the years whose outcomes the models learnt</param>
/// <param name="ScoreBaselines">"last-score" (this round's assessed score) and, when the profile is known, "profile-score"</param>
/// <param name="MaeImprovement">1 − MAE(model) / MAE(last-score): the share of the naive error removed</param>
/// <param name="SelectionBaseline">"historic-rate": the training rate of selection by selected-before and score decile of the round</param>
public sealed record ForecastEvaluation(
    int TestRound,
    IReadOnlyList<int> TrainRounds,
    int TrainExamples,
    int TestExamples,
    RegressionMetrics Score,
    IReadOnlyList<RegressionMetrics> ScoreBaselines,
    double MaeImprovement,
    ClassificationMetrics Selection,
    ClassificationMetrics SelectionBaseline,
    IReadOnlyList<IntervalCheck> Intervals);

/// <summary>Global importance of one feature: how much the held-out metric worsens when its values are permuted (ML.NET PFI).</summary>
/// <param name="Change">mean change of the metric (MAE in points for the score, AUC for selection; positive = the feature matters)</param>
public sealed record FeatureImportance(string Feature, double Change, double StandardError);

/// <summary>Metric arithmetic shared by the models and their baselines.</summary>
internal static class Metrics
{
    public static RegressionMetrics Regression(string name, IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var n = actual.Count;
        double abs = 0, sq = 0, mean = actual.Average(), sst = 0;
        for (var i = 0; i < n; i++)
        {
            var e = actual[i] - predicted[i];
            abs += Math.Abs(e);
            sq += e * e;
            sst += (actual[i] - mean) * (actual[i] - mean);
        }
        return new RegressionMetrics(name, abs / n, Math.Sqrt(sq / n), sst > 0 ? 1 - sq / sst : 0);
    }

    public static ClassificationMetrics Classification(string name, IReadOnlyList<bool> actual, IReadOnlyList<double> p)
    {
        const double Eps = 1e-15;
        var n = actual.Count;
        double logLoss = 0, brier = 0;
        for (var i = 0; i < n; i++)
        {
            var q = Math.Clamp(p[i], Eps, 1 - Eps);
            logLoss -= actual[i] ? Math.Log(q) : Math.Log(1 - q);
            var y = actual[i] ? 1 : 0;
            brier += (p[i] - y) * (p[i] - y);
        }
        var bins = new CalibrationBin[10];
        for (var b = 0; b < 10; b++)
        {
            var from = b / 10.0;
            var to = (b + 1) / 10.0;
            var members = Enumerable.Range(0, n).Where(i => p[i] >= from && (p[i] < to || b == 9)).ToArray();
            bins[b] = new CalibrationBin(from, to, members.Length,
                members.Length == 0 ? 0 : members.Average(i => p[i]),
                members.Length == 0 ? 0 : members.Average(i => actual[i] ? 1.0 : 0.0));
        }
        return new ClassificationMetrics(name, Auc(actual, p), logLoss / n, brier / n, bins);
    }

    /// <summary>The probability that a random positive ranks above a random negative (ties count half): the Mann–Whitney statistic.</summary>
    public static double Auc(IReadOnlyList<bool> actual, IReadOnlyList<double> p)
    {
        var order = Enumerable.Range(0, actual.Count).OrderBy(i => p[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && p[order[end + 1]] == p[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1; // mid-rank of the ties
            for (var k = start; k <= end; k++)
                if (actual[order[k]]) { rankSumPositive += rank; positives++; }
            start = end + 1;
        }
        var negatives = actual.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
