using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Simulation.Tests;

/// <summary>Inputs and profile edits the tests share.</summary>
internal static class TestData
{
    /// <summary>Kota Dumai's published questionnaire row (Gerakan Menuju 100 Smart City, 2019).</summary>
    public static Dictionary<string, double> DumaiQuestionnaire() => new(StringComparer.Ordinal)
    {
        ["penduduk"] = 319827, ["kk"] = 94441, ["pop_4g"] = 159913, ["kk_fixed_bb"] = 47220,
        ["ict_staff"] = 70, ["employees"] = 2316, ["s2_staff"] = 314, ["s2_base"] = 2220,
        ["admin_apps"] = 3, ["portals"] = 1, ["websites"] = 30, ["reg_year"] = 2019, ["masterplan_year"] = 2018,
        ["data_centre"] = 1, ["command_centre"] = 0,
    };

    /// <summary>The named spatial values of a unit the store holds no cells, towers or fibre for, by the real rule.</summary>
    public static IReadOnlyDictionary<string, IndicatorValue> NoSpatialData(string code) => IndicatorValues.Of(new UnitIndicators
    {
        Code = code,
        Name = code,
        Level = AdminLevel.Regency,
        AreaKm2 = 1000,
        Population = 319827,
        PopulationMethod = PopulationMethod.UniformArea,
        LeafUnits = 1,
        Coverage = new Dictionary<RadioTechnology, CoverageIndicator>(),
        FibreKm = new Dictionary<FibreStatus, double>(),
        VillagesOnFibre = new ShareIndicator(0, 0, null, null),
        FacilitiesOnFibre = new Dictionary<FacilityKind, ShareIndicator>(),
        HouseholdsFixedReach = new ReachIndicator(null, null, null, null),
        Towers = new Dictionary<RadioTechnology, int>(),
        TowersTotal = 0,
    });

    public static AssessmentInput Dumai() =>
        new("14.72", "Kota Dumai", AdminLevel.Regency, "14", 2019, DumaiQuestionnaire(), NoSpatialData("14.72"));

    public static AssessmentInput Input(string code, IReadOnlyDictionary<string, double> questionnaire,
        IReadOnlyDictionary<string, IndicatorValue>? spatial = null, string? province = "14", int year = 2019) =>
        new(code, "Unit " + code, AdminLevel.Regency, province, year, questionnaire,
            spatial ?? new Dictionary<string, IndicatorValue>(StringComparer.Ordinal));

    /// <summary>The folder holding GeoReadiness.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "GeoReadiness.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("GeoReadiness.sln not found above the test binaries");
    }

    /// <summary>The default profile's document, edited, then validated.</summary>
    public static ProfileParseResult EditDefault(Action<JsonObject> edit) => Edit(AssessmentProfiles.Default, edit);

    public static ProfileParseResult Edit(AssessmentProfile profile, Action<JsonObject> edit)
    {
        var doc = JsonNode.Parse(profile.Json)!.AsObject();
        edit(doc);
        return AssessmentProfiles.TryParse(doc.ToJsonString());
    }

    public static JsonObject Indicator(this JsonObject doc, string id) =>
        doc["indicators"]!.AsArray().Single(i => (string?)i!["id"] == id)!.AsObject();

    public static JsonObject Entry(this JsonObject doc, string array, string id) =>
        doc[array]!.AsArray().Single(i => (string?)i!["id"] == id)!.AsObject();

    public static IndicatorLine Line(this UnitAssessment a, string id) => a.Indicators.Single(l => l.Id == id);

    public static GroupScore Pillar(this UnitAssessment a, string id) => a.Pillars.Single(p => p.Id == id);

    public static GroupScore Dimension(this UnitAssessment a, string id) => a.Dimensions.Single(p => p.Id == id);
}
