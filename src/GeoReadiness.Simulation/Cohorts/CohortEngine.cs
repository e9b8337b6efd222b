using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// Monte-Carlo draws of the units' scores: one row per draw, one column per code of <see cref="Codes"/> (e.g. a
/// scenario run's draws of the result year). <see cref="Gain"/>, when given, holds draws of the mentoring gain in the
/// same shape; without it every draw uses the expected gain.
/// </summary>
public sealed record CohortDraws(IReadOnlyList<string> Codes, IReadOnlyList<double[]> Ready, IReadOnlyList<double[]>? Gain = null);

/// <summary>What the engine works on, resolved by the caller (the store, a scenario run, a forecast model).</summary>
/// <param name="Pool">the assessed units a request may choose from</param>
/// <param name="Bands">the profile's readiness bands (their order decides <see cref="CohortConstraints.MinBand"/>)</param>
/// <param name="Outlooks">every pool unit's expected readiness and gain (<see cref="MentoringOutcomes.Outlook"/>)</param>
/// <param name="Reasons">per code, what helped and held the unit back (<see cref="CohortReasons"/>); units without are reported without reasons</param>
/// <param name="Versions">the data and model versions to record, by name</param>
public sealed record CohortInputs(
    IReadOnlyList<CohortUnit> Pool,
    ReadinessBands Bands,
    IReadOnlyList<UnitOutlook> Outlooks,
    CohortDraws? Draws = null,
    IReadOnlyDictionary<string, UnitReasons>? Reasons = null,
    IReadOnlyDictionary<string, string>? Versions = null);

/// <summary>A cohort request that is invalid or cannot be met; <see cref="Problems"/> lists every problem with its path.</summary>
public sealed class CohortValidationException : Exception
{
    public CohortValidationException(IReadOnlyList<ProfileProblem> problems)
        : base("invalid cohort request:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public CohortValidationException() : this([]) { }

    public CohortValidationException(string message) : base(message) => Problems = [];

    public CohortValidationException(string message, Exception inner) : base(message, inner) => Problems = [];

    public IReadOnlyList<ProfileProblem> Problems { get; }
}

/// <summary>
/// Chooses a mentoring cohort (docs/cohorts.md): validates the request, solves the selection exactly on the expected
/// objective values, and with draws solves it again per draw to measure each unit's selection frequency, its P(top-K),
/// the cohort's stability and the borderline units. Pure and deterministic: the same request and inputs give the same
/// result, byte for byte, whatever the number of cores.
/// </summary>
public static class CohortEngine
{
    /// <summary>The result format, recorded in the provenance.</summary>
    public const string Format = "georeadiness/cohort/v1";

    /// <summary>A cohort unit selected in at least this share of draws is stable.</summary>
    public const double StableShare = 0.9;

    /// <summary>A unit outside the cohort selected in at least this share of draws is borderline.</summary>
    public const double BorderlineShare = 0.1;

    /// <summary>How many units outside the cohort are listed as next in line (beyond those the draws make borderline).</summary>
    public const int NextInLine = 3;

    /// <summary>The request checked against the inputs: <see cref="CohortValidator.Validate"/>, plus the scores every eligible unit needs.</summary>
    public static CohortValidation Validate(CohortRequest request, CohortInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var validation = CohortValidator.Validate(request, inputs.Pool, inputs.Bands);
        if (validation.Plan is not { } plan)
            return validation;
        var problems = new List<ProfileProblem>();
        var outlooks = OutlooksByCode(inputs);
        foreach (var u in plan.Eligible)
            if (!outlooks.TryGetValue(u.Code, out var o))
                problems.Add(new ProfileProblem($"pool[{u.Code}]", "no expected score for this unit"));
            else if (!double.IsFinite(o.Ready) || !double.IsFinite(o.Gain))
                problems.Add(new ProfileProblem($"pool[{u.Code}]", "its expected score or gain is not a finite number"));
        if (inputs.Draws is { } draws)
        {
            var columns = draws.Codes.ToHashSet(StringComparer.Ordinal);
            var missing = plan.Eligible.Where(u => !columns.Contains(u.Code)).Select(u => u.Code).ToArray();
            if (missing.Length > 0)
                problems.Add(new ProfileProblem("draws", $"no draws for {missing.Length} eligible unit(s): {string.Join(", ", missing.Take(10))}"));
            if (draws.Ready.Any(r => r.Length != draws.Codes.Count) || draws.Gain?.Any(r => r.Length != draws.Codes.Count) == true)
                problems.Add(new ProfileProblem("draws", $"every draw must have {draws.Codes.Count} values, one per code"));
            if (draws.Gain is { } g && g.Count != draws.Ready.Count)
                problems.Add(new ProfileProblem("draws", $"{g.Count} draws of the gain for {draws.Ready.Count} draws of the score"));
            if (draws.Ready.Any(r => r.Any(v => !double.IsFinite(v))) || draws.Gain?.Any(r => r.Any(v => !double.IsFinite(v))) == true)
                problems.Add(new ProfileProblem("draws", "a drawn value is not a finite number"));
        }
        return problems.Count > 0 ? new CohortValidation(null, problems) : validation;
    }

    /// <summary>Chooses the cohort; a request that is invalid or cannot be met throws <see cref="CohortValidationException"/>.</summary>
    /// <param name="maxDegreeOfParallelism">threads for the draws (null: all cores); the result does not depend on it</param>
    public static CohortResult Select(CohortRequest request, CohortInputs inputs, int? maxDegreeOfParallelism = null)
    {
        var validation = Validate(request, inputs);
        if (validation.Plan is not { } plan)
            throw new CohortValidationException(validation.Problems);
        var eligible = plan.Eligible;
        var n = eligible.Count;
        var outlooks = OutlooksByCode(inputs);
        var ready = eligible.Select(u => outlooks[u.Code].Ready).ToArray();
        var gain = eligible.Select(u => outlooks[u.Code].Gain).ToArray();
        var objective = new CohortObjectiveFunction(request, ready, gain);
        var expected = objective.Values(ready, gain);
        var solver = new CohortSolver(plan.Layout);
        var cohort = solver.Solve(expected) ?? throw new InvalidOperationException("a feasible layout gave no selection");
        var inCohort = new bool[n];
        foreach (var i in cohort.Units)
            inCohort[i] = true;

        var (drawCount, frequency, topK) = inputs.Draws is { } draws
            ? Uncertainty(draws, plan, solver, objective, gain, maxDegreeOfParallelism)
            : (0, null, null);

        var reasons = inputs.Reasons ?? new Dictionary<string, UnitReasons>();
        CohortEntry Entry(int i, int? rank, string? why)
        {
            var u = eligible[i];
            return new CohortEntry(rank, u.Code, u.Name, u.ProvinceCode, IslandGroups.Of(u.ProvinceCode)!.Value, u.ThreeT, u.Band,
                ready[i], gain[i], expected[i], frequency?[i], topK?[i], why, reasons.GetValueOrDefault(u.Code));
        }
        var rankOf = new Dictionary<int, int>();
        var selected = cohort.Units.Select((i, r) =>
        {
            rankOf[i] = r + 1;
            return Entry(i, r + 1, null);
        }).ToArray();
        var borderline = Borderline(n, inCohort, expected, eligible, frequency)
            .Select(b => Entry(b.Unit, rankOf.TryGetValue(b.Unit, out var r) ? r : null, b.Why)).ToArray();
        var units = Enumerable.Range(0, n)
            .Select(i => new UnitChance(eligible[i].Code, inCohort[i], expected[i], frequency?[i], topK?[i])).ToArray();

        var c = request.Constraints ?? new CohortConstraints();
        var layout = plan.Layout;
        var summary = new CohortSummary(request.K, CohortValidator.Wire(request.Objective), request.Weight, cohort.Objective,
            plan.Requested.Count, n, plan.ExcludedMentored, plan.ExcludedBelowBand, cohort.Units.Count(i => eligible[i].ThreeT),
            drawCount, frequency is null ? null : cohort.Units.Count(i => frequency[i] >= StableShare), objective.Normalisation,
            layout.Groups.Select((g, j) => new QuotaCount(g.Group.WireName(),
                cohort.Units.Count(i => layout.Provinces[layout.Units[i].Province].Group == j),
                layout.Units.Count(u => layout.Provinces[u.Province].Group == j), c.MinPerIslandGroup, c.MaxPerIslandGroup)).ToArray(),
            layout.Provinces.Select((p, j) => new QuotaCount(p.Code, cohort.Units.Count(i => layout.Units[i].Province == j),
                layout.Units.Count(u => u.Province == j), c.MinPerProvince, c.MaxPerProvince)).ToArray());
        var versions = new SortedDictionary<string, string>(
            (inputs.Versions ?? new Dictionary<string, string>()).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        return new CohortResult(selected, borderline, units, summary,
            new CohortProvenance(request, request.Sha256(), request.Seed, versions, Format));
    }

    private static Dictionary<string, UnitOutlook> OutlooksByCode(CohortInputs inputs)
    {
        var byCode = new Dictionary<string, UnitOutlook>(StringComparer.Ordinal);
        foreach (var o in inputs.Outlooks)
            if (!byCode.TryAdd(o.Code, o))
                throw new ArgumentException($"two outlooks for unit {o.Code}", nameof(inputs));
        return byCode;
    }

    /// <summary>
    /// Solves the selection once per draw (in parallel; counts are integers, so their sum does not depend on how the
    /// draws are split) and ranks the eligible units per draw by objective alone for P(top-K).
    /// </summary>
    private static (int Draws, double[] Frequency, double[] TopK) Uncertainty(CohortDraws draws, CohortPlan plan,
        CohortSolver solver, CohortObjectiveFunction objective, double[] expectedGain, int? maxDegreeOfParallelism)
    {
        var eligible = plan.Eligible;
        var n = eligible.Count;
        var k = plan.Request.K;
        var column = draws.Codes.Select((c, j) => (c, j)).ToDictionary(x => x.c, x => x.j, StringComparer.Ordinal);
        var columns = eligible.Select(u => column[u.Code]).ToArray();
        var codes = eligible.Select(u => u.Code).ToArray();
        var selectedCount = new long[n];
        var topCount = new long[n];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, draws.Ready.Count, options,
            () => (Selected: new long[n], Top: new long[n], Ready: new double[n], Gain: new double[n], Order: new int[n]),
            (d, _, local) =>
            {
                for (var i = 0; i < n; i++)
                {
                    local.Ready[i] = draws.Ready[d][columns[i]];
                    local.Gain[i] = draws.Gain is { } g ? g[d][columns[i]] : expectedGain[i];
                }
                var values = objective.Values(local.Ready, local.Gain);
                foreach (var i in solver.Solve(values)!.Units)
                    local.Selected[i]++;
                for (var i = 0; i < n; i++)
                    local.Order[i] = i;
                Array.Sort(local.Order, (x, y) => values[y].CompareTo(values[x]) is var c and not 0 ? c : string.CompareOrdinal(codes[x], codes[y]));
                for (var r = 0; r < k; r++)
                    local.Top[local.Order[r]]++;
                return local;
            },
            local =>
            {
                lock (selectedCount)
                    for (var i = 0; i < n; i++)
                    {
                        selectedCount[i] += local.Selected[i];
                        topCount[i] += local.Top[i];
                    }
            });
        var count = draws.Ready.Count;
        return count == 0 ? (0, new double[n], new double[n])
            : (count, selectedCount.Select(s => (double)s / count).ToArray(), topCount.Select(s => (double)s / count).ToArray());
    }

    /// <summary>
    /// The borderline units: cohort units selected in under <see cref="StableShare"/> of draws, outside units selected
    /// in <see cref="BorderlineShare"/> or more, then the <see cref="NextInLine"/> best outside units not yet listed (by
    /// frequency, then objective, then code); cohort units first, each group by frequency then objective.
    /// </summary>
    private static IEnumerable<(int Unit, string Why)> Borderline(int n, bool[] inCohort, double[] objective,
        IReadOnlyList<CohortUnit> eligible, double[]? frequency)
    {
        static string Percent(double share) => $"{100 * share:0.#} %";
        double F(int i) => frequency?[i] ?? 0;
        IOrderedEnumerable<int> Ordered(IEnumerable<int> units) => units.OrderByDescending(F).ThenByDescending(i => objective[i])
            .ThenBy(i => eligible[i].Code, StringComparer.Ordinal);
        var listed = new List<(int, string)>();
        if (frequency is not null)
        {
            listed.AddRange(Ordered(Enumerable.Range(0, n).Where(i => inCohort[i] && frequency[i] < StableShare))
                .Select(i => (i, $"in the cohort, but selected in only {Percent(frequency[i])} of draws")));
            listed.AddRange(Ordered(Enumerable.Range(0, n).Where(i => !inCohort[i] && frequency[i] >= BorderlineShare))
                .Select(i => (i, $"outside the cohort, but selected in {Percent(frequency[i])} of draws")));
        }
        var shown = listed.Select(x => x.Item1).ToHashSet();
        listed.AddRange(Ordered(Enumerable.Range(0, n).Where(i => !inCohort[i] && !shown.Contains(i))).Take(NextInLine)
            .Select(i => (i, frequency is null ? "next in line outside the cohort"
                : $"next in line outside the cohort (selected in {Percent(frequency[i])} of draws)")));
        return listed;
    }
}

/// <summary>The objective values of the units from their readiness and gain (docs/cohorts.md, "Objectives").</summary>
internal sealed class CohortObjectiveFunction
{
    private readonly CohortObjective _objective;
    private readonly double _weight;

    /// <param name="ready">the eligible units' expected readiness, which fixes the blend's scaling</param>
    /// <param name="gain">the eligible units' expected gain, likewise</param>
    public CohortObjectiveFunction(CohortRequest request, double[] ready, double[] gain)
    {
        _objective = request.Objective;
        _weight = request.Weight ?? 1;
        if (_objective == CohortObjective.Blend)
            Normalisation = new BlendNormalisation(Min(ready), Max(ready), Min(gain), Max(gain));
    }

    private static double Min(double[] v) => v.Length == 0 ? 0 : v.Min();

    private static double Max(double[] v) => v.Length == 0 ? 0 : v.Max();

    public BlendNormalisation? Normalisation { get; }

    public double[] Values(double[] ready, double[] gain)
    {
        var values = new double[ready.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = _objective switch
            {
                CohortObjective.MostReady => ready[i],
                CohortObjective.MostToGain => gain[i],
                _ => _weight * Scale(ready[i], Normalisation!.ReadyMin, Normalisation.ReadyMax)
                     + (1 - _weight) * Scale(gain[i], Normalisation.GainMin, Normalisation.GainMax),
            };
        return values;
    }

    private static double Scale(double v, double min, double max) => max > min ? (v - min) / (max - min) : 0;
}
