namespace GeoReadiness.Simulation.Cohorts;

/// <summary>A candidate of a selection problem: its code (the tie-breaker), its province and whether it is a 3T region.</summary>
/// <param name="Province">the position of its province in <see cref="SelectionLayout.Provinces"/></param>
public sealed record SolverUnit(string Code, int Province, bool ThreeT);

/// <summary>A province of a selection problem: its island group and how many of its units the selection takes.</summary>
/// <param name="Group">the position of its group in <see cref="SelectionLayout.Groups"/></param>
public sealed record SolverProvince(string Code, int Group, int Min, int Max);

/// <summary>An island group of a selection problem and how many of its units the selection takes.</summary>
public sealed record SolverGroup(IslandGroup Group, int Min, int Max);

/// <summary>
/// The structure of a selection problem: choose exactly <see cref="K"/> of the units, between each province's and each
/// group's minimum and maximum, with at least <see cref="Min3T"/> 3T units. Provinces nest in groups.
/// </summary>
public sealed record SelectionLayout(
    IReadOnlyList<SolverUnit> Units,
    IReadOnlyList<SolverProvince> Provinces,
    IReadOnlyList<SolverGroup> Groups,
    int K,
    int Min3T);

/// <summary>The selected units (positions in <see cref="SelectionLayout.Units"/>, best first) and the sum of their values.</summary>
public sealed record Selection(IReadOnlyList<int> Units, double Objective);

/// <summary>
/// The exact maximiser of the sum of the selected units' values under a <see cref="SelectionLayout"/>'s quotas
/// (docs/cohorts.md, "The solver"), by dynamic programming over (selected count, 3T count) states: within a province,
/// choosing a 3T units and b others means its best a 3T units and best b others; provinces combine within their
/// island group under the province bounds, groups combine under the group bounds, and the answer is the best state
/// with K selected and at least <see cref="SelectionLayout.Min3T"/> of them 3T (the 3T count is capped there).
/// </summary>
/// <remarks>
/// Ties are broken deterministically: units are ordered by value (descending) then code (ordinal), and among
/// selections whose objectives agree within 1e-9 (relative) the one with the smallest sum of positions in that order
/// wins. The result depends only on the layout and the values, not on the order the units were listed in beyond
/// their positions. Immutable after construction and safe to share between threads (every call keeps its own state).
/// </remarks>
public sealed class CohortSolver
{
    private readonly SelectionLayout _layout;
    private readonly int _k;
    private readonly int _t;
    private readonly int[][] _provinceUnits;
    private readonly int[][] _groupProvinces;

    public CohortSolver(SelectionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegative(layout.K);
        _layout = layout;
        _k = layout.K;
        _t = Math.Clamp(layout.Min3T, 0, layout.K + 1);
        _provinceUnits = new int[layout.Provinces.Count][];
        var byProvince = layout.Units.Select((u, i) => (u.Province, i)).ToLookup(x => x.Province, x => x.i);
        for (var p = 0; p < _provinceUnits.Length; p++)
            _provinceUnits[p] = [.. byProvince[p]];
        if (layout.Units.Any(u => u.Province < 0 || u.Province >= layout.Provinces.Count))
            throw new ArgumentException("a unit's province is not in the layout", nameof(layout));
        if (layout.Provinces.Any(p => p.Group < 0 || p.Group >= layout.Groups.Count))
            throw new ArgumentException("a province's group is not in the layout", nameof(layout));
        var byGroup = layout.Provinces.Select((p, i) => (p.Group, i)).ToLookup(x => x.Group, x => x.i);
        _groupProvinces = Enumerable.Range(0, layout.Groups.Count).Select(g => byGroup[g].ToArray()).ToArray();

        // what the groups after each one can still add at least and at most (counts and 3T units): a national state
        // that cannot reach K selected with the 3T minimum met is dropped as soon as it arises
        var groups = _groupProvinces.Length;
        _minAfter = new long[groups];
        _maxAfter = new long[groups];
        _threeTAfter = new long[groups];
        for (var g = groups - 2; g >= 0; g--)
        {
            var next = g + 1;
            var provinces = _groupProvinces[next];
            var bounds = layout.Groups[next];
            long Sum(Func<int, long> of) => provinces.Sum(p => of(p));
            var lower = Math.Max(bounds.Min, Sum(p => layout.Provinces[p].Min));
            var upper = Math.Min(bounds.Max, Sum(p => Math.Min(_provinceUnits[p].Length, (long)layout.Provinces[p].Max)));
            var upper3T = Math.Min(upper, Sum(p => Math.Min(_provinceUnits[p].Count(i => layout.Units[i].ThreeT), (long)layout.Provinces[p].Max)));
            _minAfter[g] = _minAfter[next] + lower;
            _maxAfter[g] = _maxAfter[next] + upper;
            _threeTAfter[g] = _threeTAfter[next] + upper3T;
        }
    }

    private readonly long[] _minAfter;
    private readonly long[] _maxAfter;
    private readonly long[] _threeTAfter;

    public SelectionLayout Layout => _layout;

    /// <summary>Whether any selection meets the layout's quotas (values do not matter for that).</summary>
    public bool IsFeasible() => Solve(new double[_layout.Units.Count]) is not null;

    /// <summary>The best selection for one value per unit (in <see cref="SelectionLayout.Units"/> order), or null when none meets the quotas.</summary>
    public Selection? Solve(ReadOnlySpan<double> values)
    {
        var units = _layout.Units;
        if (values.Length != units.Count)
            throw new ArgumentException($"{values.Length} values for {units.Count} units", nameof(values));
        for (var i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"the value of {units[i].Code} is not a finite number", nameof(values));
        var valueArray = values.ToArray();
        var order = Enumerable.Range(0, units.Count).ToArray();
        Array.Sort(order, (x, y) => valueArray[y].CompareTo(valueArray[x]) is var c and not 0 ? c : string.CompareOrdinal(units[x].Code, units[y].Code));
        var position = new long[units.Count];
        for (var r = 0; r < order.Length; r++)
            position[order[r]] = r;

        var width = _t + 1;
        var states = (_k + 1) * width;
        var national = Table.Start(states);
        var groupBacks = new (int Prev, int GroupState)[_groupProvinces.Length][];
        var provinceStages = new ProvinceStage[_layout.Provinces.Count];
        for (var g = 0; g < _groupProvinces.Length; g++)
        {
            var group = Table.Start(states);
            foreach (var p in _groupProvinces[g])
            {
                var stage = ProvinceStage.For(_provinceUnits[p], units, valueArray, position);
                provinceStages[p] = stage;
                group = AddProvince(group, stage, _layout.Provinces[p], width);
            }
            var bounds = _layout.Groups[g];
            for (var s = 0; s < states; s++)
                if (s / width < bounds.Min || s / width > bounds.Max)
                    group.Value[s] = double.NegativeInfinity;
            (national, groupBacks[g]) = AddGroup(national, group, width);
            for (var st = 0; st < states; st++)
            {
                long count = st / width, threeT = st % width;
                if (count + _minAfter[g] > _k || count + _maxAfter[g] < _k || threeT + _threeTAfter[g] < _t)
                    national.Value[st] = double.NegativeInfinity;
            }
        }

        var final = _k * width + _t;
        if (double.IsNegativeInfinity(national.Value[final]))
            return null;
        var chosen = new List<int>(_k);
        var state = final;
        for (var g = _groupProvinces.Length - 1; g >= 0; g--)
        {
            var (prev, groupState) = groupBacks[g][state];
            var provinces = _groupProvinces[g];
            for (var j = provinces.Length - 1; j >= 0; j--)
            {
                var stage = provinceStages[provinces[j]];
                var (from, a, b) = stage.Back![groupState];
                chosen.AddRange(stage.ThreeT.Take(a));
                chosen.AddRange(stage.Other.Take(b));
                groupState = from;
            }
            state = prev;
        }
        var selected = chosen.OrderBy(i => position[i]).ToArray();
        return new Selection(selected, national.Value[final]);
    }

    /// <summary>Values and position sums per (count, capped 3T count) state; −∞ marks an unreachable state.</summary>
    private sealed record Table(double[] Value, long[] Position)
    {
        /// <summary>No state reachable.</summary>
        public static Table Empty(int states)
        {
            var t = new Table(new double[states], new long[states]);
            Array.Fill(t.Value, double.NegativeInfinity);
            return t;
        }

        /// <summary>Only the state (0 selected, 0 3T) reachable, at value 0.</summary>
        public static Table Start(int states)
        {
            var t = Empty(states);
            t.Value[0] = 0;
            return t;
        }
    }

    /// <summary>A province's 3T units and other units, best first, with prefix sums; <see cref="Back"/> is filled by <see cref="AddProvince"/>.</summary>
    private sealed class ProvinceStage
    {
        public required int[] ThreeT { get; init; }
        public required int[] Other { get; init; }
        public required double[] ThreeTValue { get; init; }
        public required double[] OtherValue { get; init; }
        public required long[] ThreeTPosition { get; init; }
        public required long[] OtherPosition { get; init; }
        public (int From, int A, int B)[]? Back { get; set; }

        public static ProvinceStage For(int[] members, IReadOnlyList<SolverUnit> units, double[] values, long[] position)
        {
            var three = members.Where(i => units[i].ThreeT).OrderBy(i => position[i]).ToArray();
            var other = members.Where(i => !units[i].ThreeT).OrderBy(i => position[i]).ToArray();
            return new ProvinceStage
            {
                ThreeT = three,
                Other = other,
                ThreeTValue = Prefix(three, i => values[i], 0.0, (x, y) => x + y),
                OtherValue = Prefix(other, i => values[i], 0.0, (x, y) => x + y),
                ThreeTPosition = Prefix(three, i => position[i], 0L, (x, y) => x + y),
                OtherPosition = Prefix(other, i => position[i], 0L, (x, y) => x + y),
            };
        }

        private static T[] Prefix<T>(int[] members, Func<int, T> of, T zero, Func<T, T, T> add)
        {
            var sums = new T[members.Length + 1];
            sums[0] = zero;
            for (var j = 0; j < members.Length; j++)
                sums[j + 1] = add(sums[j], of(members[j]));
            return sums;
        }
    }

    private Table AddProvince(Table from, ProvinceStage stage, SolverProvince bounds, int width)
    {
        var states = from.Value.Length;
        var to = Table.Empty(states);
        var back = new (int, int, int)[states];
        var max = Math.Min(bounds.Max, _k);
        for (var s = 0; s < states; s++)
        {
            var v = from.Value[s];
            if (double.IsNegativeInfinity(v))
                continue;
            var c = s / width;
            var m = s % width;
            for (var a = 0; a < stage.ThreeTValue.Length; a++)
                for (var b = 0; b < stage.OtherValue.Length; b++)
                {
                    var n = a + b;
                    if (n > max || c + n > _k)
                        break;
                    if (n < bounds.Min)
                        continue;
                    var target = (c + n) * width + Math.Min(m + a, _t);
                    var value = v + stage.ThreeTValue[a] + stage.OtherValue[b];
                    var position = from.Position[s] + stage.ThreeTPosition[a] + stage.OtherPosition[b];
                    if (Better(value, position, to.Value[target], to.Position[target]))
                    {
                        to.Value[target] = value;
                        to.Position[target] = position;
                        back[target] = (s, a, b);
                    }
                }
        }
        stage.Back = back;
        return to;
    }

    private (Table, (int, int)[]) AddGroup(Table from, Table group, int width)
    {
        var states = from.Value.Length;
        var to = Table.Empty(states);
        var back = new (int, int)[states];
        var reachable = Enumerable.Range(0, states).Where(g => !double.IsNegativeInfinity(group.Value[g])).ToArray();
        for (var s = 0; s < states; s++)
        {
            if (double.IsNegativeInfinity(from.Value[s]))
                continue;
            var c = s / width;
            var m = s % width;
            foreach (var g in reachable)
            {
                var n = g / width;
                if (c + n > _k)
                    break;
                var target = (c + n) * width + Math.Min(m + g % width, _t);
                var value = from.Value[s] + group.Value[g];
                var position = from.Position[s] + group.Position[g];
                if (Better(value, position, to.Value[target], to.Position[target]))
                {
                    to.Value[target] = value;
                    to.Position[target] = position;
                    back[target] = (s, g);
                }
            }
        }
        return (to, back);
    }

    /// <summary>
    /// The tie rule: a larger objective wins; objectives within 1e-9 (relative to the larger, at least 1e-9 absolute)
    /// are equal, and then the smaller sum of positions in the (value, code) order wins.
    /// </summary>
    public static bool Better(double value, long positions, double best, long bestPositions)
    {
        if (double.IsNegativeInfinity(best))
            return true;
        var tolerance = 1e-9 * Math.Max(1, Math.Max(Math.Abs(value), Math.Abs(best)));
        if (value > best + tolerance)
            return true;
        if (value < best - tolerance)
            return false;
        return positions < bestPositions;
    }
}
