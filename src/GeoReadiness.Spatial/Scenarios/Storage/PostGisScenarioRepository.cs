using System.Text.Json;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using Npgsql;

namespace GeoReadiness.Spatial.Scenarios.Storage;

/// <summary>
/// Scenarios and runs in PostGIS (migration 0006): <c>georeadiness.scenario</c> (one row per id and version, the
/// document as the exact text saved) and <c>georeadiness.run</c> (one row per run; the result as text so that its
/// bytes are kept). A run is updated only while it is pending or running, in one statement.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the store's data source.</remarks>
public sealed class PostGisScenarioRepository(PostGisStore store) : IScenarioRepository
{
    private readonly NpgsqlDataSource _dataSource = store.DataSource;

    private const string ScenarioColumns = "id, version, title, document, sha256, saved_at";
    private const string InsertScenario = $"""
        INSERT INTO georeadiness.scenario ({ScenarioColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id, version) DO NOTHING
        """;
    private const string SelectScenarioVersions = $"SELECT {ScenarioColumns} FROM georeadiness.scenario WHERE id = $1";
    private const string SelectScenarios = $"SELECT {ScenarioColumns} FROM georeadiness.scenario";

    private const string RunFields = """
        id, kind, scenario_id, scenario_version, request, state, draws_done, percent, stage, created_at, started_at, finished_at, error
        """;
    private const string RunColumns = RunFields + ", provenance::text";
    private const string InsertRun = $"""
        INSERT INTO georeadiness.run ({RunFields}, provenance, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15)
        ON CONFLICT (id) DO NOTHING
        """;
    private const string SelectRun = $"SELECT {RunColumns}, result FROM georeadiness.run WHERE id = $1";
    private const string SelectRuns = $"""
        SELECT {RunColumns}, NULL::text FROM georeadiness.run
        WHERE ($1::text IS NULL OR scenario_id = $1) AND ($2::text IS NULL OR state = $2)
        ORDER BY created_at DESC, id LIMIT $3
        """;
    private const string UpdateRun = """
        UPDATE georeadiness.run SET state = $6, draws_done = $7, percent = $8, stage = $9, started_at = $11, finished_at = $12,
            error = $13, provenance = $14::jsonb, result = $15
        WHERE id = $1 AND state IN ('pending', 'running')
        """;
    private const string SelectRunState = "SELECT state FROM georeadiness.run WHERE id = $1";

    public async Task<ScenarioSaveOutcome> SaveScenarioAsync(StoredScenario scenario, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(scenario);
        var saved = ScenarioStorageChecks.Normalised(scenario);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(InsertScenario, connection))
        {
            AddParameters(insert, saved.Id, saved.Version, saved.Title, saved.Json, saved.Sha256, saved.SavedAt);
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                return new ScenarioSaveOutcome(DocumentSaveStatus.Saved, saved);
        }
        var existing = (await ReadScenariosAsync(connection, SelectScenarioVersions, saved.Id, cancellationToken).ConfigureAwait(false))
            .Single(s => s.Version == saved.Version);
        var same = string.Equals(existing.Sha256, saved.Sha256, StringComparison.Ordinal);
        return new ScenarioSaveOutcome(same ? DocumentSaveStatus.Unchanged : DocumentSaveStatus.Conflict, existing);
    }

    public async Task<StoredScenario?> GetScenarioAsync(string id, string? version = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return ScenarioStorageChecks.Pick(await ReadScenariosAsync(connection, SelectScenarioVersions, id, cancellationToken).ConfigureAwait(false), version);
    }

    public async Task<IReadOnlyList<ScenarioSummary>> ListScenariosAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return ScenarioStorageChecks.Summaries(await ReadScenariosAsync(connection, SelectScenarios, null, cancellationToken).ConfigureAwait(false));
    }

    public async Task CreateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(run);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(InsertRun, connection);
        AddRunParameters(insert, ScenarioStorageChecks.Normalised(run));
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            throw new ArgumentException($"run {run.Id} exists", nameof(run));
    }

    public async Task<RunRecord?> GetRunAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectRun, connection);
        AddParameters(select, id);
        return (await ReadRunsAsync(select, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectRuns, connection);
        AddParameters(select, query.ScenarioId, query.State is { } state ? StateName(state) : null, query.Limit);
        // the same order as the embedded store: created_at descending, ties by the id's text
        return ScenarioStorageChecks.Select(await ReadRunsAsync(select, cancellationToken).ConfigureAwait(false), query).ToList();
    }

    public async Task UpdateRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ScenarioStorageChecks.Check(run);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand(UpdateRun, connection))
        {
            AddRunParameters(update, ScenarioStorageChecks.Normalised(run));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1) return;
        }
        await using var select = new NpgsqlCommand(SelectRunState, connection);
        AddParameters(select, run.Id);
        if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string state) throw new KeyNotFoundException($"no run {run.Id}");
        throw new InvalidOperationException(ScenarioStorageChecks.RefusesUpdate(run with { State = ParseState(state) }));
    }

    private static string StateName(RunState state) => state.ToString().ToLowerInvariant();

    private static RunState ParseState(string state) => Enum.Parse<RunState>(state, ignoreCase: true);

    private static void AddParameters(NpgsqlCommand command, params object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }
    }

    private static void AddRunParameters(NpgsqlCommand command, RunRecord r)
    {
        AddParameters(command, r.Id, r.Kind, r.ScenarioId, r.ScenarioVersion, r.Request, StateName(r.State), r.DrawsDone, r.Percent, r.Stage, r.CreatedAt,
            null, null, r.Error, r.Provenance is null ? null : JsonSerializer.Serialize(r.Provenance, JsonFiles.Options), r.Result);
        // timestamps without a value still need their type
        command.Parameters[10] = Timestamp(r.StartedAt);
        command.Parameters[11] = Timestamp(r.FinishedAt);
    }

    private static NpgsqlParameter Timestamp(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };

    private static async Task<List<StoredScenario>> ReadScenariosAsync(NpgsqlConnection connection, string sql, string? id, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        if (id is not null) AddParameters(cmd, id);
        var scenarios = new List<StoredScenario>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            scenarios.Add(new StoredScenario(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return scenarios;
    }

    private static async Task<List<RunRecord>> ReadRunsAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            runs.Add(new RunRecord(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), ParseState(reader.GetString(5)),
                reader.GetInt32(6), reader.GetDouble(7), Text(8), reader.GetFieldValue<DateTimeOffset>(9), Time(10), Time(11), Text(12),
                Text(13) is { } provenance ? JsonSerializer.Deserialize<RunProvenanceRecord>(provenance, JsonFiles.Options) : null,
                Text(14)));
        }
        return runs;
    }
}
