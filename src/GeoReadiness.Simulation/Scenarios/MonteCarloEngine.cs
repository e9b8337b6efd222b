using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// The Monte-Carlo engine of what-if scenarios (docs/scenarios.md, "Monte-Carlo runs"). Each draw samples every
/// intervention's completion, timing, overrun and adoption, applies the precomputed footprint year by year (unions of
/// item sets, each item counted once), recomputes the unit's named spatial values by <see cref="IndicatorValues.Of"/>
/// and scores it with <see cref="ReadinessScorer"/>. Pure: no I/O; the result depends only on the scenario, the
/// inputs and the seed.
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
        _leafUnit = new int[_fp.Leaves.Length];
        Array.Fill(_leafUnit, -1);
        for (var k = 0; k < _fp.Leaves.Length; k++)
            _leafUnit[k] = Array.FindIndex(_units, u => Under(_fp.Leaves[k].Code, u.Code));
        for (var u = 0; u < _units.Length; u++)
        {
            var code = _units[u].Code;
            var unsupported = _fp.Unsupported.Where(l => Under(l.Code, code)).ToArray();
            if (unsupported.Length > 0)
                throw new ArgumentException(
                    $"scenario unit {code} has {unsupported.Length} leaves the footprint cannot express as item sets, so its values cannot be recomputed per draw: "
                    + string.Join("; ", unsupported.Take(5).Select(l => $"{l.Code} ({l.Reason})")) + (unsupported.Length > 5 ? "; …" : ""), nameof(inputs));
            if (!_leafUnit.Contains(u))
                throw new ArgumentException($"the footprint holds no leaf of scenario unit {code} (its units: {string.Join(", ", _fp.UnitCodes)})", nameof(inputs));
        }
        _totals = Enumerable.Range(0, _units.Length).Select(Totals).ToArray();
        _elements = ElementsOf(scenario, inputs);
        _changes = scenario.Interventions.OfType<QuestionnaireIntervention>().ToArray();
        _changeUnit = _changes.Select(c => Array.FindIndex(_units, u => u.Code == c.Unit) is var i and >= 0 ? i
            : throw new ArgumentException($"intervention {c.Id} changes the questionnaire of {c.Unit}, which is inside a scenario unit: only the scenario units' own questionnaires are supported", nameof(scenario))).ToArray();
        _adoption = scenario.Interventions.OfType<AdoptionIntervention>().SingleOrDefault();
        _years = [.. scenario.Years];
        _pillars = inputs.Profile.Pillars.Count;
        _perUnitYear = 5 + _pillars;
        var outputs = new List<SampledOutput>();
        foreach (var unit in _units)
            foreach (var y in _years)
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"{unit.Code} {y}");
                outputs.Add(new SampledOutput("score " + at));
                outputs.Add(new SampledOutput("share_4g_pct " + at, Headline: false));
                outputs.Add(new SampledOutput("households_fixed_reach_pct " + at, Headline: false));
                outputs.Add(new SampledOutput("villages_on_fibre_pct " + at, Headline: false));
                outputs.Add(new SampledOutput("rank " + at, Headline: false));
                outputs.AddRange(inputs.Profile.Pillars.Select(p => new SampledOutput($"pillar {p.Id} {at}", Headline: false)));
            }
        outputs.AddRange(_years.Select(y => new SampledOutput(string.Create(CultureInfo.InvariantCulture, $"cost {y}"), Headline: false)));
        Outputs = outputs;
    }

    public IReadOnlyList<SampledOutput> Outputs { get; }

    private static bool Under(string code, string unit) =>
        code == unit || (code.Length > unit.Length && code.StartsWith(unit, StringComparison.Ordinal) && code[unit.Length] == '.');

    private UnitTotals Totals(int u)
    {
        long population = 0, households = 0, villages = 0;
        var facilities = new long[Kinds.Length];
        for (var c = 0; c < _fp.Cells.Count; c++)
            if (_leafUnit[_fp.Cells.Leaf[c]] == u)
            {
                population += _fp.Cells.Population[c];
                households += _fp.Cells.Households[c];
            }
        for (var a = 0; a < _fp.Anchors.Count; a++) if (_leafUnit[_fp.Anchors.Leaf[a]] == u) villages++;
        for (var f = 0; f < _fp.Facilities.Count; f++) if (_leafUnit[_fp.Facilities.Leaf[f]] == u) facilities[(int)_fp.Facilities.Kind[f]]++;
        var leaves = _leafUnit.Count(x => x == u);
        return new UnitTotals(population, households, villages, facilities, leaves, population > 0, households > 0, villages > 0);
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

    private void Sample(SamplingChunk chunk, Plan plan)
    {
        for (var i = 0; i < _elements.Length; i++)
        {
            var e = _elements[i];
            var random = chunk.Random(e.StreamKey);
            var completes = random.NextOpenDouble() < e.Completion;
            var months = e.Delay.Sample(random) + (e.Duration?.Sample(random) ?? 0);
            var overrun = e.Overrun.Sample(random);
            plan.ElementYear[i] = completes ? ServiceYear(e.Start, months) : int.MaxValue;
            plan.ElementCost[i] = completes ? e.UnitCost * overrun : 0;
        }
        for (var i = 0; i < _changes.Length; i++)
        {
            var c = _changes[i];
            var random = chunk.Random(c.Id);
            var completes = random.NextOpenDouble() < c.Completion;
            var months = c.Delay.Sample(random);
            var overrun = c.Overrun.Sample(random);
            plan.ChangeYear[i] = completes ? ServiceYear(c.Start, months) : int.MaxValue;
            plan.ChangeCost[i] = completes ? c.Cost * overrun : 0;
        }
        plan.Adoption = _adoption is not null;
        if (_adoption is { } a)
        {
            var random = chunk.Random(a.Id);
            plan.Rate = a.Rate.Sample(random);
            plan.Midpoint = a.Midpoint.Sample(random);
            plan.Ceiling = a.Ceiling.Sample(random);
        }
    }

    public void DrawChunk(SamplingChunk chunk)
    {
        var plan = new Plan(_elements.Length, _changes.Length);
        var state = new DrawState(this);
        var row = new double[chunk.OutputCount];
        for (var d = 0; d < chunk.Count; d++)
        {
            Sample(chunk, plan);
            state.Evaluate(plan, (u, y, assessment, values) =>
            {
                var at = (u * _years.Length + y) * _perUnitYear;
                row[at] = assessment.Score;
                row[at + 1] = Share(values["share_4g_pct"]);
                row[at + 2] = Share(values["households_fixed_reach_pct"]);
                row[at + 3] = Share(values["villages_on_fibre_pct"]);
                for (var p = 0; p < _pillars; p++) row[at + 5 + p] = assessment.Pillars[p].Score ?? 0;
            });
            Rank(row);
            var costAt = _units.Length * _years.Length * _perUnitYear;
            for (var y = 0; y < _years.Length; y++) row[costAt + y] = CumulativeCost(plan, _years[y]);
            row.CopyTo(chunk.Outputs(d));
        }
    }

    /// <summary>
    /// Each unit's rank in each year among the scenario units of its level: 1 + the number of those units with a
    /// strictly higher score (ties share the better rank).
    /// </summary>
    private void Rank(double[] row)
    {
        for (var y = 0; y < _years.Length; y++)
            for (var u = 0; u < _units.Length; u++)
            {
                var score = row[(u * _years.Length + y) * _perUnitYear];
                var rank = 1;
                for (var v = 0; v < _units.Length; v++)
                    if (_units[v].Level == _units[u].Level && row[(v * _years.Length + y) * _perUnitYear] > score) rank++;
                row[(u * _years.Length + y) * _perUnitYear + 4] = rank;
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

    /// <summary>An output share: 0 where <see cref="IndicatorValues"/> calls it unavailable but the unit has a total
    /// (no fibre in or reaching it yet); outputs of units without a total are not summarised.</summary>
    private static double Share(UnitValue v) => v.Share ?? 0;

    private static double CumulativeCost(Plan plan, int year)
    {
        double cost = 0;
        for (var i = 0; i < plan.ElementYear.Length; i++) if (plan.ElementYear[i] <= year) cost += plan.ElementCost[i];
        for (var i = 0; i < plan.ChangeYear.Length; i++) if (plan.ChangeYear[i] <= year) cost += plan.ChangeCost[i];
        return cost;
    }

    /// <summary>A named value as a share from the counts (null when the total is 0) and as <see cref="IndicatorValues"/> gives it.</summary>
    private readonly record struct UnitValue(double? Share, IndicatorValue Value);

    private delegate void UnitYearSink(int unit, int yearIndex, UnitAssessment assessment, IReadOnlyDictionary<string, UnitValue> values);

    public ScenarioRun Summarise(SamplingResult sampled)
    {
        var baseline = new Plan(_elements.Length, _changes.Length);
        baseline.Never();
        var baselineValues = new BaselineValues[_units.Length, _years.Length];
        new DrawState(this).Evaluate(baseline, (u, y, a, v) => baselineValues[u, y] = new BaselineValues(
            a.Score, a.Band.Id, v["share_4g_pct"].Value.Value, v["households_fixed_reach_pct"].Value.Value, v["villages_on_fibre_pct"].Value.Value,
            a.Pillars.Select(p => new PillarValue(p.Id, p.Score)).ToArray()));
        var profile = _inputs.Profile;
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
        return new ScenarioRun(provenance, sampled.Seed, sampled.Draws, sampled.Chunks, _scenario.Sampling.Tolerance, _years, results, costs);
    }

    /// <summary>P(score reaches the band): the band's lower edge in score points, with the scorer's 1e-12 slack.</summary>
    private BandProbability BandOf(ReadinessBand band, OutputStatistics score)
    {
        var edge = _inputs.Profile.Bands.On == BandBasis.Index ? (band.From - 1e-12 - 1) * 25 : band.From - 1e-12;
        var p = band == _inputs.Profile.Bands.Levels[0] ? new Estimate(1, 0) : score.ProbabilityAtLeast(edge);
        return new BandProbability(band.Id, band.From, p.Value, p.StandardError);
    }
}
