using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// Where the questionnaire answers and the assessment profile documents of a store are kept. One implementation
/// per store, like the indicator repositories: JSON files in the embedded store's data directory, tables in PostGIS
/// (migration 0005). Both are held equal by one test-suite.
/// </summary>
/// <remarks>Implementations are safe for concurrent use.</remarks>
public interface IAssessmentRepository
{
    /// <summary>
    /// Upserts the rows by (code, year), all or nothing: a row replaces the stored row of its unit and year as a
    /// whole. The questionnaire version increases by one when anything was inserted or replaced.
    /// </summary>
    /// <param name="source">what the rows come from (a file name), recorded as the provenance of the version</param>
    /// <exception cref="ArgumentException">two rows have the same code and year.</exception>
    Task<QuestionnaireImportSummary> ImportQuestionnaireAsync(IReadOnlyList<QuestionnaireRow> rows, string source, CancellationToken cancellationToken = default);

    /// <summary>Every stored row (by code, then year) with the version and the last changing import.</summary>
    Task<QuestionnaireSnapshot> GetQuestionnaireAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored profile, by id then version (ordinal).</summary>
    Task<IReadOnlyList<StoredProfile>> GetProfilesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a profile under its (id, version) unless that pair is taken: the same content again is
    /// <see cref="DocumentSaveStatus.Unchanged"/>, other content a <see cref="DocumentSaveStatus.Conflict"/>; a stored
    /// profile is never overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">the id or version is empty, or <see cref="StoredProfile.Sha256"/> is not the hash of the text.</exception>
    Task<ProfileSaveOutcome> SaveProfileAsync(StoredProfile profile, CancellationToken cancellationToken = default);
}

/// <summary>The assessment repository that belongs to a store.</summary>
public static class AssessmentRepositories
{
    /// <summary>Files in <c>assessment/</c> of the embedded store's directory, or the tables of the PostGIS store.</summary>
    /// <exception cref="NotSupportedException">the store is of another kind.</exception>
    public static IAssessmentRepository For(ISpatialStore store) => store switch
    {
        EmbeddedStore embedded => new EmbeddedAssessmentRepository(Path.Combine(embedded.Directory, EmbeddedAssessmentRepository.FolderName)),
        PostGisStore postGis => new PostGisAssessmentRepository(postGis),
        _ => throw new NotSupportedException($"no assessment repository for a {store.Kind} store"),
    };

    /// <summary>Checks what every implementation must refuse before it writes.</summary>
    internal static void CheckRows(IReadOnlyList<QuestionnaireRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var seen = new HashSet<(string, int)>();
        foreach (var row in rows)
        {
            if (!seen.Add((row.Code, row.Year)))
                throw new ArgumentException($"two rows for kode {row.Code}, tahun {row.Year}", nameof(rows));
        }
    }

    internal static void CheckProfile(StoredProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Id);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Version);
        ArgumentNullException.ThrowIfNull(profile.Json);
        if (!string.Equals(StoredProfile.HashOf(profile.Json), profile.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"profile {profile.Id} {profile.Version}: Sha256 is not the SHA-256 of its text", nameof(profile));
    }

    /// <summary>Counts what upserting <paramref name="rows"/> over <paramref name="stored"/> does.</summary>
    internal static (int Inserted, int Replaced, int Unchanged, List<QuestionnaireRow> Changed) Compare(
        IReadOnlyList<QuestionnaireRow> rows, IReadOnlyDictionary<(string, int), QuestionnaireRow> stored)
    {
        int inserted = 0, replaced = 0, unchanged = 0;
        var changed = new List<QuestionnaireRow>();
        foreach (var row in rows)
        {
            if (!stored.TryGetValue((row.Code, row.Year), out var old)) inserted++;
            else if (old.Equals(row)) { unchanged++; continue; }
            else replaced++;
            changed.Add(row);
        }
        return (inserted, replaced, unchanged, changed);
    }

    internal static List<QuestionnaireRow> Ordered(IEnumerable<QuestionnaireRow> rows) =>
        rows.OrderBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Year).ToList();
}
