using GeoReadiness.Spatial.Export;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Demo.NationalScale;

/// <summary>Options of <see cref="NationalScaleGenerator"/>.</summary>
/// <param name="Seed">root seed; the same seed and scale give equal records</param>
/// <param name="Scale">multiplies every count (regencies, kecamatan, villages, population points, people,
/// towers, fibre km); 1.0 is the national benchmark size, 0.01 a small test version. The 38 provinces are always
/// present and every province keeps at least one regency, every regency one kecamatan, every kecamatan two villages.</param>
/// <param name="MaxDegreeOfParallelism">threads used; null = all cores. The output does not depend on it.</param>
public sealed record NationalScaleOptions(long Seed = NationalScaleOptions.DefaultSeed, double Scale = 1.0, int? MaxDegreeOfParallelism = null)
{
    public const long DefaultSeed = 20_240_514;
}

/// <summary>
/// The national-scale synthetic data set of the indicator benchmark (see PERF-NOTES): every layer, each
/// ordered by code or id. Units at each level tile their parent exactly (to the 1e-7° grid).
/// </summary>
public sealed record NationalScaleDataset
{
    public required long Seed { get; init; }
    public required double Scale { get; init; }
    public required string GeneratorVersion { get; init; }
    public required IReadOnlyList<AdminUnit> Provinces { get; init; }
    public required IReadOnlyList<AdminUnit> Regencies { get; init; }
    public required IReadOnlyList<AdminUnit> Districts { get; init; }
    public required IReadOnlyList<AdminUnit> Villages { get; init; }
    public required IReadOnlyList<FibreRoute> FibreRoutes { get; init; }
    public required IReadOnlyList<Tower> Towers { get; init; }
    /// <summary>One village office (<see cref="FacilityKind.VillageOffice"/>) per village.</summary>
    public required IReadOnlyList<Facility> Facilities { get; init; }
    /// <summary>Population points with head and household counts; per village they sum to the village's totals.</summary>
    public required IReadOnlyList<PopulationCell> PopulationCells { get; init; }

    public IEnumerable<AdminUnit> Units => Provinces.Concat(Regencies).Concat(Districts).Concat(Villages);

    public DatasetChange ToChange() => new()
    {
        Source = $"national-scale generator {GeneratorVersion} (seed {Seed}, scale {Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        Units = [.. Units],
        FibreRoutes = FibreRoutes,
        Towers = Towers,
        Facilities = Facilities,
        PopulationCells = PopulationCells,
    };

    /// <summary>
    /// Writes every layer as one GeoPackage (tables provinces, regencies, districts, villages, fibre_routes,
    /// towers, facilities, population_cells) with the project's exporter, for ogr2ogr/PostGIS and geopandas.
    /// </summary>
    public ExportResult WriteGeoPackage(string path) =>
        DatasetExporter.Write(new ExportRequest(ExportFormat.GeoPackage, path), DatasetExporter.TablesOf(ToChange()));
}
