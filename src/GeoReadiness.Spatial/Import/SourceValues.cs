using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Import;

/// <summary>Finds columns by field and converts source values.</summary>
internal sealed class SourceColumns
{
    private readonly Dictionary<string, string> _byLower;
    private readonly FieldMapping _mapping;

    public SourceColumns(SourceDataset dataset, FieldMapping mapping)
    {
        _mapping = mapping;
        _byLower = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in dataset.Columns) _byLower.TryAdd(c, c);
        All = dataset.Columns;
    }

    public IReadOnlyList<string> All { get; }

    /// <summary>The actual name of a column, matched case-insensitively.</summary>
    public string? Actual(string name) => _byLower.TryGetValue(name, out var c) ? c : null;

    /// <summary>
    /// The column for a field: the explicit mapping (which must exist), else the first of the default names present.
    /// </summary>
    /// <exception cref="MappingException">the mapping names a column the file does not have</exception>
    public string? For(string field, params string[] defaults)
    {
        if (_mapping.ColumnFor(field) is { } explicitColumn)
            return Actual(explicitColumn) ?? throw new MappingException($"mapping {field}={explicitColumn}: the file has no column '{explicitColumn}' (it has: {string.Join(", ", All)})");
        foreach (var d in defaults)
            if (Actual(d) is { } c) return c;
        return null;
    }

    public bool IsMapped(string field) => _mapping.ColumnFor(field) is not null;
}

internal sealed class MappingException(string message) : Exception(message);

internal static class SourceValues
{
    public static object? Get(SourceFeature f, string? column) =>
        column is not null && f.Properties.TryGetValue(column, out var v) ? v : null;

    public static string? Text(object? v) => v switch
    {
        null => null,
        string s => s.Trim() is { Length: > 0 } t ? t : null,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
    };

    /// <summary>A whole number from a number or numeric text; false when present but not a whole number.</summary>
    public static bool TryLong(object? v, out long? value)
    {
        value = null;
        switch (v)
        {
            case null: return true;
            case long l: value = l; return true;
            case double d when double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15: value = (long)d; return true;
            case string s when string.IsNullOrWhiteSpace(s): return true;
            case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p): value = p; return true;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var pd) && double.IsFinite(pd) && pd == Math.Floor(pd) && Math.Abs(pd) < 9e15:
                value = (long)pd; return true;
            default: return false;
        }
    }

    public static bool TryDouble(object? v, out double? value)
    {
        value = null;
        switch (v)
        {
            case null: return true;
            case long l: value = l; return true;
            case double d when double.IsFinite(d): value = d; return true;
            case string s when string.IsNullOrWhiteSpace(s): return true;
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && double.IsFinite(p): value = p; return true;
            default: return false;
        }
    }

    /// <summary>
    /// A free attribute from a source value; null values are absent. Text from untyped sources (CSV) becomes a
    /// number or a boolean when it reads as one — but not text with a leading zero such as "0812", which is an identifier.
    /// </summary>
    public static JsonElement? Attribute(object? v, bool untypedText)
    {
        switch (v)
        {
            case null: return null;
            case string s when untypedText:
                var t = s.Trim();
                if (t.Length == 0) return null;
                if (t.Equals("true", StringComparison.OrdinalIgnoreCase)) return Attributes.Value(true);
                if (t.Equals("false", StringComparison.OrdinalIgnoreCase)) return Attributes.Value(false);
                var leadingZero = t.Length > 1 && t[0] == '0' && t[1] != '.' || t.Length > 2 && t[0] == '-' && t[1] == '0' && t[2] != '.';
                if (!leadingZero && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return Attributes.Value(l);
                if (!leadingZero && double.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    return Attributes.Value(d);
                return Attributes.Value(s);
            case string s: return Attributes.Value(s);
            case long or double or bool: return Attributes.Value(v);
            default: return Attributes.Value(Text(v));
        }
    }

    public static ImmutableSortedDictionary<string, JsonElement> FreeAttributes(SourceFeature f, IEnumerable<string> columns, bool untypedText)
    {
        var b = Attributes.Empty.ToBuilder();
        foreach (var c in columns)
            if (Attribute(Get(f, c), untypedText) is { } e) b[c] = e;
        return b.ToImmutable();
    }
}
