using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>The store contract against the embedded store: every store gets a temporary directory of its own.</summary>
public sealed class EmbeddedStoreContractTests : StoreContractTests
{
    private readonly List<string> _directories = [];

    protected override async Task<ISpatialStore> CreateEmptyStoreAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gr-contract-" + Guid.NewGuid().ToString("N"));
        _directories.Add(dir);
        return await EmbeddedStore.OpenAsync(dir);
    }

    protected override async Task<ISpatialStore> ReopenAsync(ISpatialStore store)
    {
        var embedded = (EmbeddedStore)store;
        var dir = embedded.Directory;
        await embedded.DisposeAsync();
        return await EmbeddedStore.OpenAsync(dir);
    }

    protected override void InterruptNextApplyAfterUnits(ISpatialStore store, Action interrupt)
    {
        var embedded = (EmbeddedStore)store;
        embedded.AfterLayerMergedForTesting = layer =>
        {
            if (layer != "admin_unit") return Task.CompletedTask;
            embedded.AfterLayerMergedForTesting = null;
            interrupt();
            return Task.CompletedTask;
        };
    }

    protected override void LimitChangeLog(ISpatialStore store, int versions) => ((EmbeddedStore)store).ChangeLogCapacity = versions;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var dir in _directories.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
    }
}
