using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Randomness;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>A kabupaten/kota the synthetic history covers.</summary>
/// <param name="Code">Kemendagri code, e.g. <c>14.72</c> (a second part from 71 up is a kota)</param>
/// <param name="ProvinceCode">e.g. <c>14</c>; its first digit names the island group</param>
public sealed record SyntheticUnit(string Code, string Name, string ProvinceCode);

/// <summary>An assessment round and the size of the cohort selected in it.</summary>
public sealed record SyntheticRound(int Year, int CohortSize);

/// <summary>The knobs of the hidden process (docs/forecasting.md).</summary>
/// <param name="AssessorNoise">standard deviation of the panel's error on the assessed score, points</param>
/// <param name="PanelNoise">standard deviation of the noise added to the assessed score when the cohort is chosen</param>
/// <param name="MissingShare">the share of indicator values left empty</param>
public sealed record SyntheticHistoryOptions(
    IReadOnlyList<SyntheticRound> Rounds,
    double AssessorNoise = 4,
    double PanelNoise = 3,
    double MissingShare = 0.03)
{
    /// <summary>The programme's rounds: 25 regions in 2017, 50 in 2018, 25 in 2019, no round in 2020, 50 a round from 2021 to 2025.</summary>
    public static SyntheticHistoryOptions Default { get; } = new(
    [
        new(2017, 25), new(2018, 50), new(2019, 25), new(2021, 50), new(2022, 50), new(2023, 50), new(2024, 50), new(2025, 50),
    ]);

    /// <summary>
    /// These options for a history of <paramref name="units"/> units: the cohort sizes are for Indonesia's
    /// <see cref="SyntheticHistory.NationalUnitCount"/> kab/kota, so other counts scale them (at least 1 a round).
    /// </summary>
    public SyntheticHistoryOptions ScaledTo(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (units == SyntheticHistory.NationalUnitCount) return this;
        return this with
        {
            Rounds = Rounds.Select(r => r with { CohortSize = Math.Max(1, (int)Math.Round((double)r.CohortSize * units / SyntheticHistory.NationalUnitCount)) }).ToList(),
        };
    }
}

/// <summary>
/// The hidden state of one unit in one round: what the process knows and the training data does not carry.
/// </summary>
/// <param name="Readiness">the latent readiness 0–100</param>
/// <param name="PanelView">the score the panel would give without assessor noise</param>
public sealed record LatentState(string Code, int Year, double Readiness, double Struktur, double Infrastruktur, double Suprastruktur, double PanelView);

/// <summary>The generated table and, apart from it, its ground truth.</summary>
public sealed record SyntheticHistoryResult(TrainingData Data, IReadOnlyList<LatentState> Truth);

/// <summary>
/// Generates a seeded, deterministic assessment history for the indicators of <see cref="AssessmentProfiles.Default"/>
/// (kominfo-2019) from a documented hidden process (docs/forecasting.md): a latent readiness per unit that moves year
/// by year (island and kota effects, trends, investments, a mentoring effect after selection), indicators observed
/// from it through non-linear links with noise, an assessed score with an interaction (infrastructure counts more
/// where ICT staff exist), a saturating 4G effect and assessor noise, and each round's cohort chosen among the units
/// not selected before, by assessed score with panel noise. Every unit is assessed every round.
/// </summary>
public static class SyntheticHistory
{
    /// <summary>The indicator ids the process generates, in kominfo-2019 order.</summary>
    internal static readonly string[] IndicatorIds =
    [
        "ict_staff_pct", "s2_staff_pct", "human_development", "fiscal_capacity", "partnerships",
        "coverage_4g_pct", "fixed_broadband_pct", "opd_on_fibre_pct", "kecamatan_on_fibre_pct", "puskesmas_on_fibre_pct",
        "villages_fibre_pct", "has_data_centre", "has_command_centre", "admin_applications", "dynamic_websites",
        "service_portals", "smart_city_regulation", "ict_masterplan", "architecture_adopted", "ict_in_renstra",
        "planning_integration", "electronic_signature", "security_audited",
    ];

    /// <summary>The number of kab/kota the programme's cohort sizes are for (<see cref="SyntheticHistoryOptions.Default"/>).</summary>
    public const int NationalUnitCount = 514;

    /// <summary>The fewest units a synthetic history of a store's kab/kota is built for: below it cohorts and rounds are too thin to learn from.</summary>
    public const int MinimumUnits = 100;

    /// <summary>
    /// The 514 kab/kota of the national demo layer (<see cref="DemoRegencies.National"/>: Kemendagri codes, the
    /// province table's counts, kota numbered from 71), named "Kabupaten 13.05" / "Kota 13.71": the units the tests,
    /// the benchmark and the command line without a store generate their history for.
    /// </summary>
    public static IReadOnlyList<SyntheticUnit> SampleUnits() => DemoRegencies.National()
        .Select(r => new SyntheticUnit(r.Code, (r.Kind == UnitKind.Kota ? "Kota " : "Kabupaten ") + r.Code, r.ProvinceCode))
        .ToList();

    /// <summary>The schema of the generated table: kominfo-2019's indicators and the default infrastructure values.</summary>
    public static TrainingSchema Schema { get; } = TrainingSchema.For(AssessmentProfiles.Default);

    // (first digit of the province code) → level effect and yearly trend, points
    private static (double Level, double Trend) Island(string province) => province switch
    {
        "51" => (6, 2.0),                                   // Bali
        "52" or "53" => (-6, 1.2),                          // Nusa Tenggara
        _ => province[0] switch
        {
            '1' or '2' => (1, 1.6),                         // Sumatra, Riau Islands
            '3' => (8, 2.2),                                // Java
            '6' => (0, 1.6),                                // Kalimantan
            '7' => (-2, 1.4),                               // Sulawesi
            '8' => (-8, 1.0),                               // Maluku
            _ => (-14, 0.8),                                // Papua
        },
    };

    // the indicator ids whose value, once reached, stays (a regulation passed is not repealed)
    private static readonly (string Id, string Pillar, double Threshold)[] Sticky =
    [
        ("has_data_centre", "I", 55), ("has_command_centre", "I", 68), ("smart_city_regulation", "P", 55), ("ict_masterplan", "P", 60),
        ("architecture_adopted", "P", 62), ("ict_in_renstra", "P", 45), ("electronic_signature", "P", 58), ("security_audited", "P", 66),
        ("e_planning", "P", 40), ("e_budgeting", "P", 50), ("e_musrenbang", "P", 60),
    ];

    public static SyntheticHistoryResult Generate(IReadOnlyList<SyntheticUnit> units, ulong seed, SyntheticHistoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(units);
        options ??= SyntheticHistoryOptions.Default;
        if (!Schema.Indicators.SequenceEqual(IndicatorIds))
            throw new InvalidOperationException($"the synthetic process generates the indicators of {Schema.ProfileId} as it was written: {string.Join(", ", IndicatorIds)}");
        var rounds = options.Rounds.OrderBy(r => r.Year).ToArray();
        if (rounds.Length == 0) throw new ArgumentException("no rounds", nameof(options));
        var rng = new Generator(seed);
        var sorted = units.OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        var provinceEffect = sorted.Select(u => u.ProvinceCode).Distinct().Order(StringComparer.Ordinal).ToDictionary(p => p, _ => rng.Normal(0, 4));
        var states = sorted.Select(u => new UnitState(u, provinceEffect[u.ProvinceCode], ref rng)).ToArray();

        var rows = new List<TrainingRow>();
        var truth = new List<LatentState>();
        var year = rounds[0].Year;
        foreach (var round in rounds)
        {
            for (; year <= round.Year; year++)
                foreach (var s in states) s.Evolve(ref rng);
            var observed = states.Select(s => s.Observe(options, ref rng)).ToArray();
            // the cohort: the best assessed among those not selected before, with the panel's own noise
            var cohort = observed.Select((o, i) => (i, Key: o.Assessed + rng.Normal(0, options.PanelNoise)))
                .Where(x => !states[x.i].Selected)
                .OrderByDescending(x => x.Key).ThenBy(x => states[x.i].Unit.Code, StringComparer.Ordinal)
                .Take(round.CohortSize).Select(x => x.i).ToHashSet();
            for (var i = 0; i < states.Length; i++)
            {
                var s = states[i];
                var o = observed[i];
                var selected = cohort.Contains(i);
                if (selected) s.Selected = true;
                rows.Add(new TrainingRow(s.Unit.Code, round.Year, o.Indicators, o.Infrastructure, o.Assessed, selected));
                truth.Add(new LatentState(s.Unit.Code, round.Year, Math.Round(s.Latent, 3), Math.Round(s.Struktur, 3),
                    Math.Round(s.Infrastruktur, 3), Math.Round(s.Suprastruktur, 3), Math.Round(o.PanelView, 3)));
            }
        }
        return new SyntheticHistoryResult(TrainingData.Create(Schema, rows), truth);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private sealed class UnitState
    {
        private readonly double _trend, _fibreScale;
        private double _dS, _dI, _dP;
        private readonly bool _kota;
        private readonly Dictionary<string, bool> _reached = new(StringComparer.Ordinal);

        public UnitState(SyntheticUnit unit, double provinceEffect, ref Generator rng)
        {
            Unit = unit;
            var (level, trend) = Island(unit.ProvinceCode);
            _kota = int.TryParse(unit.Code.AsSpan(unit.Code.IndexOf('.') + 1), out var n) && n >= 71;
            Latent = Math.Clamp(38 + level + (_kota ? 10 : 0) + provinceEffect + rng.Normal(0, 8), 2, 98);
            _trend = trend + (_kota ? 0.4 : 0) + rng.Normal(0, 0.6);
            _dS = rng.Normal(0, 6);
            _dI = rng.Normal(0, 6);
            _dP = rng.Normal(0, 6);
            Struktur = Latent + _dS;
            _fibreScale = Math.Exp(rng.Normal(0, 0.5)) * (_kota ? 0.4 : 1);
        }

        public SyntheticUnit Unit { get; }
        public double Latent { get; private set; }
        public double Struktur { get; private set; }
        public double Infrastruktur { get; private set; }
        public double Suprastruktur { get; private set; }
        public bool Selected { get; set; }

        /// <summary>
        /// One year: the trend, faster where the administration has the capacity (ICT staff) to absorb change, the
        /// mentoring effect after selection, now and then an investment (mostly in infrastructure), noise; each
        /// pillar's deviation from the latent readiness drifts as a random walk.
        /// </summary>
        public void Evolve(ref Generator rng)
        {
            var investment = rng.Uniform() < 0.08 ? 4 + 8 * rng.Uniform() : 0;
            var capacity = Sigmoid((Struktur - 55) / 9);
            Latent = Math.Clamp(Latent + _trend + 1.5 * capacity + (Selected ? 2.5 : 0) + 0.5 * investment + rng.Normal(0, 1.2), 0, 100);
            _dS += rng.Normal(0, 1);
            _dI += rng.Normal(0, 1) + 0.5 * investment;
            _dP += rng.Normal(0, 1);
            Struktur = Latent + _dS;
            Infrastruktur = Latent + _dI;
            Suprastruktur = Latent + _dP;
        }

        public (double?[] Indicators, double?[] Infrastructure, double Assessed, double PanelView) Observe(SyntheticHistoryOptions options, ref Generator rng)
        {
            double S = Struktur, I = Infrastruktur, P = Suprastruktur;
            foreach (var (id, pillar, threshold) in Sticky)
                if (!_reached.GetValueOrDefault(id))
                    _reached[id] = rng.Uniform() < Sigmoid(((pillar == "I" ? I : P) - threshold) / 6);
            double Flag(string id) => _reached[id] ? 1 : 0;
            double Share(double x, double noise, ref Generator g) => Math.Round(Math.Clamp(100 * Sigmoid(x) + g.Normal(0, noise), 0, 100), 1);

            var ictStaff = Math.Round(4.5 * Sigmoid((S - 55) / 9) * Math.Exp(rng.Normal(0, 0.25)), 2);
            var coverage4g = Math.Round(Math.Clamp(100 * (1 - Math.Exp(-Math.Max(0, I + 10) / 30)) + rng.Normal(0, 3), 0, 100), 1);
            double[] values =
            [
                ictStaff,
                Math.Round(0.4 + 5 * Sigmoid((S - 50) / 12) * Math.Exp(rng.Normal(0, 0.25)), 2),
                Math.Round(Math.Clamp(58 + 0.28 * S + rng.Normal(0, 1.5), 50, 85), 2),
                Math.Round(Math.Exp((S - 50) / 28 + rng.Normal(0, 0.3)), 2),
                rng.Poisson(Math.Max(0.1, (S - 30) / 12)),
                coverage4g,
                Share((I - 62) / 10, 2, ref rng),
                Share((I - 45) / 9, 5, ref rng),
                Share((I - 55) / 10, 5, ref rng),
                Share((I - 58) / 10, 5, ref rng),
                Share((I - 65) / 10, 4, ref rng),
                Flag("has_data_centre"),
                Flag("has_command_centre"),
                rng.Poisson(Math.Max(0.1, I / 10)),
                rng.Poisson(Math.Max(0.1, I / 5)),
                rng.Poisson(Math.Max(0.1, (I - 20) / 12)),
                Flag("smart_city_regulation"),
                Flag("ict_masterplan"),
                Flag("architecture_adopted"),
                Flag("ict_in_renstra"),
                Flag("e_planning") + Flag("e_budgeting") + Flag("e_musrenbang"),
                Flag("electronic_signature"),
                Flag("security_audited"),
            ];
            var indicators = new double?[values.Length];
            for (var k = 0; k < values.Length; k++)
                indicators[k] = rng.Uniform() < options.MissingShare ? null : values[k];
            double?[] infrastructure =
            [
                Math.Round(400 * _fibreScale * Sigmoid((I - 40) / 12), 1),
                Math.Round(Math.Max(0, (_kota ? 30 : 15) + 1.5 * I + rng.Normal(0, 8))),
                Math.Round(Math.Clamp((_kota ? 30 : 8) * Sigmoid((I - 75) / 6) + rng.Normal(0, 1), 0, 100), 1),
            ];

            // the panel: infrastructure counts more where ICT staff exist; 4G coverage helps with diminishing returns
            var staffed = ictStaff / (ictStaff + 1);
            var view = 0.3 * S + 0.3 * P + 0.3 * I * (0.5 + 0.5 * staffed) + 0.1 * 100 * (1 - Math.Exp(-coverage4g / 25));
            var assessed = Math.Round(Math.Clamp(view + rng.Normal(0, options.AssessorNoise), 0, 100), 1);
            return (indicators, infrastructure, assessed, view);
        }
    }

    /// <summary>xoshiro256** with the draws the process needs.</summary>
    private struct Generator(ulong seed)
    {
        private Xoshiro256StarStar _core = Xoshiro256StarStar.FromSeed(seed);

        public double Uniform() => _core.NextDouble();

        public double Normal(double mean, double sd) => mean + sd * Gaussian.InverseCdf(((_core.NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53)));

        /// <summary>Knuth's method (the means here stay below 30).</summary>
        public double Poisson(double mean)
        {
            var limit = Math.Exp(-mean);
            var k = 0;
            for (var p = Uniform(); p > limit; p *= Uniform()) k++;
            return k;
        }
    }
}
