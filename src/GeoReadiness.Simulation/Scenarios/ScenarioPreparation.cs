using System.Globalization;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;
using SpatialTowerUpgrade = GeoReadiness.Spatial.Scenarios.TowerUpgrade;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// What a scenario run reads besides the store, loaded by the caller: the profile catalogue, the stored questionnaire
/// and the current indicator set's units with its data version.
/// </summary>
public sealed record ScenarioBaseline(ProfileCatalog Profiles, QuestionnaireSnapshot Questionnaire, IReadOnlyList<UnitIndicators> Units, long DataVersion);

/// <summary>Prepared inputs and what the caller should be told about them (e.g. which questionnaire year was used).</summary>
public sealed record PreparedScenario(ScenarioInputs Inputs, IReadOnlyList<string> Notes);

/// <summary>
/// Turns a parsed <see cref="Scenario"/> and the store into the <see cref="ScenarioInputs"/> of
/// <see cref="MonteCarloEngine.Run"/> (docs/scenarios.md, "Preparing a run"): the store checks, the elements of every
/// fibre_route and tower intervention, their footprint, each unit's base-year data and the provenance. It does no I/O
/// itself: the store is read through the caller's <see cref="IScenarioSource"/>.
/// </summary>
public static class ScenarioPreparation
{
    /// <summary>
    /// Makes the scenario's <see cref="Scenario.StoreChecks"/> (<see cref="ScenarioDocuments.CheckStore"/>) against the
    /// catalogue and the store; every failure is a problem at the path of its entry.
    /// </summary>
    public static async Task<IReadOnlyList<ProfileProblem>> CheckStoreAsync(Scenario scenario, ProfileCatalog profiles, IScenarioSource source,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(source);
        var units = new Dictionary<string, AdminUnit?>(StringComparer.Ordinal);
        async Task<AdminUnit?> Unit(string code)
        {
            if (!units.TryGetValue(code, out var unit)) units[code] = unit = await source.FindUnitAsync(code, cancellationToken);
            return unit;
        }
        // One (prepared) union per set of units: a national scenario checks thousands of towers and routes against
        // the same hundreds of units.
        var unions = new Dictionary<string, IPreparedGeometry?>(StringComparer.Ordinal);
        async Task<IPreparedGeometry?> Union(IReadOnlyList<string> codes)
        {
            var key = string.Join('\n', codes);
            if (!unions.TryGetValue(key, out var union))
                unions[key] = union = await UnionAsync(codes, Unit) is { } g ? PreparedGeometryFactory.Prepare(g) : null;
            return union;
        }
        var messages = new Dictionary<StoreCheck, string?>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<Tower>? towers = null;
        foreach (var check in scenario.StoreChecks)
        {
            string? message = null;
            switch (check.Kind)
            {
                case StoreCheckKind.ProfileExists:
                    if (profiles.Resolve(check.Subject, out var error) is null) message = error;
                    break;
                case StoreCheckKind.UnitExists:
                    if (await Unit(check.Subject!) is null) message = $"unit {check.Subject} is not in the store";
                    break;
                case StoreCheckKind.VillageExists:
                    var village = await Unit(check.Subject!);
                    if (village is null) message = $"village {check.Subject} is not in the store";
                    else if (village.Level != AdminLevel.Village) message = $"{check.Subject} is a {village.Level.ToString().ToLowerInvariant()}, not a village";
                    break;
                case StoreCheckKind.PlannedRoutesExist:
                    if (await Unit(check.Subject!) is not null && (await source.RoutesToCompleteAsync(check.Subject!, cancellationToken)).Count == 0)
                        message = $"the store holds no planned or under-construction fibre route in {check.Subject}";
                    break;
                case StoreCheckKind.GeometryInsideUnits:
                    if (await Union(check.Units) is { } union && !union.Covers(check.Geometry))
                        message = $"the geometry is not inside {string.Join(" ∪ ", check.Units)}";
                    break;
                case StoreCheckKind.TowerExists:
                    if (await Union(check.Units) is not { } area) break;
                    towers ??= await source.TowersNearAsync(check.Units, cancellationToken);
                    var tower = towers.FirstOrDefault(t => t.Id == check.Subject);
                    if (tower is null || !area.Covers(tower.Location))
                        message = $"tower '{check.Subject}' is not in the store inside {string.Join(" ∪ ", check.Units)}";
                    break;
            }
            messages[check] = message;
        }
        return ScenarioDocuments.CheckStore(scenario, check => messages[check]);
    }

    /// <summary>The union of the units' geometries; null when one is missing (its UnitExists check reports it).</summary>
    private static async Task<Geometry?> UnionAsync(IReadOnlyList<string> codes, Func<string, Task<AdminUnit?>> unit)
    {
        var geometries = new List<Geometry>();
        foreach (var code in codes)
        {
            if (await unit(code) is not { } u) return null;
            geometries.Add(u.Geometry);
        }
        return geometries.Count == 1 ? geometries[0] : UnaryUnionOp.Union(geometries);
    }

    /// <summary>
    /// The inputs of a run: the store checks first (all failures together), then the elements, the footprint, the
    /// units' base-year data and the provenance.
    /// </summary>
    /// <param name="progress">receives a line per stage</param>
    /// <exception cref="ScenarioValidationException">a store check fails, or a unit lacks data; see its Problems</exception>
    public static async Task<PreparedScenario> PrepareAsync(Scenario scenario, ScenarioBaseline baseline, IScenarioSource source,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(source);
        var problems = new List<ProfileProblem>(await CheckStoreAsync(scenario, baseline.Profiles, source, cancellationToken));
        var notes = new List<string>();
        var units = new List<ScenarioUnitInput>();
        var indicators = baseline.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        for (var i = 0; i < scenario.Units.Count; i++)
        {
            var code = scenario.Units[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"units[{i}]");
            if (!indicators.TryGetValue(code, out var unit))
            {
                if (!problems.Any(p => p.Path == path)) problems.Add(new ProfileProblem(path, $"the current indicator set holds no unit {code}"));
                continue;
            }
            var input = UnitInput(unit, baseline.Questionnaire, scenario.BaseYear, out var note);
            if (input is null) problems.Add(new ProfileProblem(path, note!));
            else
            {
                units.Add(input);
                if (note is not null) notes.Add(note);
            }
        }
        if (problems.Count > 0) throw new ScenarioValidationException(problems);
        var profile = baseline.Profiles.Resolve(scenario.Profile, out _)!;

        progress?.Report("preparing footprint");
        var fibre = new List<FibreElement>();
        var towers = new List<TowerElement>();
        var upgrades = new List<SpatialTowerUpgrade>();
        var elements = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var intervention in scenario.Interventions)
        {
            var path = $"interventions[{intervention.Id}]";
            var ids = new List<string>();
            void Own(string id)
            {
                if (!owner.TryAdd(id, intervention.Id))
                    problems.Add(new ProfileProblem(path, $"element '{id}' belongs to intervention {owner[id]} already (two interventions build the same route or tower)"));
                ids.Add(id);
            }
            switch (intervention)
            {
                case FibreRouteIntervention f:
                    var built = await FibreOfAsync(f, source, cancellationToken);
                    if (built.Count == 0)
                        problems.Add(new ProfileProblem(path, "nothing to build: every village to connect is on fibre already"));
                    foreach (var e in built)
                    {
                        Own(e.Id);
                        fibre.Add(e);
                    }
                    break;
                case TowerIntervention { Target: NewTowers n }:
                    for (var k = 0; k < n.Towers.Count; k++)
                    {
                        var t = n.Towers[k];
                        var e = new TowerElement(string.Create(CultureInfo.InvariantCulture, $"{intervention.Id}:tower-{k}"), t.Location,
                            t.Technologies.ToHashSet(), t.RadiusMetres.Count == 0 ? null : t.RadiusMetres);
                        Own(e.Id);
                        towers.Add(e);
                    }
                    break;
                case TowerIntervention { Target: TowerUpgrade u }:
                    foreach (var tower in u.Towers)
                    {
                        var e = new SpatialTowerUpgrade($"{intervention.Id}:{tower}", tower, u.Add.ToHashSet());
                        Own(e.Id);
                        upgrades.Add(e);
                    }
                    break;
                default:
                    continue;
            }
            elements[intervention.Id] = ids;
        }
        if (problems.Count > 0) throw new ScenarioValidationException(problems);

        var footprint = await source.FootprintAsync(scenario.Units, fibre, towers, upgrades, cancellationToken);
        var provenance = new ScenarioProvenance(footprint.DataVersion.ToString(CultureInfo.InvariantCulture),
            baseline.Questionnaire.Version.ToString(CultureInfo.InvariantCulture), footprint.ContentHash ?? footprint.ComputeHash());
        if (footprint.DataVersion != baseline.DataVersion)
            notes.Add($"the store's data version is {footprint.DataVersion}, the indicator set's {baseline.DataVersion}: the baseline values may be stale");
        return new PreparedScenario(new ScenarioInputs(profile, footprint, elements, units, provenance), notes);
    }

    private static async Task<IReadOnlyList<FibreElement>> FibreOfAsync(FibreRouteIntervention f, IScenarioSource source, CancellationToken ct)
    {
        switch (f.Route)
        {
            case PlannedFibre p:
                return await source.RoutesToCompleteAsync(p.Within, ct);
            case DrawnFibre d:
                return [.. d.Segments.Select((s, k) => new FibreElement(string.Create(CultureInfo.InvariantCulture, $"{f.Id}:segment-{k}"),
                    s.Factory.CreateMultiLineString([s])))];
            case ConnectVillages c:
                var villages = c.Villages ?? [.. (await source.VillagesAsync(c.Within, ct)).Select(v => v.Code)];
                var route = await source.ConnectOfficesAsync(villages, c.DetourFactor, ct);
                return [.. route.Elements.Select(e => e with { Id = $"{f.Id}:{e.Id}" })];
            default:
                throw new NotSupportedException($"fibre target {f.Route.GetType().Name}");
        }
    }

    /// <summary>
    /// A scenario unit's base-year data: its questionnaire answers of <paramref name="baseYear"/>, else of the latest
    /// year before it, else of the earliest year after it (with a <paramref name="note"/> saying which year was used),
    /// and the baseline named values <see cref="IndicatorValues.Of"/> of its indicators. Null, with the reason in
    /// <paramref name="note"/>, when the unit has no questionnaire row at all.
    /// </summary>
    public static ScenarioUnitInput? UnitInput(UnitIndicators unit, QuestionnaireSnapshot questionnaire, int baseYear, out string? note)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(questionnaire);
        var rows = questionnaire.Rows.Where(r => r.Code == unit.Code).ToArray();
        var row = rows.Where(r => r.Year <= baseYear).MaxBy(r => r.Year) ?? rows.Where(r => r.Year > baseYear).MinBy(r => r.Year);
        if (row is null)
        {
            note = $"{unit.Name} ({unit.Code}) has no questionnaire answers (base year {baseYear}); import its row with `georeadiness questionnaire import FILE`";
            return null;
        }
        note = row.Year == baseYear ? null : string.Create(CultureInfo.InvariantCulture,
            $"{unit.Code}: no questionnaire answers for {baseYear}; using those of {row.Year}{(row.Year > baseYear ? " (none earlier)" : "")}");
        return new ScenarioUnitInput(unit.Code, unit.Name, unit.Level, unit.Code.Length >= 2 ? unit.Code[..2] : null, row.Values, IndicatorValues.Of(unit));
    }
}
