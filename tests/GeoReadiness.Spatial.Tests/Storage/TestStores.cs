using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>
/// New, empty stores of one backend for a suite that runs once per store (the repository contracts): each call
/// opens a store isolated from every other test, and disposing closes them all and removes what they left.
/// </summary>
public abstract class TestStores : IAsyncDisposable
{
    private readonly List<ISpatialStore> _stores = [];

    /// <summary>A new empty store, closed when this is disposed.</summary>
    public async Task<ISpatialStore> CreateAsync()
    {
        var store = await OpenNewAsync();
        _stores.Add(store);
        return store;
    }

    protected abstract Task<ISpatialStore> OpenNewAsync();

    /// <summary>Closes a store made by <see cref="CreateAsync"/> and opens it again over the same data (closed when this is disposed).</summary>
    public async Task<ISpatialStore> ReopenAsync(ISpatialStore store)
    {
        if (!_stores.Remove(store)) throw new ArgumentException("not a store of these test stores", nameof(store));
        if (store is IAsyncDisposable d) await d.DisposeAsync();
        var reopened = await OpenAgainAsync(store);
        _stores.Add(reopened);
        return reopened;
    }

    /// <summary>Opens a closed store's data again.</summary>
    protected abstract Task<ISpatialStore> OpenAgainAsync(ISpatialStore closed);

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
            if (store is IAsyncDisposable d) await d.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Embedded stores in new temporary directories (deleted on dispose).</summary>
public sealed class EmbeddedTestStores(string prefix) : TestStores
{
    private readonly List<string> _directories = [];

    /// <summary>A new temporary directory name (deleted on dispose).</summary>
    public string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        _directories.Add(dir);
        return dir;
    }

    protected override async Task<ISpatialStore> OpenNewAsync() => await EmbeddedStore.OpenAsync(NewDirectory());

    protected override async Task<ISpatialStore> OpenAgainAsync(ISpatialStore closed) => await EmbeddedStore.OpenAsync(((EmbeddedStore)closed).Directory);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var dir in _directories.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
    }
}

/// <summary>PostGIS stores, each in a throwaway database on the PG_CONN server (dropped on dispose).</summary>
public sealed class PostGisTestStores : TestStores
{
    private readonly List<PostGisDatabase> _databases = [];
    private readonly Dictionary<ISpatialStore, string> _connectionStrings = [];

    protected override async Task<ISpatialStore> OpenNewAsync()
    {
        var database = await PostGisDatabase.CreateAsync();
        _databases.Add(database);
        return await OpenAsync(database.ConnectionString);
    }

    protected override Task<ISpatialStore> OpenAgainAsync(ISpatialStore closed) => OpenAsync(_connectionStrings[closed]);

    private async Task<ISpatialStore> OpenAsync(string connectionString)
    {
        var store = await PostGisStore.OpenAsync(connectionString);
        _connectionStrings[store] = connectionString;
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases) await database.DisposeAsync();
    }
}
