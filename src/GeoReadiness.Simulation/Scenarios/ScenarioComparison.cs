using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// Two runs compared per unit and year (docs/scenarios.md, "Comparing runs"): for the score, the 4G share, the share
/// of households within fixed reach, the share of villages on fibre and the cumulative cost, A's mean, B's mean, the
/// difference A − B, its standard error and whether |difference| &gt; 2·SE. The runs are independent: their draws are
/// not paired, so the standard error of the difference is √(SE_A² + SE_B²). B may be the baseline of A
/// (<see cref="AgainstBaseline"/>: the deterministic values without interventions, SE 0). Units of only one run are
/// listed, not compared. Immutable.
/// </summary>
/// <param name="A">what A is, e.g. "padang-pariaman-263km 1.0.0 (seed 20190105, 1000 draws)"</param>
/// <param name="B">what B is, or "baseline"</param>
/// <param name="Units">per compared unit (by code) and year (ascending)</param>
public sealed record ScenarioComparison(
    string A,
    string B,
    IReadOnlyList<int> Years,
    IReadOnlyList<UnitComparison> Units,
    IReadOnlyList<string> OnlyInA,
    IReadOnlyList<string> OnlyInB)
{
    /// <summary>A difference is significant when its magnitude exceeds this many standard errors.</summary>
    public const double SignificanceFactor = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    /// <summary>Compares two runs over the same years.</summary>
    /// <exception cref="ArgumentException">the runs cover different years, or have no unit in common</exception>
    public static ScenarioComparison Compare(ScenarioRun a, ScenarioRun b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Years.SequenceEqual(b.Years))
            throw new ArgumentException($"the runs cover different years: A {Span(a.Years)}, B {Span(b.Years)}", nameof(b));
        return Build(Label(a), Label(b), a, u => Side.Of(u), b.Units.ToDictionary(u => (u.Code, u.Year), u => Side.Of(u)),
            CostsOf(a), CostsOf(b));
    }

    /// <summary>Compares a run with its baseline: each unit-year's deterministic values without interventions (SE 0) and no cost.</summary>
    public static ScenarioComparison AgainstBaseline(ScenarioRun a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Build(Label(a), "baseline", a, u => Side.Of(u), a.Units.ToDictionary(u => (u.Code, u.Year), u => Side.Baseline(u)),
            CostsOf(a), a.Years.ToDictionary(y => y, _ => new Estimate(0, 0)));
    }

    /// <summary>The comparison as JSON (camelCase, indented, nulls left out).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// An RFC 7946 FeatureCollection (lon/lat as the store's boundaries) with one feature per compared unit: its
    /// boundary and, as properties, its code, name, the year and per measure <c>{measure}A</c>, <c>{measure}B</c>,
    /// <c>{measure}Difference</c>, <c>{measure}StandardError</c>, <c>{measure}Significant</c> (null when undefined).
    /// </summary>
    /// <exception cref="ArgumentException">the year is not one of the runs', or a compared unit has no boundary</exception>
    public string ToGeoJson(IReadOnlyDictionary<string, Geometry> boundaries, int year)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        if (!Years.Contains(year))
            throw new ArgumentException($"year {year} is not one of the compared years ({Span(Years)})", nameof(year));
        var features = new FeatureCollection();
        foreach (var u in Units.Where(u => u.Year == year))
        {
            if (!boundaries.TryGetValue(u.Code, out var geometry))
                throw new ArgumentException($"no boundary for unit {u.Code}", nameof(boundaries));
            var properties = new AttributesTable { { "code", u.Code }, { "name", u.Name }, { "year", u.Year }, { "a", A }, { "b", B } };
            foreach (var (measure, value) in u.Measures())
            {
                properties.Add(measure + "A", value?.A);
                properties.Add(measure + "B", value?.B);
                properties.Add(measure + "Difference", value?.Difference);
                properties.Add(measure + "StandardError", value?.StandardError);
                properties.Add(measure + "Significant", value?.Significant);
            }
            features.Add(new Feature(geometry, properties));
        }
        return JsonSerializer.Serialize(features, GeoJson);
    }

    private static ScenarioComparison Build(string labelA, string labelB, ScenarioRun a, Func<UnitYearResult, Side> sideA,
        IReadOnlyDictionary<(string Code, int Year), Side> b, IReadOnlyDictionary<int, Estimate> costA, IReadOnlyDictionary<int, Estimate> costB)
    {
        var codesA = a.Units.Select(u => u.Code).Distinct().Order(StringComparer.Ordinal).ToArray();
        var codesB = b.Keys.Select(k => k.Code).Distinct().Order(StringComparer.Ordinal).ToArray();
        var common = codesA.Intersect(codesB).ToHashSet();
        if (common.Count == 0)
            throw new ArgumentException($"the runs have no unit in common: A {string.Join(", ", codesA)}, B {string.Join(", ", codesB)}", nameof(a));
        var units = a.Units.Where(u => common.Contains(u.Code))
            .OrderBy(u => u.Code, StringComparer.Ordinal).ThenBy(u => u.Year)
            .Select(u =>
            {
                var (x, y) = (sideA(u), b[(u.Code, u.Year)]);
                return new UnitComparison(u.Code, u.Name, u.Year,
                    Difference(x.Score, y.Score)!,
                    Difference(x.Share4g, y.Share4g),
                    Difference(x.HouseholdsFixedReach, y.HouseholdsFixedReach),
                    Difference(x.VillagesOnFibre, y.VillagesOnFibre),
                    Difference(costA[u.Year], costB[u.Year])!);
            })
            .ToArray();
        return new ScenarioComparison(labelA, labelB, a.Years, units,
            [.. codesA.Where(c => !common.Contains(c))], [.. codesB.Where(c => !common.Contains(c))]);
    }

    /// <summary>A − B with the standard error of independent estimates; null when either is undefined.</summary>
    private static ComparedValue? Difference(Estimate? a, Estimate? b)
    {
        if (a is not { } x || b is not { } y) return null;
        var difference = x.Value - y.Value;
        var se = Math.Sqrt(x.StandardError * x.StandardError + y.StandardError * y.StandardError);
        return new ComparedValue(x.Value, y.Value, difference, se, Math.Abs(difference) > SignificanceFactor * se);
    }

    private static Dictionary<int, Estimate> CostsOf(ScenarioRun run) =>
        run.Costs.ToDictionary(c => c.Year, c => new Estimate(c.Mean, c.StandardError));

    private static string Label(ScenarioRun run) => string.Create(CultureInfo.InvariantCulture,
        $"{run.Provenance.ScenarioId} {run.Provenance.ScenarioVersion} (seed {run.Seed}, {run.Draws} draws)");

    private static string Span(IReadOnlyList<int> years) =>
        years.Count == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{years[0]}–{years[^1]}");

    /// <summary>One side's estimates of a unit-year.</summary>
    private sealed record Side(Estimate Score, Estimate? Share4g, Estimate? HouseholdsFixedReach, Estimate? VillagesOnFibre)
    {
        public static Side Of(UnitYearResult u) =>
            new(Of(u.Score)!.Value, Of(u.Share4g), Of(u.HouseholdsFixedReach), Of(u.VillagesOnFibre));

        public static Side Baseline(UnitYearResult u) =>
            new(new Estimate(u.Baseline.Score, 0), Exact(u.Baseline.Share4g), Exact(u.Baseline.HouseholdsFixedReach), Exact(u.Baseline.VillagesOnFibre));

        private static Estimate? Of(DrawSummary? s) => s is null ? null : new Estimate(s.Mean, s.StandardError);

        private static Estimate? Exact(double? value) => value is { } v ? new Estimate(v, 0) : null;
    }
}

/// <summary>A's and B's means, the difference A − B, its standard error √(SE_A² + SE_B²) and whether |difference| &gt; 2·SE.</summary>
public sealed record ComparedValue(double A, double B, double Difference, double StandardError, bool Significant);

/// <summary>
/// One unit in one year of a <see cref="ScenarioComparison"/>. The shares are in percent, the score in the profile's
/// points; <paramref name="Cost"/> is the runs' cumulative cost up to the end of the year over all their
/// interventions (IDR; a run-level figure, the same for every unit of the year).
/// </summary>
/// <param name="Share4g">null when either side's share is undefined (a unit without population)</param>
public sealed record UnitComparison(
    string Code,
    string Name,
    int Year,
    ComparedValue Score,
    ComparedValue? Share4g,
    ComparedValue? HouseholdsFixedReach,
    ComparedValue? VillagesOnFibre,
    ComparedValue Cost)
{
    /// <summary>The measures by their JSON names, in table order.</summary>
    public IEnumerable<(string Measure, ComparedValue? Value)> Measures() =>
    [
        ("score", Score),
        ("share4g", Share4g),
        ("householdsFixedReach", HouseholdsFixedReach),
        ("villagesOnFibre", VillagesOnFibre),
        ("cost", Cost),
    ];
}
