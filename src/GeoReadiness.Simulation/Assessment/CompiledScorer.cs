namespace GeoReadiness.Simulation.Assessment;

/// <summary>The figures <see cref="CompiledScorer.Score"/> gives: those of <see cref="UnitAssessment"/> without the explanation.</summary>
/// <param name="Score">as <see cref="UnitAssessment.Score"/></param>
/// <param name="Index">as <see cref="UnitAssessment.Index"/></param>
/// <param name="Band">the position of <see cref="UnitAssessment.Band"/> in the profile's band levels</param>
public readonly record struct CompiledScore(double Score, double Index, int Band);

/// <summary>
/// A profile compiled for scoring many units fast (the Monte-Carlo engine scores every unit-year of every draw):
/// inputs by slot instead of by name, no explanation, no allocation per call. Its figures are bit-identical to those
/// of <see cref="ReadinessScorer.Score"/> for the same input (same arithmetic in the same order).
/// </summary>
/// <remarks>
/// Inputs are a <c>double[]</c> of <see cref="InputCount"/> slots: the questionnaire fields the profile reads
/// (<see cref="QuestionnaireFields"/>, slots 0 …) then the spatial names it reads (<see cref="SpatialNames"/>);
/// NaN marks an unanswered field or an unavailable or missing spatial value. The compiled scorer is immutable and
/// may be shared between threads; each thread scores with a <see cref="Workspace"/> of its own.
/// </remarks>
public sealed class CompiledScorer
{
    private readonly AssessmentProfile _profile;
    private readonly InputLayout _layout;
    private readonly ProfileIndicator[] _indicators;
    private readonly int[] _order;
    private readonly int[] _pillarOf;
    private readonly int[][] _sourceSlots;
    private readonly Formula?[][] _formulas;
    private readonly double[] _pillarWeights;
    /// <summary>Per indicator, the indicators its formulas read.</summary>
    private readonly int[][] _dependencies;

    private CompiledScorer(AssessmentProfile profile)
    {
        _profile = profile;
        _layout = profile.Inputs;
        _indicators = [.. profile.Indicators];
        _order = profile.EvaluationOrder;
        _pillarOf = profile.PillarOf;
        _sourceSlots = profile.SourceSlots;
        _formulas = _indicators.Select(i => i.Sources.Select(s => s.Compiled).ToArray()).ToArray();
        _pillarWeights = profile.Pillars.Select(p => p.Weight).ToArray();
        _dependencies = _formulas.Select(fs => fs.SelectMany(f => f?.Names ?? []).Where(n => n.Kind == FormulaNameKind.Indicator)
            .Select(n => n.IndicatorIndex).Distinct().ToArray()).ToArray();
    }

    /// <summary>Compiles <paramref name="profile"/>.</summary>
    public static CompiledScorer For(AssessmentProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new CompiledScorer(profile);
    }

    public AssessmentProfile Profile => _profile;

    /// <summary>The number of input slots.</summary>
    public int InputCount => _layout.Count;

    /// <summary>The questionnaire fields the profile reads; field k is slot k.</summary>
    public IReadOnlyList<string> QuestionnaireFields => _layout.Fields;

    /// <summary>The spatial names the profile reads; name k is slot <see cref="QuestionnaireFields"/>.Count + k.</summary>
    public IReadOnlyList<string> SpatialNames => _layout.Spatial;

    /// <summary>Whether a formula reads <c>year</c> (otherwise the year passed to <see cref="Score"/> changes nothing).</summary>
    public bool UsesYear => _profile.UsesYear;

    /// <summary>The slot of a questionnaire field, or −1 when the profile does not read it.</summary>
    public int QuestionnaireSlot(string field) => _layout.SlotOf(SourceKind.Questionnaire, field);

    /// <summary>The slot of a spatial name, or −1 when the profile does not read it.</summary>
    public int SpatialSlot(string name) => _layout.SlotOf(SourceKind.Spatial, name);

    /// <summary>The inputs of <paramref name="input"/> (its questionnaire answers and spatial values) by slot.</summary>
    public double[] InputsOf(AssessmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var slots = new double[InputCount];
        for (var k = 0; k < _layout.Fields.Length; k++)
            slots[k] = input.Questionnaire.TryGetValue(_layout.Fields[k], out var q) ? q : double.NaN;
        for (var k = 0; k < _layout.Spatial.Length; k++)
            slots[_layout.Fields.Length + k] = input.Spatial.TryGetValue(_layout.Spatial[k], out var v) && v.Value is { } x ? x : double.NaN;
        return slots;
    }

    /// <summary>Scratch space for <see cref="Score"/>; one per thread.</summary>
    public Workspace CreateWorkspace() => new(_indicators.Length, _pillarWeights.Length);

    /// <summary>Per-thread scratch space of a <see cref="CompiledScorer"/>.</summary>
    public sealed class Workspace
    {
        internal readonly double[] Raw;
        internal readonly double[] Kept;
        internal readonly double[] Weighted;
        internal readonly SlotScope Scope = new();

        internal Workspace(int indicators, int pillars)
        {
            Raw = new double[indicators];
            Kept = new double[pillars];
            Weighted = new double[pillars];
            Scope.Raw = Raw;
        }

        /// <summary>
        /// The input slots the last <see cref="Score"/> read (bit s for slot s; every bit when a slot ≥ 64 was read).
        /// Scoring is a deterministic function of what it reads, so inputs that differ only in other slots score the
        /// same, bit for bit.
        /// </summary>
        public ulong InputsRead => Scope.Read;

        /// <summary>Whether the last <see cref="Score"/> read <c>year</c>.</summary>
        public bool YearRead => Scope.ReadYear;
    }

    /// <summary>
    /// Scores one unit: the overall score, index and band; each pillar's score in <paramref name="pillarScores"/>
    /// (in profile order; NaN for a pillar without data, where <see cref="GroupScore.Score"/> is null).
    /// </summary>
    /// <param name="inputs">the slots (see the remarks of <see cref="CompiledScorer"/>)</param>
    /// <param name="year">the value of <c>year</c> in formulas</param>
    public CompiledScore Score(double[] inputs, int year, Workspace workspace, Span<double> pillarScores)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        Check(inputs, pillarScores);
        var raw = workspace.Raw;
        var scope = Begin(workspace.Scope, inputs, year);
        foreach (var i in _order)
            raw[i] = Raw(i, scope);
        var kept = workspace.Kept;
        var weighted = workspace.Weighted;
        Array.Clear(kept);
        Array.Clear(weighted);
        for (var i = 0; i < _indicators.Length; i++)
            if (IndicatorScore(i, raw[i]) is { } s)
                Add(i, s, kept, weighted);
        return Aggregate(kept, weighted, pillarScores);
    }

    /// <summary>
    /// What a unit's last <see cref="Rescore"/> found, per indicator: its raw value and score and the input slots it
    /// read. One per unit scored incrementally; not thread-safe.
    /// </summary>
    public sealed class Memory
    {
        internal readonly double[] Raw;
        internal readonly double[] Scores;
        internal readonly bool[] Included;
        internal readonly ulong[] Read;
        internal readonly bool[] ReadYear;
        internal readonly bool[] RawChanged;
        internal readonly double[] Pillars;
        internal readonly double[] Kept;
        internal readonly double[] Weighted;
        internal CompiledScore Result;
        internal bool Valid;
        internal int Year;
        internal ulong ReadAny;
        internal bool ReadYearAny;

        internal Memory(int indicators, int pillars)
        {
            Raw = new double[indicators];
            Scores = new double[indicators];
            Included = new bool[indicators];
            Read = new ulong[indicators];
            ReadYear = new bool[indicators];
            RawChanged = new bool[indicators];
            Pillars = new double[pillars];
            Kept = new double[pillars];
            Weighted = new double[pillars];
        }

        /// <summary>Whether <see cref="Rescore"/> would give the last result again: it has one, and neither an input
        /// it read (a bit of <paramref name="changed"/>) nor, if it read <c>year</c>, the year changed.</summary>
        public bool Holds(ulong changed, int year) => Valid && (changed & ReadAny) == 0 && !(ReadYearAny && year != Year);
    }

    /// <summary>A fresh <see cref="Memory"/> for one unit.</summary>
    public Memory CreateMemory() => new(_indicators.Length, _pillarWeights.Length);

    /// <summary>
    /// Scores one unit again, incrementally: the same figures as <see cref="Score"/>, bit for bit, but only the
    /// indicators that read a changed input (bits of <paramref name="changed"/>, as <see cref="Workspace.InputsRead"/>;
    /// every change since the last call with this memory), the year if they read it, or an indicator whose value
    /// changed are evaluated again; the pillars are aggregated again only when an indicator's value changed.
    /// </summary>
    public CompiledScore Rescore(double[] inputs, int year, ulong changed, Memory memory, Workspace workspace, Span<double> pillarScores)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(workspace);
        Check(inputs, pillarScores);
        var scope = workspace.Scope;
        Begin(scope, inputs, year);
        scope.Raw = memory.Raw;
        var valid = memory.Valid;
        var any = !valid;
        ulong readAny = 0;
        var readYearAny = false;
        foreach (var i in _order)
        {
            var again = !valid || (changed & memory.Read[i]) != 0 || (memory.ReadYear[i] && year != memory.Year);
            foreach (var j in _dependencies[i])
                again |= memory.RawChanged[j];
            memory.RawChanged[i] = false;
            if (again)
            {
                scope.Read = 0;
                scope.ReadYear = false;
                var value = Raw(i, scope);
                memory.Read[i] = scope.Read;
                memory.ReadYear[i] = scope.ReadYear;
                if (!valid || BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(memory.Raw[i]))
                {
                    memory.Raw[i] = value;
                    memory.RawChanged[i] = true;
                    var score = IndicatorScore(i, value);
                    memory.Included[i] = score.HasValue;
                    memory.Scores[i] = score ?? 0;
                    any = true;
                }
            }
            readAny |= memory.Read[i];
            readYearAny |= memory.ReadYear[i];
        }
        scope.Raw = workspace.Raw;
        memory.ReadAny = readAny;
        memory.ReadYearAny = readYearAny;
        memory.Year = year;
        memory.Valid = true;
        if (any)
        {
            Array.Clear(memory.Kept);
            Array.Clear(memory.Weighted);
            for (var i = 0; i < _indicators.Length; i++)
                if (memory.Included[i])
                    Add(i, memory.Scores[i], memory.Kept, memory.Weighted);
            memory.Result = Aggregate(memory.Kept, memory.Weighted, memory.Pillars);
        }
        memory.Pillars.CopyTo(pillarScores);
        return memory.Result;
    }

    private void Check(double[] inputs, Span<double> pillarScores)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length < InputCount)
            throw new ArgumentException($"{InputCount} input slots expected, not {inputs.Length}", nameof(inputs));
        if (pillarScores.Length < _pillarWeights.Length)
            throw new ArgumentException($"room for {_pillarWeights.Length} pillar scores expected", nameof(pillarScores));
    }

    private static SlotScope Begin(SlotScope scope, double[] inputs, int year)
    {
        scope.Inputs = inputs;
        scope.Year = year;
        scope.Read = 0;
        scope.ReadYear = false;
        return scope;
    }

    /// <summary>Indicator <paramref name="i"/>'s raw value: its first source with a value, or NaN.</summary>
    private double Raw(int i, SlotScope scope)
    {
        var value = double.NaN;
        var slots = _sourceSlots[i];
        for (var s = 0; s < slots.Length && double.IsNaN(value); s++)
            value = _formulas[i][s] is { } f ? f.Evaluate(scope) : scope.Input(slots[s]);
        return value;
    }

    /// <summary>The indicator's score 0–100; 0 when missing under policy "zero"; null when left out.</summary>
    private double? IndicatorScore(int i, double raw)
    {
        var ind = _indicators[i];
        return !double.IsNaN(raw) ? ind.Scoring.Apply(raw, ind.Direction).Score
            : ind.Missing == MissingPolicy.Zero ? 0
            : null;
    }

    private void Add(int i, double score, double[] kept, double[] weighted)
    {
        var g = _pillarOf[i];
        var w = _indicators[i].Weight;
        kept[g] += w;
        weighted[g] += w * score;
    }

    /// <summary>Pillar aggregation exactly as <see cref="ReadinessScorer"/>: members left out give their weight to the others.</summary>
    private CompiledScore Aggregate(double[] kept, double[] weighted, Span<double> pillarScores)
    {
        var pillars = _pillarWeights.Length;
        var includedWeight = 0.0;
        for (var g = 0; g < pillars; g++)
            if (kept[g] > 0)
                includedWeight += _pillarWeights[g];
        double overall = 0;
        for (var g = 0; g < pillars; g++)
        {
            var has = kept[g] > 0;
            var effective = has && includedWeight > 0 ? _pillarWeights[g] / includedWeight : 0;
            double? score = has ? Math.Clamp(weighted[g] / kept[g], 0, 100) : null;
            pillarScores[g] = score ?? double.NaN;
            overall += effective * (score ?? 0);
        }
        overall = Math.Clamp(overall, 0, 100);
        var index = 1 + 4 * overall / 100;
        var bands = _profile.Bands;
        var bandValue = bands.On == BandBasis.Index ? index : overall;
        var band = bands.Levels.Count - 1;
        while (band > 0 && !(bands.Levels[band].From <= bandValue + 1e-12))
            band--;
        return new CompiledScore(overall, index, band);
    }
}
