using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

internal sealed partial class ScenarioModel
{
    /// <summary>
    /// What applying one element does, split by whether another element of the scenario can touch the same item.
    /// An item (a cell's coverage by one technology, a cell's household reach, an anchor, a facility) that only this
    /// element lists is still in its baseline state whenever the element is applied, so its effect is known before any
    /// draw: those items are summed per unit once (<see cref="Units"/> …) and applied in O(units touched), without
    /// reading or writing the item state. Only items several elements list go through the item state
    /// (<see cref="SharedCovered"/> …), where the first element to reach an item counts it.
    /// Counts are sums of whole numbers (people, households, items), so summing them in another order gives the
    /// same doubles.
    /// </summary>
    private sealed class ElementEffect
    {
        /// <summary>Per technology (2G first), the cells this element covers that another element covers too.</summary>
        public required int[][] SharedCovered { get; init; }
        public required int[] SharedReach { get; init; }
        public required int[] SharedAnchors { get; init; }
        public required int[] SharedFacilities { get; init; }

        /// <summary>The units whose counts the element's own items change (each once).</summary>
        public required int[] Units { get; init; }
        /// <summary>Per unit of <see cref="Units"/> × technology: population newly covered by the element's own cells.</summary>
        public required double[] Covered { get; init; }
        /// <summary>Per unit: households newly in reach of the element's own cells.</summary>
        public required double[] Households { get; init; }
        /// <summary>Per unit: whether any of the element's own cells is newly in household reach (even with no household).</summary>
        public required bool[] Reached { get; init; }
        /// <summary>Per unit: anchors newly on fibre.</summary>
        public required long[] Villages { get; init; }
        /// <summary>Per unit of <see cref="Units"/> × facility kind: facilities newly on fibre.</summary>
        public required long[] Facilities { get; init; }
    }

    /// <summary>Splits every element's newly affected items into its own (summed per unit) and shared ones.</summary>
    private ElementEffect[] EffectsOf()
    {
        var techs = Technologies.Length;
        var kinds = Kinds.Length;
        // how many element listings each item has, saturated at 2 (2: shared)
        var covers = new byte[_fp.Cells.Count * techs];
        var reaches = new byte[_fp.Cells.Count];
        var anchors = new byte[_fp.Anchors.Count];
        var facilities = new byte[_fp.Facilities.Count];
        static void Count(byte[] counts, int item) => counts[item] = (byte)Math.Min(2, counts[item] + 1);
        for (var i = 0; i < _elements.Length; i++)
        {
            var newly = _elements[i].Element.Newly;
            for (var t = 0; t < techs; t++)
                foreach (var c in _elementCovered[i][t]) Count(covers, c * techs + t);
            foreach (var c in newly.CellsInHouseholdReach) Count(reaches, c);
            foreach (var a in newly.AnchorsOnFibre) Count(anchors, a);
            foreach (var f in newly.FacilitiesOnFibre) Count(facilities, f);
        }

        var slot = new int[_units.Length];
        Array.Fill(slot, -1);
        var result = new ElementEffect[_elements.Length];
        for (var i = 0; i < _elements.Length; i++)
        {
            var newly = _elements[i].Element.Newly;
            var units = new List<int>();
            int SlotOf(int u)
            {
                if (slot[u] < 0)
                {
                    slot[u] = units.Count;
                    units.Add(u);
                }
                return slot[u];
            }
            var covered = new List<(int Slot, int Tech, int Population)>();
            var reached = new List<(int Slot, int Households)>();
            var villages = new List<int>();
            var onFibre = new List<(int Slot, int Kind)>();
            var sharedCovered = new int[techs][];
            for (var t = 0; t < techs; t++)
            {
                var shared = new List<int>();
                foreach (var c in _elementCovered[i][t])
                {
                    if (covers[c * techs + t] > 1) shared.Add(c);
                    else if ((_baseCellMask[c] & (1 << t)) == 0 && _cellUnit[c] is var u and >= 0)
                        covered.Add((SlotOf(u), t, _fp.Cells.Population[c]));
                }
                sharedCovered[t] = [.. shared];
            }
            var sharedReach = new List<int>();
            foreach (var c in newly.CellsInHouseholdReach)
            {
                if (reaches[c] > 1) sharedReach.Add(c);
                else if (!_baseCellReach[c] && _cellUnit[c] is var u and >= 0) reached.Add((SlotOf(u), _fp.Cells.Households[c]));
            }
            var sharedAnchors = new List<int>();
            foreach (var a in newly.AnchorsOnFibre)
            {
                if (anchors[a] > 1) sharedAnchors.Add(a);
                else if (!_baseAnchorOn[a] && _anchorUnit[a] is var u and >= 0) villages.Add(SlotOf(u));
            }
            var sharedFacilities = new List<int>();
            foreach (var f in newly.FacilitiesOnFibre)
            {
                if (facilities[f] > 1) sharedFacilities.Add(f);
                else if (!_baseFacilityOn[f] && _facilityUnit[f] is var u and >= 0) onFibre.Add((SlotOf(u), _facilityKind[f]));
            }

            var effect = new ElementEffect
            {
                SharedCovered = sharedCovered,
                SharedReach = [.. sharedReach],
                SharedAnchors = [.. sharedAnchors],
                SharedFacilities = [.. sharedFacilities],
                Units = [.. units],
                Covered = new double[units.Count * techs],
                Households = new double[units.Count],
                Reached = new bool[units.Count],
                Villages = new long[units.Count],
                Facilities = new long[units.Count * kinds],
            };
            foreach (var (s, t, population) in covered) effect.Covered[s * techs + t] += population;
            foreach (var (s, households) in reached)
            {
                effect.Households[s] += households;
                effect.Reached[s] = true;
            }
            foreach (var s in villages) effect.Villages[s]++;
            foreach (var (s, kind) in onFibre) effect.Facilities[s * kinds + kind]++;
            foreach (var u in units) slot[u] = -1;
            result[i] = effect;
        }
        return result;
    }
}
