namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// One computation of the indicators for every unit of a store, with what produced it: the engine, the data
/// version read, the options used and, for an incremental computation, the set it was derived from.
/// </summary>
public sealed record IndicatorSet
{
    /// <summary>Version of the indicator rules (Indicators/README.md); bumped when a rule changes a number.</summary>
    public const string RulesVersion = "1";

    public required Guid Id { get; init; }
    public required string Engine { get; init; }
    public required long DataVersion { get; init; }
    public required IndicatorOptions Options { get; init; }
    public required DateTimeOffset ComputedAt { get; init; }
    public required IndicatorRunStatistics Statistics { get; init; }
    /// <summary>Every unit, ordered by code.</summary>
    public required IReadOnlyList<UnitIndicators> Units { get; init; }
    /// <summary>The measures of every leaf, ordered by code (the input of aggregation and of incremental recomputes).</summary>
    public required IReadOnlyList<LeafMeasures> Leaves { get; init; }
    public string Rules { get; init; } = RulesVersion;

    /// <summary>The hierarchy and per-unit sums kept in memory for the next incremental computation; not stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal IndicatorAggregator.State? Aggregation { get; init; }
}

/// <param name="Incremental">true when only the leaves touched by a change were measured</param>
/// <param name="BasedOn">the set an incremental computation started from</param>
/// <param name="LeavesMeasured">leaves measured by the engine in this computation</param>
/// <param name="UnitsAggregated">non-leaf units whose figures were recomputed from their children</param>
/// <param name="ElapsedMilliseconds">wall-clock time of the computation</param>
public sealed record IndicatorRunStatistics(
    bool Incremental,
    Guid? BasedOn,
    int LeavesMeasured,
    int UnitsAggregated,
    UnassignedFeatures Unassigned,
    double ElapsedMilliseconds)
{
    /// <summary>Units whose figures were recomputed: measured leaves plus re-aggregated ancestors.</summary>
    public int UnitsRecomputed => LeavesMeasured + UnitsAggregated;
}
