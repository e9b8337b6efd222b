using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// Geodesic lengths and areas on WGS84 for the demo generator: Vincenty's inverse formula for distances and
/// an equal-area cylindrical projection of the ellipsoid for areas (exact up to the difference between
/// geodesic and projected edges, which is far below a square metre for the short edges used here).
/// </summary>
/// <remarks>Interim helper until <c>GeoReadiness.Spatial.Geodesy.GeodesicMeasure</c> is available.</remarks>
internal static class DemoMeasure
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double B = A * (1 - F);
    private static readonly double E2 = F * (2 - F);
    private static readonly double E = Math.Sqrt(F * (2 - F));

    /// <summary>Geodesic distance in metres between two lon/lat coordinates.</summary>
    public static double Distance(Coordinate a, Coordinate b) => Vincenty(a.Y, a.X, b.Y, b.X);

    /// <summary>Geodesic length in metres of the lines in <paramref name="g"/> (polygon rings count as their perimeter).</summary>
    public static double Length(Geometry g)
    {
        var total = 0.0;
        for (var i = 0; i < g.NumGeometries; i++)
        {
            var part = g.GetGeometryN(i);
            switch (part)
            {
                case LineString l:
                    total += LineLength(l.CoordinateSequence);
                    break;
                case Polygon p:
                    total += LineLength(p.ExteriorRing.CoordinateSequence);
                    foreach (var hole in p.InteriorRings) total += LineLength(hole.CoordinateSequence);
                    break;
            }
        }
        return total;
    }

    /// <summary>Ellipsoidal area in m² of the polygons in <paramref name="g"/>.</summary>
    public static double Area(Geometry g)
    {
        var total = 0.0;
        for (var i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is not Polygon p) continue;
            total += Math.Abs(RingArea(p.ExteriorRing.CoordinateSequence));
            foreach (var hole in p.InteriorRings) total -= Math.Abs(RingArea(hole.CoordinateSequence));
        }
        return total;
    }

    private static double LineLength(CoordinateSequence s)
    {
        var total = 0.0;
        for (var i = 1; i < s.Count; i++) total += Vincenty(s.GetY(i - 1), s.GetX(i - 1), s.GetY(i), s.GetX(i));
        return total;
    }

    private static double RingArea(CoordinateSequence s)
    {
        // Lambert cylindrical equal-area on the ellipsoid: x = a·λ, y = a·q(φ)/2.
        var sum = 0.0;
        for (var i = 1; i < s.Count; i++)
        {
            double x0 = A * Rad(s.GetX(i - 1)), y0 = A * Q(Rad(s.GetY(i - 1))) / 2;
            double x1 = A * Rad(s.GetX(i)), y1 = A * Q(Rad(s.GetY(i))) / 2;
            sum += x0 * y1 - x1 * y0;
        }
        return sum / 2;
    }

    private static double Q(double phi)
    {
        var s = Math.Sin(phi);
        return (1 - E2) * (s / (1 - E2 * s * s) - 1 / (2 * E) * Math.Log((1 - E * s) / (1 + E * s)));
    }

    private static double Rad(double deg) => deg * Math.PI / 180.0;

    private static double Vincenty(double lat1, double lon1, double lat2, double lon2)
    {
        if (lat1 == lat2 && lon1 == lon2) return 0;
        var l = Rad(lon2 - lon1);
        var u1 = Math.Atan((1 - F) * Math.Tan(Rad(lat1)));
        var u2 = Math.Atan((1 - F) * Math.Tan(Rad(lat2)));
        double sinU1 = Math.Sin(u1), cosU1 = Math.Cos(u1), sinU2 = Math.Sin(u2), cosU2 = Math.Cos(u2);
        var lambda = l;
        double sinSigma, cosSigma, sigma, cos2Alpha, cos2SigmaM;
        var iterations = 0;
        while (true)
        {
            double sinLambda = Math.Sin(lambda), cosLambda = Math.Cos(lambda);
            sinSigma = Math.Sqrt(Math.Pow(cosU2 * sinLambda, 2) + Math.Pow(cosU1 * sinU2 - sinU1 * cosU2 * cosLambda, 2));
            if (sinSigma == 0) return 0;
            cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
            sigma = Math.Atan2(sinSigma, cosSigma);
            var sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            cos2Alpha = 1 - sinAlpha * sinAlpha;
            cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha;
            var c = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
            var previous = lambda;
            lambda = l + (1 - c) * F * sinAlpha * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
            if (Math.Abs(lambda - previous) < 1e-12 || ++iterations > 200) break;
        }
        var uSq = cos2Alpha * (A * A - B * B) / (B * B);
        var bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
        var bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
        var deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
            - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
        return B * bigA * (sigma - deltaSigma);
    }
}
