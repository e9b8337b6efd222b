namespace GeoReadiness.Spatial.Indicators.Storage;

/// <summary>
/// Where computed <see cref="IndicatorSet"/>s are kept with their provenance (data version, engine, options, rules
/// version, computed-at, statistics): every unit's indicators and every leaf's measures, the input of the next
/// incremental computation. One implementation per store: a file in the embedded store's data directory, tables in
/// PostGIS. Only the latest <see cref="KeptPerOptions"/> sets per engine and options are kept.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface IIndicatorRepository
{
    /// <summary>Sets kept per engine and options; older ones are deleted when a newer one is saved.</summary>
    public const int KeptPerOptions = 3;

    /// <summary>
    /// Different options kept per engine: sets of the options computed least recently beyond this number are deleted,
    /// so that requests with ever new parameters cannot fill the disk.
    /// </summary>
    public const int KeptOptions = 16;

    /// <summary>Stores the set (all or nothing) and drops the oldest sets beyond <see cref="KeptPerOptions"/> and <see cref="KeptOptions"/>.</summary>
    Task SaveAsync(IndicatorSet set, CancellationToken cancellationToken = default);

    /// <summary>
    /// The most recently computed set of this engine with these options and the current rules version, with every
    /// unit and leaf; null when there is none (or none this version of the code can read).
    /// </summary>
    Task<IndicatorSet?> GetLatestAsync(string engine, IndicatorOptions options, CancellationToken cancellationToken = default);
}
