/*
 * C# port of the polygon area routines of GeographicLib (C version, geodesic.c:
 * geod_polygon_init / geod_polygon_addpoint / geod_polygon_compute, transit, the accumulator and areareduceA).
 *
 * Copyright (c) Charles Karney (2012-2022) <charles@karney.com> and licensed
 * under the MIT/X11 License.  For more information, see
 * https://geographiclib.sourceforge.io/
 *
 * See THIRD-PARTY-NOTICES.md at the repository root for the full licence text.
 */

namespace GeoReadiness.Spatial.Geodesy;

/// <summary>
/// Area and perimeter of a geodesic polygon or length of a geodesic polyline (struct geod_polygon). Edges are
/// geodesics; the polygon closes itself (the last point joins the first). Not thread-safe: one instance per
/// computation (it is a cheap mutable accumulator).
/// </summary>
internal sealed class PolygonArea
{
    private readonly Geodesic g;
    private readonly bool polyline;
    private double lat0, lon0, lat, lon;
    private readonly double[] P = new double[2];   // perimeter accumulator
    private readonly double[] A = new double[2];   // area accumulator
    private int crossings;

    internal PolygonArea(Geodesic g, bool polyline)
    {
        this.g = g;
        this.polyline = polyline;
        Clear();
    }

    /// <summary>Number of points added so far.</summary>
    internal int Count { get; private set; }

    internal void Clear()
    {
        lat0 = lon0 = lat = lon = double.NaN;
        accini(P);
        accini(A);
        Count = crossings = 0;
    }

    /// <summary>geod_polygon_addpoint.</summary>
    internal void AddPoint(double lat, double lon)
    {
        if (Count == 0)
        {
            lat0 = this.lat = lat;
            lon0 = this.lon = lon;
        }
        else
        {
            g.GenInverse(this.lat, this.lon, lat, lon,
                         polyline ? Geodesic.GEOD_DISTANCE : Geodesic.GEOD_DISTANCE | Geodesic.GEOD_AREA, out var r);
            accadd(P, r.s12);
            if (!polyline)
            {
                accadd(A, r.S12);
                crossings += transit(this.lon, lon);
            }
            this.lat = lat; this.lon = lon;
        }
        ++Count;
    }

    /// <summary>
    /// geod_polygon_compute: the perimeter (or polyline length) and, for polygons, the area. With
    /// <paramref name="reverse"/> false, counter-clockwise traversal counts as positive; with <paramref name="sign"/>
    /// true the area is signed in (-A/2, A/2] (A = ellipsoid area), else in [0, A).
    /// </summary>
    internal (double Area, double Perimeter) Compute(bool reverse, bool sign)
    {
        if (Count < 2)
            return (0, 0);
        if (polyline)
            return (0, P[0]);
        g.GenInverse(lat, lon, lat0, lon0, Geodesic.GEOD_DISTANCE | Geodesic.GEOD_AREA, out var r);
        double perimeter = accsum(P, r.s12);
        double[] t = new double[2];
        acccopy(A, t);
        accadd(t, r.S12);
        double area = areareduceA(t, g.EllipsoidArea, crossings + transit(lon, lon0), reverse, sign);
        return (area, perimeter);
    }

    private static int transit(double lon1, double lon2)
    {
        // Return 1 or -1 if crossing prime meridian in east or west direction.
        // Otherwise return zero.
        // Compute lon12 the same way as Geodesic::Inverse.
        double lon12 = Geodesic.AngDiff(lon1, lon2, out _);
        lon1 = Geodesic.AngNormalize(lon1);
        lon2 = Geodesic.AngNormalize(lon2);
        return
          lon12 > 0 && ((lon1 < 0 && lon2 >= 0) ||
                        (lon1 > 0 && lon2 == 0)) ? 1 :
          (lon12 < 0 && lon1 >= 0 && lon2 < 0 ? -1 : 0);
    }

    // The accumulator: an array of two doubles holding an unevaluated sum s[0] + s[1].

    private static void accini(double[] s)
    {
        // Initialize an accumulator; this is an array with two elements.
        s[0] = s[1] = 0;
    }

    private static void acccopy(double[] s, double[] t)
    {
        // Copy an accumulator; t = s.
        t[0] = s[0]; t[1] = s[1];
    }

    private static void accadd(double[] s, double y)
    {
        // Add y to an accumulator.
        double z = Geodesic.sumx(y, s[1], out double u);
        s[0] = Geodesic.sumx(z, s[0], out s[1]);
        if (s[0] == 0)
            s[0] = u;
        else
            s[1] += u;
    }

    private static double accsum(double[] s, double y)
    {
        // Return accumulator + y (but don't add to accumulator).
        double[] t = new double[2];
        acccopy(s, t);
        accadd(t, y);
        return t[0];
    }

    private static void accneg(double[] s)
    {
        // Negate an accumulator.
        s[0] = -s[0]; s[1] = -s[1];
    }

    private static void accrem(double[] s, double y)
    {
        // Reduce to [-y/2, y/2].
        s[0] = Math.IEEERemainder(s[0], y);
        accadd(s, 0.0);
    }

    private static double areareduceA(double[] area, double area0, int crossings, bool reverse, bool sign)
    {
        accrem(area, area0);
        if ((crossings & 1) != 0)
            accadd(area, (area[0] < 0 ? 1 : -1) * area0 / 2);
        // area is with the clockwise sense.  If !reverse convert to
        // counter-clockwise convention.
        if (!reverse)
            accneg(area);
        // If sign put area in (-area0/2, area0/2], else put area in [0, area0)
        if (sign)
        {
            if (area[0] > area0 / 2)
                accadd(area, -area0);
            else if (area[0] <= -area0 / 2)
                accadd(area, +area0);
        }
        else
        {
            if (area[0] >= area0)
                accadd(area, -area0);
            else if (area[0] < 0)
                accadd(area, +area0);
        }
        return 0 + area[0];
    }
}
