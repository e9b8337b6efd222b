using System.Collections.Immutable;
using System.Text.Json;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.PostGis;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// The questionnaire and the profiles in PostGIS (migration 0005): <c>georeadiness.questionnaire_row</c> (one row
/// per code and year, answers as jsonb), <c>georeadiness.questionnaire_import</c> (the version log) and
/// <c>georeadiness.assessment_profile</c>. An import is one transaction that first locks the version log, so
/// concurrent imports are applied one after the other and each sees the other's rows.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the store's data source.</remarks>
public sealed class PostGisAssessmentRepository(PostGisStore store) : IAssessmentRepository
{
    private readonly NpgsqlDataSource _dataSource = store.DataSource;

    private const string LockLog = "LOCK TABLE georeadiness.questionnaire_import IN EXCLUSIVE MODE";
    private const string SelectRows = """SELECT code, year, "values"::text FROM georeadiness.questionnaire_row ORDER BY code, year""";
    private const string SelectVersion = """
        SELECT version, source, imported_at FROM georeadiness.questionnaire_import ORDER BY version DESC LIMIT 1
        """;
    private const string Upsert = """
        INSERT INTO georeadiness.questionnaire_row (code, year, "values", source, imported_at)
        SELECT r.code, r.year, r.v, $4::text, $5::timestamptz FROM unnest($1::text[], $2::integer[], $3::jsonb[]) AS r(code, year, v)
        ON CONFLICT (code, year) DO UPDATE SET "values" = EXCLUDED."values", source = EXCLUDED.source, imported_at = EXCLUDED.imported_at
        """;
    private const string InsertVersion = """
        INSERT INTO georeadiness.questionnaire_import (version, source, imported_at, inserted, replaced, unchanged)
        VALUES ($1, $2, $3, $4, $5, $6)
        """;
    private const string SelectProfiles = """
        SELECT id, version, document, sha256, saved_at FROM georeadiness.assessment_profile ORDER BY id, version
        """;
    private const string InsertProfile = """
        INSERT INTO georeadiness.assessment_profile (id, version, document, sha256, saved_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (id, version) DO NOTHING
        """;
    private const string SelectProfile = """
        SELECT id, version, document, sha256, saved_at FROM georeadiness.assessment_profile WHERE id = $1 AND version = $2
        """;

    public async Task<QuestionnaireImportSummary> ImportQuestionnaireAsync(IReadOnlyList<QuestionnaireRow> rows, string source, CancellationToken cancellationToken = default)
    {
        AssessmentRepositories.CheckRows(rows);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostGisStore.ExecuteAsync(connection, tx, LockLog, cancellationToken).ConfigureAwait(false);
        var (stored, version, _, _) = await ReadAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        var (inserted, replaced, unchanged, changed) = AssessmentRepositories.Compare(rows, stored.ToDictionary(r => (r.Code, r.Year)));
        if (changed.Count == 0) return new QuestionnaireImportSummary(0, 0, unchanged, version);

        var now = DateTimeOffset.UtcNow;
        await using (var upsert = new NpgsqlCommand(Upsert, connection, tx))
        {
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = changed.Select(r => r.Code).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = changed.Select(r => r.Year).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string[]>
            {
                TypedValue = changed.Select(r => JsonSerializer.Serialize(r.Values)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            });
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await PostGisStore.ExecuteAsync(connection, tx, InsertVersion, cancellationToken, version + 1, source, now, inserted, replaced, unchanged).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new QuestionnaireImportSummary(inserted, replaced, unchanged, version + 1);
    }

    public async Task<QuestionnaireSnapshot> GetQuestionnaireAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for rows and version, so a concurrent import is seen whole or not at all.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var (rows, version, importedAt, source) = await ReadAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new QuestionnaireSnapshot(rows, version, importedAt, source);
    }

    public async Task<IReadOnlyList<StoredProfile>> GetProfilesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(SelectProfiles, connection);
        return await ReadProfilesAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProfileSaveOutcome> SaveProfileAsync(StoredProfile profile, CancellationToken cancellationToken = default)
    {
        AssessmentRepositories.CheckProfile(profile);
        var saved = profile with { Sha256 = profile.Sha256.ToLowerInvariant(), SavedAt = profile.SavedAt.ToUniversalTime() };
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(InsertProfile, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Version });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Json });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Sha256 });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = saved.SavedAt });
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                return new ProfileSaveOutcome(DocumentSaveStatus.Saved, saved);
        }
        await using var select = new NpgsqlCommand(SelectProfile, connection);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Id });
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = saved.Version });
        var existing = (await ReadProfilesAsync(select, cancellationToken).ConfigureAwait(false)).Single();
        var same = string.Equals(existing.Sha256, saved.Sha256, StringComparison.Ordinal);
        return new ProfileSaveOutcome(same ? DocumentSaveStatus.Unchanged : DocumentSaveStatus.Conflict, existing);
    }

    private static async Task<(List<QuestionnaireRow> Rows, long Version, DateTimeOffset? ImportedAt, string? Source)> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var rows = new List<QuestionnaireRow>();
        await using (var cmd = new NpgsqlCommand(SelectRows, connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(2))
                    ?? throw new InvalidDataException("stored questionnaire answers are null");
                rows.Add(new QuestionnaireRow(reader.GetString(0), reader.GetInt32(1), values.ToImmutableSortedDictionary(StringComparer.Ordinal)));
            }
        }
        await using (var cmd = new NpgsqlCommand(SelectVersion, connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return (rows, 0, null, null);
            return (rows, reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(1));
        }
    }

    private static async Task<List<StoredProfile>> ReadProfilesAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var profiles = new List<StoredProfile>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            profiles.Add(new StoredProfile(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        return profiles;
    }
}
