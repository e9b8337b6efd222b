using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Geodesy;

/// <summary>Shapes built on the WGS84 ellipsoid, and local scale factors for fast distance bounds.</summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class GeodesicShapes
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double E2 = F * (2 - F);

    /// <summary>
    /// The geodesic circle of <paramref name="radiusMetres"/> around <paramref name="centre"/> as a polygon of
    /// <paramref name="vertices"/> vertices: vertex k at azimuth 360·k/n degrees (clockwise from north) and the
    /// radius from the centre by the direct geodesic problem — the same vertices as PostGIS
    /// <c>ST_Project(centre::geography, r, radians(360·k/n))</c>. The ring is closed by repeating vertex 0.
    /// </summary>
    public static Polygon Circle(Coordinate centre, double radiusMetres, int vertices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vertices, 3);
        var ring = new Coordinate[vertices + 1];
        for (var k = 0; k < vertices; k++)
        {
            var azimuth = 360.0 * k / vertices;
            var d = Geodesic.Wgs84.Direct(centre.Y, centre.X, azimuth, radiusMetres);
            ring[k] = new Coordinate(d.Lon2, d.Lat2);
        }
        ring[vertices] = ring[0].Copy();
        return Geo.Factory.CreatePolygon(ring);
    }

    /// <summary>Metres per degree of longitude (x) and of latitude (y) at a latitude, on the ellipsoid.</summary>
    public static (double X, double Y) MetresPerDegree(double latitudeDegrees)
    {
        var phi = latitudeDegrees * Math.PI / 180.0;
        var s = Math.Sin(phi);
        var w = Math.Sqrt(1 - E2 * s * s);
        var n = A / w;                       // prime-vertical radius of curvature
        var m = A * (1 - E2) / (w * w * w);  // meridional radius of curvature
        return (n * Math.Cos(phi) * Math.PI / 180.0, m * Math.PI / 180.0);
    }
}
