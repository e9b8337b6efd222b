using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Demo;

/// <summary>Settings of the demo-data generator.</summary>
public sealed record DemoOptions
{
    /// <summary>The seed of the committed data set in <c>data/shapefiles</c>.</summary>
    public const long DefaultSeed = 1305;

    public long Seed { get; init; } = DefaultSeed;
}

/// <summary>
/// The synthetic demo data set: a kabupaten modelled on Padang Pariaman (13.05) in full detail, and a national
/// layer of the 38 provinces and their kabupaten/kota with a readiness questionnaire. Everything except the
/// province codes and names, three kab/kota names and Kota Dumai's published questionnaire row is invented by a
/// seeded generator (<see cref="DemoGenerator"/>); the same seed always gives the same data.
/// </summary>
public sealed record DemoDataset
{
    public required long Seed { get; init; }
    public required string GeneratorVersion { get; init; }

    /// <summary>The 38 provinces, by code; each geometry is the union of its kabupaten/kota.</summary>
    public required IReadOnlyList<AdminUnit> Provinces { get; init; }
    /// <summary>All kabupaten/kota, by code, including <see cref="Kabupaten"/> itself.</summary>
    public required IReadOnlyList<AdminUnit> Regencies { get; init; }
    /// <summary>13.05 Kabupaten Padang Pariaman (synthetic), the same record as in <see cref="Regencies"/>.</summary>
    public required AdminUnit Kabupaten { get; init; }
    /// <summary>The 17 kecamatan of 13.05, by code.</summary>
    public required IReadOnlyList<AdminUnit> Kecamatan { get; init; }
    /// <summary>The 103 nagari of 13.05, by code.</summary>
    public required IReadOnlyList<AdminUnit> Nagari { get; init; }

    public required IReadOnlyList<FibreRoute> FibreRoutes { get; init; }
    public required IReadOnlyList<Tower> Towers { get; init; }
    public required IReadOnlyList<Facility> Facilities { get; init; }
    public required IReadOnlyList<PopulationCell> PopulationCells { get; init; }

    /// <summary>One questionnaire row per kabupaten/kota (assessment year 2019), by code.</summary>
    public required IReadOnlyList<QuestionnaireRow> Questionnaire { get; init; }

    /// <summary>The whole data set as one change, units ordered parents first (what importing every file in the manifest amounts to).</summary>
    public DatasetChange ToChange() => new()
    {
        Source = $"demo generator {GeneratorVersion}, seed {Seed}",
        Units = [.. Provinces, .. Regencies, .. Kecamatan, .. Nagari],
        FibreRoutes = FibreRoutes,
        Towers = Towers,
        Facilities = Facilities,
        PopulationCells = PopulationCells,
    };
}
