using GeoReadiness.Spatial.Import;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;

namespace GeoReadiness.Spatial.Tests.Import;

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gr-io-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

public enum TestBackend
{
    Embedded,
    PostGis,
}

/// <summary>A real, empty store of either backend: an embedded store in a temporary directory or a throwaway PostGIS database.</summary>
public sealed class TempStore : IAsyncDisposable
{
    private readonly TempDir? _dir;
    private readonly PostGisDatabase? _database;

    private TempStore(ISpatialStore store, TempDir? dir, PostGisDatabase? database)
    {
        Store = store;
        _dir = dir;
        _database = database;
    }

    public ISpatialStore Store { get; }

    public static Task<TempStore> OpenAsync(bool seedPadangPariaman = false) => OpenAsync(TestBackend.Embedded, seedPadangPariaman);

    public static async Task<TempStore> OpenAsync(TestBackend backend, bool seedPadangPariaman = false)
    {
        TempStore result;
        if (backend == TestBackend.Embedded)
        {
            var dir = new TempDir();
            result = new TempStore(await EmbeddedStore.OpenAsync(dir.Path), dir, null);
        }
        else
        {
            var database = await PostGisDatabase.CreateAsync();
            result = new TempStore(await PostGisStore.OpenAsync(database.ConnectionString), null, database);
        }
        if (seedPadangPariaman)
            await result.Store.ApplyAsync(new DatasetChange { Source = "seed", Units = [TestUnits.Unit("13", 99.5, -1.5, 1.0), TestUnits.Unit("13.05", 100.1, -0.9, 0.4), TestUnits.Unit("13.05.01", 100.1, -0.9, 0.2)] });
        return result;
    }

    /// <summary>Everything the store holds, for before/after comparisons.</summary>
    public async Task<StoreContent> ContentAsync() => new(
        (await Store.GetSummaryAsync()).DataVersion,
        await Store.QueryUnitsAsync(new UnitQuery()),
        await Store.QueryFibreRoutesAsync(FeatureQuery.All),
        await Store.QueryTowersAsync(FeatureQuery.All),
        await Store.QueryFacilitiesAsync(FeatureQuery.All),
        await Store.QueryPopulationCellsAsync(FeatureQuery.All));

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable d) await d.DisposeAsync();
        _dir?.Dispose();
        if (_database is not null) await _database.DisposeAsync();
    }
}

public sealed record StoreContent(
    long DataVersion,
    IReadOnlyList<AdminUnit> Units,
    IReadOnlyList<FibreRoute> Fibre,
    IReadOnlyList<Tower> Towers,
    IReadOnlyList<Facility> Facilities,
    IReadOnlyList<PopulationCell> Cells)
{
    public void AssertSameAs(StoreContent other)
    {
        Assert.Equal(other.DataVersion, DataVersion);
        Assert.Equal(other.Units, Units);
        Assert.Equal(other.Fibre, Fibre);
        Assert.Equal(other.Towers, Towers);
        Assert.Equal(other.Facilities, Facilities);
        Assert.Equal(other.Cells, Cells);
    }
}

/// <summary>Small source files crafted at test time.</summary>
public static class Fixtures
{
    public const string Wgs84Prj = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    public const string Utm47SPrj = "PROJCS[\"WGS_1984_UTM_Zone_47S\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",10000000.0],PARAMETER[\"Central_Meridian\",99.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    public const string WebMercatorPrj = "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],UNIT[\"Meter\",1.0]]";

    public static Polygon Box(double minX, double minY, double size) =>
        (Polygon)Geo.Factory.ToGeometry(new Envelope(minX, minX + size, minY, minY + size));

    /// <summary>A self-intersecting "bow-tie" ring: (0,0)-(1,1)-(1,0)-(0,1) scaled and moved.</summary>
    public static Polygon BowTie(double x, double y, double size) => Geo.Factory.CreatePolygon(
    [
        new(x, y), new(x + size, y + size), new(x + size, y), new(x, y + size), new(x, y),
    ]);

    public static string WriteShapefile(string directory, string name, IEnumerable<(Geometry Geometry, Dictionary<string, object?> Attributes)> features, string? prj)
    {
        var path = Path.Combine(directory, name + ".shp");
        var list = features.Select(f =>
        {
            var table = new AttributesTable();
            foreach (var (k, v) in f.Attributes) table.Add(k, v);
            return (IFeature)new Feature(f.Geometry, table);
        }).ToList();
        Shapefile.WriteAllFeatures(list, path, prj);
        if (prj is null && File.Exists(Path.ChangeExtension(path, ".prj"))) File.Delete(Path.ChangeExtension(path, ".prj"));
        return path;
    }

    public static Dictionary<string, object?> Unit(string kode, string nama) => new() { ["kode"] = kode, ["nama"] = nama };

    public static ImportRequest Request(string path, ImportLayer layer, bool strict = false, FieldMapping? mapping = null) =>
        new(path, layer) { Strict = strict, Mapping = mapping ?? FieldMapping.Default };

    public static string SharedData(params string[] parts) =>
        Path.Combine([TestEnvironment.SharedDataDirectory ?? throw new InvalidOperationException("shared data directory ../shared/data not found beside the repository"), .. parts]);
}
