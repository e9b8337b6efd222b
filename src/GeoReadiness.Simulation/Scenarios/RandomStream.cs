using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GeoReadiness.Spatial.Randomness;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// A xoshiro256** pseudo-random stream (<see cref="Xoshiro256StarStar"/>) whose state is derived from a chunk, a key
/// and a root seed. Not thread-safe: each chunk of draws owns its streams.
/// </summary>
public sealed class RandomStream
{
    private const string Domain = "georeadiness/scenario-stream/v1";

    private Xoshiro256StarStar _core;

    private RandomStream(Xoshiro256StarStar core) => _core = core;

    /// <summary>
    /// The stream of one chunk and one key (a unit code, an intervention id, …) under a root seed. Its state is the
    /// SHA-256 of <c>"georeadiness/scenario-stream/v1"</c>, 0x00, the chunk index (8 bytes, little-endian), the
    /// root seed (8 bytes, little-endian), the key's UTF-8 length (4 bytes, little-endian) and its UTF-8 bytes;
    /// the 32 bytes of the hash are the four 64-bit words of the state (little-endian). Neighbouring chunks, keys and
    /// seeds therefore get unrelated streams (never <c>root + i</c>), and the stream depends only on the three values,
    /// not on the machine or on which thread draws the chunk.
    /// </summary>
    public static RandomStream For(long chunk, string key, ulong rootSeed)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        var domain = Encoding.UTF8.GetBytes(Domain);
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var input = new byte[domain.Length + 1 + 8 + 8 + 4 + keyBytes.Length];
        var span = input.AsSpan();
        domain.CopyTo(span);
        var at = domain.Length + 1;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], chunk);
        BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 8)..], rootSeed);
        BinaryPrimitives.WriteInt32LittleEndian(span[(at + 16)..], keyBytes.Length);
        keyBytes.CopyTo(span[(at + 20)..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var s0 = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        var s1 = BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]);
        var s2 = BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]);
        var s3 = BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]);
        // xoshiro's one forbidden state; a hash that is all zeros will not occur, but the generator must never stall
        if ((s0 | s1 | s2 | s3) == 0)
            s0 = 0x9E3779B97F4A7C15UL;
        return new RandomStream(new Xoshiro256StarStar(s0, s1, s2, s3));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>A uniform number in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => _core.NextDouble();

    /// <summary>A uniform number in (0, 1): never 0 or 1, so it can go through an inverse distribution function.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));
}
