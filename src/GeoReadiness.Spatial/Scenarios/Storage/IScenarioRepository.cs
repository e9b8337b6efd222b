using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;

namespace GeoReadiness.Spatial.Scenarios.Storage;

/// <summary>
/// Where a store keeps saved scenario documents and the records of runs (the truth about every run: state, progress,
/// provenance and result). One implementation per store, like the assessment repository: JSON files in the embedded
/// store's data directory (<c>scenarios/</c>, <c>runs/</c>), tables in PostGIS (migration 0006). Both are held equal
/// by one test-suite.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface IScenarioRepository
{
    /// <summary>
    /// Stores a document under its (id, version) unless that pair is taken: the same content again is
    /// <see cref="DocumentSaveStatus.Unchanged"/>, other content a <see cref="DocumentSaveStatus.Conflict"/>; a stored
    /// document is never overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">the id is not a slug, the version is empty, or the hash is not that of the text.</exception>
    Task<ScenarioSaveOutcome> SaveScenarioAsync(StoredScenario scenario, CancellationToken cancellationToken = default);

    /// <summary>The given version of a scenario, or its highest version when <paramref name="version"/> is null; null when unknown.</summary>
    Task<StoredScenario?> GetScenarioAsync(string id, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Every scenario id (ordinal order) with its versions.</summary>
    Task<IReadOnlyList<ScenarioSummary>> ListScenariosAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new run record.</summary>
    /// <exception cref="ArgumentException">the record is incomplete, or a run with its id exists.</exception>
    Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>The run with its result, or null.</summary>
    Task<RunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The runs that match, most recent first, without their results (<see cref="RunRecord.Result"/> null).</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Replaces a run's record (state, progress, stage, timestamps, error, provenance, result).</summary>
    /// <exception cref="KeyNotFoundException">no run has the record's id.</exception>
    /// <exception cref="InvalidOperationException">the stored run is final (succeeded, failed or cancelled): it is never changed.</exception>
    /// <exception cref="ArgumentException">the record is incomplete, or has a result without having succeeded.</exception>
    Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default);
}

/// <summary>The scenario repository that belongs to a store.</summary>
public static class ScenarioRepositories
{
    /// <summary>Files in <c>scenarios/</c> and <c>runs/</c> of the embedded store's directory, or the tables of the PostGIS store.</summary>
    /// <exception cref="NotSupportedException">the store is of another kind.</exception>
    public static IScenarioRepository For(ISpatialStore store) => store switch
    {
        EmbeddedStore embedded => new EmbeddedScenarioRepository(embedded.Directory),
        PostGisStore postGis => new PostGisScenarioRepository(postGis),
        _ => throw new NotSupportedException($"no scenario repository for a {store.Kind} store"),
    };
}
