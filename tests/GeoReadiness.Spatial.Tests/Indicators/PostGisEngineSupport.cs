using GeoReadiness.Spatial.Indicators.PostGis;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>A throwaway PostGIS database with a store and the PostGIS indicator engine over it.</summary>
public sealed class PostGisEngineHost : IAsyncDisposable
{
    private PostGisEngineHost(PostGisDatabase database, PostGisStore store)
    {
        Database = database;
        Store = store;
        Engine = new PostGisIndicatorEngine(store);
    }

    public PostGisDatabase Database { get; }
    public PostGisStore Store { get; }
    public PostGisIndicatorEngine Engine { get; }

    /// <summary>A new database holding <paramref name="changes"/>, applied in order with the store's ApplyAsync.</summary>
    public static async Task<PostGisEngineHost> CreateAsync(params DatasetChange[] changes)
    {
        var database = await PostGisDatabase.CreateAsync();
        try
        {
            var store = await PostGisStore.OpenAsync(database.ConnectionString);
            foreach (var change in changes) await store.ApplyAsync(change);
            return new PostGisEngineHost(database, store);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Database.DisposeAsync();
    }
}
