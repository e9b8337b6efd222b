using System.Collections.Immutable;
using System.Globalization;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Every parameter of the indicator computation, with its default. Distances and radii are metres on the
/// WGS84 ellipsoid. The options used are returned with every result so that a number can always be traced
/// to the parameters that produced it.
/// </summary>
public sealed record IndicatorOptions
{
    public static IndicatorOptions Default { get; } = new();

    /// <summary>A village office (or the village's point-on-surface) and a facility count as "on fibre" within this
    /// distance of an existing fibre route.</summary>
    public double FibreReachMetres { get; init; } = 500;

    /// <summary>Households within this distance of an existing fibre route count as within fixed-broadband reach.</summary>
    public double HouseholdReachMetres { get; init; } = 2000;

    /// <summary>Coverage radius of a technology for towers that give none of their own.</summary>
    public ImmutableSortedDictionary<RadioTechnology, double> DefaultRadiusMetres { get; init; } =
        ImmutableSortedDictionary.CreateRange(new Dictionary<RadioTechnology, double>
        {
            [RadioTechnology.G2] = 5000,
            [RadioTechnology.G3] = 3000,
            [RadioTechnology.G4] = 2000,
            [RadioTechnology.G5] = 1000,
        });

    /// <summary>
    /// Upper edges (whole percent, strictly increasing, between 1 and 99) of every band but the last; the default
    /// 25, 50, 75 gives the Kominfo bands 0–25, 26–50, 51–75, 76–100. A share is rounded to a whole percent
    /// (half away from zero) before it is banded, so 49.9998 % (Dumai's 159,913 of 319,827) is in 26–50.
    /// </summary>
    public ImmutableArray<int> BandEdgesPercent { get; init; } = [25, 50, 75];

    /// <summary>Vertices of the geodesic circle that stands for a tower's coverage when an area is needed
    /// (units without population cells). 128 vertices under-cover a circle's area by 0.04 %.</summary>
    public int CircleVertices { get; init; } = 128;

    /// <summary>Segments per quarter circle of the fibre buffer that measures the area within household reach
    /// (units without population cells).</summary>
    public int BufferQuadrantSegments { get; init; } = 16;

    /// <summary>Radius of a technology for a tower: its own radius, or the default.</summary>
    public double RadiusOf(Tower tower, RadioTechnology technology) =>
        tower.RadiusMetres.TryGetValue(technology, out var r) ? r : DefaultRadiusMetres[technology];

    /// <summary>The largest coverage radius any tower without its own radius can get.</summary>
    public double MaxDefaultRadiusMetres => DefaultRadiusMetres.Values.DefaultIfEmpty(0).Max();

    /// <summary>Problems with the options, each naming the parameter; empty when the options are usable.</summary>
    public IReadOnlyList<OptionProblem> Validate()
    {
        var problems = new List<OptionProblem>();
        CheckDistance(problems, "fibreReachMetres", FibreReachMetres);
        CheckDistance(problems, "householdReachMetres", HouseholdReachMetres);
        foreach (var technology in Enum.GetValues<RadioTechnology>())
        {
            var name = "defaultRadiusMetres." + TechnologyName(technology);
            if (!DefaultRadiusMetres.TryGetValue(technology, out var radius)) problems.Add(new(name, "is missing"));
            else CheckDistance(problems, name, radius, allowZero: false);
        }
        if (BandEdgesPercent.IsDefaultOrEmpty)
        {
            problems.Add(new("bandEdgesPercent", "needs at least one edge"));
        }
        else
        {
            for (var i = 0; i < BandEdgesPercent.Length; i++)
            {
                var edge = BandEdgesPercent[i];
                if (edge is < 1 or > 99) problems.Add(new("bandEdgesPercent", $"edge {edge} is outside 1–99"));
                if (i > 0 && edge <= BandEdgesPercent[i - 1])
                    problems.Add(new("bandEdgesPercent", $"edges must increase strictly ({BandEdgesPercent[i - 1]} then {edge})"));
            }
        }
        if (CircleVertices is < 16 or > 4096) problems.Add(new("circleVertices", $"{CircleVertices} is outside 16–4096"));
        if (BufferQuadrantSegments is < 2 or > 256) problems.Add(new("bufferQuadrantSegments", $"{BufferQuadrantSegments} is outside 2–256"));
        return problems;
    }

    /// <exception cref="ArgumentException">the options are not usable; the message lists every problem.</exception>
    public IndicatorOptions EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
            throw new ArgumentException("invalid indicator options: " + string.Join("; ", problems.Select(p => $"{p.Parameter} {p.Message}")));
        return this;
    }

    /// <summary>The band of a share given in percent, or null for an unknown share.</summary>
    public ShareBand? BandOf(double? sharePercent)
    {
        if (sharePercent is not { } share || double.IsNaN(share)) return null;
        var whole = (int)Math.Round(share, MidpointRounding.AwayFromZero);
        var index = 0;
        while (index < BandEdgesPercent.Length && whole > BandEdgesPercent[index]) index++;
        return Bands[index];
    }

    /// <summary>The bands, lowest first.</summary>
    public IReadOnlyList<ShareBand> Bands
    {
        get
        {
            var cached = _bands;
            if (cached is not null && cached.Edges == BandEdgesPercent) return cached.Bands;
            var bands = new ShareBand[BandEdgesPercent.Length + 1];
            for (var i = 0; i <= BandEdgesPercent.Length; i++)
            {
                var low = i == 0 ? 0 : BandEdgesPercent[i - 1] + 1;
                var high = i == BandEdgesPercent.Length ? 100 : BandEdgesPercent[i];
                bands[i] = new ShareBand(i + 1, string.Create(CultureInfo.InvariantCulture, $"{low}–{high}"), low, high);
            }
            _bands = new BandCache(BandEdgesPercent, bands);
            return bands;
        }
    }

    private sealed record BandCache(ImmutableArray<int> Edges, ShareBand[] Bands);
    private BandCache? _bands;

    /// <summary>The lower-case name of a technology as used in indicator ids and parameters: 2g, 3g, 4g, 5g.</summary>
    public static string TechnologyName(RadioTechnology technology) => ((int)technology).ToString(CultureInfo.InvariantCulture) + "g";

    /// <summary>Parses 2g/3g/4g/5g (any case); false for anything else.</summary>
    public static bool TryParseTechnology(string? text, out RadioTechnology technology)
    {
        technology = default;
        if (text is null) return false;
        foreach (var t in Enum.GetValues<RadioTechnology>())
        {
            if (string.Equals(TechnologyName(t), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                technology = t;
                return true;
            }
        }
        return false;
    }

    private static void CheckDistance(List<OptionProblem> problems, string name, double value, bool allowZero = true)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) problems.Add(new(name, "must be a finite number of metres"));
        else if (value < 0 || (!allowZero && value == 0)) problems.Add(new(name, $"must be {(allowZero ? "zero or more" : "more than zero")} metres, got {value.ToString(CultureInfo.InvariantCulture)}"));
        else if (value > 200_000) problems.Add(new(name, $"{value.ToString(CultureInfo.InvariantCulture)} m is more than the 200 km limit"));
    }

    public bool Equals(IndicatorOptions? other) =>
        other is not null && FibreReachMetres == other.FibreReachMetres && HouseholdReachMetres == other.HouseholdReachMetres
        && DefaultRadiusMetres.Count == other.DefaultRadiusMetres.Count
        && DefaultRadiusMetres.All(kv => other.DefaultRadiusMetres.TryGetValue(kv.Key, out var r) && r == kv.Value)
        && BandEdgesPercent.SequenceEqual(other.BandEdgesPercent)
        && CircleVertices == other.CircleVertices && BufferQuadrantSegments == other.BufferQuadrantSegments;

    public override int GetHashCode() => HashCode.Combine(FibreReachMetres, HouseholdReachMetres, CircleVertices, BufferQuadrantSegments);
}

/// <summary>A parameter problem: the parameter's name (as in the API) and what is wrong with it.</summary>
public sealed record OptionProblem(string Parameter, string Message);

/// <summary>A Kominfo-style band of a share: 1-based index, label such as "26–50", whole-percent bounds (inclusive).</summary>
public sealed record ShareBand(int Index, string Label, int LowPercent, int HighPercent);
