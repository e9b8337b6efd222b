using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Cohorts;

/// <summary>
/// Explains why no selection meets a layout's quotas: the certificates of docs/cohorts.md ("Infeasibility"), each a
/// counting argument that proves infeasibility on its own and names the constraints it combines; when none applies, the
/// smallest set of constraint families that conflict (found by relaxing one family at a time with the exact solver).
/// </summary>
internal static class CohortInfeasibility
{
    private sealed record Province(string Code, int Eligible, int ThreeT);

    private sealed record Group(IslandGroup Id, Province[] Provinces)
    {
        public string Name => Id.Label().En;
    }

    /// <summary>Every certificate that holds for the layout (empty when none does, e.g. for a feasible layout).</summary>
    public static List<ProfileProblem> Certificates(SelectionLayout layout, CohortConstraints c)
    {
        var result = new List<ProfileProblem>();
        void Add(string path, string message) => result.Add(new ProfileProblem(path, message));
        var k = layout.K;
        var t = c.Min3T ?? 0;
        var minP = c.MinPerProvince ?? 0;
        var minG = c.MinPerIslandGroup ?? 0;
        var maxP = c.MaxPerProvince ?? int.MaxValue;
        var maxG = c.MaxPerIslandGroup ?? int.MaxValue;
        var provinces = layout.Provinces.Select((p, i) => new Province(p.Code,
            layout.Units.Count(u => u.Province == i), layout.Units.Count(u => u.Province == i && u.ThreeT))).ToArray();
        var groups = layout.Groups.Select((g, j) => new Group(g.Group,
            provinces.Where((_, i) => layout.Provinces[i].Group == j).ToArray())).ToArray();
        var eligible3T = provinces.Sum(p => p.ThreeT);

        if (t > k)
            Add("constraints.min3T", $"min3T {t} > k {k}");
        else if (t > eligible3T)
            Add("constraints.min3T", $"min3T {t} but only {eligible3T} eligible 3T unit{S(eligible3T)}");

        var short_ = provinces.Where(p => p.Eligible < minP).ToArray();
        if (short_.Length > 0)
            Add("constraints.minPerProvince", short_.Length == 1
                ? $"minPerProvince {minP} but province {short_[0].Code} has {short_[0].Eligible} eligible unit{S(short_[0].Eligible)}"
                : $"minPerProvince {minP} but {short_.Length} provinces have fewer eligible units: "
                  + string.Join(", ", short_.Select(p => $"{p.Code} ({p.Eligible})")));

        int Capacity(Group g) => g.Provinces.Sum(p => Math.Min(p.Eligible, maxP));
        foreach (var g in groups)
        {
            var cap = Capacity(g);
            if (cap >= minG)
                continue;
            var capped = g.Provinces.Count(p => p.Eligible > maxP);
            var why = capped == 0 ? $"{g.Name} has only {cap} eligible unit{S(cap)}"
                : g.Provinces.All(p => p.Eligible >= maxP) ? $"{g.Name} can give at most maxPerProvince {maxP} × {g.Provinces.Length} province{S(g.Provinces.Length)} = {cap}"
                : $"{g.Name} can give at most {cap}: its eligible units, at most maxPerProvince {maxP} in each of its {g.Provinces.Length} provinces";
            Add("constraints.minPerIslandGroup", $"minPerIslandGroup {minG} but {why}");
        }
        foreach (var g in groups.Where(g => minP * g.Provinces.Length > maxG))
            Add("constraints.maxPerIslandGroup",
                $"minPerProvince {minP} × {g.Provinces.Length} provinces of {g.Name} = {minP * g.Provinces.Length} > maxPerIslandGroup {maxG}");

        var lower = groups.Select(g => Math.Max(minG, minP * g.Provinces.Length)).ToArray();
        if (lower.Sum() > k)
        {
            if (lower.All(l => l == minG))
                Add("constraints.minPerIslandGroup", $"minPerIslandGroup {minG} × {groups.Length} groups = {lower.Sum()} > k {k}");
            else if (groups.All(g => Math.Max(minG, minP * g.Provinces.Length) == minP * g.Provinces.Length))
                Add("constraints.minPerProvince", $"minPerProvince {minP} × {provinces.Length} provinces = {lower.Sum()} > k {k}");
            else
                Add("constraints", $"minPerIslandGroup {minG} and minPerProvince {minP} need at least {lower.Sum()} units ("
                    + string.Join(", ", groups.Select((g, j) => $"{g.Name} {lower[j]}")) + $") > k {k}");
        }

        var upper = groups.Select(g => Math.Min(maxG, Capacity(g))).ToArray();
        var eligible = provinces.Sum(p => p.Eligible);
        if (upper.Sum() < k && eligible >= k)
        {
            var withUnits = provinces.Count(p => p.Eligible > 0);
            if (c.MaxPerIslandGroup is null && provinces.All(p => p.Eligible == 0 || p.Eligible >= maxP))
                Add("constraints.maxPerProvince", $"maxPerProvince {maxP} × {withUnits} provinces with eligible units = {upper.Sum()} < k {k}");
            else if (upper.All(u => u == maxG))
                Add("constraints.maxPerIslandGroup", $"maxPerIslandGroup {maxG} × {groups.Length} groups = {upper.Sum()} < k {k}");
            else
                Add("constraints", $"at most {upper.Sum()} of the {eligible} eligible units fit under "
                    + $"{Names(c.MaxPerProvince is null ? null : $"maxPerProvince {maxP}", c.MaxPerIslandGroup is null ? null : $"maxPerIslandGroup {maxG}")} ("
                    + string.Join(", ", groups.Select((g, j) => $"{g.Name} {upper[j]}")) + $") < k {k}");
        }

        if (t > 0 && t <= k && t <= eligible3T)
        {
            var upper3T = groups.Sum(g => Math.Min(maxG, g.Provinces.Sum(p => Math.Min(p.ThreeT, maxP))));
            if (upper3T < t)
                Add("constraints.min3T", $"min3T {t} but at most {upper3T} of the {eligible3T} eligible 3T units fit under "
                    + Names(c.MaxPerProvince is null ? null : $"maxPerProvince {maxP}", c.MaxPerIslandGroup is null ? null : $"maxPerIslandGroup {maxG}"));
            else
            {
                // the places the minimums force onto units that are not 3T
                var forced = groups.Sum(g => Math.Max(0, Math.Max(
                    g.Provinces.Sum(p => Math.Max(0, minP - Math.Min(p.ThreeT, maxP))),
                    minG - Math.Min(maxG, g.Provinces.Sum(p => Math.Min(p.ThreeT, maxP))))));
                if (forced > 0 && k - forced < t)
                    Add("constraints.min3T", $"min3T {t} but under {Names(c.MinPerProvince is > 0 ? $"minPerProvince {minP}" : null, c.MinPerIslandGroup is > 0 ? $"minPerIslandGroup {minG}" : null)}, "
                        + $"{forced} of the k {k} places go to units that are not 3T, leaving {k - forced}");
            }
        }
        return result;
    }

    /// <summary>The certificates, or when none holds the smallest conflicting set of constraint families (the layout must be infeasible).</summary>
    public static IReadOnlyList<ProfileProblem> Explain(SelectionLayout layout, CohortConstraints c)
    {
        var certificates = Certificates(layout, c);
        if (certificates.Count > 0)
            return certificates;
        var families = new List<string>();
        if (c.MinPerProvince is > 0) families.Add("minPerProvince");
        if (c.MaxPerProvince is not null) families.Add("maxPerProvince");
        if (c.MinPerIslandGroup is > 0) families.Add("minPerIslandGroup");
        if (c.MaxPerIslandGroup is not null) families.Add("maxPerIslandGroup");
        if (c.Min3T is > 0) families.Add("min3T");
        // deletion filter: drop a family when the others still conflict without it; what remains is a minimal conflict
        foreach (var f in families.ToArray())
        {
            var without = families.Where(x => x != f).ToArray();
            if (!new CohortSolver(Relax(layout, without)).IsFeasible())
                families.Remove(f);
        }
        string Value(string f) => f switch
        {
            "minPerProvince" => $"minPerProvince {c.MinPerProvince}",
            "maxPerProvince" => $"maxPerProvince {c.MaxPerProvince}",
            "minPerIslandGroup" => $"minPerIslandGroup {c.MinPerIslandGroup}",
            "maxPerIslandGroup" => $"maxPerIslandGroup {c.MaxPerIslandGroup}",
            _ => $"min3T {c.Min3T}",
        };
        var named = families.Select(Value).Prepend($"k {layout.K}").ToArray();
        return [new ProfileProblem("constraints", $"{Names(named)} cannot hold together: no selection of the {layout.Units.Count} eligible units "
            + "meets them all, and dropping any one of the constraints makes one possible")];
    }

    /// <summary>The layout with only the named constraint families in force.</summary>
    private static SelectionLayout Relax(SelectionLayout layout, IReadOnlyCollection<string> keep) => layout with
    {
        Provinces = layout.Provinces.Select(p => p with
        {
            Min = keep.Contains("minPerProvince") ? p.Min : 0,
            Max = keep.Contains("maxPerProvince") ? p.Max : int.MaxValue,
        }).ToArray(),
        Groups = layout.Groups.Select(g => g with
        {
            Min = keep.Contains("minPerIslandGroup") ? g.Min : 0,
            Max = keep.Contains("maxPerIslandGroup") ? g.Max : int.MaxValue,
        }).ToArray(),
        Min3T = keep.Contains("min3T") ? layout.Min3T : 0,
    };

    private static string S(int n) => n == 1 ? "" : "s";

    private static string Names(params string?[] names)
    {
        var list = names.Where(n => n is not null).ToArray();
        return list.Length <= 1 ? list.FirstOrDefault() ?? "the quotas"
            : string.Join(", ", list[..^1]) + " and " + list[^1];
    }
}
