namespace GeoReadiness.Spatial.Storage.Embedded;

/// <summary>
/// The embedded store's change log: the changed extents of the last <see cref="ChangeTracking.RetainedVersions"/>
/// data versions, kept in the snapshot (and its file) so that it survives a restart.
/// </summary>
/// <remarks>Immutable, so thread-safe; <see cref="Append"/> returns a new history.</remarks>
internal sealed class ChangeHistory
{
    /// <param name="floor">the log is complete for every version after this one</param>
    /// <param name="entries">one entry per version after <paramref name="floor"/>, ascending</param>
    public ChangeHistory(long floor, IReadOnlyList<Entry> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Version != floor + 1 + i)
                throw new InvalidDataException($"change log entry {i} is for version {entries[i].Version}, expected {floor + 1 + i}");
        }
        Floor = floor;
        Entries = entries;
    }

    /// <summary>The log of a new store: complete from version 0.</summary>
    public static ChangeHistory Empty { get; } = new(0, []);

    /// <summary>A log that knows nothing before <paramref name="version"/> (a store file written before change tracking).</summary>
    public static ChangeHistory StartingAt(long version) => new(version, []);

    /// <summary>The log is complete for every version after this one.</summary>
    public long Floor { get; }

    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The version of the last entry (the floor when there is none).</summary>
    public long LastVersion => Floor + Entries.Count;

    /// <param name="UnitsChanged">a unit was inserted or updated in this version</param>
    /// <param name="Extents">one per changed layer, in <see cref="FeatureLayer"/> order</param>
    public sealed record Entry(long Version, bool UnitsChanged, IReadOnlyList<ChangedExtent> Extents);

    /// <summary>This history with <paramref name="entry"/> (the next version) added, keeping the last <paramref name="capacity"/> versions.</summary>
    public ChangeHistory Append(Entry entry, int capacity = ChangeTracking.RetainedVersions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var drop = Math.Max(0, Entries.Count + 1 - capacity);
        var entries = new List<Entry>(Entries.Count + 1 - drop);
        for (var i = drop; i < Entries.Count; i++) entries.Add(Entries[i]);
        entries.Add(entry);
        return new ChangeHistory(Floor + drop, entries);
    }

    /// <summary>The changes after <paramref name="sinceVersion"/>, or null when this log cannot tell (see <see cref="ISpatialStore.GetChangesSinceAsync"/>).</summary>
    public StoreChangeLog? Since(long sinceVersion)
    {
        if (!ChangeTracking.CanAnswer(sinceVersion, Floor, LastVersion)) return null;
        var unitsChanged = false;
        var extents = new List<ChangedExtent>();
        for (var i = (int)(sinceVersion - Floor); i < Entries.Count; i++)
        {
            unitsChanged |= Entries[i].UnitsChanged;
            extents.AddRange(Entries[i].Extents);
        }
        return new StoreChangeLog(sinceVersion, LastVersion, unitsChanged, extents);
    }
}
