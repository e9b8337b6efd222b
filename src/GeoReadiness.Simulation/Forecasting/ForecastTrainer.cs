using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoReadiness.Simulation.Assessment;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>The training settings; with the data they fully determine the model (training runs on one thread).</summary>
/// <param name="Seed">the seed of <c>MLContext</c> and of both trainers (tree construction, permutation importance)</param>
/// <param name="IntervalCoverage">the coverage of the intervals <see cref="ForecastModel.Predict"/> gives</param>
public sealed record ForecastOptions(
    int Seed = 1,
    int ScoreTrees = 500,
    int ScoreLeaves = 8,
    double ScoreLearningRate = 0.03,
    int SelectionTrees = 150,
    int SelectionLeaves = 8,
    double SelectionLearningRate = 0.05,
    int MinimumExampleCountPerLeaf = 20,
    int PermutationCount = 3,
    double IntervalCoverage = 0.9);

/// <summary>How one of the models was trained.</summary>
public sealed record TrainerInfo(string Model, string Trainer, IReadOnlyDictionary<string, string> Options);

/// <summary>
/// Trains the two forecasts of the next round from a training table — a regression of the next assessed score
/// (ML.NET FastTree) and a classifier of selection into the next cohort (FastTree binary, Platt-calibrated
/// probability) — on every pair of consecutive rounds but the latest, and evaluates both on the latest pair against
/// naive baselines. Pure: no file or database access; the result serialises to a stream.
/// </summary>
public static class ForecastTrainer
{
    /// <param name="profile">the profile of the schema, for the "profile-score" baseline; by default the built-in one
    /// with the schema's id and version (the baseline is left out when there is none)</param>
    /// <param name="progress">a line per step, for a command line</param>
    /// <param name="clock">the time recorded as the training time (default: the system clock)</param>
    public static ForecastModel Train(TrainingData data, ForecastOptions? options = null, AssessmentProfile? profile = null,
        IProgress<string>? progress = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new ForecastOptions();
        clock ??= TimeProvider.System;
        var watch = Stopwatch.StartNew();
        var schema = data.Schema;
        if (profile is null && AssessmentProfiles.BuiltIn.TryGetValue(schema.ProfileId, out var builtIn) && builtIn.Version == schema.ProfileVersion)
            profile = builtIn;
        if (profile is not null && !profile.Indicators.Select(i => i.Id).SequenceEqual(schema.Indicators))
            throw new ArgumentException($"profile {profile.Id} {profile.Version} does not have the indicators of the training schema", nameof(profile));

        var layout = new FeatureLayout(schema);
        var pairs = Examples(data);
        var testRound = data.Rounds[^1];
        var train = pairs.Where(p => p.TargetYear != testRound).ToArray();
        var test = pairs.Where(p => p.TargetYear == testRound).ToArray();
        if (train.Length == 0 || test.Length < 4)
            throw new TrainingDataException($"too few examples with an assessed score in the next round: {train.Length} to train on, {test.Length} to test on (round {testRound})");
        if (!train.Any(p => p.NextSelected) || train.All(p => p.NextSelected))
            throw new TrainingDataException($"the rounds trained on ({string.Join(", ", data.Rounds.Skip(1).SkipLast(1))}) need both selected and unselected units to learn selection");
        if (!test.Any(p => p.NextSelected) || test.All(p => p.NextSelected))
            throw new TrainingDataException($"the held-out round {testRound} needs both selected and unselected units to test selection (AUC is undefined otherwise)");
        progress?.Report($"training on {train.Length} examples (outcomes {string.Join(", ", data.Rounds.Skip(1).SkipLast(1))}), testing on {test.Length} (outcomes {testRound})");

        var ml = new MLContext(options.Seed);
        var trainView = MlData.Load(ml, layout, train.Select(p => p.Example(layout)));
        var testView = MlData.Load(ml, layout, test.Select(p => p.Example(layout)));
        var (scorePipeline, scoreTrainer) = ScorePipeline(ml, options);
        var (selectionPipeline, selectionTrainer) = SelectionPipeline(ml, options);
        progress?.Report("fitting the score regression");
        var scoreModel = scorePipeline.Fit(trainView);
        progress?.Report("fitting the selection classifier");
        var selectionModel = selectionPipeline.Fit(trainView);

        progress?.Report("evaluating on the held-out round");
        var predictedScore = MlData.Column(scoreModel.Transform(testView), MlData.ScoreColumn);
        var probability = MlData.Column(selectionModel.Transform(testView), MlData.ProbabilityColumn);
        var actual = test.Select(p => p.NextScore).ToArray();
        var trainMean = train.Average(p => p.NextScore);
        var baselines = new List<RegressionMetrics>
        {
            Metrics.Regression("last-score", actual, test.Select(p => p.Input.AssessedScore ?? trainMean).ToArray()),
        };
        if (profile is not null)
        {
            var scorer = new ProfileBaseline(profile);
            baselines.Add(Metrics.Regression("profile-score", actual, test.Select(p => scorer.Score(p.Input.Indicators)).ToArray()));
        }
        var scoreMetrics = Metrics.Regression("fasttree", actual, predictedScore);
        var selected = test.Select(p => p.NextSelected).ToArray();
        var residuals = actual.Select((a, i) => a - predictedScore[i]).ToArray();
        var evaluation = new ForecastEvaluation(testRound, data.Rounds.Skip(1).SkipLast(1).ToArray(), train.Length, test.Length,
            scoreMetrics, baselines, 1 - scoreMetrics.Mae / baselines[0].Mae,
            Metrics.Classification("fasttree-platt", selected, probability),
            Metrics.Classification("historic-rate", selected, HistoricRate(train, test)),
            [.. new[] { 0.5, 0.8, 0.9 }.Select(c => SplitHalfCoverage(residuals, c))]);

        progress?.Report("permutation feature importance");
        var scoreImportance = ml.Regression.PermutationFeatureImportance(scoreModel, testView, MlData.NextScore, permutationCount: options.PermutationCount)
            .Select(kv => new FeatureImportance(kv.Key, kv.Value.MeanAbsoluteError.Mean, kv.Value.MeanAbsoluteError.StandardError));
        var selectionImportance = ml.BinaryClassification.PermutationFeatureImportanceNonCalibrated(selectionModel, testView, MlData.NextSelected, permutationCount: options.PermutationCount)
            .Select(kv => new FeatureImportance(kv.Key, -kv.Value.AreaUnderRocCurve.Mean, kv.Value.AreaUnderRocCurve.StandardError));

        var optionsJson = JsonSerializer.Serialize(options);
        var version = "fm-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{data.Sha256}\n{optionsJson}")))[..16];
        watch.Stop();
        var manifest = new ForecastManifest(ForecastManifest.CurrentFormat, version, clock.GetUtcNow(), Math.Round(watch.Elapsed.TotalSeconds, 3),
            options, data.Sha256, data.Rows.Count, schema, layout.Names, [scoreTrainer, selectionTrainer], evaluation,
            Ranked(scoreImportance), Ranked(selectionImportance), residuals, FeatureMeans(train.Select(p => layout.Vector(p.Input)), layout.Names.Length));
        progress?.Report($"model {version}: score MAE {scoreMetrics.Mae:0.00} (last score {baselines[0].Mae:0.00}), selection AUC {evaluation.Selection.Auc:0.000}");
        return new ForecastModel(ml, manifest, scoreModel, selectionModel);
    }

    /// <summary>The mean of each feature over the vectors, unknown values (NaN) left out; 0 for a feature never known.</summary>
    private static double[] FeatureMeans(IEnumerable<float[]> vectors, int n)
    {
        var sum = new double[n];
        var count = new int[n];
        foreach (var v in vectors)
            for (var k = 0; k < n; k++)
                if (!float.IsNaN(v[k])) { sum[k] += v[k]; count[k]++; }
        return sum.Select((s, k) => count[k] > 0 ? s / count[k] : 0).ToArray();
    }

    private static FeatureImportance[] Ranked(IEnumerable<FeatureImportance> items) =>
        items.OrderByDescending(i => i.Change).ThenBy(i => i.Feature, StringComparer.Ordinal).ToArray();

    private static (IEstimator<ITransformer> Pipeline, TrainerInfo Info) ScorePipeline(MLContext ml, ForecastOptions o)
    {
        var trainer = Boosted(new FastTreeRegressionTrainer.Options(), MlData.NextScore, o.ScoreTrees, o.ScoreLeaves, o.ScoreLearningRate, o);
        return (Impute(ml).Append(ml.Regression.Trainers.FastTree(trainer)), Info("score", "FastTreeRegression", trainer));
    }

    private static (IEstimator<ITransformer> Pipeline, TrainerInfo Info) SelectionPipeline(MLContext ml, ForecastOptions o)
    {
        var trainer = Boosted(new FastTreeBinaryTrainer.Options(), MlData.NextSelected, o.SelectionTrees, o.SelectionLeaves, o.SelectionLearningRate, o);
        return (Impute(ml).Append(ml.BinaryClassification.Trainers.FastTree(trainer)), Info("selection", "FastTreeBinary+PlattCalibrator", trainer));
    }

    /// <summary>The settings both trainers share: one thread (reproducible), the seed, the size of the ensemble.</summary>
    private static T Boosted<T>(T trainer, string label, int trees, int leaves, double learningRate, ForecastOptions o) where T : BoostedTreeOptions
    {
        trainer.LabelColumnName = label;
        trainer.FeatureColumnName = MlData.Features;
        trainer.NumberOfTrees = trees;
        trainer.NumberOfLeaves = leaves;
        trainer.LearningRate = learningRate;
        trainer.MinimumExampleCountPerLeaf = o.MinimumExampleCountPerLeaf;
        trainer.NumberOfThreads = 1;
        trainer.Seed = o.Seed;
        return trainer;
    }

    private static TrainerInfo Info(string model, string name, BoostedTreeOptions t) => new(model, name, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["numberOfTrees"] = t.NumberOfTrees.ToString(CultureInfo.InvariantCulture),
        ["numberOfLeaves"] = t.NumberOfLeaves.ToString(CultureInfo.InvariantCulture),
        ["learningRate"] = t.LearningRate.ToString(CultureInfo.InvariantCulture),
        ["minimumExampleCountPerLeaf"] = t.MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture),
        ["numberOfThreads"] = t.NumberOfThreads?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["seed"] = t.Seed.ToString(CultureInfo.InvariantCulture),
        ["label"] = t.LabelColumnName,
        ["missingValues"] = "mean",
    });

    /// <summary>Unknown values (NaN) become the training mean of their feature.</summary>
    private static IEstimator<ITransformer> Impute(MLContext ml) =>
        ml.Transforms.ReplaceMissingValues(MlData.Features, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean);

    /// <summary>One example: a unit's input in one round and its outcome in the next.</summary>
    internal sealed record Pair(ForecastInput Input, int TargetYear, double NextScore, bool NextSelected, int ScoreDecile)
    {
        public MlData.Example Example(FeatureLayout layout) => new() { Features = layout.Vector(Input), NextScore = (float)NextScore, NextSelected = NextSelected };
    }

    /// <summary>Every (round, next round) pair of units assessed in the next round, by target year then code.</summary>
    internal static List<Pair> Examples(TrainingData data)
    {
        var byKey = data.Rows.ToDictionary(r => (r.Code, r.Year));
        var pairs = new List<Pair>();
        for (var k = 0; k + 1 < data.Rounds.Count; k++)
        {
            var (year, next) = (data.Rounds[k], data.Rounds[k + 1]);
            var inputs = ForecastInput.FromHistory(data, year, next - year);
            var ranked = inputs.OrderBy(i => i.AssessedScore ?? double.NegativeInfinity).ThenBy(i => i.Code, StringComparer.Ordinal)
                .Select((input, rank) => (input.Code, Decile: 10 * rank / inputs.Count)).ToDictionary(x => x.Code, x => x.Decile, StringComparer.Ordinal);
            foreach (var input in inputs)
                if (byKey.TryGetValue((input.Code, next), out var outcome) && outcome.AssessedScore is { } score)
                    pairs.Add(new Pair(input, next, score, outcome.Selected, ranked[input.Code]));
        }
        return pairs;
    }

    /// <summary>The naive selection forecast: the training rate of selection (smoothed by ½) per selected-before flag and score decile of the round.</summary>
    private static double[] HistoricRate(IReadOnlyList<Pair> train, IReadOnlyList<Pair> test)
    {
        var rate = train.GroupBy(p => (p.Input.SelectedBefore, p.ScoreDecile))
            .ToDictionary(g => g.Key, g => (g.Count(p => p.NextSelected) + 0.5) / (g.Count() + 1));
        var overall = (train.Count(p => p.NextSelected) + 0.5) / (train.Count + 1);
        return test.Select(p => rate.GetValueOrDefault((p.Input.SelectedBefore, p.ScoreDecile), overall)).ToArray();
    }

    /// <summary>The interval of one half of the residuals (alternate positions) applied to the other half, both ways.</summary>
    private static IntervalCheck SplitHalfCoverage(double[] residuals, double coverage)
    {
        var a = residuals.Where((_, i) => i % 2 == 0).ToArray();
        var b = residuals.Where((_, i) => i % 2 == 1).ToArray();
        var (aLo, aHi) = new ResidualDistribution(a).Interval(coverage);
        var (bLo, bHi) = new ResidualDistribution(b).Interval(coverage);
        var inside = b.Count(r => r >= aLo && r <= aHi) + a.Count(r => r >= bLo && r <= bHi);
        var (lo, hi) = new ResidualDistribution(residuals).Interval(coverage);
        return new IntervalCheck(coverage, (double)inside / residuals.Length, lo, hi);
    }
}
