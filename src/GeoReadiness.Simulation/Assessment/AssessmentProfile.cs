using System.Text.Json.Serialization;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>A text in English and Indonesian (<c>{"en": "…", "id": "…"}</c>).</summary>
public sealed record LocalizedText(string En, string Id);

/// <summary>What happens to an indicator none of whose sources has a value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingPolicy>))]
public enum MissingPolicy
{
    /// <summary>Leave it out and spread its weight over the indicators of the same pillar/dimension that have data.</summary>
    [JsonStringEnumMemberName("reweight")] Reweight,
    /// <summary>Score it 0 and keep its weight.</summary>
    [JsonStringEnumMemberName("zero")] Zero,
}

/// <summary>Whether a larger value is better or worse.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IndicatorDirection>))]
public enum IndicatorDirection
{
    [JsonStringEnumMemberName("higher")] Higher,
    [JsonStringEnumMemberName("lower")] Lower,
}

/// <summary>What the readiness bands are read on: the score 0–100 or the index 1–5.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BandBasis>))]
public enum BandBasis
{
    [JsonStringEnumMemberName("score")] Score,
    [JsonStringEnumMemberName("index")] Index,
}

/// <summary>Where an indicator's value comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceKind>))]
public enum SourceKind
{
    [JsonStringEnumMemberName("spatial")] Spatial,
    [JsonStringEnumMemberName("questionnaire")] Questionnaire,
    [JsonStringEnumMemberName("formula")] Formula,
}

public sealed record ProfilePillar(string Id, LocalizedText Label, double Weight);

/// <summary>A smart-city dimension: a second view over the same indicators, with its own weights.</summary>
/// <param name="Weight">its share in <see cref="AssessmentProfile.WeightTotal"/> (equal shares when the profile names none)</param>
public sealed record ProfileDimension(string Id, LocalizedText Label, double Weight);

/// <summary>A readiness level; it applies from <see cref="From"/> up to the next level's start.</summary>
public sealed record ReadinessBand(string Id, LocalizedText Label, double From);

public sealed record ReadinessBands(BandBasis On, IReadOnlyList<ReadinessBand> Levels);

/// <summary>One alternative of an indicator's source list.</summary>
/// <param name="Reference">the spatial name, the questionnaire field, or the formula text</param>
public sealed record IndicatorSource(SourceKind Kind, string Reference)
{
    internal Formula? Compiled { get; init; }
}

/// <summary>One step of a band rule: values up to <see cref="UpTo"/> (the last band: any larger value) score <see cref="Score"/>.</summary>
public sealed record ScoreBand(double? UpTo, string Label, double Score);

/// <summary>How a raw value becomes a score 0–100.</summary>
/// <param name="Precision">decimals of the display value (and of the value the bands compare)</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(BandsRule), "bands")]
[JsonDerivedType(typeof(LinearRule), "linear")]
[JsonDerivedType(typeof(BooleanRule), "boolean")]
[JsonDerivedType(typeof(MaturityRule), "maturity")]
public abstract record ScoringRule(int Precision)
{
    /// <summary>The score 0–100 of a raw value and the label of the band it fell in, if the rule has bands.</summary>
    public abstract (double Score, string? BandLabel) Apply(double value, IndicatorDirection direction);

    public double Display(double value) => Math.Round(value, Precision, MidpointRounding.AwayFromZero);
}

/// <summary>The first band whose <c>upTo</c> is at least the value rounded to <see cref="ScoringRule.Precision"/>.</summary>
public sealed record BandsRule(int Precision, IReadOnlyList<ScoreBand> Bands) : ScoringRule(Precision)
{
    public override (double Score, string? BandLabel) Apply(double value, IndicatorDirection direction)
    {
        var v = Display(value);
        foreach (var b in Bands)
            if (b.UpTo is not { } upTo || v <= upTo)
                return (b.Score, b.Label);
        var last = Bands[^1];
        return (last.Score, last.Label);
    }
}

/// <summary>0 at <see cref="Worst"/>, 100 at <see cref="Best"/>, straight in between, clamped outside.</summary>
public sealed record LinearRule(int Precision, double Worst, double Best) : ScoringRule(Precision)
{
    public override (double Score, string? BandLabel) Apply(double value, IndicatorDirection direction) =>
        (Math.Clamp(100 * (value - Worst) / (Best - Worst), 0, 100), null);
}

/// <summary>Non-zero (true) scores 100, zero 0; reversed for "lower".</summary>
public sealed record BooleanRule(int Precision) : ScoringRule(Precision)
{
    public override (double Score, string? BandLabel) Apply(double value, IndicatorDirection direction) =>
        ((value != 0) == (direction == IndicatorDirection.Higher) ? 100 : 0, null);
}

/// <summary>An Indeks SPBE maturity level 1–5: (level − 1) × 25, clamped to 0–100; reversed for "lower".</summary>
public sealed record MaturityRule(int Precision) : ScoringRule(Precision)
{
    public override (double Score, string? BandLabel) Apply(double value, IndicatorDirection direction)
    {
        var s = Math.Clamp((value - 1) * 25, 0, 100);
        return (direction == IndicatorDirection.Higher ? s : 100 - s, null);
    }
}

/// <summary>One indicator of a profile.</summary>
/// <param name="Weight">its weight within its pillar</param>
/// <param name="Dimensions">its weight within each dimension it counts in</param>
/// <param name="Missing">the missing-value policy in force for it (the profile's unless overridden)</param>
public sealed record ProfileIndicator(
    string Id,
    LocalizedText Label,
    string Unit,
    IndicatorDirection Direction,
    IReadOnlyList<IndicatorSource> Sources,
    ScoringRule Scoring,
    string Pillar,
    double Weight,
    IReadOnlyDictionary<string, double> Dimensions,
    MissingPolicy Missing);

/// <summary>
/// A validated assessment profile: which indicators make up readiness, where their values come from, how they are
/// scored and weighted. Immutable and safe to share between threads. Only <see cref="AssessmentProfiles"/> builds
/// one, so every instance has passed validation.
/// </summary>
public sealed class AssessmentProfile
{
    internal AssessmentProfile(string id, string version, LocalizedText title, LocalizedText description, string sha256,
        string json, double weightTotal, MissingPolicy missing, IReadOnlyList<ProfilePillar> pillars,
        IReadOnlyList<ProfileDimension> dimensions, IReadOnlyList<ProfileIndicator> indicators, ReadinessBands bands,
        int[] evaluationOrder)
    {
        Id = id;
        Version = version;
        Title = title;
        Description = description;
        Sha256 = sha256;
        Json = json;
        WeightTotal = weightTotal;
        Missing = missing;
        Pillars = pillars;
        Dimensions = dimensions;
        Indicators = indicators;
        Bands = bands;
        EvaluationOrder = evaluationOrder;
        var pillarIndex = pillars.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var dimensionIndex = dimensions.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        PillarOf = indicators.Select(i => pillarIndex[i.Pillar]).ToArray();
        DimensionsOf = indicators.Select(i => i.Dimensions.Select(kv => (dimensionIndex[kv.Key], kv.Value)).ToArray()).ToArray();
        (Inputs, SourceSlots, UsesYear) = LayOutInputs(indicators);
    }

    /// <summary>
    /// Assigns every questionnaire field and spatial name the profile reads an input slot (fields first, then spatial
    /// names, each in order of first appearance) and binds formula names to them; see <see cref="CompiledScorer"/>.
    /// </summary>
    private static (InputLayout, int[][], bool) LayOutInputs(IReadOnlyList<ProfileIndicator> indicators)
    {
        var fields = new List<string>();
        var spatial = new List<string>();
        var usesYear = false;
        void Note(SourceKind kind, string name)
        {
            var list = kind == SourceKind.Questionnaire ? fields : spatial;
            if (!list.Contains(name)) list.Add(name);
        }
        foreach (var ind in indicators)
            foreach (var src in ind.Sources)
            {
                if (src.Compiled is not { } f)
                    Note(src.Kind, src.Reference);
                else
                    foreach (var name in f.Names)
                        if (name.Kind is FormulaNameKind.Questionnaire or FormulaNameKind.Spatial)
                            Note(name.Kind == FormulaNameKind.Questionnaire ? SourceKind.Questionnaire : SourceKind.Spatial, name.Name);
                        else usesYear |= name.Kind == FormulaNameKind.Year;
            }
        var layout = new InputLayout(fields.ToArray(), spatial.ToArray());
        foreach (var ind in indicators)
            foreach (var src in ind.Sources)
                foreach (var name in src.Compiled?.Names ?? [])
                    if (name.Kind is FormulaNameKind.Questionnaire or FormulaNameKind.Spatial)
                        name.Slot = layout.SlotOf(name.Kind == FormulaNameKind.Questionnaire ? SourceKind.Questionnaire : SourceKind.Spatial, name.Name);
        var slots = indicators.Select(i => i.Sources.Select(s => s.Kind == SourceKind.Formula ? -1 : layout.SlotOf(s.Kind, s.Reference)).ToArray()).ToArray();
        return (layout, slots, usesYear);
    }

    /// <summary>The input slots of <see cref="CompiledScorer"/>.</summary>
    internal InputLayout Inputs { get; }

    /// <summary>Per indicator and source, the input slot of a questionnaire or spatial source (−1 for a formula).</summary>
    internal int[][] SourceSlots { get; }

    /// <summary>Whether a formula reads <c>year</c>.</summary>
    internal bool UsesYear { get; }

    /// <summary>Lowercase slug, e.g. <c>kominfo-2019</c>.</summary>
    public string Id { get; }
    public string Version { get; }
    public LocalizedText Title { get; }
    public LocalizedText Description { get; }
    /// <summary>Lowercase hex SHA-256 of the UTF-8 document text (provenance).</summary>
    public string Sha256 { get; }
    /// <summary>The document as loaded.</summary>
    public string Json { get; }
    public double WeightTotal { get; }
    public MissingPolicy Missing { get; }
    public IReadOnlyList<ProfilePillar> Pillars { get; }
    public IReadOnlyList<ProfileDimension> Dimensions { get; }
    public IReadOnlyList<ProfileIndicator> Indicators { get; }
    public ReadinessBands Bands { get; }

    /// <summary>Indicator positions in evaluation order (an indicator after those its formulas read).</summary>
    internal int[] EvaluationOrder { get; }

    /// <summary>Per indicator, the position of its pillar in <see cref="Pillars"/>.</summary>
    internal int[] PillarOf { get; }

    /// <summary>Per indicator, (dimension position, weight) pairs.</summary>
    internal (int Group, double Weight)[][] DimensionsOf { get; }

    public override string ToString() => $"{Id} {Version} ({Sha256[..12]})";
}

/// <summary>The questionnaire fields (slots 0 …) and spatial names (the slots after them) a profile reads.</summary>
internal sealed record InputLayout(string[] Fields, string[] Spatial)
{
    public int Count => Fields.Length + Spatial.Length;

    /// <summary>The slot of a questionnaire field or spatial name, or −1 when the profile does not read it.</summary>
    public int SlotOf(SourceKind kind, string name) => kind switch
    {
        SourceKind.Questionnaire => Array.IndexOf(Fields, name),
        SourceKind.Spatial => Array.IndexOf(Spatial, name) is var j and >= 0 ? Fields.Length + j : -1,
        _ => -1,
    };
}

/// <summary>A problem found while loading a profile; <see cref="Path"/> names the entry, e.g. <c>indicators[ict_staff_pct].weight</c>.</summary>
public sealed record ProfileProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The profile when the document is valid (no problems), else null and every problem found.</summary>
public sealed record ProfileParseResult(AssessmentProfile? Profile, IReadOnlyList<ProfileProblem> Problems);

/// <summary>A profile document that does not validate.</summary>
public sealed class ProfileValidationException : Exception
{
    public ProfileValidationException(IReadOnlyList<ProfileProblem> problems)
        : base("invalid assessment profile:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public ProfileValidationException() : this([]) { }

    public ProfileValidationException(string message) : base(message) => Problems = [];

    public ProfileValidationException(string message, Exception inner) : base(message, inner) => Problems = [];

    public IReadOnlyList<ProfileProblem> Problems { get; }
}
