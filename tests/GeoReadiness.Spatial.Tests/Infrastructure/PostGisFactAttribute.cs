using Npgsql;
namespace GeoReadiness.Spatial.Tests.Infrastructure;

/// <summary>
/// A fact that needs PostGIS (connection string in <c>PG_CONN</c>). Outside CI it is skipped when no
/// database is configured; under <c>CI=true</c> it runs regardless and so fails loudly without a database.
/// </summary>
public sealed class PostGisFactAttribute : FactAttribute
{
    public PostGisFactAttribute()
    {
        if (!TestEnvironment.PostGisRequired && TestEnvironment.PostGisConnectionString is null)
            Skip = TestEnvironment.NoPostGisReason;
    }
}

/// <summary>A theory that needs PostGIS; see <see cref="PostGisFactAttribute"/>.</summary>
public sealed class PostGisTheoryAttribute : TheoryAttribute
{
    public PostGisTheoryAttribute()
    {
        if (!TestEnvironment.PostGisRequired && TestEnvironment.PostGisConnectionString is null)
            Skip = TestEnvironment.NoPostGisReason;
    }
}

public static class TestEnvironment
{
    public const string NoPostGisReason = "PG_CONN is not set: run ./test.sh, which starts PostGIS (under CI=true this test fails instead)";

    public static string? PostGisConnectionString => Environment.GetEnvironmentVariable("PG_CONN") is { Length: > 0 } s ? s : null;

    public static bool PostGisRequired => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string, or a failure that says how to get one.</summary>
    public static string RequirePostGis() =>
        PostGisConnectionString ?? throw new InvalidOperationException("PG_CONN is not set but CI=true: PostGIS tests must run against a real database (use ./test.sh)");

    /// <summary>A data source on the PG_CONN server that maps NetTopologySuite geometries.</summary>
    public static NpgsqlDataSource OpenPostGisDataSource()
    {
        var builder = new NpgsqlDataSourceBuilder(RequirePostGis());
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>../shared/data beside the repository root, or null when absent.</summary>
    public static string? SharedDataDirectory
    {
        get
        {
            var root = RepositoryRoot;
            var dir = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>The folder holding GeoReadiness.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "GeoReadiness.sln"))) return d.FullName;
            throw new InvalidOperationException("GeoReadiness.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
