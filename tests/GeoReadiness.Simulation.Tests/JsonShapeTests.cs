using System.Text.Json;
using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Tests;

/// <summary>The JSON an HTTP host writes for an assessment with the web defaults (camelCase).</summary>
public class JsonShapeTests
{
    [Fact]
    public void AnAssessmentSerialisesWithCamelCaseNamesAndTheProfilesVocabulary()
    {
        var a = ReadinessScorer.Score(AssessmentProfiles.Default, TestData.Dumai());
        var json = JsonNode.Parse(JsonSerializer.Serialize(a, new JsonSerializerOptions(JsonSerializerDefaults.Web)))!.AsObject();
        Assert.Equal(
            ["code", "name", "level", "provinceCode", "year", "profileId", "profileVersion", "profileSha256", "score", "index",
             "band", "dataShare", "pillars", "dimensions", "indicators"],
            json.Select(p => p.Key));
        var line = json["indicators"]!.AsArray().Single(l => (string?)l!["id"] == "coverage_4g_pct")!.AsObject();
        Assert.Equal(
            ["id", "label", "unit", "pillar", "source", "notUsed", "rawValue", "displayValue", "bandLabel", "score",
             "declaredWeight", "effectiveWeight", "contribution", "status", "missingNote", "note"],
            line.Select(p => p.Key));
        Assert.Equal("scored", (string?)line["status"]);
        Assert.Equal("formula", (string?)line["source"]!["kind"]);
        Assert.Equal("spatial", (string?)line["notUsed"]![0]!["kind"]);
        Assert.Equal(["id", "label", "declaredWeight", "effectiveWeight", "score", "dataShare"],
            json["pillars"]![0]!.AsObject().Select(p => p.Key));
        var missing = json["indicators"]!.AsArray().Single(l => (string?)l!["id"] == "human_development")!;
        Assert.Equal("missing-excluded", (string?)missing["status"]);
    }
}
