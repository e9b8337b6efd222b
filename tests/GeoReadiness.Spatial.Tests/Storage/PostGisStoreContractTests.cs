using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>The store contract against PostGIS: every test gets a database of its own (from template_postgis).</summary>
[RequiresPostGis]
public sealed class PostGisStoreContractTests : StoreContractTests
{
    private readonly List<PostGisDatabase> _databases = [];
    private readonly Dictionary<ISpatialStore, string> _connectionStrings = [];

    protected override async Task<ISpatialStore> CreateEmptyStoreAsync()
    {
        var database = await PostGisDatabase.CreateAsync();
        _databases.Add(database);
        var store = await PostGisStore.OpenAsync(database.ConnectionString);
        _connectionStrings[store] = database.ConnectionString;
        return store;
    }

    protected override async Task<ISpatialStore> ReopenAsync(ISpatialStore store)
    {
        var connectionString = _connectionStrings[store];
        _connectionStrings.Remove(store);
        await ((PostGisStore)store).DisposeAsync();
        var reopened = await PostGisStore.OpenAsync(connectionString);
        _connectionStrings[reopened] = connectionString;
        return reopened;
    }

    protected override void InterruptNextApplyAfterUnits(ISpatialStore store, Action interrupt)
    {
        var postGis = (PostGisStore)store;
        postGis.AfterLayerWritten = progress =>
        {
            if (progress.Layer != "admin_unit") return Task.CompletedTask;
            postGis.AfterLayerWritten = null;
            interrupt();
            return Task.CompletedTask;
        };
    }

    protected override void LimitChangeLog(ISpatialStore store, int versions) => ((PostGisStore)store).ChangeLogCapacity = versions;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var database in _databases) await database.DisposeAsync();
    }
}
