using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

internal sealed partial class ScenarioModel
{
    /// <summary>The item state of one draw, advanced year by year. Owned by one chunk.</summary>
    private sealed class DrawState(ScenarioModel m)
    {
        private readonly int[] _cellMask = new int[m._fp.Cells.Count];
        private readonly bool[] _cellReach = new bool[m._fp.Cells.Count];
        private readonly bool[] _anchorOn = new bool[m._fp.Anchors.Count];
        private readonly bool[] _facilityOn = new bool[m._fp.Facilities.Count];
        private readonly int[] _towerMask = new int[m._fp.Towers.Count];
        private readonly double[,] _covered = new double[m._units.Length, Technologies.Length];
        private readonly double[] _inReach = new double[m._units.Length];
        private readonly long[] _villagesOn = new long[m._units.Length];
        private readonly long[,] _facilitiesOn = new long[m._units.Length, Kinds.Length];
        private readonly double[,] _fibre = new double[m._units.Length, Statuses.Length];
        private readonly int[,] _towers = new int[m._units.Length, Technologies.Length];
        private readonly int[] _towersTotal = new int[m._units.Length];
        /// <summary>Households first reached, per unit and per year of reach (index: year − base year).</summary>
        private readonly double[,] _reachedIn = new double[m._units.Length, m._scenario.Horizon + 1];

        public void Evaluate(Plan plan, UnitYearSink sink)
        {
            Reset();
            var order = Enumerable.Range(0, m._elements.Length).Where(i => plan.ElementYear[i] <= m._years[^1])
                .OrderBy(i => plan.ElementYear[i]).ThenBy(i => i).ToArray();
            var next = 0;
            for (var y = 0; y < m._years.Length; y++)
            {
                var year = m._years[y];
                for (; next < order.Length && plan.ElementYear[order[next]] <= year; next++)
                    Apply(m._elements[order[next]].Element, plan.ElementYear[order[next]]);
                for (var u = 0; u < m._units.Length; u++)
                {
                    var values = Values(u);
                    var spatial = new Dictionary<string, IndicatorValue>(m._units[u].Spatial, StringComparer.Ordinal);
                    foreach (var (name, v) in values) spatial[name] = v.Value;
                    var unit = m._units[u];
                    var input = new AssessmentInput(unit.Code, unit.Name, unit.Level, unit.ProvinceCode, year, Questionnaire(plan, u, year), spatial);
                    sink(u, y, ReadinessScorer.Score(m._inputs.Profile, input), values);
                }
            }
        }

        private void Reset()
        {
            Array.Clear(_cellMask);
            foreach (var t in Technologies)
                foreach (var c in m._fp.Baseline.CoveredCells.GetValueOrDefault(t) ?? []) _cellMask[c] |= Bit(t);
            Array.Clear(_cellReach);
            foreach (var c in m._fp.Baseline.CellsInHouseholdReach) _cellReach[c] = true;
            Array.Clear(_anchorOn);
            foreach (var a in m._fp.Baseline.AnchorsOnFibre) _anchorOn[a] = true;
            Array.Clear(_facilityOn);
            foreach (var f in m._fp.Baseline.FacilitiesOnFibre) _facilityOn[f] = true;
            Array.Copy(m._fp.Towers.Technologies, _towerMask, _towerMask.Length);
            Array.Clear(_covered);
            Array.Clear(_inReach);
            Array.Clear(_villagesOn);
            Array.Clear(_facilitiesOn);
            Array.Clear(_fibre);
            Array.Clear(_towers);
            Array.Clear(_towersTotal);
            Array.Clear(_reachedIn);
            for (var c = 0; c < _cellMask.Length; c++)
            {
                var u = UnitOfLeaf(m._fp.Cells.Leaf[c]);
                if (u < 0) continue;
                for (var t = 0; t < Technologies.Length; t++) if ((_cellMask[c] & (1 << t)) != 0) _covered[u, t] += m._fp.Cells.Population[c];
                if (_cellReach[c]) _inReach[u] += m._fp.Cells.Households[c];
            }
            for (var a = 0; a < _anchorOn.Length; a++) if (_anchorOn[a] && UnitOfLeaf(m._fp.Anchors.Leaf[a]) is var u and >= 0) _villagesOn[u]++;
            for (var f = 0; f < _facilityOn.Length; f++)
                if (_facilityOn[f] && UnitOfLeaf(m._fp.Facilities.Leaf[f]) is var u and >= 0) _facilitiesOn[u, (int)m._fp.Facilities.Kind[f]]++;
            for (var k = 0; k < m._fp.Leaves.Length; k++)
                if (UnitOfLeaf(k) is var u and >= 0)
                    foreach (var (s, metres) in m._fp.Leaves[k].FibreMetres) _fibre[u, Array.IndexOf(Statuses, s)] += metres;
            for (var i = 0; i < _towerMask.Length; i++) if (UnitOfLeaf(m._fp.Towers.Leaf[i]) is var u and >= 0) AddTower(u, _towerMask[i]);
        }

        private int UnitOfLeaf(int leaf) => m._leafUnit[leaf];

        private static int Bit(RadioTechnology t) => 1 << ((int)t - (int)RadioTechnology.G2);

        private void AddTower(int u, int mask)
        {
            _towersTotal[u]++;
            for (var t = 0; t < Technologies.Length; t++) if ((mask & (1 << t)) != 0) _towers[u, t]++;
        }

        /// <summary>Adds an element in service from <paramref name="year"/>: only items not yet affected change the sums.</summary>
        private void Apply(FootprintElement e, int year)
        {
            var cells = m._fp.Cells;
            foreach (var t in Technologies)
            {
                var bit = Bit(t);
                foreach (var c in e.Newly.CoveredCells.GetValueOrDefault(t) ?? [])
                {
                    if ((_cellMask[c] & bit) != 0) continue;
                    _cellMask[c] |= bit;
                    if (UnitOfLeaf(cells.Leaf[c]) is var u and >= 0) _covered[u, (int)t - (int)RadioTechnology.G2] += cells.Population[c];
                }
            }
            foreach (var c in e.Newly.CellsInHouseholdReach)
            {
                if (_cellReach[c]) continue;
                _cellReach[c] = true;
                if (UnitOfLeaf(cells.Leaf[c]) is not (var u and >= 0)) continue;
                _inReach[u] += cells.Households[c];
                _reachedIn[u, Math.Max(year, m._scenario.BaseYear) - m._scenario.BaseYear] += cells.Households[c];
            }
            foreach (var a in e.Newly.AnchorsOnFibre)
            {
                if (_anchorOn[a]) continue;
                _anchorOn[a] = true;
                if (UnitOfLeaf(m._fp.Anchors.Leaf[a]) is var u and >= 0) _villagesOn[u]++;
            }
            foreach (var f in e.Newly.FacilitiesOnFibre)
            {
                if (_facilityOn[f]) continue;
                _facilityOn[f] = true;
                if (UnitOfLeaf(m._fp.Facilities.Leaf[f]) is var u and >= 0) _facilitiesOn[u, (int)m._fp.Facilities.Kind[f]]++;
            }
            for (var j = 0; j < e.FibreLeaves.Length; j++)
            {
                if (UnitOfLeaf(e.FibreLeaves[j]) is not (var u and >= 0)) continue;
                _fibre[u, Array.IndexOf(Statuses, FibreStatus.Existing)] += e.FibreMetres[j];
                if (e.ReplacesStatus is { } replaced) _fibre[u, Array.IndexOf(Statuses, replaced)] -= e.FibreMetres[j];
            }
            switch (e.Kind)
            {
                case ElementKind.Tower when e.TowerLeaf >= 0 && UnitOfLeaf(e.TowerLeaf) is var u and >= 0:
                    AddTower(u, e.Technologies);
                    break;
                case ElementKind.TowerUpgrade when e.TowerItem >= 0:
                    var added = e.Technologies & ~_towerMask[e.TowerItem];
                    _towerMask[e.TowerItem] |= e.Technologies;
                    if (UnitOfLeaf(m._fp.Towers.Leaf[e.TowerItem]) is var v and >= 0)
                        for (var t = 0; t < Technologies.Length; t++) if ((added & (1 << t)) != 0) _towers[v, t]++;
                    break;
            }
        }

        /// <summary>The unit's indicators as the aggregator builds them for a unit whose leaves all have population cells, and its named values.</summary>
        private Dictionary<string, UnitValue> Values(int u)
        {
            var totals = m._totals[u];
            var unit = m._units[u];
            var coverage = new CoverageIndicator[Technologies.Length];
            for (var t = 0; t < Technologies.Length; t++)
            {
                double? share = totals.Population > 0 ? 100.0 * _covered[u, t] / totals.Population : null;
                coverage[t] = new CoverageIndicator(_covered[u, t], share, share is null ? null : ShareBasis.Population, null, null);
            }
            double? reach = totals.Households > 0 ? 100.0 * _inReach[u] / totals.Households : null;
            var fibre = new double[Statuses.Length];
            for (var s = 0; s < Statuses.Length; s++) fibre[s] = _fibre[u, s] / 1000.0;
            var facilities = new ShareIndicator[Kinds.Length];
            for (var k = 0; k < Kinds.Length; k++) facilities[k] = ShareOf(_facilitiesOn[u, k], totals.Facilities[k]);
            var towers = new int[Technologies.Length];
            for (var t = 0; t < Technologies.Length; t++) towers[t] = _towers[u, t];
            var indicators = new UnitIndicators
            {
                Code = unit.Code,
                Name = unit.Name,
                Level = unit.Level,
                AreaKm2 = 0,
                Population = totals.Population,
                Households = totals.Households,
                PopulationMethod = PopulationMethod.Cells,
                LeafUnits = totals.LeafUnits,
                Coverage = EnumMap<RadioTechnology, CoverageIndicator>.Dense(coverage),
                FibreKm = EnumMap<FibreStatus, double>.Dense(fibre),
                VillagesOnFibre = ShareOf(_villagesOn[u], totals.Villages),
                FacilitiesOnFibre = EnumMap<FacilityKind, ShareIndicator>.Dense(facilities),
                HouseholdsFixedReach = new ReachIndicator(_inReach[u], reach, reach is null ? null : ShareBasis.Population, null),
                Towers = EnumMap<RadioTechnology, int>.Dense(towers),
                TowersTotal = _towersTotal[u],
            };
            var named = IndicatorValues.Of(indicators);
            var share4g = coverage[Array.IndexOf(Technologies, RadioTechnology.G4)].SharePercent;
            var result = new Dictionary<string, UnitValue>(StringComparer.Ordinal);
            foreach (var (name, value) in named)
                result[name] = new UnitValue(name switch
                {
                    "share_4g_pct" => share4g,
                    "households_fixed_reach_pct" => reach,
                    "villages_on_fibre_pct" => indicators.VillagesOnFibre.SharePercent,
                    _ => value.Value,
                }, value);
            return result;
        }

        private static ShareIndicator ShareOf(long count, long total) => new(count, total, total > 0 ? 100.0 * count / total : null, null);

        /// <summary>The unit's questionnaire answers in <paramref name="year"/>: the base-year answers, the changes in
        /// effect (in scenario order), then fixed-broadband adoption.</summary>
        private Dictionary<string, double> Questionnaire(Plan plan, int u, int year)
        {
            var answers = new Dictionary<string, double>(m._units[u].Questionnaire, StringComparer.Ordinal);
            for (var i = 0; i < m._changes.Length; i++)
            {
                if (m._changeUnit[i] != u || plan.ChangeYear[i] > year) continue;
                foreach (var change in m._changes[i].Changes)
                {
                    var name = change.Field.Name;
                    var value = change.Operation switch
                    {
                        FieldChangeOperation.Add => answers.GetValueOrDefault(name) + change.Value,
                        FieldChangeOperation.Set => change.Value,
                        _ => plan.ChangeYear[i],
                    };
                    answers[name] = Bounded(change.Field, value, answers);
                }
            }
            if (plan.Adoption && answers.TryGetValue("kk_fixed_bb", out var subscribed))
            {
                var start = m._adoption!.Start;
                for (var r = 0; r <= m._scenario.Horizon; r++)
                {
                    var reachYear = m._scenario.BaseYear + r;
                    if (_reachedIn[u, r] > 0)
                        subscribed += _reachedIn[u, r] * AdoptionIntervention.Share(year - Math.Max(reachYear, start), plan.Rate, plan.Midpoint, plan.Ceiling);
                }
                answers["kk_fixed_bb"] = answers.TryGetValue("kk", out var kk) ? Math.Min(kk, subscribed) : subscribed;
            }
            return answers;
        }

        /// <summary>A changed answer kept within its field's bounds (min, max, and at most the field it may not exceed).</summary>
        private static double Bounded(QuestionnaireField field, double value, Dictionary<string, double> answers)
        {
            if (field.Min is { } min) value = Math.Max(min, value);
            if (field.Max is { } max) value = Math.Min(max, value);
            if (field.AtMost is { } other && answers.TryGetValue(other, out var limit)) value = Math.Min(limit, value);
            return value;
        }
    }
}
