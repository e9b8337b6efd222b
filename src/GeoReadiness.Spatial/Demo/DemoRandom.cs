using GeoReadiness.Spatial.Randomness;

namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// xoshiro256** (<see cref="Xoshiro256StarStar"/>) seeded through SplitMix64, with the draws the demo generator needs,
/// so that the demo data does not depend on <see cref="System.Random"/>.
/// </summary>
/// <remarks>
/// Each part of the generator takes its own stream from <see cref="Derive"/>, keyed by the root seed and a
/// label, so adding draws to one part never shifts the numbers another part sees. Not thread-safe.
/// </remarks>
public sealed class DemoRandom
{
    private Xoshiro256StarStar _core;

    public DemoRandom(ulong seed) => _core = Xoshiro256StarStar.FromSeed(seed);

    private DemoRandom(Xoshiro256StarStar core) => _core = core;

    /// <summary>A generator in the given raw xoshiro256** state (for checking against the reference implementation).</summary>
    internal static DemoRandom FromState(ulong s0, ulong s1, ulong s2, ulong s3) => new(new Xoshiro256StarStar(s0, s1, s2, s3));

    /// <summary>An independent stream for one part of the generator: the seed is a hash of the root seed and the label.</summary>
    public static DemoRandom Derive(long rootSeed, string label)
    {
        // FNV-1a over the label's UTF-16 code units, then mixed with the root seed by SplitMix64.
        var h = 14695981039346656037UL;
        foreach (var c in label)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        var x = h ^ unchecked((ulong)rootSeed * 0x9E3779B97F4A7C15UL);
        return new DemoRandom(Xoshiro256StarStar.SplitMix64(ref x));
    }

    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => _core.NextDouble();

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int Next(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var bound = (ulong)n;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Uniform integer in [min, max] (both inclusive).</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box–Muller (one value per call; the second is discarded for simplicity).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Index drawn with probability proportional to the (non-negative) weights.</summary>
    public int Pick(IReadOnlyList<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var r = NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
