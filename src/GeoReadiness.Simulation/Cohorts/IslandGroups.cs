using System.Text.Json.Serialization;
using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>The seven island groups the cohort quotas count in (docs/cohorts.md, "Island groups").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IslandGroup>))]
public enum IslandGroup
{
    /// <summary>Provinces 11–21: Aceh … Lampung, Bangka Belitung, Riau Islands.</summary>
    [JsonStringEnumMemberName("sumatra")] Sumatra,
    /// <summary>Provinces 31–36: Jakarta, West/Central/East Java, Yogyakarta, Banten.</summary>
    [JsonStringEnumMemberName("java")] Java,
    /// <summary>Provinces 51–53: Bali, West and East Nusa Tenggara.</summary>
    [JsonStringEnumMemberName("bali_nusa_tenggara")] BaliNusaTenggara,
    /// <summary>Provinces 61–65.</summary>
    [JsonStringEnumMemberName("kalimantan")] Kalimantan,
    /// <summary>Provinces 71–76.</summary>
    [JsonStringEnumMemberName("sulawesi")] Sulawesi,
    /// <summary>Provinces 81–82: Maluku, North Maluku.</summary>
    [JsonStringEnumMemberName("maluku")] Maluku,
    /// <summary>Provinces 91–97: Papua and the provinces split from it in 2022.</summary>
    [JsonStringEnumMemberName("papua")] Papua,
}

/// <summary>The island group of a province, from its two-digit Kemendagri code.</summary>
public static class IslandGroups
{
    /// <summary>The groups in the order of the Kemendagri codes (Sumatra first, Papua last).</summary>
    public static IReadOnlyList<IslandGroup> All { get; } = Enum.GetValues<IslandGroup>();

    /// <summary>
    /// The island group of a province code (<c>13</c>) or of any code below it (<c>13.05</c>), by its first two
    /// digits: 11–21 Sumatra, 31–36 Java, 51–53 Bali–Nusa Tenggara, 61–65 Kalimantan, 71–76 Sulawesi, 81–82 Maluku,
    /// 91–97 Papua; null for a code outside these ranges.
    /// </summary>
    public static IslandGroup? Of(string? code)
    {
        if (code is null || code.Length < 2 || !char.IsAsciiDigit(code[0]) || !char.IsAsciiDigit(code[1])
            || (code.Length > 2 && code[2] != '.'))
            return null;
        var p = (code[0] - '0') * 10 + (code[1] - '0');
        return p switch
        {
            >= 11 and <= 21 => IslandGroup.Sumatra,
            >= 31 and <= 36 => IslandGroup.Java,
            >= 51 and <= 53 => IslandGroup.BaliNusaTenggara,
            >= 61 and <= 65 => IslandGroup.Kalimantan,
            >= 71 and <= 76 => IslandGroup.Sulawesi,
            >= 81 and <= 82 => IslandGroup.Maluku,
            >= 91 and <= 97 => IslandGroup.Papua,
            _ => null,
        };
    }

    /// <summary>The wire name, as in JSON (<c>bali_nusa_tenggara</c>).</summary>
    public static string WireName(this IslandGroup group) => group switch
    {
        IslandGroup.Sumatra => "sumatra",
        IslandGroup.Java => "java",
        IslandGroup.BaliNusaTenggara => "bali_nusa_tenggara",
        IslandGroup.Kalimantan => "kalimantan",
        IslandGroup.Sulawesi => "sulawesi",
        IslandGroup.Maluku => "maluku",
        _ => "papua",
    };

    /// <summary>The English and Indonesian name.</summary>
    public static LocalizedText Label(this IslandGroup group) => group switch
    {
        IslandGroup.Sumatra => new("Sumatra", "Sumatera"),
        IslandGroup.Java => new("Java", "Jawa"),
        IslandGroup.BaliNusaTenggara => new("Bali–Nusa Tenggara", "Bali–Nusa Tenggara"),
        IslandGroup.Kalimantan => new("Kalimantan", "Kalimantan"),
        IslandGroup.Sulawesi => new("Sulawesi", "Sulawesi"),
        IslandGroup.Maluku => new("Maluku", "Maluku"),
        _ => new("Papua", "Papua"),
    };
}
