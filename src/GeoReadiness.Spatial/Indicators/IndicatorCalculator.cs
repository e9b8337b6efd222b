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

        IndicatorAggregator.Result aggregated;
        bool incremental;
        if (usable && SameHierarchy(previous!, measurement))
        {
            var leaves = previous!.Leaves.ToDictionary(l => l.Code, StringComparer.Ordinal);
            foreach (var leaf in measurement.Leaves) leaves[leaf.Code] = leaf;
            var accumulators = previous.Accumulators;
            if (accumulators is null)
            {
                // A set read back from storage has no accumulators: rebuild them from its leaves (no measuring).
                accumulators = IndicatorAggregator.Run(measurement.Units, previous.Leaves.ToDictionary(l => l.Code, StringComparer.Ordinal), options, null).Accumulators;
            }
            aggregated = IndicatorAggregator.Run(measurement.Units, leaves, options,
                (previous.Units.ToDictionary(u => u.Code, StringComparer.Ordinal), accumulators, measurement.Leaves.Select(l => l.Code).ToArray()));
            incremental = true;
        }
        else
        {
            if (usable)
            {
                // The hierarchy changed: the scoped measurement is not enough.
                measurement = await engine.MeasureAsync(options, MeasureScope.All, progress, cancellationToken);
            }
            aggregated = IndicatorAggregator.Run(measurement.Units, measurement.Leaves.ToDictionary(l => l.Code, StringComparer.Ordinal), options, null);
            incremental = false;
        }

        IReadOnlyList<LeafMeasures> leafList = measurement.Leaves;
        if (incremental)
        {
            var merged = previous!.Leaves.ToDictionary(l => l.Code, StringComparer.Ordinal);
            foreach (var leaf in measurement.Leaves) merged[leaf.Code] = leaf;
            leafList = merged.Values.OrderBy(l => l.Code, StringComparer.Ordinal).ToArray();
        }
        var leafCodes = measurement.Units.Where(u => u.IsLeaf).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var aggregatedParents = aggregated.Recomputed.Count(c => !leafCodes.Contains(c));

        return new IndicatorSet
        {
            Id = Guid.NewGuid(),
            Engine = engine.Name,
            DataVersion = measurement.DataVersion,
            Options = options,
            ComputedAt = DateTimeOffset.UtcNow,
            Units = aggregated.Units,
            Leaves = leafList,
            Statistics = new IndicatorRunStatistics(
                incremental,
                incremental ? previous!.Id : null,
                measurement.Leaves.Count,
                aggregatedParents,
                measurement.Unassigned,
                clock.Elapsed.TotalMilliseconds),
            Accumulators = aggregated.Accumulators,
        };
    }

    private static bool SameHierarchy(IndicatorSet previous, EngineMeasurement measurement)
    {
        if (previous.Units.Count != measurement.Units.Count) return false;
        for (var i = 0; i < measurement.Units.Count; i++)
        {
            var a = previous.Units[i];
            var b = measurement.Units[i];
            if (a.Code != b.Code || a.ParentCode != b.ParentCode || a.Level != b.Level) return false;
        }
        return previous.Leaves.Count == measurement.Units.Count(u => u.IsLeaf);
    }
}
