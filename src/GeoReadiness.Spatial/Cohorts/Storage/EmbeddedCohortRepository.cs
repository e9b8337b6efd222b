using System.Collections.Concurrent;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Cohorts.Storage;

/// <summary>
/// Saved cohorts as JSON files in the embedded store's data directory, <c>cohorts/{id}.json</c> (id as 32 hex
/// digits), each written to a temporary file that is renamed into place (<see cref="JsonFiles"/>).
/// </summary>
/// <remarks>Thread-safe: saves under one data directory are serialised by a lock shared by every instance over it in the process.</remarks>
public sealed class EmbeddedCohortRepository : ICohortRepository
{
    public const string Folder = "cohorts";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string _folder;
    private readonly SemaphoreSlim _lock;

    /// <param name="dataDirectory">the embedded store's directory</param>
    public EmbeddedCohortRepository(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var root = Path.GetFullPath(dataDirectory);
        _folder = Path.Combine(root, Folder);
        _lock = Locks.GetOrAdd(root, _ => new SemaphoreSlim(1, 1));
    }

    private string FileOf(Guid id) => Path.Combine(_folder, id.ToString("N") + ".json");

    public async Task SaveAsync(StoredCohort cohort, CancellationToken cancellationToken = default)
    {
        CohortRepositories.Check(cohort);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(FileOf(cohort.Id))) throw new ArgumentException($"cohort {cohort.Id:N} exists", nameof(cohort));
            await JsonFiles.WriteAsync(FileOf(cohort.Id), CohortRepositories.Normalised(cohort), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<StoredCohort?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        JsonFiles.ReadAsync<StoredCohort>(FileOf(id), cancellationToken);

    public async Task<IReadOnlyList<StoredCohort>> ListAsync(CancellationToken cancellationToken = default)
    {
        var cohorts = new List<StoredCohort>();
        if (Directory.Exists(_folder))
            foreach (var file in Directory.EnumerateFiles(_folder, "*.json"))
                if (await JsonFiles.ReadAsync<StoredCohort>(file, cancellationToken) is { } cohort)
                    cohorts.Add(cohort.WithoutResult());
        return CohortRepositories.Ordered(cohorts).ToList();
    }
}
