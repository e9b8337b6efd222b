using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Geodesy;

/// <summary>
/// Geodesic measures of NTS geometries on the WGS84 ellipsoid that agree with PostGIS <c>geography</c>
/// (<c>ST_Area</c>, <c>ST_Length</c>, <c>ST_Perimeter</c>, <c>ST_Distance</c> with <c>use_spheroid = true</c>), which
/// PostGIS computes with the same GeographicLib algorithms (see <see cref="Geodesic"/>).
/// </summary>
/// <remarks>
/// <para>All coordinates are EPSG:4326 degrees with X = longitude and Y = latitude; the geometry's SRID is not
/// checked. Every edge is a geodesic (the shortest path on the ellipsoid), never a straight line in lon/lat.</para>
/// <para>Pure and thread-safe: nothing is cached or mutated, so any method may be called from many threads at once.</para>
/// <para>Empty geometries measure 0. A latitude outside [-90, 90] or a NaN coordinate gives NaN.</para>
/// </remarks>
public static class GeodesicMeasure
{
    private static Geodesic G => Geodesic.Wgs84;

    /// <summary>
    /// Area in m², as <c>ST_Area(geography)</c>: for each polygon the exterior ring's area minus its holes' areas,
    /// summed over the parts of multi-polygons and (recursively) geometry collections; 0 for points and lines.
    /// Each ring is measured with geodesic edges and taken as an absolute value, so ring orientation does not
    /// matter; a ring enclosing more than half the ellipsoid is measured as its complement, as PostGIS does.
    /// </summary>
    /// <exception cref="ArgumentException">A polygon's holes enclose more area than its exterior ring (an invalid,
    /// typically mis-ordered polygon). PostGIS raises an error for these too, so the result is never negative.
    /// Unlike PostGIS, which only checks the total, every polygon of a multi-polygon is checked.</exception>
    public static double Area(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g switch
        {
            Polygon p => PolygonArea(p),
            GeometryCollection c => SumParts(c, Area),  // MultiPolygon and every other collection
            _ => 0.0,                                    // points and lines have no area
        };
    }

    /// <summary>
    /// Length in m of (multi-)line strings as <c>ST_Length(geography)</c>: the sum of the geodesic lengths of their
    /// segments. Polygons and points measure 0 (as in PostGIS, whose geography length ignores polygons); inside a
    /// geometry collection only the line parts count. (Deliberate difference: PostGIS 3.3's ST_Length of a
    /// GEOMETRYCOLLECTION also adds the perimeters of polygons in it.)
    /// </summary>
    public static double Length(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g switch
        {
            LineString l => PathLength(l.CoordinateSequence),
            GeometryCollection c => SumParts(c, Length),  // MultiLineString and every other collection
            _ => 0.0,                                      // points, polygons
        };
    }

    /// <summary>
    /// Perimeter in m of polygons as <c>ST_Perimeter(geography)</c>: the geodesic length of every ring, exterior and
    /// holes, summed over multi-polygons and collections; 0 for points and lines. (Deliberate difference: PostGIS 3.3's
    /// ST_Perimeter of a GEOMETRYCOLLECTION also adds the lengths of lines in it.)
    /// </summary>
    public static double Perimeter(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return g switch
        {
            Polygon p => PolygonPerimeter(p),
            GeometryCollection c => SumParts(c, Perimeter),
            _ => 0.0,
        };
    }

    /// <summary>Geodesic distance in m between two positions (X = longitude, Y = latitude), as <c>ST_Distance(geography)</c> of two points.</summary>
    public static double Distance(Coordinate a, Coordinate b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return G.Inverse(a.Y, a.X, b.Y, b.X).DistanceMetres;
    }

    private static double SumParts(GeometryCollection c, Func<Geometry, double> measure)
    {
        double sum = 0;
        for (int i = 0; i < c.NumGeometries; i++)
            sum += measure(c.GetGeometryN(i));
        return sum;
    }

    private static double PolygonArea(Polygon p)
    {
        if (p.IsEmpty) return 0.0;
        double shell = RingArea(p.ExteriorRing.CoordinateSequence);
        double area = shell;
        for (int i = 0; i < p.NumInteriorRings; i++)
            area -= RingArea(p.GetInteriorRingN(i).CoordinateSequence);
        if (area < 0)
        {
            // A hole that merely coincides with the shell can come out a few ulps larger: that is an area of 0.
            if (-area <= 1e-12 * shell) return 0.0;
            // PostGIS rejects such polygons too ("lwgeom_area_spher(oid) returned area < 0.0").
            throw new ArgumentException(
                $"invalid polygon: its {p.NumInteriorRings} hole(s) enclose {shell - area:R} m², more than its exterior ring " +
                $"({shell:R} m²); the rings are probably mis-ordered (a shell stored as a hole). Repair it first, " +
                "e.g. with NetTopologySuite.Geometries.Utilities.GeometryFixer.", "g");
        }
        return area;
    }

    private static double PolygonPerimeter(Polygon p)
    {
        if (p.IsEmpty) return 0.0;
        double perimeter = PathLength(p.ExteriorRing.CoordinateSequence);
        for (int i = 0; i < p.NumInteriorRings; i++)
            perimeter += PathLength(p.GetInteriorRingN(i).CoordinateSequence);
        return perimeter;
    }

    /// <summary>
    /// Unsigned area of one closed ring, as PostGIS's ptarray_area_spheroid: every vertex but the closing one goes
    /// to the polygon accumulator (which closes the ring itself), signed result in (-A/2, A/2], then its absolute value.
    /// </summary>
    internal static double RingArea(CoordinateSequence ring)
    {
        int n = ring.Count;
        if (n < 4) return 0.0;   // fewer than three distinct vertices encloses nothing
        var poly = new PolygonArea(G, polyline: false);
        for (int i = 0; i < n - 1; i++)
            poly.AddPoint(ring.GetY(i), ring.GetX(i));
        return Math.Abs(poly.Compute(reverse: false, sign: true).Area);
    }

    /// <summary>Sum of the geodesic lengths of consecutive segments, summed in order as PostGIS's ptarray_length_spheroid.</summary>
    internal static double PathLength(CoordinateSequence seq)
    {
        double length = 0;
        for (int i = 1; i < seq.Count; i++)
            length += G.Inverse(seq.GetY(i - 1), seq.GetX(i - 1), seq.GetY(i), seq.GetX(i)).DistanceMetres;
        return length;
    }
}
