using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>A valid scenario with one intervention of every kind, edited by the tests.</summary>
internal static class ScenarioTestData
{
    public static string ExamplePath => Path.Combine(TestData.RepositoryRoot(), "data", "scenarios", "padang-pariaman-263km.json");

    public const string Valid = """
    {
      "id": "every-kind",
      "version": "1",
      "title": "One intervention of every kind",
      "baseYear": 2018,
      "horizon": 8,
      "units": ["13.05", "13.06"],
      "seed": 7,
      "interventions": [
        {"id": "fibre-drawn", "kind": "fibre_route", "start": 2019,
         "geometry": {"type": "MultiLineString", "coordinates": [[[100.20, -0.60], [100.25, -0.62]], [[100.25, -0.62], [100.30, -0.55], [100.31, -0.50]]]},
         "completion": {"probability": 0.9}, "duration": {"dist": "triangular", "min": 6, "mode": 9, "max": 15},
         "delay": {"dist": "uniform", "min": 0, "max": 18}, "costPerKm": 150000000, "overrun": {"dist": "lognormal", "median": 1.1, "p95": 1.5}},
        {"id": "fibre-connect", "kind": "fibre_route", "start": 2020,
         "connect": {"villages": ["13.05.01.2001", "13.05.01.2002"], "within": "13.05", "detourFactor": 1.3},
         "duration": 12, "costPerKm": 120000000},
        {"id": "fibre-planned", "kind": "fibre_route", "start": 2019, "planned": {"within": "13.06"}, "duration": 9, "costPerKm": 1e8},
        {"id": "towers-new", "kind": "tower", "start": 2021,
         "points": [{"lon": 100.3, "lat": -0.6, "technologies": ["4g", "3g"], "radiusMetres": {"4g": 3000}}],
         "completion": {"probability": 0.8}, "costPerTower": 2500000000},
        {"id": "towers-upgrade", "kind": "tower", "start": 2020, "upgrade": {"towers": ["pp-bts-001", "pp-bts-002"], "add": ["4g"]}, "costPerTower": 400000000},
        {"id": "staff", "kind": "staffing", "start": 2020, "unit": "13.05", "changes": [{"field": "ict_staff", "change": "+20"}],
         "delay": {"dist": "normal", "mean": 6, "sd": 2, "min": 0}, "cost": 1200000000},
        {"id": "perda", "kind": "regulation", "start": 2019, "unit": "13.05", "changes": [{"field": "reg_year", "set": "effective"}],
         "delay": {"dist": "triangular", "min": 3, "mode": 9, "max": 24}},
        {"id": "plan", "kind": "masterplan", "start": 2019, "unit": "13.06", "changes": [{"field": "masterplan_year", "set": 2020}]},
        {"id": "dc", "kind": "data_centre", "start": 2022, "unit": "13.05", "changes": [{"field": "data_centre", "set": true}], "completion": {"probability": 0.7}},
        {"id": "cc", "kind": "command_centre", "start": 2023, "unit": "13.05", "changes": [{"field": "command_centre", "set": true}]},
        {"id": "apps", "kind": "application", "start": 2020, "unit": "13.05",
         "changes": [{"field": "admin_apps", "change": "+3"}, {"field": "e_budgeting", "set": true}, {"field": "fibre_opd_pct", "set": 80}]},
        {"id": "uptake", "kind": "adoption", "start": 2019, "rate": {"dist": "triangular", "min": 0.6, "mode": 0.9, "max": 1.4},
         "midpoint": 2, "ceiling": {"dist": "uniform", "min": 0.25, "max": 0.45}}
      ]
    }
    """;

    public static JsonObject Document() => JsonNode.Parse(Valid)!.AsObject();

    public static ScenarioParseResult Edit(Action<JsonObject> edit)
    {
        var doc = Document();
        edit(doc);
        return ScenarioDocuments.TryParse(doc.ToJsonString());
    }

    public static JsonObject Intervention(this JsonObject doc, string id) =>
        doc["interventions"]!.AsArray().Single(i => (string?)i!["id"] == id)!.AsObject();

    /// <summary>The single problem at <paramref name="path"/> of a rejected document.</summary>
    public static ProfileProblem Rejected(ScenarioParseResult result, string path)
    {
        Assert.Null(result.Scenario);
        return Assert.Single(result.Problems, p => p.Path == path);
    }
}
