using System.Collections.Concurrent;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Forecasting.Storage;

/// <summary>
/// The model registry as files in the embedded store's data directory: <c>models/{id}.zip</c> (the artefact),
/// <c>models/{id}.json</c> (manifest, SHA-256, size, when saved) and <c>models/registry.json</c> (the current model
/// and every promotion). Each write goes to a temporary file that is renamed over the old one (<see cref="JsonFiles"/>);
/// a model's artefact is written before its manifest file, so a listed model always has its artefact.
/// </summary>
/// <remarks>
/// Thread-safe: writes under one data directory are serialised by a lock shared by every instance over it in the
/// process (other processes are kept out by the embedded store's lock file).
/// </remarks>
public sealed class EmbeddedForecastModelRepository : IForecastModelRepository
{
    public const string ModelsFolder = "models";
    public const string RegistryFile = "registry.json";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string _models;
    private readonly SemaphoreSlim _lock;

    /// <param name="dataDirectory">the embedded store's directory</param>
    public EmbeddedForecastModelRepository(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        _models = Path.Combine(Path.GetFullPath(dataDirectory), ModelsFolder);
        _lock = Locks.GetOrAdd(_models, _ => new SemaphoreSlim(1, 1));
    }

    /// <summary>A model's entry in <c>models/{id}.json</c>; the manifest is kept as the exact text given.</summary>
    private sealed record ModelFile(string Id, string ManifestJson, string Sha256, long ArtefactBytes, DateTimeOffset SavedAt);

    /// <summary><c>models/registry.json</c>: the current model and every promotion, oldest first.</summary>
    private sealed record RegistryFileContent(string? Current, List<Promotion> Promotions);

    private sealed record Promotion(string Id, DateTimeOffset PromotedAt);

    private string ArtefactPath(string id) => Path.Combine(_models, id + ".zip");

    private string ManifestPath(string id) => Path.Combine(_models, id + ".json");

    private string RegistryPath => Path.Combine(_models, RegistryFile);

    public async Task<ForecastModelSaveOutcome> SaveAsync(StoredForecastModel model, CancellationToken cancellationToken = default)
    {
        ForecastModelStorageChecks.Check(model);
        var saved = ForecastModelStorageChecks.Normalised(model);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var registry = await ReadRegistryAsync(cancellationToken);
            if (await JsonFiles.ReadAsync<ModelFile>(ManifestPath(saved.Id), cancellationToken) is { } existing)
                return new ForecastModelSaveOutcome(DocumentSaveStatus.Unchanged, Summary(existing, registry));
            await JsonFiles.WriteBytesAsync(ArtefactPath(saved.Id), saved.Artefact, cancellationToken);
            var file = new ModelFile(saved.Id, saved.ManifestJson, saved.Sha256, saved.Artefact.LongLength, saved.SavedAt);
            await JsonFiles.WriteAsync(ManifestPath(saved.Id), file, cancellationToken);
            return new ForecastModelSaveOutcome(DocumentSaveStatus.Saved, Summary(file, registry));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<ForecastModelSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var registry = await ReadRegistryAsync(cancellationToken);
        var models = new List<ForecastModelSummary>();
        if (Directory.Exists(_models))
        {
            foreach (var path in Directory.EnumerateFiles(_models, "fm-*.json"))
            {
                if (!ForecastModelStorageChecks.IsId(Path.GetFileNameWithoutExtension(path))) continue;
                if (await JsonFiles.ReadAsync<ModelFile>(path, cancellationToken) is { } file) models.Add(Summary(file, registry));
            }
        }
        return ForecastModelStorageChecks.NewestFirst(models);
    }

    public async Task<ForecastModelSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null; // never a path outside the folder
        var file = await JsonFiles.ReadAsync<ModelFile>(ManifestPath(id), cancellationToken);
        return file is null ? null : Summary(file, await ReadRegistryAsync(cancellationToken));
    }

    public async Task<StoredForecastModel?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null;
        if (await JsonFiles.ReadAsync<ModelFile>(ManifestPath(id), cancellationToken) is not { } file) return null;
        var artefact = await JsonFiles.ReadBytesAsync(ArtefactPath(id), cancellationToken)
            ?? throw new InvalidDataException($"model {id}: {ModelsFolder}/{id}.zip is missing");
        return new StoredForecastModel(file.Id, file.ManifestJson, artefact, file.Sha256, file.SavedAt);
    }

    public async Task<ForecastModelSummary?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var registry = await ReadRegistryAsync(cancellationToken);
        return registry.Current is { } id ? await GetSummaryAsync(id, cancellationToken) : null;
    }

    public async Task<ForecastModelSummary?> PromoteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (await JsonFiles.ReadAsync<ModelFile>(ManifestPath(id), cancellationToken) is not { } file) return null;
            var registry = await ReadRegistryAsync(cancellationToken);
            var promotion = new Promotion(id, ForecastModelStorageChecks.Microseconds(DateTimeOffset.UtcNow));
            var promoted = new RegistryFileContent(id, [.. registry.Promotions, promotion]);
            await JsonFiles.WriteAsync(RegistryPath, promoted, cancellationToken);
            return Summary(file, promoted);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<RegistryFileContent> ReadRegistryAsync(CancellationToken cancellationToken) =>
        await JsonFiles.ReadAsync<RegistryFileContent>(RegistryPath, cancellationToken) ?? new RegistryFileContent(null, []);

    private static ForecastModelSummary Summary(ModelFile file, RegistryFileContent registry) =>
        new(file.Id, file.ManifestJson, file.Sha256, file.ArtefactBytes, file.SavedAt, registry.Current == file.Id,
            registry.Promotions.LastOrDefault(p => p.Id == file.Id)?.PromotedAt);
}
