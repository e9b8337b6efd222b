using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// Seeded readiness questionnaire answers for every kabupaten/kota. Ranges (uniform unless said):
/// penduduk log-normal around 380,000 (kabupaten) or 260,000 (kota), 25,000–3,500,000; kk = penduduk / 3.3–4.4;
/// pop_4g 35–95 % of penduduk (kota 70–99 %); kk_fixed_bb 4–45 % of kk (kota 20–65 %); employees 0.5–1.2 % of
/// penduduk; ict_staff 8–120; s2_base 85–98 % of employees; s2_staff 4–16 % of s2_base; admin_apps 0–12;
/// portals 0–3; websites 3–80; reg_year 2017–2024; masterplan_year 2017–2024; data_centre 45 % (kota 70 %);
/// command_centre 30 % (kota 55 %); ipm 60–83 (Papua provinces 30–72); kkd 0.2–3.5; three_t 8 % (NTT, Maluku
/// and Papua provinces 45 %). Exceptions: Kota Dumai (14.72) carries its published answers, and Padang Pariaman
/// (13.05) the population and households of the generated kabupaten.
/// </summary>
internal static class Questionnaire
{
    /// <summary>Kota Dumai's published questionnaire (the only real row).</summary>
    public static QuestionnaireRow Dumai(double ipm, double kkd, bool threeT) => new(
        "14.72", "Kota Dumai", Population: 319_827, Households: 94_441, Population4G: 159_913, HouseholdsFixedBroadband: 47_220,
        IctStaff: 70, Employees: 2_316, MastersStaff: 314, MastersBase: 2_220, AdminApps: 3, Portals: 1, Websites: 30,
        RegulationYear: 2019, MasterplanYear: 2018, DataCentre: true, CommandCentre: false, Ipm: ipm, Kkd: kkd, ThreeT: threeT);

    public static List<QuestionnaireRow> Generate(long seed, IReadOnlyList<AdminUnit> regencies, AdminUnit kabupaten)
    {
        var rows = new List<QuestionnaireRow>();
        foreach (var r in regencies)
        {
            var rng = DemoRandom.Derive(seed, "questionnaire/" + r.Code);
            var kota = r.Kind == UnitKind.Kota;
            var province = r.Code[..2];
            var papua = province[0] == '9';
            var remote = papua || province is "53" or "81" or "82";
            var population = (long)Math.Round(Math.Clamp(Math.Exp(Math.Log(kota ? 260_000 : 380_000) + 0.7 * rng.Normal()), 25_000, 3_500_000));
            var households = (long)Math.Round(population / rng.Uniform(3.3, 4.4));
            if (r.Code == kabupaten.Code)
            {
                population = kabupaten.Population ?? 0;
                households = kabupaten.Households ?? 0;
            }
            var employees = (int)Math.Round(population * rng.Uniform(0.005, 0.012));
            var s2Base = (int)Math.Round(employees * rng.Uniform(0.85, 0.98));
            var regYear = rng.Between(2017, 2024);
            var ipm = Math.Round(papua ? rng.Uniform(30, 72) : rng.Uniform(60, 83), 2);
            var kkd = Math.Round(rng.Uniform(0.2, 3.5), 3);
            var threeT = rng.Chance(remote ? 0.45 : 0.08);
            var row = new QuestionnaireRow(
                r.Code,
                r.Name,
                population,
                households,
                Population4G: (long)Math.Round(population * (kota ? rng.Uniform(0.70, 0.99) : rng.Uniform(0.35, 0.95))),
                HouseholdsFixedBroadband: (long)Math.Round(households * (kota ? rng.Uniform(0.20, 0.65) : rng.Uniform(0.04, 0.45))),
                IctStaff: rng.Between(8, 120),
                Employees: employees,
                MastersStaff: (int)Math.Round(s2Base * rng.Uniform(0.04, 0.16)),
                MastersBase: s2Base,
                AdminApps: rng.Between(0, 12),
                Portals: rng.Between(0, 3),
                Websites: rng.Between(3, 80),
                RegulationYear: regYear,
                MasterplanYear: rng.Between(2017, 2024),
                DataCentre: rng.Chance(kota ? 0.70 : 0.45),
                CommandCentre: rng.Chance(kota ? 0.55 : 0.30),
                Ipm: ipm,
                Kkd: kkd,
                ThreeT: threeT);
            rows.Add(r.Code == "14.72" ? Dumai(ipm, kkd, threeT: false) with { Name = r.Name } : row);
        }
        return rows;
    }
}
