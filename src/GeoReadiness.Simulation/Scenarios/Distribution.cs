namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// An uncertain quantity of a scenario (format: docs/scenarios.md). Every sample is drawn by inversion from exactly
/// one uniform number of the stream, so that making a quantity certain or uncertain never shifts the draws of the
/// quantities after it. Immutable; only the scenario reader builds validated instances.
/// </summary>
public abstract record Distribution
{
    /// <summary>The smallest value a sample can take (−∞ when unbounded).</summary>
    public abstract double Lower { get; }

    /// <summary>The largest value a sample can take (+∞ when unbounded).</summary>
    public abstract double Upper { get; }

    /// <summary>The expected value.</summary>
    public abstract double Mean { get; }

    /// <summary>The value below which a share <paramref name="p"/> of samples falls (0 &lt; p &lt; 1).</summary>
    public abstract double Quantile(double p);

    /// <summary>One sample: the quantile of one uniform number from <paramref name="random"/>.</summary>
    public double Sample(RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Quantile(random.NextOpenDouble());
    }

    /// <summary>A value known for certain.</summary>
    public static Distribution Certain(double value) => new FixedDistribution(value);
}

/// <summary><c>{"dist": "fixed", "value": v}</c></summary>
public sealed record FixedDistribution(double Value) : Distribution
{
    public override double Lower => Value;
    public override double Upper => Value;
    public override double Mean => Value;
    public override double Quantile(double p) => Value;
}

/// <summary><c>{"dist": "uniform", "min": a, "max": b}</c>, a ≤ b.</summary>
public sealed record UniformDistribution(double Min, double Max) : Distribution
{
    public override double Lower => Min;
    public override double Upper => Max;
    public override double Mean => (Min + Max) / 2;
    public override double Quantile(double p) => Min + p * (Max - Min);
}

/// <summary><c>{"dist": "triangular", "min": a, "mode": c, "max": b}</c>, a ≤ c ≤ b.</summary>
public sealed record TriangularDistribution(double Min, double Mode, double Max) : Distribution
{
    public override double Lower => Min;
    public override double Upper => Max;
    public override double Mean => (Min + Mode + Max) / 3;

    public override double Quantile(double p)
    {
        var width = Max - Min;
        if (width == 0)
            return Min;
        var atMode = (Mode - Min) / width;
        return p < atMode
            ? Min + Math.Sqrt(p * width * (Mode - Min))
            : Max - Math.Sqrt((1 - p) * width * (Max - Mode));
    }
}

/// <summary>
/// <c>{"dist": "normal", "mean": μ, "sd": σ}</c>, σ ≥ 0, optionally truncated to <c>"min"</c> and/or <c>"max"</c>
/// (the distribution conditioned on lying in between, not clamped).
/// </summary>
public sealed record NormalDistribution(double Mu, double Sd, double? Min = null, double? Max = null) : Distribution
{
    public override double Lower => Min ?? double.NegativeInfinity;
    public override double Upper => Max ?? double.PositiveInfinity;

    private double Alpha => Min is { } a ? (a - Mu) / Sd : double.NegativeInfinity;
    private double Beta => Max is { } b ? (b - Mu) / Sd : double.PositiveInfinity;

    /// <summary>The probability the untruncated normal gives to [min, max]; 1 when not truncated.</summary>
    public double Mass => Sd == 0
        ? (Mu >= Lower && Mu <= Upper ? 1 : 0)
        : CdfAt(Beta) - CdfAt(Alpha);

    public override double Mean => Sd == 0 || (Min is null && Max is null)
        ? Mu
        : Mu + Sd * (DensityAt(Alpha) - DensityAt(Beta)) / Mass;

    public override double Quantile(double p)
    {
        if (Sd == 0)
            return Mu;
        if (Min is null && Max is null)
            return Mu + Sd * Gaussian.InverseCdf(p);
        var from = CdfAt(Alpha);
        var u = from + p * (CdfAt(Beta) - from);
        // u can round to 0 or 1 when the interval lies far in a tail; its end is then the best answer
        var x = u <= 0 ? Lower : u >= 1 ? Upper : Mu + Sd * Gaussian.InverseCdf(u);
        return Math.Clamp(x, Lower, Upper);
    }

    private static double CdfAt(double z) => double.IsNegativeInfinity(z) ? 0 : double.IsPositiveInfinity(z) ? 1 : Gaussian.Cdf(z);
    private static double DensityAt(double z) => double.IsInfinity(z) ? 0 : Gaussian.Density(z);
}

/// <summary>
/// <c>{"dist": "lognormal", "mu": μ, "sigma": σ}</c> (of the logarithm), or <c>{"dist": "lognormal", "median": m,
/// "p95": q}</c> with μ = ln m and σ = ln(q/m) / Φ⁻¹(0.95).
/// </summary>
public sealed record LogNormalDistribution(double Mu, double Sigma) : Distribution
{
    /// <summary>Φ⁻¹(0.95).</summary>
    public const double Z95 = 1.6448536269514722;

    public static LogNormalDistribution FromMedianAndP95(double median, double p95) =>
        new(Math.Log(median), Math.Log(p95 / median) / Z95);

    public override double Lower => 0;
    public override double Upper => double.PositiveInfinity;
    public override double Mean => Math.Exp(Mu + Sigma * Sigma / 2);
    public override double Quantile(double p) => Math.Exp(Mu + Sigma * (Sigma == 0 ? 0 : Gaussian.InverseCdf(p)));
}

/// <summary><c>{"dist": "bernoulli", "p": p}</c>: 1 with probability p, else 0.</summary>
public sealed record BernoulliDistribution(double P) : Distribution
{
    public override double Lower => P >= 1 ? 1 : 0;
    public override double Upper => P <= 0 ? 0 : 1;
    public override double Mean => P;
    public override double Quantile(double p) => p > 1 - P ? 1 : 0;
}
