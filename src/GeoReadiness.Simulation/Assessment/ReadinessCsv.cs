using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.IO;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>
/// The readiness table as CSV: a header row, one row per unit in rank order, pillar and dimension columns named after
/// the profile's ids (<c>pillar_struktur</c>, <c>dimension_smart_living</c>), invariant-culture numbers, empty cells for
/// groups without data. The provenance travels in the X-Readiness-* headers.
/// </summary>
public static class ReadinessCsv
{
    public static string Write(AssessmentProfile profile, string level, int year, IEnumerable<RankedUnit> units)
    {
        var text = new StringBuilder();
        var header = new List<string> { "rank", "code", "name", "level", "province_code", "year", "score", "index", "band", "band_label", "data_share" };
        header.AddRange(profile.Pillars.Select(p => "pillar_" + p.Id));
        header.AddRange(profile.Dimensions.Select(d => "dimension_" + d.Id));
        header.AddRange(["province_rank", "province_count", "province_percentile"]);
        text.Append(string.Join(',', header)).Append("\r\n");
        foreach (var r in units)
        {
            var a = r.Assessment;
            var row = new List<string>
            {
                N(r.Rank), a.Code, CsvTable.Escape(a.Name), level, a.ProvinceCode ?? "", N(year), N(a.Score), N(a.Index),
                a.Band.Id, CsvTable.Escape(a.Band.Label.En), N(a.DataShare),
            };
            row.AddRange(a.Pillars.Select(p => N(p.Score)));
            row.AddRange(a.Dimensions.Select(d => N(d.Score)));
            row.AddRange([N(r.ProvinceRank), N(r.ProvinceCount), N(r.ProvincePercentile)]);
            text.Append(string.Join(',', row)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string N(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
