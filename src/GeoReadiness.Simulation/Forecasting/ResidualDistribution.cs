using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// The model's error on the held-out round (actual − predicted score), as an empirical distribution: prediction
/// intervals from its quantiles, and draws of model error for a Monte-Carlo engine (inverse-CDF sampling of the
/// residuals, linearly interpolated between order statistics). Immutable and thread-safe.
/// </summary>
public sealed class ResidualDistribution
{
    private readonly double[] _sorted;

    public ResidualDistribution(IEnumerable<double> residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        _sorted = residuals.Order().ToArray();
        if (_sorted.Length < 2) throw new ArgumentException("at least two residuals are needed", nameof(residuals));
        if (_sorted.Any(r => !double.IsFinite(r))) throw new ArgumentException("residuals must be finite numbers", nameof(residuals));
    }

    /// <summary>The residuals, ascending.</summary>
    public IReadOnlyList<double> Residuals => _sorted;

    /// <summary>The p-quantile (0 ≤ p ≤ 1), interpolated linearly between order statistics (Hyndman–Fan type 7).</summary>
    public double Quantile(double p)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability 0–1");
        var h = (_sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, _sorted.Length - 1);
        return _sorted[lo] + (h - lo) * (_sorted[hi] - _sorted[lo]);
    }

    /// <summary>The central interval of the error with the given coverage, e.g. 0.9 → (5 %, 95 %) quantiles; add it to a prediction.</summary>
    public (double Lower, double Upper) Interval(double coverage)
    {
        if (coverage is <= 0 or >= 1 || double.IsNaN(coverage)) throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "a coverage between 0 and 1");
        return (Quantile((1 - coverage) / 2), Quantile((1 + coverage) / 2));
    }

    /// <summary>One draw of model error from a uniform number in [0, 1).</summary>
    public double Sample(double uniform) => Quantile(Math.Clamp(uniform, 0, 1));

    /// <summary>One draw of model error from a scenario stream (one uniform number).</summary>
    public double Sample(RandomStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Sample(stream.NextDouble());
    }
}
