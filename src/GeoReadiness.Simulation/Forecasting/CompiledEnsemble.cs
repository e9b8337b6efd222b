using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// A FastTree regression ensemble flattened into arrays and evaluated directly over row-major feature vectors — the
/// same trees ML.NET evaluates, without a data view per batch: bias + Σ weight · leaf (in tree order, in double, then
/// rounded through float as ML.NET's score column), a node going left when the feature is at most its threshold.
/// Unknown values (NaN) are first replaced by the training means, as the model's imputation does. Immutable and
/// thread-safe.
/// <para>
/// The evaluation is tree-major over blocks of <see cref="BlockRows"/> rows and branch-free. Each block is copied
/// once, feature-major and imputed, into a scratch buffer on the stack; then, tree by tree, eight rows at a time
/// (one 256-bit vector) every split node of the tree is compared at once, and each "goes right" clears the leaves
/// of that node's left subtree from a bit set of the tree's leaves (numbered right to left); the exit leaf is the
/// highest bit left (the QuickScorer idea). A tree's few nodes stay in L1 over the block and no row waits for the
/// previous node's outcome. With AVX2 and at most 8 leaves a tree (the default), the exit leaves of the eight rows
/// come out of the bit sets as a vector (the float exponent of the bit set) and pick their values by a permutation
/// of the tree's leaf table; otherwise row by row. Each row's sum still adds the trees in order, so the result is the
/// row-by-row one.
/// </para>
/// </summary>
internal sealed class CompiledEnsemble
{
    /// <summary>Rows per block: 64 rows × 30 features of scratch is 7.5 KiB, beside the 64 sums.</summary>
    internal const int BlockRows = 64;

    /// <summary>The most leaves a tree may have to be compiled: its leaf set is one 32-bit lane (bit 31 unused).</summary>
    internal const int MaxLeaves = 31;

    private const int Lanes = 8;

    /// <summary>Where <see cref="ScoreBlock"/>, eight rows at once, keeps row i of eight: the rows 0, 1, 4, 5 then 2, 3, 6, 7 (its own inverse).</summary>
    private static ReadOnlySpan<byte> Interleaved => [0, 1, 4, 5, 2, 3, 6, 7];

    private readonly int[] _nodeStart;    // per tree, its first split node; one more entry at the end
    private readonly int[] _offset;       // per split node, feature · BlockRows: where its feature starts in a block
    private readonly float[] _threshold;  // per split node
    private readonly int[] _leftLeaves;   // per split node, the bits of the leaves of its left subtree
    private readonly int[] _leafStart;    // per tree, its first leaf in _leafValue
    private readonly int[] _allLeaves;    // per tree, the bits of all its leaves
    private readonly double[] _leafValue; // weight · leaf value, by leaf bit (the rightmost leaf is bit 0)
    private readonly int[]? _leafHalves;  // with AVX2 and ≤ 8 leaves a tree: per tree the low then the high 32 bits of its 8 leaf values
    private readonly double _bias;
    private readonly float[] _means;

    private CompiledEnsemble(RegressionTreeEnsemble ensemble, IReadOnlyList<double> means)
    {
        var trees = ensemble.Trees;
        var weights = ensemble.TreeWeights;
        _nodeStart = new int[trees.Count + 1];
        _leafStart = new int[trees.Count + 1];
        _allLeaves = new int[trees.Count];
        var offset = new List<int>();
        var threshold = new List<float>();
        var leftLeaves = new List<int>();
        var leafValue = new List<double>();
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            _nodeStart[t] = offset.Count;
            _leafStart[t] = leafValue.Count;
            var splits = tree.NumericalSplitFeatureIndexes.Count;
            // the leaves left to right, and each split node's leaves (a contiguous run of them)
            var order = new List<int>(splits + 1);
            var first = new int[splits];
            var last = new int[splits];
            if (splits == 0) order.Add(0);
            else Walk(0);
            // leaf bits right to left: the leaf at position p (of L) is bit L − 1 − p
            var count = order.Count;
            _allLeaves[t] = (int)((1u << count) - 1);
            for (var bit = 0; bit < count; bit++) leafValue.Add(weights[t] * tree.LeafValues[order[count - 1 - bit]]);
            for (var n = 0; n < splits; n++)
            {
                offset.Add(tree.NumericalSplitFeatureIndexes[n] * BlockRows);
                threshold.Add(tree.NumericalSplitThresholds[n]);
                var left = tree.LeftChild[n];
                var leftEnd = left < 0 ? first[n] : last[left];
                leftLeaves.Add((int)((1u << (count - first[n])) - (1u << (count - 1 - leftEnd))));
            }

            void Walk(int node)
            {
                first[node] = order.Count;
                foreach (var child in new[] { tree.LeftChild[node], tree.RightChild[node] })
                {
                    if (child < 0) order.Add(~child);
                    else Walk(child);
                }
                last[node] = order.Count - 1;
            }
        }
        _nodeStart[^1] = offset.Count;
        _leafStart[^1] = leafValue.Count;
        if (Avx2.IsSupported && trees.All(tree => tree.NumberOfLeaves <= Lanes))
        {
            _leafHalves = new int[trees.Count * 2 * Lanes];
            for (var t = 0; t < trees.Count; t++)
                for (var bit = 0; bit < _leafStart[t + 1] - _leafStart[t]; bit++)
                {
                    var bits = BitConverter.DoubleToInt64Bits(leafValue[_leafStart[t] + bit]);
                    _leafHalves[t * 2 * Lanes + bit] = (int)bits;
                    _leafHalves[t * 2 * Lanes + Lanes + bit] = (int)(bits >> 32);
                }
        }
        (_offset, _threshold, _leftLeaves, _leafValue) = (offset.ToArray(), threshold.ToArray(), leftLeaves.ToArray(), leafValue.ToArray());
        _bias = ensemble.Bias;
        _means = means.Select(m => (float)m).ToArray();
    }

    /// <summary>
    /// The compiled form of a score model, or null when it is not a FastTree regression with numerical splits only
    /// and at most <see cref="MaxLeaves"/> leaves a tree.
    /// </summary>
    public static CompiledEnsemble? From(ITransformer model, IReadOnlyList<double> featureMeans)
    {
        if (((IEnumerable<ITransformer>)model).LastOrDefault() is not IPredictionTransformer<object> { Model: FastTreeRegressionModelParameters parameters })
            return null;
        var ensemble = parameters.TrainedTreeEnsemble;
        return ensemble.Trees.Any(t => t.CategoricalSplitFlags.Any(c => c) || t.NumberOfLeaves > MaxLeaves) ? null : new CompiledEnsemble(ensemble, featureMeans);
    }

    /// <summary>The number of features of a row.</summary>
    public int Width => _means.Length;

    /// <summary>Scores rows of <see cref="Width"/> features each (row-major) into <paramref name="scores"/>, rounded through float as ML.NET's score column.</summary>
    public void Score(ReadOnlySpan<float> features, Span<double> scores)
    {
        var width = Width;
        if (features.Length != scores.Length * width)
            throw new ArgumentException($"{features.Length} feature values for {scores.Length} rows of {width}", nameof(features));
        Span<float> block = width <= 64 ? stackalloc float[width * BlockRows] : new float[width * BlockRows];
        Span<double> sums = stackalloc double[BlockRows];
        for (var start = 0; start < scores.Length; start += BlockRows)
        {
            var count = Math.Min(BlockRows, scores.Length - start);
            Load(features.Slice(start * width, count * width), count, block);
            var lanes = (count + Lanes - 1) / Lanes * Lanes;
            ScoreBlock(block, sums[..lanes]);
            for (var r = 0; r < count; r++)
                scores[start + r] = (float)(_bias + sums[_leafHalves is null ? r : (r & ~7) | Interleaved[r & 7]]);
        }
    }

    /// <summary>
    /// <see cref="Score"/> on up to <paramref name="maxDegreeOfParallelism"/> threads, in chunks of whole blocks: the
    /// same result, row for row, whatever the number of threads.
    /// </summary>
    public void Score(ReadOnlyMemory<float> features, Memory<double> scores, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        var width = Width;
        if (features.Length != scores.Length * width)
            throw new ArgumentException($"{features.Length} feature values for {scores.Length} rows of {width}", nameof(features));
        const int ChunkRows = 64 * BlockRows;
        var chunks = (scores.Length + ChunkRows - 1) / ChunkRows;
        if (maxDegreeOfParallelism == 1 || chunks < 2)
        {
            Score(features.Span, scores.Span);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
        {
            var start = c * ChunkRows;
            var count = Math.Min(ChunkRows, scores.Length - start);
            Score(features.Span.Slice(start * width, count * width), scores.Span.Slice(start, count));
        });
    }

    /// <summary>Copies <paramref name="count"/> rows feature-major into the block, unknown values replaced by the means; the rows after them (up to a whole vector) get the means.</summary>
    private void Load(ReadOnlySpan<float> rows, int count, Span<float> block)
    {
        var width = Width;
        var padded = Math.Min(BlockRows, (count + Lanes - 1) / Lanes * Lanes);
        for (var f = 0; f < width; f++)
        {
            var column = block.Slice(f * BlockRows, BlockRows);
            var mean = _means[f];
            for (var r = 0; r < count; r++)
            {
                var v = rows[r * width + f];
                column[r] = float.IsNaN(v) ? mean : v;
            }
            column[count..padded].Fill(mean);
        }
    }

    /// <summary>
    /// The sums of weight · leaf over the trees, in tree order, of the block's first sums.Length rows (a multiple of
    /// 8). Row by row, the exit leaf of a row is the highest bit of its leaf set. With the leaf tables of
    /// <see cref="_leafHalves"/> (AVX2, at most 8 leaves a tree), eight rows at once: the exit leaves are the float
    /// exponents of the leaf sets, their values the permutation of the tree's table by them, as two 32-bit halves put
    /// together into the doubles of the rows 0, 1, 4, 5 and 2, 3, 6, 7 (<see cref="Interleaved"/>). Either way each
    /// row's sum adds the same values in the same order.
    /// </summary>
    private void ScoreBlock(Span<float> block, Span<double> sums)
    {
        sums.Clear();
        ref var x = ref MemoryMarshal.GetReference(block);
        ref var leafValue = ref MemoryMarshal.GetArrayDataReference(_leafValue);
        ref var sum = ref MemoryMarshal.GetReference(sums);
        var exponentBias = Vector256.Create(127);
        var trees = _nodeStart.Length - 1;
        for (var t = 0; t < trees; t++)
        {
            var (from, to) = (_nodeStart[t], _nodeStart[t + 1]);
            var all = Vector256.Create(_allLeaves[t]);
            if (_leafHalves is { } halves)
            {
                var low = Vector256.Create(halves.AsSpan(t * 2 * Lanes, Lanes));
                var high = Vector256.Create(halves.AsSpan(t * 2 * Lanes + Lanes, Lanes));
                for (var row = 0; row < sums.Length; row += Lanes)
                {
                    var alive = LeafSets(ref x, from, to, row, all);
                    var leaf = Vector256.ShiftRightLogical(Vector256.ConvertToSingle(alive).AsInt32(), 23) - exponentBias;
                    var lo = Avx2.PermuteVar8x32(low, leaf);
                    var hi = Avx2.PermuteVar8x32(high, leaf);
                    ref var s = ref Unsafe.Add(ref sum, row);
                    (Vector256.LoadUnsafe(ref s) + Avx2.UnpackLow(lo, hi).AsDouble()).StoreUnsafe(ref s);
                    (Vector256.LoadUnsafe(ref s, 4) + Avx2.UnpackHigh(lo, hi).AsDouble()).StoreUnsafe(ref s, 4);
                }
                continue;
            }
            ref var leaves = ref Unsafe.Add(ref leafValue, _leafStart[t]);
            for (var row = 0; row < sums.Length; row += Lanes)
            {
                var alive = LeafSets(ref x, from, to, row, all);
                for (var i = 0; i < Lanes; i++)
                    Unsafe.Add(ref sum, row + i) += Unsafe.Add(ref leaves, BitOperations.Log2((uint)alive.GetElement(i)));
            }
        }
    }

    /// <summary>The leaf sets of eight rows of the block from <paramref name="row"/> after the split nodes [from, to) of a tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<int> LeafSets(ref float x, int from, int to, int row, Vector256<int> all)
    {
        ref var offset = ref MemoryMarshal.GetArrayDataReference(_offset);
        ref var threshold = ref MemoryMarshal.GetArrayDataReference(_threshold);
        ref var leftLeaves = ref MemoryMarshal.GetArrayDataReference(_leftLeaves);
        var alive = all;
        for (var n = from; n < to; n++)
        {
            var value = Vector256.LoadUnsafe(ref x, (nuint)(Unsafe.Add(ref offset, n) + row));
            var right = Vector256.GreaterThan(value, Vector256.Create(Unsafe.Add(ref threshold, n))).AsInt32();
            alive = Vector256.AndNot(alive, right & Vector256.Create(Unsafe.Add(ref leftLeaves, n)));
        }
        return alive;
    }
}
