using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Documents;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Simulation.Scenarios;

/// <summary>
/// Reads and validates a scenario document (docs/scenarios.md), collecting every problem with the path of its entry
/// (<c>interventions[fibre-nagari].completion.probability</c>). Checks that need the store are not made here but
/// listed as <see cref="StoreCheck"/>s.
/// </summary>
internal sealed partial class ScenarioReader : DocumentReader
{
    private const int MaxHorizon = 50;

    private static readonly Dictionary<string, InterventionKind> Kinds = new(StringComparer.Ordinal)
    {
        ["fibre_route"] = InterventionKind.FibreRoute,
        ["tower"] = InterventionKind.Tower,
        ["staffing"] = InterventionKind.Staffing,
        ["regulation"] = InterventionKind.Regulation,
        ["masterplan"] = InterventionKind.Masterplan,
        ["data_centre"] = InterventionKind.DataCentre,
        ["command_centre"] = InterventionKind.CommandCentre,
        ["application"] = InterventionKind.Application,
        ["adoption"] = InterventionKind.Adoption,
    };

    private readonly List<StoreCheck> _checks = [];
    private int? _baseYear;
    private int? _lastYear;
    private List<string> _units = [];

    [GeneratedRegex("^[a-z0-9]+([-_][a-z0-9]+)*$")]
    private static partial Regex InterventionIdPattern();

    [GeneratedRegex(@"^[+-]\d+(\.\d+)?$")]
    private static partial Regex ChangePattern();

    /// <summary>The wire names of the intervention kinds, as the <c>kind</c> key spells them.</summary>
    public static IReadOnlyCollection<string> KindNames => Kinds.Keys;

    public static ScenarioParseResult Read(string json)
    {
        var (scenario, problems) = ReadDocument(json, new ScenarioReader(), (r, root) => r.ReadRoot(root, json));
        return new ScenarioParseResult(scenario, problems);
    }

    private Scenario? ReadRoot(JsonElement root, string json)
    {
        if (!CheckObject(root, "$", "id", "version", "title", "description", "baseYear", "horizon", "profile", "units",
                "seed", "sampling", "interventions", "scoring", "model", "modelError"))
            return null;
        var id = ReadSlug(root, "id", "id");
        var version = ReadString(root, "version", "version");
        var title = ReadString(root, "title", "title");
        var description = root.TryGetProperty("description", out _) ? ReadString(root, "description", "description", allowEmpty: true) : "";

        _baseYear = ReadInteger(root, "baseYear", "baseYear", QuestionnaireSchema.FirstYear, QuestionnaireSchema.LastYear);
        var horizon = ReadInteger(root, "horizon", "horizon", 1, MaxHorizon);
        if (_baseYear is { } b && horizon is { } h)
        {
            if (b + h > QuestionnaireSchema.LastYear)
                Problem("horizon", $"the last year {b + h} is after {QuestionnaireSchema.LastYear}");
            else
                _lastYear = b + h;
        }

        var profile = root.TryGetProperty("profile", out _) ? ReadSlug(root, "profile", "profile") : AssessmentProfiles.DefaultId;
        if (profile is not null)
            _checks.Add(new StoreCheck(StoreCheckKind.ProfileExists, "profile", profile, null, []));

        var units = ReadUnits(root);
        var seed = ReadSeed(root);
        var sampling = ReadSampling(root);
        var interventions = ReadInterventions(root);
        var scoring = ReadScoring(root);

        if (Problems.Count > 0 || id is null || version is null || title is null || description is null || _baseYear is null
            || horizon is null || profile is null || units is null || seed is null || sampling is null || interventions is null || scoring is null)
            return null;
        return new Scenario(id, version, title, description, _baseYear.Value, horizon.Value, profile, units, seed.Value,
            sampling, interventions, _checks.ToArray(), Sha256Of(json), json)
        {
            Scoring = scoring.Value.Kind, Model = scoring.Value.Model, ModelError = scoring.Value.ModelError,
        };
    }

    private string[]? ReadUnits(JsonElement root)
    {
        if (!root.TryGetProperty("units", out var array))
        {
            Problem("units", "missing");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem("units", "must be a non-empty array of Kemendagri codes");
            return null;
        }
        var codes = new List<string>();
        var index = 0;
        foreach (var e in array.EnumerateArray())
        {
            var path = $"units[{index++}]";
            if (e.ValueKind != JsonValueKind.String || !KemendagriCode.IsValid(e.GetString()))
            {
                Problem(path, "must be a Kemendagri code such as 13 or 13.05");
                continue;
            }
            var code = e.GetString()!;
            if (codes.Contains(code))
                Problem(path, $"duplicate unit '{code}'");
            else if (codes.FirstOrDefault(c => KemendagriCode.IsSelfOrDescendantOf(code, c) || KemendagriCode.IsSelfOrDescendantOf(c, code)) is { } other)
                Problem(path, $"'{code}' and '{other}' overlap (one lies inside the other): list each area once");
            else
            {
                codes.Add(code);
                _checks.Add(new StoreCheck(StoreCheckKind.UnitExists, path, code, null, []));
            }
        }
        _units = codes;
        return codes.Count == index ? codes.ToArray() : null;
    }

    private ulong? ReadSeed(JsonElement root)
    {
        if (!root.TryGetProperty("seed", out var v))
        {
            Problem("seed", "missing (a whole number ≥ 0; the same seed gives the same results)");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetUInt64(out var seed))
        {
            Problem("seed", "must be a whole number ≥ 0");
            return null;
        }
        return seed;
    }

    private SamplingRule? ReadSampling(JsonElement root)
    {
        var d = SamplingRule.Default;
        if (!root.TryGetProperty("sampling", out var s))
            return d;
        if (!CheckObject(s, "sampling", "minDraws", "maxDraws", "tolerance", "chunkSize"))
            return null;
        var min = s.TryGetProperty("minDraws", out _) ? ReadInteger(s, "minDraws", "sampling.minDraws", 2, int.MaxValue) : d.MinDraws;
        var max = s.TryGetProperty("maxDraws", out _) ? ReadInteger(s, "maxDraws", "sampling.maxDraws", 2, int.MaxValue) : d.MaxDraws;
        var tolerance = s.TryGetProperty("tolerance", out _) ? ReadNumber(s, "tolerance", "sampling.tolerance") : d.Tolerance;
        var chunk = s.TryGetProperty("chunkSize", out _) ? ReadInteger(s, "chunkSize", "sampling.chunkSize", 1, int.MaxValue) : d.ChunkSize;
        if (tolerance is <= 0)
        {
            Problem("sampling.tolerance", "must be positive (a standard error, in the headline outputs' unit)");
            tolerance = null;
        }
        if (min is { } a && max is { } b && b < a)
        {
            Problem("sampling.maxDraws", $"maxDraws {b} is less than minDraws {a}");
            return null;
        }
        return min is null || max is null || tolerance is null || chunk is null ? null : new SamplingRule(min.Value, max.Value, tolerance.Value, chunk.Value);
    }

    // ---- interventions ----

    private Intervention[]? ReadInterventions(JsonElement root)
    {
        if (!root.TryGetProperty("interventions", out var array))
        {
            Problem("interventions", "missing (an empty array is a baseline scenario)");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem("interventions", "must be an array");
            return null;
        }
        var result = new List<Intervention>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? adoption = null;
        var index = 0;
        foreach (var e in array.EnumerateArray())
        {
            var path = EntryPath(e, "interventions", index++);
            if (e.ValueKind != JsonValueKind.Object)
            {
                Problem(path, "must be an object");
                continue;
            }
            var id = ReadString(e, "id", path + ".id");
            if (id is not null && !InterventionIdPattern().IsMatch(id))
                Problem(path + ".id", $"'{id}' is not a valid intervention id (lowercase letters and digits, joined by single '-' or '_')");
            if (id is not null && !ids.Add(id))
            {
                Problem(path, $"duplicate intervention id '{id}'");
                continue;
            }
            var kindText = ReadString(e, "kind", path + ".kind");
            if (kindText is null)
                continue;
            if (!Kinds.TryGetValue(kindText, out var kind))
            {
                Problem(path + ".kind", $"unknown intervention kind '{kindText}' (known: {string.Join(", ", Kinds.Keys)})");
                continue;
            }
            if (kind == InterventionKind.Adoption)
            {
                if (adoption is not null)
                    Problem(path, $"a scenario has one adoption curve, and '{adoption}' is already one");
                adoption ??= id;
            }
            var intervention = kind switch
            {
                InterventionKind.FibreRoute => ReadFibre(e, path, id ?? ""),
                InterventionKind.Tower => ReadTower(e, path, id ?? ""),
                InterventionKind.Adoption => ReadAdoption(e, path, id ?? ""),
                _ => (Intervention?)ReadQuestionnaireChange(e, path, id ?? "", kind),
            };
            if (intervention is not null && id is not null)
                result.Add(intervention);
        }
        return index == result.Count ? result.ToArray() : null;
    }

    private int? ReadStart(JsonElement e, string path)
    {
        var start = ReadInteger(e, "start", path + ".start", QuestionnaireSchema.FirstYear, QuestionnaireSchema.LastYear);
        if (start is { } s && _baseYear is { } b && s < b)
            Problem(path + ".start", $"start {s} is before baseYear {b}");
        else if (start is { } t && _lastYear is { } last && t > last)
            Problem(path + ".start", $"start {t} is after the horizon's last year {last}");
        return start;
    }

    /// <summary><c>"completion": {"probability": p}</c>, 1 when left out.</summary>
    private double? ReadCompletion(JsonElement e, string path)
    {
        if (!e.TryGetProperty("completion", out var c))
            return 1;
        var cPath = path + ".completion";
        if (!CheckObject(c, cPath, "probability"))
            return null;
        var p = ReadNumber(c, "probability", cPath + ".probability");
        if (p is < 0 or > 1)
        {
            Problem(cPath + ".probability", $"a probability must lie within 0–1, not {Num(p.Value)}");
            return null;
        }
        return p;
    }

    private double? ReadCost(JsonElement e, string key, string path, bool required)
    {
        if (!required && !e.TryGetProperty(key, out _))
            return 0;
        var cost = ReadNumber(e, key, path + "." + key);
        if (cost is < 0)
        {
            Problem(path + "." + key, $"a cost must not be negative ({Num(cost.Value)} IDR)");
            return null;
        }
        return cost;
    }

    private Distribution? Months(JsonElement e, string key, string path, bool required) =>
        ReadOptionalDistribution(e, key, path, required, 0, "months", 0, double.PositiveInfinity);

    private Distribution? Overrun(JsonElement e, string path) =>
        ReadOptionalDistribution(e, "overrun", path, false, 1, "a cost multiplier", 0, double.PositiveInfinity);

    private FibreRouteIntervention? ReadFibre(JsonElement e, string path, string id)
    {
        CheckObject(e, path, "id", "kind", "start", "geometry", "connect", "planned", "completion", "duration", "delay", "costPerKm", "overrun");
        var start = ReadStart(e, path);
        var route = ReadFibreTarget(e, path);
        var completion = ReadCompletion(e, path);
        var duration = Months(e, "duration", path, required: true);
        var delay = Months(e, "delay", path, required: false);
        var costPerKm = ReadCost(e, "costPerKm", path, required: true);
        var overrun = Overrun(e, path);
        return start is null || route is null || completion is null || duration is null || delay is null || costPerKm is null || overrun is null
            ? null
            : new FibreRouteIntervention(id, start.Value, route, completion.Value, duration, delay, costPerKm.Value, overrun);
    }

    private FibreTarget? ReadFibreTarget(JsonElement e, string path)
    {
        var given = new[] { "geometry", "connect", "planned" }.Where(k => e.TryGetProperty(k, out _)).ToList();
        if (given.Count != 1)
        {
            Problem(path, given.Count == 0
                ? "give the route as one of \"geometry\", \"connect\" or \"planned\""
                : $"give the route as only one of \"geometry\", \"connect\" or \"planned\", not {string.Join(" and ", given)}");
            return null;
        }
        var key = given[0];
        var kPath = path + "." + key;
        var value = e.GetProperty(key);
        switch (key)
        {
            case "geometry":
                var segments = ReadLines(value, kPath);
                if (segments is null)
                    return null;
                _checks.Add(new StoreCheck(StoreCheckKind.GeometryInsideUnits, kPath, null,
                    Geo.Factory.CreateMultiLineString(segments.ToArray()), _units.ToArray()));
                return new DrawnFibre(segments);
            case "connect":
            {
                if (!CheckObject(value, kPath, "villages", "within", "detourFactor"))
                    return null;
                var within = ReadWithin(value, kPath);
                var detour = ReadNumber(value, "detourFactor", kPath + ".detourFactor");
                if (detour is < 1)
                {
                    Problem(kPath + ".detourFactor", $"a detour factor is at least 1 (a route is never shorter than the straight line), not {Num(detour.Value)}");
                    detour = null;
                }
                var (villages, ok) = ReadVillages(value, kPath + ".villages", within);
                return within is null || detour is null || !ok ? null : new ConnectVillages(villages, within, detour.Value);
            }
            default:
            {
                if (!CheckObject(value, kPath, "within"))
                    return null;
                var within = ReadWithin(value, kPath);
                if (within is null)
                    return null;
                _checks.Add(new StoreCheck(StoreCheckKind.PlannedRoutesExist, kPath + ".within", within, null, [within]));
                return new PlannedFibre(within);
            }
        }
    }

    /// <summary>A unit code that is one of the scenario's units or inside one.</summary>
    private string? ReadUnitCode(JsonElement obj, string key, string path)
    {
        var code = ReadString(obj, key, path);
        if (code is null)
            return null;
        if (!KemendagriCode.IsValid(code))
        {
            Problem(path, $"'{code}' is not a Kemendagri code");
            return null;
        }
        if (_units.Count > 0 && !_units.Any(u => KemendagriCode.IsSelfOrDescendantOf(code, u)))
        {
            Problem(path, $"'{code}' is neither one of the scenario's units ({string.Join(", ", _units)}) nor inside one");
            return null;
        }
        _checks.Add(new StoreCheck(StoreCheckKind.UnitExists, path, code, null, []));
        return code;
    }

    private string? ReadWithin(JsonElement obj, string path) => ReadUnitCode(obj, "within", path + ".within");

    private (IReadOnlyList<string>? Villages, bool Ok) ReadVillages(JsonElement obj, string path, string? within)
    {
        if (!obj.TryGetProperty("villages", out var v))
        {
            Problem(path, "missing (a list of village codes, or \"all\")");
            return (null, false);
        }
        if (v.ValueKind == JsonValueKind.String && v.GetString() == "all")
            return (null, true);
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
        {
            Problem(path, "must be \"all\" or a non-empty array of village codes");
            return (null, false);
        }
        var codes = new List<string>();
        var ok = true;
        var index = 0;
        foreach (var c in v.EnumerateArray())
        {
            var cPath = $"{path}[{index++}]";
            var code = c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (!KemendagriCode.IsValid(code) || KemendagriCode.LevelOf(code) != AdminLevel.Village)
                Problem(cPath, "must be a village code such as 13.05.02.2001");
            else if (within is not null && !KemendagriCode.IsSelfOrDescendantOf(code, within))
                Problem(cPath, $"village {code} does not lie inside {within} (\"within\")");
            else if (codes.Contains(code))
                Problem(cPath, $"duplicate village '{code}'");
            else
            {
                codes.Add(code);
                if (within is not null)
                    _checks.Add(new StoreCheck(StoreCheckKind.VillageExists, cPath, code, null, [within]));
                continue;
            }
            ok = false;
        }
        return (codes, ok);
    }

    /// <summary>A GeoJSON LineString or MultiLineString: one segment per line.</summary>
    private List<LineString>? ReadLines(JsonElement g, string path)
    {
        if (!CheckObject(g, path, "type", "coordinates"))
            return null;
        var type = ReadString(g, "type", path + ".type");
        if (type is null)
            return null;
        if (!g.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            Problem(path + ".coordinates", "missing or not an array");
            return null;
        }
        var cPath = path + ".coordinates";
        switch (type)
        {
            case "LineString":
                return ReadLine(coordinates, cPath) is { } line ? [line] : null;
            case "MultiLineString":
                if (coordinates.GetArrayLength() == 0)
                {
                    Problem(cPath, "a MultiLineString needs at least one line");
                    return null;
                }
                return ReadEach(coordinates, cPath, ReadLine);
            default:
                Problem(path + ".type", $"'{type}' is not a route geometry (LineString or MultiLineString)");
                return null;
        }
    }

    private LineString? ReadLine(JsonElement array, string path)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() < 2)
        {
            Problem(path, "a line needs at least two positions [lon, lat]");
            return null;
        }
        var coordinates = ReadEach(array, path, ReadPosition);
        if (coordinates is null)
            return null;
        if (coordinates.All(c => c.Equals2D(coordinates[0])))
        {
            Problem(path, "the line has no length: all its positions are the same point");
            return null;
        }
        return Geo.Factory.CreateLineString(coordinates.ToArray());
    }

    private Coordinate? ReadPosition(JsonElement p, string path)
    {
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() is < 2 or > 3
            || p.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number || !double.IsFinite(x.GetDouble())))
        {
            Problem(path, "a position is [lon, lat] (or [lon, lat, height]) in degrees");
            return null;
        }
        return CheckLonLat(p[0].GetDouble(), p[1].GetDouble(), path);
    }

    private Coordinate? CheckLonLat(double lon, double lat, string path)
    {
        var bounds = Geo.IndonesiaBounds;
        if (bounds.Contains(lon, lat))
            return new Coordinate(lon, lat);
        if (bounds.Contains(lat, lon))
            Problem(path, $"({Num(lon)}, {Num(lat)}) lies outside Indonesia; longitude and latitude look swapped (give [lon, lat])");
        else if (lon is < -180 or > 180 || lat is < -90 or > 90)
            Problem(path, $"({Num(lon)}, {Num(lat)}) is not a longitude/latitude in degrees (EPSG:4326)");
        else
            Problem(path, $"({Num(lon)}, {Num(lat)}) lies outside Indonesia ({Num(bounds.MinX)}–{Num(bounds.MaxX)}° E, {Num(-bounds.MinY)}° S–{Num(bounds.MaxY)}° N)");
        return null;
    }

    private TowerIntervention? ReadTower(JsonElement e, string path, string id)
    {
        CheckObject(e, path, "id", "kind", "start", "points", "upgrade", "completion", "delay", "costPerTower", "overrun");
        var start = ReadStart(e, path);
        var target = ReadTowerTarget(e, path);
        var completion = ReadCompletion(e, path);
        var delay = Months(e, "delay", path, required: false);
        var cost = ReadCost(e, "costPerTower", path, required: true);
        var overrun = Overrun(e, path);
        return start is null || target is null || completion is null || delay is null || cost is null || overrun is null
            ? null
            : new TowerIntervention(id, start.Value, target, completion.Value, delay, cost.Value, overrun);
    }

    private TowerTarget? ReadTowerTarget(JsonElement e, string path)
    {
        var hasPoints = e.TryGetProperty("points", out var points);
        var hasUpgrade = e.TryGetProperty("upgrade", out var upgrade);
        if (hasPoints == hasUpgrade)
        {
            Problem(path, hasPoints ? "give only one of \"points\" and \"upgrade\"" : "give new towers as \"points\" or an \"upgrade\" of existing ones");
            return null;
        }
        if (hasUpgrade)
        {
            var uPath = path + ".upgrade";
            if (!CheckObject(upgrade, uPath, "towers", "add"))
                return null;
            var ids = ReadStrings(upgrade, "towers", uPath + ".towers", "tower id");
            var add = ReadTechnologies(upgrade, "add", uPath + ".add");
            if (ids is null || add is null)
                return null;
            for (var i = 0; i < ids.Count; i++)
                _checks.Add(new StoreCheck(StoreCheckKind.TowerExists, $"{uPath}.towers[{i}]", ids[i], null, _units.ToArray()));
            return new TowerUpgrade(ids, add);
        }
        var pPath = path + ".points";
        if (points.ValueKind != JsonValueKind.Array || points.GetArrayLength() == 0)
        {
            Problem(pPath, "must be a non-empty array of {lon, lat, technologies}");
            return null;
        }
        var towers = ReadEach(points, pPath, ReadNewTower);
        return towers is null ? null : new NewTowers(towers);
    }

    private NewTower? ReadNewTower(JsonElement p, string path)
    {
        if (!CheckObject(p, path, "lon", "lat", "technologies", "radiusMetres"))
            return null;
        var lon = ReadNumber(p, "lon", path + ".lon");
        var lat = ReadNumber(p, "lat", path + ".lat");
        var location = lon is null || lat is null ? null : CheckLonLat(lon.Value, lat.Value, path);
        var technologies = ReadTechnologies(p, "technologies", path + ".technologies");
        var radius = ReadRadius(p, path + ".radiusMetres", technologies);
        if (location is null || technologies is null || radius is null)
            return null;
        var point = Geo.Factory.CreatePoint(location);
        _checks.Add(new StoreCheck(StoreCheckKind.GeometryInsideUnits, path, null, point, _units.ToArray()));
        return new NewTower(point, technologies, radius);
    }

    private List<string>? ReadStrings(JsonElement obj, string key, string path, string what)
    {
        if (!obj.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem(path, $"must be a non-empty array of {what}s");
            return null;
        }
        var values = new List<string>();
        var index = 0;
        foreach (var v in array.EnumerateArray())
        {
            var vPath = $"{path}[{index++}]";
            if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
                Problem(vPath, $"must be a {what}");
            else if (values.Contains(v.GetString()!))
                Problem(vPath, $"duplicate {what} '{v.GetString()}'");
            else
                values.Add(v.GetString()!);
        }
        return values.Count == index ? values : null;
    }

    private List<RadioTechnology>? ReadTechnologies(JsonElement obj, string key, string path)
    {
        var names = ReadStrings(obj, key, path, "technology");
        if (names is null)
            return null;
        var result = new List<RadioTechnology>();
        for (var i = 0; i < names.Count; i++)
            if (IndicatorOptions.TryParseTechnology(names[i], out var t))
                result.Add(t);
            else
                Problem($"{path}[{i}]", $"unknown technology '{names[i]}' (known: {string.Join(", ", Enum.GetValues<RadioTechnology>().Select(IndicatorOptions.TechnologyName))})");
        return result.Count == names.Count ? result.Order().ToList() : null;
    }

    private Dictionary<RadioTechnology, double>? ReadRadius(JsonElement p, string path, List<RadioTechnology>? technologies)
    {
        var result = new Dictionary<RadioTechnology, double>();
        if (!p.TryGetProperty("radiusMetres", out var r))
            return result;
        if (r.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "must be an object {\"4g\": metres, …}");
            return null;
        }
        var ok = true;
        foreach (var kv in r.EnumerateObject())
        {
            var rPath = $"{path}.{kv.Name}";
            var metres = ReadNumber(r, kv.Name, rPath);
            if (!IndicatorOptions.TryParseTechnology(kv.Name, out var t))
                Problem(rPath, $"unknown technology '{kv.Name}'");
            else if (technologies is not null && !technologies.Contains(t))
                Problem(rPath, $"the tower does not offer {kv.Name} (its technologies: {string.Join(", ", technologies.Select(IndicatorOptions.TechnologyName))})");
            else if (metres is <= 0)
                Problem(rPath, $"a radius must be positive, not {Num(metres.Value)}");
            else if (metres is { } m)
            {
                result[t] = m;
                continue;
            }
            ok = false;
        }
        return ok ? result : null;
    }

    private QuestionnaireIntervention? ReadQuestionnaireChange(JsonElement e, string path, string id, InterventionKind kind)
    {
        CheckObject(e, path, "id", "kind", "start", "unit", "changes", "completion", "delay", "cost", "overrun");
        var start = ReadStart(e, path);
        var unit = ReadUnitCode(e, "unit", path + ".unit");
        var changes = ReadChanges(e, path + ".changes");
        var completion = ReadCompletion(e, path);
        var delay = Months(e, "delay", path, required: false);
        var cost = ReadCost(e, "cost", path, required: false);
        var overrun = Overrun(e, path);
        return start is null || unit is null || changes is null || completion is null || delay is null || cost is null || overrun is null
            ? null
            : new QuestionnaireIntervention(id, kind, start.Value, unit, changes, completion.Value, delay, cost.Value, overrun);
    }

    private List<FieldChange>? ReadChanges(JsonElement e, string path)
    {
        if (!e.TryGetProperty("changes", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem(path, "must be a non-empty array of {\"field\", \"change\" | \"set\"}");
            return null;
        }
        var changes = new List<FieldChange>();
        var index = 0;
        foreach (var c in array.EnumerateArray())
        {
            var cPath = $"{path}[{index++}]";
            if (!CheckObject(c, cPath, "field", "change", "set"))
                continue;
            var name = ReadString(c, "field", cPath + ".field");
            if (name is null)
                continue;
            if (!QuestionnaireSchema.TryGetField(name, out var field))
            {
                Problem(cPath + ".field", $"unknown questionnaire field '{name}'");
                continue;
            }
            if (changes.Any(x => x.Field.Name == name))
            {
                Problem(cPath + ".field", $"field '{name}' is already changed by this intervention");
                continue;
            }
            var hasChange = c.TryGetProperty("change", out var change);
            var hasSet = c.TryGetProperty("set", out var set);
            if (hasChange == hasSet)
            {
                Problem(cPath, "give exactly one of \"change\" (e.g. \"+20\") and \"set\"");
                continue;
            }
            var read = hasChange ? ReadRelativeChange(change, cPath + ".change", field) : ReadSet(set, cPath + ".set", field);
            if (read is not null)
                changes.Add(read);
        }
        return changes.Count == index ? changes : null;
    }

    private FieldChange? ReadRelativeChange(JsonElement change, string path, QuestionnaireField field)
    {
        if (field.Type is QuestionnaireFieldType.Boolean or QuestionnaireFieldType.Year)
        {
            Problem(path, $"'{field.Name}' is a {TypeName(field.Type)}: use \"set\"");
            return null;
        }
        var text = change.ValueKind == JsonValueKind.String ? change.GetString()! : "";
        if (!ChangePattern().IsMatch(text))
        {
            Problem(path, "must be a signed number in a string, such as \"+20\" or \"-5\"");
            return null;
        }
        var value = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (field.Type is QuestionnaireFieldType.Count or QuestionnaireFieldType.Level && value != Math.Floor(value))
        {
            Problem(path, $"'{field.Name}' is a {TypeName(field.Type)}: the change must be a whole number");
            return null;
        }
        return new FieldChange(field, FieldChangeOperation.Add, value);
    }

    private FieldChange? ReadSet(JsonElement set, string path, QuestionnaireField field)
    {
        switch (field.Type)
        {
            case QuestionnaireFieldType.Boolean:
                if (set.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    return new FieldChange(field, FieldChangeOperation.Set, set.ValueKind == JsonValueKind.True ? 1 : 0);
                Problem(path, $"'{field.Name}' is a yes/no answer: set true or false");
                return null;
            case QuestionnaireFieldType.Year when set.ValueKind == JsonValueKind.String && set.GetString() == "effective":
                return new FieldChange(field, FieldChangeOperation.SetEffectiveYear, 0);
            default:
                if (set.ValueKind != JsonValueKind.Number || !set.TryGetDouble(out var v) || !double.IsFinite(v))
                {
                    Problem(path, field.Type == QuestionnaireFieldType.Year
                        ? $"'{field.Name}' is a year: set a year or \"effective\" (the year the change takes effect)"
                        : $"'{field.Name}' is a {TypeName(field.Type)}: set a number");
                    return null;
                }
                var (min, max, whole) = field.Type switch
                {
                    QuestionnaireFieldType.Count => (0.0, double.PositiveInfinity, true),
                    QuestionnaireFieldType.Percent => (0.0, 100.0, false),
                    QuestionnaireFieldType.Level => (1.0, 5.0, true),
                    QuestionnaireFieldType.Year => (QuestionnaireSchema.FirstYear, QuestionnaireSchema.LastYear, true),
                    _ => (field.Min ?? double.NegativeInfinity, field.Max ?? double.PositiveInfinity, false),
                };
                if (v < min || v > max || (whole && v != Math.Floor(v)))
                {
                    Problem(path, $"'{field.Name}' is a {TypeName(field.Type)}: {Num(v)} is not {(whole ? "a whole number " : "")}within {Num(min)}–{Num(max)}");
                    return null;
                }
                return new FieldChange(field, FieldChangeOperation.Set, v);
        }
    }

    private static string TypeName(QuestionnaireFieldType type) => type switch
    {
        QuestionnaireFieldType.Count => "count",
        QuestionnaireFieldType.Number => "number",
        QuestionnaireFieldType.Percent => "percentage",
        QuestionnaireFieldType.Boolean => "yes/no answer",
        QuestionnaireFieldType.Year => "year",
        _ => "level 1–5",
    };

    private AdoptionIntervention? ReadAdoption(JsonElement e, string path, string id)
    {
        CheckObject(e, path, "id", "kind", "start", "rate", "midpoint", "ceiling");
        var start = ReadStart(e, path);
        var rate = ReadOptionalDistribution(e, "rate", path, true, 0, "a rate per year", 0, double.PositiveInfinity);
        var midpoint = ReadOptionalDistribution(e, "midpoint", path, true, 0, "years after reach", 0, double.PositiveInfinity);
        var ceiling = ReadOptionalDistribution(e, "ceiling", path, true, 0, "a share 0–1", 0, 1);
        return start is null || rate is null || midpoint is null || ceiling is null
            ? null
            : new AdoptionIntervention(id, start.Value, rate, midpoint, ceiling);
    }

    // ---- distributions ----

    /// <summary>
    /// A distribution under <paramref name="key"/> whose samples must lie within [lower, upper]; a bare number is a
    /// fixed value; when not required and left out, fixed at <paramref name="absent"/>.
    /// </summary>
    private Distribution? ReadOptionalDistribution(JsonElement obj, string key, string parent, bool required, double absent,
        string what, double lower, double upper)
    {
        var path = parent + "." + key;
        if (!obj.TryGetProperty(key, out var d))
        {
            if (!required)
                return Distribution.Certain(absent);
            Problem(path, "missing (a number or a distribution such as {\"dist\": \"triangular\", \"min\": …, \"mode\": …, \"max\": …})");
            return null;
        }
        var dist = ReadDistribution(d, path);
        if (dist is null)
            return null;
        if (dist.Lower < lower || dist.Upper > upper)
        {
            var range = double.IsPositiveInfinity(upper) ? $"≥ {Num(lower)}" : $"within {Num(lower)}–{Num(upper)}";
            Problem(path, $"{what} must be {range}, but this distribution reaches {Num(dist.Lower < lower ? dist.Lower : dist.Upper)}"
                + (dist is NormalDistribution ? " (truncate it with \"min\"/\"max\")" : ""));
            return null;
        }
        return dist;
    }

    private Distribution? ReadDistribution(JsonElement d, string path)
    {
        if (d.ValueKind == JsonValueKind.Number)
        {
            if (d.TryGetDouble(out var v) && double.IsFinite(v))
                return new FixedDistribution(v);
            Problem(path, "must be a finite number");
            return null;
        }
        if (d.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "must be a number or a distribution object with \"dist\"");
            return null;
        }
        var kind = ReadString(d, "dist", path + ".dist");
        switch (kind)
        {
            case "fixed":
            {
                CheckObject(d, path, "dist", "value");
                return ReadNumber(d, "value", path + ".value") is { } v ? new FixedDistribution(v) : null;
            }
            case "uniform":
            {
                CheckObject(d, path, "dist", "min", "max");
                var (min, max) = (ReadNumber(d, "min", path + ".min"), ReadNumber(d, "max", path + ".max"));
                if (min is null || max is null)
                    return null;
                if (max < min)
                {
                    Problem(path + ".max", $"max {Num(max.Value)} is less than min {Num(min.Value)}");
                    return null;
                }
                return new UniformDistribution(min.Value, max.Value);
            }
            case "triangular":
            {
                CheckObject(d, path, "dist", "min", "mode", "max");
                var (min, mode, max) = (ReadNumber(d, "min", path + ".min"), ReadNumber(d, "mode", path + ".mode"), ReadNumber(d, "max", path + ".max"));
                if (min is null || mode is null || max is null)
                    return null;
                if (!(min <= mode && mode <= max))
                {
                    Problem(path + ".mode", $"needs min ≤ mode ≤ max, not {Num(min.Value)}, {Num(mode.Value)}, {Num(max.Value)}");
                    return null;
                }
                return new TriangularDistribution(min.Value, mode.Value, max.Value);
            }
            case "normal":
            {
                CheckObject(d, path, "dist", "mean", "sd", "min", "max");
                var (mean, sd) = (ReadNumber(d, "mean", path + ".mean"), ReadNumber(d, "sd", path + ".sd"));
                var min = d.TryGetProperty("min", out _) ? ReadNumber(d, "min", path + ".min") : null;
                var max = d.TryGetProperty("max", out _) ? ReadNumber(d, "max", path + ".max") : null;
                if (sd is < 0)
                {
                    Problem(path + ".sd", $"a standard deviation must not be negative ({Num(sd.Value)})");
                    return null;
                }
                if (min is { } a && max is { } b && b <= a)
                {
                    Problem(path + ".max", $"the truncation max {Num(b)} must exceed min {Num(a)}");
                    return null;
                }
                if (mean is null || sd is null || (d.TryGetProperty("min", out _) && min is null) || (d.TryGetProperty("max", out _) && max is null))
                    return null;
                var normal = new NormalDistribution(mean.Value, sd.Value, min, max);
                if (!(normal.Mass > 1e-12))
                {
                    Problem(path, $"the truncation interval holds (almost) no probability of normal({Num(mean.Value)}, {Num(sd.Value)})");
                    return null;
                }
                return normal;
            }
            case "lognormal":
                return ReadLogNormal(d, path);
            case "bernoulli":
            {
                CheckObject(d, path, "dist", "p");
                var p = ReadNumber(d, "p", path + ".p");
                if (p is < 0 or > 1)
                {
                    Problem(path + ".p", $"a probability must lie within 0–1, not {Num(p.Value)}");
                    return null;
                }
                return p is null ? null : new BernoulliDistribution(p.Value);
            }
            case null:
                return null;
            default:
                Problem(path + ".dist", $"unknown distribution '{kind}' (fixed, uniform, triangular, normal, lognormal, bernoulli)");
                return null;
        }
    }

    private LogNormalDistribution? ReadLogNormal(JsonElement d, string path)
    {
        CheckObject(d, path, "dist", "mu", "sigma", "median", "p95");
        var byMoments = d.TryGetProperty("mu", out _) || d.TryGetProperty("sigma", out _);
        var byQuantiles = d.TryGetProperty("median", out _) || d.TryGetProperty("p95", out _);
        if (byMoments == byQuantiles)
        {
            Problem(path, "give a lognormal either as {\"mu\", \"sigma\"} (of the logarithm) or as {\"median\", \"p95\"}");
            return null;
        }
        if (byMoments)
        {
            var (mu, sigma) = (ReadNumber(d, "mu", path + ".mu"), ReadNumber(d, "sigma", path + ".sigma"));
            if (sigma is < 0)
            {
                Problem(path + ".sigma", $"sigma must not be negative ({Num(sigma.Value)})");
                return null;
            }
            return mu is null || sigma is null ? null : new LogNormalDistribution(mu.Value, sigma.Value);
        }
        var (median, p95) = (ReadNumber(d, "median", path + ".median"), ReadNumber(d, "p95", path + ".p95"));
        if (median is <= 0)
        {
            Problem(path + ".median", $"a lognormal's median must be positive ({Num(median.Value)})");
            return null;
        }
        if (median is { } m && p95 is { } q && q < m)
        {
            Problem(path + ".p95", $"p95 {Num(q)} is less than the median {Num(m)}");
            return null;
        }
        return median is null || p95 is null ? null : LogNormalDistribution.FromMedianAndP95(median.Value, p95.Value);
    }

    private int? ReadInteger(JsonElement obj, string key, string path, int min, int max)
    {
        var v = ReadNumber(obj, key, path);
        if (v is null)
            return null;
        if (v != Math.Floor(v.Value) || v < min || v > max)
        {
            Problem(path, max == int.MaxValue
                ? $"must be a whole number ≥ {min}, not {Num(v.Value)}"
                : $"must be a whole number within {min}–{max}, not {Num(v.Value)}");
            return null;
        }
        return (int)v.Value;
    }
}
