using System.Text.Json;
using GeoReadiness.Spatial.Forecasting.Storage;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// Trained forecast models kept in a store's registry (<see cref="IForecastModelRepository"/>): saves a
/// <see cref="ForecastModel"/> as its artefact and manifest, loads one back by id or the current one, lists and
/// promotes. Loaded models are cached by id (a model id always names the same model, so a cached one never goes
/// stale); the cache holds the few most recently loaded.
/// </summary>
/// <remarks>
/// Thread-safe. A cached <see cref="ForecastModel"/> is shared: its ML.NET methods (Predict, Explain) must be called
/// from one thread at a time (see <see cref="ForecastModel"/>); its direct scoring is thread-safe.
/// </remarks>
public sealed class ForecastModelRegistry
{
    /// <summary>How many loaded models are kept.</summary>
    public const int CacheSize = 4;

    private static readonly JsonSerializerOptions ManifestOptions = new(JsonSerializerDefaults.Web);

    private readonly IForecastModelRepository _repository;
    private readonly TimeProvider _clock;
    private readonly Lock _cacheLock = new();
    private readonly LinkedList<ForecastModel> _cache = []; // most recently used first

    /// <param name="clock">the time recorded as a model's save time (default: the system clock)</param>
    public ForecastModelRegistry(IForecastModelRepository repository, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The repository the registry keeps its models in.</summary>
    public IForecastModelRepository Repository => _repository;

    /// <summary>Stores a model under its version id (a model already stored under the id is kept: <c>Unchanged</c>).</summary>
    public async Task<ForecastModelSaveOutcome> SaveAsync(ForecastModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var artefact = Artefact(model);
        var outcome = await _repository.SaveAsync(
            new StoredForecastModel(model.VersionId, model.ManifestJson(), artefact, ForecastModelStorageChecks.HashOf(artefact), _clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        if (outcome.Status == Spatial.Model.DocumentSaveStatus.Saved) Remember(model);
        return outcome;
    }

    /// <summary>The artefact of a model: the zip <see cref="ForecastModel.Save"/> writes.</summary>
    public static byte[] Artefact(ForecastModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        model.Save(buffer);
        return buffer.ToArray();
    }

    /// <summary>The stored model with this id, or null when the registry has none.</summary>
    /// <exception cref="InvalidDataException">the stored artefact is corrupt (hash, format, or another model's); the message names the id.</exception>
    public async Task<ForecastModel?> LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Cached(id) is { } cached) return cached;
        if (await _repository.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored) return null;
        var model = Open(stored);
        Remember(model);
        return model;
    }

    /// <summary>The current model, or null when none has been promoted.</summary>
    /// <exception cref="InvalidDataException">the current model's artefact is corrupt.</exception>
    public async Task<ForecastModel?> LoadCurrentAsync(CancellationToken cancellationToken = default) =>
        await _repository.CurrentAsync(cancellationToken).ConfigureAwait(false) is { } current
            ? await LoadAsync(current.Id, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Every stored model, newest first, without artefacts.</summary>
    public Task<IReadOnlyList<ForecastModelSummary>> ListAsync(CancellationToken cancellationToken = default) => _repository.ListAsync(cancellationToken);

    /// <summary>A stored model's summary, or null.</summary>
    public Task<ForecastModelSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken = default) => _repository.GetSummaryAsync(id, cancellationToken);

    /// <summary>The current model's summary, or null.</summary>
    public Task<ForecastModelSummary?> CurrentAsync(CancellationToken cancellationToken = default) => _repository.CurrentAsync(cancellationToken);

    /// <summary>Makes a stored model the current one; null for an unknown id.</summary>
    public Task<ForecastModelSummary?> PromoteAsync(string id, CancellationToken cancellationToken = default) => _repository.PromoteAsync(id, cancellationToken);

    /// <summary>A stored manifest read without loading the model (for lists and details).</summary>
    /// <exception cref="InvalidDataException">the text is not a forecast manifest.</exception>
    public static ForecastManifest ReadManifest(ForecastModelSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        try
        {
            return JsonSerializer.Deserialize<ForecastManifest>(summary.ManifestJson, ManifestOptions)
                ?? throw new InvalidDataException($"model {summary.Id}: the manifest is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"model {summary.Id}: the manifest is not a forecast manifest ({e.Message})", e);
        }
    }

    private static ForecastModel Open(StoredForecastModel stored)
    {
        if (!string.Equals(ForecastModelStorageChecks.HashOf(stored.Artefact), stored.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"model {stored.Id}: the stored artefact does not match its SHA-256 (corrupt)");
        ForecastModel model;
        try
        {
            using var stream = new MemoryStream(stored.Artefact, writable: false);
            model = ForecastModel.Load(stream);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"model {stored.Id}: the stored artefact cannot be read: {e.Message}", e);
        }
        if (model.VersionId != stored.Id)
            throw new InvalidDataException($"model {stored.Id}: the stored artefact is model {model.VersionId}");
        return model;
    }

    private ForecastModel? Cached(string id)
    {
        lock (_cacheLock)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.VersionId != id) continue;
                _cache.Remove(node);
                _cache.AddFirst(node);
                return node.Value;
            }
            return null;
        }
    }

    private void Remember(ForecastModel model)
    {
        lock (_cacheLock)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.VersionId != model.VersionId) continue;
                _cache.Remove(node);
                break;
            }
            _cache.AddFirst(model);
            while (_cache.Count > CacheSize) _cache.RemoveLast();
        }
    }
}
