using System.Collections.Immutable;
using System.Text.Json;

namespace GeoReadiness.Spatial.Model;

/// <summary>Helpers for free attributes, which are JSON scalars (string, number, boolean, null).</summary>
public static class AttributeEquality
{
    public static bool Equal(ImmutableSortedDictionary<string, JsonElement> a, ImmutableSortedDictionary<string, JsonElement> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !JsonElement.DeepEquals(value, other)) return false;
        }
        return true;
    }
}

/// <summary>Builds attribute dictionaries from CLR scalars.</summary>
public static class Attributes
{
    public static ImmutableSortedDictionary<string, JsonElement> Empty { get; } =
        ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Converts a scalar (string, integer, floating point, bool or null) into a detached JSON element.</summary>
    public static JsonElement Value(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement<object?>(null),
        string s => JsonSerializer.SerializeToElement(s),
        bool b => JsonSerializer.SerializeToElement(b),
        int or long or short or byte => JsonSerializer.SerializeToElement(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
        double d when double.IsFinite(d) => JsonSerializer.SerializeToElement(d),
        float f when float.IsFinite(f) => JsonSerializer.SerializeToElement((double)f),
        decimal m => JsonSerializer.SerializeToElement(m),
        JsonElement e => e.Clone(),
        _ => throw new ArgumentException($"attribute values must be strings, finite numbers, booleans or null, not {value.GetType().Name}", nameof(value)),
    };

    public static ImmutableSortedDictionary<string, JsonElement> From(IEnumerable<KeyValuePair<string, object?>> pairs) =>
        Empty.AddRange(pairs.Select(p => new KeyValuePair<string, JsonElement>(p.Key, Value(p.Value))));

    /// <summary>Parses a JSON object of scalars (as stored in jsonb or a GeoPackage text column).</summary>
    public static ImmutableSortedDictionary<string, JsonElement> FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Empty;
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new FormatException("attributes must be a JSON object");
        return Empty.AddRange(doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())));
    }

    public static string ToJson(ImmutableSortedDictionary<string, JsonElement> attributes) =>
        JsonSerializer.Serialize(attributes);
}
