using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>A valid request resolved against the pool: the eligible units and the selection problem they form.</summary>
/// <param name="Requested">the units asked for, in code order</param>
/// <param name="Eligible">the requested units that pass the eligibility rules, in code order (= <see cref="SelectionLayout.Units"/> order)</param>
public sealed record CohortPlan(
    CohortRequest Request,
    IReadOnlyList<CohortUnit> Requested,
    IReadOnlyList<CohortUnit> Eligible,
    SelectionLayout Layout,
    int ExcludedMentored,
    int ExcludedBelowBand);

/// <summary>The plan when the request is valid and feasible, else null and every problem found (paths as in docs/cohorts.md).</summary>
public sealed record CohortValidation(CohortPlan? Plan, IReadOnlyList<ProfileProblem> Problems);

/// <summary>
/// Checks a <see cref="CohortRequest"/> against the assessed pool, collecting every problem with its path (<c>k</c>,
/// <c>weight</c>, <c>units[3]</c>, <c>constraints.min3T</c>, …). Infeasibility is decided exactly (the solver finds no
/// selection) and then explained by the most specific certificates that hold (docs/cohorts.md, "Infeasibility").
/// </summary>
public static class CohortValidator
{
    public static CohortValidation Validate(CohortRequest request, IReadOnlyList<CohortUnit> pool, ReadinessBands bands)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(bands);
        var problems = new List<ProfileProblem>();
        void Problem(string path, string message) => problems.Add(new ProfileProblem(path, message));
        var c = request.Constraints ?? new CohortConstraints();

        if (request.K < 1)
            Problem("k", $"must be at least 1 (got {request.K})");
        if (request.Objective == CohortObjective.Blend)
        {
            if (request.Weight is not { } w)
                Problem("weight", "missing: the blend objective needs the weight 0–1 of readiness (1 − weight: of gain)");
            else if (!(w is >= 0 and <= 1))
                Problem("weight", $"must be between 0 and 1 (got {w})");
        }
        else if (request.Weight is not null)
            Problem("weight", $"only the blend objective takes a weight (objective is {Wire(request.Objective)})");

        foreach (var (name, value) in new[] { ("minPerProvince", c.MinPerProvince), ("maxPerProvince", c.MaxPerProvince),
                     ("minPerIslandGroup", c.MinPerIslandGroup), ("maxPerIslandGroup", c.MaxPerIslandGroup), ("min3T", c.Min3T) })
            if (value < 0)
                Problem($"constraints.{name}", $"must be ≥ 0 (got {value})");
        if (c.MinPerProvince > c.MaxPerProvince)
            Problem("constraints.minPerProvince", $"minPerProvince {c.MinPerProvince} > maxPerProvince {c.MaxPerProvince}");
        if (c.MinPerIslandGroup > c.MaxPerIslandGroup)
            Problem("constraints.minPerIslandGroup", $"minPerIslandGroup {c.MinPerIslandGroup} > maxPerIslandGroup {c.MaxPerIslandGroup}");

        var bandIds = bands.Levels.Select(l => l.Id).ToList();
        var minBand = 0;
        if (c.MinBand is { } mb && (minBand = bandIds.IndexOf(mb)) < 0)
            Problem("constraints.minBand", $"unknown band '{mb}' (the profile's bands, lowest first: {string.Join(", ", bandIds)})");

        var byCode = new Dictionary<string, CohortUnit>(StringComparer.Ordinal);
        foreach (var u in pool)
            if (!byCode.TryAdd(u.Code, u))
                throw new ArgumentException($"unit {u.Code} appears twice in the pool", nameof(pool));
        var requested = new List<CohortUnit>();
        if (request.Units is null)
            requested.AddRange(pool);
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Units.Count; i++)
            {
                var code = request.Units[i];
                if (!byCode.TryGetValue(code ?? "", out var u))
                    Problem($"units[{i}]", $"unknown unit '{code}': not in the assessed pool");
                else if (!seen.Add(code!))
                    Problem($"units[{i}]", $"duplicate unit '{code}'");
                else
                    requested.Add(u);
            }
        }
        requested.Sort((x, y) => string.CompareOrdinal(x.Code, y.Code));
        if (requested.Count == 0 && request.Units is not null && problems.Count == 0)
            Problem("units", "no units to choose from");
        foreach (var u in requested)
        {
            if (IslandGroups.Of(u.ProvinceCode) is null)
                Problem($"pool[{u.Code}].provinceCode", $"province '{u.ProvinceCode}' is in no island group (Kemendagri codes 11–21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–97)");
            if (!bandIds.Contains(u.Band))
                Problem($"pool[{u.Code}].band", $"'{u.Band}' is not a band of the profile ({string.Join(", ", bandIds)})");
        }
        if (problems.Count > 0)
            return new CohortValidation(null, problems);

        var mentored = requested.Count(u => c.ExcludeMentored && u.MentoredBefore);
        var belowBand = requested.Count(u => !(c.ExcludeMentored && u.MentoredBefore) && bandIds.IndexOf(u.Band) < minBand);
        var eligible = requested.Where(u => !(c.ExcludeMentored && u.MentoredBefore) && bandIds.IndexOf(u.Band) >= minBand).ToArray();
        if (request.K > eligible.Length)
        {
            var why = new List<string>();
            if (mentored > 0) why.Add($"{mentored} mentored before");
            if (belowBand > 0) why.Add($"{belowBand} below band {c.MinBand}");
            Problem("k", $"k {request.K} but only {eligible.Length} eligible units ({requested.Count} requested"
                + (why.Count > 0 ? "; " + string.Join(", ", why) + " left out" : "") + ")");
            return new CohortValidation(null, problems);
        }

        var layout = LayoutOf(request.K, c, requested, eligible);
        if (!new CohortSolver(layout).IsFeasible())
            return new CohortValidation(null, CohortInfeasibility.Explain(layout, c));
        return new CohortValidation(new CohortPlan(request, requested, eligible, layout, mentored, belowBand), []);
    }

    /// <summary>The selection problem: the eligible units, every province and island group of the requested units with their bounds.</summary>
    internal static SelectionLayout LayoutOf(int k, CohortConstraints c, IReadOnlyList<CohortUnit> requested, IReadOnlyList<CohortUnit> eligible)
    {
        var provinceCodes = requested.Select(u => u.ProvinceCode).Distinct().Order(StringComparer.Ordinal).ToArray();
        var groups = provinceCodes.Select(p => IslandGroups.Of(p)!.Value).Distinct().Order().ToArray();
        var provinces = provinceCodes.Select(p => new SolverProvince(p, Array.IndexOf(groups, IslandGroups.Of(p)!.Value),
            c.MinPerProvince ?? 0, c.MaxPerProvince ?? int.MaxValue)).ToArray();
        var units = eligible.Select(u => new SolverUnit(u.Code, Array.IndexOf(provinceCodes, u.ProvinceCode), u.ThreeT)).ToArray();
        return new SelectionLayout(units, provinces,
            groups.Select(g => new SolverGroup(g, c.MinPerIslandGroup ?? 0, c.MaxPerIslandGroup ?? int.MaxValue)).ToArray(),
            k, c.Min3T ?? 0);
    }

    internal static string Wire(CohortObjective o) => o switch
    {
        CohortObjective.MostReady => "most_ready",
        CohortObjective.MostToGain => "most_to_gain",
        _ => "blend",
    };
}
