using System.Collections.Immutable;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>
/// Small synthetic features for store tests: units are boxes on a grid in West Sumatra, with coordinates that
/// use every bit of a double so that an inexact round-trip shows.
/// </summary>
public static class TestFeatures
{
    private static readonly GeometryFactory F = Geo.Factory;

    /// <summary>An axis-aligned square as a one-part MultiPolygon.</summary>
    public static MultiPolygon Box(double minX, double minY, double size) =>
        F.CreateMultiPolygon([Square(minX, minY, size)]);

    public static Polygon Square(double minX, double minY, double size) => F.CreatePolygon(
    [
        new Coordinate(minX, minY), new Coordinate(minX + size, minY), new Coordinate(minX + size, minY + size),
        new Coordinate(minX, minY + size), new Coordinate(minX, minY),
    ]);

    /// <summary>The box of grid cell (column, row): 0.1° wide, 0.2° apart, from 100°E 1°S; cells never touch.</summary>
    public static MultiPolygon Cell(int column, int row) =>
        Box(100.0 + column * 0.2 + 1.0 / 3.0 * 1e-3, -1.0 + row * 0.2 + Math.PI * 1e-9, 0.1);

    /// <summary>A unit whose level, parent and (unless given) kind follow from its code.</summary>
    public static AdminUnit Unit(string code, string? name = null, UnitKind? kind = null, MultiPolygon? geometry = null,
        long? population = null, long? households = null, ImmutableSortedDictionary<string, System.Text.Json.JsonElement>? attributes = null)
    {
        var level = KemendagriCode.LevelOf(code);
        return new AdminUnit
        {
            Code = code,
            Name = name ?? "Unit " + code,
            Level = level,
            Kind = kind ?? DefaultKind(code, level),
            ParentCode = KemendagriCode.ParentOf(code),
            Geometry = geometry ?? Box(100, -1, 0.1),
            Population = population,
            Households = households,
            Attributes = attributes ?? Attributes.Empty,
        };
    }

    private static UnitKind DefaultKind(string code, AdminLevel level) => level switch
    {
        AdminLevel.Province => UnitKind.Provinsi,
        AdminLevel.Regency => int.Parse(code.AsSpan(3, 2), System.Globalization.CultureInfo.InvariantCulture) >= 71 ? UnitKind.Kota : UnitKind.Kabupaten,
        AdminLevel.District => UnitKind.Kecamatan,
        _ => code.StartsWith("13.", StringComparison.Ordinal) && code[^4] == '2' ? UnitKind.Nagari : KemendagriCode.VillageKindOf(code),
    };

    /// <summary>The codes of <see cref="Hierarchy"/>, in ordinal order.</summary>
    public static readonly string[] HierarchyCodes =
    [
        "13", "13.05", "13.05.01", "13.05.01.2001", "13.05.01.2002", "13.05.02", "13.05.02.2001",
        "13.71", "13.71.01", "13.71.01.1001",
        "14", "14.01", "14.01.01", "14.01.01.2001",
    ];

    /// <summary>
    /// Two provinces down to village level (14 units). Unit i of <see cref="HierarchyCodes"/> covers grid cell
    /// (i % 5, i / 5). Populations are set on every unit but the villages of 14.
    /// </summary>
    public static IReadOnlyList<AdminUnit> Hierarchy() => HierarchyCodes
        .Select((code, i) => Unit(code, geometry: Cell(i % 5, i / 5),
            population: code.StartsWith("14.01.01.", StringComparison.Ordinal) ? null : 1000L * (i + 1),
            households: code.StartsWith("14.01.01.", StringComparison.Ordinal) ? null : 250L * (i + 1)))
        .ToList();

    /// <summary>Attributes of every JSON scalar type.</summary>
    public static ImmutableSortedDictionary<string, System.Text.Json.JsonElement> MixedAttributes() => Attributes.From(
    [
        new("text", "Nagari Lubuk Alung — ñ \"quoted\""),
        new("empty", ""),
        new("integer", 42),
        new("large", 9_007_199_254_740_993L),
        new("negative", -17),
        new("fraction", 0.1),
        new("tiny", 1.5e-7),
        new("third", 1.0 / 3.0),
        new("yes", true),
        new("no", false),
        new("missing", null),
        new("numeric_text", "0042"),
    ]);

    public static FibreRoute Route(string id, double x = 100.1234567890123, double y = -0.9876543210987) => new()
    {
        Id = id,
        Geometry = F.CreateMultiLineString(
        [
            F.CreateLineString([new Coordinate(x, y), new Coordinate(x + 0.0123456789, y + 1e-9), new Coordinate(x + 0.05, y - 0.02)]),
            F.CreateLineString([new Coordinate(x + 0.1, y), new Coordinate(x + 0.2, y + 0.1)]),
        ]),
        Status = FibreStatus.UnderConstruction,
        Year = 2024,
        Owner = "Telkom",
        Name = "Backbone " + id,
    };

    public static Tower TowerWithRadiiAndCoverage(string id, double x = 100.35, double y = -0.65) => new()
    {
        Id = id,
        Location = F.CreatePoint(new Coordinate(x + 1e-10, y - Math.E * 1e-11)),
        Technologies = [RadioTechnology.G2, RadioTechnology.G4, RadioTechnology.G5],
        RadiusMetres = ImmutableSortedDictionary<RadioTechnology, double>.Empty
            .Add(RadioTechnology.G4, 1500.25).Add(RadioTechnology.G5, 333.333333333333),
        CoverageArea = F.CreateMultiPolygon([Square(x - 0.01, y - 0.01, 0.02), Square(x + 0.05, y, 0.01)]),
        Operator = "Telkomsel",
        Year = 2019,
        Name = "BTS " + id,
    };

    /// <summary>A tower with nothing optional: no radius, no coverage, no operator, year or name.</summary>
    public static Tower BareTower(string id, double x = 100.5, double y = -0.5) => new()
    {
        Id = id,
        Location = F.CreatePoint(new Coordinate(x, y)),
        Technologies = [RadioTechnology.G3],
    };

    public static Facility Facility(string id, FacilityKind kind = FacilityKind.Puskesmas, string? unitCode = "13.05.01", double x = 100.3, double y = -0.7) => new()
    {
        Id = id,
        Location = F.CreatePoint(new Coordinate(x, y)),
        Kind = kind,
        UnitCode = unitCode,
        Name = unitCode is null ? null : "Facility " + id,
    };

    public static PopulationCell PointCell(string id, double x = 100.31, double y = -0.71, int population = 120, int households = 30) => new()
    {
        Id = id,
        Geometry = F.CreatePoint(new Coordinate(x, y)),
        Population = population,
        Households = households,
    };

    public static PopulationCell SquareCell(string id, double x = 100.32, double y = -0.72, int population = 0, int households = 0) => new()
    {
        Id = id,
        Geometry = Square(x, y, 0.00225),
        Population = population,
        Households = households,
    };

    /// <summary>Moves every coordinate by (dx, dy): a new geometry, the original is untouched.</summary>
    public static T Shift<T>(T geometry, double dx, double dy) where T : Geometry
    {
        var copy = (T)geometry.Copy();
        copy.Apply(new ShiftFilter(dx, dy));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class ShiftFilter(double dx, double dy) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            seq.SetX(i, seq.GetX(i) + dx);
            seq.SetY(i, seq.GetY(i) + dy);
        }
    }

    /// <summary>True when both geometries have the same type, structure and bit-identical coordinates.</summary>
    public static bool BitIdentical(Geometry a, Geometry b)
    {
        if (a.GeometryType != b.GeometryType || a.SRID != b.SRID || a.NumGeometries != b.NumGeometries) return false;
        var ca = a.Coordinates;
        var cb = b.Coordinates;
        if (ca.Length != cb.Length) return false;
        for (var i = 0; i < ca.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(ca[i].X) != BitConverter.DoubleToInt64Bits(cb[i].X)
                || BitConverter.DoubleToInt64Bits(ca[i].Y) != BitConverter.DoubleToInt64Bits(cb[i].Y)) return false;
        }
        return a.EqualsExact(b);
    }
}
