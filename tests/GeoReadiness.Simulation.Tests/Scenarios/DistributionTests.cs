using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

public class DistributionTests
{
    private const int N = 100_000;

    private static double[] Draw(Distribution d, string key = "d")
    {
        var s = RandomStream.For(0, key, 2018);
        var values = new double[N];
        for (var i = 0; i < N; i++)
            values[i] = d.Sample(s);
        Array.Sort(values);
        return values;
    }

    private static double EmpiricalQuantile(double[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];

    /// <summary>The sample mean lies within 4 standard errors of the theoretical mean; every quantile within <paramref name="quantileTolerance"/>.</summary>
    private static void AssertMatchesTheory(Distribution d, double quantileTolerance)
    {
        var values = Draw(d);
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (N - 1));
        Assert.InRange(mean, d.Mean - 4 * sd / Math.Sqrt(N) - 1e-12, d.Mean + 4 * sd / Math.Sqrt(N) + 1e-12);
        foreach (var q in new[] { 0.05, 0.25, 0.5, 0.75, 0.95 })
            Assert.InRange(EmpiricalQuantile(values, q), d.Quantile(q) - quantileTolerance, d.Quantile(q) + quantileTolerance);
        Assert.InRange(values[0], d.Lower, d.Upper);
        Assert.InRange(values[^1], d.Lower, d.Upper);
    }

    [Fact]
    public void TheNormalDistributionFunctionMatchesKnownValues()
    {
        Assert.Equal(0.5, Gaussian.Cdf(0), 15);
        Assert.Equal(0.15865525393145707, Gaussian.Cdf(-1), 14);
        Assert.Equal(0.9750021048517795, Gaussian.Cdf(1.96), 14);
        Assert.Equal(6.220960574271819e-16, Gaussian.Cdf(-8), 1e-22);
        Assert.Equal(1.959963984540054, Gaussian.InverseCdf(0.975), 12);
        Assert.Equal(-2.3263478740408408, Gaussian.InverseCdf(0.01), 12);
        Assert.Equal(LogNormalDistribution.Z95, Gaussian.InverseCdf(0.95), 12);
        foreach (var p in new[] { 1e-10, 0.001, 0.02, 0.3, 0.5, 0.9, 0.999 })
            Assert.Equal(p, Gaussian.Cdf(Gaussian.InverseCdf(p)), 1e-12 * Math.Max(1, p * 1e3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.InverseCdf(0));
    }

    [Fact]
    public void FixedIsAlwaysItsValue() => Assert.All(Draw(new FixedDistribution(3.5)), v => Assert.Equal(3.5, v));

    [Fact]
    public void UniformMatchesItsMeanAndQuantiles()
    {
        var d = new UniformDistribution(0, 18);
        Assert.Equal(9, d.Mean);
        Assert.Equal(4.5, d.Quantile(0.25));
        AssertMatchesTheory(d, 0.1);
    }

    [Fact]
    public void TriangularMatchesItsMeanAndQuantiles()
    {
        var d = new TriangularDistribution(6, 9, 15);
        Assert.Equal(10, d.Mean);
        // F(9) = (9−6)/(15−6) = 1/3: the mode's quantile
        Assert.Equal(9, d.Quantile(1.0 / 3), 12);
        AssertMatchesTheory(d, 0.06);
    }

    [Fact]
    public void ADegenerateTriangularIsItsValue() => Assert.Equal(4, new TriangularDistribution(4, 4, 4).Quantile(0.7));

    [Fact]
    public void NormalMatchesItsMeanAndQuantiles()
    {
        var d = new NormalDistribution(50, 10);
        Assert.Equal(50 + 10 * 1.6448536269514722, d.Quantile(0.95), 9);
        AssertMatchesTheory(d, 0.15);
    }

    [Fact]
    public void ATruncatedNormalStaysWithinItsBoundsWithTheConditionalMean()
    {
        var d = new NormalDistribution(6, 4, 0, 12);
        // symmetric truncation keeps the mean; one-sided truncation moves it by sd·φ(α)/(1 − Φ(α))
        Assert.Equal(6, d.Mean, 12);
        var oneSided = new NormalDistribution(2, 4, Min: 0);
        Assert.Equal(2 + 4 * Gaussian.Density(-0.5) / (1 - Gaussian.Cdf(-0.5)), oneSided.Mean, 12);
        AssertMatchesTheory(d, 0.08);
        AssertMatchesTheory(oneSided, 0.08);
    }

    [Fact]
    public void LogNormalFromMedianAndP95HasThem()
    {
        var d = LogNormalDistribution.FromMedianAndP95(1.1, 1.5);
        Assert.Equal(1.1, d.Quantile(0.5), 12);
        Assert.Equal(1.5, d.Quantile(0.95), 9);
        AssertMatchesTheory(d, 0.01);
        AssertMatchesTheory(new LogNormalDistribution(0, 0.5), 0.02);
    }

    [Fact]
    public void BernoulliIsOneWithItsProbability()
    {
        var values = Draw(new BernoulliDistribution(0.9));
        var p = values.Average();
        Assert.All(values, v => Assert.True(v is 0 or 1));
        Assert.InRange(p, 0.9 - 4 * Math.Sqrt(0.09 / N), 0.9 + 4 * Math.Sqrt(0.09 / N));
        Assert.All(Draw(new BernoulliDistribution(1)), v => Assert.Equal(1, v));
        Assert.All(Draw(new BernoulliDistribution(0)), v => Assert.Equal(0, v));
    }

    [Fact]
    public void EverySampleTakesExactlyOneUniformSoCertaintyDoesNotShiftLaterDraws()
    {
        var a = RandomStream.For(0, "k", 1);
        var b = RandomStream.For(0, "k", 1);
        new FixedDistribution(2).Sample(a);
        new TriangularDistribution(0, 1, 2).Sample(b);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void TheAdoptionCurveIsLogisticAndZeroBeforeReach()
    {
        Assert.Equal(0, AdoptionIntervention.Share(-1, 1, 2, 0.4));
        Assert.Equal(0.2, AdoptionIntervention.Share(2, 1, 2, 0.4), 12);
        Assert.Equal(0.4 / (1 + Math.Exp(-0.9 * 3)), AdoptionIntervention.Share(5, 0.9, 2, 0.4), 12);
    }
}
