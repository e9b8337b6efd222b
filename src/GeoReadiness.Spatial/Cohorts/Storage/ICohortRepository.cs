using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;

namespace GeoReadiness.Spatial.Cohorts.Storage;

/// <summary>
/// A saved mentoring cohort (docs/cohorts.md, "Storage"): the result's JSON exactly as the engine wrote it (it holds
/// the request, its hash, the seed and the data, questionnaire and model versions in its provenance), stamped with an
/// id and the time it was saved. The columns beside it are copies of what the list shows. Never changed once saved.
/// </summary>
/// <param name="Objective">the objective's wire name (<c>most_ready</c>, …)</param>
/// <param name="Level">the level of the pool, e.g. <c>regency</c></param>
/// <param name="Year">the year of the scores</param>
/// <param name="RequestSha256">lowercase hex SHA-256 of the request's canonical JSON</param>
/// <param name="Json">the cohort result's JSON, as written</param>
public sealed record StoredCohort(Guid Id, DateTimeOffset CreatedAt, int K, string Objective, string? Level, int? Year,
    string RequestSha256, ulong Seed, string Json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The cohort as served: <c>id</c> and <c>createdAt</c>, then the result's own keys in their order.</summary>
    /// <exception cref="InvalidDataException">the stored JSON is not an object</exception>
    public string Document()
    {
        var result = JsonNode.Parse(Json) as JsonObject ?? throw new InvalidDataException($"cohort {Id:N} is not a JSON object");
        var document = new JsonObject { ["id"] = Id.ToString("N"), ["createdAt"] = CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in result.ToArray())
        {
            result.Remove(key);
            document[key] = value;
        }
        return document.ToJsonString(Indented);
    }

    /// <summary>The record without its result, as listed.</summary>
    public StoredCohort WithoutResult() => this with { Json = "" };
}

/// <summary>
/// Where a store keeps saved cohorts: <c>cohorts/{id}.json</c> in the embedded store's directory, the table
/// <c>georeadiness.cohort</c> in PostGIS (migration 0008). Both are held equal by one test-suite.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface ICohortRepository
{
    /// <summary>Stores a new cohort.</summary>
    /// <exception cref="ArgumentException">a cohort with its id exists, or the record is incomplete (empty JSON, a hash that is not 64 hex digits, K &lt; 1).</exception>
    Task SaveAsync(StoredCohort cohort, CancellationToken cancellationToken = default);

    /// <summary>The cohort with its result, or null.</summary>
    Task<StoredCohort?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Every saved cohort without its result (<see cref="StoredCohort.Json"/> empty), most recent first, ties by id.</summary>
    Task<IReadOnlyList<StoredCohort>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>The cohort repository that belongs to a store.</summary>
public static class CohortRepositories
{
    /// <exception cref="NotSupportedException">the store is of another kind.</exception>
    public static ICohortRepository For(ISpatialStore store) => store switch
    {
        EmbeddedStore embedded => new EmbeddedCohortRepository(embedded.Directory),
        PostGisStore postGis => new PostGisCohortRepository(postGis),
        _ => throw new NotSupportedException($"no cohort repository for a {store.Kind} store"),
    };

    /// <summary>Refuses an incomplete record.</summary>
    internal static void Check(StoredCohort cohort)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        if (string.IsNullOrWhiteSpace(cohort.Json)) throw new ArgumentException("a saved cohort needs its result JSON", nameof(cohort));
        if (cohort.RequestSha256.Length != 64 || !cohort.RequestSha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{cohort.RequestSha256}' is not a lowercase hex SHA-256", nameof(cohort));
        if (cohort.K < 1) throw new ArgumentException($"k must be at least 1 (got {cohort.K})", nameof(cohort));
        if (string.IsNullOrWhiteSpace(cohort.Objective)) throw new ArgumentException("a saved cohort needs its objective", nameof(cohort));
    }

    /// <summary>Microsecond timestamps in UTC (what PostgreSQL keeps), so that both stores give back equal records.</summary>
    public static StoredCohort Normalised(StoredCohort cohort) =>
        cohort with { CreatedAt = new DateTimeOffset(cohort.CreatedAt.UtcTicks - cohort.CreatedAt.UtcTicks % 10, TimeSpan.Zero) };

    internal static IEnumerable<StoredCohort> Ordered(IEnumerable<StoredCohort> cohorts) =>
        cohorts.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id.ToString("N"), StringComparer.Ordinal);
}
