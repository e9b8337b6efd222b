namespace GeoReadiness.Spatial.Randomness;

/// <summary>
/// The xoshiro256** generator (Blackman and Vigna): the one implementation behind the demo data's
/// <see cref="Demo.DemoRandom"/> and the scenario engine's random streams, written out so that no sequence depends on
/// <see cref="System.Random"/>, whose output is not promised to stay the same across .NET versions.
/// </summary>
/// <remarks>A mutable struct: keep it in a field and call it there (a copy would repeat the same numbers). Not thread-safe.</remarks>
public struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>The generator in a given raw state; the state must not be all zeros.</summary>
    public Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0) throw new ArgumentException("the xoshiro256** state must not be all zeros");
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>The generator seeded from one number through SplitMix64, as its authors recommend.</summary>
    public static Xoshiro256StarStar FromSeed(ulong seed)
    {
        var sm = seed;
        return new Xoshiro256StarStar(SplitMix64(ref sm), SplitMix64(ref sm), SplitMix64(ref sm), SplitMix64(ref sm));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>One step of SplitMix64 (Steele, Lea and Flood): advances <paramref name="state"/> and returns a mixed value.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
