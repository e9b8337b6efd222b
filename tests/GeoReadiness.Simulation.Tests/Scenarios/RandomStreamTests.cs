using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

public class RandomStreamTests
{
    private static ulong[] First(RandomStream s, int n) => Enumerable.Range(0, n).Select(_ => s.NextUInt64()).ToArray();

    [Fact]
    public void TheStreamIsTheDocumentedHashOfChunkKeyAndRootSeed()
    {
        // computed independently (Python hashlib + xoshiro256**) from the scheme in docs/scenarios.md
        Assert.Equal([0xa02fadc1676fa9a3UL, 0x6ac07440cb08e8f6UL, 0x8591ba77f330af0cUL], First(RandomStream.For(0, "13.05", 20190105), 3));
        Assert.Equal([0x0aeaa462677178b4UL, 0xd13f027f311b7168UL], First(RandomStream.For(3, "fibre-nagari", 1), 2));
    }

    [Fact]
    public void TheSameChunkKeyAndSeedGiveTheSameStream() =>
        Assert.Equal(First(RandomStream.For(5, "13.05", 42), 100), First(RandomStream.For(5, "13.05", 42), 100));

    [Fact]
    public void StreamsDifferPerChunkPerKeyAndPerSeed()
    {
        var streams = new[]
        {
            First(RandomStream.For(0, "13.05", 42), 4),
            First(RandomStream.For(1, "13.05", 42), 4),
            First(RandomStream.For(0, "13.06", 42), 4),
            First(RandomStream.For(0, "13.05", 43), 4),
            First(RandomStream.For(0, "", 42), 4),
        };
        Assert.Equal(streams.Length, streams.Select(s => string.Join(",", s)).Distinct().Count());
    }

    [Fact]
    public void ChunkAndSeedAreNotSimplyAdded()
    {
        // root + i schemes make chunk 1 of seed 42 the same as chunk 0 of seed 43
        Assert.NotEqual(First(RandomStream.For(1, "k", 42), 4), First(RandomStream.For(0, "k", 43), 4));
        Assert.NotEqual(First(RandomStream.For(1, "k", 0), 4), First(RandomStream.For(0, "k", 1), 4));
    }

    [Fact]
    public void UniformNumbersLieInTheirIntervalsWithMeanOneHalf()
    {
        var s = RandomStream.For(0, "uniform", 1);
        const int n = 200_000;
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var u = s.NextDouble();
            var o = s.NextOpenDouble();
            Assert.InRange(u, 0, 1 - 1e-17);
            Assert.True(o > 0 && o < 1);
            sum += u;
        }
        // standard error of a uniform mean: sqrt(1/12/n) ≈ 0.00065
        Assert.InRange(sum / n, 0.5 - 0.003, 0.5 + 0.003);
    }
}
