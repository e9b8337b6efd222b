using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Storage;

/// <summary>
/// What both stores record per change for <see cref="ISpatialStore.GetChangesSinceAsync"/>: which part of a feature
/// counts towards the changed extent, how far a changed tower reaches, and how long the log is kept.
/// </summary>
/// <remarks>The PostGIS store computes the same figures in SQL (<c>PostGisSql.ChangedExtent*</c>).</remarks>
internal static class ChangeTracking
{
    /// <summary>How many data versions the change log keeps; older ones are dropped and no longer answerable.</summary>
    public const int RetainedVersions = 1000;

    /// <summary>A tower's extent: its location and its coverage polygon, if any.</summary>
    public static Envelope ExtentOf(Tower tower)
    {
        var box = new Envelope(tower.Location.EnvelopeInternal);
        if (tower.CoverageArea is not null) box.ExpandToInclude(tower.CoverageArea.EnvelopeInternal);
        return box;
    }

    /// <summary>The largest radius a tower gives itself, 0 when it relies on the defaults.</summary>
    public static double ReachOf(Tower tower) => tower.RadiusMetres.Count == 0 ? 0 : tower.RadiusMetres.Values.Max();

    /// <summary>
    /// Checks <paramref name="sinceVersion"/> of <see cref="ISpatialStore.GetChangesSinceAsync"/> and tells whether a
    /// log that is complete for the versions after <paramref name="floor"/> can answer it at
    /// <paramref name="currentVersion"/>.
    /// </summary>
    public static bool CanAnswer(long sinceVersion, long floor, long currentVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceVersion);
        return sinceVersion >= floor && sinceVersion <= currentVersion;
    }
}
