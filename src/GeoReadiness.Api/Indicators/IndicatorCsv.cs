using System.Globalization;
using System.Text;
using GeoReadiness.Api.Health;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Api.Indicators;

/// <summary>
/// Indicators as CSV for pandas, QGIS and spreadsheets: a header row, then one row per unit; columns in a fixed
/// order, numbers in the invariant culture (dot decimals, no thousands separators), empty cells for unknown values.
/// No comment lines: the provenance travels in response headers (X-Indicator-Set, X-Data-Version, …) instead, so
/// that <c>pandas.read_csv(url)</c> and QGIS's delimited-text layer read the file as is.
/// </summary>
internal static class IndicatorCsv
{
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();
    private static readonly RadioTechnology[] AllTechnologies = Enum.GetValues<RadioTechnology>();

    /// <summary>The columns in order, for the selected coverage technologies.</summary>
    public static IReadOnlyList<string> Header(IReadOnlyCollection<RadioTechnology> technologies)
    {
        var columns = new List<string> { "code", "name", "level", "parent_code", "area_km2", "population", "households", "density_per_km2", "population_method", "leaf_units" };
        foreach (var t in AllTechnologies.Where(technologies.Contains))
        {
            var n = IndicatorOptions.TechnologyName(t);
            columns.AddRange([$"pop_covered_{n}", $"share_{n}_pct", $"band_{n}", $"basis_{n}", $"covered_area_{n}_km2"]);
        }
        columns.AddRange(Statuses.Select(s => $"fibre_km_{Snake(s.ToString())}"));
        columns.AddRange(["villages", "villages_on_fibre", "villages_on_fibre_pct", "villages_on_fibre_band"]);
        foreach (var k in Kinds)
        {
            var n = Snake(k.ToString());
            columns.AddRange([$"facilities_{n}", $"facilities_{n}_on_fibre", $"facilities_{n}_on_fibre_pct"]);
        }
        columns.AddRange(["households_fixed_reach", "households_fixed_reach_pct", "households_fixed_reach_band", "households_fixed_reach_basis"]);
        columns.AddRange(AllTechnologies.Select(t => $"towers_{IndicatorOptions.TechnologyName(t)}"));
        columns.Add("towers_total");
        return columns;
    }

    public static string Write(IEnumerable<UnitIndicators> units, IReadOnlyCollection<RadioTechnology> technologies)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', Header(technologies))).Append("\r\n");
        var row = new List<string>(64);
        foreach (var u in units)
        {
            row.Clear();
            row.AddRange([u.Code, CsvTable.Escape(u.Name), UnitLevels.Name(u.Level), u.ParentCode ?? "", N(u.AreaKm2), N(u.Population), N(u.Households),
                N(u.DensityPerKm2), Snake(u.PopulationMethod.ToString()), N(u.LeafUnits)]);
            foreach (var t in AllTechnologies.Where(technologies.Contains))
            {
                var c = u.Coverage.TryGetValue(t, out var v) ? v : null;
                row.AddRange([N(c?.PopulationCovered), N(c?.SharePercent), c?.Band?.Label ?? "", Basis(c?.Basis), N(c?.CoveredAreaKm2)]);
            }
            row.AddRange(Statuses.Select(s => N(u.FibreKm.GetValueOrDefault(s))));
            row.AddRange([N(u.VillagesOnFibre.Total), N(u.VillagesOnFibre.Count), N(u.VillagesOnFibre.SharePercent), u.VillagesOnFibre.Band?.Label ?? ""]);
            foreach (var k in Kinds)
            {
                var f = u.FacilitiesOnFibre.TryGetValue(k, out var share) ? share : null;
                row.AddRange([N(f?.Total ?? 0), N(f?.Count ?? 0), N(f?.SharePercent)]);
            }
            var reach = u.HouseholdsFixedReach;
            row.AddRange([N(reach.Households), N(reach.SharePercent), reach.Band?.Label ?? "", Basis(reach.Basis)]);
            row.AddRange(AllTechnologies.Select(t => N(u.Towers.GetValueOrDefault(t))));
            row.Add(N(u.TowersTotal));
            text.Append(string.Join(',', row)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Basis(ShareBasis? basis) => basis is { } b ? Snake(b.ToString()) : "";

    private static string N(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string N(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>OpdOffice → opd_office.</summary>
    private static string Snake(string pascal)
    {
        var s = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) s.Append('_');
            s.Append(char.ToLowerInvariant(pascal[i]));
        }
        return s.ToString();
    }
}
