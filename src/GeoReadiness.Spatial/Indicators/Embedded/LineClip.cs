using GeoReadiness.Spatial.Geodesy;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// Geodesic length of the part of a straight lon/lat segment inside a polygon, boundary included — the same
/// pieces as <c>ST_Length(ST_Intersection(polygon, segment)::geography)</c>: the segment is cut where it crosses
/// (or starts or stops running along) a ring, and each piece whose midpoint the polygon covers is measured.
/// </summary>
/// <remarks>Thread-safe: the edge index of a large polygon is built once, under a lock.</remarks>
internal sealed class LineClip
{
    private const int IndexedEdges = 64;
    private readonly MultiPolygon _area;
    private readonly Func<double, double, bool> _covers;
    private readonly double[] _ex1, _ey1, _ex2, _ey2;
    private STRtree<int>? _edgeIndex;
    private readonly Lock _gate = new();

    public LineClip(MultiPolygon area, Func<double, double, bool> covers)
    {
        _area = area;
        _covers = covers;
        var ex1 = new List<double>();
        var ey1 = new List<double>();
        var ex2 = new List<double>();
        var ey2 = new List<double>();
        for (var p = 0; p < area.NumGeometries; p++)
        {
            var polygon = (Polygon)area.GetGeometryN(p);
            for (var r = -1; r < polygon.NumInteriorRings; r++)
            {
                var seq = (r < 0 ? polygon.Shell : polygon.GetInteriorRingN(r)).CoordinateSequence;
                for (var i = 0; i + 1 < seq.Count; i++)
                {
                    ex1.Add(seq.GetX(i)); ey1.Add(seq.GetY(i)); ex2.Add(seq.GetX(i + 1)); ey2.Add(seq.GetY(i + 1));
                }
            }
        }
        (_ex1, _ey1, _ex2, _ey2) = (ex1.ToArray(), ey1.ToArray(), ex2.ToArray(), ey2.ToArray());
    }

    /// <summary>Metres of the segment (ax, ay)–(bx, by) inside the polygon.</summary>
    public double LengthInside(double ax, double ay, double bx, double by)
    {
        var box = new Envelope(ax, bx, ay, by);
        if (!_area.EnvelopeInternal.Intersects(box)) return 0;
        List<double>? cuts = null;
        var rx = bx - ax;
        var ry = by - ay;
        void Edge(int e)
        {
            var px = _ex1[e]; var py = _ey1[e];
            var sx = _ex2[e] - px; var sy = _ey2[e] - py;
            if (Math.Max(px, px + sx) < box.MinX || Math.Min(px, px + sx) > box.MaxX
                || Math.Max(py, py + sy) < box.MinY || Math.Min(py, py + sy) > box.MaxY) return;
            var denom = rx * sy - ry * sx;
            var qx = px - ax; var qy = py - ay;
            var scale = Math.Sqrt((rx * rx + ry * ry) * (sx * sx + sy * sy));
            if (Math.Abs(denom) > 1e-14 * scale)
            {
                var t = (qx * sy - qy * sx) / denom;
                var u = (qx * ry - qy * rx) / denom;
                if (u >= 0 && u <= 1 && t > 0 && t < 1) (cuts ??= []).Add(t);
            }
            else if (Math.Abs(qx * ry - qy * rx) <= 1e-14 * scale + 1e-300)
            {
                // Collinear: the edge's ends cut the segment where it starts or stops running along the ring.
                var rr = rx * rx + ry * ry;
                if (rr == 0) return;
                var t0 = (qx * rx + qy * ry) / rr;
                var t1 = ((qx + sx) * rx + (qy + sy) * ry) / rr;
                if (t0 > 0 && t0 < 1) (cuts ??= []).Add(t0);
                if (t1 > 0 && t1 < 1) (cuts ??= []).Add(t1);
            }
        }
        if (_ex1.Length <= IndexedEdges)
        {
            for (var e = 0; e < _ex1.Length; e++) Edge(e);
        }
        else
        {
            foreach (var e in EdgeIndex().Query(box)) Edge(e);
        }
        if (cuts is null)
        {
            return _covers(ax + rx / 2, ay + ry / 2) ? GeodesicMeasure.Distance(new Coordinate(ax, ay), new Coordinate(bx, by)) : 0;
        }
        cuts.Add(0);
        cuts.Add(1);
        cuts.Sort();
        double length = 0;
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var t0 = cuts[i];
            var t1 = cuts[i + 1];
            if (t1 - t0 <= 1e-12) continue;
            var tm = (t0 + t1) / 2;
            if (!_covers(ax + tm * rx, ay + tm * ry)) continue;
            length += GeodesicMeasure.Distance(new Coordinate(ax + t0 * rx, ay + t0 * ry), new Coordinate(ax + t1 * rx, ay + t1 * ry));
        }
        return length;
    }

    private STRtree<int> EdgeIndex()
    {
        if (_edgeIndex is { } built) return built;
        lock (_gate)
        {
            if (_edgeIndex is null)
            {
                var tree = new STRtree<int>();
                for (var e = 0; e < _ex1.Length; e++) tree.Insert(new Envelope(_ex1[e], _ex2[e], _ey1[e], _ey2[e]), e);
                tree.Build();
                _edgeIndex = tree;
            }
            return _edgeIndex;
        }
    }
}
