using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Infrastructure;

/// <summary>Small synthetic units near Padang Pariaman for store tests.</summary>
public static class TestUnits
{
    public static MultiPolygon Box(double minLon, double minLat, double size) =>
        Geo.AsMultiPolygon(Geo.Factory.ToGeometry(new Envelope(minLon, minLon + size, minLat, minLat + size)));

    public static AdminUnit Unit(string code, double minLon = 100.1, double minLat = -0.9, double size = 0.01, long? population = null) => new()
    {
        Code = code,
        Name = "Unit " + code,
        Level = KemendagriCode.LevelOf(code),
        Kind = KemendagriCode.LevelOf(code) switch
        {
            AdminLevel.Province => UnitKind.Provinsi,
            AdminLevel.Regency => UnitKind.Kabupaten,
            AdminLevel.District => UnitKind.Kecamatan,
            _ => UnitKind.Nagari,
        },
        ParentCode = KemendagriCode.ParentOf(code),
        Geometry = Box(minLon, minLat, size),
        Population = population,
    };

    /// <summary>Province 13, regency 13.05, district 13.05.01 and <paramref name="villages"/> villages below it.</summary>
    public static IReadOnlyList<AdminUnit> Hierarchy(int villages)
    {
        var list = new List<AdminUnit> { Unit("13", 99.5, -1.5, 1.0), Unit("13.05", 100.1, -0.9, 0.4), Unit("13.05.01", 100.1, -0.9, 0.2) };
        for (var i = 1; i <= villages; i++)
            list.Add(Unit($"13.05.01.{2000 + i}", 100.1 + (i % 20) * 0.01, -0.9 + (i / 20) * 0.01, 0.01, population: 1000 + i));
        return list;
    }
}
