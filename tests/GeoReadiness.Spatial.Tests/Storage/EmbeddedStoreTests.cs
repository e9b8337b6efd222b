using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>Behaviour of the embedded store that the shared contract cannot express: its file, its lock.</summary>
public sealed class EmbeddedStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gr-embedded-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ASecondProcessCannotOpenTheSameDirectory()
    {
        await using var first = await EmbeddedStore.OpenAsync(_dir);
        var e = await Assert.ThrowsAsync<IOException>(() => EmbeddedStore.OpenAsync(_dir));
        Assert.Contains("in use", e.Message);
    }

    [Fact]
    public async Task AFailureAfterTheFileIsWrittenLeavesMemoryAndDiskAsTheyWere()
    {
        await using (var store = await EmbeddedStore.OpenAsync(_dir))
        {
            await store.ApplyAsync(new DatasetChange { Source = "seed", Units = TestUnits.Hierarchy(5) });
            var before = File.ReadAllBytes(Path.Combine(_dir, EmbeddedStore.StoreFileName));
            store.BeforeSwapForTesting = _ => throw new IOException("disk pulled out half-way");

            await Assert.ThrowsAsync<IOException>(() => store.ApplyAsync(new DatasetChange { Source = "more", Units = TestUnits.Hierarchy(300) }));

            Assert.Equal(8, (await store.QueryUnitsAsync(new UnitQuery())).Count);
            Assert.Equal(1, (await store.GetSummaryAsync()).DataVersion);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(_dir, EmbeddedStore.StoreFileName)));
            Assert.Single(Directory.GetFiles(_dir, "store.bin*"));
        }
        await using var reopened = await EmbeddedStore.OpenAsync(_dir);
        Assert.Equal(8, (await reopened.QueryUnitsAsync(new UnitQuery())).Count);
    }

    [Fact]
    public async Task ACorruptStoreFileIsReportedWithItsPath()
    {
        await using (var store = await EmbeddedStore.OpenAsync(_dir))
            await store.ApplyAsync(new DatasetChange { Source = "seed", Units = TestUnits.Hierarchy(3) });
        var path = Path.Combine(_dir, EmbeddedStore.StoreFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => EmbeddedStore.OpenAsync(_dir));
        Assert.Contains(path, e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public async Task LeftoverTemporaryFilesOfAnInterruptedWriteAreRemovedAtOpen()
    {
        Directory.CreateDirectory(_dir);
        var debris = Path.Combine(_dir, EmbeddedStore.StoreFileName + ".tmp-0123");
        File.WriteAllText(debris, "half a file");
        await using var store = await EmbeddedStore.OpenAsync(_dir);
        Assert.False(File.Exists(debris));
        Assert.Equal(0, (await store.GetSummaryAsync()).DataVersion);
    }
}
