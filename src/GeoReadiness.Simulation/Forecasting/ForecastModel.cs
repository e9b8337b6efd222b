using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// What is stored with a model: its version, provenance, schema, trainers and held-out evaluation.
/// </summary>
/// <param name="Format">the artefact format, <see cref="CurrentFormat"/></param>
/// <param name="VersionId">"fm-" and 16 hex digits of the SHA-256 of the training data hash and the options: the same data and options give the same id</param>
/// <param name="TrainingSeconds">wall-clock time of the training (fitting, evaluation, importance)</param>
/// <param name="Features">the feature vector's names in order</param>
/// <param name="ScoreImportance">permutation importance for the score (increase of MAE), most important first</param>
/// <param name="SelectionImportance">permutation importance for selection (decrease of AUC), most important first</param>
/// <param name="TestResiduals">actual − predicted score of every held-out example, in example order</param>
/// <param name="FeatureMeans">the training mean of every feature (unknown values left out): the reference of the selection explanations</param>
public sealed record ForecastManifest(
    string Format,
    string VersionId,
    DateTimeOffset TrainedAt,
    double TrainingSeconds,
    ForecastOptions Options,
    string TrainingDataSha256,
    int TrainingDataRows,
    TrainingSchema Schema,
    IReadOnlyList<string> Features,
    IReadOnlyList<TrainerInfo> Trainers,
    ForecastEvaluation Evaluation,
    IReadOnlyList<FeatureImportance> ScoreImportance,
    IReadOnlyList<FeatureImportance> SelectionImportance,
    IReadOnlyList<double> TestResiduals,
    IReadOnlyList<double> FeatureMeans)
{
    public const string CurrentFormat = "georeadiness/forecast-model/v1";
}

/// <summary>A forecast of the next round for one unit.</summary>
/// <param name="Score">the expected assessed score 0–100</param>
/// <param name="Lower">the lower end of the prediction interval (score + residual quantile, within 0–100)</param>
/// <param name="SelectionProbability">the calibrated probability of selection into the next cohort</param>
public sealed record ForecastPrediction(string Code, int Year, int ForecastYear, double Score, double Lower, double Upper,
    double SelectionProbability, string ModelVersion);

/// <summary>A feature's share in one prediction: its value and how many points it moves the score.</summary>
public sealed record FeatureDriver(string Feature, double? Value, double Contribution);

/// <summary>The top drivers of one unit's forecast, up and down.</summary>
/// <param name="Target">"score" (contributions in score points) or "selection" (in probability)</param>
/// <param name="Prediction">the forecast explained: the score or the selection probability</param>
public sealed record ForecastExplanation(string Code, int Year, string Target, double Prediction, IReadOnlyList<FeatureDriver> Up,
    IReadOnlyList<FeatureDriver> Down, string ModelVersion);

/// <summary>
/// A trained forecast: the score regression, the selection classifier, the manifest with the held-out evaluation and
/// the residual distribution of the score. Predictions run in batches (one <c>Transform</c> over all rows, or the
/// trees evaluated directly; no prediction engine per row). The direct <see cref="PredictScores(ReadOnlySpan{float}, Span{double})"/>
/// and <see cref="Residuals"/> are thread-safe; the methods that go through ML.NET share one <c>MLContext</c>, so
/// call them from one thread at a time. Saves to and loads from a stream: a zip with the two ML.NET models and
/// <c>manifest.json</c>.
/// </summary>
public sealed class ForecastModel
{
    private const string ManifestEntry = "manifest.json";
    private const string ScoreEntry = "score.zip";
    private const string SelectionEntry = "selection.zip";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly MLContext _ml;
    private readonly ITransformer _score;
    private readonly ITransformer _selection;
    private readonly FeatureLayout _layout;
    private readonly CompiledEnsemble? _compiledScore;

    internal ForecastModel(MLContext ml, ForecastManifest manifest, ITransformer score, ITransformer selection)
    {
        _ml = ml;
        Manifest = manifest;
        _score = score;
        _selection = selection;
        _layout = new FeatureLayout(manifest.Schema);
        if (!_layout.Names.SequenceEqual(manifest.Features))
            throw new InvalidDataException("the manifest's features do not match its schema");
        Residuals = new ResidualDistribution(manifest.TestResiduals);
        _compiledScore = CompiledEnsemble.From(score, manifest.FeatureMeans);
    }

    public ForecastManifest Manifest { get; }

    public string VersionId => Manifest.VersionId;

    public TrainingSchema Schema => Manifest.Schema;

    public ForecastEvaluation Evaluation => Manifest.Evaluation;

    /// <summary>The score model's error on the held-out round: intervals and draws of model error.</summary>
    public ResidualDistribution Residuals { get; }

    /// <summary>Forecasts many units at once, in input order, with intervals of <paramref name="coverage"/> (default: the options' coverage).</summary>
    public IReadOnlyList<ForecastPrediction> Predict(IReadOnlyList<ForecastInput> inputs, double? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) return [];
        var view = View(inputs.Select(_layout.Vector).ToArray());
        var score = MlData.Column(_score.Transform(view), MlData.ScoreColumn);
        var probability = MlData.Column(_selection.Transform(view), MlData.ProbabilityColumn);
        var (lo, hi) = Residuals.Interval(coverage ?? Manifest.Options.IntervalCoverage);
        var result = new ForecastPrediction[inputs.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var s = score[i];
            result[i] = new ForecastPrediction(inputs[i].Code, inputs[i].Year, inputs[i].Year + inputs[i].YearsToNext,
                Math.Clamp(s, 0, 100), Math.Clamp(s + lo, 0, 100), Math.Clamp(s + hi, 0, 100), probability[i], VersionId);
        }
        return result;
    }

    /// <summary>The number of features of a row: the length of <see cref="ForecastManifest.Features"/>.</summary>
    public int FeatureCount => _layout.Names.Length;

    /// <summary>Writes an input's feature vector (NaN for unknown values) into <paramref name="row"/>, <see cref="FeatureCount"/> long.</summary>
    public void WriteFeatures(ForecastInput input, Span<float> row)
    {
        ArgumentNullException.ThrowIfNull(input);
        _layout.Vector(input).CopyTo(row);
    }

    /// <summary>Whether <see cref="PredictScores(ReadOnlySpan{float}, Span{double})"/> runs the trees directly (else through ML.NET).</summary>
    internal bool ScoresDirectly => _compiledScore is not null;

    /// <summary>The expected next-round scores only (no intervals, not clamped), in input order.</summary>
    public double[] PredictScores(IReadOnlyList<ForecastInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var n = FeatureCount;
        var features = new float[inputs.Count * n];
        for (var i = 0; i < inputs.Count; i++)
            WriteFeatures(inputs[i], features.AsSpan(i * n, n));
        var scores = new double[inputs.Count];
        PredictScores(features, scores);
        return scores;
    }

    /// <summary>
    /// The hot-loop form: scores rows of <see cref="FeatureCount"/> features each, row-major, NaN for unknown values
    /// (<see cref="WriteFeatures"/>), into <paramref name="scores"/> (one per row), on the calling thread, with no
    /// allocation. The FastTree ensemble is evaluated directly from its trees, tree-major over blocks of rows
    /// (<c>CompiledEnsemble</c>); the result equals ML.NET's transform (<see cref="TransformScores"/>, tested).
    /// </summary>
    public void PredictScores(ReadOnlySpan<float> features, Span<double> scores)
    {
        CheckRows(features.Length, scores.Length);
        if (_compiledScore is not null) _compiledScore.Score(features, scores);
        else TransformScores(features, scores);
    }

    /// <summary>
    /// <see cref="PredictScores(ReadOnlySpan{float}, Span{double})"/> for large batches on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (chunks of 4,096 rows): the same scores, row for row, whatever
    /// the number of threads. A caller that already runs in parallel (the Monte-Carlo engine, over draws) uses the
    /// single-threaded form.
    /// </summary>
    public void PredictScores(ReadOnlyMemory<float> features, Memory<double> scores, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        CheckRows(features.Length, scores.Length);
        if (_compiledScore is not null) _compiledScore.Score(features, scores, maxDegreeOfParallelism);
        else TransformScores(features.Span, scores.Span);
    }

    /// <summary>
    /// The reference for <see cref="PredictScores(ReadOnlySpan{float}, Span{double})"/>: the same rows scored through
    /// ML.NET's <c>Transform</c> of the score model (one data view over the batch; slow, allocates). Shares the model's
    /// <c>MLContext</c>: one thread at a time.
    /// </summary>
    public void TransformScores(ReadOnlySpan<float> features, Span<double> scores)
    {
        CheckRows(features.Length, scores.Length);
        var rows = new float[scores.Length][];
        for (var r = 0; r < rows.Length; r++) rows[r] = features.Slice(r * FeatureCount, FeatureCount).ToArray();
        MlData.Column(_score.Transform(View(rows)), MlData.ScoreColumn).CopyTo(scores);
    }

    private void CheckRows(int features, int rows)
    {
        if (features != rows * FeatureCount)
            throw new ArgumentException($"{features} feature values for {rows} rows of {FeatureCount}", nameof(features));
    }

    /// <summary>
    /// The <paramref name="top"/> features that raise and that lower each unit's score forecast most: FastTree's
    /// feature contributions (not normalised, in score points), for all inputs in one batch.
    /// </summary>
    public IReadOnlyList<ForecastExplanation> Explain(IReadOnlyList<ForecastInput> inputs, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (inputs.Count == 0) return [];
        if (((IEnumerable<ITransformer>)_score).LastOrDefault() is not ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> predictor)
            throw new InvalidOperationException("the score model does not calculate feature contributions");
        var vectors = inputs.Select(_layout.Vector).ToArray();
        var scored = _score.Transform(View(vectors));
        var n = _layout.Names.Length;
        var withContributions = _ml.Transforms.CalculateFeatureContribution(predictor, n, n, normalize: false).Fit(scored).Transform(scored);
        var contributions = withContributions.GetColumn<float[]>(MlData.ContributionsColumn).ToArray();
        var score = MlData.Column(scored, MlData.ScoreColumn);
        return inputs.Select((input, i) => Explanation(input, "score", score[i], vectors[i], k => contributions[i][k], top)).ToArray();
    }

    /// <summary>
    /// The <paramref name="top"/> features that raise and that lower each unit's selection probability most: the
    /// change of the probability when the feature is set to its training mean (<see cref="ForecastManifest.FeatureMeans"/>),
    /// a model-agnostic occlusion measure; one batch over all inputs and features.
    /// </summary>
    public IReadOnlyList<ForecastExplanation> ExplainSelection(IReadOnlyList<ForecastInput> inputs, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        if (inputs.Count == 0) return [];
        var vectors = inputs.Select(_layout.Vector).ToArray();
        var n = _layout.Names.Length;
        var rows = new List<float[]>(inputs.Count * (n + 1));
        foreach (var v in vectors)
        {
            rows.Add(v);
            for (var k = 0; k < n; k++)
            {
                var occluded = (float[])v.Clone();
                occluded[k] = (float)Manifest.FeatureMeans[k];
                rows.Add(occluded);
            }
        }
        var p = MlData.Column(_selection.Transform(View(rows)), MlData.ProbabilityColumn);
        return inputs.Select((input, i) =>
        {
            var at = i * (n + 1);
            return Explanation(input, "selection", p[at], vectors[i], k => p[at] - p[at + 1 + k], top);
        }).ToArray();
    }

    private ForecastExplanation Explanation(ForecastInput input, string target, double prediction, float[] values, Func<int, double> contribution, int top)
    {
        var drivers = Enumerable.Range(0, values.Length).Select(k => (k, c: contribution(k))).Where(x => x.c != 0)
            .Select(x => new FeatureDriver(_layout.Names[x.k], float.IsNaN(values[x.k]) ? null : values[x.k], x.c)).ToArray();
        return new ForecastExplanation(input.Code, input.Year, target, prediction,
            drivers.Where(d => d.Contribution > 0).OrderByDescending(d => d.Contribution).ThenBy(d => d.Feature, StringComparer.Ordinal).Take(top).ToArray(),
            drivers.Where(d => d.Contribution < 0).OrderBy(d => d.Contribution).ThenBy(d => d.Feature, StringComparer.Ordinal).Take(top).ToArray(),
            VersionId);
    }

    private IDataView View(IEnumerable<float[]> vectors) => MlData.Load(_ml, _layout, vectors.Select(v => new MlData.Example { Features = v }));

    /// <summary>The manifest as JSON (camelCase), as stored in the artefact.</summary>
    public string ManifestJson() => JsonSerializer.Serialize(Manifest, Json);

    /// <summary>Writes the artefact (a zip: manifest.json, score.zip, selection.zip) to a stream; the stream stays open.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var schema = View([]).Schema;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var w = new StreamWriter(Entry(zip, ManifestEntry).Open()))
            w.Write(ManifestJson());
        foreach (var (name, model) in new[] { (ScoreEntry, _score), (SelectionEntry, _selection) })
        {
            using var buffer = new MemoryStream();
            _ml.Model.Save(model, schema, buffer);
            buffer.Position = 0;
            using var entry = Entry(zip, name).Open();
            WithFixedTimes(buffer, entry);
        }
    }

    // Zip entries carry a modification time; a fixed one makes the artefact's bytes (and its SHA-256) depend on the
    // model alone, not on the second it was saved in.
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ZipArchiveEntry Entry(ZipArchive zip, string name)
    {
        var entry = zip.CreateEntry(name);
        entry.LastWriteTime = EntryTime;
        return entry;
    }

    /// <summary>Copies the zip ML.NET wrote with each entry's time set to <see cref="EntryTime"/>, entries and bytes otherwise as they are.</summary>
    private static void WithFixedTimes(Stream source, Stream target)
    {
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var e in input.Entries)
        {
            using var from = e.Open();
            using var to = Entry(output, e.FullName).Open();
            from.CopyTo(to);
        }
    }

    /// <summary>Reads an artefact written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">not a forecast model artefact, or of another format</exception>
    public static ForecastModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        MemoryStream Entry(string name)
        {
            var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"not a forecast model: no {name}");
            var buffer = new MemoryStream();
            using (var s = entry.Open()) s.CopyTo(buffer);
            buffer.Position = 0;
            return buffer;
        }
        ForecastManifest manifest;
        using (var m = Entry(ManifestEntry))
            manifest = JsonSerializer.Deserialize<ForecastManifest>(m, Json) ?? throw new InvalidDataException("empty manifest");
        if (manifest.Format != ForecastManifest.CurrentFormat)
            throw new InvalidDataException($"forecast model format '{manifest.Format}'; this version reads '{ForecastManifest.CurrentFormat}'");
        var ml = new MLContext(manifest.Options.Seed);
        using var score = Entry(ScoreEntry);
        using var selection = Entry(SelectionEntry);
        return new ForecastModel(ml, manifest, ml.Model.Load(score, out _), ml.Model.Load(selection, out _));
    }
}

/// <summary>The ML.NET side: the example row, its columns (named through nameof) and the batch data views.</summary>
internal static class MlData
{
    public const string Features = nameof(Example.Features);
    public const string NextScore = nameof(Example.NextScore);
    public const string NextSelected = nameof(Example.NextSelected);
    public const string ScoreColumn = nameof(ScoreOutput.Score);
    public const string ProbabilityColumn = nameof(SelectionOutput.Probability);
    public const string ContributionsColumn = "FeatureContributions";

    public sealed class Example
    {
        public float[] Features { get; set; } = [];
        public float NextScore { get; set; }
        public bool NextSelected { get; set; }
    }

    /// <summary>The column the regression adds.</summary>
    public sealed class ScoreOutput
    {
        public float Score { get; set; }
    }

    /// <summary>The column the calibrated classifier adds.</summary>
    public sealed class SelectionOutput
    {
        public float Probability { get; set; }
    }

    /// <summary>Rows as a data view whose feature vector has the layout's size and names (slot names, for importance and contributions).</summary>
    public static IDataView Load(MLContext ml, FeatureLayout layout, IEnumerable<Example> rows)
    {
        var n = layout.Names.Length;
        var definition = SchemaDefinition.Create(typeof(Example));
        var column = definition[Features];
        column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var names = new VBuffer<ReadOnlyMemory<char>>(n, layout.Names.Select(s => s.AsMemory()).ToArray());
        column.AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, n));
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    public static double[] Column(IDataView view, string name) => view.GetColumn<float>(name).Select(v => (double)v).ToArray();
}
