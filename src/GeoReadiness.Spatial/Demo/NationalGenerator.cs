using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Demo;

internal sealed record NationalData(IReadOnlyList<AdminUnit> Provinces, IReadOnlyList<AdminUnit> Regencies, IReadOnlyList<QuestionnaireRow> Questionnaire);

/// <summary>
/// The national layer: the 38 provinces with their real Kemendagri codes and names placed as blobs at their
/// approximate locations (cut apart by the Voronoi cells of their centres, so they never overlap), each split
/// into synthetic kabupaten (Voronoi tiles) and kota (small blobs) in roughly the real numbers.
/// </summary>
internal static class NationalGenerator
{
    /// <summary>Code, name, approximate centre, approximate land area (km²), number of kabupaten and of kota.</summary>
    internal static readonly (string Code, string Name, double Lon, double Lat, double AreaKm2, int Kabupaten, int Kota)[] ProvinceTable =
    [
        ("11", "Aceh", 96.9, 4.4, 57_956, 18, 5),
        ("12", "Sumatera Utara", 99.2, 2.2, 72_981, 25, 8),
        ("13", "Sumatera Barat", 100.75, -0.95, 42_013, 12, 7),
        ("14", "Riau", 101.6, 0.7, 87_024, 10, 2),
        ("15", "Jambi", 102.9, -1.7, 50_058, 9, 2),
        ("16", "Sumatera Selatan", 104.2, -3.3, 91_592, 13, 4),
        ("17", "Bengkulu", 102.2, -3.7, 19_919, 9, 1),
        ("18", "Lampung", 105.0, -4.9, 34_624, 13, 2),
        ("19", "Kepulauan Bangka Belitung", 106.6, -2.5, 16_424, 6, 1),
        ("21", "Kepulauan Riau", 104.6, 0.9, 8_202, 5, 2),
        ("31", "DKI Jakarta", 106.83, -6.2, 664, 1, 5),
        ("32", "Jawa Barat", 107.6, -6.95, 35_378, 18, 9),
        ("33", "Jawa Tengah", 110.1, -7.15, 32_801, 29, 6),
        ("34", "Daerah Istimewa Yogyakarta", 110.45, -7.9, 3_133, 4, 1),
        ("35", "Jawa Timur", 112.6, -7.6, 47_800, 29, 9),
        ("36", "Banten", 106.1, -6.45, 9_663, 4, 4),
        ("51", "Bali", 115.1, -8.4, 5_780, 8, 1),
        ("52", "Nusa Tenggara Barat", 117.3, -8.6, 18_572, 8, 2),
        ("53", "Nusa Tenggara Timur", 121.3, -9.2, 48_718, 21, 1),
        ("61", "Kalimantan Barat", 110.8, -0.2, 147_307, 12, 2),
        ("62", "Kalimantan Tengah", 113.4, -1.6, 153_565, 13, 1),
        ("63", "Kalimantan Selatan", 115.4, -2.9, 38_744, 11, 2),
        ("64", "Kalimantan Timur", 116.6, 0.5, 129_067, 7, 3),
        ("65", "Kalimantan Utara", 116.3, 3.0, 75_468, 4, 1),
        ("71", "Sulawesi Utara", 124.6, 1.1, 13_852, 11, 4),
        ("72", "Sulawesi Tengah", 121.3, -1.3, 61_841, 12, 1),
        ("73", "Sulawesi Selatan", 120.0, -3.9, 46_717, 21, 3),
        ("74", "Sulawesi Tenggara", 122.3, -4.1, 38_068, 15, 2),
        ("75", "Gorontalo", 122.6, 0.7, 11_257, 5, 1),
        ("76", "Sulawesi Barat", 119.2, -2.5, 16_787, 6, 0),
        ("81", "Maluku", 129.5, -3.3, 46_914, 9, 2),
        ("82", "Maluku Utara", 127.8, 0.7, 31_982, 8, 2),
        ("91", "Papua", 138.8, -2.3, 82_680, 8, 1),
        ("92", "Papua Barat", 133.4, -2.6, 60_275, 7, 0),
        ("93", "Papua Selatan", 139.6, -7.0, 117_849, 4, 0),
        ("94", "Papua Tengah", 136.4, -3.8, 61_072, 8, 0),
        ("95", "Papua Pegunungan", 139.0, -4.2, 51_213, 8, 0),
        ("96", "Papua Barat Daya", 131.8, -1.0, 39_123, 5, 1),
    ];

    /// <summary>Kab/kota that keep their real names and (approximate) real locations.</summary>
    private static readonly Dictionary<string, (string Name, double Lon, double Lat)> RealKota = new(StringComparer.Ordinal)
    {
        ["14.71"] = ("Kota Pekanbaru", 101.45, 0.51),
        ["14.72"] = ("Kota Dumai", 101.45, 1.67),
    };

    public static NationalData Generate(long seed, KabupatenData detail)
    {
        var names = new DemoNames(DemoRandom.Derive(seed, "national/names"));
        names.Reserve("Padang Pariaman");
        foreach (var (name, _, _) in RealKota.Values) names.Reserve(name["Kota ".Length..]);

        var inner = Geo.Factory.ToGeometry(new Envelope(94.5, 141.5, -11.5, 6.5));
        var centres = ProvinceTable.Select(p => new Coordinate(p.Lon, p.Lat)).ToList();
        var cells = DemoGeometry.Tile(inner, centres);
        var kab = detail.Kabupaten.Geometry;

        var provinces = new List<AdminUnit>();
        var regencies = new List<AdminUnit>();
        for (var p = 0; p < ProvinceTable.Length; p++)
        {
            var (code, provinceName, lon, lat, areaKm2, kabCount, kotaCount) = ProvinceTable[p];
            var rng = DemoRandom.Derive(seed, "national/" + code);
            var radiusDeg = 0.85 * Math.Sqrt(areaKm2 / Math.PI) / 111.0;
            var blob = DemoGeometry.Blob(rng, radiusDeg * rng.Uniform(1.0, 1.2), radiusDeg * rng.Uniform(0.75, 0.95), rng.Uniform(0, Math.PI), 0.25, 96,
                (x, y) => new Coordinate(lon + x, lat + y));
            Geometry region = DemoGeometry.Intersection(cells[p], blob);
            Geometry? fixedPiece = null;
            if (code == "13")
            {
                // Sumatera Barat holds the detailed kabupaten, which must fit in its Voronoi cell; the province
                // stays east of the kabupaten's coast.
                if (DemoGeometry.Difference(kab, cells[p]).Area > 0) throw new InvalidOperationException("Padang Pariaman does not fit in Sumatera Barat's cell");
                region = DemoGeometry.Union(DemoGeometry.Difference(region, detail.SeaSide), kab);
                fixedPiece = kab;
            }
            region = DemoGeometry.Polygons(region);

            var children = new List<(string Code, string Name, UnitKind Kind, MultiPolygon Geometry)>();
            var rest = fixedPiece is null ? region : DemoGeometry.Difference(region, fixedPiece);

            // Kota: small blobs, the real ones at their real places.
            var kotaRadius = Math.Clamp(0.3 * Math.Sqrt(region.Area / Math.PI / (kabCount + kotaCount)), 0.02, 0.12);
            var kotaCodes = Enumerable.Range(71, kotaCount).Select(n => $"{code}.{n}").ToList();
            var placedKota = new List<Coordinate>();
            var inset = DemoGeometry.Polygons(rest.Buffer(-kotaRadius * 1.1));
            foreach (var kotaCode in kotaCodes)
            {
                Coordinate at;
                string name;
                if (RealKota.TryGetValue(kotaCode, out var real))
                {
                    at = new Coordinate(real.Lon, real.Lat);
                    name = real.Name;
                }
                else
                {
                    var area = inset.IsEmpty ? rest : inset;
                    at = DemoGeometry.BestCandidates(area, 1, rng, 12, avoid: placedKota.Concat(fixedPiece is null ? [] : [fixedPiece.Centroid.Coordinate]).ToList())[0];
                    name = "Kota " + names.Invented();
                }
                placedKota.Add(at);
                var r = kotaRadius * rng.Uniform(0.6, 1.0);
                var shape = DemoGeometry.Blob(rng, r, r * rng.Uniform(0.7, 1.0), rng.Uniform(0, Math.PI), 0.2, 40, (x, y) => new Coordinate(at.X + x, at.Y + y));
                var piece = DemoGeometry.Polygons(DemoGeometry.Intersection(shape, rest));
                if (piece.IsEmpty) throw new InvalidOperationException($"kota {kotaCode} fell outside its province");
                rest = DemoGeometry.Difference(rest, piece);
                children.Add((kotaCode, name, UnitKind.Kota, piece));
            }

            // Kabupaten: Voronoi tiles of what is left.
            var kabCodes = Enumerable.Range(1, kabCount).Select(n => $"{code}.{n:00}").Where(c => fixedPiece is null || c != PadangPariamanGenerator.Code).ToList();
            var sites = DemoGeometry.BestCandidates(rest, kabCodes.Count, rng, 8);
            var order = Enumerable.Range(0, sites.Count).OrderByDescending(i => sites[i].Y).ThenBy(i => sites[i].X).ToList();
            var tiles = DemoGeometry.Tile(rest, sites);
            for (var j = 0; j < kabCodes.Count; j++)
            {
                var tile = tiles[order[j]];
                if (tile.IsEmpty) throw new InvalidOperationException($"kabupaten {kabCodes[j]} is empty");
                children.Add((kabCodes[j], "Kabupaten " + names.Invented(), UnitKind.Kabupaten, tile));
            }
            if (fixedPiece is not null) children.Add((detail.Kabupaten.Code, detail.Kabupaten.Name, UnitKind.Kabupaten, detail.Kabupaten.Geometry));

            foreach (var (childCode, childName, kind, geometry) in children.OrderBy(c => c.Code, StringComparer.Ordinal))
            {
                regencies.Add(childCode == PadangPariamanGenerator.Code ? detail.Kabupaten : new AdminUnit
                {
                    Code = childCode,
                    Name = childName,
                    Level = AdminLevel.Regency,
                    Kind = kind,
                    ParentCode = code,
                    Geometry = geometry,
                });
            }
            provinces.Add(new AdminUnit
            {
                Code = code,
                Name = provinceName,
                Level = AdminLevel.Province,
                Kind = UnitKind.Provinsi,
                Geometry = DemoGeometry.Polygons(DemoGeometry.Union(children.Select(c => (Geometry)c.Geometry))),
            });
        }

        var questionnaire = Questionnaire.Generate(seed, regencies, detail.Kabupaten);
        var byCode = questionnaire.ToDictionary(q => q.Code, StringComparer.Ordinal);
        regencies = regencies.Select(r => r.Code == PadangPariamanGenerator.Code ? r : r with { Population = (long)byCode[r.Code].Values["penduduk"], Households = (long)byCode[r.Code].Values["kk"] }).ToList();
        provinces = provinces.Select(p =>
        {
            var children = regencies.Where(r => r.ParentCode == p.Code).ToList();
            return p with { Population = children.Sum(c => c.Population), Households = children.Sum(c => c.Households) };
        }).ToList();
        return new NationalData(provinces, regencies, questionnaire);
    }
}
