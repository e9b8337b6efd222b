using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Turns the extents of changed features into the lon/lat boxes whose leaves must be measured again: each extent
/// widened by how far its features reach (a tower by its coverage radius, fibre by the larger of the two reach
/// distances; cells and facilities only affect the leaf they lie in).
/// </summary>
public static class ChangedAreas
{
    /// <summary>The areas to re-measure, or null when everything must be (a unit changed).</summary>
    public static IReadOnlyList<Envelope>? From(StoreChangeLog log, IndicatorOptions options)
    {
        if (log.UnitsChanged) return null;
        var areas = new List<Envelope>(log.Extents.Count);
        foreach (var e in log.Extents)
        {
            var metres = e.Layer switch
            {
                FeatureLayer.Towers => Math.Max(options.MaxDefaultRadiusMetres, e.ReachMetres),
                FeatureLayer.FibreRoutes => Math.Max(options.FibreReachMetres, options.HouseholdReachMetres),
                _ => 0,
            };
            areas.Add(Widen(e.Extent, metres));
        }
        return areas;
    }

    /// <summary>A box widened on every side by at least <paramref name="metres"/> (a safe bound in degrees).</summary>
    public static Envelope Widen(Envelope box, double metres)
    {
        if (metres <= 0) return new Envelope(box);
        // 110,574 m is the shortest degree of latitude; longitude degrees shrink with cos(latitude) of the
        // box's edge farthest from the equator. 1 % margin covers the ellipsoid's flattening.
        var dLat = metres / 110_574.0 * 1.01;
        var maxAbsLat = Math.Min(89.0, Math.Max(Math.Abs(box.MinY), Math.Abs(box.MaxY)) + dLat);
        var dLon = metres / (111_320.0 * Math.Cos(maxAbsLat * Math.PI / 180.0)) * 1.01;
        return new Envelope(box.MinX - dLon, box.MaxX + dLon, box.MinY - dLat, box.MaxY + dLat);
    }
}
