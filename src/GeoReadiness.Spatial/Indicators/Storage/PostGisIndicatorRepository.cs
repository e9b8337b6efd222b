using System.Text.Json;
using GeoReadiness.Spatial.Storage.PostGis;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Indicators.Storage;

/// <summary>
/// Indicator sets in PostGIS (migration 0004): <c>georeadiness.indicator_set</c> holds the provenance of each set,
/// <c>georeadiness.unit_indicators</c> one row per unit with its indicators and, for leaves, its measures as jsonb.
/// A set is written in one transaction by binary COPY, so readers see all of it or none.
/// </summary>
/// <remarks>Thread-safe: every call takes its own pooled connection from the store's data source.</remarks>
public sealed class PostGisIndicatorRepository(PostGisStore store) : IIndicatorRepository
{
    private readonly NpgsqlDataSource _dataSource = store.DataSource;

    private const string InsertSet = """
        INSERT INTO georeadiness.indicator_set
            (id, engine, options_key, options, data_version, rules_version, format, computed_at, statistics, units, leaves)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """;

    private const string CopyUnits = """
        COPY georeadiness.unit_indicators (set_id, code, level, parent_code, indicators, leaf) FROM STDIN (FORMAT BINARY)
        """;

    // Older sets beyond the kept number; their unit rows go with them (ON DELETE CASCADE).
    private const string DeleteOld = """
        DELETE FROM georeadiness.indicator_set
        WHERE engine = $1 AND options_key = $2
          AND id NOT IN (SELECT id FROM georeadiness.indicator_set WHERE engine = $1 AND options_key = $2
                         ORDER BY computed_at DESC, id LIMIT $3)
        """;

    // Sets of the options computed least recently beyond the kept number of options.
    private const string DeleteLeastRecentOptions = """
        DELETE FROM georeadiness.indicator_set
        WHERE engine = $1
          AND options_key NOT IN (SELECT options_key FROM georeadiness.indicator_set WHERE engine = $1
                                  GROUP BY options_key ORDER BY max(computed_at) DESC, options_key LIMIT $2)
        """;

    private const string SelectLatest = """
        SELECT id, engine, options::text, data_version, rules_version, format, computed_at, statistics::text, units, leaves
        FROM georeadiness.indicator_set
        WHERE engine = $1 AND options_key = $2 AND rules_version = $3 AND format = $4
        ORDER BY computed_at DESC, id
        LIMIT 1
        """;

    private const string SelectUnits = """
        SELECT indicators::text, leaf::text FROM georeadiness.unit_indicators WHERE set_id = $1 ORDER BY code
        """;

    public async Task SaveAsync(IndicatorSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        var header = IndicatorSetCodec.Header(set);
        var optionsKey = IndicatorSetCodec.OptionsKey(set.Options);
        var leaves = set.Leaves.ToDictionary(l => l.Code, StringComparer.Ordinal);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A national set is ~90,000 rows: the store's read timeout is too short for it.
        await PostGisStore.ExecuteAsync(connection, tx, "SET LOCAL statement_timeout = 0", cancellationToken).ConfigureAwait(false);
        await using (var insert = new NpgsqlCommand(InsertSet, connection, tx))
        {
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = set.Id });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = set.Engine });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = optionsKey });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Jsonb(header.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = set.DataVersion });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = set.Rules });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = IndicatorSetCodec.Format });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = set.ComputedAt.ToUniversalTime() });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Jsonb(header.Statistics), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = set.Units.Count });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = set.Leaves.Count });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var writer = await connection.BeginBinaryImportAsync(CopyUnits, cancellationToken).ConfigureAwait(false))
        {
            foreach (var unit in set.Units)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(set.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(unit.Code, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync((short)unit.Level, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                if (unit.ParentCode is null) await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                else await writer.WriteAsync(unit.ParentCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(JsonSerializer.Serialize(unit, IndicatorSetCodec.Json), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                if (leaves.Remove(unit.Code, out var leaf))
                    await writer.WriteAsync(JsonSerializer.Serialize(leaf, IndicatorSetCodec.Json), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                else
                    await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            if (leaves.Count > 0)
                throw new ArgumentException($"the set has measures for {leaves.Count} leaves that are not among its units, e.g. '{leaves.Keys.First()}'", nameof(set));
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        await PostGisStore.ExecuteAsync(connection, tx, DeleteOld, cancellationToken, set.Engine, optionsKey, IIndicatorRepository.KeptPerOptions).ConfigureAwait(false);
        await PostGisStore.ExecuteAsync(connection, tx, DeleteLeastRecentOptions, cancellationToken, set.Engine, IIndicatorRepository.KeptOptions).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IndicatorSet?> GetLatestAsync(string engine, IndicatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for both statements: a concurrent save that deletes this set cannot take its rows away.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        IndicatorSetCodec.SetHeader header;
        await using (var cmd = new NpgsqlCommand(SelectLatest, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = engine });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = IndicatorSetCodec.OptionsKey(options) });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = IndicatorSet.RulesVersion });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = IndicatorSetCodec.Format });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            header = new IndicatorSetCodec.SetHeader(
                reader.GetInt32(5),
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetInt64(3),
                reader.GetString(4),
                Parse<IndicatorSetCodec.StoredOptions>(reader.GetString(2)),
                new DateTimeOffset(reader.GetFieldValue<DateTime>(6), TimeSpan.Zero),
                Parse<IndicatorRunStatistics>(reader.GetString(7)),
                reader.GetInt32(8),
                reader.GetInt32(9));
        }

        var units = new List<UnitIndicators>(header.Units);
        var leaves = new List<LeafMeasures>(header.Leaves);
        await using (var cmd = new NpgsqlCommand(SelectUnits, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = header.Id });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                units.Add(Parse<UnitIndicators>(reader.GetString(0)));
                if (!reader.IsDBNull(1)) leaves.Add(Parse<LeafMeasures>(reader.GetString(1)));
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return IndicatorSetCodec.ToSet(header, units, leaves);
    }

    private static string Jsonb<T>(T value) => JsonSerializer.Serialize(value, IndicatorSetCodec.Json);

    private static T Parse<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, IndicatorSetCodec.Json) ?? throw new InvalidDataException($"stored {typeof(T).Name} is null");
}
