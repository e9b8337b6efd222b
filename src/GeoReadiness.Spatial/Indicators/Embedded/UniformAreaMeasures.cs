using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Union;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// The area measures of a leaf without population cells: area inside each technology's coverage (geodesic) and
/// the share of the area within household reach of existing fibre (in a local transverse Mercator projection).
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
internal static class UniformAreaMeasures
{
    public static double CoveredArea(MultiPolygon leaf, TowerSet towers, RadioTechnology technology, int circleVertices)
    {
        var shapes = towers.ShapesNear(technology, leaf.EnvelopeInternal, circleVertices);
        if (shapes.Count == 0) return 0;
        var union = UnaryUnionOp.Union(shapes);
        var inside = leaf.Intersection(union);
        return inside.IsEmpty ? 0 : GeodesicMeasure.Area(inside);
    }

    /// <summary>Share (0–1) of the leaf's area within <see cref="IndicatorOptions.HouseholdReachMetres"/> of existing fibre.</summary>
    public static double ReachShare(MultiPolygon leaf, FibreSet fibre, IndicatorOptions options)
    {
        var reach = options.HouseholdReachMetres;
        var box = leaf.EnvelopeInternal;
        var routes = fibre.ExistingRoutesNear(box, reach);
        if (routes.Length == 0) return 0;
        var toLocal = LocalTransverseMercator((box.MinX + box.MaxX) / 2);
        var localLeaf = Project(leaf, toLocal);
        var leafArea = localLeaf.Area;
        if (leafArea <= 0) return 0;
        var lines = Geo.Factory.BuildGeometry(routes.Select(r => Project(fibre.Routes[r].Geometry, toLocal)).ToArray());
        var buffer = lines.Buffer(reach, new BufferParameters { QuadrantSegments = options.BufferQuadrantSegments, EndCapStyle = EndCapStyle.Round, JoinStyle = JoinStyle.Round });
        var inside = localLeaf.Intersection(buffer);
        return Math.Clamp(inside.Area / leafArea, 0, 1);
    }

    /// <summary>
    /// lon/lat → metres in the projection of the rules:
    /// +proj=tmerc +lat_0=0 +lon_0=L +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m.
    /// </summary>
    private static MathTransform LocalTransverseMercator(double centralMeridian)
    {
        var factory = new CoordinateSystemFactory();
        var projection = factory.CreateProjection("local transverse Mercator", "Transverse_Mercator",
        [
            new ProjectionParameter("latitude_of_origin", 0),
            new ProjectionParameter("central_meridian", centralMeridian),
            new ProjectionParameter("scale_factor", 1),
            new ProjectionParameter("false_easting", 0),
            new ProjectionParameter("false_northing", 0),
        ]);
        var local = factory.CreateProjectedCoordinateSystem("local tmerc", GeographicCoordinateSystem.WGS84, projection,
            LinearUnit.Metre, new AxisInfo("East", AxisOrientationEnum.East), new AxisInfo("North", AxisOrientationEnum.North));
        return new CoordinateTransformationFactory().CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, local).MathTransform;
    }

    private static Geometry Project(Geometry g, MathTransform transform)
    {
        var copy = g.Copy();
        copy.Apply(new ProjectFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class ProjectFilter(MathTransform transform) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
                seq.SetX(i, x);
                seq.SetY(i, y);
            }
        }
    }
}
