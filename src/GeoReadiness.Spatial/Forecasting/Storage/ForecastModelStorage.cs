using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Spatial.Scenarios.Storage;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;

namespace GeoReadiness.Spatial.Forecasting.Storage;

/// <summary>The forecast model registry that belongs to a store.</summary>
public static class ForecastModelRepositories
{
    /// <summary>Files in <c>models/</c> of the embedded store's directory, or the tables of the PostGIS store (migration 0007).</summary>
    /// <exception cref="NotSupportedException">the store is of another kind.</exception>
    public static IForecastModelRepository For(ISpatialStore store) => store switch
    {
        EmbeddedStore embedded => new EmbeddedForecastModelRepository(embedded.Directory),
        PostGisStore postGis => new PostGisForecastModelRepository(postGis),
        _ => throw new NotSupportedException($"no forecast model repository for a {store.Kind} store"),
    };
}

/// <summary>The checks every <see cref="IForecastModelRepository"/> makes before it writes, and the order both stores list in.</summary>
public static partial class ForecastModelStorageChecks
{
    [GeneratedRegex("^fm-[0-9a-f]{16}$")]
    private static partial Regex ModelId();

    /// <summary>"fm-" and 16 lowercase hex digits: the form of <c>ForecastManifest.VersionId</c>, and never a path.</summary>
    public static bool IsId(string? id) => id is not null && ModelId().IsMatch(id);

    /// <summary>Lowercase hex SHA-256 of an artefact.</summary>
    public static string HashOf(byte[] artefact) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(artefact));

    /// <exception cref="ArgumentException">the id is not a model id, the manifest is not a JSON object, the artefact is empty,
    /// or the hash is not that of the artefact.</exception>
    internal static void Check(StoredForecastModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsId(model.Id)) throw new ArgumentException($"model id '{model.Id}' is not \"fm-\" and 16 lowercase hex digits", nameof(model));
        ArgumentNullException.ThrowIfNull(model.Artefact);
        if (model.Artefact.Length == 0) throw new ArgumentException($"model {model.Id}: the artefact is empty", nameof(model));
        if (!string.Equals(HashOf(model.Artefact), model.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"model {model.Id}: Sha256 is not the SHA-256 of its artefact", nameof(model));
        try
        {
            using var manifest = JsonDocument.Parse(model.ManifestJson ?? "");
            if (manifest.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException($"model {model.Id}: the manifest is not a JSON object", nameof(model));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"model {model.Id}: the manifest is not JSON ({e.Message})", nameof(model), e);
        }
    }

    internal static StoredForecastModel Normalised(StoredForecastModel model) =>
        model with { Sha256 = model.Sha256.ToLowerInvariant(), SavedAt = ScenarioStorageChecks.Microseconds(model.SavedAt) };

    internal static DateTimeOffset Microseconds(DateTimeOffset t) => ScenarioStorageChecks.Microseconds(t);

    /// <summary>Newest first; models saved at the same instant by id.</summary>
    internal static IReadOnlyList<ForecastModelSummary> NewestFirst(IEnumerable<ForecastModelSummary> models) => models
        .OrderByDescending(m => m.SavedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
        .ToList();
}
