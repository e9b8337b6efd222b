using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Infrastructure;
using static GeoReadiness.Spatial.Tests.Storage.TestFeatures;

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

    [Fact]
    public async Task AFibreOnlyChangeRebuildsTheFibreLayerAndSharesEverythingElse()
    {
        await using var store = await EmbeddedStore.OpenAsync(_dir);
        await store.ApplyAsync(new DatasetChange
        {
            Source = "seed",
            Units = TestUnits.Hierarchy(5),
            FibreRoutes = [Route("F-1")],
            Towers = [BareTower("T-1")],
            Facilities = [Facility("FAC-1")],
            PopulationCells = [PointCell("C-1"), SquareCell("C-2")],
        });
        var before = store.CurrentSnapshotForTesting;

        await store.ApplyAsync(new DatasetChange { Source = "one route", FibreRoutes = [Route("F-2", 101, -0.5)], PopulationCells = [PointCell("C-1")] });
        var after = store.CurrentSnapshotForTesting;
        Assert.Equal(before.DataVersion + 1, after.DataVersion);
        Assert.NotSame(before.FibreRoutes, after.FibreRoutes);
        Assert.Equal(["F-1", "F-2"], after.FibreRoutes.Items.Select(f => f.Id));
        // an unchanged cell in the change does not rebuild its layer
        Assert.Same(before.PopulationCells, after.PopulationCells);
        Assert.Same(before.Towers, after.Towers);
        Assert.Same(before.Facilities, after.Facilities);
        Assert.Same(before.UnitTable, after.UnitTable);

        // and what is shared still answers queries in the new snapshot
        Assert.Equal(["C-1", "C-2"], (await store.QueryPopulationCellsAsync(FeatureQuery.All)).Select(c => c.Id));
        Assert.Equal(8, (await store.QueryUnitsAsync(new UnitQuery())).Count);
        Assert.Equal(["F-2"], (await store.QueryFibreRoutesAsync(new FeatureQuery(new NetTopologySuite.Geometries.Envelope(100.95, 101.05, -0.6, -0.4)))).Select(f => f.Id));

        await store.ApplyAsync(new DatasetChange { Source = "one unit", Units = [TestUnits.Hierarchy(5)[0] with { Name = "renamed" }] });
        Assert.NotSame(after.UnitTable, store.CurrentSnapshotForTesting.UnitTable);
        Assert.Same(after.FibreRoutes, store.CurrentSnapshotForTesting.FibreRoutes);
    }

    [Fact]
    public async Task AStoreFileOfFormatOneOpensWithAChangeLogStartingAtItsVersion()
    {
        // Written by the store before change tracking (format 1): two units at version 1, one fibre route at version 2.
        Directory.CreateDirectory(_dir);
        File.Copy(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "GeoReadiness.Spatial.Tests", "Storage", "Golden", "store-format1.bin"),
            Path.Combine(_dir, EmbeddedStore.StoreFileName));
        await using (var store = await EmbeddedStore.OpenAsync(_dir))
        {
            Assert.Equal(2, (await store.GetSummaryAsync()).DataVersion);
            Assert.Equal(["13", "13.05"], (await store.QueryUnitsAsync(new UnitQuery())).Select(u => u.Code));
            Assert.Equal("F-1", Assert.Single(await store.QueryFibreRoutesAsync(FeatureQuery.All)).Id);
            Assert.Null(await store.GetChangesSinceAsync(1));
            Assert.Empty((await store.GetChangesSinceAsync(2))!.Extents);

            await store.ApplyAsync(new DatasetChange { Source = "after upgrade", Towers = [BareTower("T-1")] });
        }
        // rewritten in the current format, with the log from version 2 on
        await using var reopened = await EmbeddedStore.OpenAsync(_dir);
        Assert.Null(await reopened.GetChangesSinceAsync(1));
        Assert.Equal(FeatureLayer.Towers, Assert.Single((await reopened.GetChangesSinceAsync(2))!.Extents).Layer);
        Assert.Equal("F-1", Assert.Single(await reopened.QueryFibreRoutesAsync(FeatureQuery.All)).Id);
    }
}
