using System.Collections.Frozen;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>A named spatial indicator of one unit: its value, or why the store cannot measure it there.</summary>
/// <param name="Value">null exactly when <paramref name="Unavailable"/> says why</param>
public sealed record IndicatorValue(double? Value, string? Unavailable)
{
    public static IndicatorValue Measured(double value) => new(value, null);

    public static IndicatorValue Missing(string reason) => new(null, reason);
}

/// <summary>
/// The spatial indicators under the names assessment profiles use (the same as the indicator CSV columns), with the
/// rule that decides whether the store actually measured a value for a unit or only lacks the data.
/// </summary>
/// <remarks>
/// A store that holds no towers, population cells or fibre for a region measures 0 % there, which is not the same
/// as a region without coverage. A value is therefore offered only when the layers it is made of are present in the
/// unit: coverage and household reach need population cells under the whole unit (<see cref="PopulationMethod.Cells"/>)
/// and at least one tower (or fibre route) in or reaching it; "on fibre" shares need the villages or facilities and a
/// fibre route. Otherwise the value is unavailable with the reason, and a profile falls back to the questionnaire.
/// </remarks>
public static class IndicatorValues
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();

    private static readonly (FacilityKind Kind, string Name, string Label)[] FacilityNames =
    [
        (FacilityKind.OpdOffice, "opd_office", "OPD offices"),
        (FacilityKind.KecamatanOffice, "kecamatan_office", "kecamatan offices"),
        (FacilityKind.VillageOffice, "village_office", "village offices"),
        (FacilityKind.Puskesmas, "puskesmas", "puskesmas"),
        (FacilityKind.School, "school", "schools"),
    ];

    /// <summary>Every name with what it measures.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = BuildDescriptions();

    private static FrozenDictionary<string, string> BuildDescriptions()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in Technologies)
        {
            var n = IndicatorOptions.TechnologyName(t);
            d[$"share_{n}_pct"] = $"people within {n.ToUpperInvariant()} coverage, % of the population";
        }
        d["households_fixed_reach_pct"] = "households within fixed-broadband reach of existing fibre, % of households";
        d["villages_on_fibre_pct"] = "villages whose office is within fibre reach, % of villages";
        foreach (var (_, name, label) in FacilityNames)
            d[$"facilities_{name}_on_fibre_pct"] = $"{label} within fibre reach, % of {label}";
        d["fibre_km_existing"] = "geodesic length of existing fibre routes in the unit, km";
        d["towers_total"] = "towers located in the unit";
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The named values of one unit.</summary>
    public static IReadOnlyDictionary<string, IndicatorValue> Of(UnitIndicators unit)
    {
        var values = new Dictionary<string, IndicatorValue>(StringComparer.Ordinal);
        var existingKm = unit.FibreKm.GetValueOrDefault(FibreStatus.Existing);
        var anyFibreKm = unit.FibreKm.Values.Sum();
        var cells = unit.PopulationMethod == PopulationMethod.Cells;
        var noCells = unit.PopulationMethod == PopulationMethod.UniformArea
            ? $"the population of {unit.Code} is not placed by population cells (only a total spread over the area)"
            : $"only part of {unit.Code} has population cells";

        var anyCoverage = unit.Coverage.Values.Any(c => c.PopulationCovered > 0);
        foreach (var t in Technologies)
        {
            var name = $"share_{IndicatorOptions.TechnologyName(t)}_pct";
            var share = unit.Coverage.TryGetValue(t, out var c) ? c.SharePercent : null;
            values[name] =
                !cells ? IndicatorValue.Missing(noCells)
                : unit.TowersTotal == 0 && !anyCoverage ? IndicatorValue.Missing($"no tower in the store lies in or covers {unit.Code}")
                : share is { } s ? IndicatorValue.Measured(s)
                : IndicatorValue.Missing($"{unit.Code} has no population");
        }

        var reach = unit.HouseholdsFixedReach;
        values["households_fixed_reach_pct"] =
            !cells ? IndicatorValue.Missing(noCells)
            : existingKm == 0 && !(reach.Households > 0) ? IndicatorValue.Missing($"no existing fibre route in the store lies in or reaches {unit.Code}")
            : reach.SharePercent is { } r ? IndicatorValue.Measured(r)
            : IndicatorValue.Missing($"{unit.Code} has no households");

        values["villages_on_fibre_pct"] = OnFibre(unit.VillagesOnFibre, "villages", unit.Code, existingKm);
        foreach (var (kind, name, label) in FacilityNames)
        {
            var share = unit.FacilitiesOnFibre.TryGetValue(kind, out var f) ? f : new ShareIndicator(0, 0, null, null);
            values[$"facilities_{name}_on_fibre_pct"] = OnFibre(share, label, unit.Code, existingKm);
        }

        values["fibre_km_existing"] = anyFibreKm > 0
            ? IndicatorValue.Measured(existingKm)
            : IndicatorValue.Missing($"no fibre route (existing or planned) in the store lies in {unit.Code}");
        values["towers_total"] = unit.TowersTotal > 0
            ? IndicatorValue.Measured(unit.TowersTotal)
            : IndicatorValue.Missing($"no tower in the store lies in {unit.Code}");
        return values;
    }

    private static IndicatorValue OnFibre(ShareIndicator share, string what, string code, double existingKm) =>
        share.Total == 0 ? IndicatorValue.Missing($"the store holds no {what} of {code}")
        : existingKm == 0 && share.Count == 0 ? IndicatorValue.Missing($"no existing fibre route in the store lies in or reaches {code}")
        : IndicatorValue.Measured(share.SharePercent ?? 0);
}
