using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace GeoReadiness.Spatial.Model;

/// <summary>
/// Kemendagri region codes with dots: <c>13</c> (province), <c>13.05</c> (kabupaten/kota),
/// <c>13.05.02</c> (kecamatan), <c>13.05.02.2001</c> (desa/kelurahan/nagari). BPS codes (e.g. 1306) are a
/// different scheme and are rejected.
/// </summary>
public static partial class KemendagriCode
{
    [GeneratedRegex(@"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid([NotNullWhen(true)] string? code) => code is not null && Pattern().IsMatch(code);

    /// <summary>The level implied by the number of segments.</summary>
    public static AdminLevel LevelOf(string code)
    {
        Require(code);
        return (AdminLevel)(code.Count(c => c == '.') + 1);
    }

    /// <summary>The parent code implied by the code itself, or null for a province.</summary>
    public static string? ParentOf(string code)
    {
        Require(code);
        var i = code.LastIndexOf('.');
        return i < 0 ? null : code[..i];
    }

    /// <summary>True when <paramref name="ancestor"/> is the code itself or one of its ancestors.</summary>
    public static bool IsSelfOrDescendantOf(string code, string ancestor) =>
        code == ancestor || (code.Length > ancestor.Length && code.StartsWith(ancestor, StringComparison.Ordinal) && code[ancestor.Length] == '.');

    /// <summary>
    /// Normalises common spellings: surrounding blanks and undotted codes such as <c>1305022001</c>
    /// (<c>kode_kemendagri_nodot</c>) become <c>13.05.02.2001</c>. Returns null when the text is no Kemendagri code.
    /// </summary>
    public static string? Normalise(string? text)
    {
        if (text is null) return null;
        var t = text.Trim();
        if (IsValid(t)) return t;
        if (t.Length is 2 or 4 or 6 or 10 && t.All(char.IsAsciiDigit))
        {
            var parts = new List<string> { t[..2] };
            if (t.Length >= 4) parts.Add(t[2..4]);
            if (t.Length >= 6) parts.Add(t[4..6]);
            if (t.Length == 10) parts.Add(t[6..10]);
            return string.Join('.', parts);
        }
        return null;
    }

    /// <summary>The village kind implied by the fourth segment: 1xxx kelurahan, 2xxx desa, otherwise other.</summary>
    public static UnitKind VillageKindOf(string code)
    {
        Require(code);
        if (LevelOf(code) != AdminLevel.Village) throw new ArgumentException($"'{code}' is not a village code", nameof(code));
        return code[^4] switch { '1' => UnitKind.Kelurahan, '2' => UnitKind.Desa, _ => UnitKind.Other };
    }

    private static void Require(string code)
    {
        if (!IsValid(code)) throw new FormatException($"'{code}' is not a Kemendagri code (expected e.g. 13, 13.05, 13.05.02 or 13.05.02.2001)");
    }
}
