using System.Globalization;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Import;

/// <summary>
/// The field conventions shared by import and export (and by the demo-data generator): column names,
/// and the text forms of kinds, statuses and technologies.
/// </summary>
public static class Conventions
{
    /// <summary>Column name for each canonical field.</summary>
    public static string Column(string field) => field switch
    {
        Fields.Code => "kode",
        Fields.Name => "nama",
        Fields.Parent => "kode_induk",
        Fields.Kind => "jenis",
        Fields.Population => "penduduk",
        Fields.Households => "kk",
        Fields.Year => "tahun",
        Fields.Owner => "pemilik",
        Fields.Technologies => "teknologi",
        Fields.Unit => "kode_unit",
        _ => field,
    };

    public static string RadiusColumn(RadioTechnology t) => $"r_{(int)t}g";

    public static string KindName(UnitKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string? text, out UnitKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "provinsi" or "province": kind = UnitKind.Provinsi; return true;
            case "kabupaten" or "kab" or "kab." or "regency": kind = UnitKind.Kabupaten; return true;
            case "kota" or "city": kind = UnitKind.Kota; return true;
            case "kecamatan" or "kec" or "distrik" or "district": kind = UnitKind.Kecamatan; return true;
            case "desa" or "village": kind = UnitKind.Desa; return true;
            case "kelurahan" or "kel": kind = UnitKind.Kelurahan; return true;
            case "nagari": kind = UnitKind.Nagari; return true;
            case "other" or "lainnya": kind = UnitKind.Other; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>
    /// The kind implied by a code: provinsi; kota when the regency number is 71 or above, else kabupaten;
    /// kecamatan; for villages 1xxx kelurahan, 2xxx desa — nagari in West Sumatra (13) outside the
    /// Mentawai islands (13.01) — and other for anything else.
    /// </summary>
    public static UnitKind InferKind(string code) => KemendagriCode.LevelOf(code) switch
    {
        AdminLevel.Province => UnitKind.Provinsi,
        AdminLevel.Regency => int.Parse(code.AsSpan(3, 2), CultureInfo.InvariantCulture) >= 71 ? UnitKind.Kota : UnitKind.Kabupaten,
        AdminLevel.District => UnitKind.Kecamatan,
        _ => KemendagriCode.VillageKindOf(code) switch
        {
            UnitKind.Desa when code.StartsWith("13.", StringComparison.Ordinal) && !code.StartsWith("13.01.", StringComparison.Ordinal) => UnitKind.Nagari,
            var k => k,
        },
    };

    public static string StatusName(FibreStatus s) => s switch
    {
        FibreStatus.Existing => "existing",
        FibreStatus.Planned => "planned",
        _ => "under_construction",
    };

    public static bool TryParseStatus(string? text, out FibreStatus status)
    {
        switch (text?.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_'))
        {
            case "existing" or "eksisting" or "terpasang" or "operational": status = FibreStatus.Existing; return true;
            case "planned" or "rencana" or "direncanakan": status = FibreStatus.Planned; return true;
            case "under_construction" or "construction" or "pembangunan" or "konstruksi": status = FibreStatus.UnderConstruction; return true;
            default: status = default; return false;
        }
    }

    public static string FacilityKindName(FacilityKind k) => k switch
    {
        FacilityKind.OpdOffice => "opd_office",
        FacilityKind.KecamatanOffice => "kecamatan_office",
        FacilityKind.VillageOffice => "village_office",
        FacilityKind.Puskesmas => "puskesmas",
        FacilityKind.School => "school",
        _ => "other",
    };

    public static bool TryParseFacilityKind(string? text, out FacilityKind kind)
    {
        var t = text?.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        foreach (var k in Enum.GetValues<FacilityKind>())
        {
            if (FacilityKindName(k) == t) { kind = k; return true; }
        }
        kind = default;
        return false;
    }

    /// <summary>"2G,3G,4G".</summary>
    public static string TechnologiesText(IEnumerable<RadioTechnology> technologies) =>
        string.Join(',', technologies.Order().Select(t => $"{(int)t}G"));

    /// <summary>Parses "2G,3G,4G" (also "2g; 4G", "4G/5G", "LTE").</summary>
    public static bool TryParseTechnologies(string? text, out List<RadioTechnology> technologies, out string? bad)
    {
        technologies = [];
        bad = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        foreach (var raw in text.Split([',', ';', '/', '|', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            RadioTechnology? t = raw.ToUpperInvariant() switch
            {
                "2G" or "2" or "GSM" => RadioTechnology.G2,
                "3G" or "3" or "UMTS" => RadioTechnology.G3,
                "4G" or "4" or "LTE" => RadioTechnology.G4,
                "5G" or "5" or "NR" => RadioTechnology.G5,
                _ => null,
            };
            if (t is null) { bad = raw; return false; }
            if (!technologies.Contains(t.Value)) technologies.Add(t.Value);
        }
        technologies.Sort();
        return true;
    }
}
