using System.Collections.Immutable;
using System.Globalization;
using GeoReadiness.Spatial.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace GeoReadiness.Spatial.Storage.PostGis;

/// <summary>
/// The PostGIS backend of <see cref="ISpatialStore"/>: tables in schema <c>georeadiness</c>, created and upgraded
/// by versioned migrations when the store opens.
/// </summary>
/// <remarks>
/// Thread safety: safe for concurrent use; every call takes its own pooled connection. Writers are serialised
/// by an advisory lock, readers never wait for them (they see the last committed change).
/// Geometries travel as binary EWKB, so coordinates round-trip bit for bit.
/// </remarks>
public sealed class PostGisStore : ISpatialStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostGisStoreOptions _options;
    private readonly ILogger _logger;
    private int _disposed;

    private PostGisStore(NpgsqlDataSource dataSource, PostGisStoreOptions options, ILogger logger)
    {
        _dataSource = dataSource;
        _options = options;
        _logger = logger;
    }

    public StoreKind Kind => StoreKind.PostGis;

    /// <summary>
    /// Test-only: called inside the transaction of <see cref="ApplyAsync"/> after each layer has been written
    /// (layer names are the table names: admin_unit, fibre_route, tower, facility, population_cell), so tests can
    /// cancel or fail a change half-way and check that it is rolled back.
    /// </summary>
    internal Func<ApplyProgress, Task>? AfterLayerWritten { get; set; }

    /// <summary>How many versions the change log keeps; lowered by tests only.</summary>
    internal int ChangeLogCapacity { get; set; } = ChangeTracking.RetainedVersions;

    /// <summary>The pooled data source: the indicator engine and repository share it (same pool, same timeouts); tests inspect its settings.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    internal sealed record ApplyProgress(string Layer, NpgsqlConnection Connection, NpgsqlTransaction Transaction);

    public static Task<PostGisStore> OpenAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default) =>
        OpenAsync(connectionString, PostGisStoreOptions.Default, logger, cancellationToken);

    /// <summary>Connects, applies pending migrations and returns the store.</summary>
    public static async Task<PostGisStore> OpenAsync(string connectionString, PostGisStoreOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;

        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Server-side bound for every statement; ApplyAsync raises it for its own transaction.
        var timeout = "-c statement_timeout=" + Milliseconds(options.QueryTimeout);
        builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(builder.ConnectionStringBuilder.Options)
            ? timeout
            : builder.ConnectionStringBuilder.Options + " " + timeout;
        // The client-side timeout only backs up the server's: a statement is always stopped by the server first.
        builder.ConnectionStringBuilder.CommandTimeout = (int)Math.Ceiling(options.QueryTimeout.TotalSeconds) + 5;
        builder.UseNetTopologySuite(handleOrdinates: Ordinates.XY);
        var dataSource = builder.Build();
        try
        {
            var applied = await Migrator.ApplyAsync(dataSource, options, logger, cancellationToken).ConfigureAwait(false);
            // A migration may have installed PostGIS itself: reload so that geometry maps on every connection.
            if (applied > 0) await dataSource.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
            return new PostGisStore(dataSource, options, logger);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ reads

    public async Task<StoreSummary> GetSummaryAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot for both statements, so counts and version agree.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var perLevel = Enum.GetValues<AdminLevel>().ToDictionary(l => l, _ => 0);
        await using (var cmd = new NpgsqlCommand(PostGisSql.UnitsPerLevel, connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                perLevel[(AdminLevel)reader.GetInt16(0)] = reader.GetInt32(1);
        }
        await using (var cmd = new NpgsqlCommand(PostGisSql.LayerCountsAndVersion, connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var version = reader.IsDBNull(4) ? 0L : reader.GetInt64(4);
            DateTimeOffset? updatedAt = reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetFieldValue<DateTime>(5), TimeSpan.Zero);
            return new StoreSummary(StoreKind.PostGis, version, updatedAt, perLevel,
                reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        }
    }

    public async Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await using var cmd = _dataSource.CreateCommand(PostGisSql.FindUnit);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadUnit(reader) : null;
    }

    public async Task<IReadOnlyList<AdminUnit>> QueryUnitsAsync(UnitQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckPaging(query.Offset, query.Limit);
        await using var cmd = _dataSource.CreateCommand(PostGisSql.QueryUnits);
        cmd.Parameters.Add(Nullable(query.Level is { } level ? (short)level : null, NpgsqlDbType.Smallint));
        // Codes hold only digits and dots, none of them LIKE wildcards; anything else matches no unit.
        cmd.Parameters.Add(Nullable(query.Ancestor is null ? null : KemendagriCode.IsValid(query.Ancestor) ? query.Ancestor + ".%" : "", NpgsqlDbType.Text));
        AddBbox(cmd, query.Bbox);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Offset });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Limit });
        var units = new List<AdminUnit>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) units.Add(ReadUnit(reader));
        return units;
    }

    public Task<IReadOnlyList<FibreRoute>> QueryFibreRoutesAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        QueryLayerAsync(PostGisSql.QueryFibreRoutes, query, r => new FibreRoute
        {
            Id = r.GetString(0),
            Geometry = r.GetFieldValue<MultiLineString>(1),
            Status = Enum.Parse<FibreStatus>(r.GetString(2)),
            Year = r.IsDBNull(3) ? null : r.GetInt32(3),
            Owner = r.IsDBNull(4) ? null : r.GetString(4),
            Name = r.IsDBNull(5) ? null : r.GetString(5),
        }, cancellationToken);

    public Task<IReadOnlyList<Tower>> QueryTowersAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        QueryLayerAsync(PostGisSql.QueryTowers, query, r =>
        {
            var radii = ImmutableSortedDictionary.CreateBuilder<RadioTechnology, double>();
            for (var i = 0; i < RadiusColumns.Length; i++)
            {
                if (!r.IsDBNull(3 + i)) radii[RadiusColumns[i]] = r.GetDouble(3 + i);
            }
            return new Tower
            {
                Id = r.GetString(0),
                Location = r.GetFieldValue<Point>(1),
                Technologies = r.GetFieldValue<short[]>(2).Select(t => (RadioTechnology)t).ToImmutableSortedSet(),
                RadiusMetres = radii.ToImmutable(),
                CoverageArea = r.IsDBNull(7) ? null : r.GetFieldValue<MultiPolygon>(7),
                Operator = r.IsDBNull(8) ? null : r.GetString(8),
                Year = r.IsDBNull(9) ? null : r.GetInt32(9),
                Name = r.IsDBNull(10) ? null : r.GetString(10),
            };
        }, cancellationToken);

    public Task<IReadOnlyList<Facility>> QueryFacilitiesAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        QueryLayerAsync(PostGisSql.QueryFacilities, query, r => new Facility
        {
            Id = r.GetString(0),
            Location = r.GetFieldValue<Point>(1),
            Kind = Enum.Parse<FacilityKind>(r.GetString(2)),
            UnitCode = r.IsDBNull(3) ? null : r.GetString(3),
            Name = r.IsDBNull(4) ? null : r.GetString(4),
        }, cancellationToken);

    public Task<IReadOnlyList<PopulationCell>> QueryPopulationCellsAsync(FeatureQuery query, CancellationToken cancellationToken = default) =>
        QueryLayerAsync(PostGisSql.QueryPopulationCells, query, r => new PopulationCell
        {
            Id = r.GetString(0),
            Geometry = r.GetFieldValue<Geometry>(1),
            Population = r.GetInt32(2),
            Households = r.GetInt32(3),
        }, cancellationToken);

    public async Task<IReadOnlySet<string>> ExistingUnitCodesAsync(IEnumerable<string> codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var distinct = codes.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0) return new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExistingUnitCodesAsync(connection, null, distinct, cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ writes

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the change is validated against the committed hierarchy, each layer is COPied (binary)
    /// into a staging table and upserted, and the data version is bumped only when a row was inserted or
    /// actually changed. Any exception, cancellation included, rolls everything back.
    /// </remarks>
    public async Task<ChangeSummary> ApplyAsync(DatasetChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, PostGisSql.SetLocalStatementTimeout, cancellationToken, Milliseconds(_options.ApplyTimeout)).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, PostGisSql.AdvisoryXactLock, cancellationToken, PostGisSql.ApplyLockKey).ConfigureAwait(false);

        var external = ChangeValidator.ExternalParentCodes(change);
        var existingParents = external.Count == 0
            ? new HashSet<string>(StringComparer.Ordinal)
            : await ExistingUnitCodesAsync(connection, tx, external.ToArray(), cancellationToken).ConfigureAwait(false);
        ChangeValidator.Validate(change, existingParents);

        var unitLayer = await WriteLayerAsync(connection, tx, Layers.Units, change.Units, WriteUnitAsync, cancellationToken).ConfigureAwait(false);
        var fibreLayer = await WriteLayerAsync(connection, tx, Layers.FibreRoutes, change.FibreRoutes, WriteFibreRouteAsync, cancellationToken).ConfigureAwait(false);
        var towerLayer = await WriteLayerAsync(connection, tx, Layers.Towers, change.Towers, WriteTowerAsync, cancellationToken).ConfigureAwait(false);
        var facilityLayer = await WriteLayerAsync(connection, tx, Layers.Facilities, change.Facilities, WriteFacilityAsync, cancellationToken).ConfigureAwait(false);
        var cellLayer = await WriteLayerAsync(connection, tx, Layers.PopulationCells, change.PopulationCells, WritePopulationCellAsync, cancellationToken).ConfigureAwait(false);
        LayerWritten[] written = [unitLayer, fibreLayer, towerLayer, facilityLayer, cellLayer];
        var (units, fibre, towers, facilities, cells) = (unitLayer.Change, fibreLayer.Change, towerLayer.Change, facilityLayer.Change, cellLayer.Change);

        var changed = written.Any(w => w.Change.ChangedAnything);
        long version;
        await using (var cmd = new NpgsqlCommand(changed ? PostGisSql.BumpDataVersion : PostGisSql.CurrentDataVersion, connection, tx))
        {
            if (changed) cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.Source });
            cmd.CommandTimeout = 0;
            version = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (changed) await RecordChangesAsync(connection, tx, version, written, cancellationToken).ConfigureAwait(false);

        try
        {
            // Deferred constraints (the parent foreign key) are checked here.
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            throw new StoreIntegrityException($"change from '{change.Source}' rejected by the database: {e.MessageText}", [e.MessageText]);
        }

        var summary = new ChangeSummary(version, units, fibre, towers, facilities, cells);
        _logger.LogInformation("Applied change from {Source}: data version {Version}, units {Units}, fibre {Fibre}, towers {Towers}, facilities {Facilities}, cells {Cells}",
            change.Source, version, units, fibre, towers, facilities, cells);
        return summary;
    }

    /// <summary>The SQL of one layer's write; <see cref="Table"/> is also the layer's name for <see cref="AfterLayerWritten"/>.</summary>
    private sealed record LayerSql(FeatureLayer Layer, string Table, string CreateStaging, string Copy, string ChangedExtent, string Upsert);

    private static class Layers
    {
        public static readonly LayerSql Units = new(FeatureLayer.Units, "admin_unit", PostGisSql.CreateUnitStaging, PostGisSql.CopyUnits,
            PostGisSql.ChangedExtentUnits, PostGisSql.UpsertUnits);
        public static readonly LayerSql FibreRoutes = new(FeatureLayer.FibreRoutes, "fibre_route", PostGisSql.CreateFibreStaging, PostGisSql.CopyFibreRoutes,
            PostGisSql.ChangedExtentFibreRoutes, PostGisSql.UpsertFibreRoutes);
        public static readonly LayerSql Towers = new(FeatureLayer.Towers, "tower", PostGisSql.CreateTowerStaging, PostGisSql.CopyTowers,
            PostGisSql.ChangedExtentTowers, PostGisSql.UpsertTowers);
        public static readonly LayerSql Facilities = new(FeatureLayer.Facilities, "facility", PostGisSql.CreateFacilityStaging, PostGisSql.CopyFacilities,
            PostGisSql.ChangedExtentFacilities, PostGisSql.UpsertFacilities);
        public static readonly LayerSql PopulationCells = new(FeatureLayer.PopulationCells, "population_cell", PostGisSql.CreatePopulationCellStaging,
            PostGisSql.CopyPopulationCells, PostGisSql.ChangedExtentPopulationCells, PostGisSql.UpsertPopulationCells);
    }

    /// <param name="Extent">the box of the old and new geometries of the rows the upsert changed; null when none changed</param>
    private sealed record LayerWritten(FeatureLayer Layer, LayerChange Change, Envelope? Extent, double ReachMetres);

    private async Task<LayerWritten> WriteLayerAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction tx, LayerSql sql, IReadOnlyList<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return new LayerWritten(sql.Layer, LayerChange.None, null, 0);
        try
        {
            await ExecuteAsync(connection, tx, sql.CreateStaging, cancellationToken).ConfigureAwait(false);
            await using (var importer = await connection.BeginBinaryImportAsync(sql.Copy, cancellationToken).ConfigureAwait(false))
            {
                importer.Timeout = _options.ApplyTimeout;
                foreach (var row in rows)
                {
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await writeRow(importer, row, cancellationToken).ConfigureAwait(false);
                }
                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            // Read before the upsert: afterwards the old geometries are gone.
            Envelope? extent = null;
            double reach;
            await using (var cmd = new NpgsqlCommand(sql.ChangedExtent, connection, tx))
            {
                cmd.CommandTimeout = 0; // bounded by the transaction's statement_timeout
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!reader.IsDBNull(0)) extent = new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
                reach = reader.GetDouble(4);
            }

            LayerChange result;
            await using (var cmd = new NpgsqlCommand(sql.Upsert, connection, tx))
            {
                cmd.CommandTimeout = 0; // bounded by the transaction's statement_timeout
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var inserted = reader.GetInt32(0);
                var updated = reader.GetInt32(1);
                result = new LayerChange(inserted, updated, rows.Count - inserted - updated);
            }
            if (AfterLayerWritten is { } hook) await hook(new ApplyProgress(sql.Table, connection, tx)).ConfigureAwait(false);
            return result.ChangedAnything
                ? new LayerWritten(sql.Layer, result, extent, reach)
                : new LayerWritten(sql.Layer, result, null, 0);
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            throw new StoreIntegrityException($"{sql.Table}: rejected by the database: {e.MessageText}", [e.MessageText]);
        }
    }

    /// <summary>Logs the extent of every changed layer under <paramref name="version"/>, in the change's transaction.</summary>
    private async Task RecordChangesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long version, IReadOnlyList<LayerWritten> layers, CancellationToken cancellationToken)
    {
        var logged = layers.Where(l => l.Change.ChangedAnything && l.Extent is not null).ToArray();
        if (logged.Length != layers.Count(l => l.Change.ChangedAnything))
            throw new InvalidOperationException("a layer changed but its extent could not be measured"); // the extent and upsert statements disagree
        await using var cmd = new NpgsqlCommand(PostGisSql.RecordChanges, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = logged.Select(l => l.Layer.ToString()).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = logged.Select(l => l.Extent!.MinX).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = logged.Select(l => l.Extent!.MinY).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = logged.Select(l => l.Extent!.MaxX).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = logged.Select(l => l.Extent!.MaxY).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = logged.Select(l => l.ReachMetres).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ChangeLogCapacity });
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Reads the log's bounds and rows in one repeatable-read snapshot, so a concurrent change is either wholly in or wholly out.</remarks>
    public async Task<StoreChangeLog?> GetChangesSinceAsync(long sinceVersion, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceVersion);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long current;
        await using (var cmd = new NpgsqlCommand(PostGisSql.ChangeLogBounds, connection, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            current = reader.GetInt64(0);
            if (reader.IsDBNull(1) || !ChangeTracking.CanAnswer(sinceVersion, reader.GetInt64(1), current)) return null;
        }
        var extents = new List<ChangedExtent>();
        await using (var cmd = new NpgsqlCommand(PostGisSql.ChangesSince, connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sinceVersion });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                extents.Add(new ChangedExtent(reader.GetInt64(0), Enum.Parse<FeatureLayer>(reader.GetString(1)),
                    new Envelope(reader.GetDouble(2), reader.GetDouble(4), reader.GetDouble(3), reader.GetDouble(5)), reader.GetDouble(6)));
            }
        }
        // Same order as the embedded store: by version, then layer.
        IReadOnlyList<ChangedExtent> ordered = extents.OrderBy(e => e.DataVersion).ThenBy(e => e.Layer).ToArray();
        return new StoreChangeLog(sinceVersion, current, ordered.Any(e => e.Layer == FeatureLayer.Units), ordered);
    }

    private static readonly RadioTechnology[] RadiusColumns = [RadioTechnology.G2, RadioTechnology.G3, RadioTechnology.G4, RadioTechnology.G5];

    private static async Task WriteUnitAsync(NpgsqlBinaryImporter w, AdminUnit u, CancellationToken ct)
    {
        await w.WriteAsync(u.Code, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(u.Name, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync((short)u.Level, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
        await w.WriteAsync(u.Kind.ToString(), NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, u.ParentCode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(u.Geometry, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, u.Population, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, u.Households, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await w.WriteAsync(Attributes.ToJson(u.Attributes), NpgsqlDbType.Jsonb, ct).ConfigureAwait(false);
    }

    private static async Task WriteFibreRouteAsync(NpgsqlBinaryImporter w, FibreRoute f, CancellationToken ct)
    {
        await w.WriteAsync(f.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(f.Geometry, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await w.WriteAsync(f.Status.ToString(), NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, f.Year, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, f.Owner, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, f.Name, NpgsqlDbType.Text, ct).ConfigureAwait(false);
    }

    private static async Task WriteTowerAsync(NpgsqlBinaryImporter w, Tower t, CancellationToken ct)
    {
        await w.WriteAsync(t.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(t.Location, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await w.WriteAsync(t.Technologies.Select(x => (short)x).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
        foreach (var tech in RadiusColumns)
        {
            await WriteNullableAsync(w, t.RadiusMetres.TryGetValue(tech, out var r) ? r : (double?)null, NpgsqlDbType.Double, ct).ConfigureAwait(false);
        }
        if (t.CoverageArea is null) await w.WriteNullAsync(ct).ConfigureAwait(false);
        else await w.WriteAsync(t.CoverageArea, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, t.Operator, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, t.Year, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, t.Name, NpgsqlDbType.Text, ct).ConfigureAwait(false);
    }

    private static async Task WriteFacilityAsync(NpgsqlBinaryImporter w, Facility f, CancellationToken ct)
    {
        await w.WriteAsync(f.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(f.Location, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await w.WriteAsync(f.Kind.ToString(), NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, f.UnitCode, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await WriteNullableAsync(w, f.Name, NpgsqlDbType.Text, ct).ConfigureAwait(false);
    }

    private static async Task WritePopulationCellAsync(NpgsqlBinaryImporter w, PopulationCell c, CancellationToken ct)
    {
        await w.WriteAsync(c.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
        await w.WriteAsync(c.Geometry, NpgsqlDbType.Geometry, ct).ConfigureAwait(false);
        await w.WriteAsync(c.Population, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await w.WriteAsync(c.Households, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter w, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, type, ct);

    private static Task WriteNullableAsync<TValue>(NpgsqlBinaryImporter w, TValue? value, NpgsqlDbType type, CancellationToken ct)
        where TValue : struct =>
        value is { } v ? w.WriteAsync(v, type, ct) : w.WriteNullAsync(ct);

    // ------------------------------------------------------------------ helpers

    private async Task<IReadOnlyList<T>> QueryLayerAsync<T>(string sql, FeatureQuery query, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckPaging(query.Offset, query.Limit);
        await using var cmd = _dataSource.CreateCommand(sql);
        AddBbox(cmd, query.Bbox);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Offset });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = query.Limit });
        var rows = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    private static AdminUnit ReadUnit(NpgsqlDataReader r) => new()
    {
        Code = r.GetString(0),
        Name = r.GetString(1),
        Level = (AdminLevel)r.GetInt16(2),
        Kind = Enum.Parse<UnitKind>(r.GetString(3)),
        ParentCode = r.IsDBNull(4) ? null : r.GetString(4),
        Geometry = r.GetFieldValue<MultiPolygon>(5),
        Population = r.IsDBNull(6) ? null : r.GetInt64(6),
        Households = r.IsDBNull(7) ? null : r.GetInt64(7),
        Attributes = Attributes.FromJson(r.GetString(8)),
    };

    private static async Task<IReadOnlySet<string>> ExistingUnitCodesAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string[] codes, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(PostGisSql.ExistingUnitCodes, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = codes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) found.Add(reader.GetString(0));
        return found;
    }

    private static void AddBbox(NpgsqlCommand cmd, Envelope? bbox)
    {
        if (bbox is not null && bbox.IsNull) throw new ArgumentException("the bounding box is empty", nameof(bbox));
        cmd.Parameters.Add(Nullable(bbox?.MinX, NpgsqlDbType.Double));
        cmd.Parameters.Add(Nullable(bbox?.MinY, NpgsqlDbType.Double));
        cmd.Parameters.Add(Nullable(bbox?.MaxX, NpgsqlDbType.Double));
        cmd.Parameters.Add(Nullable(bbox?.MaxY, NpgsqlDbType.Double));
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) =>
        new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static void CheckPaging(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
    }

    internal static string Milliseconds(TimeSpan t) =>
        ((long)Math.Ceiling(t.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    internal static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
