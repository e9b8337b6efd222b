using System.Globalization;
using Npgsql;

namespace GeoReadiness.Spatial.Tests.Infrastructure;

/// <summary>
/// A throwaway database on the <c>PG_CONN</c> server, created from <c>template_postgis</c> (made by
/// scripts/postgis.sh, PostGIS already installed) under a unique name and dropped on dispose, so that tests
/// running in parallel never see each other's data.
/// </summary>
public sealed class PostGisDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private PostGisDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>Connection string of the new database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostGisDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var server = TestEnvironment.RequirePostGis();
        // Letters and digits only: the name is spliced into CREATE DATABASE, which takes no parameters.
        var name = "georeadiness_test_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ExecuteDdlAsync(connection, "CREATE DATABASE \"" + name + "\" TEMPLATE template_postgis", cancellationToken);
                    break;
                }
                // 55006: "source database is being accessed by other users" when CREATE DATABASEs overlap.
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    await Task.Delay(50 * attempt, cancellationToken);
                }
            }
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new PostGisDatabase(server, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await ExecuteDdlAsync(connection, "DROP DATABASE IF EXISTS \"" + Name + "\" WITH (FORCE)", CancellationToken.None);
    }

    private static async Task ExecuteDdlAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        // Database names cannot be parameters; the only variable part is a generated [a-z0-9_] name.
#pragma warning disable CA2100
        await using var cmd = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
