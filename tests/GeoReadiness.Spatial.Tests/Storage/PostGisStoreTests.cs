using System.Diagnostics;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static GeoReadiness.Spatial.Tests.Storage.TestFeatures;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>What only the PostGIS store has: migrations, the transaction seen from inside, plans, bulk speed.</summary>
[RequiresPostGis]
public sealed class PostGisStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostGisDatabase? _database;

    private PostGisDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        // Outside CI without PG_CONN every test here is skipped, so no database is needed.
        if (TestEnvironment.PostGisConnectionString is not null || TestEnvironment.PostGisRequired)
            _database = await PostGisDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
#pragma warning disable CA2100 // test-only inspection queries, all constants at the call sites
        await using var cmd = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [PostGisFact]
    public async Task MigrationsAreRecordedOnceAndOpeningAgainAppliesNothing()
    {
        await using (var first = await PostGisStore.OpenAsync(Database.ConnectionString)) { }
        await using (var second = await PostGisStore.OpenAsync(Database.ConnectionString)) { }
        Assert.Equal(Migrator.Load().Count, (int)await ScalarAsync<long>("SELECT count(*) FROM georeadiness.schema_migrations"));
        Assert.Equal(1, await ScalarAsync<int>("SELECT min(version) FROM georeadiness.schema_migrations"));
        Assert.Equal("0001_initial", Migrator.Load()[0].Name);
    }

    [PostGisFact]
    public async Task StoresOpeningTogetherDoNotRaceOverMigrations()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostGisStore.OpenAsync(Database.ConnectionString)));
        try
        {
            Assert.Equal(Migrator.Load().Count, (int)await ScalarAsync<long>("SELECT count(*) FROM georeadiness.schema_migrations"));
            // and they all work
            await stores[0].ApplyAsync(new DatasetChange { Source = "race", Units = Hierarchy() });
            foreach (var store in stores) Assert.Equal(1, (await store.GetSummaryAsync()).DataVersion);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [PostGisFact]
    public async Task ConcurrentAppliesAreSerialisedAndEachBumpsTheVersionOnce()
    {
        await using var store = await PostGisStore.OpenAsync(Database.ConnectionString);
        await store.ApplyAsync(new DatasetChange { Source = "base", Units = Hierarchy() });
        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            store.ApplyAsync(new DatasetChange { Source = "tower " + i, Towers = [BareTower("T-" + i)] })));
        Assert.Equal([2L, 3, 4, 5, 6, 7], results.Select(r => r.DataVersion).Order());
        Assert.Equal(7, (await store.GetSummaryAsync()).DataVersion);
        Assert.Equal(7, (int)await ScalarAsync<long>("SELECT count(*) FROM georeadiness.data_version"));
    }

    [PostGisFact]
    public async Task RowsWrittenInsideTheTransactionAreRolledBackOnFailure()
    {
        await using var store = await PostGisStore.OpenAsync(Database.ConnectionString);
        await store.ApplyAsync(new DatasetChange { Source = "base", Units = Hierarchy() });
        var seenInside = -1L;
        store.AfterLayerWritten = async progress =>
        {
            if (progress.Layer != "admin_unit") return;
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM georeadiness.admin_unit", progress.Connection, progress.Transaction);
            seenInside = (long)(await cmd.ExecuteScalarAsync())!;
            throw new InvalidOperationException("fail after the units were written");
        };
        var change = new DatasetChange
        {
            Source = "300 units",
            Units =
            [
                Unit("15"), Unit("15.01"),
                .. Enumerable.Range(1, 3).Select(d => Unit($"15.01.{d:00}")),
                .. Enumerable.Range(0, 295).Select(i => Unit($"15.01.{i % 3 + 1:00}.{2001 + i / 3}")),
            ],
            Towers = [BareTower("T-1")],
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ApplyAsync(change));
        Assert.Equal(14 + 300, seenInside);
        Assert.Equal(14, (int)await ScalarAsync<long>("SELECT count(*) FROM georeadiness.admin_unit"));
        Assert.Equal(0, (int)await ScalarAsync<long>("SELECT count(*) FROM georeadiness.tower"));
        Assert.Equal(1, await ScalarAsync<long>("SELECT max(version) FROM georeadiness.data_version"));
    }

    [PostGisFact]
    public async Task SchemaHasTheExpectedGeometryColumnsAndIndexes()
    {
        await using (await PostGisStore.OpenAsync(Database.ConnectionString)) { }
        // declared types (geometry_columns would guess population_cell's type from its CHECK constraint)
        var columns = await ScalarAsync<string>("""
            SELECT string_agg(c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod), ' ' ORDER BY c.relname, a.attname)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'georeadiness' AND c.relkind = 'r' AND a.atttypid = 'geometry'::regtype AND NOT a.attisdropped
            """);
        Assert.Equal(
            "admin_unit.geom:geometry(MultiPolygon,4326) facility.geom:geometry(Point,4326) fibre_route.geom:geometry(MultiLineString,4326) "
            + "population_cell.geom:geometry(Geometry,4326) tower.coverage:geometry(MultiPolygon,4326) tower.geom:geometry(Point,4326)", columns);
        // a GiST index on every geometry column
        Assert.Equal(0, (int)await ScalarAsync<long>("""
            SELECT count(*) FROM geometry_columns g
            WHERE g.f_table_schema = 'georeadiness' AND NOT EXISTS (
                SELECT 1 FROM pg_indexes i
                WHERE i.schemaname = 'georeadiness' AND i.tablename = g.f_table_name
                  AND i.indexdef LIKE '%USING gist (' || g.f_geometry_column || ')%')
            """));
        Assert.Equal(1, (int)await ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'georeadiness' AND indexdef LIKE '%(code text_pattern_ops)%'"));
        Assert.Equal(1, (int)await ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'georeadiness' AND indexdef LIKE '%admin_unit USING btree (parent_code)%'"));
    }

    [PostGisFact]
    public async Task TheDatabaseRejectsAPopulationCellThatIsNeitherPointNorPolygon()
    {
        await using var _ = await PostGisStore.OpenAsync(Database.ConnectionString);
        var e = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(
            "INSERT INTO georeadiness.population_cell VALUES ('x', ST_GeomFromText('LINESTRING(100 0, 101 0)', 4326), 1, 1) RETURNING 1"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [PostGisFact]
    public async Task TheAncestorQueryCanUseThePrefixIndex()
    {
        await using var store = await PostGisStore.OpenAsync(Database.ConnectionString);
        await store.ApplyAsync(new DatasetChange { Source = "base", Units = Hierarchy() });
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, tx)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN " + PostGisSql.QueryUnits, connection, tx);
        explain.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint });
        explain.Parameters.Add(new NpgsqlParameter { Value = "13.05.%" });
        for (var i = 0; i < 4; i++) explain.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        explain.Parameters.Add(new NpgsqlParameter { Value = 0L });
        explain.Parameters.Add(new NpgsqlParameter { Value = long.MaxValue });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }
        output.WriteLine(string.Join('\n', plan));
        Assert.Contains(plan, line => line.Contains("code ~>=~ '13.05.'", StringComparison.Ordinal) || line.Contains("code >= '13.05.'", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
    }

    [PostGisFact]
    public async Task OpeningRejectsANonPositiveTimeout()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            PostGisStore.OpenAsync(Database.ConnectionString, new PostGisStoreOptions { QueryTimeout = TimeSpan.Zero }));
    }

    [PostGisFact]
    public async Task QueriesRunUnderTheConfiguredStatementTimeout()
    {
        await using var store = await PostGisStore.OpenAsync(Database.ConnectionString, new PostGisStoreOptions { QueryTimeout = TimeSpan.FromMilliseconds(1234) });
        // the store's data source carries the timeout to the server on every connection
        await using var connection = await store.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SHOW statement_timeout", connection);
        Assert.Equal("1234ms", (string)(await cmd.ExecuteScalarAsync())!);
        Assert.Equal(0, (await store.GetSummaryAsync()).DataVersion);
    }

    /// <summary>All 7,285 kecamatan of Indonesia in one change, on top of the 38 provinces and 514 regencies.</summary>
    [StoreFact(RequiresSharedData = true)]
    [Trait("Category", "LongRunning")]
    public async Task LoadsAllKecamatanOfIndonesiaQuickly()
    {
        await using var store = await PostGisStore.OpenAsync(Database.ConnectionString);
        var parents = new DatasetChange
        {
            Source = "provinces and regencies",
            Units = [.. SharedData.LoadBoundaries(SharedData.Provinces), .. SharedData.LoadBoundaries(SharedData.Regencies)],
        };
        var read = Stopwatch.StartNew();
        var districts = new DatasetChange { Source = "all kecamatan", Units = SharedData.LoadBoundaries(SharedData.Districts) };
        read.Stop();
        Assert.Equal(7285, districts.Units.Count);
        await store.ApplyAsync(parents);

        var load = Stopwatch.StartNew();
        var summary = await store.ApplyAsync(districts);
        load.Stop();
        var reload = Stopwatch.StartNew();
        var again = await store.ApplyAsync(districts);
        reload.Stop();
        output.WriteLine($"read 7,285 kecamatan from GeoJSON: {read.Elapsed.TotalSeconds:F2} s; "
            + $"apply (validate, binary COPY, upsert, commit): {load.Elapsed.TotalSeconds:F2} s; "
            + $"re-apply, all unchanged: {reload.Elapsed.TotalSeconds:F2} s");

        Assert.Equal(new LayerChange(7285, 0, 0), summary.Units);
        Assert.Equal(new LayerChange(0, 0, 7285), again.Units);
        Assert.Equal(summary.DataVersion, again.DataVersion);
        var s = await store.GetSummaryAsync();
        Assert.Equal(7285, s.UnitsPerLevel[AdminLevel.District]);
        Assert.Equal(17, (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.District, Ancestor: "13.05"))).Count);
        var repaired = (await store.FindUnitAsync("81.05.16"))!;
        Assert.True(BitIdentical(districts.Units.Single(u => u.Code == "81.05.16").Geometry, repaired.Geometry));
        Assert.InRange(load.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
    }
}
