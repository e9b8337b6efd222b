namespace GeoReadiness.Simulation.Scenarios;

internal sealed partial class ScenarioModel
{
    /// <summary>
    /// The items (a cell's coverage by one technology, a cell's household reach, an anchor, a facility) the elements
    /// newly affect, grouped by the exact set of elements that list them and summed per unit. Every item of a group is
    /// in its baseline state until the first of those elements is applied and affected from then on, so the group
    /// changes the counts once, all at once, with the year of that first element: applying an element is O(units its
    /// groups touch), without any per-item state. Items already affected in the baseline add nothing and are left out.
    /// The counts are sums of whole numbers (people, households, items), so summing them in another order gives the
    /// same doubles. Flat arrays, for locality: element i applies groups ElementGroup[ElementStart[i] …
    /// ElementStart[i + 1]), group g adds Entries[GroupStart[g] … GroupStart[g + 1]).
    /// </summary>
    private sealed class ItemGroups
    {
        public required int[] ElementStart { get; init; }
        public required int[] ElementGroup { get; init; }
        /// <summary>Per group: whether several elements list its items (so only the first one applied adds them).</summary>
        public required bool[] Shared { get; init; }
        public required int[] GroupStart { get; init; }
        public required GroupEntry[] Entries { get; init; }
        /// <summary>Population newly covered per technology (2G first), <see cref="Technologies"/>.Length values an entry.</summary>
        public required double[] Covered { get; init; }
        /// <summary>Facilities newly on fibre per kind, <see cref="Kinds"/>.Length values an entry.</summary>
        public required long[] Facilities { get; init; }
    }

    /// <summary>What one group adds to one unit.</summary>
    /// <param name="CoveredAt">the entry's first value in <see cref="ItemGroups.Covered"/> (−1: no population newly covered)</param>
    /// <param name="FacilitiesAt">the entry's first value in <see cref="ItemGroups.Facilities"/> (−1: none)</param>
    /// <param name="Reached">whether any cell is newly in household reach (even one with no household)</param>
    /// <param name="Households">households newly in reach</param>
    /// <param name="Villages">anchors newly on fibre</param>
    private readonly record struct GroupEntry(int Unit, int CoveredAt, int FacilitiesAt, bool Reached, double Households, long Villages);

    /// <summary>The item groups and, per element, the groups it applies.</summary>
    private ItemGroups GroupItems()
    {
        var techs = Technologies.Length;
        var covered = new int[_elements.Length][][];
        for (var i = 0; i < _elements.Length; i++)
            covered[i] = [.. Technologies.Select(t => _elements[i].Element.Newly.CoveredCells.GetValueOrDefault(t) ?? [])];
        // the items by aspect: a covered cell as c × techs + t, a reached cell, an anchor, a facility
        var aspects = new (int Items, Func<int, IEnumerable<int>> Of)[]
        {
            (_fp.Cells.Count * techs, i => Enumerable.Range(0, techs).SelectMany(t => covered[i][t].Select(c => c * techs + t))),
            (_fp.Cells.Count, i => _elements[i].Element.Newly.CellsInHouseholdReach),
            (_fp.Anchors.Count, i => _elements[i].Element.Newly.AnchorsOnFibre),
            (_fp.Facilities.Count, i => _elements[i].Element.Newly.FacilitiesOnFibre),
        };
        var builders = new Dictionary<int[], GroupBuilder>(new ElementSetComparer());
        var own = new GroupBuilder?[_elements.Length];
        for (var a = 0; a < aspects.Length; a++)
        {
            var (items, of) = aspects[a];
            // the first element listing each item (−1: none) and, for items listed again, all elements in order
            var first = new int[items];
            Array.Fill(first, -1);
            var more = new Dictionary<int, List<int>>();
            for (var i = 0; i < _elements.Length; i++)
                foreach (var item in of(i))
                {
                    if (first[item] < 0) first[item] = i;
                    else if (more.TryGetValue(item, out var list)) list.Add(i);
                    else more.Add(item, [first[item], i]);
                }
            for (var item = 0; item < items; item++)
            {
                if (first[item] < 0) continue;
                var group = more.TryGetValue(item, out var list)
                    ? builders.TryGetValue([.. list], out var b) ? b : builders[[.. list]] = new GroupBuilder([.. list])
                    : own[first[item]] ??= new GroupBuilder([first[item]]);
                AddItem(group, a, item);
            }
        }
        var kept = own.OfType<GroupBuilder>().Concat(builders.Values).Where(b => b.Units.Count > 0).ToArray();
        var elementGroups = _elements.Select(_ => new List<int>()).ToArray();
        var groupStart = new int[kept.Length + 1];
        var entries = new List<GroupEntry>();
        var coveredValues = new List<double>();
        var facilityValues = new List<long>();
        for (var g = 0; g < kept.Length; g++)
        {
            var b = kept[g];
            foreach (var i in b.Elements.Distinct()) elementGroups[i].Add(g);
            for (var k = 0; k < b.Units.Count; k++)
            {
                var population = b.Covered.GetRange(k * techs, techs);
                var onFibre = b.Facilities.GetRange(k * Kinds.Length, Kinds.Length);
                entries.Add(new GroupEntry(b.Units[k],
                    population.Any(x => x != 0) ? coveredValues.Count : -1,
                    onFibre.Any(x => x != 0) ? facilityValues.Count : -1,
                    b.Reached[k], b.Households[k], b.Villages[k]));
                if (population.Any(x => x != 0)) coveredValues.AddRange(population);
                if (onFibre.Any(x => x != 0)) facilityValues.AddRange(onFibre);
            }
            groupStart[g + 1] = entries.Count;
        }
        var elementStart = new int[_elements.Length + 1];
        for (var i = 0; i < _elements.Length; i++) elementStart[i + 1] = elementStart[i] + elementGroups[i].Count;
        return new ItemGroups
        {
            ElementStart = elementStart,
            ElementGroup = [.. elementGroups.SelectMany(g => g)],
            Shared = [.. kept.Select(b => b.Elements.Length > 1)],
            GroupStart = groupStart,
            Entries = [.. entries],
            Covered = [.. coveredValues],
            Facilities = [.. facilityValues],
        };
    }

    /// <summary>Adds one item of an aspect (see <see cref="GroupItems"/>) to its group, unless the baseline already has it.</summary>
    private void AddItem(GroupBuilder group, int aspect, int item)
    {
        var techs = Technologies.Length;
        switch (aspect)
        {
            case 0:
                var (c, t) = Math.DivRem(item, techs);
                if ((_baseCellMask[c] & (1 << t)) == 0 && _cellUnit[c] is var u and >= 0)
                    group.Covered[group.SlotOf(u) * techs + t] += _fp.Cells.Population[c];
                break;
            case 1:
                if (!_baseCellReach[item] && _cellUnit[item] is var v and >= 0)
                {
                    var s = group.SlotOf(v);
                    group.Households[s] += _fp.Cells.Households[item];
                    group.Reached[s] = true;
                }
                break;
            case 2:
                if (!_baseAnchorOn[item] && _anchorUnit[item] is var w and >= 0) group.Villages[group.SlotOf(w)]++;
                break;
            default:
                if (!_baseFacilityOn[item] && _facilityUnit[item] is var x and >= 0)
                    group.Facilities[group.SlotOf(x) * Kinds.Length + _facilityKind[item]]++;
                break;
        }
    }

    /// <summary>An item group being built: per-unit sums grown as units appear.</summary>
    private sealed class GroupBuilder(int[] elements)
    {
        public readonly int[] Elements = elements;
        public readonly List<int> Units = [];
        private readonly Dictionary<int, int> _slot = [];
        public readonly List<double> Covered = [];
        public readonly List<double> Households = [];
        public readonly List<bool> Reached = [];
        public readonly List<long> Villages = [];
        public readonly List<long> Facilities = [];

        public int SlotOf(int u)
        {
            if (_slot.TryGetValue(u, out var s)) return s;
            _slot.Add(u, s = Units.Count);
            Units.Add(u);
            for (var t = 0; t < Technologies.Length; t++) Covered.Add(0);
            Households.Add(0);
            Reached.Add(false);
            Villages.Add(0);
            for (var k = 0; k < Kinds.Length; k++) Facilities.Add(0);
            return s;
        }
    }

    /// <summary>Element sets (ascending element indices) compared by content.</summary>
    private sealed class ElementSetComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] set)
        {
            var hash = new HashCode();
            foreach (var i in set) hash.Add(i);
            return hash.ToHashCode();
        }
    }
}
