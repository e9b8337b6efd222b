namespace GeoReadiness.Spatial.Storage.PostGis;

/// <summary>Settings of <see cref="PostGisStore"/>.</summary>
public sealed class PostGisStoreOptions
{
    public static PostGisStoreOptions Default { get; } = new();

    /// <summary>Longest a read query may run on the server before it is cancelled (statement_timeout).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest one statement of <see cref="PostGisStore.ApplyAsync"/> or of a migration may run: bulk loads
    /// of national layers take far longer than a query.
    /// </summary>
    public TimeSpan ApplyTimeout { get; init; } = TimeSpan.FromMinutes(10);

    internal void Validate()
    {
        if (QueryTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(QueryTimeout), QueryTimeout, "must be positive");
        if (ApplyTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ApplyTimeout), ApplyTimeout, "must be positive");
    }
}
