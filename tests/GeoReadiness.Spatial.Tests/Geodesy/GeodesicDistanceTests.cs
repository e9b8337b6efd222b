using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Geodesy;

/// <summary>Hand-checkable cases of <see cref="GeodesicDistance"/> (no database).</summary>
public sealed class GeodesicDistanceTests
{
    private const double A = 6378137.0;  // WGS84 equatorial radius, m

    private static LineString Line(params double[] xy)
    {
        var coords = new Coordinate[xy.Length / 2];
        for (int i = 0; i < coords.Length; i++) coords[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        return Geo.Factory.CreateLineString(coords);
    }

    private static double Inverse(double lon1, double lat1, double lon2, double lat2) =>
        Geodesic.Wgs84.Inverse(lat1, lon1, lat2, lon2).DistanceMetres;

    [Fact]
    public void A_point_on_the_line_is_at_distance_zero()
    {
        var line = Line(100, -1, 100.5, -0.5, 101, -0.2);
        Assert.Equal(0.0, GeodesicDistance.PointToGeometry(new Coordinate(100, -1), line));       // first vertex
        Assert.Equal(0.0, GeodesicDistance.PointToGeometry(new Coordinate(100.5, -0.5), line));   // inner vertex
        Assert.Equal(0.0, GeodesicDistance.PointToGeometry(new Coordinate(101, -0.2), line));     // last vertex
        // interior of an edge along the equator (a great circle and a geodesic)
        Assert.Equal(0.0, GeodesicDistance.PointToGeometry(new Coordinate(100.37, 0), Line(100, 0, 101, 0)));
        Assert.True(GeodesicDistance.IsWithin(new Coordinate(100.37, 0), Line(100, 0, 101, 0), 0));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(-0.02)]
    [InlineData(0.05)]
    public void A_point_abeam_a_north_south_segment_at_the_equator_is_an_equatorial_arc_away(double dLon)
    {
        // meridian segment from 1°S to 1°N at lon 100; the point on the equator: the foot is (100, 0) by symmetry,
        // and the distance is the equatorial arc a·|Δλ| (the equator is a geodesic).
        var line = Line(100, -1, 100, 1);
        double expected = A * Math.Abs(dLon) * Math.PI / 180;
        double d = GeodesicDistance.PointToGeometry(new Coordinate(100 + dLon, 0), line);
        Assert.Equal(expected, d, 1e-6);
        Assert.Equal(Inverse(100 + dLon, 0, 100, 0), d, 1e-7);
        var foot = GeodesicDistance.SphereClosestPoint(new Coordinate(100 + dLon, 0), line);
        Assert.NotNull(foot);
        Assert.Equal(0.0, foot.Value.Lat, 1e-12);
        Assert.Equal(100.0, foot.Value.Lon, 1e-12);
    }

    [Theory]
    [InlineData(100.0, -1.5)]   // south of the start, on the meridian
    [InlineData(100.3, -1.2)]   // south-east of the start
    [InlineData(99.8, 1.4)]     // north-west of the end
    public void A_point_beyond_an_end_is_at_the_geodesic_distance_to_that_end_vertex(double lon, double lat)
    {
        var line = Line(100, -1, 100, 1);
        var (endLon, endLat) = lat < 0 ? (100.0, -1.0) : (100.0, 1.0);
        double expected = Inverse(lon, lat, endLon, endLat);
        Assert.Equal(Math.Round(expected, 8), GeodesicDistance.PointToGeometry(new Coordinate(lon, lat), line), 1e-9);
    }

    [Fact]
    public void Distance_does_not_depend_on_the_direction_of_the_line_or_the_side_of_the_point()
    {
        var forward = Line(100, -1, 100.2, -0.7, 100.6, -0.75);
        var backward = (LineString)forward.Reverse();
        var rnd = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            // equal up to the last bits, i.e. to one 1e-8 m rounding step of the result
            var p = new Coordinate(99.9 + rnd.NextDouble() * 0.8, -1.1 + rnd.NextDouble() * 0.5);
            Assert.Equal(GeodesicDistance.PointToGeometry(p, forward), GeodesicDistance.PointToGeometry(p, backward), 1.5e-8);
        }
        // mirror images across a meridian segment, north and south of an equatorial one
        var meridian = Line(100, -1, 100, 1);
        Assert.Equal(GeodesicDistance.PointToGeometry(new Coordinate(100.03, 0.2), meridian),
                     GeodesicDistance.PointToGeometry(new Coordinate(99.97, 0.2), meridian), 1.5e-8);
        var equator = Line(100, 0, 101, 0);
        Assert.Equal(GeodesicDistance.PointToGeometry(new Coordinate(100.4, 0.01), equator),
                     GeodesicDistance.PointToGeometry(new Coordinate(100.4, -0.01), equator), 1.5e-8);
    }

    [Fact]
    public void Point_and_multipoint_distances_are_geodesic_distances_to_the_nearest_point()
    {
        var p = new Coordinate(100.1, -0.9);
        var q = new Coordinate(100.4, -0.2);
        Assert.Equal(Math.Round(GeodesicMeasure.Distance(p, q), 8), GeodesicDistance.PointToGeometry(p, Geo.Factory.CreatePoint(q)), 1e-9);
        var multi = Geo.Factory.CreateMultiPointFromCoords([new Coordinate(101, 1), q, new Coordinate(99, -3)]);
        Assert.Equal(Math.Round(GeodesicMeasure.Distance(p, q), 8), GeodesicDistance.PointToGeometry(p, multi), 1e-9);
    }

    [Fact]
    public void A_point_inside_a_polygon_is_at_zero_and_outside_at_the_distance_to_its_rings()
    {
        var shell = Geo.Factory.CreateLinearRing([new(100, -1), new(101, -1), new(101, 0), new(100, 0), new(100, -1)]);
        var hole = Geo.Factory.CreateLinearRing([new(100.4, -0.6), new(100.6, -0.6), new(100.6, -0.4), new(100.4, -0.4), new(100.4, -0.6)]);
        var polygon = Geo.Factory.CreatePolygon(shell, [hole]);
        Assert.Equal(0.0, GeodesicDistance.PointToGeometry(new Coordinate(100.2, -0.5), polygon));
        Assert.True(GeodesicDistance.IsWithin(new Coordinate(100.2, -0.5), polygon, 0));
        // in the hole: distance to the hole's ring
        var inHole = new Coordinate(100.5, -0.5);
        double toHole = GeodesicDistance.PointToGeometry(inHole, Geo.Factory.CreateLineString(hole.CoordinateSequence));
        Assert.True(toHole > 10_000);
        Assert.Equal(toHole, GeodesicDistance.PointToGeometry(inHole, polygon));
        // outside: distance to the shell
        var outside = new Coordinate(101.05, -0.5);
        Assert.Equal(GeodesicDistance.PointToGeometry(outside, Geo.Factory.CreateLineString(shell.CoordinateSequence)),
                     GeodesicDistance.PointToGeometry(outside, polygon));
        Assert.Equal(GeodesicDistance.PointToGeometry(outside, polygon),
                     GeodesicDistance.PointToGeometry(outside, Geo.Factory.CreateMultiPolygon([polygon])));
    }

    [Fact]
    public void IsWithin_is_inclusive_at_the_unrounded_distance()
    {
        var line = Line(100, -1, 100.2, -0.7, 100.6, -0.75);
        var p = new Coordinate(100.3, -0.6);
        double d = GeodesicDistance.PointToGeometry(p, line);
        Assert.InRange(d, 5_000, 20_000);
        Assert.True(GeodesicDistance.IsWithin(p, line, d + 1e-6));
        Assert.False(GeodesicDistance.IsWithin(p, line, d - 1e-6));
        Assert.True(GeodesicDistance.IsWithin(p, line, d * 1.2));
        Assert.False(GeodesicDistance.IsWithin(p, line, d * 0.8));
    }

    [Fact]
    public void Empty_geometries_have_no_distance()
    {
        var p = new Coordinate(100, 0);
        Assert.True(double.IsNaN(GeodesicDistance.PointToGeometry(p, Geo.Factory.CreateLineString())));
        Assert.False(GeodesicDistance.IsWithin(p, Geo.Factory.CreateLineString(), 1e9));
    }

    [Fact]
    public void The_closest_point_is_found_on_the_sphere_and_measured_on_the_ellipsoid()
    {
        // A long diagonal edge: the answer is the geodesic distance to the sphere-found foot, close to (but not
        // the same as) the minimum over the geodesic between the vertices (sampled finely here).
        var line = Line(100, -2, 100.4, -1.7);
        var p = new Coordinate(100.25, -1.95);
        double d = GeodesicDistance.PointToGeometry(p, line);
        var foot = GeodesicDistance.SphereClosestPoint(p, line)!.Value;
        Assert.Equal(Math.Round(Inverse(p.X, p.Y, foot.Lon, foot.Lat), 8), d, 1e-9);
        var g = Geodesic.Wgs84.Inverse(-2, 100, -1.7, 100.4);
        double best = double.MaxValue;
        for (int i = 0; i <= 20000; i++)
        {
            var q = Geodesic.Wgs84.Direct(-2, 100, g.Azimuth1, g.DistanceMetres * i / 20000);
            best = Math.Min(best, Inverse(p.X, p.Y, q.Lon2, q.Lat2));
        }
        Assert.InRange(d - best, -50, 50);   // the great-circle arc in geodetic lat/lon is not the geodesic: metres apart
    }

    [Fact]
    public void Skipping_edges_that_cannot_be_closer_does_not_change_a_single_bit()
    {
        // a wiggly line of 3,000 edges of 5 m to 2 km, and points around it from 0 to 30 km away
        var rnd = new Random(11);
        var coords = new List<Coordinate> { new(100.3, -0.6) };
        double azi = 30;
        for (int i = 0; i < 3000; i++)
        {
            azi += rnd.NextDouble() * 90 - 45;
            var d = Geodesic.Wgs84.Direct(coords[^1].Y, coords[^1].X, azi, 5 + rnd.NextDouble() * (rnd.Next(5) == 0 ? 2000 : 100));
            coords.Add(new Coordinate(d.Lon2, d.Lat2));
        }
        var line = Geo.Factory.CreateLineString([.. coords]);
        var env = line.EnvelopeInternal;
        for (int i = 0; i < 2000; i++)
        {
            var p = new Coordinate(env.MinX - 0.3 + rnd.NextDouble() * (env.Width + 0.6), env.MinY - 0.3 + rnd.NextDouble() * (env.Height + 0.6));
            double pruned = GeodesicDistance.UnroundedDistance(p, line, prune: true);
            double full = GeodesicDistance.UnroundedDistance(p, line, prune: false);
            Assert.Equal(BitConverter.DoubleToInt64Bits(full), BitConverter.DoubleToInt64Bits(pruned));
        }
    }
}
