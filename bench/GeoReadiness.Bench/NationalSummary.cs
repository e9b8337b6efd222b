using System.Globalization;
using GeoReadiness.Spatial.Demo.NationalScale;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Bench;

/// <summary>The one-line description of a generated national-scale data set, as the reports print it.</summary>
public static class NationalSummary
{
    public static string Of(NationalScaleDataset data, long seed, double scale)
    {
        var existingKm = data.FibreRoutes.Where(r => r.Status == FibreStatus.Existing).Sum(r => GeodesicMeasure.Length(r.Geometry)) / 1000;
        var fibreKm = data.FibreRoutes.Sum(r => GeodesicMeasure.Length(r.Geometry)) / 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"national-scale generator {NationalScaleGenerator.Version}, seed {seed}, scale {scale}: {data.Provinces.Count} provinces, {data.Regencies.Count} regencies, " +
            $"{data.Districts.Count:N0} kecamatan, {data.Villages.Count:N0} villages (avg {data.Villages.Average(v => v.Geometry.NumPoints):0.0} vertices), " +
            $"{data.PopulationCells.Count:N0} population points ({data.PopulationCells.Sum(c => (long)c.Population):N0} people), {data.Towers.Count:N0} towers " +
            $"({data.Towers.Count(t => t.Technologies.Contains(RadioTechnology.G4)):N0} with 4G), {data.FibreRoutes.Count:N0} fibre routes ({fibreKm:N0} km, {existingKm:N0} km existing), " +
            $"{data.Facilities.Count:N0} village offices");
    }
}
