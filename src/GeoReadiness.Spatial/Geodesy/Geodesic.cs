/*
 * C# port of the geodesic routines of GeographicLib (C version, geodesic.c / geodesic.h).
 *
 * This is a C implementation of the geodesic algorithms described in
 *
 *   C. F. F. Karney,
 *   Algorithms for geodesics,
 *   J. Geodesy 87, 43--55 (2013);
 *   https://doi.org/10.1007/s00190-012-0578-z
 *   Addenda: https://geographiclib.sourceforge.io/geod-addenda.html
 *
 * Copyright (c) Charles Karney (2012-2022) <charles@karney.com> and licensed
 * under the MIT/X11 License.  For more information, see
 * https://geographiclib.sourceforge.io/
 *
 * Ported to C# for GeoReadiness (order-6 series, as GEOGRAPHICLIB_GEODESIC_ORDER = 6 in the C code).
 * The structure, names and comments of the C code are kept so that the two can be compared line by line;
 * see THIRD-PARTY-NOTICES.md at the repository root for the full licence text.
 */

namespace GeoReadiness.Spatial.Geodesy;

/// <summary>Solution of the inverse geodesic problem.</summary>
/// <param name="DistanceMetres">Length of the shortest geodesic between the two points, in metres.</param>
/// <param name="Azimuth1">Forward azimuth at point 1, degrees clockwise from north, in [-180, 180].</param>
/// <param name="Azimuth2">Forward azimuth at point 2 (the direction of travel there), degrees, in [-180, 180].</param>
public sealed record GeodesicInverse(double DistanceMetres, double Azimuth1, double Azimuth2);

/// <summary>Solution of the direct geodesic problem.</summary>
/// <param name="Lat2">Latitude of the end point, degrees.</param>
/// <param name="Lon2">Longitude of the end point, degrees, reduced to [-180, 180].</param>
/// <param name="Azimuth2">Forward azimuth at the end point, degrees, in [-180, 180].</param>
public sealed record GeodesicDirect(double Lat2, double Lon2, double Azimuth2);

/// <summary>
/// Geodesics on an ellipsoid of revolution, after Karney (2013) as implemented in GeographicLib; accurate to
/// about 15 nm on WGS84 and the same algorithms PostGIS uses for <c>geography</c> measures with
/// <c>use_spheroid = true</c>.
/// </summary>
/// <remarks>
/// Instances are immutable after construction, every method is pure (no shared mutable state, scratch arrays
/// are per call), so one instance may be used from any number of threads at once.
/// Latitudes and longitudes are in degrees (EPSG:4326); latitudes outside [-90, 90] give NaN results.
/// </remarks>
public sealed class Geodesic
{
    /// <summary>The WGS84 ellipsoid: a = 6378137 m, f = 1/298.257223563.</summary>
    public static Geodesic Wgs84 => Wgs84Holder.Instance;

    // A nested holder so that the instance is built after this class's static coefficient tables exist.
    private static class Wgs84Holder
    {
        internal static readonly Geodesic Instance = new(6378137.0, 1 / 298.257223563);
    }

    private const int GeodesicOrder = 6;
    private const int nA1 = GeodesicOrder, nC1 = GeodesicOrder, nC1p = GeodesicOrder,
        nA2 = GeodesicOrder, nC2 = GeodesicOrder, nA3 = GeodesicOrder, nA3x = nA3,
        nC3 = GeodesicOrder, nC3x = nC3 * (nC3 - 1) / 2, nC4 = GeodesicOrder,
        nC4x = nC4 * (nC4 + 1) / 2;
    internal const int nC = GeodesicOrder + 1;

    // quarter, half and full turn in degrees
    private const double qd = 90, hd = 2 * qd, td = 2 * hd;

    private const int digits = 53;                           // DBL_MANT_DIG
    private const int maxit1 = 20;
    private const int maxit2 = maxit1 + digits + 10;
    private const double epsilon = 2.220446049250313e-16;   // DBL_EPSILON = 2^-52
    private const double realmin = 2.2250738585072014e-308;  // DBL_MIN
    private const double degree = Math.PI / hd;
    private static readonly double tiny = Math.Sqrt(realmin);
    private const double tol0 = epsilon;
    // Increase multiplier in defn of tol1 from 100 to 200 to fix inverse case
    // 52.784459512564 0 -52.784459512563990912 179.634407464943777557
    // which otherwise failed for Visual Studio 10 (Release and Debug)
    private const double tol1 = 200 * tol0;
    private static readonly double tol2 = Math.Sqrt(tol0);
    private const double tolb = tol0;                        // Check on bisection interval
    private static readonly double xthresh = 1000 * tol2;

    // capability bits (geodesic.h)
    internal const uint CAP_NONE = 0U, CAP_C1 = 1U << 0, CAP_C1p = 1U << 1, CAP_C2 = 1U << 2, CAP_C3 = 1U << 3,
        CAP_C4 = 1U << 4, CAP_ALL = 0x1FU, OUT_ALL = 0x7F80U;
    internal const uint GEOD_NONE = 0U,
        GEOD_LATITUDE = (1U << 7) | CAP_NONE,
        GEOD_LONGITUDE = (1U << 8) | CAP_C3,
        GEOD_AZIMUTH = (1U << 9) | CAP_NONE,
        GEOD_DISTANCE = (1U << 10) | CAP_C1,
        GEOD_DISTANCE_IN = (1U << 11) | CAP_C1 | CAP_C1p,
        GEOD_REDUCEDLENGTH = (1U << 12) | CAP_C1 | CAP_C2,
        GEOD_GEODESICSCALE = (1U << 13) | CAP_C1 | CAP_C2,
        GEOD_AREA = (1U << 14) | CAP_C4,
        GEOD_LONG_UNROLL = 1U << 15,
        GEOD_ALL = OUT_ALL | CAP_ALL;
    internal const uint GEOD_NOFLAGS = 0U, GEOD_ARCMODE = 1U << 0;

    internal readonly double a, f, f1, e2, ep2, n, b, c2, etol2;
    private readonly double[] A3x = new double[nA3x];
    private readonly double[] C3x = new double[nC3x];
    private readonly double[] C4x = new double[nC4x];

    /// <summary>An ellipsoid with equatorial radius <paramref name="a"/> (m) and flattening <paramref name="f"/>.</summary>
    internal Geodesic(double a, double f)
    {
        this.a = a;
        this.f = f;
        f1 = 1 - f;
        e2 = f * (2 - f);
        ep2 = e2 / sq(f1);          // e2 / (1 - e2)
        n = f / (2 - f);
        b = a * f1;
        c2 = (sq(a) + sq(b) *
              (e2 == 0 ? 1 :
               (e2 > 0 ? Math.Atanh(Math.Sqrt(e2)) : Math.Atan(Math.Sqrt(-e2))) /
               Math.Sqrt(Math.Abs(e2)))) / 2; // authalic radius squared
        // The sig12 threshold for "really short".  Using the auxiliary sphere
        // solution with dnm computed at (bet1 + bet2) / 2, the relative error in the
        // azimuth consistency check is sig12^2 * abs(f) * min(1, 1-f/2) / 2.  (Error
        // measured for 1/100 < b/a < 100 and abs(f) >= 1/1000.  For a given f and
        // sig12, the max error occurs for lines near the pole.  If the old rule for
        // computing dnm = (dn1 + dn2)/2 is used, then the error increases by a
        // factor of 2.)  Setting this equal to epsilon gives sig12 = etol2.  Here
        // 0.1 is a safety factor (error decreased by 100) and max(0.001, abs(f))
        // stops etol2 getting too large in the nearly spherical case.
        etol2 = 0.1 * tol2 /
          Math.Sqrt(double.MaxNumber(0.001, Math.Abs(f)) * double.MinNumber(1.0, 1 - f / 2) / 2);

        A3coeff();
        C3coeff();
        C4coeff();
    }

    /// <summary>Total area of the ellipsoid, m² (4π c²).</summary>
    internal double EllipsoidArea => 4 * Math.PI * c2;

    /// <summary>
    /// Solves the inverse problem: the shortest geodesic from (<paramref name="lat1"/>, <paramref name="lon1"/>) to
    /// (<paramref name="lat2"/>, <paramref name="lon2"/>), all in degrees.
    /// </summary>
    public GeodesicInverse Inverse(double lat1, double lon1, double lat2, double lon2)
    {
        GenInverse(lat1, lon1, lat2, lon2, GEOD_DISTANCE | GEOD_AZIMUTH, out var r);
        return new GeodesicInverse(r.s12, r.azi1, r.azi2);
    }

    /// <summary>
    /// Solves the direct problem: the point reached from (<paramref name="lat1"/>, <paramref name="lon1"/>) in degrees
    /// along a geodesic leaving at <paramref name="azimuth1Degrees"/> (clockwise from north) after
    /// <paramref name="distanceMetres"/> metres (may be negative). The longitude is reduced to [-180, 180].
    /// </summary>
    public GeodesicDirect Direct(double lat1, double lon1, double azimuth1Degrees, double distanceMetres)
    {
        GenDirect(lat1, lon1, azimuth1Degrees, GEOD_NOFLAGS, distanceMetres,
                  GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_AZIMUTH, out var r);
        return new GeodesicDirect(r.lat2, r.lon2, r.azi2);
    }

    /// <summary>All outputs of the general inverse / direct problems (the C code's out pointers).</summary>
    internal struct GeodesicData
    {
        public double lat1, lon1, azi1, lat2, lon2, azi2, s12, a12, m12, M12, M21, S12;
    }

    // ---------------------------------------------------------------------------------------------
    // Math helpers (geodesic.c)

    internal static double sq(double x) => x * x;

    internal static double sumx(double u, double v, out double t)
    {
        double s = u + v;
        double up = s - v;
        double vpp = s - up;
        up -= u;
        vpp -= v;
        t = s != 0 ? 0 - (up + vpp) : s;
        // error-free sum:
        // u + v =       s      + t
        //       = round(u + v) + t
        return s;
    }

    private static double polyvalx(int N, double[] p, int o, double x)
    {
        double y = N < 0 ? 0 : p[o++];
        while (--N >= 0) y = y * x + p[o++];
        return y;
    }

    private static void swapx(ref double x, ref double y) => (x, y) = (y, x);

    private static void norm2(ref double sinx, ref double cosx)
    {
        double r = double.Hypot(sinx, cosx);
        sinx /= r;
        cosx /= r;
    }

    internal static double AngNormalize(double x)
    {
        double y = Math.IEEERemainder(x, td);
        return Math.Abs(y) == hd ? Math.CopySign(hd, x) : y;
    }

    private static double LatFix(double x) => Math.Abs(x) > qd ? double.NaN : x;

    internal static double AngDiff(double x, double y, out double e)
    {
        // Use remainder instead of AngNormalize, since we treat boundary cases
        // later taking account of the error
        double d = sumx(Math.IEEERemainder(-x, td), Math.IEEERemainder(y, td), out double t);
        // This second sum can only change d if abs(d) < 128, so don't need to
        // apply remainder yet again.
        d = sumx(Math.IEEERemainder(d, td), t, out t);
        // Fix the sign if d = -180, 0, 180.
        if (d == 0 || Math.Abs(d) == hd)
            // If t == 0, take sign from y - x
            // else (t != 0, implies d = +/-180), d and t must have opposite signs
            d = Math.CopySign(d, t == 0 ? y - x : -t);
        e = t;
        return d;
    }

    private static double AngRound(double x)
    {
        const double z = 1.0 / 16.0;
        double y = Math.Abs(x);
        double w = z - y;
        // The compiler mustn't "simplify" z - (z - y) to y
        y = w > 0 ? z - w : y;
        return Math.CopySign(y, x);
    }

    /// <summary>
    /// C's remquo(x, 90, &amp;q) restricted to what is used here: the remainder in [-45, 45] and the low bits of
    /// the quotient (rounded to even, as remquo does). Reducing modulo 360 first is exact and keeps q's parity.
    /// </summary>
    private static double remquo90(double x, out int q)
    {
        double r = Math.IEEERemainder(x, td);           // exact, in [-180, 180]
        double qq = Math.Round(r / qd, MidpointRounding.ToEven);
        q = double.IsNaN(qq) ? 0 : (int)qq;
        return r - qd * q;                                // exact
    }

    private static void sincosdx(double x, out double sinx, out double cosx)
    {
        // In order to minimize round-off errors, this function exactly reduces
        // the argument to the range [-45, 45] before converting it to radians.
        double r = remquo90(x, out int q);
        // now abs(r) <= 45
        r *= degree;
        double s = Math.Sin(r), c = Math.Cos(r);
        switch ((uint)q & 3U)
        {
            case 0U: sinx = s; cosx = c; break;
            case 1U: sinx = c; cosx = -s; break;
            case 2U: sinx = -s; cosx = -c; break;
            default: sinx = -c; cosx = s; break; // case 3U
        }
        cosx += 0;                      // special values from F.10.1.12
        // special values from F.10.1.13
        if (sinx == 0) sinx = Math.CopySign(sinx, x);
    }

    private static void sincosde(double x, double t, out double sinx, out double cosx)
    {
        // In order to minimize round-off errors, this function exactly reduces
        // the argument to the range [-45, 45] before converting it to radians.
        double r = AngRound(remquo90(x, out int q) + t);
        // now abs(r) <= 45
        r *= degree;
        double s = Math.Sin(r), c = Math.Cos(r);
        switch ((uint)q & 3U)
        {
            case 0U: sinx = s; cosx = c; break;
            case 1U: sinx = c; cosx = -s; break;
            case 2U: sinx = -s; cosx = -c; break;
            default: sinx = -c; cosx = s; break; // case 3U
        }
        cosx += 0;                      // special values from F.10.1.12
        // special values from F.10.1.13
        if (sinx == 0) sinx = Math.CopySign(sinx, x);
    }

    private static double atan2dx(double y, double x)
    {
        // In order to minimize round-off errors, this function rearranges the
        // arguments so that result of atan2 is in the range [-pi/4, pi/4] before
        // converting it to degrees and mapping the result to the correct
        // quadrant.
        int q = 0;
        if (Math.Abs(y) > Math.Abs(x)) { swapx(ref x, ref y); q = 2; }
        if (double.IsNegative(x)) { x = -x; ++q; }
        // here x >= 0 and x >= abs(y), so angle is in [-pi/4, pi/4]
        double ang = Math.Atan2(y, x) / degree;
        switch (q)
        {
            case 1: ang = Math.CopySign(hd, y) - ang; break;
            case 2: ang = qd - ang; break;
            case 3: ang = -qd + ang; break;
            default: break;
        }
        return ang;
    }

    // ---------------------------------------------------------------------------------------------
    // Geodesic line (geod_lineinit_int / geod_genposition)

    /// <summary>A geodesic line from a point and azimuth (struct geod_geodesicline); immutable once built.</summary>
    internal sealed class GeodesicLine
    {
        internal readonly double lat1, lon1, azi1, a, f, salp1, calp1, a13, s13;
        internal readonly double b, c2, f1, salp0, calp0, k2, ssig1, csig1, dn1, stau1, ctau1, somg1, comg1,
            A1m1, A2m1, A3c, B11, B21, B31, A4, B41;
        internal readonly double[] C1a = new double[nC1 + 1], C1pa = new double[nC1p + 1], C2a = new double[nC2 + 1],
            C3a = new double[nC3], C4a = new double[nC4];
        internal readonly uint caps;

        internal GeodesicLine(Geodesic g, double lat1, double lon1, double azi1, double salp1, double calp1, uint caps)
        {
            double cbet1, sbet1, eps;
            a = g.a;
            f = g.f;
            b = g.b;
            c2 = g.c2;
            f1 = g.f1;
            // If caps is 0 assume the standard direct calculation
            this.caps = (caps != 0 ? caps : GEOD_DISTANCE_IN | GEOD_LONGITUDE) |
              // always allow latitude and azimuth and unrolling of longitude
              GEOD_LATITUDE | GEOD_AZIMUTH | GEOD_LONG_UNROLL;

            this.lat1 = LatFix(lat1);
            this.lon1 = lon1;
            this.azi1 = azi1;
            this.salp1 = salp1;
            this.calp1 = calp1;

            sincosdx(AngRound(this.lat1), out sbet1, out cbet1); sbet1 *= f1;
            // Ensure cbet1 = +epsilon at poles
            norm2(ref sbet1, ref cbet1); cbet1 = double.MaxNumber(tiny, cbet1);
            dn1 = Math.Sqrt(1 + g.ep2 * sq(sbet1));

            // Evaluate alp0 from sin(alp1) * cos(bet1) = sin(alp0),
            salp0 = this.salp1 * cbet1; // alp0 in [0, pi/2 - |bet1|]
            // Alt: calp0 = hypot(sbet1, calp1 * cbet1).  The following
            // is slightly better (consider the case salp1 = 0).
            calp0 = double.Hypot(this.calp1, this.salp1 * sbet1);
            // Evaluate sig with tan(bet1) = tan(sig1) * cos(alp1).
            // sig = 0 is nearest northward crossing of equator.
            // With bet1 = 0, alp1 = pi/2, we have sig1 = 0 (equatorial line).
            // With bet1 =  pi/2, alp1 = -pi, sig1 =  pi/2
            // With bet1 = -pi/2, alp1 =  0 , sig1 = -pi/2
            // Evaluate omg1 with tan(omg1) = sin(alp0) * tan(sig1).
            // With alp0 in (0, pi/2], quadrants for sig and omg coincide.
            // No atan2(0,0) ambiguity at poles since cbet1 = +epsilon.
            // With alp0 = 0, omg1 = 0 for alp1 = 0, omg1 = pi for alp1 = pi.
            ssig1 = sbet1; somg1 = salp0 * sbet1;
            csig1 = comg1 = sbet1 != 0 || this.calp1 != 0 ? cbet1 * this.calp1 : 1;
            norm2(ref ssig1, ref csig1); // sig1 in (-pi, pi]
            // norm2(somg1, comg1); -- don't need to normalize!

            k2 = sq(calp0) * g.ep2;
            eps = k2 / (2 * (1 + Math.Sqrt(1 + k2)) + k2);

            if ((this.caps & CAP_C1) != 0)
            {
                A1m1 = A1m1f(eps);
                C1f(eps, C1a);
                B11 = SinCosSeries(true, ssig1, csig1, C1a, nC1);
                double s = Math.Sin(B11), c = Math.Cos(B11);
                // tau1 = sig1 + B11
                stau1 = ssig1 * c + csig1 * s;
                ctau1 = csig1 * c - ssig1 * s;
                // Not necessary because C1pa reverts C1a
                //    B11 = -SinCosSeries(TRUE, stau1, ctau1, C1pa, nC1p);
            }

            if ((this.caps & CAP_C1p) != 0)
                C1pf(eps, C1pa);

            if ((this.caps & CAP_C2) != 0)
            {
                A2m1 = A2m1f(eps);
                C2f(eps, C2a);
                B21 = SinCosSeries(true, ssig1, csig1, C2a, nC2);
            }

            if ((this.caps & CAP_C3) != 0)
            {
                g.C3f(eps, C3a);
                A3c = -f * salp0 * g.A3f(eps);
                B31 = SinCosSeries(true, ssig1, csig1, C3a, nC3 - 1);
            }

            if ((this.caps & CAP_C4) != 0)
            {
                g.C4f(eps, C4a);
                // Multiplier = a^2 * e^2 * cos(alpha0) * sin(alpha0)
                A4 = sq(a) * calp0 * salp0 * g.e2;
                B41 = SinCosSeries(false, ssig1, csig1, C4a, nC4);
            }

            a13 = s13 = double.NaN;
        }

        /// <summary>geod_genposition: returns a12 and fills the outputs selected by <paramref name="outmask"/>.</summary>
        internal double GenPosition(uint flags, double s12_a12, uint outmask, ref GeodesicData r)
        {
            double lat2 = 0, lon2 = 0, azi2 = 0, s12 = 0,
              m12 = 0, M12 = 0, M21 = 0, S12 = 0;
            double sig12, ssig12, csig12, B12 = 0, AB1 = 0;
            double omg12, lam12, lon12;
            double ssig2, csig2, sbet2, cbet2, somg2, comg2, salp2, calp2, dn2;

            outmask &= caps & OUT_ALL;
            if (!((flags & GEOD_ARCMODE) != 0 || (caps & (GEOD_DISTANCE_IN & OUT_ALL)) != 0))
                // Impossible distance calculation requested
                return double.NaN;

            if ((flags & GEOD_ARCMODE) != 0)
            {
                // Interpret s12_a12 as spherical arc length
                sig12 = s12_a12 * degree;
                sincosdx(s12_a12, out ssig12, out csig12);
            }
            else
            {
                // Interpret s12_a12 as distance
                double
                  tau12 = s12_a12 / (b * (1 + A1m1)),
                  s = Math.Sin(tau12),
                  c = Math.Cos(tau12);
                // tau2 = tau1 + tau12
                B12 = -SinCosSeries(true,
                                    stau1 * c + ctau1 * s,
                                    ctau1 * c - stau1 * s,
                                    C1pa, nC1p);
                sig12 = tau12 - (B12 - B11);
                ssig12 = Math.Sin(sig12); csig12 = Math.Cos(sig12);
                if (Math.Abs(f) > 0.01)
                {
                    // Reverted distance series is inaccurate for |f| > 1/100, so correct
                    // sig12 with 1 Newton iteration.
                    ssig2 = ssig1 * csig12 + csig1 * ssig12;
                    csig2 = csig1 * csig12 - ssig1 * ssig12;
                    B12 = SinCosSeries(true, ssig2, csig2, C1a, nC1);
                    double serr = (1 + A1m1) * (sig12 + (B12 - B11)) - s12_a12 / b;
                    sig12 -= serr / Math.Sqrt(1 + k2 * sq(ssig2));
                    ssig12 = Math.Sin(sig12); csig12 = Math.Cos(sig12);
                    // Update B12 below
                }
            }

            // sig2 = sig1 + sig12
            ssig2 = ssig1 * csig12 + csig1 * ssig12;
            csig2 = csig1 * csig12 - ssig1 * ssig12;
            dn2 = Math.Sqrt(1 + k2 * sq(ssig2));
            if ((outmask & (GEOD_DISTANCE | GEOD_REDUCEDLENGTH | GEOD_GEODESICSCALE)) != 0)
            {
                if ((flags & GEOD_ARCMODE) != 0 || Math.Abs(f) > 0.01)
                    B12 = SinCosSeries(true, ssig2, csig2, C1a, nC1);
                AB1 = (1 + A1m1) * (B12 - B11);
            }
            // sin(bet2) = cos(alp0) * sin(sig2)
            sbet2 = calp0 * ssig2;
            // Alt: cbet2 = hypot(csig2, salp0 * ssig2);
            cbet2 = double.Hypot(salp0, calp0 * csig2);
            if (cbet2 == 0)
                // I.e., salp0 = 0, csig2 = 0.  Break the degeneracy in this case
                cbet2 = csig2 = tiny;
            // tan(alp0) = cos(sig2)*tan(alp2)
            salp2 = salp0; calp2 = calp0 * csig2; // No need to normalize

            if ((outmask & GEOD_DISTANCE) != 0)
                s12 = (flags & GEOD_ARCMODE) != 0 ?
                  b * ((1 + A1m1) * sig12 + AB1) :
                  s12_a12;

            if ((outmask & GEOD_LONGITUDE) != 0)
            {
                double E = Math.CopySign(1, salp0); // east or west going?
                // tan(omg2) = sin(alp0) * tan(sig2)
                somg2 = salp0 * ssig2; comg2 = csig2;  // No need to normalize
                // omg12 = omg2 - omg1
                omg12 = (flags & GEOD_LONG_UNROLL) != 0
                  ? E * (sig12
                         - (Math.Atan2(ssig2, csig2) - Math.Atan2(ssig1, csig1))
                         + (Math.Atan2(E * somg2, comg2) - Math.Atan2(E * somg1, comg1)))
                  : Math.Atan2(somg2 * comg1 - comg2 * somg1,
                               comg2 * comg1 + somg2 * somg1);
                lam12 = omg12 + A3c *
                  (sig12 + (SinCosSeries(true, ssig2, csig2, C3a, nC3 - 1)
                            - B31));
                lon12 = lam12 / degree;
                lon2 = (flags & GEOD_LONG_UNROLL) != 0 ? lon1 + lon12 :
                  AngNormalize(AngNormalize(lon1) + AngNormalize(lon12));
            }

            if ((outmask & GEOD_LATITUDE) != 0)
                lat2 = atan2dx(sbet2, f1 * cbet2);

            if ((outmask & GEOD_AZIMUTH) != 0)
                azi2 = atan2dx(salp2, calp2);

            if ((outmask & (GEOD_REDUCEDLENGTH | GEOD_GEODESICSCALE)) != 0)
            {
                double
                  B22 = SinCosSeries(true, ssig2, csig2, C2a, nC2),
                  AB2 = (1 + A2m1) * (B22 - B21),
                  J12 = (A1m1 - A2m1) * sig12 + (AB1 - AB2);
                if ((outmask & GEOD_REDUCEDLENGTH) != 0)
                    // Add parens around (csig1 * ssig2) and (ssig1 * csig2) to ensure
                    // accurate cancellation in the case of coincident points.
                    m12 = b * ((dn2 * (csig1 * ssig2) - dn1 * (ssig1 * csig2))
                               - csig1 * csig2 * J12);
                if ((outmask & GEOD_GEODESICSCALE) != 0)
                {
                    double t = k2 * (ssig2 - ssig1) * (ssig2 + ssig1) /
                      (dn1 + dn2);
                    M12 = csig12 + (t * ssig2 - csig2 * J12) * ssig1 / dn1;
                    M21 = csig12 - (t * ssig1 - csig1 * J12) * ssig2 / dn2;
                }
            }

            if ((outmask & GEOD_AREA) != 0)
            {
                double
                  B42 = SinCosSeries(false, ssig2, csig2, C4a, nC4);
                double salp12, calp12;
                if (calp0 == 0 || salp0 == 0)
                {
                    // alp12 = alp2 - alp1, used in atan2 so no need to normalize
                    salp12 = salp2 * calp1 - calp2 * salp1;
                    calp12 = calp2 * calp1 + salp2 * salp1;
                }
                else
                {
                    // tan(alp) = tan(alp0) * sec(sig)
                    // tan(alp2-alp1) = (tan(alp2) -tan(alp1)) / (tan(alp2)*tan(alp1)+1)
                    // = calp0 * salp0 * (csig1-csig2) / (salp0^2 + calp0^2 * csig1*csig2)
                    // If csig12 > 0, write
                    //   csig1 - csig2 = ssig12 * (csig1 * ssig12 / (1 + csig12) + ssig1)
                    // else
                    //   csig1 - csig2 = csig1 * (1 - csig12) + ssig12 * ssig1
                    // No need to normalize
                    salp12 = calp0 * salp0 *
                      (csig12 <= 0 ? csig1 * (1 - csig12) + ssig12 * ssig1 :
                       ssig12 * (csig1 * ssig12 / (1 + csig12) + ssig1));
                    calp12 = sq(salp0) + sq(calp0) * csig1 * csig2;
                }
                S12 = c2 * Math.Atan2(salp12, calp12) + A4 * (B42 - B41);
            }

            if ((outmask & GEOD_LATITUDE) != 0) r.lat2 = lat2;
            if ((outmask & GEOD_LONGITUDE) != 0) r.lon2 = lon2;
            if ((outmask & GEOD_AZIMUTH) != 0) r.azi2 = azi2;
            if ((outmask & GEOD_DISTANCE) != 0) r.s12 = s12;
            if ((outmask & GEOD_REDUCEDLENGTH) != 0) r.m12 = m12;
            if ((outmask & GEOD_GEODESICSCALE) != 0) { r.M12 = M12; r.M21 = M21; }
            if ((outmask & GEOD_AREA) != 0) r.S12 = S12;

            double a12 = (flags & GEOD_ARCMODE) != 0 ? s12_a12 : sig12 / degree;
            r.a12 = a12;
            return a12;
        }
    }

    /// <summary>geod_lineinit.</summary>
    internal GeodesicLine Line(double lat1, double lon1, double azi1, uint caps)
    {
        azi1 = AngNormalize(azi1);
        // Guard against underflow in salp0
        sincosdx(AngRound(azi1), out double salp1, out double calp1);
        return new GeodesicLine(this, lat1, lon1, azi1, salp1, calp1, caps);
    }

    /// <summary>geod_gendirect: returns a12; <paramref name="outmask"/> selects the GEOD_* outputs wanted.</summary>
    internal double GenDirect(double lat1, double lon1, double azi1, uint flags, double s12_a12, uint outmask,
                              out GeodesicData r)
    {
        r = new GeodesicData { lat1 = lat1, lon1 = lon1, azi1 = azi1 };
        var l = Line(lat1, lon1, azi1,
                     // Automatically supply GEOD_DISTANCE_IN if necessary
                     outmask | ((flags & GEOD_ARCMODE) != 0 ? GEOD_NONE : GEOD_DISTANCE_IN));
        return l.GenPosition(flags, s12_a12, outmask, ref r);
    }

    // ---------------------------------------------------------------------------------------------
    // Inverse problem (geod_geninverse_int / geod_geninverse)

    /// <summary>
    /// geod_geninverse: returns a12 (arc length on the auxiliary sphere, degrees) and fills the outputs selected by
    /// <paramref name="outmask"/> (GEOD_DISTANCE, GEOD_AZIMUTH, GEOD_REDUCEDLENGTH, GEOD_GEODESICSCALE, GEOD_AREA).
    /// </summary>
    internal double GenInverse(double lat1, double lon1, double lat2, double lon2, uint outmask, out GeodesicData r)
    {
        r = new GeodesicData { lat1 = lat1, lon1 = lon1, lat2 = lat2, lon2 = lon2 };
        double a12 = GenInverseInt(lat1, lon1, lat2, lon2, outmask, ref r,
                                   out double salp1, out double calp1, out double salp2, out double calp2);
        if ((outmask & GEOD_AZIMUTH) != 0)
        {
            r.azi1 = atan2dx(salp1, calp1);
            r.azi2 = atan2dx(salp2, calp2);
        }
        r.a12 = a12;
        return a12;
    }

    private double GenInverseInt(double lat1, double lon1, double lat2, double lon2, uint outmask,
                                 ref GeodesicData r,
                                 out double psalp1, out double pcalp1, out double psalp2, out double pcalp2)
    {
        double s12 = 0, m12 = 0, M12 = 0, M21 = 0, S12 = 0;
        double lon12, lon12s;
        int latsign, lonsign, swapp;
        double sbet1, cbet1, sbet2, cbet2, s12x = 0, m12x = 0;
        double dn1, dn2, lam12, slam12, clam12;
        double a12 = 0, sig12, calp1 = 0, salp1 = 0, calp2 = 0, salp2 = 0;
        Span<double> Ca = stackalloc double[nC];
        bool meridian;
        // somg12 == 2 marks that it needs to be calculated
        double omg12 = 0, somg12 = 2, comg12 = 0;

        outmask &= OUT_ALL;
        // Compute longitude difference (AngDiff does this carefully).  Result is
        // in [-180, 180] but -180 is only for west-going geodesics.  180 is for
        // east-going and meridional geodesics.
        lon12 = AngDiff(lon1, lon2, out lon12s);
        // Make longitude difference positive.
        lonsign = double.IsNegative(lon12) ? -1 : 1;
        lon12 *= lonsign; lon12s *= lonsign;
        lam12 = lon12 * degree;
        // Calculate sincos of lon12 + error (this applies AngRound internally).
        sincosde(lon12, lon12s, out slam12, out clam12);
        lon12s = (hd - lon12) - lon12s; // the supplementary longitude difference

        // If really close to the equator, treat as on equator.
        lat1 = AngRound(LatFix(lat1));
        lat2 = AngRound(LatFix(lat2));
        // Swap points so that point with higher (abs) latitude is point 1
        // If one latitude is a nan, then it becomes lat1.
        swapp = Math.Abs(lat1) < Math.Abs(lat2) || double.IsNaN(lat2) ? -1 : 1;
        if (swapp < 0)
        {
            lonsign *= -1;
            swapx(ref lat1, ref lat2);
        }
        // Make lat1 <= -0
        latsign = double.IsNegative(lat1) ? 1 : -1;
        lat1 *= latsign;
        lat2 *= latsign;
        // Now we have
        //
        //     0 <= lon12 <= 180
        //     -90 <= lat1 <= -0
        //     lat1 <= lat2 <= -lat1
        //
        // longsign, swapp, latsign register the transformation to bring the
        // coordinates to this canonical form.  In all cases, 1 means no change was
        // made.  We make these transformations so that there are few cases to
        // check, e.g., on verifying quadrants in atan2.  In addition, this
        // enforces some symmetries in the results returned.

        sincosdx(lat1, out sbet1, out cbet1); sbet1 *= f1;
        // Ensure cbet1 = +epsilon at poles
        norm2(ref sbet1, ref cbet1); cbet1 = double.MaxNumber(tiny, cbet1);

        sincosdx(lat2, out sbet2, out cbet2); sbet2 *= f1;
        // Ensure cbet2 = +epsilon at poles
        norm2(ref sbet2, ref cbet2); cbet2 = double.MaxNumber(tiny, cbet2);

        // If cbet1 < -sbet1, then cbet2 - cbet1 is a sensitive measure of the
        // |bet1| - |bet2|.  Alternatively (cbet1 >= -sbet1), abs(sbet2) + sbet1 is
        // a better measure.  This logic is used in assigning calp2 in Lambda12.
        // Sometimes these quantities vanish and in that case we force bet2 = +/-
        // bet1 exactly.  An example where is is necessary is the inverse problem
        // 48.522876735459 0 -48.52287673545898293 179.599720456223079643
        // which failed with Visual Studio 10 (Release and Debug)

        if (cbet1 < -sbet1)
        {
            if (cbet2 == cbet1)
                sbet2 = Math.CopySign(sbet1, sbet2);
        }
        else
        {
            if (Math.Abs(sbet2) == -sbet1)
                cbet2 = cbet1;
        }

        dn1 = Math.Sqrt(1 + ep2 * sq(sbet1));
        dn2 = Math.Sqrt(1 + ep2 * sq(sbet2));

        meridian = lat1 == -qd || slam12 == 0;

        if (meridian)
        {
            // Endpoints are on a single full meridian, so the geodesic might lie on
            // a meridian.

            double ssig1, csig1, ssig2, csig2;
            calp1 = clam12; salp1 = slam12; // Head to the target longitude
            calp2 = 1; salp2 = 0;           // At the target we're heading north

            // tan(bet) = tan(sig) * cos(alp)
            ssig1 = sbet1; csig1 = calp1 * cbet1;
            ssig2 = sbet2; csig2 = calp2 * cbet2;

            // sig12 = sig2 - sig1
            sig12 = Math.Atan2(double.MaxNumber(0.0, csig1 * ssig2 - ssig1 * csig2) + 0,
                               csig1 * csig2 + ssig1 * ssig2);
            Lengths(n, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2,
                    cbet1, cbet2, true, out s12x, true, out m12x, false, out _,
                    (outmask & GEOD_GEODESICSCALE) != 0, out M12, out M21,
                    Ca);
            // Add the check for sig12 since zero length geodesics might yield m12 <
            // 0.  Test case was
            //
            //    echo 20.001 0 20.001 0 | GeodSolve -i
            //
            // In fact, we will have sig12 > pi/2 for meridional geodesic which is
            // not a shortest path.
            if (sig12 < 1 || m12x >= 0)
            {
                // Need at least 2, to handle 90 0 90 180
                if (sig12 < 3 * tiny ||
                    // Prevent negative s12 or m12 for short lines
                    (sig12 < tol0 && (s12x < 0 || m12x < 0)))
                    sig12 = m12x = s12x = 0;
                m12x *= b;
                s12x *= b;
                a12 = sig12 / degree;
            }
            else
                // m12 < 0, i.e., prolate and too close to anti-podal
                meridian = false;
        }

        if (!meridian &&
            sbet1 == 0 &&           // and sbet2 == 0
            // Mimic the way Lambda12 works with calp1 = 0
            (f <= 0 || lon12s >= f * hd))
        {
            // Geodesic runs along equator
            calp1 = calp2 = 0; salp1 = salp2 = 1;
            s12x = a * lam12;
            sig12 = omg12 = lam12 / f1;
            m12x = b * Math.Sin(sig12);
            if ((outmask & GEOD_GEODESICSCALE) != 0)
                M12 = M21 = Math.Cos(sig12);
            a12 = lon12 / f1;
        }
        else if (!meridian)
        {
            // Now point1 and point2 belong within a hemisphere bounded by a
            // meridian and geodesic is neither meridional or equatorial.

            // Figure a starting point for Newton's method
            double dnm = 0;
            sig12 = InverseStart(sbet1, cbet1, dn1, sbet2, cbet2, dn2,
                                 lam12, slam12, clam12,
                                 ref salp1, ref calp1, ref salp2, ref calp2, ref dnm,
                                 Ca);

            if (sig12 >= 0)
            {
                // Short lines (InverseStart sets salp2, calp2, dnm)
                s12x = sig12 * b * dnm;
                m12x = sq(dnm) * b * Math.Sin(sig12 / dnm);
                if ((outmask & GEOD_GEODESICSCALE) != 0)
                    M12 = M21 = Math.Cos(sig12 / dnm);
                a12 = sig12 / degree;
                omg12 = lam12 / (f1 * dnm);
            }
            else
            {
                // Newton's method.  This is a straightforward solution of f(alp1) =
                // lambda12(alp1) - lam12 = 0 with one wrinkle.  f(alp) has exactly one
                // root in the interval (0, pi) and its derivative is positive at the
                // root.  Thus f(alp) is positive for alp > alp1 and negative for alp <
                // alp1.  During the course of the iteration, a range (alp1a, alp1b) is
                // maintained which brackets the root and with each evaluation of
                // f(alp) the range is shrunk, if possible.  Newton's method is
                // restarted whenever the derivative of f is negative (because the new
                // value of alp1 is then further from the solution) or if the new
                // estimate of alp1 lies outside (0,pi); in this case, the new starting
                // guess is taken to be (alp1a + alp1b) / 2.
                double ssig1 = 0, csig1 = 0, ssig2 = 0, csig2 = 0, eps = 0, domg12 = 0;
                uint numit = 0;
                // Bracketing range
                double salp1a = tiny, calp1a = 1, salp1b = tiny, calp1b = -1;
                bool tripn = false;
                bool tripb = false;
                for (; ; ++numit)
                {
                    // the WGS84 test set: mean = 1.47, sd = 1.25, max = 16
                    // WGS84 and random input: mean = 2.85, sd = 0.60
                    double
                      v = Lambda12(sbet1, cbet1, dn1, sbet2, cbet2, dn2, salp1, calp1,
                                   slam12, clam12,
                                   out salp2, out calp2, out sig12, out ssig1, out csig1, out ssig2, out csig2,
                                   out eps, out domg12, numit < maxit1, out double dv, Ca);
                    if (tripb ||
                        // Reversed test to allow escape with NaNs
                        !(Math.Abs(v) >= (tripn ? 8 : 1) * tol0) ||
                        numit == maxit2) break;
                    // Update bracketing values
                    if (v > 0 && (numit > maxit1 || calp1 / salp1 > calp1b / salp1b))
                    { salp1b = salp1; calp1b = calp1; }
                    else if (v < 0 && (numit > maxit1 || calp1 / salp1 < calp1a / salp1a))
                    { salp1a = salp1; calp1a = calp1; }
                    if (numit < maxit1 && dv > 0)
                    {
                        double
                          dalp1 = -v / dv;
                        if (Math.Abs(dalp1) < Math.PI)
                        {
                            double
                              sdalp1 = Math.Sin(dalp1), cdalp1 = Math.Cos(dalp1),
                              nsalp1 = salp1 * cdalp1 + calp1 * sdalp1;
                            if (nsalp1 > 0)
                            {
                                calp1 = calp1 * cdalp1 - salp1 * sdalp1;
                                salp1 = nsalp1;
                                norm2(ref salp1, ref calp1);
                                // In some regimes we don't get quadratic convergence because
                                // slope -> 0.  So use convergence conditions based on epsilon
                                // instead of sqrt(epsilon).
                                tripn = Math.Abs(v) <= 16 * tol0;
                                continue;
                            }
                        }
                    }
                    // Either dv was not positive or updated value was outside legal
                    // range.  Use the midpoint of the bracket as the next estimate.
                    // This mechanism is not needed for the WGS84 ellipsoid, but it does
                    // catch problems with more eccentric ellipsoids.  Its efficacy is
                    // such for the WGS84 test set with the starting guess set to alp1 =
                    // 90deg:
                    // the WGS84 test set: mean = 5.21, sd = 3.93, max = 24
                    // WGS84 and random input: mean = 4.74, sd = 0.99
                    salp1 = (salp1a + salp1b) / 2;
                    calp1 = (calp1a + calp1b) / 2;
                    norm2(ref salp1, ref calp1);
                    tripn = false;
                    tripb = (Math.Abs(salp1a - salp1) + (calp1a - calp1) < tolb ||
                             Math.Abs(salp1 - salp1b) + (calp1 - calp1b) < tolb);
                }
                Lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2,
                        cbet1, cbet2, true, out s12x, true, out m12x, false, out _,
                        (outmask & GEOD_GEODESICSCALE) != 0, out M12, out M21, Ca);
                m12x *= b;
                s12x *= b;
                a12 = sig12 / degree;
                if ((outmask & GEOD_AREA) != 0)
                {
                    // omg12 = lam12 - domg12
                    double sdomg12 = Math.Sin(domg12), cdomg12 = Math.Cos(domg12);
                    somg12 = slam12 * cdomg12 - clam12 * sdomg12;
                    comg12 = clam12 * cdomg12 + slam12 * sdomg12;
                }
            }
        }

        if ((outmask & GEOD_DISTANCE) != 0)
            s12 = 0 + s12x;             // Convert -0 to 0

        if ((outmask & GEOD_REDUCEDLENGTH) != 0)
            m12 = 0 + m12x;             // Convert -0 to 0

        if ((outmask & GEOD_AREA) != 0)
        {
            double
              // From Lambda12: sin(alp1) * cos(bet1) = sin(alp0)
              salp0 = salp1 * cbet1,
              calp0 = double.Hypot(calp1, salp1 * sbet1); // calp0 > 0
            double alp12;
            if (calp0 != 0 && salp0 != 0)
            {
                double
                  // From Lambda12: tan(bet) = tan(sig) * cos(alp)
                  ssig1 = sbet1, csig1 = calp1 * cbet1,
                  ssig2 = sbet2, csig2 = calp2 * cbet2,
                  k2 = sq(calp0) * ep2,
                  eps = k2 / (2 * (1 + Math.Sqrt(1 + k2)) + k2),
                  // Multiplier = a^2 * e^2 * cos(alpha0) * sin(alpha0).
                  A4 = sq(a) * calp0 * salp0 * e2;
                norm2(ref ssig1, ref csig1);
                norm2(ref ssig2, ref csig2);
                C4f(eps, Ca);
                double B41 = SinCosSeries(false, ssig1, csig1, Ca, nC4);
                double B42 = SinCosSeries(false, ssig2, csig2, Ca, nC4);
                S12 = A4 * (B42 - B41);
            }
            else
                // Avoid problems with indeterminate sig1, sig2 on equator
                S12 = 0;

            if (!meridian && somg12 == 2)
            {
                somg12 = Math.Sin(omg12); comg12 = Math.Cos(omg12);
            }

            if (!meridian &&
                // omg12 < 3/4 * pi
                comg12 > -0.7071 &&     // Long difference not too big
                sbet2 - sbet1 < 1.75)
            { // Lat difference not too big
                // Use tan(Gamma/2) = tan(omg12/2)
                // * (tan(bet1/2)+tan(bet2/2))/(1+tan(bet1/2)*tan(bet2/2))
                // with tan(x/2) = sin(x)/(1+cos(x))
                double
                  domg12 = 1 + comg12, dbet1 = 1 + cbet1, dbet2 = 1 + cbet2;
                alp12 = 2 * Math.Atan2(somg12 * (sbet1 * dbet2 + sbet2 * dbet1),
                                       domg12 * (sbet1 * sbet2 + dbet1 * dbet2));
            }
            else
            {
                // alp12 = alp2 - alp1, used in atan2 so no need to normalize
                double
                  salp12 = salp2 * calp1 - calp2 * salp1,
                  calp12 = calp2 * calp1 + salp2 * salp1;
                // The right thing appears to happen if alp1 = +/-180 and alp2 = 0, viz
                // salp12 = -0 and alp12 = -180.  However this depends on the sign
                // being attached to 0 correctly.  The following ensures the correct
                // behavior.
                if (salp12 == 0 && calp12 < 0)
                {
                    salp12 = tiny * calp1;
                    calp12 = -1;
                }
                alp12 = Math.Atan2(salp12, calp12);
            }
            S12 += c2 * alp12;
            S12 *= swapp * lonsign * latsign;
            // Convert -0 to 0
            S12 += 0;
        }

        // Convert calp, salp to azimuth accounting for lonsign, swapp, latsign.
        if (swapp < 0)
        {
            swapx(ref salp1, ref salp2);
            swapx(ref calp1, ref calp2);
            if ((outmask & GEOD_GEODESICSCALE) != 0)
                swapx(ref M12, ref M21);
        }

        salp1 *= swapp * lonsign; calp1 *= swapp * latsign;
        salp2 *= swapp * lonsign; calp2 *= swapp * latsign;

        psalp1 = salp1;
        pcalp1 = calp1;
        psalp2 = salp2;
        pcalp2 = calp2;

        if ((outmask & GEOD_DISTANCE) != 0)
            r.s12 = s12;
        if ((outmask & GEOD_REDUCEDLENGTH) != 0)
            r.m12 = m12;
        if ((outmask & GEOD_GEODESICSCALE) != 0)
        {
            r.M12 = M12;
            r.M21 = M21;
        }
        if ((outmask & GEOD_AREA) != 0)
            r.S12 = S12;

        // Returned value in [0, 180]
        return a12;
    }

    private static double SinCosSeries(bool sinp, double sinx, double cosx, ReadOnlySpan<double> c, int n)
    {
        // Evaluate
        // y = sinp ? sum(c[i] * sin( 2*i    * x), i, 1, n) :
        //            sum(c[i] * cos((2*i+1) * x), i, 0, n-1)
        // using Clenshaw summation.  N.B. c[0] is unused for sin series
        // Approx operation count = (n + 5) mult and (2 * n + 2) add
        double ar, y0, y1;
        int k = n + (sinp ? 1 : 0);                 // Point to one beyond last element
        ar = 2 * (cosx - sinx) * (cosx + sinx);     // 2 * cos(2 * x)
        y0 = (n & 1) != 0 ? c[--k] : 0; y1 = 0;     // accumulators for sum
        // Now n is even
        n /= 2;
        while (n-- != 0)
        {
            // Unroll loop x 2, so accumulators return to their original role
            y1 = ar * y0 - y1 + c[--k];
            y0 = ar * y1 - y0 + c[--k];
        }
        return sinp
          ? 2 * sinx * cosx * y0      // sin(2 * x) * y0
          : cosx * (y0 - y1);         // cos(x) * (y0 - y1)
    }

    private void Lengths(double eps, double sig12,
                         double ssig1, double csig1, double dn1,
                         double ssig2, double csig2, double dn2,
                         double cbet1, double cbet2,
                         bool wants12b, out double ps12b, bool wantm12b, out double pm12b, bool wantm0, out double pm0,
                         bool wantM, out double pM12, out double pM21,
                         // Scratch area of the right size
                         Span<double> Ca)
    {
        double m0 = 0, J12 = 0, A1 = 0, A2 = 0;
        Span<double> Cb = stackalloc double[nC];
        ps12b = pm12b = pm0 = pM12 = pM21 = 0;

        // Return m12b = (reduced length)/b; also calculate s12b = distance/b,
        // and m0 = coefficient of secular term in expression for reduced length.
        bool redlp = wantm12b || wantm0 || wantM;
        if (wants12b || redlp)
        {
            A1 = A1m1f(eps);
            C1f(eps, Ca);
            if (redlp)
            {
                A2 = A2m1f(eps);
                C2f(eps, Cb);
                m0 = A1 - A2;
                A2 = 1 + A2;
            }
            A1 = 1 + A1;
        }
        if (wants12b)
        {
            double B1 = SinCosSeries(true, ssig2, csig2, Ca, nC1) -
              SinCosSeries(true, ssig1, csig1, Ca, nC1);
            // Missing a factor of b
            ps12b = A1 * (sig12 + B1);
            if (redlp)
            {
                double B2 = SinCosSeries(true, ssig2, csig2, Cb, nC2) -
                  SinCosSeries(true, ssig1, csig1, Cb, nC2);
                J12 = m0 * sig12 + (A1 * B1 - A2 * B2);
            }
        }
        else if (redlp)
        {
            // Assume here that nC1 >= nC2
            for (int l = 1; l <= nC2; ++l)
                Cb[l] = A1 * Ca[l] - A2 * Cb[l];
            J12 = m0 * sig12 + (SinCosSeries(true, ssig2, csig2, Cb, nC2) -
                                SinCosSeries(true, ssig1, csig1, Cb, nC2));
        }
        if (wantm0) pm0 = m0;
        if (wantm12b)
            // Missing a factor of b.
            // Add parens around (csig1 * ssig2) and (ssig1 * csig2) to ensure
            // accurate cancellation in the case of coincident points.
            pm12b = dn2 * (csig1 * ssig2) - dn1 * (ssig1 * csig2) -
              csig1 * csig2 * J12;
        if (wantM)
        {
            double csig12 = csig1 * csig2 + ssig1 * ssig2;
            double t = ep2 * (cbet1 - cbet2) * (cbet1 + cbet2) / (dn1 + dn2);
            pM12 = csig12 + (t * ssig2 - csig2 * J12) * ssig1 / dn1;
            pM21 = csig12 - (t * ssig1 - csig1 * J12) * ssig2 / dn2;
        }
    }

    private static double Astroid(double x, double y)
    {
        // Solve k^4+2*k^3-(x^2+y^2-1)*k^2-2*y^2*k-y^2 = 0 for positive root k.
        // This solution is adapted from Geocentric::Reverse.
        double k;
        double
          p = sq(x),
          q = sq(y),
          r = (p + q - 1) / 6;
        if (!(q == 0 && r <= 0))
        {
            double
              // Avoid possible division by zero when r = 0 by multiplying equations
              // for s and t by r^3 and r, resp.
              S = p * q / 4,            // S = r^3 * s
              r2 = sq(r),
              r3 = r * r2,
              // The discriminant of the quadratic equation for T3.  This is zero on
              // the evolute curve p^(1/3)+q^(1/3) = 1
              disc = S * (S + 2 * r3);
            double u = r;
            double v, uv, w;
            if (disc >= 0)
            {
                double T3 = S + r3, T;
                // Pick the sign on the sqrt to maximize abs(T3).  This minimizes loss
                // of precision due to cancellation.  The result is unchanged because
                // of the way the T is used in definition of u.
                T3 += T3 < 0 ? -Math.Sqrt(disc) : Math.Sqrt(disc); // T3 = (r * t)^3
                // N.B. cbrt always returns the double root.  cbrt(-8) = -2.
                T = Math.Cbrt(T3);            // T = r * t
                // T can be zero; but then r2 / T -> 0.
                u += T + (T != 0 ? r2 / T : 0);
            }
            else
            {
                // T is complex, but the way u is defined the result is double.
                double ang = Math.Atan2(Math.Sqrt(-disc), -(S + r3));
                // There are three possible cube roots.  We choose the root which
                // avoids cancellation.  Note that disc < 0 implies that r < 0.
                u += 2 * r * Math.Cos(ang / 3);
            }
            v = Math.Sqrt(sq(u) + q);              // guaranteed positive
            // Avoid loss of accuracy when u < 0.
            uv = u < 0 ? q / (v - u) : u + v;      // u+v, guaranteed positive
            w = (uv - q) / (2 * v);                // positive?
            // Rearrange expression for k to avoid loss of accuracy due to
            // subtraction.  Division by 0 not possible because uv > 0, w >= 0.
            k = uv / (Math.Sqrt(uv + sq(w)) + w);  // guaranteed positive
        }
        else
        {               // q == 0 && r <= 0
            // y = 0 with |x| <= 1.  Handle this case directly.
            // for y small, positive root is k = abs(y)/sqrt(1-x^2)
            k = 0;
        }
        return k;
    }

    private double InverseStart(double sbet1, double cbet1, double dn1,
                                double sbet2, double cbet2, double dn2,
                                double lam12, double slam12, double clam12,
                                ref double psalp1, ref double pcalp1,
                                // Only updated if return val >= 0
                                ref double psalp2, ref double pcalp2,
                                // Only updated for short lines
                                ref double pdnm,
                                // Scratch area of the right size
                                Span<double> Ca)
    {
        double salp1, calp1, salp2 = 0, calp2 = 0, dnm = 0;

        // Return a starting point for Newton's method in salp1 and calp1 (function
        // value is -1).  If Newton's method doesn't need to be used, return also
        // salp2 and calp2 and function value is sig12.
        double
          sig12 = -1,               // Return value
          // bet12 = bet2 - bet1 in [0, pi); bet12a = bet2 + bet1 in (-pi, 0]
          sbet12 = sbet2 * cbet1 - cbet2 * sbet1,
          cbet12 = cbet2 * cbet1 + sbet2 * sbet1;
        double sbet12a;
        bool shortline = cbet12 >= 0 && sbet12 < 0.5 && cbet2 * lam12 < 0.5;
        double somg12, comg12, ssig12, csig12;
        sbet12a = sbet2 * cbet1 + cbet2 * sbet1;
        if (shortline)
        {
            double sbetm2 = sq(sbet1 + sbet2), omg12;
            // sin((bet1+bet2)/2)^2
            // =  (sbet1 + sbet2)^2 / ((sbet1 + sbet2)^2 + (cbet1 + cbet2)^2)
            sbetm2 /= sbetm2 + sq(cbet1 + cbet2);
            dnm = Math.Sqrt(1 + ep2 * sbetm2);
            omg12 = lam12 / (f1 * dnm);
            somg12 = Math.Sin(omg12); comg12 = Math.Cos(omg12);
        }
        else
        {
            somg12 = slam12; comg12 = clam12;
        }

        salp1 = cbet2 * somg12;
        calp1 = comg12 >= 0 ?
          sbet12 + cbet2 * sbet1 * sq(somg12) / (1 + comg12) :
          sbet12a - cbet2 * sbet1 * sq(somg12) / (1 - comg12);

        ssig12 = double.Hypot(salp1, calp1);
        csig12 = sbet1 * sbet2 + cbet1 * cbet2 * comg12;

        if (shortline && ssig12 < etol2)
        {
            // really short lines
            salp2 = cbet1 * somg12;
            calp2 = sbet12 - cbet1 * sbet2 *
              (comg12 >= 0 ? sq(somg12) / (1 + comg12) : 1 - comg12);
            norm2(ref salp2, ref calp2);
            // Set return value
            sig12 = Math.Atan2(ssig12, csig12);
        }
        else if (Math.Abs(n) > 0.1 || // No astroid calc if too eccentric
                 csig12 >= 0 ||
                 ssig12 >= 6 * Math.Abs(n) * Math.PI * sq(cbet1))
        {
            // Nothing to do, zeroth order spherical approximation is OK
        }
        else
        {
            // Scale lam12 and bet2 to x, y coordinate system where antipodal point
            // is at origin and singular point is at y = 0, x = -1.
            double x, y, lamscale, betscale;
            double lam12x = Math.Atan2(-slam12, -clam12); // lam12 - pi
            if (f >= 0)
            {            // In fact f == 0 does not get here
                // x = dlong, y = dlat
                {
                    double
                      k2 = sq(sbet1) * ep2,
                      eps = k2 / (2 * (1 + Math.Sqrt(1 + k2)) + k2);
                    lamscale = f * cbet1 * A3f(eps) * Math.PI;
                }
                betscale = lamscale * cbet1;

                x = lam12x / lamscale;
                y = sbet12a / betscale;
            }
            else
            {                    // f < 0
                // x = dlat, y = dlong
                double
                  cbet12a = cbet2 * cbet1 - sbet2 * sbet1,
                  bet12a = Math.Atan2(sbet12a, cbet12a);
                // In the case of lon12 = 180, this repeats a calculation made in
                // Inverse.
                Lengths(n, Math.PI + bet12a,
                        sbet1, -cbet1, dn1, sbet2, cbet2, dn2,
                        cbet1, cbet2, false, out _, true, out double m12b, true, out double m0,
                        false, out _, out _, Ca);
                x = -1 + m12b / (cbet1 * cbet2 * m0 * Math.PI);
                betscale = x < -0.01 ? sbet12a / x :
                  -f * sq(cbet1) * Math.PI;
                lamscale = betscale / cbet1;
                y = lam12x / lamscale;
            }

            if (y > -tol1 && x > -1 - xthresh)
            {
                // strip near cut
                if (f >= 0)
                {
                    salp1 = double.MinNumber(1.0, -x); calp1 = -Math.Sqrt(1 - sq(salp1));
                }
                else
                {
                    calp1 = double.MaxNumber(x > -tol1 ? 0.0 : -1.0, x);
                    salp1 = Math.Sqrt(1 - sq(calp1));
                }
            }
            else
            {
                // Estimate alp1, by solving the astroid problem.
                //
                // Could estimate alpha1 = theta + pi/2, directly, i.e.,
                //   calp1 = y/k; salp1 = -x/(1+k);  for f >= 0
                //   calp1 = x/(1+k); salp1 = -y/k;  for f < 0 (need to check)
                //
                // However, it's better to estimate omg12 from astroid and use
                // spherical formula to compute alp1.  This reduces the mean number of
                // Newton iterations for astroid cases from 2.24 (min 0, max 6) to 2.12
                // (min 0 max 5).
                //
                // Because omg12 is near pi, estimate work with omg12a = pi - omg12
                double k = Astroid(x, y);
                double
                  omg12a = lamscale * (f >= 0 ? -x * k / (1 + k) : -y * (1 + k) / k);
                somg12 = Math.Sin(omg12a); comg12 = -Math.Cos(omg12a);
                // Update spherical estimate of alp1 using omg12 instead of lam12
                salp1 = cbet2 * somg12;
                calp1 = sbet12a - cbet2 * sbet1 * sq(somg12) / (1 - comg12);
            }
        }
        // Sanity check on starting guess.  Backwards check allows NaN through.
        if (!(salp1 <= 0))
            norm2(ref salp1, ref calp1);
        else
        {
            salp1 = 1; calp1 = 0;
        }

        psalp1 = salp1;
        pcalp1 = calp1;
        if (shortline)
            pdnm = dnm;
        if (sig12 >= 0)
        {
            psalp2 = salp2;
            pcalp2 = calp2;
        }
        return sig12;
    }

    private double Lambda12(double sbet1, double cbet1, double dn1,
                            double sbet2, double cbet2, double dn2,
                            double salp1, double calp1,
                            double slam120, double clam120,
                            out double psalp2, out double pcalp2,
                            out double psig12,
                            out double pssig1, out double pcsig1,
                            out double pssig2, out double pcsig2,
                            out double peps,
                            out double pdomg12,
                            bool diffp, out double pdlam12,
                            // Scratch area of the right size
                            Span<double> Ca)
    {
        double salp2, calp2, sig12,
          ssig1, csig1, ssig2, csig2, eps,
          domg12, dlam12 = 0;
        double salp0, calp0;
        double somg1, comg1, somg2, comg2, somg12, comg12, lam12;
        double B312, eta, k2;

        if (sbet1 == 0 && calp1 == 0)
            // Break degeneracy of equatorial line.  This case has already been
            // handled.
            calp1 = -tiny;

        // sin(alp1) * cos(bet1) = sin(alp0)
        salp0 = salp1 * cbet1;
        calp0 = double.Hypot(calp1, salp1 * sbet1); // calp0 > 0

        // tan(bet1) = tan(sig1) * cos(alp1)
        // tan(omg1) = sin(alp0) * tan(sig1) = tan(omg1)=tan(alp1)*sin(bet1)
        ssig1 = sbet1; somg1 = salp0 * sbet1;
        csig1 = comg1 = calp1 * cbet1;
        norm2(ref ssig1, ref csig1);
        // norm2(&somg1, &comg1); -- don't need to normalize!

        // Enforce symmetries in the case abs(bet2) = -bet1.  Need to be careful
        // about this case, since this can yield singularities in the Newton
        // iteration.
        // sin(alp2) * cos(bet2) = sin(alp0)
        salp2 = cbet2 != cbet1 ? salp0 / cbet2 : salp1;
        // calp2 = sqrt(1 - sq(salp2))
        //       = sqrt(sq(calp0) - sq(sbet2)) / cbet2
        // and subst for calp0 and rearrange to give (choose positive sqrt
        // to give alp2 in [0, pi/2]).
        calp2 = cbet2 != cbet1 || Math.Abs(sbet2) != -sbet1 ?
          Math.Sqrt(sq(calp1 * cbet1) +
                    (cbet1 < -sbet1 ?
                     (cbet2 - cbet1) * (cbet1 + cbet2) :
                     (sbet1 - sbet2) * (sbet1 + sbet2))) / cbet2 :
          Math.Abs(calp1);
        // tan(bet2) = tan(sig2) * cos(alp2)
        // tan(omg2) = sin(alp0) * tan(sig2).
        ssig2 = sbet2; somg2 = salp0 * sbet2;
        csig2 = comg2 = calp2 * cbet2;
        norm2(ref ssig2, ref csig2);
        // norm2(&somg2, &comg2); -- don't need to normalize!

        // sig12 = sig2 - sig1, limit to [0, pi]
        sig12 = Math.Atan2(double.MaxNumber(0.0, csig1 * ssig2 - ssig1 * csig2) + 0,
                           csig1 * csig2 + ssig1 * ssig2);

        // omg12 = omg2 - omg1, limit to [0, pi]
        somg12 = double.MaxNumber(0.0, comg1 * somg2 - somg1 * comg2) + 0;
        comg12 = comg1 * comg2 + somg1 * somg2;
        // eta = omg12 - lam120
        eta = Math.Atan2(somg12 * clam120 - comg12 * slam120,
                         comg12 * clam120 + somg12 * slam120);
        k2 = sq(calp0) * ep2;
        eps = k2 / (2 * (1 + Math.Sqrt(1 + k2)) + k2);
        C3f(eps, Ca);
        B312 = (SinCosSeries(true, ssig2, csig2, Ca, nC3 - 1) -
                SinCosSeries(true, ssig1, csig1, Ca, nC3 - 1));
        domg12 = -f * A3f(eps) * salp0 * (sig12 + B312);
        lam12 = eta + domg12;

        if (diffp)
        {
            if (calp2 == 0)
                dlam12 = -2 * f1 * dn1 / sbet1;
            else
            {
                Lengths(eps, sig12, ssig1, csig1, dn1, ssig2, csig2, dn2,
                        cbet1, cbet2, false, out _, true, out dlam12, false, out _, false, out _, out _, Ca);
                dlam12 *= f1 / (calp2 * cbet2);
            }
        }

        psalp2 = salp2;
        pcalp2 = calp2;
        psig12 = sig12;
        pssig1 = ssig1;
        pcsig1 = csig1;
        pssig2 = ssig2;
        pcsig2 = csig2;
        peps = eps;
        pdomg12 = domg12;
        pdlam12 = dlam12;

        return lam12;
    }

    private double A3f(double eps) =>
        // Evaluate A3
        polyvalx(nA3 - 1, A3x, 0, eps);

    private void C3f(double eps, Span<double> c)
    {
        // Evaluate C3 coeffs
        // Elements c[1] through c[nC3 - 1] are set
        double mult = 1;
        int o = 0;
        for (int l = 1; l < nC3; ++l)
        { // l is index of C3[l]
            int m = nC3 - l - 1;        // order of polynomial in eps
            mult *= eps;
            c[l] = mult * polyvalx(m, C3x, o, eps);
            o += m + 1;
        }
    }

    private void C4f(double eps, Span<double> c)
    {
        // Evaluate C4 coeffs
        // Elements c[0] through c[nC4 - 1] are set
        double mult = 1;
        int o = 0;
        for (int l = 0; l < nC4; ++l)
        { // l is index of C4[l]
            int m = nC4 - l - 1;        // order of polynomial in eps
            c[l] = mult * polyvalx(m, C4x, o, eps);
            o += m + 1;
            mult *= eps;
        }
    }

    // The scale factor A1-1 = mean value of (d/dsigma)I1 - 1
    private static readonly double[] A1m1coeff = [
        // (1-eps)*A1-1, polynomial in eps2 of order 3
        1, 4, 64, 0, 256,
    ];

    private static double A1m1f(double eps)
    {
        int m = nA1 / 2;
        double t = polyvalx(m, A1m1coeff, 0, sq(eps)) / A1m1coeff[m + 1];
        return (t + eps) / (1 - eps);
    }

    // The coefficients C1[l] in the Fourier expansion of B1
    private static readonly double[] C1coeff = [
        // C1[1]/eps^1, polynomial in eps2 of order 2
        -1, 6, -16, 32,
        // C1[2]/eps^2, polynomial in eps2 of order 2
        -9, 64, -128, 2048,
        // C1[3]/eps^3, polynomial in eps2 of order 1
        9, -16, 768,
        // C1[4]/eps^4, polynomial in eps2 of order 1
        3, -5, 512,
        // C1[5]/eps^5, polynomial in eps2 of order 0
        -7, 1280,
        // C1[6]/eps^6, polynomial in eps2 of order 0
        -7, 2048,
    ];

    private static void C1f(double eps, Span<double> c)
    {
        double
          eps2 = sq(eps),
          d = eps;
        int o = 0;
        for (int l = 1; l <= nC1; ++l)
        {  // l is index of C1p[l]
            int m = (nC1 - l) / 2;      // order of polynomial in eps^2
            c[l] = d * polyvalx(m, C1coeff, o, eps2) / C1coeff[o + m + 1];
            o += m + 2;
            d *= eps;
        }
    }

    // The coefficients C1p[l] in the Fourier expansion of B1p
    private static readonly double[] C1pcoeff = [
        // C1p[1]/eps^1, polynomial in eps2 of order 2
        205, -432, 768, 1536,
        // C1p[2]/eps^2, polynomial in eps2 of order 2
        4005, -4736, 3840, 12288,
        // C1p[3]/eps^3, polynomial in eps2 of order 1
        -225, 116, 384,
        // C1p[4]/eps^4, polynomial in eps2 of order 1
        -7173, 2695, 7680,
        // C1p[5]/eps^5, polynomial in eps2 of order 0
        3467, 7680,
        // C1p[6]/eps^6, polynomial in eps2 of order 0
        38081, 61440,
    ];

    private static void C1pf(double eps, Span<double> c)
    {
        double
          eps2 = sq(eps),
          d = eps;
        int o = 0;
        for (int l = 1; l <= nC1p; ++l)
        { // l is index of C1p[l]
            int m = (nC1p - l) / 2;     // order of polynomial in eps^2
            c[l] = d * polyvalx(m, C1pcoeff, o, eps2) / C1pcoeff[o + m + 1];
            o += m + 2;
            d *= eps;
        }
    }

    // The scale factor A2-1 = mean value of (d/dsigma)I2 - 1
    private static readonly double[] A2m1coeff = [
        // (eps+1)*A2-1, polynomial in eps2 of order 3
        -11, -28, -192, 0, 256,
    ];

    private static double A2m1f(double eps)
    {
        int m = nA2 / 2;
        double t = polyvalx(m, A2m1coeff, 0, sq(eps)) / A2m1coeff[m + 1];
        return (t - eps) / (1 + eps);
    }

    // The coefficients C2[l] in the Fourier expansion of B2
    private static readonly double[] C2coeff = [
        // C2[1]/eps^1, polynomial in eps2 of order 2
        1, 2, 16, 32,
        // C2[2]/eps^2, polynomial in eps2 of order 2
        35, 64, 384, 2048,
        // C2[3]/eps^3, polynomial in eps2 of order 1
        15, 80, 768,
        // C2[4]/eps^4, polynomial in eps2 of order 1
        7, 35, 512,
        // C2[5]/eps^5, polynomial in eps2 of order 0
        63, 1280,
        // C2[6]/eps^6, polynomial in eps2 of order 0
        77, 2048,
    ];

    private static void C2f(double eps, Span<double> c)
    {
        double
          eps2 = sq(eps),
          d = eps;
        int o = 0;
        for (int l = 1; l <= nC2; ++l)
        { // l is index of C2[l]
            int m = (nC2 - l) / 2;     // order of polynomial in eps^2
            c[l] = d * polyvalx(m, C2coeff, o, eps2) / C2coeff[o + m + 1];
            o += m + 2;
            d *= eps;
        }
    }

    // The scale factor A3 = mean value of (d/dsigma)I3
    private static readonly double[] A3coeffs = [
        // A3, coeff of eps^5, polynomial in n of order 0
        -3, 128,
        // A3, coeff of eps^4, polynomial in n of order 1
        -2, -3, 64,
        // A3, coeff of eps^3, polynomial in n of order 2
        -1, -3, -1, 16,
        // A3, coeff of eps^2, polynomial in n of order 2
        3, -1, -2, 8,
        // A3, coeff of eps^1, polynomial in n of order 1
        1, -1, 2,
        // A3, coeff of eps^0, polynomial in n of order 0
        1, 1,
    ];

    private void A3coeff()
    {
        int o = 0, k = 0;
        for (int j = nA3 - 1; j >= 0; --j)
        {             // coeff of eps^j
            int m = nA3 - j - 1 < j ? nA3 - j - 1 : j; // order of polynomial in n
            A3x[k++] = polyvalx(m, A3coeffs, o, n) / A3coeffs[o + m + 1];
            o += m + 2;
        }
    }

    // The coefficients C3[l] in the Fourier expansion of B3
    private static readonly double[] C3coeffs = [
        // C3[1], coeff of eps^5, polynomial in n of order 0
        3, 128,
        // C3[1], coeff of eps^4, polynomial in n of order 1
        2, 5, 128,
        // C3[1], coeff of eps^3, polynomial in n of order 2
        -1, 3, 3, 64,
        // C3[1], coeff of eps^2, polynomial in n of order 2
        -1, 0, 1, 8,
        // C3[1], coeff of eps^1, polynomial in n of order 1
        -1, 1, 4,
        // C3[2], coeff of eps^5, polynomial in n of order 0
        5, 256,
        // C3[2], coeff of eps^4, polynomial in n of order 1
        1, 3, 128,
        // C3[2], coeff of eps^3, polynomial in n of order 2
        -3, -2, 3, 64,
        // C3[2], coeff of eps^2, polynomial in n of order 2
        1, -3, 2, 32,
        // C3[3], coeff of eps^5, polynomial in n of order 0
        7, 512,
        // C3[3], coeff of eps^4, polynomial in n of order 1
        -10, 9, 384,
        // C3[3], coeff of eps^3, polynomial in n of order 2
        5, -9, 5, 192,
        // C3[4], coeff of eps^5, polynomial in n of order 0
        7, 512,
        // C3[4], coeff of eps^4, polynomial in n of order 1
        -14, 7, 512,
        // C3[5], coeff of eps^5, polynomial in n of order 0
        21, 2560,
    ];

    private void C3coeff()
    {
        int o = 0, k = 0;
        for (int l = 1; l < nC3; ++l)
        {                    // l is index of C3[l]
            for (int j = nC3 - 1; j >= l; --j)
            {             // coeff of eps^j
                int m = nC3 - j - 1 < j ? nC3 - j - 1 : j; // order of polynomial in n
                C3x[k++] = polyvalx(m, C3coeffs, o, n) / C3coeffs[o + m + 1];
                o += m + 2;
            }
        }
    }

    // The coefficients C4[l] in the Fourier expansion of I4
    private static readonly double[] C4coeffs = [
        // C4[0], coeff of eps^5, polynomial in n of order 0
        97, 15015,
        // C4[0], coeff of eps^4, polynomial in n of order 1
        1088, 156, 45045,
        // C4[0], coeff of eps^3, polynomial in n of order 2
        -224, -4784, 1573, 45045,
        // C4[0], coeff of eps^2, polynomial in n of order 3
        -10656, 14144, -4576, -858, 45045,
        // C4[0], coeff of eps^1, polynomial in n of order 4
        64, 624, -4576, 6864, -3003, 15015,
        // C4[0], coeff of eps^0, polynomial in n of order 5
        100, 208, 572, 3432, -12012, 30030, 45045,
        // C4[1], coeff of eps^5, polynomial in n of order 0
        1, 9009,
        // C4[1], coeff of eps^4, polynomial in n of order 1
        -2944, 468, 135135,
        // C4[1], coeff of eps^3, polynomial in n of order 2
        5792, 1040, -1287, 135135,
        // C4[1], coeff of eps^2, polynomial in n of order 3
        5952, -11648, 9152, -2574, 135135,
        // C4[1], coeff of eps^1, polynomial in n of order 4
        -64, -624, 4576, -6864, 3003, 135135,
        // C4[2], coeff of eps^5, polynomial in n of order 0
        8, 10725,
        // C4[2], coeff of eps^4, polynomial in n of order 1
        1856, -936, 225225,
        // C4[2], coeff of eps^3, polynomial in n of order 2
        -8448, 4992, -1144, 225225,
        // C4[2], coeff of eps^2, polynomial in n of order 3
        -1440, 4160, -4576, 1716, 225225,
        // C4[3], coeff of eps^5, polynomial in n of order 0
        -136, 63063,
        // C4[3], coeff of eps^4, polynomial in n of order 1
        1024, -208, 105105,
        // C4[3], coeff of eps^3, polynomial in n of order 2
        3584, -3328, 1144, 315315,
        // C4[4], coeff of eps^5, polynomial in n of order 0
        -128, 135135,
        // C4[4], coeff of eps^4, polynomial in n of order 1
        -2560, 832, 405405,
        // C4[5], coeff of eps^5, polynomial in n of order 0
        128, 99099,
    ];

    private void C4coeff()
    {
        int o = 0, k = 0;
        for (int l = 0; l < nC4; ++l)
        {        // l is index of C4[l]
            for (int j = nC4 - 1; j >= l; --j)
            { // coeff of eps^j
                int m = nC4 - j - 1;           // order of polynomial in n
                C4x[k++] = polyvalx(m, C4coeffs, o, n) / C4coeffs[o + m + 1];
                o += m + 2;
            }
        }
    }
}
