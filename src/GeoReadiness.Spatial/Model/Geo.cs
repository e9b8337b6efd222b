using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Model;

/// <summary>
/// The one geometry factory of the project: SRID 4326 (WGS84 lon/lat), floating precision.
/// Geometries are never mutated after they are built; build new ones with this factory.
/// </summary>
public static class Geo
{
    public const int Srid = 4326;

    public static GeometryFactory Factory { get; } =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(), Srid);

    /// <summary>Indonesia's bounding box with a margin (94–142° E, 12° S–7° N), used to catch swapped or projected coordinates.</summary>
    public static Envelope IndonesiaBounds { get; } = new(94.0, 142.0, -12.0, 7.0);

    public static MultiPolygon AsMultiPolygon(Geometry g) => g switch
    {
        MultiPolygon mp => mp,
        Polygon p => Factory.CreateMultiPolygon([p]),
        GeometryCollection gc when gc.Geometries.All(x => x is Polygon or MultiPolygon) =>
            Factory.CreateMultiPolygon(gc.Geometries.SelectMany(x => x is MultiPolygon m ? m.Geometries.Cast<Polygon>() : [(Polygon)x]).ToArray()),
        _ => throw new ArgumentException($"expected a Polygon or MultiPolygon, got {g.GeometryType}"),
    };

    public static MultiLineString AsMultiLineString(Geometry g) => g switch
    {
        MultiLineString ml => ml,
        LineString l => Factory.CreateMultiLineString([l]),
        _ => throw new ArgumentException($"expected a LineString or MultiLineString, got {g.GeometryType}"),
    };
}
