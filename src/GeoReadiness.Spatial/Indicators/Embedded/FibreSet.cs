using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// Fibre routes split into segments: an STRtree over every segment (for lengths inside leaves) and, for the
/// existing routes, grids over the segments widened by each reach distance (for "within reach" point tests).
/// </summary>
/// <remarks>Immutable once built; safe for concurrent use.</remarks>
internal sealed class FibreSet
{
    private const double EarthRadius = 6_371_008.8;

    public IReadOnlyList<FibreRoute> Routes { get; }
    public double[] X1 { get; }
    public double[] Y1 { get; }
    public double[] X2 { get; }
    public double[] Y2 { get; }
    public int[] RouteOf { get; }
    /// <summary>Metres that the fast planar point-segment distance may be off by for each segment.</summary>
    private readonly double[] _slack;
    public STRtree<int> Segments { get; }
    public double FibreReach { get; }
    public double HouseholdReach { get; }
    private readonly GridIndex _fibreReachGrid;
    private readonly GridIndex _householdReachGrid;

    public FibreSet(IReadOnlyList<FibreRoute> routes, IndicatorOptions options)
    {
        Routes = routes;
        FibreReach = options.FibreReachMetres;
        HouseholdReach = options.HouseholdReachMetres;
        var x1 = new List<double>();
        var y1 = new List<double>();
        var x2 = new List<double>();
        var y2 = new List<double>();
        var route = new List<int>();
        for (var r = 0; r < routes.Count; r++)
        {
            var g = routes[r].Geometry;
            for (var p = 0; p < g.NumGeometries; p++)
            {
                var seq = ((LineString)g.GetGeometryN(p)).CoordinateSequence;
                for (var i = 0; i + 1 < seq.Count; i++)
                {
                    x1.Add(seq.GetX(i)); y1.Add(seq.GetY(i)); x2.Add(seq.GetX(i + 1)); y2.Add(seq.GetY(i + 1));
                    route.Add(r);
                }
            }
        }
        (X1, Y1, X2, Y2, RouteOf) = (x1.ToArray(), y1.ToArray(), x2.ToArray(), y2.ToArray(), route.ToArray());
        _slack = new double[X1.Length];
        Segments = new STRtree<int>();
        var fibreBoxes = new Envelope?[X1.Length];
        var householdBoxes = new Envelope?[X1.Length];
        for (var s = 0; s < X1.Length; s++)
        {
            var box = new Envelope(X1[s], X2[s], Y1[s], Y2[s]);
            Segments.Insert(box, s);
            // Bound on how far the straight lon/lat segment, measured in a flat frame at the query point, can be
            // from the great-circle edge PostGIS measures to: sagitta and scale change over the segment's length.
            var (kx, ky) = GeodesicShapes.MetresPerDegree((Y1[s] + Y2[s]) / 2);
            var dx = (X2[s] - X1[s]) * kx;
            var dy = (Y2[s] - Y1[s]) * ky;
            var length = Math.Sqrt(dx * dx + dy * dy);
            var tan = Math.Abs(Math.Tan(Math.Max(Math.Abs(Y1[s]), Math.Abs(Y2[s])) * Math.PI / 180)) + 0.05;
            _slack[s] = 1e-3 * length + length * length * tan / EarthRadius + 0.01;
            if (routes[RouteOf[s]].Status != FibreStatus.Existing) continue;
            fibreBoxes[s] = ChangedAreas.Widen(box, FibreReach);
            householdBoxes[s] = ChangedAreas.Widen(box, HouseholdReach);
        }
        Segments.Build();
        var cell = Math.Max(HouseholdReach / 111_000.0, 0.005);
        _householdReachGrid = GridIndex.Build(householdBoxes, cell);
        _fibreReachGrid = GridIndex.Build(fibreBoxes, Math.Max(FibreReach / 111_000.0, 0.005));
    }

    /// <summary>Whether (x, y) is within the fibre reach (village/facility) of an existing route, as ST_DWithin on geography.</summary>
    public bool WithinFibreReach(double x, double y) => Within(_fibreReachGrid, x, y, FibreReach);

    /// <summary>Whether (x, y) is within household reach of an existing route.</summary>
    public bool WithinHouseholdReach(double x, double y) => Within(_householdReachGrid, x, y, HouseholdReach);

    private bool Within(GridIndex grid, double x, double y, double metres)
    {
        var candidates = grid.Query(x, y);
        if (candidates.IsEmpty) return false;
        var (kx, ky) = GeodesicShapes.MetresPerDegree(y);
        var tolerance = 1e-3 * metres;
        var lastExact = -1;
        foreach (var s in candidates)
        {
            var d = PlanarDistance(s, x, y, kx, ky);
            var slack = _slack[s] + tolerance;
            if (d <= metres - slack) return true;
            if (d > metres + slack) continue;
            var r = RouteOf[s];
            if (r == lastExact) continue;
            lastExact = r;
            if (GeodesicDistance.IsWithin(new Coordinate(x, y), Routes[r].Geometry, metres)) return true;
        }
        return false;
    }

    private double PlanarDistance(int s, double x, double y, double kx, double ky)
    {
        var ax = (X1[s] - x) * kx;
        var ay = (Y1[s] - y) * ky;
        var bx = (X2[s] - x) * kx;
        var by = (Y2[s] - y) * ky;
        var vx = bx - ax;
        var vy = by - ay;
        var len2 = vx * vx + vy * vy;
        var t = len2 > 0 ? Math.Clamp(-(ax * vx + ay * vy) / len2, 0, 1) : 0;
        var px = ax + t * vx;
        var py = ay + t * vy;
        return Math.Sqrt(px * px + py * py);
    }

    /// <summary>Existing routes whose segments come within <paramref name="metres"/> of the box (indexes, ascending).</summary>
    public int[] ExistingRoutesNear(Envelope box, double metres)
    {
        var hits = Segments.Query(ChangedAreas.Widen(box, metres));
        return hits.Select(s => RouteOf[s]).Where(r => Routes[r].Status == FibreStatus.Existing).Distinct().Order().ToArray();
    }
}
