using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// A small read-only map keyed by an enum, backed by two arrays in key order: far cheaper to build than a tree
/// or hash map, which matters when hundreds of thousands of units each carry a few of them.
/// </summary>
/// <remarks>Immutable; safe for concurrent use.</remarks>
public sealed class EnumMap<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>
    where TKey : struct, Enum
{
    private static readonly TKey[] AllKeys = Enum.GetValues<TKey>();
    private readonly TKey[] _keys;
    private readonly TValue[] _values;

    public static EnumMap<TKey, TValue> Empty { get; } = new([], []);

    private EnumMap(TKey[] keys, TValue[] values) => (_keys, _values) = (keys, values);

    /// <summary>A map with every key of the enum; <paramref name="values"/> in the order of <c>Enum.GetValues</c>.</summary>
    public static EnumMap<TKey, TValue> Dense(TValue[] values)
    {
        if (values.Length != AllKeys.Length) throw new ArgumentException($"expected {AllKeys.Length} values, got {values.Length}", nameof(values));
        return new EnumMap<TKey, TValue>(AllKeys, values);
    }

    /// <summary>A map of the keys whose value is not the default (zero); <paramref name="values"/> in the order of <c>Enum.GetValues</c>.</summary>
    public static EnumMap<TKey, TValue> Sparse(ReadOnlySpan<TValue> values)
    {
        var count = 0;
        foreach (var v in values) if (!EqualityComparer<TValue>.Default.Equals(v, default!)) count++;
        if (count == 0) return Empty;
        var keys = new TKey[count];
        var kept = new TValue[count];
        var at = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (EqualityComparer<TValue>.Default.Equals(values[i], default!)) continue;
            keys[at] = AllKeys[i];
            kept[at++] = values[i];
        }
        return new EnumMap<TKey, TValue>(keys, kept);
    }

    /// <summary>A map from any pairs (later pairs win), keys kept in enum order.</summary>
    public static EnumMap<TKey, TValue> From(IEnumerable<KeyValuePair<TKey, TValue>> pairs)
    {
        var sorted = new SortedDictionary<TKey, TValue>();
        foreach (var kv in pairs) sorted[kv.Key] = kv.Value;
        return new EnumMap<TKey, TValue>([.. sorted.Keys], [.. sorted.Values]);
    }

    public TValue this[TKey key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"'{key}' is not in the map");
    public IEnumerable<TKey> Keys => _keys;
    public IEnumerable<TValue> Values => _values;
    public int Count => _keys.Length;
    public bool ContainsKey(TKey key) => IndexOf(key) >= 0;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = default;
            return false;
        }
        value = _values[i];
        return true;
    }

    private int IndexOf(TKey key)
    {
        for (var i = 0; i < _keys.Length; i++) if (EqualityComparer<TKey>.Default.Equals(_keys[i], key)) return i;
        return -1;
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++) yield return new KeyValuePair<TKey, TValue>(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
