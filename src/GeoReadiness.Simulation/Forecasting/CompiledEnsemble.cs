using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// A FastTree regression ensemble flattened into arrays and evaluated directly over row-major feature vectors — the
/// same trees ML.NET evaluates, without a data view per batch: bias + Σ weight · leaf, a node going left when the
/// feature is at most its threshold. Unknown values (NaN) are first replaced by the training means, as the model's
/// imputation does. Immutable and thread-safe.
/// </summary>
internal sealed class CompiledEnsemble
{
    private readonly int[] _root;         // per tree, the index of its first node in the flat arrays
    private readonly int[] _leafStart;    // per tree, the index of its first leaf in _leaf
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left, _right; // within the tree: ≥ 0 a node, < 0 the leaf ~index
    private readonly double[] _leaf;
    private readonly double[] _weight;
    private readonly double _bias;
    private readonly float[] _means;

    private CompiledEnsemble(RegressionTreeEnsemble ensemble, IReadOnlyList<double> means)
    {
        var trees = ensemble.Trees;
        _root = new int[trees.Count];
        _leafStart = new int[trees.Count];
        var feature = new List<int>();
        var threshold = new List<float>();
        var left = new List<int>();
        var right = new List<int>();
        var leaf = new List<double>();
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _root[t] = feature.Count;
            _leafStart[t] = leaf.Count;
            feature.AddRange(tree.NumericalSplitFeatureIndexes);
            threshold.AddRange(tree.NumericalSplitThresholds);
            left.AddRange(tree.LeftChild);
            right.AddRange(tree.RightChild);
            leaf.AddRange(tree.LeafValues);
        }
        (_feature, _threshold, _left, _right, _leaf) = (feature.ToArray(), threshold.ToArray(), left.ToArray(), right.ToArray(), leaf.ToArray());
        _weight = ensemble.TreeWeights.ToArray();
        _bias = ensemble.Bias;
        _means = means.Select(m => (float)m).ToArray();
    }

    /// <summary>The compiled form of a score model, or null when it is not a FastTree regression with numerical splits only.</summary>
    public static CompiledEnsemble? From(ITransformer model, IReadOnlyList<double> featureMeans)
    {
        if (((IEnumerable<ITransformer>)model).LastOrDefault() is not IPredictionTransformer<object> { Model: FastTreeRegressionModelParameters parameters })
            return null;
        var ensemble = parameters.TrainedTreeEnsemble;
        return ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(c => c)) ? null : new CompiledEnsemble(ensemble, featureMeans);
    }

    /// <summary>Scores rows of <paramref name="width"/> features each (row-major) into <paramref name="scores"/>, rounded through float as ML.NET's score column.</summary>
    public void Score(ReadOnlySpan<float> features, int width, Span<double> scores)
    {
        Span<float> row = stackalloc float[width];
        for (var r = 0; r < scores.Length; r++)
        {
            features.Slice(r * width, width).CopyTo(row);
            for (var k = 0; k < width; k++)
                if (float.IsNaN(row[k])) row[k] = _means[k];
            var sum = 0.0;
            for (var t = 0; t < _root.Length; t++)
            {
                var node = 0;
                var at = _root[t];
                while (node >= 0)
                    node = row[_feature[at + node]] <= _threshold[at + node] ? _left[at + node] : _right[at + node];
                sum += _weight[t] * _leaf[_leafStart[t] + ~node];
            }
            scores[r] = (float)(_bias + sum);
        }
    }
}
