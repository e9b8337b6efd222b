using System.Globalization;
using System.Text.Json;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Infrastructure;

/// <summary>
/// Loads the real Kemendagri boundaries of ../shared/data/boundaries (see shared/data/SOURCES.md) into
/// <see cref="AdminUnit"/> records. The files are read in place, never copied into the repository.
/// </summary>
/// <remarks>
/// Two documented defects are repaired, and only for the units that have them; any other malformed ring throws,
/// so a new defect in the data is seen rather than hidden.
/// </remarks>
public static class SharedData
{
    public const string Provinces = "id_provinsi.geojson";             // 38
    public const string Regencies = "id_kabkota.geojson";              // 514
    public const string Districts = "id_kecamatan.geojson";            // 7,285
    public const string PadangPariamanDistricts = "padang_pariaman_13.05_kecamatan.geojson"; // 17
    public const string PadangPariamanNagari = "padang_pariaman_13.05_nagari.geojson";       // 103

    /// <summary>
    /// Units known to need a repair (SOURCES.md, "Geometry defects"):
    /// 96.01 Kab. Sorong has 10 holes of 3 points (A, B, A): zero-area slivers, dropped;
    /// 81.05.16 Ukar Sengan has one ring whose last point is not its first: closed by repeating the first point.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownDefects = new HashSet<string>(StringComparer.Ordinal) { "96.01", "81.05.16" };

    /// <summary>The data directory; under CI=true its absence fails the test.</summary>
    public static string RequireDirectory() =>
        TestEnvironment.SharedDataDirectory
        ?? throw new InvalidOperationException("../shared/data is absent, but real-boundary tests must run (CI=true)");

    /// <summary>Units of one boundary file, in file order.</summary>
    public static IReadOnlyList<AdminUnit> LoadBoundaries(string fileName)
    {
        var path = Path.Combine(RequireDirectory(), "boundaries", fileName);
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var units = new List<AdminUnit>();
        foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var props = feature.GetProperty("properties");
            var code = props.GetProperty("kode").GetString() ?? throw new InvalidDataException($"{fileName}: feature without kode");
            if (!KemendagriCode.IsValid(code)) throw new InvalidDataException($"{fileName}: '{code}' is not a Kemendagri code");
            var level = KemendagriCode.LevelOf(code);
            var declared = props.GetProperty("level").GetString() switch
            {
                "provinsi" => AdminLevel.Province,
                "kabkota" => AdminLevel.Regency,
                "kecamatan" => AdminLevel.District,
                "desa_kelurahan" => AdminLevel.Village,
                var other => throw new InvalidDataException($"{fileName} {code}: unknown level '{other}'"),
            };
            if (declared != level) throw new InvalidDataException($"{fileName} {code}: level '{declared}' does not match the code");
            units.Add(new AdminUnit
            {
                Code = code,
                Name = props.GetProperty("nama").GetString() ?? throw new InvalidDataException($"{fileName} {code}: no nama"),
                Level = level,
                Kind = KindOf(code, level),
                ParentCode = KemendagriCode.ParentOf(code),
                Geometry = ReadGeometry(feature.GetProperty("geometry"), code, fileName),
            });
        }
        return units;
    }

    /// <summary>
    /// Kota when the regency segment is 71 or more; in West Sumatra (13) every desa outside 13.01 Kepulauan
    /// Mentawai is a nagari; otherwise the village kind follows the fourth segment.
    /// </summary>
    public static UnitKind KindOf(string code, AdminLevel level) => level switch
    {
        AdminLevel.Province => UnitKind.Provinsi,
        AdminLevel.Regency => int.Parse(code.AsSpan(3, 2), CultureInfo.InvariantCulture) >= 71 ? UnitKind.Kota : UnitKind.Kabupaten,
        AdminLevel.District => UnitKind.Kecamatan,
        _ when code.StartsWith("13.", StringComparison.Ordinal) && !code.StartsWith("13.01.", StringComparison.Ordinal) && code[^4] == '2' => UnitKind.Nagari,
        _ => KemendagriCode.VillageKindOf(code),
    };

    /// <summary>All 38 provinces, all 514 regencies, then the 17 kecamatan and 103 nagari of Kab. Padang Pariaman (13.05).</summary>
    public static DatasetChange PadangPariamanChange() => new()
    {
        Source = "shared/data/boundaries (provinces, regencies, Padang Pariaman kecamatan and nagari)",
        Units = [.. LoadBoundaries(Provinces), .. LoadBoundaries(Regencies), .. LoadBoundaries(PadangPariamanDistricts), .. LoadBoundaries(PadangPariamanNagari)],
    };

    private static MultiPolygon ReadGeometry(JsonElement geometry, string code, string fileName)
    {
        var type = geometry.GetProperty("type").GetString();
        var coordinates = geometry.GetProperty("coordinates");
        List<Polygon?> polygons = type switch
        {
            "Polygon" => [ReadPolygon(coordinates, code, fileName)],
            "MultiPolygon" => coordinates.EnumerateArray().Select(p => ReadPolygon(p, code, fileName)).ToList(),
            _ => throw new InvalidDataException($"{fileName} {code}: geometry type {type} is not a (multi)polygon"),
        };
        var kept = polygons.Where(p => p is not null).Select(p => p!).ToArray();
        if (kept.Length == 0) throw new InvalidDataException($"{fileName} {code}: no polygon left");
        return Geo.Factory.CreateMultiPolygon(kept);
    }

    private static Polygon? ReadPolygon(JsonElement rings, string code, string fileName)
    {
        LinearRing? shell = null;
        var holes = new List<LinearRing>();
        var index = 0;
        foreach (var ring in rings.EnumerateArray())
        {
            var coords = ring.EnumerateArray().Select(c =>
            {
                if (c.GetArrayLength() != 2) throw new InvalidDataException($"{fileName} {code}: position with {c.GetArrayLength()} ordinates");
                return new Coordinate(c[0].GetDouble(), c[1].GetDouble());
            }).ToList();
            if (coords.Count > 0 && !coords[0].Equals2D(coords[^1]))
            {
                RequireKnownDefect(code, fileName, "an unclosed ring");
                coords.Add(coords[0].Copy()); // repair: close the ring (81.05.16)
            }
            var distinct = coords.Select(c => (c.X, c.Y)).Distinct().Count();
            if (distinct < 3)
            {
                RequireKnownDefect(code, fileName, $"a ring of {distinct} distinct point(s)");
                // repair: a ring of fewer than 3 distinct points encloses nothing; drop it (a shell with its polygon)
                if (index == 0) return null;
                index++;
                continue;
            }
            var linearRing = Geo.Factory.CreateLinearRing(coords.ToArray());
            if (index == 0) shell = linearRing;
            else holes.Add(linearRing);
            index++;
        }
        if (shell is null) throw new InvalidDataException($"{fileName} {code}: polygon without rings");
        return Geo.Factory.CreatePolygon(shell, holes.ToArray());
    }

    private static void RequireKnownDefect(string code, string fileName, string defect)
    {
        if (!KnownDefects.Contains(code))
            throw new InvalidDataException($"{fileName} {code}: {defect}, which is not one of the documented defects: fix the loader knowingly, do not hide it");
    }
}
