using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Forecasting.Storage;

/// <summary>
/// A trained forecast model as the store keeps it: the artefact as opaque bytes (the zip that
/// <c>ForecastModel.Save</c> writes) and its manifest as JSON. The spatial layer never opens the artefact.
/// </summary>
/// <param name="Id">the model's version id (<c>ForecastManifest.VersionId</c>, "fm-" and 16 hex digits)</param>
/// <param name="ManifestJson">the manifest (camelCase JSON), as stored in the artefact</param>
/// <param name="Sha256">lowercase hex SHA-256 of <paramref name="Artefact"/></param>
/// <param name="SavedAt">when the store received it</param>
public sealed record StoredForecastModel(string Id, string ManifestJson, byte[] Artefact, string Sha256, DateTimeOffset SavedAt);

/// <summary>A stored model without its artefact, with its place in the registry.</summary>
/// <param name="IsCurrent">the model predictions and <c>scoring: ml</c> scenarios use when none is named</param>
/// <param name="PromotedAt">when it was last promoted to current (null: never)</param>
public sealed record ForecastModelSummary(string Id, string ManifestJson, string Sha256, long ArtefactBytes, DateTimeOffset SavedAt,
    bool IsCurrent, DateTimeOffset? PromotedAt);

/// <summary>What saving a model did: a model id is stored once and never overwritten.</summary>
/// <param name="Status">Saved; Unchanged when the id was stored already (whatever its bytes: the same id means the same
/// data and options, so the first artefact is kept)</param>
public sealed record ForecastModelSaveOutcome(DocumentSaveStatus Status, ForecastModelSummary Model);

/// <summary>The model registry of a store: trained models, which one is current, and when each was promoted.</summary>
public interface IForecastModelRepository
{
    Task<ForecastModelSaveOutcome> SaveAsync(StoredForecastModel model, CancellationToken cancellationToken = default);

    /// <summary>Every stored model, newest first.</summary>
    Task<IReadOnlyList<ForecastModelSummary>> ListAsync(CancellationToken cancellationToken = default);

    Task<ForecastModelSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The model with its artefact; null for an unknown id.</summary>
    Task<StoredForecastModel?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The current model; null when none has been promoted.</summary>
    Task<ForecastModelSummary?> CurrentAsync(CancellationToken cancellationToken = default);

    /// <summary>Makes a stored model the current one (the previous current one stays stored); null for an unknown id.</summary>
    Task<ForecastModelSummary?> PromoteAsync(string id, CancellationToken cancellationToken = default);
}
