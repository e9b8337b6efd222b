using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// The Monte-Carlo engine of what-if scenarios (docs/scenarios.md, "Monte-Carlo runs"). Each draw samples every
/// intervention's completion, timing, overrun and adoption, applies the precomputed footprint year by year (unions of
/// item sets, each item counted once), recomputes the unit's named spatial values (as <see cref="IndicatorValues.Of"/>
/// would) and scores it with the profile's <see cref="CompiledScorer"/> (the figures of <see cref="ReadinessScorer"/>).
/// Pure: no I/O; the result depends only on the scenario, the inputs and the seed.
/// </summary>
public static class MonteCarloEngine
{
    /// <summary>Runs the scenario to its sampling rule.</summary>
    /// <exception cref="ArgumentException">the inputs do not fit the scenario (e.g. a unit with leaves the footprint cannot express)</exception>
    /// <exception cref="SamplingToleranceException">maxDraws reached with a score's standard error above the tolerance</exception>
    public static ScenarioRun Run(Scenario scenario, ScenarioInputs inputs, SamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(inputs);
        var model = new ScenarioModel(scenario, inputs);
        var sampled = SequentialSampling.Run(scenario.Sampling, scenario.Seed, model.Outputs, model.DrawChunk, options);
        return model.Summarise(sampled);
    }
}

/// <summary>The scenario and its inputs prepared for drawing: element, unit and item tables.</summary>
internal sealed partial class ScenarioModel
{
    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();
    private static readonly FibreStatus[] Statuses = Enum.GetValues<FibreStatus>();
    private static readonly FacilityKind[] Kinds = Enum.GetValues<FacilityKind>();

    private readonly Scenario _scenario;
    private readonly ScenarioInputs _inputs;
    private readonly ScenarioFootprint _fp;
    private readonly ScenarioUnitInput[] _units;
    private readonly int[] _leafUnit;
    private readonly UnitTotals[] _totals;
    private readonly SpatialElement[] _elements;
    private readonly QuestionnaireIntervention[] _changes;
    private readonly int[] _changeUnit;
    private readonly AdoptionIntervention? _adoption;
    private readonly int[] _years;
    private readonly int _perUnitYear;
    private readonly int _pillars;
    private readonly CompiledScorer _scorer;

    // the baseline items and per-unit counts every draw starts from
    private readonly int[] _baseCellMask;
    private readonly bool[] _baseCellReach;
    private readonly bool[] _baseAnchorOn;
    private readonly bool[] _baseFacilityOn;
    private readonly UnitState _baseCounts;
    /// <summary>The items the elements newly affect, grouped by the set of elements listing them, summed per unit.</summary>
    private readonly ItemGroups _groups;
    /// <summary>Per element, the scenario unit of each leaf of <see cref="FootprintElement.FibreLeaves"/> (−1: none).</summary>
    private readonly int[][] _fibreUnits;
    /// <summary>Per element, the position in <see cref="Statuses"/> of the status its length leaves (−1: a new route).</summary>
    private readonly int[] _elementReplaces;
    /// <summary>The scenario unit of each cell, anchor and facility (−1: none) and each facility's kind.</summary>
    private readonly int[] _cellUnit, _anchorUnit, _facilityUnit, _facilityKind;
    private readonly int _baseYear;
    /// <summary>The earliest start of an element: service years are not earlier (delays and durations are ≥ 0).</summary>
    private readonly int _minServiceYear;

    // questionnaire answers as vectors over the fields the profile or the scenario reads (NaN: unanswered)
    private readonly string[] _fields;
    private readonly double[][] _baseAnswers;
    private readonly int[] _fieldSlot;
    private readonly int[] _spatialSlot;
    private readonly int[][] _unitChanges;
    private readonly CompiledChange[][] _compiledChanges;
    private readonly int _fixedBbField;
    /// <summary>Per unit, the bits (as <see cref="CompiledScorer.Workspace.InputsRead"/>) of the questionnaire slots
    /// a draw can move: the fields its changes set and, with adoption, kk_fixed_bb (which a change of kk moves too).</summary>
    private readonly ulong[] _movableBits;
    private readonly int _kkField;
    /// <summary>Per unit, the scorer's questionnaire slots (positions in <see cref="_fieldSlot"/>) a draw can move: those
    /// of the fields its changes set and, with adoption, kk_fixed_bb; every other slot keeps its base-year answer.</summary>
    private readonly int[][] _movableSlots;

    // units by level, for ranks
    private readonly int[][] _levelUnits;
    private readonly int[] _levelOf;

    /// <summary>A field change with the field and its at-most field as positions in <see cref="_fields"/> (−1: none).</summary>
    private sealed record CompiledChange(int Field, FieldChangeOperation Operation, double Value, double? Min, double? Max, int AtMost);

    /// <summary>A fibre or tower element with the intervention it belongs to.</summary>
    private sealed record SpatialElement(FootprintElement Element, string StreamKey, int Start, double Completion, Distribution Delay,
        Distribution? Duration, double UnitCost, Distribution Overrun);

    /// <summary>What does not change between draws of one scenario unit.</summary>
    private sealed record UnitTotals(long Population, long Households, long Villages, long[] Facilities, int LeafUnits,
        bool HasPopulation, bool HasHouseholds, bool HasVillages);

    public ScenarioModel(Scenario scenario, ScenarioInputs inputs)
    {
        _scenario = scenario;
        _inputs = inputs;
        _fp = inputs.Footprint;
        if (inputs.Profile.Id != scenario.Profile)
            throw new ArgumentException($"the scenario names profile '{scenario.Profile}' but the inputs hold '{inputs.Profile.Id}'", nameof(inputs));
        if (inputs.TopK < 1)
            throw new ArgumentException($"TopK must be at least 1, not {inputs.TopK}", nameof(inputs));
        var unitsByCode = inputs.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        _units = scenario.Units.Select(code => unitsByCode.GetValueOrDefault(code)
            ?? throw new ArgumentException($"the inputs hold no data of scenario unit {code}", nameof(inputs))).ToArray();
        _leafUnit = _fp.Leaves.Select(l => UnitOf(l.Code)).ToArray();
        var hasLeaf = new bool[_units.Length];
        foreach (var u in _leafUnit) if (u >= 0) hasLeaf[u] = true;
        for (var u = 0; u < _units.Length; u++)
        {
            var code = _units[u].Code;
            var unsupported = _fp.Unsupported.Where(l => Under(l.Code, code)).ToArray();
            if (unsupported.Length > 0)
                throw new ArgumentException(
                    $"scenario unit {code} has {unsupported.Length} leaves the footprint cannot express as item sets, so its values cannot be recomputed per draw: "
                    + string.Join("; ", unsupported.Take(5).Select(l => $"{l.Code} ({l.Reason})")) + (unsupported.Length > 5 ? "; …" : ""), nameof(inputs));
            if (!hasLeaf[u])
                throw new ArgumentException($"the footprint holds no leaf of scenario unit {code} (its units: {string.Join(", ", _fp.UnitCodes)})", nameof(inputs));
        }
        _totals = Totals();
        _elements = ElementsOf(scenario, inputs);
        _changes = scenario.Interventions.OfType<QuestionnaireIntervention>().ToArray();
        _changeUnit = _changes.Select(c => Array.FindIndex(_units, u => u.Code == c.Unit) is var i and >= 0 ? i
            : throw new ArgumentException($"intervention {c.Id} changes the questionnaire of {c.Unit}, which is inside a scenario unit: only the scenario units' own questionnaires are supported", nameof(scenario))).ToArray();
        _adoption = scenario.Interventions.OfType<AdoptionIntervention>().SingleOrDefault();
        _years = [.. scenario.Years];
        _pillars = inputs.Profile.Pillars.Count;
        _perUnitYear = 5 + _pillars;
        var outputs = new List<SampledOutput>();
        var edges = inputs.Profile.Bands.Levels.Skip(1).Select(BandEdge).ToArray();
        foreach (var unit in _units)
            foreach (var y in _years)
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"{unit.Code} {y}");
                outputs.Add(new SampledOutput("score " + at) { Storage = DrawStorage.Single, Thresholds = edges });
                outputs.Add(new SampledOutput("share_4g_pct " + at, Headline: false) { Storage = DrawStorage.Single });
                outputs.Add(new SampledOutput("households_fixed_reach_pct " + at, Headline: false) { Storage = DrawStorage.Single });
                outputs.Add(new SampledOutput("villages_on_fibre_pct " + at, Headline: false) { Storage = DrawStorage.Single });
                outputs.Add(new SampledOutput("rank " + at, Headline: false) { Storage = DrawStorage.Counts, MaxCount = _units.Count(v => v.Level == unit.Level) });
                outputs.AddRange(inputs.Profile.Pillars.Select(p => new SampledOutput($"pillar {p.Id} {at}", Headline: false) { Storage = DrawStorage.Single }));
            }
        outputs.AddRange(_years.Select(y => new SampledOutput(string.Create(CultureInfo.InvariantCulture, $"cost {y}"), Headline: false) { Storage = DrawStorage.Single }));
        Outputs = outputs;

        _scorer = CompiledScorer.For(inputs.Profile);
        (_baseCellMask, _baseCellReach, _baseAnchorOn, _baseFacilityOn, _baseCounts) = Baseline();
        _elementReplaces = _elements.Select(e => e.Element.ReplacesStatus is { } s ? Array.IndexOf(Statuses, s) : -1).ToArray();
        _cellUnit = _fp.Cells.Leaf.Select(l => _leafUnit[l]).ToArray();
        _anchorUnit = _fp.Anchors.Leaf.Select(l => _leafUnit[l]).ToArray();
        _facilityUnit = _fp.Facilities.Leaf.Select(l => _leafUnit[l]).ToArray();
        _facilityKind = _fp.Facilities.Kind.Select(k => (int)k).ToArray();
        _baseYear = scenario.BaseYear;
        _groups = GroupItems();
        _fibreUnits = [.. _elements.Select(e => e.Element.FibreLeaves.Select(l => _leafUnit[l]).ToArray())];
        _minServiceYear = _elements.Length == 0 ? _years[0] : Math.Min(_years[0], _elements.Min(e => e.Start));
        var fields = new List<string>(_scorer.QuestionnaireFields) { "kk", "kk_fixed_bb" };
        foreach (var change in _changes.SelectMany(c => c.Changes))
            fields.AddRange(change.Field.AtMost is { } other ? [change.Field.Name, other] : [change.Field.Name]);
        _fields = [.. fields.Distinct(StringComparer.Ordinal)];
        _baseAnswers = _units.Select(u => _fields.Select(f => u.Questionnaire.TryGetValue(f, out var v) ? v : double.NaN).ToArray()).ToArray();
        _fieldSlot = _scorer.QuestionnaireFields.Select(f => Array.IndexOf(_fields, f)).ToArray();
        _spatialSlot = UnitCountValues.Names.Select(_scorer.SpatialSlot).ToArray();
        _unitChanges = Enumerable.Range(0, _units.Length).Select(u => Enumerable.Range(0, _changes.Length).Where(i => _changeUnit[i] == u).ToArray()).ToArray();
        _compiledChanges = _changes.Select(c => c.Changes.Select(f => new CompiledChange(Array.IndexOf(_fields, f.Field.Name), f.Operation, f.Value,
            f.Field.Min, f.Field.Max, f.Field.AtMost is { } other ? Array.IndexOf(_fields, other) : -1)).ToArray()).ToArray();
        _fixedBbField = Array.IndexOf(_fields, "kk_fixed_bb");
        _movableBits = _unitChanges.Select(changes => changes.SelectMany(i => _changes[i].Changes)
            .Select(c => _scorer.QuestionnaireSlot(c.Field.Name))
            .Append(_adoption is null ? -1 : _scorer.QuestionnaireSlot("kk_fixed_bb"))
            .Where(slot => slot >= 0).Aggregate(0UL, (bits, slot) => bits | (slot < 64 ? 1UL << slot : ulong.MaxValue))).ToArray();
        _kkField = Array.IndexOf(_fields, "kk");
        _movableSlots = [.. _unitChanges.Select(changes => Enumerable.Range(0, _fieldSlot.Length).Where(k =>
            (_adoption is not null && _fieldSlot[k] == _fixedBbField)
            || changes.Any(i => _changes[i].Changes.Any(c => Array.IndexOf(_fields, c.Field.Name) == _fieldSlot[k]))).ToArray())];
        var levels = _units.Select(u => u.Level).Distinct().ToArray();
        _levelOf = _units.Select(u => Array.IndexOf(levels, u.Level)).ToArray();
        _levelUnits = levels.Select((_, l) => Enumerable.Range(0, _units.Length).Where(u => _levelOf[u] == l).ToArray()).ToArray();
        _ml = MlScoring.For(this, scenario, inputs);
    }

    /// <summary>The baseline item state and per-unit counts.</summary>
    private (int[], bool[], bool[], bool[], UnitState) Baseline()
    {
        var cellMask = new int[_fp.Cells.Count];
        foreach (var t in Technologies)
            foreach (var c in _fp.Baseline.CoveredCells.GetValueOrDefault(t) ?? []) cellMask[c] |= 1 << ((int)t - (int)RadioTechnology.G2);
        var cellReach = new bool[_fp.Cells.Count];
        foreach (var c in _fp.Baseline.CellsInHouseholdReach) cellReach[c] = true;
        var anchorOn = new bool[_fp.Anchors.Count];
        foreach (var a in _fp.Baseline.AnchorsOnFibre) anchorOn[a] = true;
        var facilityOn = new bool[_fp.Facilities.Count];
        foreach (var f in _fp.Baseline.FacilitiesOnFibre) facilityOn[f] = true;
        var counts = new UnitState(_units.Length, _scenario.Horizon + 1);
        for (var c = 0; c < cellMask.Length; c++)
        {
            var u = _leafUnit[_fp.Cells.Leaf[c]];
            if (u < 0) continue;
            for (var t = 0; t < Technologies.Length; t++) if ((cellMask[c] & (1 << t)) != 0) counts.Covered[u * Technologies.Length + t] += _fp.Cells.Population[c];
            if (cellReach[c]) counts.InReach[u] += _fp.Cells.Households[c];
        }
        for (var a = 0; a < anchorOn.Length; a++) if (anchorOn[a] && _leafUnit[_fp.Anchors.Leaf[a]] is var u and >= 0) counts.VillagesOn[u]++;
        for (var f = 0; f < facilityOn.Length; f++)
            if (facilityOn[f] && _leafUnit[_fp.Facilities.Leaf[f]] is var u and >= 0) counts.FacilitiesOn[u * Kinds.Length + (int)_fp.Facilities.Kind[f]]++;
        for (var k = 0; k < _fp.Leaves.Length; k++)
            if (_leafUnit[k] is var u and >= 0)
                foreach (var (s, metres) in _fp.Leaves[k].FibreMetres) counts.Fibre[u * Statuses.Length + Array.IndexOf(Statuses, s)] += metres;
        for (var i = 0; i < _fp.Towers.Count; i++) if (_leafUnit[_fp.Towers.Leaf[i]] is var u and >= 0) counts.AddTower(u, _fp.Towers.Technologies[i]);
        return (cellMask, cellReach, anchorOn, facilityOn, counts);
    }

    public IReadOnlyList<SampledOutput> Outputs { get; }

    private static bool Under(string code, string unit) =>
        code == unit || (code.Length > unit.Length && code.StartsWith(unit, StringComparison.Ordinal) && code[unit.Length] == '.');

    /// <summary>The first scenario unit (in scenario order) a code is or lies under, or −1: its own code and each of
    /// its dotted prefixes looked up by code.</summary>
    private int UnitOf(string code)
    {
        _unitIndex ??= _units.Select((u, i) => (u.Code, i)).GroupBy(p => p.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Min(p => p.i), StringComparer.Ordinal);
        var first = _unitIndex.GetValueOrDefault(code, -1);
        for (var dot = code.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = code.IndexOf('.', dot + 1))
            if (_unitIndex.TryGetValue(code[..dot], out var u) && (first < 0 || u < first))
                first = u;
        return first;
    }

    private Dictionary<string, int>? _unitIndex;

    /// <summary>Per unit what does not change between draws, in one pass over the items.</summary>
    private UnitTotals[] Totals()
    {
        var n = _units.Length;
        var population = new long[n];
        var households = new long[n];
        var villages = new long[n];
        var facilities = new long[n][];
        var leaves = new int[n];
        for (var u = 0; u < n; u++) facilities[u] = new long[Kinds.Length];
        for (var c = 0; c < _fp.Cells.Count; c++)
            if (_leafUnit[_fp.Cells.Leaf[c]] is var u and >= 0)
            {
                population[u] += _fp.Cells.Population[c];
                households[u] += _fp.Cells.Households[c];
            }
        for (var a = 0; a < _fp.Anchors.Count; a++) if (_leafUnit[_fp.Anchors.Leaf[a]] is var u and >= 0) villages[u]++;
        for (var f = 0; f < _fp.Facilities.Count; f++) if (_leafUnit[_fp.Facilities.Leaf[f]] is var u and >= 0) facilities[u][(int)_fp.Facilities.Kind[f]]++;
        foreach (var u in _leafUnit) if (u >= 0) leaves[u]++;
        return [.. Enumerable.Range(0, n).Select(u => new UnitTotals(population[u], households[u], villages[u], facilities[u], leaves[u],
            population[u] > 0, households[u] > 0, villages[u] > 0))];
    }

    private SpatialElement[] ElementsOf(Scenario scenario, ScenarioInputs inputs)
    {
        var byId = _fp.Elements.Select((e, i) => (e, i)).ToDictionary(p => p.e.Id, p => p.i, StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<(int Index, SpatialElement Element)>();
        foreach (var key in inputs.InterventionElements.Keys)
            if (!scenario.Interventions.Any(i => i.Id == key && i.Kind is InterventionKind.FibreRoute or InterventionKind.Tower))
                throw new ArgumentException($"the inputs map elements to '{key}', which is no fibre_route or tower intervention of the scenario", nameof(inputs));
        foreach (var intervention in scenario.Interventions)
        {
            if (intervention is not (FibreRouteIntervention or TowerIntervention)) continue;
            if (!inputs.InterventionElements.TryGetValue(intervention.Id, out var ids) || ids.Count == 0)
                throw new ArgumentException($"the inputs give no footprint elements for intervention {intervention.Id}", nameof(inputs));
            foreach (var id in ids)
            {
                if (!byId.TryGetValue(id, out var index))
                    throw new ArgumentException($"element '{id}' of intervention {intervention.Id} is not in the footprint", nameof(inputs));
                if (!owner.TryAdd(id, intervention.Id))
                    throw new ArgumentException($"element '{id}' belongs to both {owner[id]} and {intervention.Id}", nameof(inputs));
                var e = _fp.Elements[index];
                var key = intervention.Id + "/" + id;
                result.Add((index, intervention switch
                {
                    FibreRouteIntervention f when e.Kind == ElementKind.Fibre =>
                        new SpatialElement(e, key, f.Start, f.Completion, f.Delay, f.Duration, e.LengthKm * f.CostPerKm, f.Overrun),
                    TowerIntervention t when e.Kind != ElementKind.Fibre =>
                        new SpatialElement(e, key, t.Start, t.Completion, t.Delay, null, t.CostPerTower, t.Overrun),
                    _ => throw new ArgumentException($"element '{id}' is a {e.Kind} element, not one of intervention {intervention.Id} ({intervention.Kind})", nameof(inputs)),
                }));
            }
        }
        // footprint order, so that a draw applies the elements of one year in a fixed order
        return [.. result.OrderBy(r => r.Index).Select(r => r.Element)];
    }

    /// <summary>
    /// One draw's sampled plan: per element the year it is in service from (int.MaxValue: never) and its cost;
    /// per questionnaire intervention the year it takes effect and its cost; the adoption curve.
    /// </summary>
    private sealed class Plan(int elements, int changes)
    {
        public readonly int[] ElementYear = new int[elements];
        public readonly double[] ElementCost = new double[elements];
        public readonly int[] ChangeYear = new int[changes];
        public readonly double[] ChangeCost = new double[changes];
        public double Rate, Midpoint, Ceiling;
        public bool Adoption;

        public void Never()
        {
            Array.Fill(ElementYear, int.MaxValue);
            Array.Fill(ChangeYear, int.MaxValue);
            Array.Clear(ElementCost);
            Array.Clear(ChangeCost);
            Adoption = false;
        }
    }

    /// <summary>The year in service (or in effect) of work completed <paramref name="months"/> after 1 January of <paramref name="start"/>.</summary>
    internal static int ServiceYear(int start, double months) => start + (int)Math.Floor(months / 12);

    /// <summary>A chunk's random streams, resolved once: per element, per questionnaire change, the adoption's.</summary>
    private sealed record Streams(RandomStream[] Elements, RandomStream[] Changes, RandomStream? Adoption);

    private Streams StreamsOf(SamplingChunk chunk) => new(
        _elements.Select(e => chunk.Random(e.StreamKey)).ToArray(),
        _changes.Select(c => chunk.Random(c.Id)).ToArray(),
        _adoption is { } a ? chunk.Random(a.Id) : null);

    private void Sample(Streams streams, Plan plan)
    {
        for (var i = 0; i < _elements.Length; i++)
        {
            var e = _elements[i];
            var random = streams.Elements[i];
            if (!(random.NextOpenDouble() < e.Completion))
            {
                // never completed: its delay, duration and overrun are not used, but their uniforms are still taken
                Skip(random, e.Duration is null ? 2 : 3);
                plan.ElementYear[i] = int.MaxValue;
                plan.ElementCost[i] = 0;
                continue;
            }
            var months = e.Delay.Sample(random) + (e.Duration?.Sample(random) ?? 0);
            var overrun = e.Overrun.Sample(random);
            plan.ElementYear[i] = ServiceYear(e.Start, months);
            plan.ElementCost[i] = e.UnitCost * overrun;
        }
        for (var i = 0; i < _changes.Length; i++)
        {
            var c = _changes[i];
            var random = streams.Changes[i];
            if (!(random.NextOpenDouble() < c.Completion))
            {
                Skip(random, 2);
                plan.ChangeYear[i] = int.MaxValue;
                plan.ChangeCost[i] = 0;
                continue;
            }
            var months = c.Delay.Sample(random);
            var overrun = c.Overrun.Sample(random);
            plan.ChangeYear[i] = ServiceYear(c.Start, months);
            plan.ChangeCost[i] = c.Cost * overrun;
        }
        plan.Adoption = _adoption is not null;
        if (_adoption is { } a)
        {
            var random = streams.Adoption!;
            plan.Rate = a.Rate.Sample(random);
            plan.Midpoint = a.Midpoint.Sample(random);
            plan.Ceiling = a.Ceiling.Sample(random);
        }
    }

    /// <summary>
    /// Takes the uniforms of <paramref name="samples"/> samples whose values are not used (those of work never
    /// completed): every <see cref="Distribution.Sample"/> takes exactly one, so the stream stays where sampling them
    /// would leave it, and the draws after are the same numbers.
    /// </summary>
    private static void Skip(RandomStream random, int samples)
    {
        for (var k = 0; k < samples; k++) random.NextUInt64();
    }

    public void DrawChunk(SamplingChunk chunk)
    {
        var plan = new Plan(_elements.Length, _changes.Length);
        var state = new DrawState(this);
        var streams = StreamsOf(chunk);
        var ranking = _levelUnits.Select(l => (int[])l.Clone()).ToArray();
        var costAt = _units.Length * _years.Length * _perUnitYear;
        var ml = _ml is { } scoring ? new MlChunk(this, scoring, chunk) : null;
        for (var d = 0; d < chunk.Count; d++)
        {
            Sample(streams, plan);
            ml?.BeginDraw();
            var row = chunk.Outputs(d);
            state.Evaluate(plan, y =>
            {
                var outputs = chunk.Outputs(d);
                for (var u = 0; u < _units.Length; u++)
                {
                    var at = (u * _years.Length + y) * _perUnitYear;
                    outputs[at] = state.Score(u);
                    state.Shares(u).CopyTo(outputs[(at + 1)..]);
                    var pillars = state.Pillars(u);
                    for (var p = 0; p < _pillars; p++) outputs[at + 5 + p] = double.IsNaN(pillars[p]) ? 0 : pillars[p];
                }
                if (ml is not null)
                {
                    ml.Score(state);
                    ml.Write(outputs, y);
                }
                var scores = ml is null ? state.Scores : ml.Scores;
                foreach (var order in ranking)
                    Rank(order, scores, outputs, y);
            });
            CumulativeCosts(plan, row.Slice(costAt, _years.Length));
        }
    }

    /// <summary>
    /// The ranks of one level's units in one year: 1 + the number of units of the level with a strictly higher score
    /// (ties share the better rank). <paramref name="order"/> holds the level's units by descending score of the
    /// previous evaluation and is sorted again by insertion, in O(n) when few scores moved.
    /// </summary>
    private void Rank(int[] order, ReadOnlySpan<double> scores, Span<double> outputs, int y)
    {
        for (var k = 1; k < order.Length; k++)
        {
            var x = order[k];
            var score = scores[x];
            var j = k - 1;
            for (; j >= 0 && scores[order[j]] < score; j--) order[j + 1] = order[j];
            order[j + 1] = x;
        }
        for (var first = 0; first < order.Length;)
        {
            var score = scores[order[first]];
            var end = first;
            for (; end < order.Length && scores[order[end]] == score; end++)
                outputs[(order[end] * _years.Length + y) * _perUnitYear + 4] = first + 1;
            first = end;
        }
    }

    private static CostYear Cost(int year, OutputStatistics c) => new(year, c.Mean, c.StandardError, c.P95);

    /// <summary>The rank distribution: P(rank = k) for k = 1 … the number of units of the level, and P(rank ≤ K).</summary>
    private RankSummary RankOf(int u, OutputStatistics rank)
    {
        var of = _units.Count(x => x.Level == _units[u].Level);
        var distribution = Enumerable.Range(1, of).Select(k => rank.ProbabilityBelow(k + 0.5).Value - rank.ProbabilityBelow(k - 0.5).Value).ToArray();
        var k = Math.Min(_inputs.TopK, of);
        var top = rank.ProbabilityBelow(k + 0.5);
        return new RankSummary(of, rank.Mean, distribution, k, top.Value, top.StandardError);
    }

    /// <summary>
    /// Per result year, the cost of the work in service by then: the elements' costs, then the changes', each in
    /// order and summed from 0 per year, in one pass over the plan (per year the same additions in the same order as
    /// one pass a year, so the same doubles).
    /// </summary>
    private void CumulativeCosts(Plan plan, Span<double> costs)
    {
        var years = _years;
        var last = years[^1];
        costs.Clear();
        for (var i = 0; i < plan.ElementYear.Length; i++)
            if (plan.ElementYear[i] is var year && year <= last)
                for (var y = 0; y < years.Length; y++)
                    if (year <= years[y]) costs[y] += plan.ElementCost[i];
        for (var i = 0; i < plan.ChangeYear.Length; i++)
            if (plan.ChangeYear[i] is var year && year <= last)
                for (var y = 0; y < years.Length; y++)
                    if (year <= years[y]) costs[y] += plan.ChangeCost[i];
    }

    public ScenarioRun Summarise(SamplingResult sampled)
    {
        var baseline = new Plan(_elements.Length, _changes.Length);
        baseline.Never();
        var baselineValues = new BaselineValues[_units.Length, _years.Length];
        var profile = _inputs.Profile;
        var state = new DrawState(this);
        var ml = _ml is { } scoring ? new MlChunk(this, scoring, null) : null;
        state.Evaluate(baseline, y =>
        {
            ml?.Score(state);
            for (var u = 0; u < _units.Length; u++)
                baselineValues[u, y] = new BaselineValues(ml is null ? state.Score(u) : ml.Scores[u],
                    profile.Bands.Levels[ml is null ? state.Band(u) : BandOfScore(ml.Scores[u])].Id,
                    Value(state.Named(u, UnitCountValues.Share4g)), Value(state.Named(u, UnitCountValues.Reach)),
                    Value(state.Named(u, UnitCountValues.Villages)),
                    profile.Pillars.Select((p, i) => new PillarValue(p.Id, Value(state.Pillars(u)[i]))).ToArray());
        });
        var levels = profile.Bands.Levels;
        var results = new List<UnitYearResult>();
        for (var u = 0; u < _units.Length; u++)
            for (var y = 0; y < _years.Length; y++)
            {
                var at = (u * _years.Length + y) * _perUnitYear;
                var score = sampled.Outputs[at];
                var bands = levels.Select(l => BandOf(l, score)).ToArray();
                var b = baselineValues[u, y];
                var next = levels.Select((l, i) => (l, i)).Where(p => p.l.Id == b.Band).Select(p => p.i + 1).Single();
                var totals = _totals[u];
                results.Add(new UnitYearResult(_units[u].Code, _units[u].Name, _years[y], DrawSummary.Of(score),
                    totals.HasPopulation ? DrawSummary.Of(sampled.Outputs[at + 1]) : null,
                    totals.HasHouseholds ? DrawSummary.Of(sampled.Outputs[at + 2]) : null,
                    totals.HasVillages ? DrawSummary.Of(sampled.Outputs[at + 3]) : null,
                    RankOf(u, sampled.Outputs[at + 4]),
                    profile.Pillars.Select((p, i) => new PillarSummary(p.Id, DrawSummary.Of(sampled.Outputs[at + 5 + i]))).ToArray(),
                    bands,
                    next < levels.Count ? levels[next].Id : null,
                    next < levels.Count ? bands[next] : null,
                    b));
            }
        var costAt = _units.Length * _years.Length * _perUnitYear;
        var costs = _years.Select((year, y) => Cost(year, sampled.Outputs[costAt + y])).ToArray();
        var provenance = new RunProvenance(_scenario.Id, _scenario.Version, _scenario.Sha256, profile.Id, profile.Version, profile.Sha256,
            _inputs.Provenance.FootprintHash, _inputs.Provenance.DataVersion, _inputs.Provenance.QuestionnaireVersion);
        return new ScenarioRun(WithScoring(provenance), sampled.Seed, sampled.Draws, sampled.Chunks, _scenario.Sampling.Tolerance, _years, results, costs);
    }

    private static double? Value(double x) => double.IsNaN(x) ? null : x;

    /// <summary>The band's lower edge in score points, with the scorer's 1e-12 slack.</summary>
    private double BandEdge(ReadinessBand band) =>
        _inputs.Profile.Bands.On == BandBasis.Index ? (band.From - 1e-12 - 1) * 25 : band.From - 1e-12;

    /// <summary>P(score reaches the band), counted against the edge as the draws were combined.</summary>
    private BandProbability BandOf(ReadinessBand band, OutputStatistics score)
    {
        var p = band == _inputs.Profile.Bands.Levels[0] ? new Estimate(1, 0) : score.ProbabilityAtLeast(BandEdge(band));
        return new BandProbability(band.Id, band.From, p.Value, p.StandardError);
    }
}
