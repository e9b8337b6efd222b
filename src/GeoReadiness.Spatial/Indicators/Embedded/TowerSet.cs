using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// Towers prepared for coverage tests, per technology: circle towers (location and radius) and polygon towers
/// (coverage polygon with a point locator), each with a grid over their reach for point queries and an STRtree
/// for area queries.
/// </summary>
/// <remarks>Immutable once built; safe for concurrent use.</remarks>
internal sealed class TowerSet
{
    /// <summary>Relative margin within which the fast planar distance defers to the exact geodesic test.</summary>
    private const double Margin = 1e-3;

    public IReadOnlyList<Tower> Items { get; }
    private readonly Technology[] _byTechnology;

    // Every circle tower once, with its radius per technology (0 = not offered), in one grid: a point's
    // candidates are found and their distance computed once for all technologies.
    private const int TechnologyCount = 4;
    private readonly int[] _circleTowers;
    private readonly double[] _cx, _cy, _cr;
    private readonly GridIndex _circleGrid;
    /// <summary>Per grid cell, the technologies any of its candidate towers offers: a point is done when all are found.</summary>
    private readonly byte[] _cellTechnologies;
    private readonly bool _anyPolygons;

    private sealed class Technology
    {
        public required int[] PolygonTowers;   // indexes into Items, towers with a coverage polygon
        public required IPointOnGeometryLocator[] Locators;
        public required GridIndex PolygonGrid;
        public required STRtree<int> Reach;    // item: index into the circle arrays (>= 0) or ~index into PolygonTowers (< 0)
    }

    public TowerSet(IReadOnlyList<Tower> towers, IndicatorOptions options, ParallelOptions parallel)
    {
        Items = towers;
        var technologies = Enum.GetValues<RadioTechnology>();
        var circleTowers = Enumerable.Range(0, towers.Count).Where(i => towers[i].CoverageArea is null && towers[i].Technologies.Count > 0).ToArray();
        _circleTowers = circleTowers;
        _cx = circleTowers.Select(i => towers[i].Location.X).ToArray();
        _cy = circleTowers.Select(i => towers[i].Location.Y).ToArray();
        _cr = new double[circleTowers.Length * TechnologyCount];
        var combinedBoxes = new Envelope?[circleTowers.Length];
        var maxRadius = 0.0;
        for (var k = 0; k < circleTowers.Length; k++)
        {
            var tower = towers[circleTowers[k]];
            var reach = 0.0;
            foreach (var t in tower.Technologies)
            {
                var r = options.RadiusOf(tower, t);
                _cr[k * TechnologyCount + (int)t - (int)RadioTechnology.G2] = r;
                reach = Math.Max(reach, r);
            }
            maxRadius = Math.Max(maxRadius, reach);
            combinedBoxes[k] = ChangedAreas.Widen(new Envelope(_cx[k], _cx[k], _cy[k], _cy[k]), reach);
        }
        _circleGrid = GridIndex.Build(combinedBoxes, Math.Max(maxRadius / 111_000.0, 0.005));
        _cellTechnologies = new byte[_circleGrid.CellCount];
        for (var cell = 0; cell < _cellTechnologies.Length; cell++)
        {
            var offered = 0;
            foreach (var k in _circleGrid.ItemsOf(cell))
                for (var t = 0; t < TechnologyCount; t++)
                    if (_cr[k * TechnologyCount + t] > 0) offered |= 1 << t;
            _cellTechnologies[cell] = (byte)offered;
        }
        _anyPolygons = towers.Any(t => t.CoverageArea is not null);
        _byTechnology = new Technology[technologies.Length];
        Parallel.For(0, technologies.Length, parallel, t =>
        {
            var technology = technologies[t];
            var polygons = new List<int>();
            for (var i = 0; i < towers.Count; i++)
            {
                if (towers[i].CoverageArea is not null && towers[i].Technologies.Contains(technology)) polygons.Add(i);
            }
            var polygonBoxes = polygons.Select(i => (Envelope?)towers[i].CoverageArea!.EnvelopeInternal).ToArray();
            var reach = new STRtree<int>();
            for (var k = 0; k < _circleTowers.Length; k++)
            {
                var r = _cr[k * TechnologyCount + t];
                if (r > 0) reach.Insert(ChangedAreas.Widen(new Envelope(_cx[k], _cx[k], _cy[k], _cy[k]), r), k);
            }
            for (var k = 0; k < polygonBoxes.Length; k++) reach.Insert(polygonBoxes[k], ~k);
            reach.Build();
            _byTechnology[t] = new Technology
            {
                PolygonTowers = [.. polygons],
                Locators = polygons.Select(i => (IPointOnGeometryLocator)new IndexedPointInAreaLocator(towers[i].CoverageArea!)).ToArray(),
                PolygonGrid = GridIndex.Build(polygonBoxes, 0.05),
                Reach = reach,
            };
        });
    }

    /// <summary>
    /// The technologies covering a point, as bits (bit t for <see cref="RadioTechnology"/> G2 + t): within the radius
    /// of at least one tower offering it, or inside the coverage polygon of one.
    /// </summary>
    /// <param name="kx">metres per degree of longitude at the point's latitude</param>
    /// <param name="ky">metres per degree of latitude at the point's latitude</param>
    public int CoveredTechnologies(double x, double y, double kx, double ky)
    {
        var mask = 0;
        var cell = _circleGrid.CellOf(x, y);
        var candidates = cell < 0 ? [] : _circleGrid.ItemsOf(cell);
        var reachable = cell < 0 ? 0 : _cellTechnologies[cell];
        foreach (var k in candidates)
        {
            var dx = (x - _cx[k]) * kx;
            var dy = (y - _cy[k]) * ky;
            var d2 = dx * dx + dy * dy;
            for (var t = 0; t < TechnologyCount; t++)
            {
                var r = _cr[k * TechnologyCount + t];
                if (r == 0 || (mask & (1 << t)) != 0) continue;
                var low = r * (1 - Margin);
                if (d2 <= low * low)
                {
                    mask |= 1 << t;
                    continue;
                }
                var high = r * (1 + Margin) + 0.01;
                if (d2 > high * high) continue;
                if (GeodesicDistance.IsWithin(new Coordinate(x, y), Items[_circleTowers[k]].Location, r)) mask |= 1 << t;
            }
            if (mask == reachable) break;
        }
        if (_anyPolygons)
        {
            for (var t = 0; t < TechnologyCount; t++)
            {
                if ((mask & (1 << t)) != 0) continue;
                var technology = _byTechnology[t];
                foreach (var k in technology.PolygonGrid.Query(x, y))
                {
                    if (technology.Locators[k].Locate(new Coordinate(x, y)) != Location.Exterior)
                    {
                        mask |= 1 << t;
                        break;
                    }
                }
            }
        }
        return mask;
    }

    /// <summary>The coverage shapes (geodesic circles or coverage polygons) of the technology's towers that may reach the box.</summary>
    public List<Geometry> ShapesNear(RadioTechnology technology, Envelope box, int circleVertices)
    {
        var t = _byTechnology[(int)technology - (int)RadioTechnology.G2];
        var hits = t.Reach.Query(box).ToList();
        hits.Sort();
        var shapes = new List<Geometry>(hits.Count);
        foreach (var k in hits)
        {
            shapes.Add(k >= 0
                ? GeodesicShapes.Circle(new Coordinate(_cx[k], _cy[k]), _cr[k * TechnologyCount + (int)technology - (int)RadioTechnology.G2], circleVertices)
                : Items[t.PolygonTowers[~k]].CoverageArea!);
        }
        return shapes;
    }
}
