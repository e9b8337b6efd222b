using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Storage;

public enum FeatureLayer
{
    Units,
    FibreRoutes,
    Towers,
    Facilities,
    PopulationCells,
}

/// <summary>What changed in a store between two data versions, as extents per layer.</summary>
/// <param name="UnitsChanged">a unit was inserted or updated: the hierarchy or a boundary may differ</param>
/// <param name="Extents">one or more boxes per changed layer per change, covering the old and new geometries of
/// every inserted or updated feature</param>
public sealed record StoreChangeLog(long FromVersion, long ToVersion, bool UnitsChanged, IReadOnlyList<ChangedExtent> Extents);

/// <param name="ReachMetres">towers: the largest radius the changed towers give themselves (old and new), else 0</param>
public sealed record ChangedExtent(long DataVersion, FeatureLayer Layer, Envelope Extent, double ReachMetres = 0);
