namespace GeoReadiness.Simulation.Scenarios;

/// <summary>The standard normal distribution's functions, in double precision and without allocation.</summary>
public static class Gaussian
{
    private const double SqrtTwoPi = 2.5066282746310002;

    /// <summary>The density φ(x).</summary>
    public static double Density(double x) => Math.Exp(-0.5 * x * x) / SqrtTwoPi;

    /// <summary>
    /// Φ(x), by Hart's double-precision rational approximation as given by Graeme West ("Better approximations to
    /// cumulative normal functions", 2005): absolute error below 1e-14.
    /// </summary>
    public static double Cdf(double x)
    {
        var z = Math.Abs(x);
        double tail;
        if (z > 37)
            tail = 0;
        else
        {
            var e = Math.Exp(-z * z / 2);
            if (z < 7.07106781186547)
            {
                var n = 3.52624965998911E-02 * z + 0.700383064443688;
                n = n * z + 6.37396220353165;
                n = n * z + 33.912866078383;
                n = n * z + 112.079291497871;
                n = n * z + 221.213596169931;
                n = n * z + 220.206867912376;
                var d = 8.83883476483184E-02 * z + 1.75566716318264;
                d = d * z + 16.064177579207;
                d = d * z + 86.7807322029461;
                d = d * z + 296.564248779674;
                d = d * z + 637.333633378831;
                d = d * z + 793.826512519948;
                d = d * z + 440.413735824752;
                tail = e * n / d;
            }
            else
            {
                var f = z + 0.65;
                f = z + 4 / f;
                f = z + 3 / f;
                f = z + 2 / f;
                f = z + 1 / f;
                tail = e / f / SqrtTwoPi;
            }
        }
        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>
    /// Φ⁻¹(p) for 0 &lt; p &lt; 1: Acklam's rational approximation (relative error 1.2e-9) refined by one Halley step
    /// on <see cref="Cdf"/>, which brings it to about machine precision.
    /// </summary>
    public static double InverseCdf(double p)
    {
        if (!(p > 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "must lie strictly between 0 and 1");
        const double low = 0.02425, high = 1 - low;
        double x;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = Tail(q);
        }
        else if (p <= high)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -Tail(q);
        }
        // Halley step: e = Φ(x) − p; far in the tails Φ's own rounding dominates and the step changes nothing useful
        var error = Cdf(x) - p;
        var u = error * SqrtTwoPi * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);

        static double Tail(double q) =>
            (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
            / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
    }
}
