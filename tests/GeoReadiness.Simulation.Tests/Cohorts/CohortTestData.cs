using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Cohorts;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Simulation.Tests.Forecasting;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Tests.Cohorts;

/// <summary>A national pool for the cohort tests: the 514 units of <see cref="ForecastFixture.Units"/> with seeded scores, gains and flags.</summary>
internal static class CohortTestData
{
    public const ulong Seed = 20260708;

    public static ReadinessBands Bands => AssessmentProfiles.Default.Bands;

    /// <summary>
    /// Readiness around an island effect (Java high, Papua low) with unit noise; gain 0–20 points, larger where
    /// readiness is lower; 3T mostly in Nusa Tenggara, Maluku and Papua; 10 % mentored before.
    /// </summary>
    public static (IReadOnlyList<CohortUnit> Pool, IReadOnlyList<UnitOutlook> Outlooks) National()
    {
        var pool = new List<CohortUnit>();
        var outlooks = new List<UnitOutlook>();
        foreach (var u in ForecastFixture.Units())
        {
            var rng = RandomStream.For(0, u.Code, Seed);
            var group = IslandGroups.Of(u.Code)!.Value;
            var remote = group is IslandGroup.Maluku or IslandGroup.Papua || u.ProvinceCode == "53";
            var island = group switch
            {
                IslandGroup.Java => 12, IslandGroup.BaliNusaTenggara => 0, IslandGroup.Sumatra => 4, IslandGroup.Kalimantan => 2,
                IslandGroup.Sulawesi => 1, IslandGroup.Maluku => -6, _ => -12,
            };
            var ready = Math.Clamp(50 + island + 14 * (rng.NextDouble() + rng.NextDouble() - 1), 0, 100);
            var gain = Math.Round(20 * rng.NextDouble() * (1 - ready / 120), 3);
            var band = Bands.Levels.Last(l => l.From <= ready).Id;
            pool.Add(new CohortUnit(u.Code, u.Name, u.ProvinceCode, AdminLevel.Regency, rng.NextDouble() < (remote ? 0.45 : 0.05),
                rng.NextDouble() < 0.1, band));
            outlooks.Add(new UnitOutlook(u.Code, ready, gain));
        }
        return (pool, outlooks);
    }

    /// <summary><paramref name="count"/> draws of every unit's score: the expected score plus N(0, <paramref name="sd"/>) noise, seeded per draw.</summary>
    public static CohortDraws Draws(IReadOnlyList<UnitOutlook> outlooks, int count, double sd, ulong seed)
    {
        var rows = new List<double[]>();
        for (var d = 0; d < count; d++)
        {
            var rng = RandomStream.For(d, "cohort-draws", seed);
            rows.Add(outlooks.Select(o => o.Ready + sd * Math.Sqrt(-2 * Math.Log(rng.NextOpenDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray());
        }
        return new CohortDraws(outlooks.Select(o => o.Code).ToArray(), rows);
    }

    /// <summary>A small pool from explicit rows (code, province, 3T, mentored, band, ready, gain).</summary>
    public static (IReadOnlyList<CohortUnit> Pool, IReadOnlyList<UnitOutlook> Outlooks) Small(
        params (string Code, bool ThreeT, bool Mentored, string Band, double Ready, double Gain)[] rows) =>
        (rows.Select(r => new CohortUnit(r.Code, "Unit " + r.Code, r.Code[..2], AdminLevel.Regency, r.ThreeT, r.Mentored, r.Band)).ToArray(),
         rows.Select(r => new UnitOutlook(r.Code, r.Ready, r.Gain)).ToArray());
}
