using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Geodesy;

/// <summary>
/// Distance from a position to a geometry on the WGS84 ellipsoid that reproduces PostGIS 3.3 <c>geography</c>
/// (<c>ST_Distance</c> and <c>ST_DWithin</c> with <c>use_spheroid = true</c>, the default), method included, so that
/// an in-memory engine and PostGIS count exactly the same features within a distance.
/// </summary>
/// <remarks>
/// <para><b>The method</b> (as read in PostGIS's liblwgeom: <c>lwgeom_distance_spheroid</c>,
/// <c>ptarray_distance_spheroid</c>, <c>circ_tree_distance_tree</c> / <c>circ_tree_distance_tree_internal</c>,
/// <c>edge_distance_to_point</c>, <c>spheroid_distance</c>, and postgis/geography_measurement.c
/// <c>geography_distance</c> / <c>geography_dwithin</c>):</para>
/// <list type="number">
/// <item>Every vertex is taken to a point on the unit SPHERE: latitude and longitude in radians (normalised), as
/// geodetic angles, and unit geocentric vectors from them. Every edge is the minor great-circle arc between its
/// vertices.</item>
/// <item>For each edge the closest point to the query point is found on the sphere: the query vector is projected
/// onto the edge's great-circle plane (normal from the "robust" cross product of the end points); if that foot lies
/// on the arc it is a candidate, and so are both end points; the candidate at the smallest spherical angle wins.</item>
/// <item>Over all edges (and points) the candidate with the smallest spherical angle is kept.</item>
/// <item>The answer is the ELLIPSOIDAL geodesic distance (GeographicLib <c>geod_inverse</c>, here
/// <see cref="Geodesic"/>) from the query point to that sphere-found closest point. It is therefore not the true
/// ellipsoidal minimum distance (which may be a few cm to m smaller on long edges) but it is what PostGIS returns.</item>
/// <item><c>ST_Distance</c> rounds its result to 10 nm (<c>round(d·1e8)/1e8</c>); <see cref="PointToGeometry"/> does
/// the same. <c>ST_DWithin</c> does not round: it answers true as soon as some edge is, on the sphere of radius
/// (2a+b)/3, closer than 0.95 × the threshold, and otherwise compares the ellipsoidal distance of step 4 with the
/// threshold (<c>&lt;= threshold + 1e-12</c> in the cached tree path); <see cref="IsWithin"/> does the same.</item>
/// <item>A point covered by a polygon is at distance 0; otherwise the distance to a polygon is the distance to its
/// rings (exterior and holes) as above.</item>
/// </list>
/// <para>The arithmetic follows the same operations in the same order (degrees→radians as π·d/180, radians→degrees
/// as r·180/π before <c>geod_inverse</c>, tolerances of 1e-12 and 2e-16 where PostGIS has them), so the closest
/// points agree to the last bits. Measured against PostGIS 3.3.2 (GeodesicDistanceAgreementTests): the unrounded
/// distance is within 6e-9 m of <c>ST_Distance</c>, the rounded one equal or one 1e-8 m step away, and
/// <see cref="IsWithin"/> agrees with <c>ST_DWithin</c> on every pair tested, including points 1e-7 m either side
/// of the threshold; only points within ~2e-9 m of the threshold can be decided differently.</para>
/// <para>PostGIS has two code paths for <c>ST_DWithin</c>: a cached circle tree when one argument repeats from row
/// to row (<c>circ_tree_distance_tree</c>: global spherical minimum, then spheroid, <c>&lt;= d + 1e-12</c>) and a
/// brute-force one otherwise (<c>lwgeom_distance_spheroid</c>: per part, <c>&lt;= d</c>). They differ only in
/// near-ties and in that 1e-12; this class follows the tree path, which <c>ST_Distance</c> always uses.</para>
/// <para><b>Known differences</b>: (a) point-in-polygon is decided in the lon/lat plane (NTS ray crossing), whereas
/// PostGIS tests against great-circle edges; the two can only disagree for points closer to a polygon edge than
/// that edge's bow between chord and arc (sub-metre for edges of a few km), where the distance is tiny either way.
/// (b) Where two edges or parts are equally close on the sphere to within rounding, PostGIS's tree search may keep
/// a different one of them; both give the same distance to within rounding. Geometry collections other than the
/// multi types are searched part by part like the multi types.</para>
/// <para>Coordinates are EPSG:4326 degrees, X = longitude, Y = latitude; SRID is not checked. Pure and
/// thread-safe; nothing is allocated per edge and nothing is cached.</para>
/// </remarks>
public static class GeodesicDistance
{
    // liblwgeom's FP_TOLERANCE
    private const double FpTolerance = 1e-12;
    private const double Wgs84A = 6378137.0;
    private const double Wgs84F = 1 / 298.257223563;
    private const double Wgs84B = Wgs84A * (1 - Wgs84F);
    /// <summary>PostGIS's SPHEROID.radius for WGS84, (2a + b) / 3, the sphere of its shortcut tests.</summary>
    private const double SphereRadius = (2.0 * Wgs84A + Wgs84B) / 3.0;
    /// <summary>geography_distance rounds to 10 nm ("INVMINDIST", ticket #2168).</summary>
    private const double InvMinDist = 1.0e8;

    /// <summary>
    /// Distance in metres from <paramref name="point"/> (X = longitude, Y = latitude) to <paramref name="g"/>, as
    /// PostGIS 3.3's <c>ST_Distance(point::geography, g::geography)</c>: 0 when the point is covered by a polygon of
    /// <paramref name="g"/>, otherwise the ellipsoidal distance to the closest point found on the sphere (see the
    /// class remarks), rounded to 1e-8 m. Supports Point, MultiPoint, LineString (and LinearRing),
    /// MultiLineString, Polygon, MultiPolygon and collections of them. Empty geometries give NaN (PostGIS: NULL).
    /// </summary>
    public static double PointToGeometry(Coordinate point, Geometry g)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(g);
        var q = Query.From(point);
        var s = Search.Start(double.NegativeInfinity);
        Visit(q, point, g, ref s);
        if (!s.Found) return double.NaN;
        if (s.Covered) return 0.0;
        double d = SpheroidDistance(q.Lat, q.Lon, s.NearLat, s.NearLon);
        return Math.Round(d * InvMinDist, MidpointRounding.AwayFromZero) / InvMinDist;
    }

    /// <summary>
    /// Whether <paramref name="point"/> is within <paramref name="metres"/> of <paramref name="g"/>, as PostGIS 3.3's
    /// <c>ST_DWithin(point::geography, g::geography, metres)</c> (inclusive): true when covered by a polygon, or
    /// when some edge is on the sphere closer than 0.95 × <paramref name="metres"/>, or when the unrounded distance
    /// of <see cref="PointToGeometry"/> is at most <paramref name="metres"/> + 1e-12. Empty geometries give false.
    /// Stops at the first edge that decides it.
    /// </summary>
    public static bool IsWithin(Coordinate point, Geometry g, double metres)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(g);
        if (double.IsNaN(metres)) return false;
        var q = Query.From(point);
        // PostGIS compares the running spherical minimum (radians) with 0.95 * threshold / radius and stops there.
        var s = Search.Start(0.95 * metres / SphereRadius);
        Visit(q, point, g, ref s);
        if (!s.Found) return false;
        if (s.Covered) return 0.0 <= metres;
        if (s.Stopped) return true;
        return SpheroidDistance(q.Lat, q.Lon, s.NearLat, s.NearLon) <= metres + FpTolerance;
    }

    /// <summary>The distance of <see cref="PointToGeometry"/> before its rounding to 1e-8 m (NaN when empty). For tests.</summary>
    internal static double UnroundedDistance(Coordinate point, Geometry g, bool prune = true)
    {
        var q = Query.From(point);
        var s = Search.Start(double.NegativeInfinity, prune);
        Visit(q, point, g, ref s);
        if (!s.Found) return double.NaN;
        return s.Covered ? 0.0 : SpheroidDistance(q.Lat, q.Lon, s.NearLat, s.NearLon);
    }

    /// <summary>
    /// The closest point PostGIS finds on the sphere (step 3 of the method), in degrees, or null for an empty
    /// geometry or a point covered by a polygon. For tests and diagnostics.
    /// </summary>
    internal static (double Lat, double Lon)? SphereClosestPoint(Coordinate point, Geometry g)
    {
        var q = Query.From(point);
        var s = Search.Start(double.NegativeInfinity);
        Visit(q, point, g, ref s);
        if (!s.Found || s.Covered) return null;
        return (s.NearLat * 180.0 / Math.PI, s.NearLon * 180.0 / Math.PI);
    }

    /// <summary>The query point on the sphere: geodetic lat/lon in radians and its unit vector.</summary>
    private readonly struct Query
    {
        public readonly double Lat, Lon, X, Y, Z;

        private Query(double lat, double lon)
        {
            Lat = lat;
            Lon = lon;
            (X, Y, Z) = ToCartesian(lat, lon);
        }

        public static Query From(Coordinate c) => new(LatitudeRadians(c.Y), LongitudeRadians(c.X));
    }

    /// <summary>Running state of the search over all edges and points.</summary>
    private struct Search
    {
        public double Min;         // smallest spherical angle so far, radians
        public double NearLat, NearLon;
        public bool Found, Covered, Stopped;
        public double StopBelow;   // radians; NegativeInfinity = never stop early
        public bool Prune;         // skip edges that provably cannot beat Min (does not change the result)
        public double MinChord;    // chord length on the unit sphere of the angle Min

        public static Search Start(double stopBelow, bool prune = true) =>
            new() { Min = double.MaxValue, StopBelow = stopBelow, Prune = prune, MinChord = double.PositiveInfinity };

        public readonly bool Done => Covered || Stopped;

        public void Offer(double d, double lat, double lon)
        {
            Found = true;
            if (d < Min)
            {
                Min = d;
                MinChord = d >= Math.PI ? 2.0 : 2.0 * Math.Sin(d / 2);
                NearLat = lat;
                NearLon = lon;
            }
            if (Min < StopBelow) Stopped = true;
        }
    }

    private static void Visit(in Query q, Coordinate c, Geometry g, ref Search s)
    {
        if (s.Done || g.IsEmpty) return;
        switch (g)
        {
            case Point p:
                {
                    double lat = LatitudeRadians(p.Y), lon = LongitudeRadians(p.X);
                    s.Offer(SphereDistance(q.Lat, q.Lon, lat, lon), lat, lon);
                    break;
                }
            case LineString l:   // and LinearRing
                VisitPath(q, l.CoordinateSequence, ref s);
                break;
            case Polygon poly:
                if (Covers(poly, c))
                {
                    s.Found = true;
                    s.Covered = true;
                    return;
                }
                VisitPath(q, poly.ExteriorRing.CoordinateSequence, ref s);
                for (int i = 0; i < poly.NumInteriorRings && !s.Done; i++)
                    VisitPath(q, poly.GetInteriorRingN(i).CoordinateSequence, ref s);
                break;
            case GeometryCollection col:   // MultiPoint, MultiLineString, MultiPolygon and others
                for (int i = 0; i < col.NumGeometries && !s.Done; i++)
                    Visit(q, c, col.GetGeometryN(i), ref s);
                break;
            default:
                throw new ArgumentException($"unsupported geometry type {g.GeometryType}", nameof(g));
        }
    }

    /// <summary>Point-in-polygon, boundary included (as lwpoly_covers_point2d): inside the shell, in no hole.</summary>
    private static bool Covers(Polygon poly, Coordinate c)
    {
        var shell = poly.ExteriorRing.CoordinateSequence;
        if (!poly.ExteriorRing.EnvelopeInternal.Covers(c.X, c.Y)) return false;
        if (RayCrossingCounter.LocatePointInRing(c, shell) == Location.Exterior) return false;
        for (int i = 0; i < poly.NumInteriorRings; i++)
            if (RayCrossingCounter.LocatePointInRing(c, poly.GetInteriorRingN(i).CoordinateSequence) == Location.Interior)
                return false;
        return true;
    }

    /// <summary>The edges of one point array (a single vertex counts as a point), as ptarray_distance_spheroid.</summary>
    /// <remarks>
    /// Pruning: for X on the minor arc S–E, |P−X| ≥ |P−S| − |S−X| ≥ |P−S| − |S−E| (chords of the unit sphere, the
    /// triangle inequality in R³, and |S−X| ≤ |S−E| on a minor arc). An edge whose bound exceeds the chord of the
    /// current minimum (with a margin far above rounding) would be computed at a larger angle, which the strict
    /// "&lt;" of the search ignores; skipping it therefore leaves the result bit for bit unchanged.
    /// </remarks>
    private static void VisitPath(in Query q, CoordinateSequence seq, ref Search s)
    {
        int n = seq.Count;
        if (n == 0) return;
        var v0 = new Vertex(LatitudeRadians(seq.GetY(0)), LongitudeRadians(seq.GetX(0)));
        if (n == 1)
        {
            s.Offer(SphereDistance(q.Lat, q.Lon, v0.Lat, v0.Lon), v0.Lat, v0.Lon);
            return;
        }
        for (int i = 1; i < n && !s.Done; i++)
        {
            var v1 = new Vertex(LatitudeRadians(seq.GetY(i)), LongitudeRadians(seq.GetX(i)));
            if (s.Prune && s.Found)
            {
                double ps = Chord(q.X - v0.X, q.Y - v0.Y, q.Z - v0.Z);
                double se = Chord(v1.X - v0.X, v1.Y - v0.Y, v1.Z - v0.Z);
                if (ps - se > s.MinChord * (1 + 1e-9) + 1e-12)
                {
                    v0 = v1;
                    continue;
                }
            }
            double d = EdgeDistanceToPoint(v0, v1, q, out double cLat, out double cLon);
            s.Offer(d, cLat, cLon);
            v0 = v1;
        }
    }

    private static double Chord(double dx, double dy, double dz) => Math.Sqrt(dx * dx + dy * dy + dz * dz);

    /// <summary>A vertex on the sphere: lat/lon in radians and its unit vector (geog2cart), computed once.</summary>
    private readonly struct Vertex
    {
        public readonly double Lat, Lon, X, Y, Z;

        public Vertex(double lat, double lon)
        {
            Lat = lat;
            Lon = lon;
            (X, Y, Z) = ToCartesian(lat, lon);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Spherical primitives. Each reproduces the method of the liblwgeom (lwgeodetic.c) function named in its comment.
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Degrees to radians as liblwgeom's deg2rad (π·d/180), normalised as latitude_radians_normalize.</summary>
    private static double LatitudeRadians(double degrees)
    {
        double lat = Math.PI * degrees / 180.0;
        if (lat > 2.0 * Math.PI) lat = Math.IEEERemainder(lat, 2.0 * Math.PI);
        if (lat < -2.0 * Math.PI) lat = Math.IEEERemainder(lat, -2.0 * Math.PI);
        if (lat > Math.PI) lat = Math.PI - lat;
        if (lat < -1.0 * Math.PI) lat = -1.0 * Math.PI - lat;
        if (lat > Math.PI / 2) lat = Math.PI - lat;
        if (lat < -1.0 * Math.PI / 2) lat = -1.0 * Math.PI - lat;
        return lat;
    }

    /// <summary>Degrees to radians as deg2rad, normalised to (-π, π] as longitude_radians_normalize.</summary>
    private static double LongitudeRadians(double degrees)
    {
        double lon = Math.PI * degrees / 180.0;
        if (lon == -1.0 * Math.PI) return Math.PI;
        if (lon == -2.0 * Math.PI) return 0.0;
        if (lon > 2.0 * Math.PI) lon = Math.IEEERemainder(lon, 2.0 * Math.PI);
        if (lon < -2.0 * Math.PI) lon = Math.IEEERemainder(lon, -2.0 * Math.PI);
        if (lon > Math.PI) lon = -2.0 * Math.PI + lon;
        if (lon < -1.0 * Math.PI) lon = 2.0 * Math.PI + lon;
        if (lon == -2.0 * Math.PI) lon *= -1.0;
        return lon;
    }

    /// <summary>Unit vector of a geodetic lat/lon on the sphere (geog2cart).</summary>
    private static (double X, double Y, double Z) ToCartesian(double lat, double lon) =>
        (Math.Cos(lat) * Math.Cos(lon), Math.Cos(lat) * Math.Sin(lon), Math.Sin(lat));

    /// <summary>Great-circle angle in radians between two points (sphere_distance: atan2 of |cross|, dot).</summary>
    internal static double SphereDistance(double latS, double lonS, double latE, double lonE)
    {
        double dLon = lonE - lonS;
        double cosDLon = Math.Cos(dLon);
        double cosLatE = Math.Cos(latE), sinLatE = Math.Sin(latE);
        double cosLatS = Math.Cos(latS), sinLatS = Math.Sin(latS);
        double t1 = cosLatE * Math.Sin(dLon);
        double t2 = cosLatS * sinLatE - sinLatS * cosLatE * cosDLon;
        double a = Math.Sqrt(t1 * t1 + t2 * t2);
        double b = sinLatS * sinLatE + cosLatS * cosLatE * cosDLon;
        return Math.Atan2(a, b);
    }

    private static bool FpEquals(double a, double b) => Math.Abs(a - b) <= FpTolerance;

    /// <summary>
    /// Spherical distance (radians) from the query point to the minor arc start–end and the closest point of the
    /// arc, by the method of edge_distance_to_point: foot of the perpendicular on the arc's plane if the arc contains
    /// it, else the nearer end point (ties: the foot, then the start).
    /// </summary>
    private static double EdgeDistanceToPoint(in Vertex vs, in Vertex ve, in Query q, out double cLat, out double cLon)
    {
        double latS = vs.Lat, lonS = vs.Lon, latE = ve.Lat, lonE = ve.Lon;
        // zero-length edge (geographic_point_equals)
        if (FpEquals(latS, latE) && FpEquals(lonS, lonE))
        {
            cLat = latS;
            cLon = lonS;
            return SphereDistance(latS, lonS, q.Lat, q.Lon);
        }
        var (ux, uy, uz) = RobustCrossProduct(latS, lonS, latE, lonE);
        Normalize(ref ux, ref uy, ref uz);   // unit normal of the arc's plane
        double dot = q.X * ux + q.Y * uy + q.Z * uz;
        double nx = ux * dot, ny = uy * dot, nz = uz * dot;
        double kx = q.X - nx, ky = q.Y - ny, kz = q.Z - nz;
        Normalize(ref kx, ref ky, ref kz);
        // cart2geog
        double kLon = Math.Atan2(ky, kx);
        double kLat = Math.Asin(kz);

        double d1 = 1000000000.0;
        if (EdgeContainsPoint(vs, ve, ux, uy, uz, kLat, kLon))
            d1 = SphereDistance(q.Lat, q.Lon, kLat, kLon);
        double d2 = SphereDistance(q.Lat, q.Lon, latS, lonS);
        double d3 = SphereDistance(q.Lat, q.Lon, latE, lonE);

        double best = d1;
        cLat = kLat;
        cLon = kLon;
        if (d2 < best)
        {
            best = d2;
            cLat = latS;
            cLon = lonS;
        }
        if (d3 < best)
        {
            best = d3;
            cLat = latE;
            cLon = lonE;
        }
        return best;
    }

    /// <summary>Normal of the plane through two points from their lat/lon, stable for short edges (robust_cross_product).</summary>
    private static (double X, double Y, double Z) RobustCrossProduct(double pLat, double pLon, double qLat, double qLon)
    {
        double lonQpp = (qLon + pLon) / -2.0;
        double lonQmp = (qLon - pLon) / 2.0;
        double sinLatMinus = Math.Sin(pLat - qLat);
        double sinLatPlus = Math.Sin(pLat + qLat);
        double sinQpp = Math.Sin(lonQpp), cosQpp = Math.Cos(lonQpp);
        double sinQmp = Math.Sin(lonQmp), cosQmp = Math.Cos(lonQmp);
        double x = sinLatMinus * sinQpp * cosQmp - sinLatPlus * cosQpp * sinQmp;
        double y = sinLatMinus * cosQpp * cosQmp + sinLatPlus * sinQpp * sinQmp;
        double z = Math.Cos(pLat) * Math.Cos(qLat) * Math.Sin(qLon - pLon);
        return (x, y, z);
    }

    /// <summary>Scales to unit length; a vector of length ≤ 1e-12 becomes zero (normalize).</summary>
    private static void Normalize(ref double x, ref double y, ref double z)
    {
        double d = Math.Sqrt(x * x + y * y + z * z);
        if (Math.Abs(d) <= FpTolerance)
        {
            x = y = z = 0.0;
            return;
        }
        x /= d;
        y /= d;
        z /= d;
    }

    /// <summary>Whether p lies on the minor arc start–end: inside its cone and on its plane (edge_contains_point).</summary>
    /// <remarks>The plane's unit normal (robust_cross_product, normalised) is passed in: the same numbers PostGIS
    /// recomputes in edge_point_side.</remarks>
    private static bool EdgeContainsPoint(in Vertex vs, in Vertex ve, double ux, double uy, double uz, double pLat, double pLon)
    {
        var (px, py, pz) = ToCartesian(pLat, pLon);
        return EdgePointInCone(vs, ve, px, py, pz) && Math.Abs(ux * px + uy * py + uz * pz) <= FpTolerance;
    }

    /// <summary>
    /// Cone test of edge_point_in_cone: p's projection on the arc's bisector is at least the end points' (with the
    /// 2e-16 slack PostGIS uses); an antipodal edge contains everything.
    /// </summary>
    private static bool EdgePointInCone(in Vertex vs, in Vertex ve, double px, double py, double pz)
    {
        double sx = vs.X, sy = vs.Y, sz = vs.Z, ex = ve.X, ey = ve.Y, ez = ve.Z;
        if (sx == -1.0 * ex && sy == -1.0 * ey && sz == -1.0 * ez) return true;
        double cx = sx + ex, cy = sy + ey, cz = sz + ez;
        Normalize(ref cx, ref cy, ref cz);
        double vsDot = sx * cx + sy * cy + sz * cz;
        double vpDot = px * cx + py * cy + pz * cz;
        return vpDot > vsDot || Math.Abs(vpDot - vsDot) < 2e-16;
    }

    /// <summary>
    /// Ellipsoidal distance between two points given in radians, as PostGIS's spheroid_distance: back to degrees
    /// as r·180/π, then GeographicLib's inverse problem (distance only).
    /// </summary>
    private static double SpheroidDistance(double lat1, double lon1, double lat2, double lon2)
    {
        Geodesic.Wgs84.GenInverse(lat1 * 180.0 / Math.PI, lon1 * 180.0 / Math.PI, lat2 * 180.0 / Math.PI, lon2 * 180.0 / Math.PI,
            Geodesic.GEOD_DISTANCE, out var r);
        return r.s12;
    }
}
