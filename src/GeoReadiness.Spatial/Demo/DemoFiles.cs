using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace GeoReadiness.Spatial.Demo;

/// <summary>One file of the demo data set in load order, with the import layer it belongs to.</summary>
public sealed record DemoLayerFile(string Path, string Layer, int Records);

/// <summary>
/// Writes a <see cref="DemoDataset"/> as shapefiles (with .shx, .dbf, .prj and .cpg), the questionnaire CSV,
/// <c>manifest.json</c> and <c>README.md</c>. The output is byte-for-byte reproducible: the .dbf "last update"
/// date, which the shapefile writer takes from the clock, is fixed to <see cref="DbfDate"/>; text is UTF-8
/// without BOM with LF line ends; numbers use the invariant culture.
/// </summary>
public static class DemoFiles
{
    /// <summary>The date written into every .dbf header.</summary>
    public static DateOnly DbfDate { get; } = new(2026, 1, 1);

    public const string RegenerateCommand = "dotnet run --project src/GeoReadiness.Cli -- demo generate --out data/shapefiles";

    /// <summary>WGS84 geographic, in the ESRI WKT that GIS tools write next to shapefiles.</summary>
    public const string Wgs84Prj = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes every file below <paramref name="directory"/> (created if needed; other files are left alone).</summary>
    /// <returns>the data files in load order</returns>
    public static IReadOnlyList<DemoLayerFile> Write(DemoDataset data, string directory)
    {
        ArgumentNullException.ThrowIfNull(data);
        var files = Render(data);
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(directory, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
        return LoadOrder(data);
    }

    /// <summary>Every file as (relative path with '/', content), sorted by path.</summary>
    public static IReadOnlyList<(string Path, byte[] Content)> Render(DemoDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        void Shapefile(string stem, Dictionary<string, byte[]> parts)
        {
            foreach (var (ext, bytes) in parts) files[stem + ext] = bytes;
        }
        Shapefile("national/provinsi", Units(data.Provinces));
        Shapefile("national/kabkota", Units(data.Regencies));
        Shapefile("padang_pariaman/kabupaten", Units([data.Kabupaten]));
        Shapefile("padang_pariaman/kecamatan", Units(data.Kecamatan));
        Shapefile("padang_pariaman/nagari", Units(data.Nagari));
        Shapefile("padang_pariaman/fibre", Fibre(data.FibreRoutes));
        Shapefile("padang_pariaman/towers", Towers(data.Towers));
        Shapefile("padang_pariaman/facilities", Facilities(data.Facilities));
        Shapefile("padang_pariaman/population_cells", Cells(data.PopulationCells));
        files["national/questionnaire.csv"] = QuestionnaireFile(data);
        files["README.md"] = Utf8.GetBytes(Readme(data));
        // Keeps git from converting line ends in the text files, which would break the recorded hashes.
        files[".gitattributes"] = Utf8.GetBytes("* -text\n");
        files["manifest.json"] = Manifest(data, files);
        return files.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public static IReadOnlyList<DemoLayerFile> LoadOrder(DemoDataset data) =>
    [
        new("national/provinsi.shp", "units", data.Provinces.Count),
        new("national/kabkota.shp", "units", data.Regencies.Count),
        new("padang_pariaman/kabupaten.shp", "units", 1),
        new("padang_pariaman/kecamatan.shp", "units", data.Kecamatan.Count),
        new("padang_pariaman/nagari.shp", "units", data.Nagari.Count),
        new("padang_pariaman/fibre.shp", "fibre", data.FibreRoutes.Count),
        new("padang_pariaman/towers.shp", "towers", data.Towers.Count),
        new("padang_pariaman/facilities.shp", "facilities", data.Facilities.Count),
        new("padang_pariaman/population_cells.shp", "population", data.PopulationCells.Count),
        new("national/questionnaire.csv", DatasetManifest.QuestionnaireLayer, data.Questionnaire.Count),
    ];

    private static Dictionary<string, byte[]> Units(IReadOnlyList<AdminUnit> units) => WriteShapefile(ShapeType.Polygon,
        [
            new DbfCharacterField("kode", 13), new DbfCharacterField("nama", 60), new DbfCharacterField("kode_induk", 13),
            new DbfCharacterField("jenis", 10), new DbfNumericInt64Field("penduduk", 12), new DbfNumericInt64Field("kk", 12),
        ],
        units.Select(u => ((Geometry)u.Geometry, new object?[] { u.Code, u.Name, u.ParentCode, Conventions.KindName(u.Kind), u.Population, u.Households })));

    private static Dictionary<string, byte[]> Fibre(IReadOnlyList<FibreRoute> routes) => WriteShapefile(ShapeType.PolyLine,
        [
            new DbfCharacterField("id", 12), new DbfCharacterField("status", 20), new DbfNumericInt32Field("tahun", 4),
            new DbfCharacterField("pemilik", 60), new DbfCharacterField("nama", 120),
        ],
        routes.Select(r => ((Geometry)r.Geometry, new object?[] { r.Id, Conventions.StatusName(r.Status), r.Year, r.Owner, r.Name })));

    private static Dictionary<string, byte[]> Towers(IReadOnlyList<Tower> towers) => WriteShapefile(ShapeType.Point,
        [
            new DbfCharacterField("id", 12), new DbfCharacterField("teknologi", 16),
            new DbfNumericInt32Field("r_2g", 6), new DbfNumericInt32Field("r_3g", 6), new DbfNumericInt32Field("r_4g", 6), new DbfNumericInt32Field("r_5g", 6),
            new DbfCharacterField("operator", 20), new DbfNumericInt32Field("tahun", 4), new DbfCharacterField("nama", 80),
        ],
        towers.Select(t => ((Geometry)t.Location, new object?[]
        {
            t.Id, Conventions.TechnologiesText(t.Technologies),
            Radius(t, RadioTechnology.G2), Radius(t, RadioTechnology.G3), Radius(t, RadioTechnology.G4), Radius(t, RadioTechnology.G5),
            t.Operator, t.Year, t.Name,
        })));

    private static int Radius(Tower t, RadioTechnology tech) => t.RadiusMetres.TryGetValue(tech, out var r) ? (int)Math.Round(r) : 0;

    private static Dictionary<string, byte[]> Facilities(IReadOnlyList<Facility> facilities) => WriteShapefile(ShapeType.Point,
        [new DbfCharacterField("id", 24), new DbfCharacterField("jenis", 20), new DbfCharacterField("kode_unit", 13), new DbfCharacterField("nama", 100)],
        facilities.Select(f => ((Geometry)f.Location, new object?[] { f.Id, Conventions.FacilityKindName(f.Kind), f.UnitCode, f.Name })));

    private static Dictionary<string, byte[]> Cells(IReadOnlyList<PopulationCell> cells) => WriteShapefile(ShapeType.Point,
        [new DbfCharacterField("id", 10), new DbfNumericInt32Field("penduduk", 7), new DbfNumericInt32Field("kk", 7)],
        cells.Select(c => (c.Geometry, new object?[] { c.Id, c.Population, c.Households })));

    private static Dictionary<string, byte[]> WriteShapefile(ShapeType type, DbfField[] fields, IEnumerable<(Geometry Geometry, object?[] Values)> rows)
    {
        using var shp = new MemoryStream();
        using var shx = new MemoryStream();
        using var dbf = new MemoryStream();
        using var prj = new MemoryStream();
        using (var writer = Shapefile.OpenWrite(shp, shx, dbf, prj, new ShapefileWriterOptions(type, fields) { Encoding = Encoding.UTF8 }))
        {
            foreach (var (geometry, values) in rows)
            {
                writer.Geometry = geometry;
                for (var i = 0; i < fields.Length; i++) writer.Fields[i].Value = values[i];
                writer.Write();
            }
        }
        var dbfBytes = dbf.ToArray();
        // dBASE header bytes 1–3: date of last update (years since 1900, month, day). The writer puts today's
        // date there; a fixed date keeps the files reproducible.
        dbfBytes[1] = (byte)(DbfDate.Year - 1900);
        dbfBytes[2] = (byte)DbfDate.Month;
        dbfBytes[3] = (byte)DbfDate.Day;
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [".shp"] = shp.ToArray(),
            [".shx"] = shx.ToArray(),
            [".dbf"] = dbfBytes,
            [".prj"] = Utf8.GetBytes(Wgs84Prj),
            [".cpg"] = Utf8.GetBytes("UTF-8"),
        };
    }

    private static byte[] QuestionnaireFile(DemoDataset data)
    {
        var names = data.Regencies.ToDictionary(r => r.Code, r => r.Name, StringComparer.Ordinal);
        return Utf8.GetBytes(QuestionnaireCsv.Write(data.Questionnaire, code => names.GetValueOrDefault(code)));
    }

    private static byte[] Manifest(DemoDataset data, SortedDictionary<string, byte[]> files)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("name", "georeadiness-demo");
            json.WriteString("description", "Synthetic demo data set: a kabupaten modelled on Padang Pariaman (13.05) and the national provinces and kab/kota with a readiness questionnaire (assessment year 2019). Everything is invented except province codes and names and Kota Dumai's published questionnaire figures.");
            json.WriteString("generator", "GeoReadiness.Spatial.Demo.DemoGenerator");
            json.WriteString("version", data.GeneratorVersion);
            json.WriteNumber("seed", data.Seed);
            json.WriteString("regenerate", RegenerateCommand + (data.Seed == DemoOptions.DefaultSeed ? "" : " --seed " + data.Seed.ToString(CultureInfo.InvariantCulture)));
            json.WriteString("crs", "EPSG:4326");
            json.WriteBoolean("synthetic", true);
            // The load order, in the shape DatasetManifest reads: path, layer and the SHA-256 checked before loading.
            json.WriteStartArray("files");
            foreach (var f in LoadOrder(data))
            {
                json.WriteStartObject();
                json.WriteString("path", f.Path);
                json.WriteString("layer", f.Layer);
                json.WriteNumber("records", f.Records);
                json.WriteString("sha256", Sha256(files[f.Path]));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            // Every file of the folder (companions, README) with its size and SHA-256.
            json.WriteStartArray("checksums");
            foreach (var (path, bytes) in files)
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteNumber("bytes", bytes.Length);
                json.WriteString("sha256", Sha256(bytes));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Readme(DemoDataset d) => DemoReadme.Text(d);
}
