using System.Globalization;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>An estimate and its standard error.</summary>
public readonly record struct Estimate(double Value, double StandardError);

/// <summary>How the draws of a <see cref="SampledOutput"/> are kept for its distribution (its mean and standard error
/// are always exact doubles accumulated in draw order).</summary>
public enum DrawStorage
{
    /// <summary>Every draw as a double (8 bytes a draw): exact percentiles and probabilities for any threshold.</summary>
    Exact,
    /// <summary>
    /// Every draw as a float (4 bytes a draw; nothing while all draws are equal): percentiles of the draws rounded to
    /// float precision (about 7 significant digits), exact when all draws are equal; probabilities only for the
    /// output's <see cref="SampledOutput.Thresholds"/>, counted exactly in double as the draws are combined.
    /// </summary>
    Single,
    /// <summary>Whole numbers 1 … <see cref="SampledOutput.MaxCount"/> (e.g. ranks), kept as counts per value: exact.</summary>
    Counts,
}

/// <summary>
/// Accumulates the draws of one output in draw order: mean and variance by Welford's method, and the draws as its
/// <see cref="DrawStorage"/> says. Not thread-safe; feed it from one thread, in draw order, so that its floating-point
/// sums are reproducible. (<see cref="SequentialSampling"/> keeps the same sums for all outputs at once.)
/// </summary>
public sealed class StatisticsAccumulator
{
    private readonly DrawStore _store;
    private int _count;
    private double _mean;
    private double _m2;

    /// <summary>An accumulator keeping every draw as a double.</summary>
    public StatisticsAccumulator() : this(new SampledOutput("")) { }

    /// <summary>An accumulator keeping the draws as <paramref name="output"/>'s storage says.</summary>
    public StatisticsAccumulator(SampledOutput output) => _store = new DrawStore(output);

    public int Count => _count;

    public double Mean => _mean;

    /// <summary>The sample standard deviation (n − 1); 0 for fewer than two draws.</summary>
    public double StandardDeviation => Moments.StandardDeviation(_count, _m2);

    /// <summary>The standard error of <see cref="Mean"/>: the standard deviation over √n; +∞ for fewer than two draws.</summary>
    public double StandardError => Moments.StandardError(_count, _m2);

    public void Add(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "a draw must be a finite number");
        _store.Add(new ReadOnlySpan<double>(in value));
        _count++;
        var delta = value - _mean;
        _mean += delta / _count;
        _m2 += delta * (value - _mean);
    }

    /// <summary>An immutable summary of the draws so far.</summary>
    public OutputStatistics Summarise(string name) => _store.Summarise(name, (Mean, StandardDeviation, StandardError));
}

/// <summary>
/// The means and sums of squared deviations of all outputs of a run, by Welford's method in draw order: a chunk's
/// rows are added one after the other, the outputs of a row side by side (vectorised; the same IEEE operations in the
/// same order as one output at a time, so the same doubles).
/// </summary>
internal sealed class Moments(int outputs)
{
    private readonly double[] _mean = new double[outputs];
    private readonly double[] _m2 = new double[outputs];

    public int Count { get; private set; }

    public static double StandardDeviation(int count, double m2) => count < 2 ? 0 : Math.Sqrt(m2 / (count - 1));

    public static double StandardError(int count, double m2) =>
        count < 2 ? double.PositiveInfinity : StandardDeviation(count, m2) / Math.Sqrt(count);

    public double StandardError(int output) => StandardError(Count, _m2[output]);

    public (double Mean, double StandardDeviation, double StandardError) Of(int output) =>
        (_mean[output], StandardDeviation(Count, _m2[output]), StandardError(output));

    /// <summary>Adds a chunk's draws: blocks of outputs in parallel, each block's rows in draw order.</summary>
    public void Add(SamplingChunk chunk, ParallelOptions parallel)
    {
        var n = _mean.Length;
        var blocks = Math.Min(n, 4 * parallel.MaxDegreeOfParallelism);
        Parallel.For(0, blocks, parallel, b =>
        {
            var from = (int)((long)n * b / blocks);
            var to = (int)((long)n * (b + 1) / blocks);
            var mean = _mean.AsSpan(from, to - from);
            var m2 = _m2.AsSpan(from, to - from);
            for (var d = 0; d < chunk.Count; d++)
                Add(chunk.Row(d)[from..to], mean, m2, Count + d + 1);
        });
        Count += chunk.Count;
    }

    private static void Add(ReadOnlySpan<double> row, Span<double> mean, Span<double> m2, int count)
    {
        var k = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<double>.Count;
            var n = new System.Numerics.Vector<double>(count);
            for (; k <= row.Length - width; k += width)
            {
                var v = new System.Numerics.Vector<double>(row[k..]);
                var mu = new System.Numerics.Vector<double>(mean[k..]);
                var delta = v - mu;
                mu += delta / n;
                mu.CopyTo(mean[k..]);
                (new System.Numerics.Vector<double>(m2[k..]) + delta * (v - mu)).CopyTo(m2[k..]);
            }
        }
        for (; k < row.Length; k++)
        {
            var delta = row[k] - mean[k];
            mean[k] += delta / count;
            m2[k] += delta * (row[k] - mean[k]);
        }
    }
}

/// <summary>
/// The draws of one output kept as its <see cref="DrawStorage"/> says, for percentiles and probabilities: filled a
/// chunk at a time (each chunk's store built on the thread that drew it) and merged in chunk order.
/// </summary>
internal sealed class DrawStore
{
    private readonly DrawStorage _storage;
    private readonly double[] _thresholds;
    private readonly int[] _atLeast;
    private readonly long[]? _counts;
    private readonly List<double>? _values;
    private readonly List<float[]>? _blocks;
    private bool _constant = true;
    private double _first;
    private int _count;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    public DrawStore(SampledOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _storage = output.Storage;
        _thresholds = [.. output.Thresholds];
        _atLeast = new int[_thresholds.Length];
        switch (_storage)
        {
            case DrawStorage.Counts:
                ArgumentOutOfRangeException.ThrowIfLessThan(output.MaxCount, 1, nameof(output));
                _counts = new long[output.MaxCount];
                break;
            case DrawStorage.Exact:
                _values = [];
                break;
            default:
                _blocks = [];
                break;
        }
    }

    /// <summary>Adds draws (finite numbers).</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
            return;
        switch (_storage)
        {
            case DrawStorage.Exact:
                _values!.AddRange(values);
                break;
            case DrawStorage.Counts:
                foreach (var value in values)
                {
                    var k = (int)value;
                    if (k != value || k < 1 || k > _counts!.Length)
                        throw new ArgumentOutOfRangeException(nameof(values), value, $"a whole number 1 … {_counts!.Length} expected");
                    _counts[k - 1]++;
                }
                break;
            default:
                if (_count == 0)
                    _first = values[0];
                if (AllSame(values, values[0]))
                {
                    // the same value throughout: its counts, minimum and maximum without another pass
                    var value = values[0];
                    if (!_constant || !Same(value, _first))
                    {
                        Materialise();
                        _blocks!.Add(Repeat(value, values.Length));
                    }
                    for (var t = 0; t < _thresholds.Length; t++)
                        if (value >= _thresholds[t]) _atLeast[t] += values.Length;
                    _min = Math.Min(_min, value);
                    _max = Math.Max(_max, value);
                }
                else
                    AddVarying(values);
                break;
        }
        _count += values.Length;
    }

    /// <summary>Adds draws that are not all the same as floats, counting the thresholds and the extremes in the same pass.</summary>
    private void AddVarying(ReadOnlySpan<double> values)
    {
        Materialise();
        var block = new float[values.Length];
        var thresholds = _thresholds;
        var atLeast = _atLeast;
        double min = _min, max = _max;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            block[i] = (float)value;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            for (var t = 0; t < thresholds.Length; t++)
                if (value >= thresholds[t]) atLeast[t]++;
        }
        (_min, _max) = (min, max);
        _blocks!.Add(block);
    }

    /// <summary>Appends the draws of <paramref name="later"/> (a store of the same output, of later draws).</summary>
    public void Merge(DrawStore later)
    {
        if (later._count == 0)
            return;
        switch (_storage)
        {
            case DrawStorage.Exact:
                _values!.AddRange(later._values!);
                break;
            case DrawStorage.Counts:
                for (var k = 0; k < _counts!.Length; k++) _counts[k] += later._counts![k];
                break;
            default:
                if (_count == 0)
                    _first = later._first;
                if (!_constant || !later._constant || !Same(later._first, _first))
                {
                    Materialise();
                    if (later._constant)
                        _blocks!.Add(Repeat(later._first, later._count));
                    else
                        _blocks!.AddRange(later._blocks!);
                }
                for (var t = 0; t < _thresholds.Length; t++) _atLeast[t] += later._atLeast[t];
                _min = Math.Min(_min, later._min);
                _max = Math.Max(_max, later._max);
                break;
        }
        _count += later._count;
    }

    /// <summary>Turns a constant store into float blocks.</summary>
    private void Materialise()
    {
        if (!_constant)
            return;
        _constant = false;
        if (_count > 0)
            _blocks!.Add(Repeat(_first, _count));
    }

    private static float[] Repeat(double value, int count)
    {
        var block = new float[count];
        Array.Fill(block, (float)value);
        return block;
    }

    private static bool AllSame(ReadOnlySpan<double> values, double first)
    {
        foreach (var value in values)
            if (!Same(value, first)) return false;
        return true;
    }

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    public OutputStatistics Summarise(string name, (double Mean, double StandardDeviation, double StandardError) moments)
    {
        if (_count == 0)
            throw new InvalidOperationException("no draws");
        switch (_storage)
        {
            case DrawStorage.Exact:
                var sorted = _values!.ToArray();
                Array.Sort(sorted);
                return OutputStatistics.OfSorted(name, sorted, moments);
            case DrawStorage.Counts:
                return OutputStatistics.OfCounts(name, [.. _counts!], moments);
            default:
                float[]? singles = null;
                if (!_constant)
                {
                    singles = new float[_count];
                    var at = 0;
                    foreach (var block in _blocks!)
                    {
                        block.CopyTo(singles, at);
                        at += block.Length;
                    }
                }
                return OutputStatistics.OfSingles(name, singles, _first, _count, _min, _max, _thresholds, [.. _atLeast], moments);
        }
    }
}

/// <summary>
/// The distribution of one output over the kept draws. Percentiles interpolate linearly between the order statistics
/// (x₍ₖ₎ at k = (n − 1)·q, as numpy's default): exact for <see cref="DrawStorage.Exact"/> and
/// <see cref="DrawStorage.Counts"/>; for <see cref="DrawStorage.Single"/> of the draws rounded to float (each read back
/// as the shortest decimal that round-trips the float), found by selection rather than a full sort, and exact when
/// all draws are equal. Immutable.
/// </summary>
public sealed class OutputStatistics
{
    private static readonly double[] Standard = [0.05, 0.25, 0.50, 0.75, 0.95];

    private readonly double[]? _sorted;
    private readonly long[]? _cumulative;
    private readonly float[]? _singles;
    private readonly double? _constant;
    private readonly double[] _thresholds = [];
    private readonly int[] _atLeast = [];
    private readonly double[] _standard;

    private OutputStatistics(string name, int draws, (double Mean, double Sd, double Se) moments, double min, double max,
        double[]? sorted = null, long[]? cumulative = null, float[]? singles = null, double? constant = null)
    {
        if (draws == 0)
            throw new ArgumentException("no draws", nameof(draws));
        Name = name;
        Draws = draws;
        (Mean, StandardDeviation, StandardError) = moments;
        Min = min;
        Max = max;
        _sorted = sorted;
        _cumulative = cumulative;
        _singles = singles;
        _constant = constant;
        if (singles is not null)
            SelectAll(singles, 0, singles.Length, [.. Standard.SelectMany(q => Positions(q, draws)).Distinct().Order()]);
        // the standard percentiles once, so that reading them never reorders anything
        _standard = [.. Standard.Select(q => Interpolate(q, OrderStatistic))];
    }

    private OutputStatistics(string name, int draws, (double, double, double) moments, double min, double max, float[]? singles,
        double constant, double[] thresholds, int[] atLeast)
        : this(name, draws, moments, min, max, singles: singles, constant: singles is null ? constant : null)
    {
        _thresholds = thresholds;
        _atLeast = atLeast;
    }

    internal static OutputStatistics OfSorted(string name, double[] sorted, (double, double, double) moments) =>
        new(name, sorted.Length, moments, sorted.Length > 0 ? sorted[0] : 0, sorted.Length > 0 ? sorted[^1] : 0, sorted: sorted);

    internal static OutputStatistics OfCounts(string name, long[] counts, (double, double, double) moments)
    {
        var cumulative = new long[counts.Length + 1];
        for (var v = 0; v < counts.Length; v++) cumulative[v + 1] = cumulative[v] + counts[v];
        return new(name, (int)cumulative[^1], moments, Array.FindIndex(counts, c => c > 0) + 1, Array.FindLastIndex(counts, c => c > 0) + 1,
            cumulative: cumulative);
    }

    internal static OutputStatistics OfSingles(string name, float[]? singles, double first, int draws, double min, double max,
        double[] thresholds, int[] atLeast, (double, double, double) moments) =>
        new(name, draws, moments, min, max, singles, first, thresholds, atLeast);

    public string Name { get; }
    public int Draws { get; }
    public double Mean { get; }
    public double StandardDeviation { get; }
    public double StandardError { get; }
    public double Min { get; }
    public double Max { get; }
    public double P5 => _standard[0];
    public double P25 => _standard[1];
    public double P50 => _standard[2];
    public double P75 => _standard[3];
    public double P95 => _standard[4];

    /// <summary>The q-quantile (0 ≤ q ≤ 1) of the draws.</summary>
    public double Percentile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "must lie within 0–1");
        var standard = Array.IndexOf(Standard, q);
        if (standard >= 0)
            return _standard[standard];
        if (_singles is null)
            return Interpolate(q, OrderStatistic);
        var copy = (float[])_singles.Clone();
        SelectAll(copy, 0, copy.Length, Positions(q, Draws));
        return Interpolate(q, k => Widen(copy[k]));
    }

    /// <summary>The 0-based order statistic k (for <see cref="DrawStorage.Single"/>: once its position is selected).</summary>
    private double OrderStatistic(int k)
    {
        if (_sorted is not null)
            return _sorted[k];
        if (_cumulative is not null)
        {
            // the first value v whose cumulative count passes k
            int lo = 1, hi = _cumulative.Length - 1;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_cumulative[mid] > k) hi = mid; else lo = mid + 1;
            }
            return lo;
        }
        return _constant ?? Widen(_singles![k]);
    }

    private double Interpolate(double q, Func<int, double> orderStatistic)
    {
        var h = (Draws - 1) * q;
        var lo = (int)Math.Floor(h);
        if (lo + 1 >= Draws)
            return orderStatistic(lo);
        var a = orderStatistic(lo);
        return a + (h - lo) * (orderStatistic(lo + 1) - a);
    }

    /// <summary>The order statistics <see cref="Interpolate"/> reads for q.</summary>
    private static int[] Positions(double q, int draws)
    {
        var lo = (int)Math.Floor((draws - 1) * q);
        return lo + 1 < draws ? [lo, lo + 1] : [lo];
    }

    /// <summary>A float read back as the shortest decimal that round-trips it (so 57.1234 stays 57.1234).</summary>
    private static double Widen(float x) => double.Parse(x.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Rearranges a[from..to) so that every position in <paramref name="ks"/> (ascending) holds the value a full sort
    /// would put there (quickselect on several positions at once; three-way partitions, as draws repeat often).
    /// </summary>
    private static void SelectAll(float[] a, int from, int to, ReadOnlySpan<int> ks)
    {
        while (ks.Length > 0 && to - from > 1)
        {
            var mid = from + (to - from) / 2;
            var pivot = Median(a[from], a[mid], a[to - 1]);
            int lt = from, i = from, gt = to;
            while (i < gt)
            {
                var x = a[i];
                if (x < pivot)
                {
                    a[i++] = a[lt];
                    a[lt++] = x;
                }
                else if (x > pivot)
                {
                    a[i] = a[--gt];
                    a[gt] = x;
                }
                else i++;
            }
            // [from, lt) < pivot, [lt, gt) == pivot, [gt, to) > pivot
            var below = 0;
            while (below < ks.Length && ks[below] < lt) below++;
            var equal = below;
            while (equal < ks.Length && ks[equal] < gt) equal++;
            SelectAll(a, from, lt, ks[..below]);
            ks = ks[equal..];
            from = gt;
        }
    }

    private static float Median(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));

    /// <summary>The share of draws at or above <paramref name="threshold"/> (e.g. reaching a band) and its binomial standard error.</summary>
    /// <exception cref="InvalidOperationException">a <see cref="DrawStorage.Single"/> output and a threshold that is not one of its <see cref="SampledOutput.Thresholds"/></exception>
    public Estimate ProbabilityAtLeast(double threshold) => Share(Draws - Below(threshold));

    /// <summary>The share of draws below <paramref name="threshold"/> and its binomial standard error.</summary>
    /// <exception cref="InvalidOperationException">as for <see cref="ProbabilityAtLeast"/></exception>
    public Estimate ProbabilityBelow(double threshold) => Share(Below(threshold));

    private Estimate Share(long count)
    {
        var p = (double)count / Draws;
        return new Estimate(p, Math.Sqrt(p * (1 - p) / Draws));
    }

    /// <summary>The number of draws below <paramref name="x"/>.</summary>
    private long Below(double x)
    {
        if (_sorted is not null)
        {
            int lo = 0, hi = _sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_sorted[mid] < x) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
        if (_cumulative is not null)
        {
            // values 1 … n below x: those up to ⌈x⌉ − 1
            var upTo = Math.Clamp(Math.Ceiling(x) - 1, 0, _cumulative.Length - 1);
            return _cumulative[(int)upTo];
        }
        var t = Array.IndexOf(_thresholds, x);
        if (t >= 0)
            return Draws - _atLeast[t];
        if (_constant is { } c)
            return c < x ? Draws : 0;
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"{Name} keeps its draws as floats and counts only the thresholds given with it ({string.Join(", ", _thresholds)}), not {x}"));
    }

    public override string ToString() => $"{Name}: {Mean:G6} ± {StandardError:G3} (n = {Draws})";
}
