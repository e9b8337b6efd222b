using GeoReadiness.Spatial.Model;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Triangulate;

namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// Geometry helpers of the demo generator. Every overlay snaps to a 1e-7° grid (about 1 cm), so neighbouring
/// pieces cut from the same linework share their vertices exactly and unions leave no slivers; it also keeps
/// the written coordinates independent of the last bits of floating-point arithmetic.
/// </summary>
internal static class DemoGeometry
{
    public static PrecisionModel Grid { get; } = new(1e7);

    public static double Snap(double v) => Grid.MakePrecise(v);

    public static Coordinate Snap(Coordinate c) => new(Snap(c.X), Snap(c.Y));

    public static Point Point(Coordinate c) => Geo.Factory.CreatePoint(Snap(c));

    public static Geometry Intersection(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Intersection, Grid);

    public static Geometry Difference(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Difference, Grid);

    public static Geometry Union(Geometry a, Geometry b) => OverlayNG.Overlay(a, b, SpatialFunction.Union, Grid);

    public static Geometry Union(IEnumerable<Geometry> parts) => UnaryUnionNG.Union(parts.ToList(), Geo.Factory, Grid);

    /// <summary>Only the polygonal parts of an overlay result, as a MultiPolygon (possibly empty).</summary>
    public static MultiPolygon Polygons(Geometry g)
    {
        var polygons = new List<Polygon>();
        for (var i = 0; i < g.NumGeometries; i++)
        {
            switch (g.GetGeometryN(i))
            {
                case Polygon p when !p.IsEmpty: polygons.Add(p); break;
                case MultiPolygon mp: polygons.AddRange(mp.Geometries.Cast<Polygon>()); break;
            }
        }
        return Geo.Factory.CreateMultiPolygon(polygons.ToArray());
    }

    /// <summary>
    /// Splits <paramref name="region"/> into the Voronoi cells of <paramref name="sites"/>: piece i holds the
    /// part of the region nearer to site i than to any other (in lon/lat). The pieces tile the region.
    /// </summary>
    public static MultiPolygon[] Tile(Geometry region, IReadOnlyList<Coordinate> sites) =>
        VoronoiCells(region, sites).Select(cell => Polygons(Intersection(cell, region))).ToArray();

    /// <summary>
    /// The unclipped Voronoi cell of each site, in site order, on an envelope comfortably larger than
    /// <paramref name="region"/> so that every cell covering part of the region is closed.
    /// </summary>
    public static Polygon[] VoronoiCells(Geometry region, IReadOnlyList<Coordinate> sites)
    {
        var env = new Envelope(region.EnvelopeInternal);
        env.ExpandBy(Math.Max(env.Width, env.Height) * 0.5 + 0.01);
        var builder = new VoronoiDiagramBuilder();
        builder.SetSites(sites.Select(s => s.Copy()).ToList());
        builder.ClipEnvelope = env;
        var diagram = builder.GetDiagram(Geo.Factory);
        var cellOf = new Dictionary<Coordinate, Polygon>();
        for (var i = 0; i < diagram.NumGeometries; i++)
        {
            var cell = (Polygon)diagram.GetGeometryN(i);
            cellOf[(Coordinate)cell.UserData] = cell;
        }
        var result = new Polygon[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            result[i] = cellOf.TryGetValue(sites[i], out var cell) ? cell
                : throw new InvalidOperationException($"site {i} ({sites[i]}) has no Voronoi cell (duplicate site?)");
        }
        return result;
    }

    /// <summary>
    /// A star-shaped blob: an ellipse (semi-axes in the local unit of <paramref name="toLonLat"/>) rotated by
    /// <paramref name="rotation"/> radians whose radius wobbles by seeded harmonics of the given amplitude.
    /// </summary>
    public static Polygon Blob(DemoRandom rng, double semiMajor, double semiMinor, double rotation, double wobble, int vertices, Func<double, double, Coordinate> toLonLat)
    {
        var harmonics = Enumerable.Range(2, 6).Select(k => (K: k, Amp: wobble * rng.Uniform(0.3, 1.0) / (k - 1), Phase: rng.Uniform(0, 2 * Math.PI))).ToList();
        var ring = new Coordinate[vertices + 1];
        double cr = Math.Cos(rotation), sr = Math.Sin(rotation);
        for (var i = 0; i < vertices; i++)
        {
            var t = 2 * Math.PI * i / vertices;
            var m = 1.0;
            foreach (var (k, amp, phase) in harmonics) m += amp * Math.Cos(k * t + phase);
            double ex = semiMajor * Math.Cos(t) * m, ey = semiMinor * Math.Sin(t) * m;
            ring[i] = Snap(toLonLat(ex * cr - ey * sr, ex * sr + ey * cr));
        }
        ring[vertices] = ring[0].Copy();
        return Geo.Factory.CreatePolygon(ring);
    }

    /// <summary>
    /// Mitchell's best-candidate sampling: <paramref name="count"/> well-spread points inside the area; each is
    /// the best of <paramref name="candidates"/> uniform draws, scored by the distance to the points so far
    /// times <paramref name="weight"/> (a larger weight packs points closer together there).
    /// </summary>
    public static List<Coordinate> BestCandidates(Geometry area, int count, DemoRandom rng, int candidates,
        Func<Coordinate, double>? weight = null, IReadOnlyList<Coordinate>? avoid = null, double xScale = 1.0)
    {
        var locator = new IndexedPointInAreaLocator(area);
        var env = area.EnvelopeInternal;
        var chosen = new List<Coordinate>();
        var others = avoid ?? [];
        for (var n = 0; n < count; n++)
        {
            Coordinate? best = null;
            var bestScore = double.NegativeInfinity;
            var drawn = 0;
            for (var attempt = 0; drawn < candidates && attempt < candidates * 1000; attempt++)
            {
                var c = Snap(new Coordinate(rng.Uniform(env.MinX, env.MaxX), rng.Uniform(env.MinY, env.MaxY)));
                if (locator.Locate(c) != Location.Interior) continue;
                drawn++;
                var d = double.PositiveInfinity;
                foreach (var p in chosen) d = Math.Min(d, Dist(p, c, xScale));
                foreach (var p in others) d = Math.Min(d, Dist(p, c, xScale));
                var score = (double.IsPositiveInfinity(d) ? 1e9 : d) * (weight?.Invoke(c) ?? 1.0);
                if (score > bestScore) { bestScore = score; best = c; }
            }
            chosen.Add(best ?? throw new InvalidOperationException("no point could be placed inside the area"));
        }
        return chosen;
    }

    private static double Dist(Coordinate a, Coordinate b, double xScale)
    {
        double dx = (a.X - b.X) * xScale, dy = a.Y - b.Y;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}

/// <summary>
/// A local plane in kilometres around an origin (equirectangular with the ellipsoid's radii of curvature at the
/// origin), accurate to well under 0.1 % over a kabupaten. Used for placing things, never for reported lengths.
/// </summary>
internal sealed class LocalPlane
{
    private readonly double _lon0, _lat0, _kmPerDegX, _kmPerDegY;

    public LocalPlane(double lon0, double lat0)
    {
        _lon0 = lon0;
        _lat0 = lat0;
        const double a = 6378.137;
        const double e2 = 0.00669437999014;
        var phi = lat0 * Math.PI / 180;
        var w = 1 - e2 * Math.Sin(phi) * Math.Sin(phi);
        _kmPerDegX = Math.PI / 180 * a * Math.Cos(phi) / Math.Sqrt(w);
        _kmPerDegY = Math.PI / 180 * a * (1 - e2) / Math.Pow(w, 1.5);
    }

    public (double X, double Y) ToKm(Coordinate c) => ((c.X - _lon0) * _kmPerDegX, (c.Y - _lat0) * _kmPerDegY);

    public Coordinate ToLonLat(double x, double y) => new(_lon0 + x / _kmPerDegX, _lat0 + y / _kmPerDegY);

    public double DistanceKm(Coordinate a, Coordinate b)
    {
        var (ax, ay) = ToKm(a);
        var (bx, by) = ToKm(b);
        return Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
    }

    /// <summary>Distance from a point to a segment, and the parameter t ∈ [0,1] of the nearest point, all in km.</summary>
    public static (double Distance, double T) PointSegment(double px, double py, double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        var len2 = dx * dx + dy * dy;
        var t = len2 == 0 ? 0 : Math.Clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0, 1);
        double qx = ax + t * dx - px, qy = ay + t * dy - py;
        return (Math.Sqrt(qx * qx + qy * qy), t);
    }
}
