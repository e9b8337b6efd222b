using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>
/// The deterministic evaluation of a footprint: the union of the items of the complete elements added to the
/// baseline, summed per leaf into <see cref="LeafMeasures"/> exactly as the indicator engines measure them.
/// </summary>
/// <remarks>Pure and thread-safe.</remarks>
public static class FootprintEvaluator
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();

    /// <summary>The leaf measures of the baseline (no element complete), for every leaf of the footprint.</summary>
    public static IReadOnlyList<LeafMeasures> Baseline(ScenarioFootprint footprint) => Apply(footprint, [], onlyAffected: false);

    /// <summary>
    /// The leaf measures with the elements <paramref name="completeElementIds"/> complete: fibre elements count as
    /// existing routes, new towers as towers, upgrades as offering their added technologies. Items count once however
    /// many elements affect them.
    /// </summary>
    /// <param name="onlyAffected">true: only the leaves some complete element touches; false: every leaf of the footprint</param>
    /// <returns>leaf measures ordered by code</returns>
    /// <exception cref="ArgumentException">an id is not an element of the footprint.</exception>
    public static IReadOnlyList<LeafMeasures> Apply(ScenarioFootprint footprint, IEnumerable<string> completeElementIds, bool onlyAffected = true)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        ArgumentNullException.ThrowIfNull(completeElementIds);
        var byId = footprint.Elements.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var complete = new List<FootprintElement>();
        foreach (var id in completeElementIds.Distinct(StringComparer.Ordinal))
            complete.Add(byId.GetValueOrDefault(id) ?? throw new ArgumentException($"'{id}' is not an element of the footprint", nameof(completeElementIds)));
        // Element order of the footprint, so that sums of lengths do not depend on the order the ids were given in.
        var order = footprint.Elements.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        complete.Sort((a, b) => order[a.Id].CompareTo(order[b.Id]));

        var nLeaves = footprint.Leaves.Length;
        var cellMask = new int[footprint.Cells.Count];
        foreach (var t in Technologies) Mark(cellMask, footprint.Baseline.CoveredCells.GetValueOrDefault(t), FootprintCalculator.Bit(t));
        var cellReach = new bool[footprint.Cells.Count];
        Mark(cellReach, footprint.Baseline.CellsInHouseholdReach);
        var anchorOn = new bool[footprint.Anchors.Count];
        Mark(anchorOn, footprint.Baseline.AnchorsOnFibre);
        var facilityOn = new bool[footprint.Facilities.Count];
        Mark(facilityOn, footprint.Baseline.FacilitiesOnFibre);
        var towerMask = (int[])footprint.Towers.Technologies.Clone();
        var fibre = new double[nLeaves, Statuses.Length];
        for (var k = 0; k < nLeaves; k++)
            foreach (var (s, m) in footprint.Leaves[k].FibreMetres) fibre[k, (int)s] = m;
        var newTowers = new List<(int Leaf, int Mask)>();
        var affected = new bool[nLeaves];
        var leafIndex = footprint.Leaves.Select((l, i) => (l.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);

        foreach (var e in complete)
        {
            foreach (var code in e.LeafCodes) affected[leafIndex[code]] = true;
            foreach (var t in Technologies) Mark(cellMask, e.Newly.CoveredCells.GetValueOrDefault(t), FootprintCalculator.Bit(t));
            Mark(cellReach, e.Newly.CellsInHouseholdReach);
            Mark(anchorOn, e.Newly.AnchorsOnFibre);
            Mark(facilityOn, e.Newly.FacilitiesOnFibre);
            for (var j = 0; j < e.FibreLeaves.Length; j++)
            {
                fibre[e.FibreLeaves[j], (int)FibreStatus.Existing] += e.FibreMetres[j];
                if (e.ReplacesStatus is { } replaced) fibre[e.FibreLeaves[j], (int)replaced] -= e.FibreMetres[j];
            }
            switch (e.Kind)
            {
                case ElementKind.Tower when e.TowerLeaf >= 0:
                    newTowers.Add((e.TowerLeaf, e.Technologies));
                    break;
                case ElementKind.TowerUpgrade when e.TowerItem >= 0:
                    towerMask[e.TowerItem] |= e.Technologies;
                    break;
            }
        }

        var cells = new long[nLeaves];
        var population = new long[nLeaves];
        var households = new long[nLeaves];
        var inReach = new long[nLeaves];
        var covered = new long[nLeaves, Technologies.Length];
        for (var c = 0; c < footprint.Cells.Count; c++)
        {
            var k = footprint.Cells.Leaf[c];
            var p = footprint.Cells.Population[c];
            cells[k]++;
            population[k] += p;
            households[k] += footprint.Cells.Households[c];
            if (cellReach[c]) inReach[k] += footprint.Cells.Households[c];
            for (var t = 0; t < Technologies.Length; t++) if ((cellMask[c] & (1 << t)) != 0) covered[k, t] += p;
        }
        var facilities = new int[nLeaves, Kinds.Length];
        var facilitiesOn = new int[nLeaves, Kinds.Length];
        for (var f = 0; f < footprint.Facilities.Count; f++)
        {
            var k = footprint.Facilities.Leaf[f];
            facilities[k, (int)footprint.Facilities.Kind[f]]++;
            if (facilityOn[f]) facilitiesOn[k, (int)footprint.Facilities.Kind[f]]++;
        }
        var anchorOf = new int[nLeaves];
        Array.Fill(anchorOf, -1);
        for (var a = 0; a < footprint.Anchors.Count; a++) anchorOf[footprint.Anchors.Leaf[a]] = a;
        var towers = new int[nLeaves, Technologies.Length];
        var towersTotal = new int[nLeaves];
        void AddTower(int leaf, int mask)
        {
            towersTotal[leaf]++;
            for (var t = 0; t < Technologies.Length; t++) if ((mask & (1 << t)) != 0) towers[leaf, t]++;
        }
        for (var i = 0; i < footprint.Towers.Count; i++) AddTower(footprint.Towers.Leaf[i], towerMask[i]);
        foreach (var (leaf, mask) in newTowers) AddTower(leaf, mask);

        var result = new List<LeafMeasures>();
        for (var k = 0; k < nLeaves; k++)
        {
            if (onlyAffected && !affected[k]) continue;
            var leaf = footprint.Leaves[k];
            var a = anchorOf[k];
            result.Add(new LeafMeasures
            {
                Code = leaf.Code,
                Method = PopulationMethod.Cells,
                Cells = cells[k],
                CellPopulation = population[k],
                CellHouseholds = households[k],
                CoveredPopulation = EnumMap<RadioTechnology, long>.Sparse(Row(covered, k)),
                HouseholdsInReach = inReach[k],
                FibreMetres = EnumMap<FibreStatus, double>.Sparse(Row(fibre, k)),
                VillageOnFibre = leaf.IsVillage ? a >= 0 && anchorOn[a] : null,
                AnchorIsOffice = leaf.IsVillage ? a >= 0 && footprint.Anchors.IsOffice[a] : null,
                Facilities = EnumMap<FacilityKind, int>.Sparse(Row(facilities, k)),
                FacilitiesOnFibre = EnumMap<FacilityKind, int>.Sparse(Row(facilitiesOn, k)),
                Towers = EnumMap<RadioTechnology, int>.Sparse(Row(towers, k)),
                TowersTotal = towersTotal[k],
            });
        }
        return result;
    }

    private static void Mark(int[] masks, int[]? items, int bit)
    {
        if (items is null) return;
        foreach (var i in items) masks[i] |= bit;
    }

    private static void Mark(bool[] flags, int[] items)
    {
        foreach (var i in items) flags[i] = true;
    }

    private static T[] Row<T>(T[,] table, int row)
    {
        var values = new T[table.GetLength(1)];
        for (var j = 0; j < values.Length; j++) values[j] = table[row, j];
        return values;
    }
}
