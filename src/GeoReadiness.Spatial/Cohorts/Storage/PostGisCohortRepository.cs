using GeoReadiness.Spatial.Storage.PostGis;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Cohorts.Storage;

/// <summary>
/// Saved cohorts in PostGIS (migration 0008): <c>georeadiness.cohort</c>, one row per cohort, the result as text so
/// that its bytes are kept.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the store's data source.</remarks>
public sealed class PostGisCohortRepository(PostGisStore store) : ICohortRepository
{
    private readonly NpgsqlDataSource _dataSource = store.DataSource;

    private const string Columns = "id, created_at, k, objective, level, year, request_sha256, seed";
    private const string Insert = $"INSERT INTO georeadiness.cohort ({Columns}, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING";
    private const string SelectOne = $"SELECT {Columns}, result FROM georeadiness.cohort WHERE id = $1";
    private const string SelectAll = $"SELECT {Columns}, '' FROM georeadiness.cohort";

    public async Task SaveAsync(StoredCohort cohort, CancellationToken cancellationToken = default)
    {
        CohortRepositories.Check(cohort);
        var c = CohortRepositories.Normalised(cohort);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(Insert, connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = c.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = c.CreatedAt });
        insert.Parameters.Add(new NpgsqlParameter { Value = c.K });
        insert.Parameters.Add(new NpgsqlParameter { Value = c.Objective });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)c.Level ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)c.Year ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = c.RequestSha256 });
        insert.Parameters.Add(new NpgsqlParameter { Value = (decimal)c.Seed, NpgsqlDbType = NpgsqlDbType.Numeric });
        insert.Parameters.Add(new NpgsqlParameter { Value = c.Json });
        if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            throw new ArgumentException($"cohort {c.Id:N} exists", nameof(cohort));
    }

    public async Task<StoredCohort?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await ReadAsync(SelectOne, id, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<StoredCohort>> ListAsync(CancellationToken cancellationToken = default) =>
        CohortRepositories.Ordered(await ReadAsync(SelectAll, null, cancellationToken).ConfigureAwait(false)).ToList();

    private async Task<List<StoredCohort>> ReadAsync(string sql, Guid? id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = new NpgsqlCommand(sql, connection);
        if (id is { } value) select.Parameters.Add(new NpgsqlParameter { Value = value });
        var cohorts = new List<StoredCohort>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cohorts.Add(new StoredCohort(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetString(6),
                (ulong)reader.GetDecimal(7), reader.GetString(8)));
        }
        return cohorts;
    }
}
