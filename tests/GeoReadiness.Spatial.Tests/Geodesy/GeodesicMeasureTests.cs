using System.Globalization;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Tests.Geodesy;

public sealed class GeodesicMeasureTests
{
    private static readonly WKTReader Wkt = new(NetTopologySuite.NtsGeometryServices.Instance);

    public sealed record Golden(string Name, string Wkt, double Area, double Perimeter, double Length)
    {
        public override string ToString() => Name;
    }

    /// <summary>TestData/geodesy/golden_measures.csv: values from GeographicLib's own Planimeter tool.</summary>
    public static TheoryData<Golden> GoldenCases()
    {
        var data = new TheoryData<Golden>();
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "geodesy", "golden_measures.csv");
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = line.Split(';');
            Assert.Equal(5, f.Length);
            data.Add(new Golden(f[0], f[1], Parse(f[2]), Parse(f[3]), Parse(f[4])));
        }
        return data;
    }

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>|expected - actual| within <paramref name="relative"/> of expected, or <paramref name="absolute"/>.</summary>
    private static void Close(double expected, double actual, double relative, double absolute, string what)
    {
        double diff = Math.Abs(expected - actual);
        Assert.True(diff <= Math.Max(absolute, relative * Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {diff:G3})");
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Measures_match_GeographicLib_Planimeter(Golden c)
    {
        var g = Wkt.Read(c.Wkt);
        // Planimeter prints areas to ~1e-4 m² for the small boxes; its perimeter is an accumulated sum
        Close(c.Area, GeodesicMeasure.Area(g), 1e-13, 1e-4, "area");
        Close(c.Perimeter, GeodesicMeasure.Perimeter(g), 1e-13, 1e-8, "perimeter");
        Close(c.Length, GeodesicMeasure.Length(g), 1e-13, 1e-8, "length");
    }

    private static Polygon Box(double lon, double lat, double size) => Geo.Factory.CreatePolygon(
    [
        new Coordinate(lon, lat), new Coordinate(lon + size, lat), new Coordinate(lon + size, lat + size),
        new Coordinate(lon, lat + size), new Coordinate(lon, lat),
    ]);

    [Fact]
    public void A_hundredth_of_a_degree_box_near_1S_is_about_1_23_km2()
    {
        double area = GeodesicMeasure.Area(Box(100.35, -1.0, 0.01));
        Assert.InRange(area, 1_230_000 - 2_000, 1_230_000 + 2_000);
        Close(1230726.5753, area, 1e-12, 1e-4, "area");
    }

    [Fact]
    public void Area_ignores_orientation_and_starting_vertex()
    {
        var ccw = Box(106.8, -6.2, 0.05);
        var cw = (Polygon)ccw.Reverse();
        var shifted = Geo.Factory.CreatePolygon(
        [
            new Coordinate(106.85, -6.2), new Coordinate(106.85, -6.15), new Coordinate(106.8, -6.15),
            new Coordinate(106.8, -6.2), new Coordinate(106.85, -6.2),
        ]);
        double a = GeodesicMeasure.Area(ccw);
        Assert.True(a > 0);
        Close(a, GeodesicMeasure.Area(cw), 1e-14, 0, "reversed");
        Close(a, GeodesicMeasure.Area(shifted), 1e-14, 0, "rotated start");
        Close(GeodesicMeasure.Perimeter(ccw), GeodesicMeasure.Perimeter(cw), 1e-14, 0, "perimeter reversed");
    }

    [Fact]
    public void Holes_are_subtracted_whatever_their_orientation()
    {
        var shell = Box(100.0, -1.0, 0.1);
        var hole = Box(100.02, -0.98, 0.02);
        double expected = GeodesicMeasure.Area(shell) - GeodesicMeasure.Area(hole);
        foreach (var h in new[] { hole.Shell, (LinearRing)hole.Shell.Reverse() })
        {
            var p = Geo.Factory.CreatePolygon(shell.Shell, [h]);
            Close(expected, GeodesicMeasure.Area(p), 1e-14, 0, "area with hole");
            Close(GeodesicMeasure.Perimeter(shell) + GeodesicMeasure.Perimeter(hole), GeodesicMeasure.Perimeter(p), 1e-14, 0, "perimeter with hole");
        }
    }

    [Fact]
    public void Multi_parts_and_collections_are_summed()
    {
        var a = Box(100.0, -1.0, 0.1);
        var b = Box(120.0, 2.0, 0.3);
        var line = Geo.Factory.CreateLineString([new Coordinate(100, -1), new Coordinate(101, -2)]);
        var point = Geo.Factory.CreatePoint(new Coordinate(100, -1));
        double sum = GeodesicMeasure.Area(a) + GeodesicMeasure.Area(b);
        Close(sum, GeodesicMeasure.Area(Geo.Factory.CreateMultiPolygon([a, b])), 1e-15, 0, "multipolygon");
        var gc = Geo.Factory.CreateGeometryCollection([a, line, point, Geo.Factory.CreateGeometryCollection([b])]);
        Close(sum, GeodesicMeasure.Area(gc), 1e-15, 0, "nested collection");
        Close(GeodesicMeasure.Length(line), GeodesicMeasure.Length(gc), 1e-15, 0, "collection length counts lines only");
        Close(GeodesicMeasure.Perimeter(a) + GeodesicMeasure.Perimeter(b), GeodesicMeasure.Perimeter(gc), 1e-15, 0, "collection perimeter counts polygons only");
    }

    [Fact]
    public void Points_lines_and_empties_have_no_area_and_polygons_no_length()
    {
        var line = Geo.Factory.CreateLineString([new Coordinate(100, -1), new Coordinate(101, -2), new Coordinate(102, -2)]);
        Assert.Equal(0.0, GeodesicMeasure.Area(line));
        Assert.Equal(0.0, GeodesicMeasure.Area(Geo.Factory.CreatePoint(new Coordinate(100, -1))));
        Assert.Equal(0.0, GeodesicMeasure.Area(Geo.Factory.CreatePolygon()));
        Assert.Equal(0.0, GeodesicMeasure.Length(Box(100, -1, 1)));
        Assert.Equal(0.0, GeodesicMeasure.Length(Geo.Factory.CreateLineString()));
        Assert.Equal(0.0, GeodesicMeasure.Perimeter(line));
        Assert.Equal(0.0, GeodesicMeasure.Length(Geo.Factory.CreateMultiPoint([new Point(1, 1), new Point(2, 2)])));
    }

    [Fact]
    public void A_polygon_whose_holes_exceed_its_shell_is_rejected_like_PostGIS_does()
    {
        // the shape of kab 96.01 Sorong: a small islet stored as the shell, the mainland as a "hole"
        var islet = Box(131.0, -1.0, 0.01).Shell;
        var mainland = Box(130.5, -1.5, 1.0).Shell;
        var broken = Geo.Factory.CreatePolygon(islet, [mainland]);
        var ex = Assert.Throws<ArgumentException>(() => GeodesicMeasure.Area(broken));
        Assert.Contains("more than its exterior ring", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GeodesicMeasure.Area(Geo.Factory.CreateMultiPolygon([Box(100, -1, 2), broken])));
        // perimeter and length do not care
        Assert.True(GeodesicMeasure.Perimeter(broken) > 0);

        // a hole identical to its shell (either orientation) is an area of 0, not an error
        var shell = Box(106.8, -6.2, 0.05).Shell;
        Assert.Equal(0.0, GeodesicMeasure.Area(Geo.Factory.CreatePolygon(shell, [(LinearRing)shell.Reverse()])), 1e-3);
        Assert.Equal(0.0, GeodesicMeasure.Area(Geo.Factory.CreatePolygon(shell, [shell])), 1e-3);
    }

    [Fact]
    public void Length_of_a_closed_ring_equals_the_polygon_perimeter()
    {
        var p = Box(98.6, 3.5, 0.2);
        Assert.Equal(GeodesicMeasure.Perimeter(p), GeodesicMeasure.Length(Geo.Factory.CreateLineString(p.Shell.Coordinates)));
    }

    [Fact]
    public void Distance_uses_x_as_longitude_and_is_symmetric()
    {
        // JFK to CDG, GeographicLib GeodSolve0: 5853226 m
        var jfk = new Coordinate(-73.8, 40.6);
        var cdg = new Coordinate(2.55, 49.01666667);
        Close(5853226, GeodesicMeasure.Distance(jfk, cdg), 0, 0.5, "JFK-CDG");
        Assert.Equal(GeodesicMeasure.Distance(jfk, cdg), GeodesicMeasure.Distance(cdg, jfk), 1e-8);
        // one degree of longitude on the equator: a * pi / 180
        Close(6378137 * Math.PI / 180, GeodesicMeasure.Distance(new Coordinate(100, 0), new Coordinate(101, 0)), 1e-14, 0, "equator");
    }

    [Fact]
    public void Measures_are_thread_safe()
    {
        var polys = Enumerable.Range(0, 64).Select(i => Box(95 + i * 0.7, -10 + i * 0.25, 0.05 + i * 0.01)).ToArray();
        var serial = polys.Select(GeodesicMeasure.Area).ToArray();
        var parallel = new double[polys.Length];
        Parallel.For(0, polys.Length * 8, k => parallel[k % polys.Length] = GeodesicMeasure.Area(polys[k % polys.Length]));
        Assert.Equal(serial, parallel);
    }
}
