using System.Collections.Immutable;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>
/// Computes the <see cref="ScenarioFootprint"/> of scenario elements under some units, from any
/// <see cref="ISpatialStore"/>: the features are read with bounded queries and measured in process with the
/// embedded engine's own machinery (point→leaf assignment, tower and fibre sets), so the rules are applied by
/// the same code as the indicators. See Scenarios/README.md.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class FootprintCalculator
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();

    public const string NoCellsReason =
        "no population cells: the leaf uses the UniformArea method (population spread over its area), which item sets cannot express";

    /// <summary>The store's Planned and UnderConstruction routes that intersect one of the units, as elements (ordered by id).</summary>
    public static async Task<IReadOnlyList<FibreElement>> StoredRoutesToCompleteAsync(
        ISpatialStore store, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken = default)
    {
        var units = await ResolveUnitsAsync(store, unitCodes, cancellationToken);
        var extent = ExtentOf(units);
        var routes = await store.QueryFibreRoutesAsync(new FeatureQuery(extent), cancellationToken);
        return routes.Where(r => r.Status != FibreStatus.Existing && units.Any(u => u.Geometry.Intersects(r.Geometry)))
            .OrderBy(r => r.Id, StringComparer.Ordinal).Select(FibreElement.FromStoredRoute).ToArray();
    }

    /// <summary>Computes the footprint of the elements under <paramref name="unitCodes"/>, with its content hash.</summary>
    /// <exception cref="ArgumentException">a unit does not exist, ids repeat, an element is malformed, or an upgrade
    /// adds a technology its tower offers already.</exception>
    /// <exception cref="InvalidOperationException">an upgraded tower is not in the store near the units.</exception>
    public static async Task<ScenarioFootprint> ComputeAsync(
        ISpatialStore store,
        IReadOnlyList<string> unitCodes,
        IReadOnlyList<FibreElement> fibre,
        IReadOnlyList<TowerElement> towers,
        IReadOnlyList<TowerUpgrade> upgrades,
        IndicatorOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options.EnsureValid();
        Validate(fibre, towers, upgrades);
        var summary = await store.GetSummaryAsync(cancellationToken);
        var units = await ResolveUnitsAsync(store, unitCodes, cancellationToken);
        var extent = ExtentOf(units);

        // Every unit that may cover a point of the extent, so that points are assigned exactly as the engine assigns
        // them against all leaves (smallest code wins on shared boundaries). A unit with children outside the box
        // is not a leaf and is left out.
        var near = await store.QueryUnitsAsync(new UnitQuery(Bbox: extent), cancellationToken);
        var parents = near.Where(u => u.ParentCode is not null).Select(u => u.ParentCode!).ToHashSet(StringComparer.Ordinal);
        var leafUnits = new List<AdminUnit>();
        foreach (var u in near)
        {
            if (!parents.Contains(u.Code) && u.Level != AdminLevel.Village
                && (await store.QueryUnitsAsync(new UnitQuery(Ancestor: u.Code, Limit: 1), cancellationToken)).Count > 0) continue;
            leafUnits.Add(u);
        }
        var byCode = near.ToDictionary(u => u.Code, StringComparer.Ordinal);

        var cells = await store.QueryPopulationCellsAsync(new FeatureQuery(extent), cancellationToken);
        var facilities = await store.QueryFacilitiesAsync(new FeatureQuery(extent), cancellationToken);
        var routes = await store.QueryFibreRoutesAsync(
            new FeatureQuery(ChangedAreas.Widen(extent, Math.Max(options.FibreReachMetres, options.HouseholdReachMetres))), cancellationToken);
        var storeTowers = await ReadTowersAsync(store, extent, options, cancellationToken);

        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        var leaves = new LeafSet(leafUnits, parallel);
        var cellSet = new CellSet(leaves, ById(cells, c => c.Id), parallel);
        var facilitySet = new FacilitySet(leaves, ById(facilities, f => f.Id), parallel);
        var towerList = ById(storeTowers, t => t.Id);
        var towerSet = new TowerSet(towerList, options, parallel);
        var fibreSet = new FibreSet(ById(routes, r => r.Id), options);

        // The leaves under the units, in code order (LeafSet orders by code).
        var universe = new List<int>();
        var unsupported = new List<UnsupportedLeaf>();
        for (var i = 0; i < leaves.Count; i++)
        {
            if (!unitCodes.Any(c => IsAtOrBelow(leaves.Codes[i], c))) continue;
            if (cellSet.Start[i + 1] == cellSet.Start[i]) unsupported.Add(new UnsupportedLeaf(leaves.Codes[i], NoCellsReason));
            else universe.Add(i);
        }
        var indexOfLeaf = new Dictionary<int, int>();
        for (var k = 0; k < universe.Count; k++) indexOfLeaf[universe[k]] = k;

        var b = new Builder(leaves, universe, indexOfLeaf, cellSet, facilitySet, towerList, towerSet, fibreSet, options, parallel);
        var footprintLeaves = new FootprintLeaf[universe.Count];
        for (var k = 0; k < universe.Count; k++)
        {
            var leaf = universe[k];
            var metres = EmbeddedIndicatorEngine.FibreMetresIn(leaf, leaves, fibreSet);
            footprintLeaves[k] = new FootprintLeaf(leaves.Codes[leaf], await AncestorsAsync(store, byCode, leaves.Codes[leaf], cancellationToken),
                leaves.IsVillage[leaf], StatusMap(metres));
        }

        var elements = new List<FootprintElement>(fibre.Count + towers.Count + upgrades.Count);
        foreach (var e in fibre) elements.Add(b.Fibre(e));
        foreach (var e in towers) elements.Add(b.NewTower(e));
        foreach (var e in upgrades) elements.Add(b.Upgrade(e));

        return new ScenarioFootprint
        {
            Rules = IndicatorSet.RulesVersion,
            Parameters = new FootprintParameters(options.FibreReachMetres, options.HouseholdReachMetres,
                new SortedDictionary<RadioTechnology, double>(options.DefaultRadiusMetres)),
            DataVersion = summary.DataVersion,
            UnitCodes = [.. unitCodes],
            Leaves = footprintLeaves,
            Unsupported = [.. unsupported],
            Cells = b.Cells,
            Facilities = b.Facilities,
            Anchors = b.Anchors,
            Towers = b.Towers,
            Baseline = b.Baseline,
            Elements = [.. elements],
        }.WithHash();
    }

    private static void Validate(IReadOnlyList<FibreElement> fibre, IReadOnlyList<TowerElement> towers, IReadOnlyList<TowerUpgrade> upgrades)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in fibre.Select(e => e.Id).Concat(towers.Select(e => e.Id)).Concat(upgrades.Select(e => e.Id)))
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("every element needs an id");
            if (!ids.Add(id)) throw new ArgumentException($"element id '{id}' is used more than once");
        }
        foreach (var e in fibre)
        {
            if (e.Geometry is null || e.Geometry.IsEmpty) throw new ArgumentException($"fibre element '{e.Id}' has no geometry");
            if (!(e.DetourFactor >= 1) || double.IsInfinity(e.DetourFactor)) throw new ArgumentException($"fibre element '{e.Id}': the detour factor must be a finite number ≥ 1");
            if (e.ReplacesStatus == FibreStatus.Existing) throw new ArgumentException($"fibre element '{e.Id}' cannot replace an Existing route");
        }
        foreach (var e in towers)
        {
            if (e.Location is null || e.Location.IsEmpty) throw new ArgumentException($"tower element '{e.Id}' has no location");
            if (e.Technologies.Count == 0) throw new ArgumentException($"tower element '{e.Id}' offers no technology");
            CheckRadii(e.Id, e.Technologies, e.RadiusMetres);
        }
        foreach (var e in upgrades)
        {
            if (e.Add.Count == 0) throw new ArgumentException($"upgrade '{e.Id}' adds no technology");
            CheckRadii(e.Id, e.Add, e.RadiusMetres);
        }
    }

    private static void CheckRadii(string id, IReadOnlySet<RadioTechnology> technologies, IReadOnlyDictionary<RadioTechnology, double>? radii)
    {
        foreach (var (t, r) in radii ?? new Dictionary<RadioTechnology, double>())
        {
            if (!technologies.Contains(t)) throw new ArgumentException($"element '{id}' gives a radius for {t}, which it does not offer or add");
            if (!(r > 0) || double.IsInfinity(r)) throw new ArgumentException($"element '{id}': the radius for {t} must be a finite number of metres > 0");
        }
    }

    /// <summary>Towers that may cover a point of the extent: read within the largest radius seen so far until no tower
    /// read reaches farther than the box it was read from.</summary>
    private static async Task<IReadOnlyList<Tower>> ReadTowersAsync(ISpatialStore store, Envelope extent, IndicatorOptions options, CancellationToken cancellationToken)
    {
        var reach = options.MaxDefaultRadiusMetres;
        while (true)
        {
            var box = ChangedAreas.Widen(extent, reach);
            var read = await store.QueryTowersAsync(new FeatureQuery(box), cancellationToken);
            var farthest = reach;
            foreach (var t in read)
            {
                foreach (var tech in t.Technologies) farthest = Math.Max(farthest, options.RadiusOf(t, tech));
                if (t.CoverageArea is { } area && !box.Covers(area.EnvelopeInternal)) farthest = Math.Max(farthest, reach * 2);
            }
            if (farthest <= reach) return read;
            reach = farthest;
        }
    }

    internal static async Task<IReadOnlyList<AdminUnit>> ResolveUnitsAsync(ISpatialStore store, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitCodes);
        if (unitCodes.Count == 0) throw new ArgumentException("give at least one unit code", nameof(unitCodes));
        var units = new List<AdminUnit>();
        foreach (var code in unitCodes)
            units.Add(await store.FindUnitAsync(code, cancellationToken) ?? throw new ArgumentException($"unit '{code}' is not in the store", nameof(unitCodes)));
        return units;
    }

    internal static Envelope ExtentOf(IEnumerable<AdminUnit> units)
    {
        var extent = new Envelope();
        foreach (var u in units) extent.ExpandToInclude(u.Geometry.EnvelopeInternal);
        return extent;
    }

    private static bool IsAtOrBelow(string code, string ancestor) =>
        code == ancestor || (code.Length > ancestor.Length && code.StartsWith(ancestor, StringComparison.Ordinal) && code[ancestor.Length] == '.');

    private static async Task<string[]> AncestorsAsync(ISpatialStore store, Dictionary<string, AdminUnit> byCode, string code, CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        var parent = byCode.TryGetValue(code, out var unit) ? unit.ParentCode : null;
        while (parent is not null)
        {
            chain.Add(parent);
            if (!byCode.TryGetValue(parent, out var p))
            {
                p = await store.FindUnitAsync(parent, cancellationToken);
                if (p is null) break;
                byCode[parent] = p;
            }
            parent = p.ParentCode;
        }
        return [.. chain];
    }

    private static T[] ById<T>(IReadOnlyList<T> items, Func<T, string> id) => items.OrderBy(id, StringComparer.Ordinal).ToArray();

    private static SortedDictionary<FibreStatus, double> StatusMap(double[] metres)
    {
        var map = new SortedDictionary<FibreStatus, double>();
        foreach (var s in Statuses) if (metres[(int)s] != 0) map[s] = metres[(int)s];
        return map;
    }

    internal static int Bit(RadioTechnology t) => 1 << ((int)t - (int)RadioTechnology.G2);

    internal static int Mask(IEnumerable<RadioTechnology> technologies) => technologies.Aggregate(0, (m, t) => m | Bit(t));

    /// <summary>The items and their baseline, then the footprint of each element against that baseline.</summary>
    private sealed class Builder
    {
        private readonly LeafSet _leaves;
        private readonly List<int> _universe;
        private readonly Dictionary<int, int> _indexOfLeaf;
        private readonly IndicatorOptions _options;
        private readonly ParallelOptions _parallel;
        private readonly IReadOnlyList<Tower> _storeTowers;
        private readonly double[] _cx, _cy;
        private readonly int[] _cellMask;
        private readonly bool[] _cellReach;
        private readonly Coordinate[] _anchors;
        private readonly bool[] _anchorOnFibre;
        private readonly Facility[] _facilities;
        private readonly bool[] _facilityOnFibre;
        private readonly Dictionary<string, int> _towerItem = new(StringComparer.Ordinal);

        public CellItems Cells { get; }
        public FacilityItems Facilities { get; }
        public AnchorItems Anchors { get; }
        public TowerItems Towers { get; }
        public ItemState Baseline { get; }

        public Builder(LeafSet leaves, List<int> universe, Dictionary<int, int> indexOfLeaf, CellSet cells, FacilitySet facilities,
            IReadOnlyList<Tower> storeTowers, TowerSet towers, FibreSet fibre, IndicatorOptions options, ParallelOptions parallel)
        {
            (_leaves, _universe, _indexOfLeaf, _options, _parallel, _storeTowers) = (leaves, universe, indexOfLeaf, options, parallel, storeTowers);

            var cellLeaf = new List<int>();
            var population = new List<int>();
            var households = new List<int>();
            var cx = new List<double>();
            var cy = new List<double>();
            for (var k = 0; k < universe.Count; k++)
            {
                for (var c = cells.Start[universe[k]]; c < cells.Start[universe[k] + 1]; c++)
                {
                    cellLeaf.Add(k);
                    population.Add(cells.Population[c]);
                    households.Add(cells.Households[c]);
                    cx.Add(cells.X[c]);
                    cy.Add(cells.Y[c]);
                }
            }
            (_cx, _cy) = (cx.ToArray(), cy.ToArray());
            Cells = new CellItems([.. cellLeaf], [.. population], [.. households]);
            _cellMask = new int[_cx.Length];
            _cellReach = new bool[_cx.Length];
            Parallel.For(0, _cx.Length, parallel, i =>
            {
                var (kx, ky) = GeodesicShapes.MetresPerDegree(_cy[i]);
                _cellMask[i] = towers.CoveredTechnologies(_cx[i], _cy[i], kx, ky);
                _cellReach[i] = fibre.WithinHouseholdReach(_cx[i], _cy[i]);
            });

            var facilityIds = new List<string>();
            var facilityLeaf = new List<int>();
            var facilityKind = new List<FacilityKind>();
            var facilityItems = new List<Facility>();
            var anchorLeaf = new List<int>();
            var anchorIsOffice = new List<bool>();
            var anchors = new List<Coordinate>();
            for (var k = 0; k < universe.Count; k++)
            {
                foreach (var f in facilities.OfLeaf[universe[k]])
                {
                    var facility = facilities.Items[f];
                    facilityIds.Add(facility.Id);
                    facilityLeaf.Add(k);
                    facilityKind.Add(facility.Kind);
                    facilityItems.Add(facility);
                }
                if (!leaves.IsVillage[universe[k]]) continue;
                var (anchor, isOffice) = EmbeddedIndicatorEngine.AnchorOf(universe[k], leaves, facilities);
                anchorLeaf.Add(k);
                anchorIsOffice.Add(isOffice);
                anchors.Add(anchor);
            }
            _facilities = [.. facilityItems];
            _facilityOnFibre = _facilities.Select(f => fibre.WithinFibreReach(f.Location.X, f.Location.Y)).ToArray();
            _anchors = [.. anchors];
            _anchorOnFibre = _anchors.Select(a => fibre.WithinFibreReach(a.X, a.Y)).ToArray();
            Facilities = new FacilityItems([.. facilityIds], [.. facilityLeaf], [.. facilityKind]);
            Anchors = new AnchorItems([.. anchorLeaf], [.. anchorIsOffice]);

            var towerIds = new List<string>();
            var towerLeaf = new List<int>();
            var towerMask = new List<int>();
            foreach (var t in storeTowers)
            {
                if (!indexOfLeaf.TryGetValue(leaves.Assign(t.Location.X, t.Location.Y), out var k)) continue;
                _towerItem[t.Id] = towerIds.Count;
                towerIds.Add(t.Id);
                towerLeaf.Add(k);
                towerMask.Add(Mask(t.Technologies));
            }
            Towers = new TowerItems([.. towerIds], [.. towerLeaf], [.. towerMask]);

            Baseline = new ItemState(
                Technologies.ToDictionary(t => t, t => Where(_cx.Length, i => (_cellMask[i] & Bit(t)) != 0)).ToSortedDictionary(),
                Where(_cx.Length, i => _cellReach[i]),
                Where(_anchors.Length, i => _anchorOnFibre[i]),
                Where(_facilities.Length, i => _facilityOnFibre[i]));
        }

        public FootprintElement Fibre(FibreElement e)
        {
            var fibre = new FibreSet([new FibreRoute { Id = e.Id, Geometry = e.Geometry, Status = FibreStatus.Existing }], _options);
            var box = e.Geometry.EnvelopeInternal;
            var householdBox = ChangedAreas.Widen(box, _options.HouseholdReachMetres);
            var fibreBox = ChangedAreas.Widen(box, _options.FibreReachMetres);
            var cells = Where(_cx.Length, i => !_cellReach[i] && householdBox.Covers(_cx[i], _cy[i]) && fibre.WithinHouseholdReach(_cx[i], _cy[i]));
            var anchors = Where(_anchors.Length, i => !_anchorOnFibre[i] && fibreBox.Covers(_anchors[i]) && fibre.WithinFibreReach(_anchors[i].X, _anchors[i].Y));
            var facilities = Where(_facilities.Length, i =>
            {
                var p = _facilities[i].Location;
                return !_facilityOnFibre[i] && fibreBox.Covers(p.X, p.Y) && fibre.WithinFibreReach(p.X, p.Y);
            });
            var fibreLeaves = new List<int>();
            var fibreMetres = new List<double>();
            for (var k = 0; k < _universe.Count; k++)
            {
                if (!_leaves.Envelopes[_universe[k]].Intersects(box)) continue;
                var metres = EmbeddedIndicatorEngine.FibreMetresIn(_universe[k], _leaves, fibre)[(int)FibreStatus.Existing];
                if (metres <= 0) continue;
                fibreLeaves.Add(k);
                fibreMetres.Add(metres);
            }
            var newly = new ItemState(new SortedDictionary<RadioTechnology, int[]>(), cells, anchors, facilities);
            var lengthKm = GeodesicMeasure.Length(e.Geometry) / 1000.0 * e.DetourFactor;
            return new FootprintElement(e.Id, ElementKind.Fibre, lengthKm, e.DetourFactor, e.ReplacesStatus,
                LeafCodes(newly, fibreLeaves, -1), newly, [.. fibreLeaves], [.. fibreMetres], -1, -1, 0);
        }

        public FootprintElement NewTower(TowerElement e)
        {
            var tower = new Tower
            {
                Id = e.Id,
                Location = e.Location,
                Technologies = [.. e.Technologies],
                RadiusMetres = (e.RadiusMetres ?? new Dictionary<RadioTechnology, double>()).ToImmutableSortedDictionary(),
            };
            var mask = Mask(e.Technologies);
            var newly = Covered(tower, mask);
            var leaf = _indexOfLeaf.TryGetValue(_leaves.Assign(e.Location.X, e.Location.Y), out var k) ? k : -1;
            return new FootprintElement(e.Id, ElementKind.Tower, 0, 1, null, LeafCodes(newly, [], leaf), newly, [], [], leaf, -1, mask);
        }

        public FootprintElement Upgrade(TowerUpgrade e)
        {
            var existing = _storeTowers.FirstOrDefault(t => t.Id == e.TowerId)
                ?? throw new InvalidOperationException($"upgrade '{e.Id}': tower '{e.TowerId}' is not in the store within reach of the units");
            var already = e.Add.Where(existing.Technologies.Contains).ToArray();
            if (already.Length > 0)
                throw new ArgumentException($"upgrade '{e.Id}': tower '{e.TowerId}' offers {string.Join(", ", already)} already");
            var upgraded = Upgraded(existing, e);
            var mask = Mask(e.Add);
            var newly = Covered(upgraded, mask);
            var item = _towerItem.GetValueOrDefault(e.TowerId, -1);
            var leaf = item >= 0 ? Towers.Leaf[item] : -1;
            return new FootprintElement(e.Id, ElementKind.TowerUpgrade, 0, 1, null, LeafCodes(newly, [], leaf), newly, [], [], -1, item, mask);
        }

        /// <summary>Cells the tower covers for the technologies of <paramref name="mask"/> that the baseline does not.</summary>
        private ItemState Covered(Tower tower, int mask)
        {
            var set = new TowerSet([tower], _options, _parallel);
            var reach = tower.Technologies.Max(t => _options.RadiusOf(tower, t));
            var box = tower.CoverageArea?.EnvelopeInternal ?? ChangedAreas.Widen(tower.Location.EnvelopeInternal, reach);
            var covered = new int[_cx.Length];
            Parallel.For(0, _cx.Length, _parallel, i =>
            {
                if (!box.Covers(_cx[i], _cy[i])) return;
                var (kx, ky) = GeodesicShapes.MetresPerDegree(_cy[i]);
                covered[i] = set.CoveredTechnologies(_cx[i], _cy[i], kx, ky) & mask & ~_cellMask[i];
            });
            var byTechnology = new SortedDictionary<RadioTechnology, int[]>();
            foreach (var t in Technologies)
            {
                if ((mask & Bit(t)) == 0) continue;
                byTechnology[t] = Where(_cx.Length, i => (covered[i] & Bit(t)) != 0);
            }
            return new ItemState(byTechnology, [], [], []);
        }

        private string[] LeafCodes(ItemState newly, IEnumerable<int> fibreLeaves, int towerLeaf)
        {
            var set = new SortedSet<int>(fibreLeaves);
            if (towerLeaf >= 0) set.Add(towerLeaf);
            foreach (var cells in newly.CoveredCells.Values) foreach (var c in cells) set.Add(Cells.Leaf[c]);
            foreach (var c in newly.CellsInHouseholdReach) set.Add(Cells.Leaf[c]);
            foreach (var a in newly.AnchorsOnFibre) set.Add(Anchors.Leaf[a]);
            foreach (var f in newly.FacilitiesOnFibre) set.Add(Facilities.Leaf[f]);
            return set.Select(k => _leaves.Codes[_universe[k]]).ToArray();
        }
    }

    /// <summary>The tower as an upgrade leaves it: the added technologies offered, with the upgrade's radii.</summary>
    public static Tower Upgraded(Tower tower, TowerUpgrade upgrade)
    {
        ArgumentNullException.ThrowIfNull(tower);
        ArgumentNullException.ThrowIfNull(upgrade);
        return tower with
        {
            Technologies = tower.Technologies.Union(upgrade.Add),
            RadiusMetres = tower.RadiusMetres.SetItems(upgrade.RadiusMetres ?? new Dictionary<RadioTechnology, double>()),
        };
    }

    private static int[] Where(int count, Func<int, bool> predicate)
    {
        var list = new List<int>();
        for (var i = 0; i < count; i++) if (predicate(i)) list.Add(i);
        return [.. list];
    }

    private static SortedDictionary<TKey, TValue> ToSortedDictionary<TKey, TValue>(this Dictionary<TKey, TValue> map) where TKey : notnull => new(map);
}
