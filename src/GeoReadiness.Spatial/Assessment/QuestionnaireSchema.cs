using System.Collections.Frozen;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>What a questionnaire answer is, which decides how it is read and checked.</summary>
public enum QuestionnaireFieldType
{
    /// <summary>A whole number ≥ 0 (people, households, staff, applications).</summary>
    Count,
    /// <summary>A number (IPM, KKD), within the field's bounds.</summary>
    Number,
    /// <summary>A share in percent, 0–100.</summary>
    Percent,
    /// <summary>true/false (also 1/0, ya/tidak, yes/no); stored as 1 or 0.</summary>
    Boolean,
    /// <summary>
    /// A calendar year, not after the assessment year. An empty cell (or 0) means the thing does not exist yet and is
    /// stored as 0 — a known answer, not a missing one (a column left out of the file is missing).
    /// </summary>
    Year,
    /// <summary>A maturity level 1–5 as in Indeks SPBE.</summary>
    Level,
}

/// <summary>One answer of the smart-city readiness questionnaire.</summary>
/// <param name="Name">the CSV column and the name assessment profiles refer to</param>
/// <param name="AtMost">another field this one may not exceed (ict_staff ≤ employees)</param>
public sealed record QuestionnaireField(
    string Name,
    QuestionnaireFieldType Type,
    string Label,
    string LabelId,
    bool Required = false,
    double? Min = null,
    double? Max = null,
    string? AtMost = null);

/// <summary>
/// The questionnaire form: the answers a kabupaten/kota gives per assessment year (one CSV row per unit per year,
/// joined on the Kemendagri code). Assessment profiles refer to these names; the CSV import checks every value
/// against its field. Version 1 follows the Gerakan Menuju 100 Smart City questionnaire and the Indeks SPBE domains.
/// </summary>
public static class QuestionnaireSchema
{
    public const string Version = "1";

    /// <summary>The unit's Kemendagri code (column <c>kode</c>, required).</summary>
    public const string CodeColumn = "kode";

    /// <summary>The assessment year (column <c>tahun</c>, required).</summary>
    public const string YearColumn = "tahun";

    /// <summary>The unit's name (column <c>nama</c>, optional, informational: the store's name is authoritative).</summary>
    public const string NameColumn = "nama";

    /// <summary>Earliest and latest assessment year accepted.</summary>
    public const int FirstYear = 2015, LastYear = 2100;

    /// <summary>
    /// The fields in CSV column order (as the demo questionnaire writes them); the columns of demo data 1.0 keep
    /// their relative order.
    /// </summary>
    public static IReadOnlyList<QuestionnaireField> Fields { get; } =
    [
        new("penduduk", QuestionnaireFieldType.Count, "Population", "Jumlah penduduk", Required: true),
        new("kk", QuestionnaireFieldType.Count, "Households", "Jumlah kepala keluarga (KK)", Required: true, AtMost: "penduduk"),
        new("pop_4g", QuestionnaireFieldType.Count, "People covered by 4G", "Penduduk terjangkau 4G", AtMost: "penduduk"),
        new("kk_fixed_bb", QuestionnaireFieldType.Count, "Households with fixed broadband", "KK berlangganan internet tetap", AtMost: "kk"),
        new("ict_staff", QuestionnaireFieldType.Count, "ICT staff", "Jumlah SDM TIK", AtMost: "employees"),
        new("employees", QuestionnaireFieldType.Count, "Civil servants (ASN) of the local government", "Jumlah ASN pemerintah daerah", Required: true),
        new("s2_staff", QuestionnaireFieldType.Count, "Staff with a master's degree (S2)", "ASN berpendidikan S2", AtMost: "s2_base"),
        new("s2_base", QuestionnaireFieldType.Count, "Staff whose education is recorded", "ASN dengan data pendidikan", AtMost: "employees"),
        new("admin_apps", QuestionnaireFieldType.Count, "Government administration applications", "Aplikasi administrasi pemerintahan"),
        new("portals", QuestionnaireFieldType.Count, "Public service portals", "Portal layanan publik"),
        new("websites", QuestionnaireFieldType.Count, "Dynamic websites of the OPD", "Website dinamis OPD"),
        new("reg_year", QuestionnaireFieldType.Year, "Year of the smart-city regulation (empty: none)", "Tahun regulasi smart city (kosong: belum ada)"),
        new("masterplan_year", QuestionnaireFieldType.Year, "Year of the ICT / e-government masterplan (empty: none)", "Tahun masterplan TIK / e-government (kosong: belum ada)"),
        new("renstra_ict", QuestionnaireFieldType.Boolean, "ICT programmes in the Renstra", "Program TIK dalam Renstra"),
        new("spbe_architecture", QuestionnaireFieldType.Boolean, "SPBE architecture adopted", "Arsitektur SPBE ditetapkan"),
        new("data_centre", QuestionnaireFieldType.Boolean, "Data centre", "Pusat data"),
        new("command_centre", QuestionnaireFieldType.Boolean, "Command centre", "Command center"),
        new("fibre_opd_pct", QuestionnaireFieldType.Percent, "OPD offices on fibre (reported)", "Kantor OPD terhubung serat optik (dilaporkan)"),
        new("fibre_kecamatan_pct", QuestionnaireFieldType.Percent, "Kecamatan offices on fibre (reported)", "Kantor kecamatan terhubung serat optik (dilaporkan)"),
        new("fibre_puskesmas_pct", QuestionnaireFieldType.Percent, "Puskesmas on fibre (reported)", "Puskesmas terhubung serat optik (dilaporkan)"),
        new("fibre_village_pct", QuestionnaireFieldType.Percent, "Village offices on fibre (reported)", "Kantor desa/kelurahan terhubung serat optik (dilaporkan)"),
        new("e_planning", QuestionnaireFieldType.Boolean, "e-planning in use", "e-planning digunakan"),
        new("e_budgeting", QuestionnaireFieldType.Boolean, "e-budgeting in use", "e-budgeting digunakan"),
        new("e_musrenbang", QuestionnaireFieldType.Boolean, "e-musrenbang in use", "e-musrenbang digunakan"),
        new("mou_count", QuestionnaireFieldType.Count, "MoUs and partnerships for smart-city programmes", "Nota kesepahaman dan kemitraan smart city"),
        new("e_signature", QuestionnaireFieldType.Boolean, "Electronic signatures in use", "Tanda tangan elektronik digunakan"),
        new("security_audit", QuestionnaireFieldType.Boolean, "Information security audit done", "Audit keamanan informasi dilakukan"),
        new("spbe_kebijakan", QuestionnaireFieldType.Level, "SPBE domain 1: internal policy (level 1–5)", "Domain SPBE 1: kebijakan internal (tingkat 1–5)"),
        new("spbe_tata_kelola", QuestionnaireFieldType.Level, "SPBE domain 2: governance (level 1–5)", "Domain SPBE 2: tata kelola (tingkat 1–5)"),
        new("spbe_manajemen", QuestionnaireFieldType.Level, "SPBE domain 3: management (level 1–5)", "Domain SPBE 3: manajemen (tingkat 1–5)"),
        new("spbe_layanan", QuestionnaireFieldType.Level, "SPBE domain 4: services (level 1–5)", "Domain SPBE 4: layanan (tingkat 1–5)"),
        new("ipm", QuestionnaireFieldType.Number, "Human development index (IPM)", "Indeks Pembangunan Manusia (IPM)", Min: 0, Max: 100),
        new("kkd", QuestionnaireFieldType.Number, "Regional fiscal capacity index (KKD)", "Indeks Kapasitas Fiskal Daerah (KKD)", Min: 0, Max: 20),
        new("three_t", QuestionnaireFieldType.Boolean, "3T region (frontier, outermost, underdeveloped)", "Daerah 3T (terdepan, terluar, tertinggal)"),
    ];

    private static readonly FrozenDictionary<string, QuestionnaireField> ByName =
        Fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static bool TryGetField(string name, out QuestionnaireField field)
    {
        if (ByName.TryGetValue(name, out var f))
        {
            field = f;
            return true;
        }
        field = null!;
        return false;
    }
}
