namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// Generates the synthetic demo data set in memory; <see cref="DemoFiles"/> writes it out. Pure and
/// deterministic: the same <see cref="DemoOptions.Seed"/> gives equal records (and byte-identical files).
/// </summary>
public static class DemoGenerator
{
    /// <summary>Bump when a change to the generator changes its output for a given seed.</summary>
    public const string Version = "1.1.0";

    public static DemoDataset Generate(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var detail = PadangPariamanGenerator.Generate(options.Seed);
        var national = NationalGenerator.Generate(options.Seed, detail);
        return new DemoDataset
        {
            Seed = options.Seed,
            GeneratorVersion = Version,
            Provinces = national.Provinces,
            Regencies = national.Regencies,
            Kabupaten = detail.Kabupaten,
            Kecamatan = detail.Kecamatan,
            Nagari = detail.Nagari,
            FibreRoutes = [.. detail.FibreRoutes.OrderBy(f => f.Id, StringComparer.Ordinal)],
            Towers = [.. detail.Towers.OrderBy(t => t.Id, StringComparer.Ordinal)],
            Facilities = [.. detail.Facilities.OrderBy(f => f.Id, StringComparer.Ordinal)],
            PopulationCells = [.. detail.PopulationCells.OrderBy(c => c.Id, StringComparer.Ordinal)],
            Questionnaire = national.Questionnaire,
        };
    }
}
