using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Bench.Scenarios;

/// <summary>
/// The national what-if scenario of the benchmark, written as a scenario document (docs/scenarios.md) for every
/// kab/kota of the store, seeded. Per kab/kota <c>C</c> (picks drawn from <c>DemoRandom.Derive(seed, "bench/scenario/C")</c>):
/// <list type="bullet">
/// <item><c>fibre-C</c>: <c>connect</c> <see cref="FibreVillages"/> villages picked among those whose office is not
/// within fibre reach yet (detour factor 1.3), completion 0.85, delay uniform 0–12 months, duration triangular
/// 4/8/14 months, IDR 150 M per km, overrun lognormal (median 1.1, p95 1.5);</item>
/// <item><c>towers-C</c>: <see cref="NewTowers"/> new 4G towers (radius 3 km) at the interior points of other picked
/// villages, completion 0.9, delay uniform 0–18 months, IDR 1.5 bn per tower, the same overrun;</item>
/// <item>one questionnaire intervention: a kabupaten's <c>staffing-C</c> (ict_staff +10, completion 0.8, delay
/// uniform 0–24, IDR 1 bn) or a kota's <c>masterplan-C</c> (masterplan_year set to the year it takes effect,
/// completion 0.7, delay uniform 0–36, IDR 2.5 bn);</item>
/// </list>
/// and one adoption curve (as the showcase's). Base year: the questionnaire's assessment year; horizon
/// <see cref="Horizon"/>; exactly <see cref="Draws"/> draws (minDraws = maxDraws, tolerance 100 score points, so the
/// rule never stops early nor fails).
/// </summary>
public static class NationalScenario
{
    public const int Draws = 10_000;
    public const int ChunkSize = 500;
    public const int Horizon = 5;
    public const int FibreVillages = 5;
    public const int NewTowers = 3;

    /// <summary>What the document holds, for the report (the class comment in prose).</summary>
    public static string Design { get; } =
        FormattableString.Invariant($"per kab/kota: a fibre_route that connects {FibreVillages} seeded villages not yet on fibre (their offices joined by the product's minimum spanning tree, detour 1.3, ") +
        "completion 0.85, delay 0–12 months, build 4–8–14 months, IDR 150 M/km, lognormal overrun median 1.1, p95 1.5), " +
        FormattableString.Invariant($"a tower intervention with {NewTowers} new 4G towers ") +
        "(3 km radius, at the interior points of other seeded villages, completion 0.9, delay 0–18 months, IDR 1.5 bn each), and one questionnaire intervention " +
        "(kabupaten: staffing, ict_staff +10, completion 0.8; kota: masterplan, masterplan_year set when it takes effect, completion 0.7); one adoption curve for all; " +
        FormattableString.Invariant($"base year {DemoQuestionnaire.AssessmentYear} (the questionnaire's), horizon {Horizon}, sampling minDraws = maxDraws = {Draws:N0} (tolerance 100 score points, never binding), ") +
        FormattableString.Invariant($"chunks of {ChunkSize}, seeded with the data set's seed");

    /// <summary>The document and what it holds.</summary>
    public sealed record Document(string Json, int Units, int FibreInterventions, int TowerInterventions, int QuestionnaireInterventions, int Villages, int Towers);

    public static async Task<Document> BuildAsync(ISpatialStore store, IndicatorSet indicators, long seed)
    {
        var regencies = (await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Regency))).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        var villagesOf = (await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village)))
            .GroupBy(v => RegencyOf(v.Code), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.Code, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var onFibre = indicators.Leaves.Where(l => l.VillageOnFibre == true).Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        var baseYear = DemoQuestionnaire.AssessmentYear;
        var start = baseYear + 1;
        var overrun = Lognormal(1.1, 1.5);

        var interventions = new JsonArray();
        int fibre = 0, towers = 0, questionnaire = 0, villageCount = 0, towerCount = 0;
        foreach (var regency in regencies)
        {
            var code = regency.Code;
            var slug = code.Replace(".", "", StringComparison.Ordinal);
            var rng = DemoRandom.Derive(seed, "bench/scenario/" + code);
            var picks = villagesOf.TryGetValue(code, out var vs) ? vs.ToList() : [];
            rng.Shuffle(picks);
            var connect = picks.Where(v => !onFibre.Contains(v.Code)).Take(FibreVillages).Select(v => v.Code).Order(StringComparer.Ordinal).ToList();
            if (connect.Count > 0)
            {
                interventions.Add(new JsonObject
                {
                    ["id"] = "fibre-" + slug,
                    ["kind"] = "fibre_route",
                    ["start"] = start,
                    ["connect"] = new JsonObject { ["villages"] = new JsonArray([.. connect.Select(c => (JsonNode)c)]), ["within"] = code, ["detourFactor"] = 1.3 },
                    ["completion"] = new JsonObject { ["probability"] = 0.85 },
                    ["delay"] = Uniform(0, 12),
                    ["duration"] = new JsonObject { ["dist"] = "triangular", ["min"] = 4, ["mode"] = 8, ["max"] = 14 },
                    ["costPerKm"] = 150_000_000,
                    ["overrun"] = overrun.DeepClone(),
                });
                fibre++;
                villageCount += connect.Count;
            }
            var sites = picks.Where(v => !connect.Contains(v.Code)).Take(NewTowers).ToList();
            if (sites.Count > 0)
            {
                var points = new JsonArray();
                foreach (var site in sites)
                {
                    var p = site.Geometry.InteriorPoint.Coordinate;
                    points.Add(new JsonObject
                    {
                        ["lon"] = p.X,
                        ["lat"] = p.Y,
                        ["technologies"] = new JsonArray("4g"),
                        ["radiusMetres"] = new JsonObject { ["4g"] = 3000 },
                    });
                }
                interventions.Add(new JsonObject
                {
                    ["id"] = "towers-" + slug,
                    ["kind"] = "tower",
                    ["start"] = start,
                    ["points"] = points,
                    ["completion"] = new JsonObject { ["probability"] = 0.9 },
                    ["delay"] = Uniform(0, 18),
                    ["costPerTower"] = 1_500_000_000,
                    ["overrun"] = overrun.DeepClone(),
                });
                towers++;
                towerCount += sites.Count;
            }
            var kota = regency.Kind == UnitKind.Kota;
            interventions.Add(new JsonObject
            {
                ["id"] = (kota ? "masterplan-" : "staffing-") + slug,
                ["kind"] = kota ? "masterplan" : "staffing",
                ["start"] = start,
                ["unit"] = code,
                ["changes"] = new JsonArray(kota
                    ? new JsonObject { ["field"] = "masterplan_year", ["set"] = "effective" }
                    : new JsonObject { ["field"] = "ict_staff", ["change"] = "+10" }),
                ["completion"] = new JsonObject { ["probability"] = kota ? 0.7 : 0.8 },
                ["delay"] = Uniform(0, kota ? 36 : 24),
                ["cost"] = kota ? 2_500_000_000 : 1_000_000_000,
                ["overrun"] = overrun.DeepClone(),
            });
            questionnaire++;
        }
        interventions.Add(new JsonObject
        {
            ["id"] = "fixed-broadband-uptake",
            ["kind"] = "adoption",
            ["start"] = start,
            ["rate"] = new JsonObject { ["dist"] = "triangular", ["min"] = 0.6, ["mode"] = 0.9, ["max"] = 1.4 },
            ["midpoint"] = new JsonObject { ["dist"] = "triangular", ["min"] = 1, ["mode"] = 2, ["max"] = 4 },
            ["ceiling"] = Uniform(0.25, 0.45),
        });

        var document = new JsonObject
        {
            ["id"] = "bench-national",
            ["version"] = "1.0.0",
            ["title"] = "Benchmark: every kab/kota builds fibre to a few villages, new 4G towers and one organisational change",
            ["description"] = string.Create(CultureInfo.InvariantCulture,
                $"Generated by the benchmark (bench/GeoReadiness.Bench/Scenarios/NationalScenario.cs) from seed {seed}: {fibre} fibre routes connecting {villageCount} village offices, " +
                $"{towerCount} new 4G towers in {towers} tower interventions, {questionnaire} staffing or masterplan changes and one adoption curve."),
            ["baseYear"] = baseYear,
            ["horizon"] = Horizon,
            ["profile"] = "kominfo-2019",
            ["units"] = new JsonArray([.. regencies.Select(r => (JsonNode)r.Code)]),
            ["seed"] = seed,
            ["sampling"] = new JsonObject { ["minDraws"] = Draws, ["maxDraws"] = Draws, ["tolerance"] = 100, ["chunkSize"] = ChunkSize },
            ["interventions"] = interventions,
        };
        var json = document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return new Document(json, regencies.Count, fibre, towers, questionnaire, villageCount, towerCount);
    }

    private static string RegencyOf(string code) => code.Length >= 5 ? code[..5] : code;

    private static JsonObject Uniform(double min, double max) => new() { ["dist"] = "uniform", ["min"] = min, ["max"] = max };

    private static JsonObject Lognormal(double median, double p95) => new() { ["dist"] = "lognormal", ["median"] = median, ["p95"] = p95 };
}
