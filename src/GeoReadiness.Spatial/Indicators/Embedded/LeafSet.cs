using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// The hierarchy of one version of the units, prepared for joins: every unit as a <see cref="UnitNode"/> with its
/// geodesic area, and the leaves (ordered by code) with boundaries, envelopes, point locators and a grid for
/// point-to-leaf assignment.
/// </summary>
/// <remarks>Immutable once built; safe for concurrent use.</remarks>
internal sealed class LeafSet
{
    /// <summary>Polygons with more vertices than this get an indexed point locator.</summary>
    private const int IndexedLocatorVertices = 64;

    public IReadOnlyList<UnitNode> Nodes { get; }
    public int Count => Codes.Length;
    public string[] Codes { get; }
    public MultiPolygon[] Geometries { get; }
    public Envelope[] Envelopes { get; }
    public bool[] IsVillage { get; }
    private readonly IPointOnGeometryLocator?[] _locators;
    private readonly GridIndex _grid;
    private readonly LineClip?[] _clips;
    private readonly Coordinate?[] _pointsOnSurface;

    public LeafSet(IReadOnlyList<AdminUnit> units, ParallelOptions parallel)
    {
        var parents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in units) if (u.ParentCode is { } p) parents.Add(p);
        var ordered = units.OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        var areas = new double[ordered.Length];
        Parallel.For(0, ordered.Length, parallel, i => areas[i] = GeodesicMeasure.Area(ordered[i].Geometry));
        Nodes = ordered.Select((u, i) => new UnitNode(u.Code, u.Name, u.Level, u.ParentCode, u.Population, u.Households, areas[i], !parents.Contains(u.Code))).ToArray();

        var leaves = ordered.Where(u => !parents.Contains(u.Code)).ToArray();
        Codes = leaves.Select(u => u.Code).ToArray();
        Geometries = leaves.Select(u => u.Geometry).ToArray();
        Envelopes = leaves.Select(u => u.Geometry.EnvelopeInternal).ToArray();
        IsVillage = leaves.Select(u => u.Level == AdminLevel.Village).ToArray();
        _locators = new IPointOnGeometryLocator?[leaves.Length];
        Parallel.For(0, leaves.Length, parallel, i =>
        {
            if (Geometries[i].NumPoints > IndexedLocatorVertices)
            {
                var locator = new IndexedPointInAreaLocator(Geometries[i]);
                locator.Locate(new Coordinate(Envelopes[i].MinX, Envelopes[i].MinY));  // builds its index now, not under contention
                _locators[i] = locator;
            }
        });
        var sizes = Envelopes.Select(e => Math.Max(e.Width, e.Height)).Order().ToArray();
        var cell = sizes.Length == 0 ? 1.0 : Math.Max(sizes[sizes.Length / 2], 1e-4);
        _grid = GridIndex.Build(Envelopes, cell);
        _clips = new LineClip?[leaves.Length];
        _pointsOnSurface = new Coordinate?[leaves.Length];
    }

    /// <summary>The line clipper of leaf <paramref name="i"/>, built on first use (racing builders build equal ones).</summary>
    public LineClip Clip(int i) => _clips[i] ??= new LineClip(Geometries[i], (x, y) => Covers(i, x, y));

    /// <summary>ST_PointOnSurface of leaf <paramref name="i"/>, computed on first use.</summary>
    public Coordinate PointOnSurface(int i) => _pointsOnSurface[i] ??= Geometries[i].InteriorPoint.Coordinate;

    /// <summary>The leaf covering (x, y) with the smallest code, or −1.</summary>
    public int Assign(double x, double y)
    {
        foreach (var i in _grid.Query(x, y))
        {
            if (Envelopes[i].Covers(x, y) && Covers(i, x, y)) return i;
        }
        return -1;
    }

    /// <summary>Whether leaf <paramref name="i"/> covers (x, y), boundary included.</summary>
    public bool Covers(int i, double x, double y)
    {
        var c = new Coordinate(x, y);
        if (_locators[i] is { } locator) return locator.Locate(c) != Location.Exterior;
        return CoversSmall(Geometries[i], c);
    }

    private static bool CoversSmall(MultiPolygon area, Coordinate c)
    {
        for (var p = 0; p < area.NumGeometries; p++)
        {
            var polygon = (Polygon)area.GetGeometryN(p);
            if (!polygon.EnvelopeInternal.Covers(c)) continue;
            var shell = RayCrossingCounter.LocatePointInRing(c, polygon.Shell.CoordinateSequence);
            if (shell == Location.Exterior) continue;
            if (shell == Location.Boundary) return true;
            var inHole = false;
            for (var h = 0; h < polygon.NumInteriorRings && !inHole; h++)
            {
                var hole = RayCrossingCounter.LocatePointInRing(c, polygon.GetInteriorRingN(h).CoordinateSequence);
                if (hole == Location.Boundary) return true;
                inHole = hole == Location.Interior;
            }
            if (!inHole) return true;
        }
        return false;
    }
}
