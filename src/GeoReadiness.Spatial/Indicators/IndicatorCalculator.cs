using System.Diagnostics;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Computes an <see cref="IndicatorSet"/> with an engine: everything, or incrementally from a previous set
/// when the areas touched by the changes since are known.
/// </summary>
public static class IndicatorCalculator
{
    /// <summary>Measures every leaf and aggregates every unit.</summary>
    public static Task<IndicatorSet> ComputeAsync(
        IIndicatorEngine engine,
        IndicatorOptions options,
        IProgress<IndicatorProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        ComputeAsync(engine, options, previous: null, changedAreas: null, progress, cancellationToken);

    /// <summary>
    /// Measures only the leaves whose envelope intersects <paramref name="changedAreas"/> and re-aggregates their
    /// ancestors; every other unit keeps its figures from <paramref name="previous"/>. Falls back to a full
    /// computation when there is no usable previous set (none, other options, other engine) or when the
    /// hierarchy changed since.
    /// </summary>
    /// <param name="changedAreas">lon/lat boxes that contain every change since <paramref name="previous"/>, already
    /// widened by the reach of the changed features (see <see cref="ChangedAreas"/>); null = unknown</param>
    public static async Task<IndicatorSet> ComputeAsync(
        IIndicatorEngine engine,
        IndicatorOptions options,
        IndicatorSet? previous,
        IReadOnlyList<Envelope>? changedAreas,
        IProgress<IndicatorProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options.EnsureValid();
        var clock = Stopwatch.StartNew();
        var usable = previous is not null && changedAreas is not null && previous.Options.Equals(options)
            && previous.Engine == engine.Name && previous.Rules == IndicatorSet.RulesVersion;
        var scope = usable ? MeasureScope.Within(changedAreas!) : MeasureScope.All;
        var measurement = await engine.MeasureAsync(options, scope, progress, cancellationToken);

        IndicatorAggregator.State? state = null;
        if (usable)
        {
            // A set read back from storage has no sums in memory: when its hierarchy is today's, rebuild them from
            // its leaves (no measuring).
            state = previous!.Aggregation
                ?? (SameUnits(previous, measurement.Units) ? IndicatorAggregator.Full(measurement.Units, previous.Leaves, options).Sums : null);
            if (state is null || !state.Hierarchy.Matches(measurement.Units))
            {
                // The hierarchy changed: the scoped measurement is not enough.
                state = null;
                measurement = await engine.MeasureAsync(options, MeasureScope.All, progress, cancellationToken);
            }
        }
        var incremental = state is not null;
        var aggregated = incremental
            ? IndicatorAggregator.Incremental(state!, previous!.Units, previous.Leaves, measurement.Leaves, options)
            : IndicatorAggregator.Full(measurement.Units, measurement.Leaves, options);

        return new IndicatorSet
        {
            Id = Guid.NewGuid(),
            Engine = engine.Name,
            DataVersion = measurement.DataVersion,
            Options = options,
            ComputedAt = DateTimeOffset.UtcNow,
            Units = aggregated.Units,
            Leaves = aggregated.Leaves,
            Statistics = new IndicatorRunStatistics(
                incremental,
                incremental ? previous!.Id : null,
                measurement.Leaves.Count,
                aggregated.RecomputedParents,
                measurement.Unassigned,
                clock.Elapsed.TotalMilliseconds),
            Aggregation = aggregated.Sums,
        };
    }

    private static bool SameUnits(IndicatorSet previous, IReadOnlyList<UnitNode> units)
    {
        if (previous.Units.Count != units.Count || previous.Leaves.Count != units.Count(u => u.IsLeaf)) return false;
        for (var i = 0; i < units.Count; i++)
        {
            var a = previous.Units[i];
            var b = units[i];
            if (a.Code != b.Code || a.ParentCode != b.ParentCode || a.Level != b.Level) return false;
        }
        return true;
    }
}
