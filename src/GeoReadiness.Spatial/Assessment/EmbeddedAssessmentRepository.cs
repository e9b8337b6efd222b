using System.Collections.Concurrent;
using System.Collections.Immutable;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// The questionnaire and the profiles as JSON files in a folder of the embedded store's data directory
/// (<c>assessment/questionnaire.json</c>, <c>assessment/profiles.json</c>). Each write goes to a temporary file that
/// is renamed over the old one, so a reader (or a crash) sees the whole old or the whole new file.
/// </summary>
/// <remarks>
/// Thread-safe: writes to one folder are serialised by a lock shared by every instance over that folder in the
/// process (other processes are kept out by the embedded store's lock file).
/// </remarks>
public sealed class EmbeddedAssessmentRepository : IAssessmentRepository
{
    /// <summary>Folder of the assessment files inside the embedded store's data directory.</summary>
    public const string FolderName = "assessment";
    private const string QuestionnaireFile = "questionnaire.json";
    private const string ProfilesFile = "profiles.json";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    private readonly string _root;
    private readonly SemaphoreSlim _lock;

    /// <param name="root">the folder, e.g. <c>Path.Combine(store.Directory, "assessment")</c></param>
    public EmbeddedAssessmentRepository(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _lock = Locks.GetOrAdd(_root, _ => new SemaphoreSlim(1, 1));
    }

    public async Task<QuestionnaireImportSummary> ImportQuestionnaireAsync(IReadOnlyList<QuestionnaireRow> rows, string source, CancellationToken cancellationToken = default)
    {
        AssessmentRepositories.CheckRows(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var document = await ReadAsync<QuestionnaireDocument>(QuestionnaireFile, cancellationToken) ?? new QuestionnaireDocument(0, null, null, []);
            var stored = document.Rows.Select(ToRow).ToDictionary(r => (r.Code, r.Year));
            var (inserted, replaced, unchanged, changed) = AssessmentRepositories.Compare(rows, stored);
            if (changed.Count == 0) return new QuestionnaireImportSummary(0, 0, unchanged, document.Version);
            foreach (var row in changed) stored[(row.Code, row.Year)] = row;
            var next = new QuestionnaireDocument(
                document.Version + 1, DateTimeOffset.UtcNow, source,
                AssessmentRepositories.Ordered(stored.Values).Select(r => new StoredRow(r.Code, r.Year, r.Values)).ToList());
            await WriteAsync(QuestionnaireFile, next, cancellationToken);
            return new QuestionnaireImportSummary(inserted, replaced, unchanged, next.Version);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<QuestionnaireSnapshot> GetQuestionnaireAsync(CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync<QuestionnaireDocument>(QuestionnaireFile, cancellationToken);
        return document is null
            ? QuestionnaireSnapshot.Empty
            : new QuestionnaireSnapshot(document.Rows.Select(ToRow).ToList(), document.Version, document.ImportedAt, document.Source);
    }

    public async Task<IReadOnlyList<StoredProfile>> GetProfilesAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync<List<StoredProfile>>(ProfilesFile, cancellationToken) ?? [];

    public async Task<ProfileSaveOutcome> SaveProfileAsync(StoredProfile profile, CancellationToken cancellationToken = default)
    {
        AssessmentRepositories.CheckProfile(profile);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var profiles = await ReadAsync<List<StoredProfile>>(ProfilesFile, cancellationToken) ?? [];
            var existing = profiles.FirstOrDefault(p => p.Id == profile.Id && p.Version == profile.Version);
            if (existing is not null)
            {
                var same = string.Equals(existing.Sha256, profile.Sha256, StringComparison.OrdinalIgnoreCase);
                return new ProfileSaveOutcome(same ? DocumentSaveStatus.Unchanged : DocumentSaveStatus.Conflict, existing);
            }
            var saved = profile with { Sha256 = profile.Sha256.ToLowerInvariant(), SavedAt = profile.SavedAt.ToUniversalTime() };
            profiles.Add(saved);
            await WriteAsync(ProfilesFile, profiles
                .OrderBy(p => p.Id, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal).ToList(), cancellationToken);
            return new ProfileSaveOutcome(DocumentSaveStatus.Saved, saved);
        }
        finally
        {
            _lock.Release();
        }
    }

    private Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken) where T : class =>
        JsonFiles.ReadAsync<T>(Path.Combine(_root, name), cancellationToken);

    private Task WriteAsync<T>(string name, T value, CancellationToken cancellationToken) =>
        JsonFiles.WriteAsync(Path.Combine(_root, name), value, cancellationToken);

    private static QuestionnaireRow ToRow(StoredRow r) => new(r.Code, r.Year, r.Values.ToImmutableSortedDictionary(StringComparer.Ordinal));

    private sealed record StoredRow(string Code, int Year, IReadOnlyDictionary<string, double> Values);

    private sealed record QuestionnaireDocument(long Version, DateTimeOffset? ImportedAt, string? Source, IReadOnlyList<StoredRow> Rows);
}
