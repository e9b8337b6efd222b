using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Export;

public enum ColumnType
{
    Text,
    Integer,
    Real,
    Boolean,
}

public sealed record ExportColumn(string Name, ColumnType Type);

/// <summary>One output feature: its geometry and one value per column (string, long, double, bool or null).</summary>
public sealed record ExportRow(string Id, Geometry Geometry, IReadOnlyList<object?> Values);

/// <summary>
/// A layer ready to be written: the name used as GeoPackage table (provinces, regencies, districts,
/// villages, fibre_routes, towers, facilities, population_cells), the GeoPackage geometry type and the
/// columns, which follow the import field conventions so that an export imports back unchanged.
/// </summary>
public sealed record ExportTable(string Name, string GeometryType, IReadOnlyList<ExportColumn> Columns, IReadOnlyList<ExportRow> Rows)
{
    public static string UnitTableName(AdminLevel level) => level switch
    {
        AdminLevel.Province => "provinces",
        AdminLevel.Regency => "regencies",
        AdminLevel.District => "districts",
        _ => "villages",
    };

    /// <summary>Units, one table per level present (or the one level asked for), each ordered by code.</summary>
    public static IReadOnlyList<ExportTable> FromUnits(IEnumerable<AdminUnit> units) =>
        units.GroupBy(u => u.Level).OrderBy(g => g.Key).Select(g => UnitTable(UnitTableName(g.Key), g.OrderBy(u => u.Code, StringComparer.Ordinal).ToList())).ToList();

    public static ExportTable UnitTable(string name, IReadOnlyList<AdminUnit> units)
    {
        ExportColumn[] fixedColumns =
        [
            new("kode", ColumnType.Text), new("nama", ColumnType.Text), new("kode_induk", ColumnType.Text), new("jenis", ColumnType.Text),
            new("penduduk", ColumnType.Integer), new("kk", ColumnType.Integer),
        ];
        var attributeColumns = AttributeColumns(units.Select(u => u.Attributes), fixedColumns.Select(c => c.Name));
        var rows = units.Select(u => new ExportRow(u.Code, u.Geometry,
            new object?[] { u.Code, u.Name, u.ParentCode, Conventions.KindName(u.Kind), u.Population, u.Households }
                .Concat(attributeColumns.Select(a => AttributeValue(u.Attributes, a))).ToList())).ToList();
        return new ExportTable(name, "MULTIPOLYGON", [.. fixedColumns, .. attributeColumns.Select(a => a.Column)], rows);
    }

    public static ExportTable FromFibre(IEnumerable<FibreRoute> routes) => new("fibre_routes", "MULTILINESTRING",
        [new("id", ColumnType.Text), new("status", ColumnType.Text), new("tahun", ColumnType.Integer), new("pemilik", ColumnType.Text), new("nama", ColumnType.Text)],
        routes.OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new ExportRow(r.Id, r.Geometry, [r.Id, Conventions.StatusName(r.Status), (long?)r.Year, r.Owner, r.Name])).ToList());

    public static ExportTable FromTowers(IEnumerable<Tower> towers)
    {
        var techs = Enum.GetValues<RadioTechnology>();
        var wkt = new WKTWriter();
        return new ExportTable("towers", "POINT",
            [
                new("id", ColumnType.Text), new("teknologi", ColumnType.Text),
                .. techs.Select(t => new ExportColumn(Conventions.RadiusColumn(t), ColumnType.Real)),
                new("operator", ColumnType.Text), new("tahun", ColumnType.Integer), new("nama", ColumnType.Text), new("coverage_wkt", ColumnType.Text),
            ],
            towers.OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => new ExportRow(t.Id, t.Location,
                [
                    t.Id, Conventions.TechnologiesText(t.Technologies),
                    .. techs.Select(k => t.RadiusMetres.TryGetValue(k, out var r) ? (object?)r : null),
                    t.Operator, (long?)t.Year, t.Name, t.CoverageArea is null ? null : wkt.Write(t.CoverageArea),
                ])).ToList());
    }

    public static ExportTable FromFacilities(IEnumerable<Facility> facilities) => new("facilities", "POINT",
        [new("id", ColumnType.Text), new("jenis", ColumnType.Text), new("kode_unit", ColumnType.Text), new("nama", ColumnType.Text)],
        facilities.OrderBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => new ExportRow(f.Id, f.Location, [f.Id, Conventions.FacilityKindName(f.Kind), f.UnitCode, f.Name])).ToList());

    public static ExportTable FromPopulationCells(IEnumerable<PopulationCell> cells) => new("population_cells", "GEOMETRY",
        [new("id", ColumnType.Text), new("penduduk", ColumnType.Integer), new("kk", ColumnType.Integer)],
        cells.OrderBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => new ExportRow(c.Id, c.Geometry, [c.Id, (long)c.Population, (long)c.Households])).ToList());

    private sealed record AttributeColumn(string Key, ExportColumn Column);

    /// <summary>
    /// One column per attribute key, typed by its values: all booleans → Boolean, all whole numbers → Integer,
    /// all numbers → Real, anything else → Text. A key that collides with a convention column gets an <c>attr_</c> prefix.
    /// </summary>
    private static List<AttributeColumn> AttributeColumns(IEnumerable<System.Collections.Immutable.ImmutableSortedDictionary<string, JsonElement>> all, IEnumerable<string> reserved)
    {
        var taken = new HashSet<string>(reserved, StringComparer.OrdinalIgnoreCase);
        var kinds = new SortedDictionary<string, ColumnType?>(StringComparer.Ordinal);
        foreach (var attrs in all)
        {
            foreach (var (key, value) in attrs)
            {
                var type = value.ValueKind switch
                {
                    JsonValueKind.True or JsonValueKind.False => ColumnType.Boolean,
                    JsonValueKind.Number => value.TryGetInt64(out _) ? ColumnType.Integer : ColumnType.Real,
                    JsonValueKind.Null => (ColumnType?)null,
                    _ => ColumnType.Text,
                };
                kinds.TryGetValue(key, out var seen);
                kinds[key] = (seen, type) switch
                {
                    (null, var t) => t,
                    (var s, null) => s,
                    (var s, var t) when s == t => s,
                    (ColumnType.Integer, ColumnType.Real) or (ColumnType.Real, ColumnType.Integer) => ColumnType.Real,
                    _ => ColumnType.Text,
                };
            }
        }
        var result = new List<AttributeColumn>();
        foreach (var (key, type) in kinds)
        {
            var name = key;
            while (!taken.Add(name)) name = "attr_" + name;
            result.Add(new AttributeColumn(key, new ExportColumn(name, type ?? ColumnType.Text)));
        }
        return result;
    }

    private static object? AttributeValue(System.Collections.Immutable.ImmutableSortedDictionary<string, JsonElement> attrs, AttributeColumn column)
    {
        if (!attrs.TryGetValue(column.Key, out var v)) return null;
        return (column.Column.Type, v.ValueKind) switch
        {
            (_, JsonValueKind.Null) => null,
            (ColumnType.Boolean, _) => v.GetBoolean(),
            (ColumnType.Integer, _) => v.GetInt64(),
            (ColumnType.Real, _) => v.GetDouble(),
            (_, JsonValueKind.String) => v.GetString(),
            _ => v.GetRawText(),
        };
    }

    internal static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
