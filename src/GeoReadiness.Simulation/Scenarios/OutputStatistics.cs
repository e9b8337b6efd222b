namespace GeoReadiness.Simulation.Scenarios;

/// <summary>An estimate and its standard error.</summary>
public readonly record struct Estimate(double Value, double StandardError);

/// <summary>
/// Accumulates the draws of one output in draw order: mean and variance by Welford's method, and every draw kept for
/// exact percentiles and event probabilities (8 bytes per draw). Not thread-safe; <see cref="SequentialSampling"/>
/// feeds it from one thread, in draw order, so its floating-point sums do not depend on the parallelism.
/// </summary>
public sealed class StatisticsAccumulator
{
    private readonly List<double> _values = [];
    private double _mean;
    private double _m2;

    public int Count => _values.Count;

    public double Mean => _mean;

    /// <summary>The sample standard deviation (n − 1); 0 for fewer than two draws.</summary>
    public double StandardDeviation => Count < 2 ? 0 : Math.Sqrt(_m2 / (Count - 1));

    /// <summary>The standard error of <see cref="Mean"/>: the standard deviation over √n; +∞ for fewer than two draws.</summary>
    public double StandardError => Count < 2 ? double.PositiveInfinity : StandardDeviation / Math.Sqrt(Count);

    public void Add(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "a draw must be a finite number");
        _values.Add(value);
        var delta = value - _mean;
        _mean += delta / _values.Count;
        _m2 += delta * (value - _mean);
    }

    /// <summary>An immutable summary of the draws so far.</summary>
    public OutputStatistics Summarise(string name)
    {
        var sorted = _values.ToArray();
        Array.Sort(sorted);
        return new OutputStatistics(name, sorted, Mean, StandardDeviation, StandardError);
    }
}

/// <summary>
/// The distribution of one output over the kept draws. Percentiles are exact: linear interpolation between the order
/// statistics (x₍ₖ₎ at k = (n − 1)·q, as numpy's default). Immutable.
/// </summary>
public sealed class OutputStatistics
{
    private readonly double[] _sorted;

    internal OutputStatistics(string name, double[] sorted, double mean, double standardDeviation, double standardError)
    {
        if (sorted.Length == 0)
            throw new ArgumentException("no draws", nameof(sorted));
        Name = name;
        _sorted = sorted;
        Mean = mean;
        StandardDeviation = standardDeviation;
        StandardError = standardError;
    }

    public string Name { get; }
    public int Draws => _sorted.Length;
    public double Mean { get; }
    public double StandardDeviation { get; }
    public double StandardError { get; }
    public double Min => _sorted[0];
    public double Max => _sorted[^1];
    public double P5 => Percentile(0.05);
    public double P25 => Percentile(0.25);
    public double P50 => Percentile(0.50);
    public double P75 => Percentile(0.75);
    public double P95 => Percentile(0.95);

    /// <summary>The q-quantile (0 ≤ q ≤ 1) of the draws.</summary>
    public double Percentile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "must lie within 0–1");
        var h = (_sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        return lo + 1 >= _sorted.Length ? _sorted[lo] : _sorted[lo] + (h - lo) * (_sorted[lo + 1] - _sorted[lo]);
    }

    /// <summary>The share of draws at or above <paramref name="threshold"/> (e.g. reaching a band) and its binomial standard error.</summary>
    public Estimate ProbabilityAtLeast(double threshold) => Share(_sorted.Length - LowerBound(threshold));

    /// <summary>The share of draws below <paramref name="threshold"/> and its binomial standard error.</summary>
    public Estimate ProbabilityBelow(double threshold) => Share(LowerBound(threshold));

    private Estimate Share(int count)
    {
        var p = (double)count / _sorted.Length;
        return new Estimate(p, Math.Sqrt(p * (1 - p) / _sorted.Length));
    }

    /// <summary>The number of draws below <paramref name="x"/>.</summary>
    private int LowerBound(double x)
    {
        int lo = 0, hi = _sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_sorted[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public override string ToString() => $"{Name}: {Mean:G6} ± {StandardError:G3} (n = {Draws})";
}
