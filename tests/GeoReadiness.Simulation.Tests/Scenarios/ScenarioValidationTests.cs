using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Model;
using static GeoReadiness.Simulation.Tests.Scenarios.ScenarioTestData;

namespace GeoReadiness.Simulation.Tests.Scenarios;

public class ScenarioValidationTests
{
    [Fact]
    public void AValidDocumentWithEveryKindParsesIntoImmutableRecords()
    {
        var scenario = ScenarioDocuments.Parse(Valid);
        Assert.Equal("every-kind", scenario.Id);
        Assert.Equal("kominfo-2019", scenario.Profile);
        Assert.Equal("", scenario.Description);
        Assert.Equal(Enumerable.Range(2019, 8), scenario.Years);
        Assert.Equal(SamplingRule.Default, scenario.Sampling);
        Assert.Equal(7UL, scenario.Seed);
        Assert.Equal(12, scenario.Interventions.Count);

        var drawn = Assert.IsType<FibreRouteIntervention>(scenario.Interventions[0]);
        var segments = Assert.IsType<DrawnFibre>(drawn.Route).Segments;
        Assert.Equal([2, 3], segments.Select(s => s.NumPoints));
        Assert.All(segments, s => Assert.Equal(Geo.Srid, s.SRID));
        Assert.Equal(0.9, drawn.Completion);
        Assert.Equal(new UniformDistribution(0, 18), drawn.Delay);
        Assert.Equal(new TriangularDistribution(6, 9, 15), drawn.Duration);

        var connect = Assert.IsType<ConnectVillages>(Assert.IsType<FibreRouteIntervention>(scenario.Interventions[1]).Route);
        Assert.Equal(["13.05.01.2001", "13.05.01.2002"], connect.Villages!);
        Assert.Equal(1.3, connect.DetourFactor);
        var planned = Assert.IsType<FibreRouteIntervention>(scenario.Interventions[2]);
        Assert.Equal(new PlannedFibre("13.06"), planned.Route);
        Assert.Equal(1.0, planned.Completion);
        Assert.Equal(Distribution.Certain(0), planned.Delay);
        Assert.Equal(Distribution.Certain(1), planned.Overrun);

        var tower = Assert.IsType<NewTowers>(Assert.IsType<TowerIntervention>(scenario.Interventions[3]).Target).Towers.Single();
        Assert.Equal([RadioTechnology.G3, RadioTechnology.G4], tower.Technologies);
        Assert.Equal(3000, tower.RadiusMetres[RadioTechnology.G4]);
        var upgrade = Assert.IsType<TowerUpgrade>(Assert.IsType<TowerIntervention>(scenario.Interventions[4]).Target);
        Assert.Equal([RadioTechnology.G4], upgrade.Add);

        var staff = Assert.IsType<QuestionnaireIntervention>(scenario.Interventions[5]);
        Assert.Equal(InterventionKind.Staffing, staff.Kind);
        Assert.Equal(("ict_staff", FieldChangeOperation.Add, 20.0), (staff.Changes[0].Field.Name, staff.Changes[0].Operation, staff.Changes[0].Value));
        Assert.Equal(new NormalDistribution(6, 2, 0, null), staff.Delay);
        Assert.Equal(FieldChangeOperation.SetEffectiveYear, Assert.IsType<QuestionnaireIntervention>(scenario.Interventions[6]).Changes[0].Operation);
        var apps = Assert.IsType<QuestionnaireIntervention>(scenario.Interventions[10]);
        Assert.Equal([(FieldChangeOperation.Add, 3.0), (FieldChangeOperation.Set, 1.0), (FieldChangeOperation.Set, 80.0)],
            apps.Changes.Select(c => (c.Operation, c.Value)));

        var adoption = Assert.IsType<AdoptionIntervention>(scenario.Interventions[11]);
        Assert.Equal(Distribution.Certain(2), adoption.Midpoint);
    }

    [Fact]
    public void TheShaIsOfTheDocumentTextAndTheTextIsKept()
    {
        var scenario = ScenarioDocuments.Parse(Valid);
        Assert.Equal(Valid, scenario.Json);
        Assert.Equal(64, scenario.Sha256.Length);
        var commented = ScenarioDocuments.Parse("// reviewed\n" + Valid);
        Assert.NotEqual(scenario.Sha256, commented.Sha256);
        Assert.Equal(scenario.Interventions.Count, commented.Interventions.Count);
    }

    [Fact]
    public void TheChecksThatNeedTheStoreAreListedWithTheirPaths()
    {
        var checks = ScenarioDocuments.Parse(Valid).StoreChecks;
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.ProfileExists, Path: "profile", Subject: "kominfo-2019" });
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.UnitExists, Path: "units[1]", Subject: "13.06" });
        var geometry = Assert.Single(checks, c => c.Path == "interventions[fibre-drawn].geometry");
        Assert.Equal(StoreCheckKind.GeometryInsideUnits, geometry.Kind);
        Assert.Equal(["13.05", "13.06"], geometry.Units);
        Assert.Equal(2, geometry.Geometry!.NumGeometries);
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.VillageExists, Path: "interventions[fibre-connect].connect.villages[1]", Subject: "13.05.01.2002" });
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.PlannedRoutesExist, Path: "interventions[fibre-planned].planned.within", Subject: "13.06" });
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.GeometryInsideUnits, Path: "interventions[towers-new].points[0]" });
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.TowerExists, Path: "interventions[towers-upgrade].upgrade.towers[0]", Subject: "pp-bts-001" });
        Assert.Contains(checks, c => c is { Kind: StoreCheckKind.UnitExists, Path: "interventions[staff].unit", Subject: "13.05" });
        Assert.Equal("interventions[staff].unit", checks.First(c => c.Path == "interventions[staff].unit").Fail("no such unit").Path);
    }

    [Fact]
    public void TheCallersStoreChecksBecomeProblemsAtTheirPaths()
    {
        var scenario = ScenarioDocuments.Parse(Valid);
        var problems = ScenarioDocuments.CheckStore(scenario, c => c switch
        {
            { Kind: StoreCheckKind.TowerExists, Subject: "pp-bts-002" } => "no tower pp-bts-002 in the store",
            { Kind: StoreCheckKind.GeometryInsideUnits, Geometry: var g } when g!.EnvelopeInternal.MaxX > 100.305 => "the route leaves 13.05 and 13.06",
            _ => null,
        });
        Assert.Equal(["interventions[fibre-drawn].geometry: the route leaves 13.05 and 13.06", "interventions[towers-upgrade].upgrade.towers[1]: no tower pp-bts-002 in the store"],
            problems.Select(p => p.ToString()));
        Assert.Empty(ScenarioDocuments.CheckStore(scenario, _ => null));
    }

    [Fact]
    public void InvalidJsonIsOneProblemAtTheRoot()
    {
        var result = ScenarioDocuments.TryParse("{\"id\": ");
        Assert.Contains("not valid JSON", Rejected(result, "$").Message);
    }

    [Fact]
    public void ParseThrowsWithEveryProblemListed()
    {
        var doc = Document();
        doc["units"] = new JsonArray();
        doc.Intervention("staff")["start"] = 2010;
        var e = Assert.Throws<ScenarioValidationException>(() => ScenarioDocuments.Parse(doc.ToJsonString()));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("units:", e.Message);
        Assert.Contains("interventions[staff].start:", e.Message);
    }

    [Fact]
    public void EveryProblemIsReportedNotOnlyTheFirst()
    {
        var result = Edit(d =>
        {
            d["horizn"] = 8;
            d.Intervention("fibre-drawn")["costPerKm"] = -1;
            d.Intervention("towers-new")["kind"] = "antenna";
            d.Intervention("staff")["changes"]![0]!["field"] = "ict_staf";
            d["sampling"] = new JsonObject { ["tolerance"] = 0 };
        });
        Assert.Equal(["horizn", "interventions[fibre-drawn].costPerKm", "interventions[staff].changes[0].field", "interventions[towers-new].kind", "sampling.tolerance"],
            result.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnUnknownKeyIsAProblemAtItsPath()
    {
        var result = Edit(d => d.Intervention("fibre-planned")["costPerkm"] = 1);
        Assert.Contains("unknown key", Rejected(result, "interventions[fibre-planned].costPerkm").Message);
        Assert.Contains("unknown key", Rejected(Edit(d => d["seeed"] = 1), "seeed").Message);
    }

    [Fact]
    public void AnUnknownInterventionKindNamesTheKnownOnes()
    {
        var problem = Rejected(Edit(d => d.Intervention("dc")["kind"] = "datacentre"), "interventions[dc].kind");
        Assert.Contains("unknown intervention kind 'datacentre'", problem.Message);
        Assert.Contains("data_centre", problem.Message);
    }

    [Fact]
    public void DuplicateInterventionIdsAreRejected()
    {
        var result = Edit(d => d.Intervention("cc")["id"] = "dc");
        Assert.Contains("duplicate intervention id 'dc'", Rejected(result, "interventions[dc]").Message);
    }

    [Fact]
    public void EmptyUnitsAreRejected() =>
        Assert.Contains("non-empty", Rejected(Edit(d => d["units"] = new JsonArray()), "units").Message);

    [Theory]
    [InlineData("1305", "Kemendagri code")]
    [InlineData("13.05", "duplicate unit")]
    [InlineData("13.05.01", "overlap")]
    public void UnitCodesMustBeValidDistinctAndDisjoint(string code, string message) =>
        Assert.Contains(message, Rejected(Edit(d => d["units"]![1] = code), "units[1]").Message);

    [Theory]
    [InlineData(2017, "start 2017 is before baseYear 2018")]
    [InlineData(2027, "start 2027 is after the horizon's last year 2026")]
    public void StartYearsMustLieWithinBaseYearAndTheHorizon(int start, string message) =>
        Assert.Contains(message, Rejected(Edit(d => d.Intervention("staff")["start"] = start), "interventions[staff].start").Message);

    [Fact]
    public void StartMayBeTheBaseYearOrTheLastYear()
    {
        Assert.NotNull(Edit(d => d.Intervention("staff")["start"] = 2018).Scenario);
        Assert.NotNull(Edit(d => d.Intervention("staff")["start"] = 2026).Scenario);
    }

    [Theory]
    [InlineData("horizon", 0)]
    [InlineData("horizon", 2.5)]
    [InlineData("baseYear", 1999)]
    public void BaseYearAndHorizonMustBeWholeYearsInRange(string key, double value) =>
        Assert.Contains("whole number", Rejected(Edit(d => d[key] = value), key).Message);

    [Theory]
    [InlineData("fibre-drawn", "costPerKm")]
    [InlineData("towers-new", "costPerTower")]
    [InlineData("staff", "cost")]
    public void NegativeCostsAreRejected(string id, string key) =>
        Assert.Contains("must not be negative", Rejected(Edit(d => d.Intervention(id)[key] = -5), $"interventions[{id}].{key}").Message);

    [Fact]
    public void ACompletionProbabilityOutsideZeroToOneIsRejected()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["completion"]!["probability"] = 1.2);
        Assert.Contains("within 0–1", Rejected(result, "interventions[fibre-drawn].completion.probability").Message);
    }

    [Fact]
    public void AFibreRouteNeedsExactlyOneWayOfGivingItsRoute()
    {
        Assert.Contains("only one", Rejected(Edit(d => d.Intervention("fibre-planned")["connect"] = new JsonObject()), "interventions[fibre-planned]").Message);
        Assert.Contains("one of", Rejected(Edit(d => d.Intervention("fibre-planned").Remove("planned")), "interventions[fibre-planned]").Message);
    }

    [Fact]
    public void APositionOutsideIndonesiaIsRejectedAtItsPath()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["coordinates"]![1]![2] = new JsonArray(150.0, -0.5));
        Assert.Contains("outside Indonesia", Rejected(result, "interventions[fibre-drawn].geometry.coordinates[1][2]").Message);
    }

    [Fact]
    public void SwappedLongitudeAndLatitudeAreNamed()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["coordinates"]![0]![0] = new JsonArray(-0.6, 100.2));
        Assert.Contains("look swapped", Rejected(result, "interventions[fibre-drawn].geometry.coordinates[0][0]").Message);
    }

    [Fact]
    public void ProjectedCoordinatesAreNotLongitudeLatitude()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["coordinates"]![0]![1] = new JsonArray(650000.0, 9930000.0));
        Assert.Contains("EPSG:4326", Rejected(result, "interventions[fibre-drawn].geometry.coordinates[0][1]").Message);
    }

    [Fact]
    public void ALineWithoutLengthOrWithOnePositionIsRejected()
    {
        var same = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["coordinates"]![0] = JsonNode.Parse("[[100.2, -0.6], [100.2, -0.6]]"));
        Assert.Contains("no length", Rejected(same, "interventions[fibre-drawn].geometry.coordinates[0]").Message);
        var one = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["coordinates"]![0] = JsonNode.Parse("[[100.2, -0.6]]"));
        Assert.Contains("at least two positions", Rejected(one, "interventions[fibre-drawn].geometry.coordinates[0]").Message);
    }

    [Fact]
    public void ALineStringIsOneSegment()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["geometry"] = JsonNode.Parse("""{"type": "LineString", "coordinates": [[100.2, -0.6], [100.3, -0.7]]}"""));
        var route = Assert.IsType<DrawnFibre>(Assert.IsType<FibreRouteIntervention>(result.Scenario!.Interventions[0]).Route);
        Assert.Single(route.Segments);
    }

    [Fact]
    public void ARouteGeometryMustBeALine()
    {
        var result = Edit(d => d.Intervention("fibre-drawn")["geometry"]!["type"] = "Polygon");
        Assert.Contains("LineString or MultiLineString", Rejected(result, "interventions[fibre-drawn].geometry.type").Message);
    }

    [Fact]
    public void ConnectedVillagesMustLieInsideWithinAndWithinInsideTheUnits()
    {
        var village = Edit(d => d.Intervention("fibre-connect")["connect"]!["villages"]![1] = "13.06.01.2002");
        Assert.Contains("does not lie inside 13.05", Rejected(village, "interventions[fibre-connect].connect.villages[1]").Message);
        var notVillage = Edit(d => d.Intervention("fibre-connect")["connect"]!["villages"]![0] = "13.05.01");
        Assert.Contains("village code", Rejected(notVillage, "interventions[fibre-connect].connect.villages[0]").Message);
        var within = Edit(d => d.Intervention("fibre-planned")["planned"]!["within"] = "14.72");
        Assert.Contains("scenario's units", Rejected(within, "interventions[fibre-planned].planned.within").Message);
    }

    [Fact]
    public void ConnectAllVillagesIsNullVillages()
    {
        var result = Edit(d => d.Intervention("fibre-connect")["connect"]!["villages"] = "all");
        var connect = Assert.IsType<ConnectVillages>(Assert.IsType<FibreRouteIntervention>(result.Scenario!.Interventions[1]).Route);
        Assert.Null(connect.Villages);
    }

    [Fact]
    public void ADetourFactorBelowOneIsRejected() =>
        Assert.Contains("at least 1", Rejected(Edit(d => d.Intervention("fibre-connect")["connect"]!["detourFactor"] = 0.9),
            "interventions[fibre-connect].connect.detourFactor").Message);

    [Fact]
    public void TowersNeedKnownTechnologiesAndRadiiOnlyForThose()
    {
        var unknown = Edit(d => d.Intervention("towers-new")["points"]![0]!["technologies"]![1] = "6g");
        Assert.Contains("unknown technology '6g'", Rejected(unknown, "interventions[towers-new].points[0].technologies[1]").Message);
        var radius = Edit(d => d.Intervention("towers-new")["points"]![0]!["radiusMetres"] = JsonNode.Parse("""{"5g": 800}"""));
        Assert.Contains("does not offer 5g", Rejected(radius, "interventions[towers-new].points[0].radiusMetres.5g").Message);
        var outside = Edit(d => d.Intervention("towers-new")["points"]![0]!["lat"] = 20);
        Assert.Contains("outside Indonesia", Rejected(outside, "interventions[towers-new].points[0]").Message);
        var add = Edit(d => d.Intervention("towers-upgrade")["upgrade"]!["add"] = new JsonArray());
        Assert.Contains("non-empty", Rejected(add, "interventions[towers-upgrade].upgrade.add").Message);
    }

    [Fact]
    public void ChangedFieldsMustBeQuestionnaireFieldsOfTheRightType()
    {
        var unknown = Edit(d => d.Intervention("staff")["changes"]![0]!["field"] = "it_staff");
        Assert.Contains("unknown questionnaire field 'it_staff'", Rejected(unknown, "interventions[staff].changes[0].field").Message);
        var addToBoolean = Edit(d => d.Intervention("dc")["changes"] = JsonNode.Parse("""[{"field": "data_centre", "change": "+1"}]"""));
        Assert.Contains("use \"set\"", Rejected(addToBoolean, "interventions[dc].changes[0].change").Message);
        var numberForBoolean = Edit(d => d.Intervention("dc")["changes"]![0]!["set"] = 1);
        Assert.Contains("set true or false", Rejected(numberForBoolean, "interventions[dc].changes[0].set").Message);
        var percent = Edit(d => d.Intervention("apps")["changes"]![2]!["set"] = 120);
        Assert.Contains("within 0–100", Rejected(percent, "interventions[apps].changes[2].set").Message);
        var fraction = Edit(d => d.Intervention("staff")["changes"]![0]!["change"] = "+2.5");
        Assert.Contains("whole number", Rejected(fraction, "interventions[staff].changes[0].change").Message);
        var unsigned = Edit(d => d.Intervention("staff")["changes"]![0]!["change"] = "20");
        Assert.Contains("signed number", Rejected(unsigned, "interventions[staff].changes[0].change").Message);
        var year = Edit(d => d.Intervention("plan")["changes"]![0]!["set"] = "soon");
        Assert.Contains("\"effective\"", Rejected(year, "interventions[plan].changes[0].set").Message);
    }

    [Fact]
    public void AQuestionnaireInterventionsUnitMustBeAScenarioUnit() =>
        Assert.Contains("scenario's units", Rejected(Edit(d => d.Intervention("staff")["unit"] = "14.72"), "interventions[staff].unit").Message);

    [Fact]
    public void AScenarioHasOneAdoptionCurve()
    {
        var result = Edit(d => d["interventions"]!.AsArray().Add(JsonNode.Parse("""{"id": "uptake-2", "kind": "adoption", "start": 2019, "rate": 1, "midpoint": 2, "ceiling": 0.3}""")));
        Assert.Contains("'uptake' is already one", Rejected(result, "interventions[uptake-2]").Message);
    }

    [Fact]
    public void AnAdoptionCeilingIsAShare() =>
        Assert.Contains("within 0–1", Rejected(Edit(d => d.Intervention("uptake")["ceiling"]!["max"] = 1.5), "interventions[uptake].ceiling").Message);

    [Theory]
    [InlineData("""{"dist": "triangular", "min": 6, "mode": 20, "max": 15}""", ".mode", "min ≤ mode ≤ max")]
    [InlineData("""{"dist": "uniform", "min": 6, "max": 3}""", ".max", "less than min")]
    [InlineData("""{"dist": "normal", "mean": 6, "sd": -1, "min": 0}""", ".sd", "must not be negative")]
    [InlineData("""{"dist": "normal", "mean": 6, "sd": 1, "min": 5, "max": 5}""", ".max", "must exceed min")]
    [InlineData("""{"dist": "normal", "mean": 6, "sd": 1, "min": 60}""", "", "no probability")]
    [InlineData("""{"dist": "normal", "mean": 6, "sd": 2}""", "", "truncate it")]
    [InlineData("""{"dist": "lognormal", "mu": 1, "sigma": -0.5}""", ".sigma", "must not be negative")]
    [InlineData("""{"dist": "lognormal", "median": 5, "p95": 4}""", ".p95", "less than the median")]
    [InlineData("""{"dist": "lognormal", "median": 5, "sigma": 1}""", "", "either")]
    [InlineData("""{"dist": "bernoulli", "p": 1.5}""", ".p", "within 0–1")]
    [InlineData("""{"dist": "uniform", "min": -3, "max": 3}""", "", "months must be ≥ 0")]
    [InlineData("""{"dist": "gamma", "shape": 2}""", ".dist", "unknown distribution 'gamma'")]
    [InlineData("""{"dist": "fixed", "value": 1, "sd": 0}""", ".sd", "unknown key")]
    [InlineData("""[1, 2]""", "", "distribution object")]
    public void DistributionsAreValidatedAtTheirPath(string distribution, string suffix, string message)
    {
        var result = Edit(d => d.Intervention("staff")["delay"] = JsonNode.Parse(distribution));
        Assert.Contains(message, Rejected(result, "interventions[staff].delay" + suffix).Message);
    }

    [Fact]
    public void AnOverrunCannotBeNegative() =>
        Assert.Contains("≥ 0", Rejected(Edit(d => d.Intervention("fibre-drawn")["overrun"] = -0.5), "interventions[fibre-drawn].overrun").Message);

    [Fact]
    public void SamplingRulesAreChecked()
    {
        Assert.Contains("less than minDraws", Rejected(Edit(d => d["sampling"] = JsonNode.Parse("""{"minDraws": 5000, "maxDraws": 1000}""")), "sampling.maxDraws").Message);
        Assert.Contains("≥ 2", Rejected(Edit(d => d["sampling"] = JsonNode.Parse("""{"minDraws": 1}""")), "sampling.minDraws").Message);
        Assert.Contains("≥ 1", Rejected(Edit(d => d["sampling"] = JsonNode.Parse("""{"chunkSize": 0}""")), "sampling.chunkSize").Message);
        var given = Edit(d => d["sampling"] = JsonNode.Parse("""{"tolerance": 0.1}""")).Scenario!.Sampling;
        Assert.Equal(SamplingRule.Default with { Tolerance = 0.1 }, given);
    }

    [Fact]
    public void TheSeedIsRequiredAndAWholeNumber()
    {
        Assert.Contains("missing", Rejected(Edit(d => d.Remove("seed")), "seed").Message);
        Assert.Contains("whole number", Rejected(Edit(d => d["seed"] = -1), "seed").Message);
    }

    [Fact]
    public void IdsAreSlugs()
    {
        Assert.Contains("slug", Rejected(Edit(d => d["id"] = "Every Kind"), "id").Message);
        Assert.Contains("not a valid intervention id", Rejected(Edit(d => d.Intervention("dc")["id"] = "DC"), "interventions[DC].id").Message);
    }
}
