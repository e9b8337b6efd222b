using GeoReadiness.Spatial.Geodesy;

namespace GeoReadiness.Spatial.Tests.Geodesy;

/// <summary>
/// Known values from GeographicLib's own C test suite (tests/geodtest.c, Charles Karney, MIT licence) with the
/// tolerances used there.
/// </summary>
public sealed class GeodesicTests
{
    private static readonly Geodesic G = Geodesic.Wgs84;

    // lat1, lon1, azi1, lat2, lon2, azi2, s12, a12, m12, M12, M21, S12  (geodtest.c "testcases")
    public static readonly TheoryData<double[]> Cases = new(
        [35.60777, -139.44815, 111.098748429560326, -11.17491, -69.95921, 129.289270889708762, 8935244.5604818305, 80.50729714281974, 6273170.2055303837, 0.16606318447386067, 0.16479116945612937, 12841384694976.432],
        [55.52454, 106.05087, 22.020059880982801, 77.03196, 197.18234, 109.112041110671519, 4105086.1713924406, 36.892740690445894, 3828869.3344387607, 0.80076349608092607, 0.80101006984201008, 61674961290615.615],
        [-21.97856, 142.59065, -32.44456876433189, 41.84138, 98.56635, -41.84359951440466, 8394328.894657671, 75.62930491011522, 6161154.5773110616, 0.24816339233950381, 0.24930251203627892, -6637997720646.717],
        [-66.99028, 112.2363, 173.73491240878403, -12.70631, 285.90344, 2.512956620913668, 11150344.2312080241, 100.278634181155759, 6289939.5670446687, -0.17199490274700385, -0.17722569526345708, -121287239862139.744],
        [-17.42761, 173.34268, -159.033557661192928, -15.84784, 5.93557, -20.787484651536988, 16076603.1631180673, 144.640108810286253, 3732902.1583877189, -0.81273638700070476, -0.81299800519154474, 97825992354058.708],
        [32.84994, 48.28919, 150.492927788121982, -56.28556, 202.29132, 48.113449399816759, 16727068.9438164461, 150.565799985466607, 3147838.1910180939, -0.87334918086923126, -0.86505036767110637, -72445258525585.010],
        [6.96833, 52.74123, 92.581585386317712, -7.39675, 206.17291, 90.721692165923907, 17102477.2496958388, 154.147366239113561, 2772035.6169917581, -0.89991282520302447, -0.89986892177110739, -1311796973197.995],
        [-50.56724, -16.30485, -105.439679907590164, -33.56571, -94.97412, -47.348547835650331, 6455670.5118668696, 58.083719495371259, 5409150.7979815838, 0.53053508035997263, 0.52988722644436602, 41071447902810.047],
        [-58.93002, -8.90775, 140.965397902500679, -8.91104, 133.13503, 19.255429433416599, 11756066.0219864627, 105.755691241406877, 6151101.2270708536, -0.26548622269867183, -0.27068483874510741, -86143460552774.735],
        [-68.82867, -74.28391, 93.774347763114881, -50.63005, -8.36685, 34.65564085411343, 3956936.926063544, 35.572254987389284, 3708890.9544062657, 0.81443963736383502, 0.81420859815358342, -41845309450093.787],
        [-10.62672, -32.0898, -86.426713286747751, 5.883, -134.31681, -80.473780971034875, 11470869.3864563009, 103.387395634504061, 6184411.6622659713, -0.23138683500430237, -0.23155097622286792, 4198803992123.548],
        [-21.76221, 166.90563, 29.319421206936428, 48.72884, 213.97627, 43.508671946410168, 9098627.3986554915, 81.963476716121964, 6299240.9166992283, 0.13965943368590333, 0.14152969707656796, 10024709850277.476],
        [-19.79938, -174.47484, 71.167275780171533, -11.99349, -154.35109, 65.589099775199228, 2319004.8601169389, 20.896611684802389, 2267960.8703918325, 0.93427001867125849, 0.93424887135032789, -3935477535005.785],
        [-11.95887, -116.94513, 92.712619830452549, 4.57352, 7.16501, 78.64960934409585, 13834722.5801401374, 124.688684161089762, 5228093.177931598, -0.56879356755666463, -0.56918731952397221, -9919582785894.853],
        [-87.85331, 85.66836, -65.120313040242748, 66.48646, 16.09921, -4.888658719272296, 17286615.3147144645, 155.58592449699137, 2635887.4729110181, -0.90697975771398578, -0.91095608883042767, 42667211366919.534],
        [1.74708, 128.32011, -101.584843631173858, -11.16617, 11.87109, -86.325793296437476, 12942901.1241347408, 116.650512484301857, 5682744.8413270572, -0.44857868222697644, -0.44824490340007729, 10763055294345.653],
        [-25.72959, -144.90758, -153.647468693117198, -57.70581, -269.17879, -48.343983158876487, 9413446.7452453107, 84.664533838404295, 6356176.6898881281, 0.09492245755254703, 0.09737058264766572, 74515122850712.444],
        [-41.22777, 122.32875, 14.285113402275739, -7.57291, 130.37946, 10.805303085187369, 3812686.035106021, 34.34330804743883, 3588703.8812128856, 0.82605222593217889, 0.82572158200920196, -2456961531057.857],
        [11.01307, 138.25278, 79.43682622782374, 6.62726, 247.05981, 103.708090215522657, 11911190.819018408, 107.341669954114577, 6070904.722786735, -0.29767608923657404, -0.29785143390252321, 17121631423099.696],
        [-29.47124, 95.14681, -163.779130441688382, -27.46601, -69.15955, -15.909335945554969, 13487015.8381145492, 121.294026715742277, 5481428.9945736388, -0.51527225545373252, -0.51556587964721788, 104679964020340.318]);

    private static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(expected - actual):G3} > {tolerance:G3})");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inverse_matches_GeographicLib_test_cases(double[] c)
    {
        double a12 = G.GenInverse(c[0], c[1], c[3], c[4], Geodesic.GEOD_ALL, out var r);
        Near(c[2], r.azi1, 1e-13, "azi1");
        Near(c[5], r.azi2, 1e-13, "azi2");
        Near(c[6], r.s12, 1e-8, "s12");
        Near(c[7], a12, 1e-13, "a12");
        Near(c[8], r.m12, 1e-8, "m12");
        Near(c[9], r.M12, 1e-15, "M12");
        Near(c[10], r.M21, 1e-15, "M21");
        Near(c[11], r.S12, 0.1, "S12");

        var pub = G.Inverse(c[0], c[1], c[3], c[4]);
        Assert.Equal(r.s12, pub.DistanceMetres);
        Assert.Equal(r.azi1, pub.Azimuth1);
        Assert.Equal(r.azi2, pub.Azimuth2);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Direct_matches_GeographicLib_test_cases(double[] c)
    {
        // geodtest.c testdirect: GEOD_LONG_UNROLL, so lon2 is compared unreduced
        double a12 = G.GenDirect(c[0], c[1], c[2], Geodesic.GEOD_LONG_UNROLL, c[6], Geodesic.GEOD_ALL, out var r);
        Near(c[3], r.lat2, 1e-13, "lat2");
        Near(c[4], r.lon2, 1e-13, "lon2");
        Near(c[5], r.azi2, 1e-13, "azi2");
        Near(c[7], a12, 1e-13, "a12");
        Near(c[8], r.m12, 1e-8, "m12");
        Near(c[9], r.M12, 1e-15, "M12");
        Near(c[10], r.M21, 1e-15, "M21");
        Near(c[11], r.S12, 0.1, "S12");

        // the public Direct reduces the longitude to [-180, 180]
        var pub = G.Direct(c[0], c[1], c[2], c[6]);
        Near(c[3], pub.Lat2, 1e-13, "lat2 (public)");
        Near(Math.IEEERemainder(c[4], 360), pub.Lon2, 1e-12, "lon2 (public)");
        Near(c[5], pub.Azimuth2, 1e-13, "azi2 (public)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Arc_mode_direct_matches_GeographicLib_test_cases(double[] c)
    {
        G.GenDirect(c[0], c[1], c[2], Geodesic.GEOD_ARCMODE | Geodesic.GEOD_LONG_UNROLL, c[7], Geodesic.GEOD_ALL, out var r);
        Near(c[3], r.lat2, 1e-13, "lat2");
        Near(c[4], r.lon2, 1e-13, "lon2");
        Near(c[5], r.azi2, 1e-13, "azi2");
        Near(c[6], r.s12, 1e-8, "s12");
        Near(c[8], r.m12, 1e-8, "m12");
        Near(c[11], r.S12, 0.1, "S12");
    }

    [Fact]
    public void GeodSolve0_JFK_to_CDG()
    {
        var r = G.Inverse(40.6, -73.8, 49.01666667, 2.55);
        Near(53.47022, r.Azimuth1, 0.5e-5, "azi1");
        Near(111.59367, r.Azimuth2, 0.5e-5, "azi2");
        Near(5853226, r.DistanceMetres, 0.5, "s12");
    }

    [Fact]
    public void GeodSolve1_direct_from_JFK()
    {
        var r = G.Direct(40.63972222, -73.77888889, 53.5, 5850e3);
        Near(49.01467, r.Lat2, 0.5e-5, "lat2");
        Near(2.56106, r.Lon2, 0.5e-5, "lon2");
        Near(111.62947, r.Azimuth2, 0.5e-5, "azi2");
    }

    [Fact]
    public void GeodSolve2_antipodal_prolate()
    {
        var g = new Geodesic(6.4e6, -1 / 150.0);
        var r = g.Inverse(0.07476, 0, -0.07476, 180);
        Near(90.00078, r.Azimuth1, 0.5e-5, "azi1");
        Near(90.00078, r.Azimuth2, 0.5e-5, "azi2");
        Near(20106193, r.DistanceMetres, 0.5, "s12");
        r = g.Inverse(0.1, 0, -0.1, 180);
        Near(90.00105, r.Azimuth1, 0.5e-5, "azi1");
        Near(90.00105, r.Azimuth2, 0.5e-5, "azi2");
        Near(20106193, r.DistanceMetres, 0.5, "s12");
    }

    [Fact]
    public void GeodSolve4_short_line()
    {
        Near(0.072, G.Inverse(36.493349428792, 0, 36.49334942879201, .0000008).DistanceMetres, 0.5e-3, "s12");
    }

    [Fact]
    public void GeodSolve5_to_the_pole()
    {
        var r = G.Direct(0.01777745589997, 30, 0, 10e6);
        Near(90, r.Lat2, 0.5e-5, "lat2");
        if (r.Lon2 < 0)
        {
            Near(-150, r.Lon2, 0.5e-5, "lon2");
            Near(180, Math.Abs(r.Azimuth2), 0.5e-5, "azi2");
        }
        else
        {
            Near(30, r.Lon2, 0.5e-5, "lon2");
            Near(0, r.Azimuth2, 0.5e-5, "azi2");
        }
    }

    [Theory]
    [InlineData(88.202499451857, 0, -88.202499451857, 179.981022032992859592, 20003898.214)]          // GeodSolve6
    [InlineData(89.262080389218, 0, -89.262080389218, 179.992207982775375662, 20003925.854)]          // GeodSolve6
    [InlineData(89.333123580033, 0, -89.333123580032997687, 179.99295812360148422, 20003926.881)]     // GeodSolve6
    [InlineData(56.320923501171, 0, -56.320923501171, 179.664747671772880215, 19993558.287)]          // GeodSolve9
    [InlineData(52.784459512564, 0, -52.784459512563990912, 179.634407464943777557, 19991596.095)]    // GeodSolve10
    [InlineData(48.522876735459, 0, -48.52287673545898293, 179.599720456223079643, 19989144.774)]     // GeodSolve11
    [InlineData(45.0, 0.0, -45.0, 179.572719, 19987083.007)]                                          // GeodSolve99
    [InlineData(37.757540000000006, -122.47018, 37.75754, -122.470177, 0.264)]                        // GeodSolve92
    public void Nearly_antipodal_and_tiny_inverse_cases(double lat1, double lon1, double lat2, double lon2, double s12)
    {
        Near(s12, G.Inverse(lat1, lon1, lat2, lon2).DistanceMetres, 0.5e-3, "s12");
    }

    [Fact]
    public void GeodSolve14_and_94_nan_inputs_give_nan()
    {
        var r = G.Inverse(0, 0, 1, double.NaN);
        Assert.True(double.IsNaN(r.DistanceMetres) && double.IsNaN(r.Azimuth1) && double.IsNaN(r.Azimuth2));
        r = G.Inverse(0, 0, double.NaN, 90);
        Assert.True(double.IsNaN(r.DistanceMetres) && double.IsNaN(r.Azimuth1) && double.IsNaN(r.Azimuth2));
    }

    [Fact]
    public void GeodSolve96_area_of_one_edge()
    {
        var g = new Geodesic(6378137, 1 / 298.257222101);
        g.GenInverse(0, 0, 60.0832522871723, 89.8492185074635, Geodesic.GEOD_AREA, out var r);
        Near(42426932221845, r.S12, 0.5, "S12");
    }

    [Fact]
    public void Inverse_is_symmetric_and_direct_inverts_it()
    {
        var rnd = new Random(20240601);
        for (int i = 0; i < 2000; i++)
        {
            double lat1 = rnd.NextDouble() * 180 - 90, lon1 = rnd.NextDouble() * 360 - 180;
            double lat2 = rnd.NextDouble() * 180 - 90, lon2 = rnd.NextDouble() * 360 - 180;
            var ab = G.Inverse(lat1, lon1, lat2, lon2);
            var ba = G.Inverse(lat2, lon2, lat1, lon1);
            Near(ab.DistanceMetres, ba.DistanceMetres, 1e-8, "s12 symmetry");
            var d = G.Direct(lat1, lon1, ab.Azimuth1, ab.DistanceMetres);
            // round trip to within 15 nm-class accuracy; allow 1 µm in position
            Assert.True(G.Inverse(lat2, lon2, d.Lat2, d.Lon2).DistanceMetres < 1e-6, $"round trip {lat1} {lon1} {lat2} {lon2}");
        }
    }

    [Fact]
    public void Coincident_points_are_zero_apart()
    {
        Assert.Equal(0.0, G.Inverse(-0.95, 100.35, -0.95, 100.35).DistanceMetres);
        Assert.Equal(0.0, G.Inverse(90, 0, 90, 180).DistanceMetres);
    }

    // ---- polygon area (geodtest.c Planimeter*) ----

    private static (double Perimeter, double Area) Planimeter(params double[][] latLon)
    {
        var p = new PolygonArea(G, polyline: false);
        foreach (var pt in latLon) p.AddPoint(pt[0], pt[1]);
        var (area, perimeter) = p.Compute(reverse: false, sign: true);
        return (perimeter, area);
    }

    [Fact]
    public void Planimeter0_pole_encircling()
    {
        var (per, area) = Planimeter([89, 0], [89, 90], [89, 180], [89, 270]);
        Near(631819.8745, per, 1e-4, "perimeter");
        Near(24952305678.0, area, 1, "area");

        (per, area) = Planimeter([-89, 0], [-89, 90], [-89, 180], [-89, 270]);
        Near(631819.8745, per, 1e-4, "perimeter");
        Near(-24952305678.0, area, 1, "area");

        (per, area) = Planimeter([0, -1], [-1, 0], [0, 1], [1, 0]);
        Near(627598.2731, per, 1e-4, "perimeter");
        Near(24619419146.0, area, 1, "area");

        (per, area) = Planimeter([90, 0], [0, 0], [0, 90]);
        Near(30022685, per, 1, "perimeter");
        Near(63758202715511.0, area, 1, "area");
    }

    [Fact]
    public void Planimeter5_pole_crossing()
    {
        var (per, area) = Planimeter([89, 0.1], [89, 90.1], [89, -179.9]);
        Near(539297, per, 1, "perimeter");
        Near(12476152838.5, area, 1, "area");
    }

    [Fact]
    public void Planimeter6_lon12_rounding()
    {
        foreach (var pts in new[]
        {
            new[] { new double[] { 9, -0.00000000000001 }, [9, 180], [9, 0] },
            [[9, 0.00000000000001], [9, 0], [9, 180]],
            [[9, 0.00000000000001], [9, 180], [9, 0]],
            [[9, -0.00000000000001], [9, 0], [9, 180]],
        })
        {
            var (per, area) = Planimeter(pts);
            Near(36026861, per, 1, "perimeter");
            Near(0, area, 1, "area");
        }
    }

    [Fact]
    public void Planimeter12_and_13_unrolled_longitudes()
    {
        var (per, area) = Planimeter([66.562222222, 0], [66.562222222, 180], [66.562222222, 360]);
        Near(10465729, per, 1, "perimeter");
        Near(0, area, 1, "area");
        (per, area) = Planimeter([66.562222222, -0.0], [66.562222222, -180], [66.562222222, -360]);
        Near(10465729, per, 1, "perimeter");
        Near(0, area, 1, "area");
        // encircling the pole twice
        (per, area) = Planimeter([89, -360], [89, -240], [89, -120], [89, 0], [89, 120], [89, 240]);
        Near(1160741, per, 1, "perimeter");
        Near(32415230256.0, area, 1, "area");
    }

    [Fact]
    public void Planimeter15_reverse_and_sign_conventions()
    {
        const double r = 18454562325.45119, a0 = 510065621724088.5093; // triangle, ellipsoid area
        var p = new PolygonArea(G, polyline: false);
        p.AddPoint(2, 1);
        p.AddPoint(1, 2);
        p.AddPoint(3, 3);
        Near(r, p.Compute(false, true).Area, 0.5, "ccw signed");
        Near(r, p.Compute(false, false).Area, 0.5, "ccw unsigned");
        Near(-r, p.Compute(true, true).Area, 0.5, "cw signed");
        Near(a0 - r, p.Compute(true, false).Area, 0.5, "cw unsigned");
        Near(a0, G.EllipsoidArea, 0.5, "ellipsoid area");
    }

    [Fact]
    public void Planimeter21_multiple_circlings_of_the_pole()
    {
        const double lat = 45, r = 39433884866571.4277; // area for one circuit
        var p = new PolygonArea(G, polyline: false);
        for (int i = 0; i < 2; i++) { p.AddPoint(lat, 60); p.AddPoint(lat, 180); p.AddPoint(lat, -60); }
        for (int i = 3; i <= 4; i++)
        {
            p.AddPoint(lat, 60); p.AddPoint(lat, 180); p.AddPoint(lat, -60);
            Near(i * r, p.Compute(false, true).Area, 0.5, $"{i} circuits");
            Near(-i * r, p.Compute(true, true).Area, 0.5, $"{i} circuits reversed");
        }
    }

    [Fact]
    public void Planimeter19_degenerate_polygons()
    {
        var p = new PolygonArea(G, polyline: false);
        Assert.Equal((0.0, 0.0), p.Compute(false, true));
        p.AddPoint(1, 1);
        Assert.Equal((0.0, 0.0), p.Compute(false, true));
        var line = new PolygonArea(G, polyline: true);
        line.AddPoint(1, 1);
        line.AddPoint(2, 2);
        Near(156876.149, line.Compute(false, true).Perimeter, 0.5e-3, "polyline length");
    }
}
