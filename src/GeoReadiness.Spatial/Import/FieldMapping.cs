using System.Collections.Immutable;

namespace GeoReadiness.Spatial.Import;

/// <summary>
/// Which source column feeds which field. Field names are the English names (code, name, parent, kind,
/// population, households, id, status, year, owner, technologies, r_2g…r_5g, operator, unit, coverage_wkt) or
/// the Indonesian convention names (kode, nama, kode_induk, jenis, penduduk, kk, tahun, pemilik, teknologi,
/// kode_unit). Columns are matched case-insensitively. Fields not named fall back to the conventions.
/// </summary>
public sealed class FieldMapping
{
    private static readonly ImmutableDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["kode"] = Fields.Code, ["nama"] = Fields.Name, ["kode_induk"] = Fields.Parent, ["jenis"] = Fields.Kind,
        ["penduduk"] = Fields.Population, ["kk"] = Fields.Households, ["tahun"] = Fields.Year, ["pemilik"] = Fields.Owner,
        ["teknologi"] = Fields.Technologies, ["kode_unit"] = Fields.Unit,
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly ImmutableHashSet<string> Known = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase,
        Fields.Code, Fields.Name, Fields.Parent, Fields.Kind, Fields.Population, Fields.Households, Fields.Id, Fields.Status,
        Fields.Year, Fields.Owner, Fields.Technologies, "r_2g", "r_3g", "r_4g", "r_5g", Fields.Operator, Fields.Unit, Fields.Coverage);

    private FieldMapping(ImmutableDictionary<string, string> columns) => Columns = columns;

    public static FieldMapping Default { get; } = new(ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Canonical field name → source column.</summary>
    public ImmutableDictionary<string, string> Columns { get; }

    /// <summary>Parses <c>field=column</c> pairs such as <c>code=KDEPUM</c> or <c>penduduk=total</c>.</summary>
    /// <exception cref="FormatException">a pair is malformed or names an unknown field</exception>
    public static FieldMapping Parse(IEnumerable<string> pairs)
    {
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new FormatException($"mapping '{pair}' is not of the form field=column (e.g. code=KDEPUM)");
            var field = Canonical(pair[..eq].Trim())
                ?? throw new FormatException($"mapping '{pair}': unknown field '{pair[..eq].Trim()}' (known: {string.Join(", ", Known.Order(StringComparer.Ordinal))}, or kode, nama, kode_induk, jenis, penduduk, kk, tahun, pemilik, teknologi, kode_unit)");
            if (b.ContainsKey(field)) throw new FormatException($"field '{field}' is mapped twice");
            b[field] = pair[(eq + 1)..].Trim();
        }
        return new FieldMapping(b.ToImmutable());
    }

    public static FieldMapping Of(params (string Field, string Column)[] pairs) => Parse(pairs.Select(p => $"{p.Field}={p.Column}"));

    public string? ColumnFor(string field) => Columns.TryGetValue(field, out var c) ? c : null;

    private static string? Canonical(string field)
    {
        if (Aliases.TryGetValue(field, out var c)) return c;
        return Known.TryGetValue(field, out var k) ? k.ToLowerInvariant() : null;
    }

    public override string ToString() => Columns.Count == 0 ? "(conventions)" : string.Join(", ", Columns.Select(kv => $"{kv.Key}={kv.Value}"));
}

/// <summary>Canonical field names used by <see cref="FieldMapping"/>.</summary>
public static class Fields
{
    public const string Code = "code";
    public const string Name = "name";
    public const string Parent = "parent";
    public const string Kind = "kind";
    public const string Population = "population";
    public const string Households = "households";
    public const string Id = "id";
    public const string Status = "status";
    public const string Year = "year";
    public const string Owner = "owner";
    public const string Technologies = "technologies";
    public const string Operator = "operator";
    public const string Unit = "unit";
    public const string Coverage = "coverage_wkt";
}
