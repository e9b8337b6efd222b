using System.Collections.Concurrent;
using System.Collections.Immutable;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Indicators.Embedded;

/// <summary>
/// The in-memory indicator engine over the embedded store: NetTopologySuite geometry, grid and STRtree indexes,
/// exact geodesic tests where a fast planar bound cannot decide, parallel across leaves.
/// </summary>
/// <remarks>
/// <para>What is static between data changes is prepared once per version of its inputs and kept: the leaves
/// with their areas and locators (per version of the units), the point→leaf assignment of population cells,
/// towers and facilities, and the tower and fibre indexes (per version of their layer and the options they
/// depend on). A change to one layer re-prepares that layer only, because the embedded store's snapshots share
/// unchanged layers.</para>
/// <para>Thread-safe: measurements may run concurrently; preparation happens under a lock.</para>
/// </remarks>
public sealed class EmbeddedIndicatorEngine : IIndicatorEngine
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();

    private readonly Func<Snapshot> _snapshot;
    private readonly int? _maxDegreeOfParallelism;
    private readonly Lock _gate = new();
    private Cached<LeafSet>? _leaves;
    private Cached<CellSet>? _cells;
    private Cached<(TowerSet Set, int[] CountsPerLeaf)>? _towers;
    private Cached<FacilitySet>? _facilities;
    private Cached<FibreSet>? _fibre;

    private sealed record Cached<T>(object Key1, object? Key2, T Value);

    /// <param name="maxDegreeOfParallelism">threads to use; null = all cores. Results do not depend on it.</param>
    public EmbeddedIndicatorEngine(EmbeddedStore store, int? maxDegreeOfParallelism = null)
        : this(() => store.CurrentSnapshot, maxDegreeOfParallelism)
    {
    }

    internal EmbeddedIndicatorEngine(Func<Snapshot> snapshot, int? maxDegreeOfParallelism = null)
    {
        _snapshot = snapshot;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    public string Name => "embedded";

    public Task<EngineMeasurement> MeasureAsync(
        IndicatorOptions options,
        MeasureScope scope,
        IProgress<IndicatorProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.EnsureValid();
        return Task.Run(() => Measure(options, scope, progress, cancellationToken), cancellationToken);
    }

    private EngineMeasurement Measure(IndicatorOptions options, MeasureScope scope, IProgress<IndicatorProgress>? progress, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _maxDegreeOfParallelism ?? -1 };
        progress?.Report(new IndicatorProgress("preparing", 0, 0));
        var (leaves, cells, towers, towerCounts, facilities, fibre) = Prepare(snapshot, options, parallel);

        var inScope = new List<int>(leaves.Count);
        for (var i = 0; i < leaves.Count; i++) if (scope.Includes(leaves.Envelopes[i])) inScope.Add(i);
        var results = new LeafMeasures[inScope.Count];
        var done = 0;
        var reportEvery = Math.Max(1, inScope.Count / 100);
        progress?.Report(new IndicatorProgress("measuring leaves", 0, inScope.Count));
        Parallel.ForEach(Partitioner.Create(0, inScope.Count, Math.Max(16, inScope.Count / 256)), parallel, range =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                results[k] = MeasureLeaf(inScope[k], leaves, cells, towers, towerCounts, facilities, fibre, options);
            }
            var now = Interlocked.Add(ref done, range.Item2 - range.Item1);
            if (progress is not null && now / reportEvery != (now - (range.Item2 - range.Item1)) / reportEvery)
                progress.Report(new IndicatorProgress("measuring leaves", now, inScope.Count));
        });
        progress?.Report(new IndicatorProgress("measuring leaves", inScope.Count, inScope.Count));
        var towersUnassigned = towerCounts.Length == 0 ? 0 : towerCounts[^1];
        return new EngineMeasurement(snapshot.DataVersion, leaves.Nodes, results,
            new UnassignedFeatures(cells.Unassigned, towersUnassigned, facilities.Unassigned));
    }

    private (LeafSet, CellSet, TowerSet, int[], FacilitySet, FibreSet) Prepare(Snapshot s, IndicatorOptions options, ParallelOptions parallel)
    {
        lock (_gate)
        {
            var leaves = Get(ref _leaves, s.Units, null, () => new LeafSet(s.Units, parallel));
            var cells = Get(ref _cells, leaves, s.PopulationCells, () => new CellSet(leaves, s.PopulationCells.Items, parallel));
            var radii = new RadiiKey(options.DefaultRadiusMetres);
            if (_towers is { } t && !(t.Key2 is (RadiiKey r, object l) && r.Equals(radii) && ReferenceEquals(l, leaves))) _towers = null;
            var (towers, counts) = Get(ref _towers, s.Towers, (radii, (object)leaves), () => BuildTowers(s.Towers.Items, leaves, options, parallel));
            var facilities = Get(ref _facilities, leaves, s.Facilities, () => new FacilitySet(leaves, s.Facilities.Items, parallel));
            if (_fibre is { } f && !(f.Value.FibreReach == options.FibreReachMetres && f.Value.HouseholdReach == options.HouseholdReachMetres)) _fibre = null;
            var fibre = Get(ref _fibre, s.FibreRoutes, null, () => new FibreSet(s.FibreRoutes.Items, options));
            return (leaves, cells, towers, counts, facilities, fibre);
        }
    }

    private sealed record RadiiKey(ImmutableSortedDictionary<RadioTechnology, double> Radii)
    {
        public bool Equals(RadiiKey? other) => other is not null && Radii.Count == other.Radii.Count
            && Radii.All(kv => other.Radii.TryGetValue(kv.Key, out var v) && v == kv.Value);
        public override int GetHashCode() => Radii.Count;
    }

    private static T Get<T>(ref Cached<T>? slot, object key1, object? key2, Func<T> build)
    {
        if (slot is { } c && ReferenceEquals(c.Key1, key1) && (ReferenceEquals(c.Key2, key2) || Equals(c.Key2, key2))) return c.Value;
        var value = build();
        slot = new Cached<T>(key1, key2, value);
        return value;
    }

    /// <summary>The tower set and, per leaf, tower counts per technology then the total; the last element counts unassigned towers.</summary>
    private static (TowerSet, int[]) BuildTowers(IReadOnlyList<Tower> towers, LeafSet leaves, IndicatorOptions options, ParallelOptions parallel)
    {
        var set = new TowerSet(towers, options, parallel);
        var leafOf = new int[towers.Count];
        Parallel.For(0, towers.Count, parallel, i => leafOf[i] = leaves.Assign(towers[i].Location.X, towers[i].Location.Y));
        var stride = Technologies.Length + 1;
        var counts = new int[leaves.Count * stride + 1];
        for (var i = 0; i < towers.Count; i++)
        {
            if (leafOf[i] < 0)
            {
                counts[^1]++;
                continue;
            }
            var at = leafOf[i] * stride;
            foreach (var t in towers[i].Technologies) counts[at + (int)t - (int)RadioTechnology.G2]++;
            counts[at + Technologies.Length]++;
        }
        return (set, counts);
    }

    private static LeafMeasures MeasureLeaf(int leaf, LeafSet leaves, CellSet cells, TowerSet towers, int[] towerCounts,
        FacilitySet facilities, FibreSet fibre, IndicatorOptions options)
    {
        var geometry = leaves.Geometries[leaf];
        var method = cells.Start[leaf + 1] > cells.Start[leaf] ? PopulationMethod.Cells : PopulationMethod.UniformArea;
        long population = 0, households = 0, inReach = 0;
        var covered = new long[Technologies.Length];
        var coveredArea = new double[Technologies.Length];
        double reachShare = 0;
        if (method == PopulationMethod.Cells)
        {
            // One scale for a small leaf: over a few km it changes by far less than the margin the fast distance
            // test leaves to the exact one (tan φ · Δφ ≈ 1e-4 over 0.05°); larger leaves take it per cell.
            var leafBox = leaves.Envelopes[leaf];
            var perCell = leafBox.Height > 0.05;
            var (kx, ky) = GeodesicShapes.MetresPerDegree(leafBox.Centre.Y);
            for (var c = cells.Start[leaf]; c < cells.Start[leaf + 1]; c++)
            {
                var x = cells.X[c];
                var y = cells.Y[c];
                if (perCell) (kx, ky) = GeodesicShapes.MetresPerDegree(y);
                population += cells.Population[c];
                households += cells.Households[c];
                var mask = towers.CoveredTechnologies(x, y, kx, ky);
                for (var t = 0; mask != 0; t++, mask >>= 1)
                {
                    if ((mask & 1) != 0) covered[t] += cells.Population[c];
                }
                if (cells.Households[c] > 0 && fibre.WithinHouseholdReach(x, y)) inReach += cells.Households[c];
            }
        }
        else
        {
            for (var t = 0; t < Technologies.Length; t++)
                coveredArea[t] = UniformAreaMeasures.CoveredArea(geometry, towers, Technologies[t], options.CircleVertices);
            reachShare = UniformAreaMeasures.ReachShare(geometry, fibre, options);
        }

        var fibreMetres = FibreMetresIn(leaf, leaves, fibre);

        bool? villageOnFibre = null;
        bool? anchorIsOffice = null;
        if (leaves.IsVillage[leaf])
        {
            var (anchor, isOffice) = AnchorOf(leaf, leaves, facilities);
            anchorIsOffice = isOffice;
            villageOnFibre = fibre.WithinFibreReach(anchor.X, anchor.Y);
        }

        var facilityCounts = new int[Kinds.Length];
        var facilityOnFibre = new int[Kinds.Length];
        foreach (var f in facilities.OfLeaf[leaf])
        {
            var facility = facilities.Items[f];
            facilityCounts[(int)facility.Kind]++;
            if (fibre.WithinFibreReach(facility.Location.X, facility.Location.Y)) facilityOnFibre[(int)facility.Kind]++;
        }

        var stride = Technologies.Length + 1;
        var at = leaf * stride;
        return new LeafMeasures
        {
            Code = leaves.Codes[leaf],
            Method = method,
            Cells = cells.Start[leaf + 1] - cells.Start[leaf],
            CellPopulation = population,
            CellHouseholds = households,
            CoveredPopulation = EnumMap<RadioTechnology, long>.Sparse(covered),
            CoveredAreaM2 = EnumMap<RadioTechnology, double>.Sparse(coveredArea),
            HouseholdsInReach = inReach,
            ReachAreaShare = reachShare,
            FibreMetres = EnumMap<FibreStatus, double>.Sparse(fibreMetres),
            VillageOnFibre = villageOnFibre,
            AnchorIsOffice = anchorIsOffice,
            Facilities = EnumMap<FacilityKind, int>.Sparse(facilityCounts),
            FacilitiesOnFibre = EnumMap<FacilityKind, int>.Sparse(facilityOnFibre),
            Towers = EnumMap<RadioTechnology, int>.Sparse(towerCounts.AsSpan(at, Technologies.Length)),
            TowersTotal = towerCounts[at + Technologies.Length],
        };
    }

    /// <summary>Geodesic length (m) of the fibre inside the leaf per status (index = status), summed in segment order.</summary>
    internal static double[] FibreMetresIn(int leaf, LeafSet leaves, FibreSet fibre)
    {
        var fibreMetres = new double[Statuses.Length];
        var segments = fibre.Segments.Query(leaves.Envelopes[leaf]);
        if (segments.Count > 0)
        {
            // Sum in segment order, not in the tree's order, so a leaf's total does not depend on how the tree
            // was built (an incremental recompute must give the same bits as a full one).
            segments = segments.Order().ToArray();
            var clip = leaves.Clip(leaf);
            foreach (var s in segments)
            {
                var length = clip.LengthInside(fibre.X1[s], fibre.Y1[s], fibre.X2[s], fibre.Y2[s]);
                if (length > 0) fibreMetres[(int)fibre.Routes[fibre.RouteOf[s]].Status] += length;
            }
        }
        return fibreMetres;
    }

    /// <summary>The anchor of a village leaf: its village office (smallest id), else its point-on-surface.</summary>
    internal static (Coordinate Anchor, bool IsOffice) AnchorOf(int leaf, LeafSet leaves, FacilitySet facilities) =>
        facilities.VillageOffices.TryGetValue(leaves.Codes[leaf], out var office)
            ? (office.Location.Coordinate, true)
            : (leaves.PointOnSurface(leaf), false);
}
