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

    /// <summary>One row per kabupaten/kota, by code.</summary>
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

/// <summary>
/// The smart-city readiness questionnaire of one kabupaten/kota (one row of <c>questionnaire.csv</c>).
/// </summary>
/// <param name="Population">penduduk: residents</param>
/// <param name="Households">kk: households (kartu keluarga)</param>
/// <param name="Population4G">pop_4g: residents covered by a 4G signal</param>
/// <param name="HouseholdsFixedBroadband">kk_fixed_bb: households with a fixed broadband connection</param>
/// <param name="IctStaff">ict_staff: ICT staff of the local government</param>
/// <param name="Employees">employees: civil servants of the local government</param>
/// <param name="MastersStaff">s2_staff: civil servants holding a master's degree (S2)</param>
/// <param name="MastersBase">s2_base: civil servants counted for the S2 share</param>
/// <param name="AdminApps">admin_apps: integrated administration applications</param>
/// <param name="Portals">portals: public service portals</param>
/// <param name="Websites">websites: government websites</param>
/// <param name="RegulationYear">reg_year: year of the smart-city regulation (Perbup/Perwali)</param>
/// <param name="MasterplanYear">masterplan_year: year of the smart-city masterplan</param>
/// <param name="DataCentre">data_centre: runs its own data centre</param>
/// <param name="CommandCentre">command_centre: runs a command centre</param>
/// <param name="Ipm">ipm: human development index (Indeks Pembangunan Manusia), 0–100</param>
/// <param name="Kkd">kkd: regional fiscal capacity index (kapasitas keuangan daerah); 1 is the national middle</param>
/// <param name="ThreeT">three_t: a 3T region (terdepan, terluar, tertinggal)</param>
public sealed record QuestionnaireRow(
    string Code,
    string Name,
    long Population,
    long Households,
    long Population4G,
    long HouseholdsFixedBroadband,
    int IctStaff,
    int Employees,
    int MastersStaff,
    int MastersBase,
    int AdminApps,
    int Portals,
    int Websites,
    int RegulationYear,
    int MasterplanYear,
    bool DataCentre,
    bool CommandCentre,
    double Ipm,
    double Kkd,
    bool ThreeT);
