using System.Collections.Immutable;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Demo;

/// <summary>
/// Seeded readiness questionnaire answers for every kabupaten/kota, assessment year <see cref="AssessmentYear"/>.
/// Ranges (uniform unless said): penduduk log-normal around 380,000 (kabupaten) or 260,000 (kota),
/// 25,000–3,500,000; kk = penduduk / 3.3–4.4; pop_4g 35–95 % of penduduk (kota 70–99 %); kk_fixed_bb 4–45 % of kk
/// (kota 20–65 %); employees 0.5–1.2 % of penduduk; ict_staff 8–120; s2_base 85–98 % of employees; s2_staff
/// 4–16 % of s2_base; admin_apps 0–12; portals 0–3; websites 3–80; data_centre 45 % (kota 70 %); command_centre
/// 30 % (kota 55 %); ipm 60–83 (Papua provinces 30–72); kkd 0.2–3.5; three_t 8 % (NTT, Maluku and Papua
/// provinces 45 %). The answers added in 1.1.0 follow a digital maturity m in 0–1 per unit (see
/// <see cref="Maturity"/>); they are listed in <see cref="DemoReadme"/>. Exceptions: Kota Dumai (14.72) carries
/// its published answers for the fields it published, and Padang Pariaman (13.05) the population and households
/// of the generated kabupaten.
/// </summary>
internal static class Questionnaire
{
    /// <summary>The assessment year of every demo row.</summary>
    public const int AssessmentYear = 2019;

    /// <summary>Kota Dumai's published answers (the only real figures); its other fields are generated.</summary>
    public static IReadOnlyDictionary<string, double> DumaiPublished { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["penduduk"] = 319_827, ["kk"] = 94_441, ["pop_4g"] = 159_913, ["kk_fixed_bb"] = 47_220, ["ict_staff"] = 70,
        ["employees"] = 2_316, ["s2_staff"] = 314, ["s2_base"] = 2_220, ["admin_apps"] = 3, ["portals"] = 1, ["websites"] = 30,
        ["reg_year"] = 2019, ["masterplan_year"] = 2018, ["data_centre"] = 1, ["command_centre"] = 0,
    };

    public const string DumaiCode = "14.72";

    /// <param name="kabupaten">the generated kabupaten whose population and households replace the drawn ones; null: none</param>
    public static List<QuestionnaireRow> Generate(long seed, IReadOnlyList<AdminUnit> regencies, AdminUnit? kabupaten)
    {
        var rows = new List<QuestionnaireRow>();
        foreach (var r in regencies)
        {
            var rng = DemoRandom.Derive(seed, "questionnaire/" + r.Code);
            var kota = r.Kind == UnitKind.Kota;
            var province = r.Code[..2];
            var papua = province[0] == '9';
            var remote = papua || province is "53" or "81" or "82";
            var v = new SortedDictionary<string, double>(StringComparer.Ordinal);
            double population = Math.Round(Math.Clamp(Math.Exp(Math.Log(kota ? 260_000 : 380_000) + 0.7 * rng.Normal()), 25_000, 3_500_000));
            double households = Math.Round(population / rng.Uniform(3.3, 4.4));
            if (kabupaten is not null && r.Code == kabupaten.Code)
            {
                population = kabupaten.Population ?? 0;
                households = kabupaten.Households ?? 0;
            }
            v["penduduk"] = population;
            v["kk"] = households;
            v["employees"] = Math.Round(population * rng.Uniform(0.005, 0.012));
            v["s2_base"] = Math.Round(v["employees"] * rng.Uniform(0.85, 0.98));
            v["ipm"] = Math.Round(papua ? rng.Uniform(30, 72) : rng.Uniform(60, 83), 2);
            v["kkd"] = Math.Round(rng.Uniform(0.2, 3.5), 3);
            v["three_t"] = Bool(rng.Chance(remote ? 0.45 : 0.08));
            v["pop_4g"] = Math.Round(population * (kota ? rng.Uniform(0.70, 0.99) : rng.Uniform(0.35, 0.95)));
            v["kk_fixed_bb"] = Math.Round(households * (kota ? rng.Uniform(0.20, 0.65) : rng.Uniform(0.04, 0.45)));
            v["ict_staff"] = rng.Between(8, 120);
            v["s2_staff"] = Math.Round(v["s2_base"] * rng.Uniform(0.04, 0.16));
            v["admin_apps"] = rng.Between(0, 12);
            v["portals"] = rng.Between(0, 3);
            v["websites"] = rng.Between(3, 80);
            v["data_centre"] = Bool(rng.Chance(kota ? 0.70 : 0.45));
            v["command_centre"] = Bool(rng.Chance(kota ? 0.55 : 0.30));

            var m = Maturity(rng, kota, v["data_centre"] == 1, v["command_centre"] == 1, v["ipm"]);
            v["reg_year"] = rng.Chance(0.25 + 0.6 * m) ? rng.Between(2015, AssessmentYear) : 0;
            v["masterplan_year"] = rng.Chance(0.2 + 0.6 * m) ? rng.Between(2015, AssessmentYear) : 0;
            v["renstra_ict"] = Bool(rng.Chance(0.5 + 0.45 * m));
            v["spbe_architecture"] = Bool(rng.Chance(0.1 + 0.6 * m));
            var opd = Math.Clamp(20 + 75 * m + 12 * rng.Normal(), 0, 100);
            v["fibre_opd_pct"] = Math.Round(opd, 1);
            v["fibre_kecamatan_pct"] = Math.Round(opd * rng.Uniform(0.4, 0.9), 1);
            v["fibre_puskesmas_pct"] = Math.Round(opd * rng.Uniform(0.3, 0.85), 1);
            v["fibre_village_pct"] = Math.Round(v["fibre_kecamatan_pct"] * rng.Uniform(0.1, 0.6), 1);
            v["e_planning"] = Bool(rng.Chance(0.4 + 0.5 * m));
            v["e_budgeting"] = Bool(rng.Chance(0.5 + 0.45 * m));
            v["e_musrenbang"] = Bool(rng.Chance(0.3 + 0.5 * m));
            v["mou_count"] = rng.Between(0, 1 + (int)Math.Round(10 * m));
            v["e_signature"] = Bool(rng.Chance(0.2 + 0.6 * m));
            v["security_audit"] = Bool(rng.Chance(0.1 + 0.5 * m));
            var level = 1 + 3.5 * m;
            foreach (var domain in (string[])["spbe_kebijakan", "spbe_tata_kelola", "spbe_manajemen", "spbe_layanan"])
                v[domain] = Math.Clamp(Math.Round(level + 0.6 * rng.Normal()), 1, 5);

            if (r.Code == DumaiCode)
            {
                foreach (var (field, value) in DumaiPublished) v[field] = value;
            }
            rows.Add(new QuestionnaireRow(r.Code, AssessmentYear, v.ToImmutableSortedDictionary(StringComparer.Ordinal)));
        }
        return rows;
    }

    /// <summary>
    /// Digital maturity in 0–1: 0.45 × uniform(0, 1) + 0.15 for a kota + 0.15 with a data centre + 0.1 with a
    /// command centre + 0.15 × (ipm − 60) / 23, clamped. The answers added in 1.1.0 rise with it.
    /// </summary>
    private static double Maturity(DemoRandom rng, bool kota, bool dataCentre, bool commandCentre, double ipm) =>
        Math.Clamp(0.45 * rng.Uniform(0, 1) + (kota ? 0.15 : 0) + (dataCentre ? 0.15 : 0) + (commandCentre ? 0.1 : 0) + 0.15 * (ipm - 60) / 23, 0, 1);

    private static double Bool(bool b) => b ? 1 : 0;
}

/// <summary>
/// The demo generator's seeded questionnaire answers (<see cref="QuestionnaireSchema"/> fields, assessment year
/// <see cref="AssessmentYear"/>) for any set of kabupaten/kota — e.g. the regencies of the national-scale benchmark
/// data, which has no questionnaire of its own. The same seed and regencies give the same rows.
/// </summary>
public static class DemoQuestionnaire
{
    public const int AssessmentYear = Questionnaire.AssessmentYear;

    /// <summary>One row per regency, drawn as for the demo data set (without its Padang Pariaman override).</summary>
    public static IReadOnlyList<QuestionnaireRow> Generate(long seed, IReadOnlyList<AdminUnit> regencies)
    {
        ArgumentNullException.ThrowIfNull(regencies);
        return Questionnaire.Generate(seed, regencies, null);
    }
}
