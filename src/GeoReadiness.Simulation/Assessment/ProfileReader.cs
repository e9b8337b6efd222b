using System.Text.Json;
using System.Text.RegularExpressions;
using GeoReadiness.Simulation.Documents;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;

namespace GeoReadiness.Simulation.Assessment;

/// <summary>
/// Reads and validates a profile document, collecting every problem rather than stopping at the first, so one
/// round of edits can fix them all.
/// </summary>
internal sealed partial class ProfileReader : DocumentReader
{
    private const double Tolerance = 1e-9;
    private const int MaxPrecision = 6;

    private static readonly string[] ReservedNames = ["year", "and", "or", "not", "min", "max", "if"];

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex EntryIdPattern();

    public static ProfileParseResult Read(string json)
    {
        var (profile, problems) = ReadDocument(json, new ProfileReader(), (r, root) => r.ReadRoot(root, json));
        return new ProfileParseResult(profile, problems);
    }

    private AssessmentProfile? ReadRoot(JsonElement root, string json)
    {
        if (!CheckObject(root, "$", "id", "version", "title", "description", "weightTotal", "missing",
                "pillars", "dimensions", "bands", "indicators"))
            return null;

        var id = ReadSlug(root, "id", "id");
        var version = ReadString(root, "version", "version");
        var title = ReadText(root, "title", "title");
        var description = ReadText(root, "description", "description");
        var total = ReadNumber(root, "weightTotal", "weightTotal");
        if (total is <= 0)
            Problem("weightTotal", "must be positive");
        var missing = ReadMissing(root, "missing") ?? MissingPolicy.Reweight;

        var pillars = ReadEntries(root, "pillars", (e, p) =>
        {
            var label = ReadText(e, "label", p + ".label");
            var weight = ReadWeight(e, "weight", p + ".weight");
            return label is null || weight is null ? null : new ProfilePillar(e.GetProperty("id").GetString()!, label, weight.Value);
        }, out var pillarIds, "weight");
        var dimensionWeights = new List<double?>();
        var dimensions = ReadEntries(root, "dimensions", (e, p) =>
        {
            var label = ReadText(e, "label", p + ".label");
            double? weight = e.TryGetProperty("weight", out _) ? ReadWeight(e, "weight", p + ".weight") : null;
            dimensionWeights.Add(weight);
            return label is null ? null : new ProfileDimension(e.GetProperty("id").GetString()!, label, weight ?? double.NaN);
        }, out var dimensionIds, "weight");
        var bands = ReadBands(root);

        var indicators = ReadEntries(root, "indicators", (e, p) => ReadIndicator(e, p, missing, pillarIds, dimensionIds),
            out var indicatorIds, "unit", "direction", "source", "scoring", "pillar", "weight", "dimensions", "missing");

        // sums over a list that lost an entry to another problem would only repeat that problem in other words
        var complete = pillars.Count == pillarIds.Count && dimensions.Count == dimensionIds.Count && indicators.Count == indicatorIds.Count;
        if (total is { } t && complete)
        {
            dimensions = ResolveDimensionWeights(dimensions, dimensionWeights, t);
            CheckWeights(t, pillars, dimensions, indicators);
        }
        var order = CheckNames(indicators);

        if (Problems.Count > 0 || id is null || version is null || title is null || description is null || total is null || bands is null || order is null)
            return null;

        return new AssessmentProfile(id, version, title, description,
            Sha256Of(json), json, total.Value, missing,
            pillars, dimensions, indicators, bands, order);
    }

    // ---- entries with ids ----

    private List<T> ReadEntries<T>(JsonElement root, string key, Func<JsonElement, string, T?> read, params string[] extraKeys)
        where T : class => ReadEntries(root, key, read, out _, extraKeys);

    /// <param name="key">the array's path from the document root; its last part is the key in <paramref name="root"/></param>
    /// <param name="ids">every id read, also of entries with other problems, so references to them do not add noise</param>
    private List<T> ReadEntries<T>(JsonElement root, string key, Func<JsonElement, string, T?> read, out HashSet<string> ids,
        params string[] extraKeys)
        where T : class
    {
        var name = key[(key.LastIndexOf('.') + 1)..];
        var result = new List<T>();
        ids = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty(name, out var array))
        {
            Problem(key, "missing");
            return result;
        }
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem(key, "must be a non-empty array");
            return result;
        }
        var kind = name.TrimEnd('s');
        var seen = ids;
        var index = 0;
        foreach (var e in array.EnumerateArray())
        {
            var path = EntryPath(e, key, index++);
            if (!CheckObject(e, path, ["id", "label", .. extraKeys]))
                continue;
            var id = ReadString(e, "id", path + ".id");
            if (id is null)
                continue;
            if (!EntryIdPattern().IsMatch(id))
                Problem(path, $"'{id}' is not a valid {kind} id (lowercase letter, then lowercase letters, digits, '_')");
            if (!seen.Add(id))
            {
                Problem(path, $"duplicate {kind} id '{id}'");
                continue;
            }
            if (read(e, path) is { } item)
                result.Add(item);
        }
        return result;
    }

    private List<ProfileDimension> ResolveDimensionWeights(List<ProfileDimension> dimensions, List<double?> weights, double total)
    {
        if (weights.All(w => w is null))
            return dimensions.Select(d => d with { Weight = total / dimensions.Count }).ToList();
        if (weights.Any(w => w is null))
            Problem("dimensions", "give a weight to every dimension or to none (none: equal shares)");
        return dimensions;
    }

    private ReadinessBands? ReadBands(JsonElement root)
    {
        if (!root.TryGetProperty("bands", out var bands))
        {
            Problem("bands", "missing");
            return null;
        }
        if (!CheckObject(bands, "bands", "on", "levels"))
            return null;
        var on = ReadString(bands, "on", "bands.on");
        BandBasis? basis = on switch
        {
            "score" => BandBasis.Score,
            "index" => BandBasis.Index,
            null => null,
            _ => null,
        };
        if (on is not null && basis is null)
            Problem("bands.on", $"'{on}' is neither \"score\" nor \"index\"");
        var (min, max) = basis == BandBasis.Index ? (1.0, 5.0) : (0.0, 100.0);
        var levels = ReadEntries(bands, "bands.levels", (e, p) =>
        {
            var label = ReadText(e, "label", p + ".label");
            var from = ReadNumber(e, "from", p + ".from");
            return label is null || from is null ? null : new ReadinessBand(e.GetProperty("id").GetString()!, label, from.Value);
        }, "from");
        if (levels.Count > 0 && basis is not null)
        {
            if (levels[0].From != min)
                Problem($"bands.levels[{levels[0].Id}].from", $"the first level must start at {Num(min)}, the lowest {on}");
            for (var i = 1; i < levels.Count; i++)
                if (levels[i].From <= levels[i - 1].From || levels[i].From > max)
                    Problem($"bands.levels[{levels[i].Id}].from",
                        $"levels must ascend within {Num(min)}–{Num(max)}: {Num(levels[i].From)} after {Num(levels[i - 1].From)}");
        }
        return basis is null || levels.Count == 0 ? null : new ReadinessBands(basis.Value, levels);
    }

    // ---- indicators ----

    private ProfileIndicator? ReadIndicator(JsonElement e, string path, MissingPolicy profileMissing,
        HashSet<string> pillarIds, HashSet<string> dimensionIds)
    {
        var id = e.GetProperty("id").GetString()!;
        var label = ReadText(e, "label", path + ".label");
        var unit = ReadString(e, "unit", path + ".unit", allowEmpty: true);
        var directionText = ReadString(e, "direction", path + ".direction");
        IndicatorDirection? direction = directionText switch
        {
            "higher" => IndicatorDirection.Higher,
            "lower" => IndicatorDirection.Lower,
            _ => null,
        };
        if (directionText is not null && direction is null)
            Problem(path + ".direction", $"'{directionText}' is neither \"higher\" nor \"lower\"");
        var sources = ReadSources(e, path + ".source");
        var scoring = direction is null ? null : ReadScoring(e, path + ".scoring", direction.Value);

        var pillar = ReadString(e, "pillar", path + ".pillar");
        if (pillar is not null && !pillarIds.Contains(pillar))
            Problem(path + ".pillar", $"unknown pillar '{pillar}'");
        var weight = ReadWeight(e, "weight", path + ".weight");
        var dims = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (!e.TryGetProperty("dimensions", out var dimsElement))
            Problem(path + ".dimensions", "missing");
        else if (dimsElement.ValueKind != JsonValueKind.Object || !dimsElement.EnumerateObject().Any())
            Problem(path + ".dimensions", "must be an object naming at least one dimension with its weight");
        else
            foreach (var d in dimsElement.EnumerateObject())
            {
                var dPath = $"{path}.dimensions.{d.Name}";
                if (!dimensionIds.Contains(d.Name))
                    Problem(dPath, $"unknown dimension '{d.Name}'");
                else if (ReadWeight(dimsElement, d.Name, dPath) is { } w)
                    dims[d.Name] = w;
            }
        var missing = ReadMissing(e, path + ".missing") ?? profileMissing;

        return label is null || unit is null || direction is null || sources is null || scoring is null
               || pillar is null || !pillarIds.Contains(pillar) || weight is null
            ? null
            : new ProfileIndicator(id, label, unit, direction.Value, sources, scoring, pillar, weight.Value, dims, missing);
    }

    private List<IndicatorSource>? ReadSources(JsonElement e, string path)
    {
        if (!e.TryGetProperty("source", out var array))
        {
            Problem(path, "missing");
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem(path, "must be a non-empty array of alternatives");
            return null;
        }
        var sources = new List<IndicatorSource>();
        var ok = true;
        var index = 0;
        foreach (var s in array.EnumerateArray())
        {
            var sPath = $"{path}[{index++}]";
            if (s.ValueKind != JsonValueKind.Object || s.EnumerateObject().Count() != 1)
            {
                Problem(sPath, "must be an object with exactly one of \"spatial\", \"questionnaire\", \"formula\"");
                ok = false;
                continue;
            }
            var prop = s.EnumerateObject().First();
            var pPath = $"{sPath}.{prop.Name}";
            var reference = ReadString(s, prop.Name, pPath);
            if (reference is null)
            {
                ok = false;
                continue;
            }
            switch (prop.Name)
            {
                case "spatial" when !IndicatorValues.Descriptions.ContainsKey(reference):
                    Problem(pPath, $"unknown spatial value '{reference}' (known: {string.Join(", ", IndicatorValues.Descriptions.Keys.Order(StringComparer.Ordinal))})");
                    ok = false;
                    break;
                case "spatial":
                    sources.Add(new IndicatorSource(SourceKind.Spatial, reference));
                    break;
                case "questionnaire" when !QuestionnaireSchema.TryGetField(reference, out _):
                    Problem(pPath, $"unknown questionnaire field '{reference}'");
                    ok = false;
                    break;
                case "questionnaire":
                    sources.Add(new IndicatorSource(SourceKind.Questionnaire, reference));
                    break;
                case "formula":
                    try
                    {
                        sources.Add(new IndicatorSource(SourceKind.Formula, reference) { Compiled = Formula.Parse(reference) });
                    }
                    catch (FormulaSyntaxException ex)
                    {
                        Problem(pPath, ex.Message);
                        ok = false;
                    }
                    break;
                default:
                    Problem(pPath, "unknown source kind (spatial, questionnaire, formula)");
                    ok = false;
                    break;
            }
        }
        return ok ? sources : null;
    }

    private ScoringRule? ReadScoring(JsonElement e, string path, IndicatorDirection direction)
    {
        if (!e.TryGetProperty("scoring", out var s))
        {
            Problem(path, "missing");
            return null;
        }
        if (!CheckObject(s, path, "kind", "precision", "bands", "worst", "best"))
            return null;
        var precision = 0;
        if (s.TryGetProperty("precision", out var p))
        {
            if (p.ValueKind != JsonValueKind.Number || !p.TryGetInt32(out precision) || precision is < 0 or > MaxPrecision)
            {
                Problem(path + ".precision", $"must be a whole number 0–{MaxPrecision}");
                return null;
            }
        }
        var kind = ReadString(s, "kind", path + ".kind");
        switch (kind)
        {
            case "bands":
                return ReadBandsRule(s, path + ".bands", precision, direction);
            case "linear":
                var worst = ReadNumber(s, "worst", path + ".worst");
                var best = ReadNumber(s, "best", path + ".best");
                if (worst is null || best is null)
                    return null;
                if (direction == IndicatorDirection.Higher ? best <= worst : best >= worst)
                {
                    Problem(path + ".best", $"direction \"{(direction == IndicatorDirection.Higher ? "higher" : "lower")}\" needs best {(direction == IndicatorDirection.Higher ? ">" : "<")} worst ({Num(best.Value)} vs {Num(worst.Value)})");
                    return null;
                }
                return new LinearRule(precision, worst.Value, best.Value);
            case "boolean":
                return new BooleanRule(precision);
            case "maturity":
                return new MaturityRule(precision);
            case null:
                return null;
            default:
                Problem(path + ".kind", $"unknown scoring kind '{kind}' (bands, linear, boolean, maturity)");
                return null;
        }
    }

    private BandsRule? ReadBandsRule(JsonElement s, string path, int precision, IndicatorDirection direction)
    {
        if (!s.TryGetProperty("bands", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            Problem(path, "must be a non-empty array");
            return null;
        }
        var bands = new List<ScoreBand>();
        var count = array.GetArrayLength();
        var index = 0;
        var before = Problems.Count;
        foreach (var b in array.EnumerateArray())
        {
            var bPath = $"{path}[{index}]";
            var last = index++ == count - 1;
            if (!CheckObject(b, bPath, "upTo", "label", "score"))
                continue;
            var label = ReadString(b, "label", bPath + ".label");
            var score = ReadNumber(b, "score", bPath + ".score");
            if (score is < 0 or > 100)
                Problem(bPath + ".score", "must be within 0–100");
            double? upTo = null;
            if (b.TryGetProperty("upTo", out _))
            {
                upTo = ReadNumber(b, "upTo", bPath + ".upTo");
                if (last)
                    Problem(bPath + ".upTo", "the last band is open: leave out upTo");
            }
            else if (!last)
                Problem(bPath + ".upTo", "missing (only the last band is open)");
            if (label is null || score is null)
                continue;
            if (bands.Count > 0 && !last && upTo is { } u && bands[^1].UpTo is { } prev && u <= prev)
                Problem(bPath + ".upTo", $"bands must ascend: {Num(u)} after {Num(prev)}");
            if (bands.Count > 0 && (direction == IndicatorDirection.Higher ? score < bands[^1].Score : score > bands[^1].Score))
                Problem(bPath + ".score",
                    $"direction \"{(direction == IndicatorDirection.Higher ? "higher" : "lower")}\" needs band scores that {(direction == IndicatorDirection.Higher ? "never fall" : "never rise")}: {Num(score.Value)} after {Num(bands[^1].Score)}");
            bands.Add(new ScoreBand(last ? null : upTo, label, score.Value));
        }
        return Problems.Count == before ? new BandsRule(precision, bands) : null;
    }

    // ---- cross-entry checks ----

    private void CheckWeights(double total, List<ProfilePillar> pillars, List<ProfileDimension> dimensions, List<ProfileIndicator> indicators)
    {
        CheckSum("pillars", "pillar weights", pillars.Sum(p => p.Weight), total);
        if (dimensions.Count > 0 && !double.IsNaN(dimensions[0].Weight))
            CheckSum("dimensions", "dimension weights", dimensions.Sum(d => d.Weight), total);
        foreach (var p in pillars)
        {
            var members = indicators.Where(i => i.Pillar == p.Id).ToList();
            if (members.Count == 0)
                Problem($"pillars[{p.Id}]", $"pillar {p.Id} has no indicators");
            else
                CheckSum($"pillars[{p.Id}]", $"indicator weights in pillar {p.Id}", members.Sum(i => i.Weight), total);
        }
        foreach (var d in dimensions)
        {
            var members = indicators.Where(i => i.Dimensions.ContainsKey(d.Id)).ToList();
            if (members.Count == 0)
                Problem($"dimensions[{d.Id}]", $"dimension {d.Id} has no indicators");
            else
                CheckSum($"dimensions[{d.Id}]", $"indicator weights in dimension {d.Id}", members.Sum(i => i.Dimensions[d.Id]), total);
        }
    }

    private void CheckSum(string path, string what, double sum, double total)
    {
        if (Math.Abs(sum - total) > Tolerance)
            Problem(path, $"{what} sum to {Num(sum)}, but weightTotal declares {Num(total)}");
    }

    /// <summary>Binds every formula name, rejects collisions and cycles; returns the evaluation order.</summary>
    private int[]? CheckNames(List<ProfileIndicator> indicators)
    {
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < indicators.Count; i++)
        {
            var id = indicators[i].Id;
            indexOf[id] = i;
            var path = $"indicators[{id}]";
            if (ReservedNames.Contains(id))
                Problem(path, $"'{id}' is reserved in formulas");
            if (QuestionnaireSchema.TryGetField(id, out _))
                Problem(path, $"indicator id '{id}' collides with a questionnaire field");
            if (IndicatorValues.Descriptions.ContainsKey(id))
                Problem(path, $"indicator id '{id}' collides with a spatial value name");
        }

        var edges = new List<int>[indicators.Count];
        for (var i = 0; i < indicators.Count; i++)
        {
            edges[i] = [];
            var sources = indicators[i].Sources;
            for (var s = 0; s < sources.Count; s++)
            {
                if (sources[s].Compiled is not { } formula)
                    continue;
                foreach (var name in formula.Names)
                {
                    if (name.Name == "year")
                        name.Bind(FormulaNameKind.Year);
                    else if (indexOf.TryGetValue(name.Name, out var target))
                    {
                        name.Bind(FormulaNameKind.Indicator, target);
                        edges[i].Add(target);
                    }
                    else if (QuestionnaireSchema.TryGetField(name.Name, out _))
                        name.Bind(FormulaNameKind.Questionnaire);
                    else if (IndicatorValues.Descriptions.ContainsKey(name.Name))
                        name.Bind(FormulaNameKind.Spatial);
                    else
                        Problem($"indicators[{indicators[i].Id}].source[{s}].formula",
                            $"unknown name '{name.Name}' at position {name.Position} (not a questionnaire field, spatial value, indicator or 'year')");
                }
            }
        }
        return TopologicalOrder(indicators, edges);
    }

    private int[]? TopologicalOrder(List<ProfileIndicator> indicators, List<int>[] edges)
    {
        var state = new byte[indicators.Count]; // 0 new, 1 on the stack, 2 done
        var order = new List<int>(indicators.Count);
        var stack = new List<int>();
        var cyclic = false;

        void Visit(int i)
        {
            state[i] = 1;
            stack.Add(i);
            foreach (var j in edges[i])
            {
                if (state[j] == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(j)).Append(j).Select(k => indicators[k].Id);
                    Problem($"indicators[{indicators[j].Id}].source", $"cycle between indicators: {string.Join(" -> ", cycle)}");
                    cyclic = true;
                }
                else if (state[j] == 0)
                    Visit(j);
            }
            stack.RemoveAt(stack.Count - 1);
            state[i] = 2;
            order.Add(i);
        }

        for (var i = 0; i < indicators.Count; i++)
            if (state[i] == 0)
                Visit(i);
        return cyclic ? null : order.ToArray();
    }

    // ---- primitive readers ----

    private double? ReadWeight(JsonElement obj, string key, string path)
    {
        var w = ReadNumber(obj, key, path);
        if (w is < 0)
        {
            Problem(path, $"weight must not be negative ({Num(w.Value)})");
            return null;
        }
        return w;
    }

    private LocalizedText? ReadText(JsonElement obj, string key, string path)
    {
        if (!obj.TryGetProperty(key, out var v))
        {
            Problem(path, "missing (give {\"en\": \"…\", \"id\": \"…\"})");
            return null;
        }
        if (!CheckObject(v, path, "en", "id"))
            return null;
        var en = Text(v, "en", path, "English");
        var id = Text(v, "id", path, "Indonesian");
        return en is null || id is null ? null : new LocalizedText(en, id);
    }

    private string? Text(JsonElement v, string lang, string path, string language)
    {
        if (v.TryGetProperty(lang, out var t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString()))
            return t.GetString();
        Problem($"{path}.{lang}", $"missing {language} text");
        return null;
    }

    private MissingPolicy? ReadMissing(JsonElement obj, string path)
    {
        if (!obj.TryGetProperty("missing", out _))
            return null;
        var text = ReadString(obj, "missing", path);
        switch (text)
        {
            case "reweight": return MissingPolicy.Reweight;
            case "zero": return MissingPolicy.Zero;
            case null: return null;
            default:
                Problem(path, $"'{text}' is neither \"reweight\" nor \"zero\"");
                return null;
        }
    }
}
