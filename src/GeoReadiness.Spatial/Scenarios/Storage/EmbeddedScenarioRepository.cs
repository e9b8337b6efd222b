using System.Collections.Concurrent;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Scenarios.Storage;

/// <summary>
/// Scenarios and runs as JSON files in the embedded store's data directory: <c>scenarios/{id}.json</c> holds every
/// version of one scenario, <c>runs/{run id}.json</c> one run record. Each write goes to a temporary file that is
/// renamed over the old one (<see cref="JsonFiles"/>), so a reader or a crash sees a whole file.
/// </summary>
/// <remarks>
/// Thread-safe: writes under one data directory are serialised by a lock shared by every instance over it in the
/// process (other processes are kept out by the embedded store's lock file).
/// </remarks>
public sealed class EmbeddedScenarioRepository : IScenarioRepository
{
    public const string ScenariosFolder = "scenarios";
    public const string RunsFolder = "runs";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string _scenarios;
    private readonly string _runs;
    private readonly SemaphoreSlim _lock;

    /// <param name="dataDirectory">the embedded store's directory</param>
    public EmbeddedScenarioRepository(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var root = Path.GetFullPath(dataDirectory);
        _scenarios = Path.Combine(root, ScenariosFolder);
        _runs = Path.Combine(root, RunsFolder);
        _lock = Locks.GetOrAdd(root, _ => new SemaphoreSlim(1, 1));
    }

    private string ScenarioFile(string id) => Path.Combine(_scenarios, id + ".json");

    private string RunFile(Guid id) => Path.Combine(_runs, id.ToString("N") + ".json");

    public async Task<ScenarioSaveOutcome> SaveScenarioAsync(StoredScenario scenario, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(scenario);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var versions = await JsonFiles.ReadAsync<List<StoredScenario>>(ScenarioFile(scenario.Id), cancellationToken) ?? [];
            if (versions.FirstOrDefault(v => v.Version == scenario.Version) is { } existing)
            {
                var same = string.Equals(existing.Sha256, scenario.Sha256, StringComparison.OrdinalIgnoreCase);
                return new ScenarioSaveOutcome(same ? DocumentSaveStatus.Unchanged : DocumentSaveStatus.Conflict, existing);
            }
            var saved = ScenarioStorageChecks.Normalised(scenario);
            versions.Add(saved);
            await JsonFiles.WriteAsync(ScenarioFile(scenario.Id), versions.OrderBy(v => v.Version, StringComparer.Ordinal).ToList(), cancellationToken);
            return new ScenarioSaveOutcome(DocumentSaveStatus.Saved, saved);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<StoredScenario?> GetScenarioAsync(string id, string? version = null, CancellationToken cancellationToken = default)
    {
        if (!ScenarioStorageChecks.IsId(id)) return null; // never a path outside the folder
        var versions = await JsonFiles.ReadAsync<List<StoredScenario>>(ScenarioFile(id), cancellationToken);
        return versions is null ? null : ScenarioStorageChecks.Pick(versions, version);
    }

    public async Task<IReadOnlyList<ScenarioSummary>> ListScenariosAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<StoredScenario>();
        foreach (var file in Files(_scenarios))
            all.AddRange(await JsonFiles.ReadAsync<List<StoredScenario>>(file, cancellationToken) ?? []);
        return ScenarioStorageChecks.Summaries(all);
    }

    public async Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(run);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(RunFile(run.Id))) throw new ArgumentException($"run {run.Id} exists", nameof(run));
            await JsonFiles.WriteAsync(RunFile(run.Id), ScenarioStorageChecks.Normalised(run), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<RunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken = default) =>
        JsonFiles.ReadAsync<RunRecord>(RunFile(id), cancellationToken);

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var runs = new List<RunRecord>();
        foreach (var file in Files(_runs))
        {
            if (await JsonFiles.ReadAsync<RunRecord>(file, cancellationToken) is { } run) runs.Add(run);
        }
        return ScenarioStorageChecks.Select(runs, query).ToList();
    }

    public async Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(run);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var stored = await JsonFiles.ReadAsync<RunRecord>(RunFile(run.Id), cancellationToken) ?? throw new KeyNotFoundException($"no run {run.Id}");
            if (ScenarioStorageChecks.RefusesUpdate(stored) is { } refusal) throw new InvalidOperationException(refusal);
            await JsonFiles.WriteAsync(RunFile(run.Id), ScenarioStorageChecks.Normalised(run with { CreatedAt = stored.CreatedAt }), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The finished files of a folder (temporary files of a write in progress are left out).</summary>
    private static IEnumerable<string> Files(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal) : [];
}
