using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

internal sealed partial class ScenarioModel
{
    /// <summary>
    /// The item state of one draw, advanced year by year, and each unit's scorer inputs and last result. Owned by one
    /// chunk and reused from draw to draw: a draw undoes only what the previous one changed, recomputes a unit's named
    /// values only when an element changed its counts, its answers only when a change takes effect or adoption moves
    /// them (and then only once the score needs them), and scores it again (<see cref="CompiledScorer.Rescore"/>: only the indicators concerned) only
    /// when an input its previous evaluation read (or the year, if it read <c>year</c>) changed since — reuse is exact,
    /// as scoring is a deterministic function of what it reads.
    /// </summary>
    private sealed partial class DrawState
    {
        private readonly ScenarioModel m;
        private readonly CompiledScorer.Workspace _workspace;
        private readonly int _inputCount;
        private readonly int _names;

        // which shared item groups and upgraded towers a draw affected, restored through the lists of what it changed
        private readonly bool[] _groupOn;
        private readonly List<int> _groupsOn = [];
        private readonly int[] _towerMask;
        private readonly List<int> _changedTowers = [];

        // per-unit counts (flat: unit × technology, status, kind, reach year), restored per unit the draw touched
        private readonly UnitState _counts;
        private readonly bool[] _touched;
        private readonly List<int> _touchedUnits = [];
        private readonly bool[] _hasReach;

        // per unit: scorer inputs, named values, output shares and the last score
        private readonly double[][] _inputs;
        private readonly double[] _named;
        private readonly double[] _shares;
        private readonly bool[] _spatialDirty;
        private readonly bool[] _answersDirty;
        private readonly bool[] _answersStale;
        /// <summary>Per unit, whether its questionnaire slots have been set once (after which only the movable ones can change).</summary>
        private readonly bool[] _answersSet;
        private readonly CompiledScorer.Memory[] _memory;
        private readonly ulong[] _pending;
        private readonly double[] _score;
        private readonly int[] _band;
        private readonly double[] _pillarScores;
        private readonly double[] _answers;
        private readonly double[] _namedScratch;
        /// <summary>Under the draw's adoption curve: the share adopted by each result year (row) of the households first
        /// reached in each year since the base year (column), as <see cref="AdoptionIntervention.Share"/>.</summary>
        private readonly double[] _adopted;
        private bool? _adoption;

        // elements in service, by (service year, footprint order)
        private readonly int[] _order;
        private readonly int[] _yearCounts;

        public DrawState(ScenarioModel model)
        {
            m = model;
            _workspace = m._scorer.CreateWorkspace();
            _inputCount = m._scorer.InputCount;
            _names = UnitCountValues.Count;
            var fp = m._fp;
            _groupOn = new bool[m._groups.Shared.Length];
            _towerMask = (int[])fp.Towers.Technologies.Clone();
            var n = m._units.Length;
            _counts = m._baseCounts.Copy();
            _touched = new bool[n];
            _hasReach = new bool[n];
            _inputs = new double[n][];
            for (var u = 0; u < n; u++) _inputs[u] = new double[_inputCount];
            _named = new double[n * _names];
            _shares = new double[n * 3];
            _spatialDirty = new bool[n];
            Array.Fill(_spatialDirty, true);
            _answersDirty = new bool[n];
            _answersStale = new bool[n];
            _answersSet = new bool[n];
            _memory = new CompiledScorer.Memory[n];
            for (var u = 0; u < n; u++) _memory[u] = m._scorer.CreateMemory();
            _pending = new ulong[n];
            _score = new double[n];
            _band = new int[n];
            _pillarScores = new double[n * m._pillars];
            _answers = new double[m._fields.Length];
            _namedScratch = new double[_names];
            _adopted = new double[m._years.Length * (m._scenario.Horizon + 1)];
            _order = new int[m._elements.Length];
            _yearCounts = new int[m._years[^1] - m._minServiceYear + 2];
        }

        public double Score(int u) => _score[u];
        public int Band(int u) => _band[u];
        public ReadOnlySpan<double> Pillars(int u) => _pillarScores.AsSpan(u * m._pillars, m._pillars);
        public ReadOnlySpan<double> Shares(int u) => _shares.AsSpan(u * 3, 3);
        public double Named(int u, int name) => _named[u * _names + name];

        /// <summary>Evaluates one plan: after each result year's elements, <paramref name="sink"/> sees every unit's results.</summary>
        public void Evaluate(Plan plan, Action<int> sink)
        {
            Restore();
            var n = m._units.Length;
            if (_adoption != plan.Adoption)
                Array.Fill(_answersDirty, true);
            _adoption = plan.Adoption;
            if (plan.Adoption) AdoptionShares(plan);
            var inService = Order(plan);
            var next = 0;
            for (var y = 0; y < m._years.Length; y++)
            {
                var year = m._years[y];
                for (; next < inService && plan.ElementYear[_order[next]] <= year; next++)
                    Apply(_order[next], plan.ElementYear[_order[next]]);
                for (var u = 0; u < n; u++)
                {
                    var changed = 0UL;
                    if (_spatialDirty[u])
                    {
                        changed |= UpdateSpatial(u);
                        _spatialDirty[u] = false;
                    }
                    if (_answersDirty[u] || QuestionnaireMoves(plan, u, y))
                    {
                        // the answers may have moved: recomputed only when the score needs them
                        changed |= m._movableBits[u];
                        _answersStale[u] = true;
                        _answersDirty[u] = false;
                    }
                    _pending[u] |= changed;
                    if (!_memory[u].Holds(_pending[u], year) && _answersStale[u])
                    {
                        var precise = UpdateQuestionnaire(plan, u, y);
                        _answersStale[u] = false;
                        _pending[u] = (m._movableBits[u] == ulong.MaxValue ? _pending[u] : _pending[u] & ~m._movableBits[u]) | precise;
                    }
                    if (!_memory[u].Holds(_pending[u], year))
                    {
                        var result = m._scorer.Rescore(_inputs[u], year, _pending[u], _memory[u], _workspace, _pillarScores.AsSpan(u * m._pillars, m._pillars));
                        _score[u] = result.Score;
                        _band[u] = result.Band;
                        _pending[u] = 0;
                    }
                }
                sink(y);
            }
        }

        /// <summary>Whether unit <paramref name="u"/>'s answers may differ from those of its previous evaluation.</summary>
        private bool QuestionnaireMoves(Plan plan, int u, int y)
        {
            if (plan.Adoption && _hasReach[u])
                return true;
            var changes = m._unitChanges[u];
            if (changes.Length == 0)
                return false;
            if (y == 0)
                return true;
            foreach (var i in changes)
                if (plan.ChangeYear[i] > m._years[y - 1] && plan.ChangeYear[i] <= m._years[y])
                    return true;
            return false;
        }

        /// <summary>The elements in service by the last result year, ordered by service year, then footprint order; their count.</summary>
        private int Order(Plan plan)
        {
            var last = m._years[^1];
            var min = m._minServiceYear;
            Array.Clear(_yearCounts);
            var count = 0;
            for (var i = 0; i < plan.ElementYear.Length; i++)
            {
                var year = plan.ElementYear[i];
                if (year > last) continue;
                if (year < min) return SortedOrder(plan);
                _yearCounts[year - min + 1]++;
                count++;
            }
            for (var k = 1; k < _yearCounts.Length; k++) _yearCounts[k] += _yearCounts[k - 1];
            for (var i = 0; i < plan.ElementYear.Length; i++)
            {
                var year = plan.ElementYear[i];
                if (year <= last) _order[_yearCounts[year - min]++] = i;
            }
            return count;
        }

        /// <summary>The general case of <see cref="Order"/> (a service year before the earliest start).</summary>
        private int SortedOrder(Plan plan)
        {
            var last = m._years[^1];
            var sorted = Enumerable.Range(0, plan.ElementYear.Length).Where(i => plan.ElementYear[i] <= last)
                .OrderBy(i => plan.ElementYear[i]).ThenBy(i => i).ToArray();
            sorted.CopyTo(_order, 0);
            return sorted.Length;
        }

        /// <summary>Back to the baseline: the items and the counts of the units the previous draw changed.</summary>
        private void Restore()
        {
            foreach (var g in _groupsOn) _groupOn[g] = false;
            _groupsOn.Clear();
            foreach (var t in _changedTowers) _towerMask[t] = m._fp.Towers.Technologies[t];
            _changedTowers.Clear();
            foreach (var u in _touchedUnits)
            {
                _counts.CopyUnitFrom(m._baseCounts, u);
                _touched[u] = false;
                _answersDirty[u] |= _hasReach[u];
                _hasReach[u] = false;
                _spatialDirty[u] = true;
            }
            _touchedUnits.Clear();
        }

        private void Touch(int u)
        {
            _spatialDirty[u] = true;
            if (_touched[u]) return;
            _touched[u] = true;
            _touchedUnits.Add(u);
        }

        /// <summary>
        /// Adds an element in service from <paramref name="year"/>: its item groups (a shared group only when no element
        /// applied before listed it too), its fibre length and its tower.
        /// </summary>
        private void Apply(int index, int year)
        {
            var e = m._elements[index].Element;
            var c0 = _counts;
            var techs = Technologies.Length;
            var kinds = Kinds.Length;
            var reachYear = Math.Max(year, m._baseYear) - m._baseYear;
            var groups = m._groups;
            for (var gi = groups.ElementStart[index]; gi < groups.ElementStart[index + 1]; gi++)
            {
                var g = groups.ElementGroup[gi];
                if (groups.Shared[g])
                {
                    if (_groupOn[g]) continue;
                    _groupOn[g] = true;
                    _groupsOn.Add(g);
                }
                for (var k = groups.GroupStart[g]; k < groups.GroupStart[g + 1]; k++)
                {
                    ref readonly var entry = ref groups.Entries[k];
                    var u = entry.Unit;
                    Touch(u);
                    if (entry.CoveredAt >= 0)
                        for (var t = 0; t < techs; t++) c0.Covered[u * techs + t] += groups.Covered[entry.CoveredAt + t];
                    if (entry.Reached)
                    {
                        c0.InReach[u] += entry.Households;
                        c0.ReachedIn[u * c0.ReachYears + reachYear] += entry.Households;
                        _hasReach[u] = true;
                    }
                    c0.VillagesOn[u] += entry.Villages;
                    if (entry.FacilitiesAt >= 0)
                        for (var f = 0; f < kinds; f++) c0.FacilitiesOn[u * kinds + f] += groups.Facilities[entry.FacilitiesAt + f];
                }
            }
            var fibreUnits = m._fibreUnits[index];
            var replaced = m._elementReplaces[index];
            for (var j = 0; j < fibreUnits.Length; j++)
            {
                if (fibreUnits[j] is not (var u and >= 0)) continue;
                Touch(u);
                c0.Fibre[u * Statuses.Length + ExistingStatus] += e.FibreMetres[j];
                if (replaced >= 0) c0.Fibre[u * Statuses.Length + replaced] -= e.FibreMetres[j];
            }
            switch (e.Kind)
            {
                case ElementKind.Tower when e.TowerLeaf >= 0 && m._leafUnit[e.TowerLeaf] is var u and >= 0:
                    Touch(u);
                    c0.AddTower(u, e.Technologies);
                    break;
                case ElementKind.TowerUpgrade when e.TowerItem >= 0:
                    var added = e.Technologies & ~_towerMask[e.TowerItem];
                    if (_towerMask[e.TowerItem] == m._fp.Towers.Technologies[e.TowerItem]) _changedTowers.Add(e.TowerItem);
                    _towerMask[e.TowerItem] |= e.Technologies;
                    if (m._leafUnit[m._fp.Towers.Leaf[e.TowerItem]] is var v and >= 0)
                    {
                        Touch(v);
                        for (var t = 0; t < Technologies.Length; t++) if ((added & (1 << t)) != 0) c0.Towers[v * Technologies.Length + t]++;
                    }
                    break;
            }
        }

        /// <summary>Recomputes unit <paramref name="u"/>'s named values and output shares; whether a scorer input changed.</summary>
        private ulong UpdateSpatial(int u)
        {
            var totals = m._totals[u];
            var c = _counts;
            var counts = new UnitCounts
            {
                Covered = c.Covered.AsSpan(u * Technologies.Length, Technologies.Length),
                Population = totals.Population,
                InReach = c.InReach[u],
                Households = totals.Households,
                VillagesOn = c.VillagesOn[u],
                Villages = totals.Villages,
                FacilitiesOn = c.FacilitiesOn.AsSpan(u * Kinds.Length, Kinds.Length),
                Facilities = totals.Facilities,
                FibreMetres = c.Fibre.AsSpan(u * Statuses.Length, Statuses.Length),
                Towers = c.Towers.AsSpan(u * Technologies.Length, Technologies.Length),
                TowersTotal = c.TowersTotal[u],
            };
            var named = _named.AsSpan(u * _names, _names);
            UnitCountValues.Compute(counts, named, _shares.AsSpan(u * 3, 3));
            var inputs = _inputs[u];
            var changed = 0UL;
            for (var k = 0; k < _names; k++)
                if (m._spatialSlot[k] is var slot and >= 0 && !Same(inputs[slot], named[k]))
                {
                    inputs[slot] = named[k];
                    changed |= Bit(slot);
                }
            return changed;
        }

        /// <summary>
        /// Recomputes unit <paramref name="u"/>'s answers in <paramref name="year"/>: the base-year answers, the changes
        /// in effect (in scenario order), then fixed-broadband adoption; whether a scorer input changed.
        /// </summary>
        private ulong UpdateQuestionnaire(Plan plan, int u, int y)
        {
            var year = m._years[y];
            var answers = _answers;
            m._baseAnswers[u].CopyTo(answers, 0);
            foreach (var i in m._unitChanges[u])
            {
                if (plan.ChangeYear[i] > year) continue;
                foreach (var change in m._compiledChanges[i])
                {
                    var value = change.Operation switch
                    {
                        FieldChangeOperation.Add => (double.IsNaN(answers[change.Field]) ? 0 : answers[change.Field]) + change.Value,
                        FieldChangeOperation.Set => change.Value,
                        _ => plan.ChangeYear[i],
                    };
                    if (change.Min is { } min) value = Math.Max(min, value);
                    if (change.Max is { } max) value = Math.Min(max, value);
                    if (change.AtMost >= 0 && !double.IsNaN(answers[change.AtMost])) value = Math.Min(answers[change.AtMost], value);
                    answers[change.Field] = value;
                }
            }
            var fixedBb = m._fixedBbField;
            if (plan.Adoption && !double.IsNaN(answers[fixedBb]))
            {
                var subscribed = answers[fixedBb];
                var c = _counts;
                var reachYears = m._scenario.Horizon + 1;
                for (var r = 0; r < reachYears; r++)
                {
                    var reached = c.ReachedIn[u * c.ReachYears + r];
                    if (reached > 0)
                        subscribed += reached * _adopted[y * reachYears + r];
                }
                var kk = answers[m._kkField];
                answers[fixedBb] = !double.IsNaN(kk) ? Math.Min(kk, subscribed) : subscribed;
            }
            var inputs = _inputs[u];
            var changed = 0UL;
            if (_answersSet[u])
            {
                // only the slots a draw can move: every other one holds its base-year answer since the first time
                foreach (var k in m._movableSlots[u])
                    if (!Same(inputs[k], answers[m._fieldSlot[k]]))
                    {
                        inputs[k] = answers[m._fieldSlot[k]];
                        changed |= Bit(k);
                    }
                return changed;
            }
            _answersSet[u] = true;
            for (var k = 0; k < m._fieldSlot.Length; k++)
                if (!Same(inputs[k], answers[m._fieldSlot[k]]))
                {
                    inputs[k] = answers[m._fieldSlot[k]];
                    changed |= Bit(k);
                }
            return changed;
        }

        /// <summary>Fills <see cref="_adopted"/> for the draw's adoption curve (the same calls for every unit, so made once a draw).</summary>
        private void AdoptionShares(Plan plan)
        {
            var start = m._adoption!.Start;
            var reachYears = m._scenario.Horizon + 1;
            for (var y = 0; y < m._years.Length; y++)
                for (var r = 0; r < reachYears; r++)
                    _adopted[y * reachYears + r] = AdoptionIntervention.Share(m._years[y] - Math.Max(m._scenario.BaseYear + r, start),
                        plan.Rate, plan.Midpoint, plan.Ceiling);
        }

        /// <summary>The bit of an input slot in <see cref="CompiledScorer.Workspace.InputsRead"/>.</summary>
        private static ulong Bit(int slot) => slot < 64 ? 1UL << slot : ulong.MaxValue;

        private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
    }

    private static readonly int ExistingStatus = Array.IndexOf(Statuses, FibreStatus.Existing);

    /// <summary>Per-unit counts of a draw, flat arrays indexed unit × technology / kind / status / reach year.</summary>
    private sealed class UnitState(int units, int reachYears)
    {
        public readonly int ReachYears = reachYears;
        public readonly double[] Covered = new double[units * Technologies.Length];
        public readonly double[] InReach = new double[units];
        public readonly long[] VillagesOn = new long[units];
        public readonly long[] FacilitiesOn = new long[units * Kinds.Length];
        public readonly double[] Fibre = new double[units * Statuses.Length];
        public readonly int[] Towers = new int[units * Technologies.Length];
        public readonly int[] TowersTotal = new int[units];
        /// <summary>Households first reached, per unit and year of reach (index: year − base year).</summary>
        public readonly double[] ReachedIn = new double[units * reachYears];

        public void AddTower(int u, int mask)
        {
            TowersTotal[u]++;
            for (var t = 0; t < Technologies.Length; t++) if ((mask & (1 << t)) != 0) Towers[u * Technologies.Length + t]++;
        }

        public UnitState Copy()
        {
            var copy = new UnitState(InReach.Length, ReachYears);
            for (var u = 0; u < InReach.Length; u++) copy.CopyUnitFrom(this, u);
            return copy;
        }

        public void CopyUnitFrom(UnitState from, int u)
        {
            Array.Copy(from.Covered, u * Technologies.Length, Covered, u * Technologies.Length, Technologies.Length);
            InReach[u] = from.InReach[u];
            VillagesOn[u] = from.VillagesOn[u];
            Array.Copy(from.FacilitiesOn, u * Kinds.Length, FacilitiesOn, u * Kinds.Length, Kinds.Length);
            Array.Copy(from.Fibre, u * Statuses.Length, Fibre, u * Statuses.Length, Statuses.Length);
            Array.Copy(from.Towers, u * Technologies.Length, Towers, u * Technologies.Length, Technologies.Length);
            TowersTotal[u] = from.TowersTotal[u];
            Array.Copy(from.ReachedIn, u * ReachYears, ReachedIn, u * ReachYears, ReachYears);
        }
    }
}
