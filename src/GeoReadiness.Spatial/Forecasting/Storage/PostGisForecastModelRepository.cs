using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.PostGis;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Forecasting.Storage;

/// <summary>
/// The model registry in PostGIS (migration 0007): <c>georeadiness.forecast_model</c> (one row per model: manifest,
/// artefact, hash, when saved and last promoted), <c>georeadiness.forecast_model_current</c> (a single row: the current
/// model) and <c>georeadiness.forecast_model_promotion</c> (every promotion). A promotion writes all three in one
/// transaction.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the store's data source.</remarks>
public sealed class PostGisForecastModelRepository(PostGisStore store) : IForecastModelRepository
{
    private readonly NpgsqlDataSource _dataSource = store.DataSource;

    private const string Insert = """
        INSERT INTO georeadiness.forecast_model (id, manifest, artefact, sha256, saved_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (id) DO NOTHING
        """;
    private const string SummaryColumns = """
        SELECT m.id, m.manifest::text, m.sha256, octet_length(m.artefact)::bigint, m.saved_at, c.model_id IS NOT NULL, m.promoted_at
        FROM georeadiness.forecast_model m LEFT JOIN georeadiness.forecast_model_current c ON c.model_id = m.id
        """;
    private const string SelectSummaries = SummaryColumns + " ORDER BY m.saved_at DESC, m.id";
    private const string SelectSummary = SummaryColumns + " WHERE m.id = $1";
    private const string SelectCurrent = SummaryColumns + " WHERE c.model_id IS NOT NULL";
    private const string SelectModel = "SELECT id, manifest::text, artefact, sha256, saved_at FROM georeadiness.forecast_model WHERE id = $1";
    private const string MarkPromoted = "UPDATE georeadiness.forecast_model SET promoted_at = $2 WHERE id = $1";
    private const string SetCurrent = """
        INSERT INTO georeadiness.forecast_model_current (singleton, model_id, promoted_at) VALUES (true, $1, $2)
        ON CONFLICT (singleton) DO UPDATE SET model_id = EXCLUDED.model_id, promoted_at = EXCLUDED.promoted_at
        """;
    private const string RecordPromotion = "INSERT INTO georeadiness.forecast_model_promotion (model_id, promoted_at) VALUES ($1, $2)";

    public async Task<ForecastModelSaveOutcome> SaveAsync(StoredForecastModel model, CancellationToken cancellationToken = default)
    {
        ForecastModelStorageChecks.Check(model);
        var saved = ForecastModelStorageChecks.Normalised(model);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        int inserted;
        await using (var insert = new NpgsqlCommand(Insert, connection))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = saved.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = saved.ManifestJson, NpgsqlDbType = NpgsqlDbType.Json });
            insert.Parameters.Add(new NpgsqlParameter { Value = saved.Artefact, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = saved.Sha256 });
            insert.Parameters.Add(new NpgsqlParameter { Value = saved.SavedAt });
            inserted = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var summary = (await ReadSummariesAsync(connection, null, SelectSummary, saved.Id, cancellationToken).ConfigureAwait(false)).Single();
        return new ForecastModelSaveOutcome(inserted == 1 ? DocumentSaveStatus.Saved : DocumentSaveStatus.Unchanged, summary);
    }

    public async Task<IReadOnlyList<ForecastModelSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // the same order as the embedded store: saved_at descending, ties by id
        return ForecastModelStorageChecks.NewestFirst(await ReadSummariesAsync(connection, null, SelectSummaries, null, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ForecastModelSummary?> GetSummaryAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadSummariesAsync(connection, null, SelectSummary, id, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<StoredForecastModel?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(SelectModel, connection);
        select.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new StoredForecastModel(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3),
            reader.GetFieldValue<DateTimeOffset>(4));
    }

    public async Task<ForecastModelSummary?> CurrentAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadSummariesAsync(connection, null, SelectCurrent, null, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<ForecastModelSummary?> PromoteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!ForecastModelStorageChecks.IsId(id)) return null;
        var at = ForecastModelStorageChecks.Microseconds(DateTimeOffset.UtcNow);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await ExecuteAsync(connection, tx, MarkPromoted, id, at, cancellationToken).ConfigureAwait(false) == 0) return null; // rolled back on dispose
        await ExecuteAsync(connection, tx, SetCurrent, id, at, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, RecordPromotion, id, at, cancellationToken).ConfigureAwait(false);
        var summary = (await ReadSummariesAsync(connection, tx, SelectSummary, id, cancellationToken).ConfigureAwait(false)).Single();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<ForecastModelSummary>> ReadSummariesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, string? id,
        CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(sql, connection, tx);
        if (id is not null) select.Parameters.Add(new NpgsqlParameter { Value = id });
        var models = new List<ForecastModelSummary>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add(new ForecastModelSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return models;
    }
}
