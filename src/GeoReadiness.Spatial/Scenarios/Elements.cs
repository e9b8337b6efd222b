using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>
/// A fibre element of a scenario: one route (or route segment) that, once complete, counts as an Existing route
/// under the indicator rules. Completes independently of every other element in a Monte-Carlo draw.
/// </summary>
/// <param name="Id">unique among the elements of one footprint</param>
/// <param name="Geometry">the route in EPSG:4326 lon/lat</param>
public sealed record FibreElement(string Id, MultiLineString Geometry)
{
    /// <summary>Factor (≥ 1) by which the reported length exceeds the geodesic length of <see cref="Geometry"/>
    /// (a straight route built by <see cref="RouteBuilder"/> stands for a longer real one). Coverage uses the
    /// geometry as drawn.</summary>
    public double DetourFactor { get; init; } = 1.0;

    /// <summary>The status of the store's route this element completes (Planned or UnderConstruction): its length
    /// moves from that status to Existing. Null for a route that is not in the store.</summary>
    public FibreStatus? ReplacesStatus { get; init; }

    /// <summary>An element that completes a route of the store (its id and geometry, its status replaced).</summary>
    /// <exception cref="ArgumentException">the route is already Existing.</exception>
    public static FibreElement FromStoredRoute(FibreRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Status == FibreStatus.Existing) throw new ArgumentException($"route {route.Id} is already Existing", nameof(route));
        return new FibreElement(route.Id, route.Geometry) { ReplacesStatus = route.Status };
    }
}

/// <summary>A new tower: its location, the technologies it offers and optional radii (the default radius of
/// <see cref="Indicators.IndicatorOptions"/> for a technology without one).</summary>
public sealed record TowerElement(
    string Id,
    Point Location,
    IReadOnlySet<RadioTechnology> Technologies,
    IReadOnlyDictionary<RadioTechnology, double>? RadiusMetres = null);

/// <summary>An upgrade of a tower of the store: it starts to offer the technologies in <paramref name="Add"/>
/// (which it must not offer yet), with optional radii for them.</summary>
/// <param name="Id">the element's id (unique among the elements of one footprint)</param>
/// <param name="TowerId">the id of the store's tower</param>
public sealed record TowerUpgrade(
    string Id,
    string TowerId,
    IReadOnlySet<RadioTechnology> Add,
    IReadOnlyDictionary<RadioTechnology, double>? RadiusMetres = null);
