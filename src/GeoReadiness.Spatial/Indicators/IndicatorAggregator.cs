using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Indicators;

/// <summary>
/// Turns leaf measures into the indicators of every unit: leaves first, then each parent from its children.
/// Counts, lengths, areas and people are summed; shares are recomputed from the sums, never averaged.
/// The same code serves both engines, so they can only differ in the leaf measures.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class IndicatorAggregator
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();

    /// <summary>Aggregates every unit.</summary>
    public static IReadOnlyList<UnitIndicators> Aggregate(IReadOnlyList<UnitNode> units, IReadOnlyList<LeafMeasures> leaves, IndicatorOptions options) =>
        Full(units, leaves, options).Units;

    /// <summary>The result of an aggregation: every unit and every leaf in code order, and the sums behind them.</summary>
    /// <param name="RecomputedParents">units with children whose indicators were rebuilt</param>
    internal sealed record Result(UnitIndicators[] Units, LeafMeasures[] Leaves, State Sums, int RecomputedParents);

    /// <summary>The hierarchy as arrays and the per-unit sums: what an incremental aggregation starts from.</summary>
    internal sealed record State(Hierarchy Hierarchy, Accumulator[] Sums);

    /// <summary>Aggregates every unit from the measures of every leaf.</summary>
    internal static Result Full(IReadOnlyList<UnitNode> units, IReadOnlyList<LeafMeasures> leaves, IndicatorOptions options)
    {
        var h = new Hierarchy(units);
        var byLeaf = new LeafMeasures[h.LeafUnit.Length];
        foreach (var m in leaves)
        {
            if (h.IndexOf.TryGetValue(m.Code, out var u) && h.LeafIndex[u] >= 0) byLeaf[h.LeafIndex[u]] = m;
        }
        // A leaf the engine did not measure counts, with nothing in it.
        for (var i = 0; i < byLeaf.Length; i++) byLeaf[i] ??= new LeafMeasures { Code = units[h.LeafUnit[i]].Code, Method = PopulationMethod.UniformArea };
        var sums = new Accumulator[units.Count];
        Sum(h, byLeaf, sums, Enumerable.Range(0, units.Count).ToArray());
        var built = new UnitIndicators[units.Count];
        Parallel.For(0, units.Count, i => built[i] = Build(units[i], sums[i], options));
        return new Result(built, byLeaf, new State(h, sums), units.Count - h.LeafUnit.Length);
    }

    /// <summary>
    /// Re-aggregates after some leaves were measured again: only those leaves and their ancestors are rebuilt; every
    /// other unit keeps its previous indicators and sums. Work is proportional to the changed part, not the country.
    /// </summary>
    internal static Result Incremental(State previous, IReadOnlyList<UnitIndicators> previousUnits, IReadOnlyList<LeafMeasures> previousLeaves,
        IReadOnlyList<LeafMeasures> measured, IndicatorOptions options)
    {
        var h = previous.Hierarchy;
        var byLeaf = previousLeaves.ToArray();
        var affected = new HashSet<int>();
        foreach (var m in measured)
        {
            if (!h.IndexOf.TryGetValue(m.Code, out var u) || h.LeafIndex[u] < 0) continue;
            byLeaf[h.LeafIndex[u]] = m;
            for (var a = u; a >= 0 && affected.Add(a);) a = h.Parent[a];
        }
        var sums = (Accumulator[])previous.Sums.Clone();
        var order = affected.ToArray();
        Sum(h, byLeaf, sums, order);
        var units = previousUnits.ToArray();
        Parallel.For(0, order.Length, k => units[order[k]] = Build(h.Units[order[k]], sums[order[k]], options));
        return new Result(units, byLeaf, new State(h, sums), order.Count(u => h.LeafIndex[u] < 0));
    }

    /// <summary>Recomputes the sums of <paramref name="which"/> units, deepest level first so children come before parents.</summary>
    private static void Sum(Hierarchy h, LeafMeasures[] byLeaf, Accumulator[] sums, int[] which)
    {
        foreach (var u in which.OrderByDescending(u => (int)h.Units[u].Level).ThenBy(u => u))
        {
            var node = h.Units[u];
            if (h.LeafIndex[u] >= 0)
            {
                sums[u] = Accumulator.ForLeaf(node, byLeaf[h.LeafIndex[u]]);
                continue;
            }
            var acc = new Accumulator();
            foreach (var c in h.Children[u]) acc.Add(sums[c]);
            sums[u] = acc;
        }
    }

    /// <summary>The unit hierarchy as index arrays (units in code order).</summary>
    internal sealed class Hierarchy
    {
        public IReadOnlyList<UnitNode> Units { get; }
        public Dictionary<string, int> IndexOf { get; }
        public int[] Parent { get; }
        public int[][] Children { get; }
        /// <summary>Unit index → position among the leaves (code order), or −1 for a unit with children.</summary>
        public int[] LeafIndex { get; }
        /// <summary>Leaf position → unit index.</summary>
        public int[] LeafUnit { get; }

        public Hierarchy(IReadOnlyList<UnitNode> units)
        {
            Units = units;
            IndexOf = new Dictionary<string, int>(units.Count, StringComparer.Ordinal);
            for (var i = 0; i < units.Count; i++) IndexOf[units[i].Code] = i;
            Parent = new int[units.Count];
            var children = new List<int>?[units.Count];
            for (var i = 0; i < units.Count; i++)
            {
                Parent[i] = units[i].ParentCode is { } p && IndexOf.TryGetValue(p, out var pi) ? pi : -1;
                if (Parent[i] >= 0) (children[Parent[i]] ??= []).Add(i);
            }
            Children = children.Select(c => c?.ToArray() ?? []).ToArray();
            LeafIndex = new int[units.Count];
            var leafUnits = new List<int>();
            for (var i = 0; i < units.Count; i++)
            {
                // A unit is aggregated from children whenever it has any in the store.
                LeafIndex[i] = Children[i].Length == 0 ? leafUnits.Count : -1;
                if (LeafIndex[i] >= 0) leafUnits.Add(i);
            }
            LeafUnit = [.. leafUnits];
        }

        /// <summary>Whether <paramref name="units"/> is this hierarchy: same codes, parents, levels and unit figures.</summary>
        public bool Matches(IReadOnlyList<UnitNode> units)
        {
            if (ReferenceEquals(units, Units)) return true;
            if (units.Count != Units.Count) return false;
            for (var i = 0; i < units.Count; i++)
                if (!units[i].Equals(Units[i])) return false;
            return true;
        }
    }

    private static UnitIndicators Build(UnitNode node, Accumulator a, IndicatorOptions options)
    {
        var method = a.UniformLeaves == 0 ? PopulationMethod.Cells : a.CellLeaves == 0 ? PopulationMethod.UniformArea : PopulationMethod.Mixed;

        // People: summed over the leaves when every leaf's population is known; otherwise, for a unit whose leaves
        // all spread people uniformly, the unit's own population spread over the leaves' area.
        long? population = null;
        var coveredPeople = new double?[Technologies.Length];
        var areaShareKnown = a.CellLeaves == 0 && a.UniformAreaM2 > 0;
        if (a.UniformPopulationUnknown == 0)
        {
            population = a.CellPopulation + a.UniformPopulation;
            for (var t = 0; t < Technologies.Length; t++) coveredPeople[t] = a.CoveredPopulation[t];
        }
        else if (a.CellLeaves == 0 && node.Population is { } own)
        {
            population = own;
            for (var t = 0; t < Technologies.Length; t++) coveredPeople[t] = areaShareKnown ? own * a.CoveredAreaM2[t] / a.UniformAreaM2 : 0;
        }

        long? households = null;
        double? householdsInReach = null;
        if (a.UniformHouseholdsUnknown == 0)
        {
            households = a.CellHouseholds + a.UniformHouseholds;
            householdsInReach = a.HouseholdsInReach;
        }
        else if (a.CellLeaves == 0 && node.Households is { } ownHouseholds)
        {
            households = ownHouseholds;
            householdsInReach = areaShareKnown ? ownHouseholds * a.ReachAreaM2 / a.UniformAreaM2 : 0;
        }

        var coverage = new CoverageIndicator[Technologies.Length];
        for (var t = 0; t < Technologies.Length; t++)
        {
            double? share = null;
            ShareBasis? basis = null;
            if (population is > 0 && coveredPeople[t] is { } covered)
            {
                share = 100.0 * covered / population.Value;
                basis = ShareBasis.Population;
            }
            else if (population is null && areaShareKnown)
            {
                share = 100.0 * a.CoveredAreaM2[t] / a.UniformAreaM2;
                basis = ShareBasis.Area;
            }
            double? coveredArea = a.UniformLeaves > 0 ? a.CoveredAreaM2[t] / 1e6 : null;
            coverage[t] = new CoverageIndicator(coveredPeople[t], share, basis, options.BandOf(share), coveredArea);
        }

        double? reachShare = null;
        ShareBasis? reachBasis = null;
        if (households is > 0 && householdsInReach is { } reach)
        {
            reachShare = 100.0 * reach / households.Value;
            reachBasis = ShareBasis.Population;
        }
        else if (households is null && areaShareKnown)
        {
            reachShare = 100.0 * a.ReachAreaM2 / a.UniformAreaM2;
            reachBasis = ShareBasis.Area;
        }

        var fibre = new double[Statuses.Length];
        for (var s = 0; s < Statuses.Length; s++) fibre[s] = a.FibreMetres[s] / 1000.0;
        var facilities = new ShareIndicator[Kinds.Length];
        for (var k = 0; k < Kinds.Length; k++) facilities[k] = Share(a.FacilitiesOnFibre[k], a.Facilities[k], options);

        var areaKm2 = node.AreaM2 / 1e6;
        return new UnitIndicators
        {
            Code = node.Code,
            Name = node.Name,
            Level = node.Level,
            ParentCode = node.ParentCode,
            AreaKm2 = areaKm2,
            Population = population,
            Households = households,
            DensityPerKm2 = population is { } p && areaKm2 > 0 ? p / areaKm2 : null,
            PopulationMethod = method,
            LeafUnits = a.LeafUnits,
            Coverage = EnumMap<RadioTechnology, CoverageIndicator>.Dense(coverage),
            FibreKm = EnumMap<FibreStatus, double>.Dense(fibre),
            VillagesOnFibre = Share(a.VillagesOnFibre, a.Villages, options),
            FacilitiesOnFibre = EnumMap<FacilityKind, ShareIndicator>.Dense(facilities),
            HouseholdsFixedReach = new ReachIndicator(householdsInReach, reachShare, reachBasis, options.BandOf(reachShare)),
            Towers = EnumMap<RadioTechnology, int>.Dense((int[])a.Towers.Clone()),
            TowersTotal = a.TowersTotal,
        };
    }

    private static ShareIndicator Share(long count, long total, IndicatorOptions options)
    {
        double? share = total > 0 ? 100.0 * count / total : null;
        return new ShareIndicator(count, total, share, options.BandOf(share));
    }

    /// <summary>Sums over the leaves below a unit; shares are derived from these only at the end.</summary>
    internal sealed class Accumulator
    {
        public int LeafUnits, CellLeaves, UniformLeaves, UniformPopulationUnknown, UniformHouseholdsUnknown;
        public long CellPopulation, CellHouseholds, UniformPopulation, UniformHouseholds;
        public double UniformAreaM2, HouseholdsInReach, ReachAreaM2;
        public readonly double[] CoveredPopulation = new double[Technologies.Length];
        public readonly double[] CoveredAreaM2 = new double[Technologies.Length];
        public readonly double[] FibreMetres = new double[Statuses.Length];
        public long Villages, VillagesOnFibre;
        public readonly long[] Facilities = new long[Kinds.Length];
        public readonly long[] FacilitiesOnFibre = new long[Kinds.Length];
        public readonly int[] Towers = new int[Technologies.Length];
        public int TowersTotal;

        public static Accumulator ForLeaf(UnitNode node, LeafMeasures m)
        {
            var a = new Accumulator { LeafUnits = 1 };
            if (m.Method == PopulationMethod.Cells)
            {
                a.CellLeaves = 1;
                a.CellPopulation = m.CellPopulation;
                a.CellHouseholds = m.CellHouseholds;
                for (var t = 0; t < Technologies.Length; t++) a.CoveredPopulation[t] = m.CoveredPopulation.GetValueOrDefault(Technologies[t]);
                a.HouseholdsInReach = m.HouseholdsInReach;
            }
            else
            {
                a.UniformLeaves = 1;
                a.UniformAreaM2 = node.AreaM2;
                var areaShare = (Func<double, double>)(covered => node.AreaM2 > 0 ? covered / node.AreaM2 : 0);
                for (var t = 0; t < Technologies.Length; t++)
                {
                    var covered = m.CoveredAreaM2.GetValueOrDefault(Technologies[t]);
                    a.CoveredAreaM2[t] = covered;
                    a.CoveredPopulation[t] = node.Population is { } p ? p * areaShare(covered) : 0;
                }
                a.ReachAreaM2 = node.AreaM2 * m.ReachAreaShare;
                if (node.Population is { } pop) a.UniformPopulation = pop; else a.UniformPopulationUnknown = 1;
                if (node.Households is { } hh)
                {
                    a.UniformHouseholds = hh;
                    a.HouseholdsInReach = hh * m.ReachAreaShare;
                }
                else
                {
                    a.UniformHouseholdsUnknown = 1;
                }
            }
            for (var s = 0; s < Statuses.Length; s++) a.FibreMetres[s] = m.FibreMetres.GetValueOrDefault(Statuses[s]);
            if (m.VillageOnFibre is { } onFibre)
            {
                a.Villages = 1;
                a.VillagesOnFibre = onFibre ? 1 : 0;
            }
            for (var k = 0; k < Kinds.Length; k++)
            {
                a.Facilities[k] = m.Facilities.GetValueOrDefault(Kinds[k]);
                a.FacilitiesOnFibre[k] = m.FacilitiesOnFibre.GetValueOrDefault(Kinds[k]);
            }
            for (var t = 0; t < Technologies.Length; t++) a.Towers[t] = m.Towers.GetValueOrDefault(Technologies[t]);
            a.TowersTotal = m.TowersTotal;
            return a;
        }

        public void Add(Accumulator c)
        {
            LeafUnits += c.LeafUnits; CellLeaves += c.CellLeaves; UniformLeaves += c.UniformLeaves;
            UniformPopulationUnknown += c.UniformPopulationUnknown; UniformHouseholdsUnknown += c.UniformHouseholdsUnknown;
            CellPopulation += c.CellPopulation; CellHouseholds += c.CellHouseholds;
            UniformPopulation += c.UniformPopulation; UniformHouseholds += c.UniformHouseholds;
            UniformAreaM2 += c.UniformAreaM2; HouseholdsInReach += c.HouseholdsInReach; ReachAreaM2 += c.ReachAreaM2;
            for (var t = 0; t < Technologies.Length; t++)
            {
                CoveredPopulation[t] += c.CoveredPopulation[t];
                CoveredAreaM2[t] += c.CoveredAreaM2[t];
                Towers[t] += c.Towers[t];
            }
            for (var s = 0; s < Statuses.Length; s++) FibreMetres[s] += c.FibreMetres[s];
            Villages += c.Villages; VillagesOnFibre += c.VillagesOnFibre;
            for (var k = 0; k < Kinds.Length; k++)
            {
                Facilities[k] += c.Facilities[k];
                FacilitiesOnFibre[k] += c.FacilitiesOnFibre[k];
            }
            TowersTotal += c.TowersTotal;
        }
    }
}
