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

    /// <summary>The result of an aggregation.</summary>
    /// <param name="Units">every unit, ordered by code</param>
    /// <param name="Recomputed">codes of the units whose indicators were (re)built</param>
    internal sealed record Result(IReadOnlyList<UnitIndicators> Units, IReadOnlySet<string> Recomputed, IReadOnlyDictionary<string, Accumulator> Accumulators);

    /// <summary>Aggregates every unit.</summary>
    public static IReadOnlyList<UnitIndicators> Aggregate(IReadOnlyList<UnitNode> units, IReadOnlyList<LeafMeasures> leaves, IndicatorOptions options) =>
        Run(units, leaves.ToDictionary(l => l.Code, StringComparer.Ordinal), options, null).Units;

    /// <summary>
    /// Aggregates the units; with <paramref name="previous"/>, only the leaves in <paramref name="changedLeaves"/> and
    /// their ancestors are rebuilt and every other unit keeps its previous indicators and accumulator.
    /// </summary>
    internal static Result Run(
        IReadOnlyList<UnitNode> units,
        IReadOnlyDictionary<string, LeafMeasures> leaves,
        IndicatorOptions options,
        (IReadOnlyDictionary<string, UnitIndicators> Indicators, IReadOnlyDictionary<string, Accumulator> Accumulators, IReadOnlyCollection<string> ChangedLeaves)? previous)
    {
        var byCode = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var children = new Dictionary<string, List<UnitNode>>(StringComparer.Ordinal);
        foreach (var u in units)
        {
            if (u.ParentCode is { } p && byCode.ContainsKey(p))
            {
                if (!children.TryGetValue(p, out var list)) children[p] = list = [];
                list.Add(u);
            }
        }

        HashSet<string>? affected = null;
        if (previous is { } prev)
        {
            affected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in prev.ChangedLeaves)
            {
                for (var c = code; c is not null && byCode.TryGetValue(c, out var node) && affected.Add(c);) c = node.ParentCode;
            }
        }

        // Pass 1, sequential: sums bottom-up (cheap). Pass 2, parallel: indicators of the units to rebuild.
        var accumulators = new Dictionary<string, Accumulator>(units.Count, StringComparer.Ordinal);
        var kept = new Dictionary<string, UnitIndicators>(StringComparer.Ordinal);
        var rebuild = new List<(UnitNode Node, Accumulator Sums)>();

        Accumulator Visit(UnitNode node)
        {
            if (accumulators.TryGetValue(node.Code, out var done)) return done;
            Accumulator acc;
            if (affected is not null && !affected.Contains(node.Code)
                && previous!.Value.Accumulators.TryGetValue(node.Code, out var keptSums)
                && previous.Value.Indicators.TryGetValue(node.Code, out var keptIndicators))
            {
                acc = keptSums;
                kept[node.Code] = keptIndicators;
            }
            else
            {
                if (children.TryGetValue(node.Code, out var kids))
                {
                    acc = new Accumulator();
                    foreach (var kid in kids) acc.Add(Visit(kid));
                }
                else
                {
                    acc = Accumulator.ForLeaf(node, leaves.GetValueOrDefault(node.Code));
                }
                rebuild.Add((node, acc));
            }
            accumulators[node.Code] = acc;
            return acc;
        }

        foreach (var u in units) Visit(u);
        var built = new UnitIndicators[rebuild.Count];
        Parallel.For(0, rebuild.Count, i => built[i] = Build(rebuild[i].Node, rebuild[i].Sums, options));
        var result = new Dictionary<string, UnitIndicators>(kept, StringComparer.Ordinal);
        foreach (var u in built) result[u.Code] = u;
        var recomputed = rebuild.Select(r => r.Node.Code).ToHashSet(StringComparer.Ordinal);
        var ordered = units.Select(u => result[u.Code]).ToArray();  // engines give units ordered by code
        return new Result(ordered, recomputed, accumulators);
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

        public static Accumulator ForLeaf(UnitNode node, LeafMeasures? m)
        {
            var a = new Accumulator { LeafUnits = 1 };
            if (m is null)
            {
                // A leaf the engine did not measure (no boundary to measure): it counts, with nothing in it.
                a.UniformLeaves = 1;
                a.UniformPopulationUnknown = node.Population is null ? 1 : 0;
                a.UniformHouseholdsUnknown = node.Households is null ? 1 : 0;
                a.UniformPopulation = node.Population ?? 0;
                a.UniformHouseholds = node.Households ?? 0;
                return a;
            }
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
