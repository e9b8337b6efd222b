namespace GeoReadiness.Spatial.Demo;

/// <summary>Synthetic place names: Minangkabau-sounding names for the kabupaten, invented ones for the nation.</summary>
internal sealed class DemoNames(DemoRandom rng)
{
    private static readonly string[] MinangFirst =
    [
        "Sungai", "Koto", "Lubuak", "Padang", "Batu", "Kampuang", "Tanjuang", "Guguak", "Balah", "Pauah",
        "Toboh", "Pasa", "Kapalo", "Limau", "Aia", "Ulakan", "Sintuak", "Kayu", "Durian", "Parik",
        "Gunuang", "Bukik", "Lurah", "Rimbo", "Sikabu", "Campago", "Kuraitaji", "Pakandangan", "Anduriang", "Malai",
    ];

    private static readonly string[] MinangSecond =
    [
        "Gadang", "Ketek", "Tinggi", "Baru", "Aua", "Pinang", "Alai", "Hilia", "Mudiak", "Tangah",
        "Laweh", "Sariak", "Jambu", "Buluah", "Panjang", "Rambai", "Tapakih", "Kasai", "Pauah", "Sarik",
        "Malintang", "Tarok", "Anau", "Lambah", "Gaduik", "Kandih", "Tujuah", "Saiyo", "Kuniang", "Sirah",
    ];

    private static readonly string[] Syllables =
    [
        "ba", "ka", "ma", "sa", "ta", "ra", "la", "na", "pa", "ga", "da", "ja", "wa", "ri", "lu", "ngo", "si",
        "to", "ru", "mu", "bo", "te", "ke", "lo", "so", "ti", "wu", "ha", "ne", "me", "du", "po", "gi",
    ];

    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>A two-word Minangkabau-style name not handed out before.</summary>
    public string Minang()
    {
        while (true)
        {
            var name = MinangFirst[rng.Next(MinangFirst.Length)] + " " + MinangSecond[rng.Next(MinangSecond.Length)];
            if (_used.Add(name)) return name;
        }
    }

    /// <summary>An invented two- to four-syllable name not handed out before, capitalised.</summary>
    public string Invented()
    {
        while (true)
        {
            var n = rng.Between(2, 4);
            var s = string.Concat(Enumerable.Range(0, n).Select(_ => Syllables[rng.Next(Syllables.Length)]));
            var name = char.ToUpperInvariant(s[0]) + s[1..];
            if (_used.Add(name)) return name;
        }
    }

    /// <summary>Marks a real name as taken so no invented one repeats it.</summary>
    public void Reserve(string name) => _used.Add(name);
}
