using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// One scenario unit's item counts in a draw (all its leaves have population cells): what
/// <see cref="UnitCountValues.Compute"/> turns into named values. Arrays are indexed by technology (2G first), fibre
/// status and facility kind, in enum order.
/// </summary>
internal readonly ref struct UnitCounts
{
    public ReadOnlySpan<double> Covered { get; init; }
    public long Population { get; init; }
    public double InReach { get; init; }
    public long Households { get; init; }
    public long VillagesOn { get; init; }
    public long Villages { get; init; }
    public ReadOnlySpan<long> FacilitiesOn { get; init; }
    public ReadOnlySpan<long> Facilities { get; init; }
    public ReadOnlySpan<double> FibreMetres { get; init; }
    public ReadOnlySpan<int> Towers { get; init; }
    public int TowersTotal { get; init; }
}

/// <summary>
/// The named spatial values of <see cref="IndicatorValues.Of"/> computed straight from a unit's counts, without
/// building <see cref="UnitIndicators"/> or dictionaries: the same doubles and the same availability (NaN where
/// IndicatorValues gives a missing value). <see cref="Indicators"/> builds the record the slow way, for the tests
/// that hold the two equal.
/// </summary>
internal static class UnitCountValues
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();

    private static readonly (FacilityKind Kind, string Name)[] FacilityNames =
    [
        (FacilityKind.OpdOffice, "opd_office"),
        (FacilityKind.KecamatanOffice, "kecamatan_office"),
        (FacilityKind.VillageOffice, "village_office"),
        (FacilityKind.Puskesmas, "puskesmas"),
        (FacilityKind.School, "school"),
    ];

    /// <summary>The names, in the order of <see cref="Compute"/>'s values.</summary>
    public static readonly string[] Names =
    [
        .. Technologies.Select(t => $"share_{IndicatorOptions.TechnologyName(t)}_pct"),
        "households_fixed_reach_pct",
        "villages_on_fibre_pct",
        .. FacilityNames.Select(f => $"facilities_{f.Name}_on_fibre_pct"),
        "fibre_km_existing",
        "towers_total",
    ];

    public static int Count => Names.Length;

    /// <summary>The position of <c>share_4g_pct</c>, <c>households_fixed_reach_pct</c>, <c>villages_on_fibre_pct</c>.</summary>
    public static readonly int Share4g = Array.IndexOf(Names, "share_4g_pct"),
        Reach = Array.IndexOf(Names, "households_fixed_reach_pct"),
        Villages = Array.IndexOf(Names, "villages_on_fibre_pct");

    private static readonly int G4 = Array.IndexOf(Technologies, RadioTechnology.G4);
    private static readonly int Existing = Array.IndexOf(Statuses, FibreStatus.Existing);

    /// <summary>
    /// The named values into <paramref name="values"/> (NaN: unavailable) and the three output shares into
    /// <paramref name="shares"/> (4G coverage, household reach, villages on fibre: the shares of the counts, 0 where
    /// the total is 0).
    /// </summary>
    public static void Compute(in UnitCounts c, Span<double> values, Span<double> shares)
    {
        var existingKm = c.FibreMetres[Existing] / 1000.0;
        var anyFibreKm = 0.0;
        for (var s = 0; s < c.FibreMetres.Length; s++) anyFibreKm += c.FibreMetres[s] / 1000.0;
        var anyCoverage = false;
        for (var t = 0; t < c.Covered.Length; t++) anyCoverage |= c.Covered[t] > 0;
        var at = 0;
        for (var t = 0; t < c.Covered.Length; t++)
        {
            var share = c.Population > 0 ? 100.0 * c.Covered[t] / c.Population : double.NaN;
            values[at++] = c.TowersTotal == 0 && !anyCoverage ? double.NaN : share;
            if (t == G4) shares[0] = double.IsNaN(share) ? 0 : share;
        }
        var reach = c.Households > 0 ? 100.0 * c.InReach / c.Households : double.NaN;
        values[at++] = existingKm == 0 && !(c.InReach > 0) ? double.NaN : reach;
        shares[1] = double.IsNaN(reach) ? 0 : reach;
        var villages = OnFibre(c.VillagesOn, c.Villages, existingKm);
        values[at++] = villages;
        shares[2] = c.Villages > 0 ? 100.0 * c.VillagesOn / c.Villages : 0;
        foreach (var (kind, _) in FacilityNames)
            values[at++] = OnFibre(c.FacilitiesOn[(int)kind], c.Facilities[(int)kind], existingKm);
        values[at++] = anyFibreKm > 0 ? existingKm : double.NaN;
        values[at] = c.TowersTotal > 0 ? c.TowersTotal : double.NaN;
    }

    private static double OnFibre(long count, long total, double existingKm) =>
        total == 0 || (existingKm == 0 && count == 0) ? double.NaN
        : total > 0 ? 100.0 * count / total : 0;

    /// <summary>The unit's indicators as the aggregator builds them for a unit whose leaves all have population cells.</summary>
    public static UnitIndicators Indicators(string code, in UnitCounts c, int leafUnits)
    {
        var coverage = new CoverageIndicator[Technologies.Length];
        for (var t = 0; t < Technologies.Length; t++)
        {
            double? share = c.Population > 0 ? 100.0 * c.Covered[t] / c.Population : null;
            coverage[t] = new CoverageIndicator(c.Covered[t], share, share is null ? null : ShareBasis.Population, null, null);
        }
        double? reach = c.Households > 0 ? 100.0 * c.InReach / c.Households : null;
        var fibre = new double[Statuses.Length];
        for (var s = 0; s < Statuses.Length; s++) fibre[s] = c.FibreMetres[s] / 1000.0;
        var facilities = new ShareIndicator[Kinds.Length];
        for (var k = 0; k < Kinds.Length; k++) facilities[k] = ShareOf(c.FacilitiesOn[k], c.Facilities[k]);
        return new UnitIndicators
        {
            Code = code,
            Name = code,
            Level = AdminLevel.Regency,
            AreaKm2 = 0,
            Population = c.Population,
            Households = c.Households,
            PopulationMethod = PopulationMethod.Cells,
            LeafUnits = leafUnits,
            Coverage = EnumMap<RadioTechnology, CoverageIndicator>.Dense(coverage),
            FibreKm = EnumMap<FibreStatus, double>.Dense(fibre),
            VillagesOnFibre = ShareOf(c.VillagesOn, c.Villages),
            FacilitiesOnFibre = EnumMap<FacilityKind, ShareIndicator>.Dense(facilities),
            HouseholdsFixedReach = new ReachIndicator(c.InReach, reach, reach is null ? null : ShareBasis.Population, null),
            Towers = EnumMap<RadioTechnology, int>.Dense(c.Towers.ToArray()),
            TowersTotal = c.TowersTotal,
        };
    }

    private static ShareIndicator ShareOf(long count, long total) => new(count, total, total > 0 ? 100.0 * count / total : null, null);
}
