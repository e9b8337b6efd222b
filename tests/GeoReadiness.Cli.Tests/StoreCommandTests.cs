using GeoReadiness.Spatial.Tests.Import;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Cli.Tests;

/// <summary>
/// What the command suites that run once per store share: a temporary folder, the store arguments the concrete
/// class gives (<c>--data-dir DIR</c> or <c>--postgis CONN</c>), the in-process runner and loading the demo dataset.
/// </summary>
public abstract class StoreCommandTests : IAsyncLifetime
{
    protected TempDir Dir { get; } = new();

    /// <summary>--data-dir DIR or --postgis CONN.</summary>
    protected abstract string[] StoreArgs { get; }

    public abstract Task InitializeAsync();

    private PostGisDatabase? _database;

    /// <summary>The database of a PostGIS subclass, made by <see cref="CreateDatabaseAsync"/> and dropped after the test.</summary>
    protected PostGisDatabase Database => _database ?? throw new InvalidOperationException("no database: call CreateDatabaseAsync in InitializeAsync");

    /// <summary>--postgis CONN of <see cref="Database"/>.</summary>
    protected string[] PostGisArgs => ["--postgis", Database.ConnectionString];

    /// <summary>For a PostGIS subclass: a database of its own for the test.</summary>
    protected async Task CreateDatabaseAsync() => _database = await PostGisDatabase.CreateAsync();

    public virtual async Task DisposeAsync()
    {
        Dir.Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }

    protected static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    /// <summary><c>georeadiness load data/shapefiles</c> into the store; fails the test when it does not succeed.</summary>
    protected async Task LoadDemoAsync()
    {
        var load = await RunAsync(["load", Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles"), .. StoreArgs]);
        Assert.True(load.Exit == 0, load.Out + load.Err);
    }
}
