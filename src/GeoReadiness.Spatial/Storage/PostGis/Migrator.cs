using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GeoReadiness.Spatial.Storage.PostGis;

/// <summary>
/// Applies the versioned SQL scripts embedded as <c>GeoReadiness.Spatial.Migrations.NNNN_name.sql</c>, in order,
/// each in its own transaction under a transaction-scoped advisory lock, and records them in
/// <c>georeadiness.schema_migrations</c>. Two processes opening the same database at once are serialised by the
/// lock: the second finds the scripts recorded and skips them.
/// </summary>
internal static class Migrator
{
    private const string ResourcePrefix = "GeoReadiness.Spatial.Migrations.";

    internal sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"migration resource '{resource}' is not named NNNN_description.sql");
            migrations.Add(new Migration(version, name, Read(assembly, resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"two migrations have version {migrations[i].Version}");
        }
        return migrations;
    }

    /// <returns>the number of scripts applied now (0 when the schema was up to date)</returns>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, PostGisStoreOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var applied = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var migration in Load())
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await PostGisStore.ExecuteAsync(connection, tx, PostGisSql.SetLocalStatementTimeout, cancellationToken,
                PostGisStore.Milliseconds(options.ApplyTimeout)).ConfigureAwait(false);
            await PostGisStore.ExecuteAsync(connection, tx, PostGisSql.AdvisoryXactLock, cancellationToken, PostGisSql.MigrationLockKey).ConfigureAwait(false);
            await PostGisStore.ExecuteAsync(connection, tx, PostGisSql.MigrationBootstrap, cancellationToken).ConfigureAwait(false);

            bool done;
            await using (var check = new NpgsqlCommand(PostGisSql.MigrationApplied, connection, tx))
            {
                check.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
                done = (bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            if (done) continue;

            logger.LogInformation("Applying PostGIS migration {Version} ({Name})", migration.Version, migration.Name);
            // The script is an embedded resource of this assembly, never user input.
#pragma warning disable CA2100
            await using (var script = new NpgsqlCommand(migration.Sql, connection, tx))
#pragma warning restore CA2100
            {
                script.CommandTimeout = 0; // bounded by the statement_timeout set above
                await script.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await PostGisStore.ExecuteAsync(connection, tx, PostGisSql.RecordMigration, cancellationToken, migration.Version, migration.Name).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }
        return applied;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"migration resource '{resource}' is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
