namespace GeoReadiness.Simulation.Assessment;

/// <summary>A unit's place among the units ranked with it.</summary>
/// <param name="Rank">1..N over all units, unique</param>
/// <param name="ProvinceRank">1..ProvinceCount among the units of the same province, unique</param>
/// <param name="ProvincePercentile">100 · (ProvinceCount − ProvinceRank) / (ProvinceCount − 1): the share of the
/// province's other units it ranks above; 100 for the best and for a province with one unit, 0 for the last</param>
public sealed record RankedUnit(UnitAssessment Assessment, int Rank, int ProvinceRank, int ProvinceCount, double ProvincePercentile);

/// <summary>Ranks the assessments of one level, one year and one profile.</summary>
public static class ReadinessRanking
{
    /// <summary>
    /// Orders by score, highest first; equal scores by Kemendagri code, ascending (ordinal), so the ranking depends
    /// on nothing but the assessments. Units without a province code form one group of their own.
    /// </summary>
    /// <exception cref="ArgumentException">levels, years or profiles are mixed, or a code repeats</exception>
    public static IReadOnlyList<RankedUnit> Rank(IEnumerable<UnitAssessment> assessments)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var units = assessments.ToList();
        if (units.Count == 0)
            return [];
        var first = units[0];
        if (units.Any(u => u.Level != first.Level || u.Year != first.Year))
            throw new ArgumentException("rank units of one level and one year at a time", nameof(assessments));
        if (units.Any(u => u.ProfileId != first.ProfileId || u.ProfileSha256 != first.ProfileSha256))
            throw new ArgumentException("rank units scored with one profile at a time", nameof(assessments));
        var duplicate = units.GroupBy(u => u.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"unit {duplicate.Key} appears more than once", nameof(assessments));

        var ordered = units.OrderByDescending(u => u.Score).ThenBy(u => u.Code, StringComparer.Ordinal).ToList();
        var provinceCounts = ordered.GroupBy(u => u.ProvinceCode ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var provinceSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new RankedUnit[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            var key = ordered[i].ProvinceCode ?? "";
            var rank = provinceSeen[key] = provinceSeen.GetValueOrDefault(key) + 1;
            var count = provinceCounts[key];
            var percentile = count == 1 ? 100 : 100.0 * (count - rank) / (count - 1);
            result[i] = new RankedUnit(ordered[i], i + 1, rank, count, percentile);
        }
        return result;
    }
}
