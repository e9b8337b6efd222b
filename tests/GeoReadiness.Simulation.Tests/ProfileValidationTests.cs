using System.Text.Json.Nodes;
using GeoReadiness.Simulation.Assessment;

namespace GeoReadiness.Simulation.Tests;

public class ProfileValidationTests
{
    private static ProfileProblem Rejected(ProfileParseResult result, string path)
    {
        Assert.Null(result.Profile);
        return Assert.Single(result.Problems, p => p.Path == path);
    }

    [Fact]
    public void BothShippedProfilesLoadAndTheDefaultIsKominfo2019()
    {
        Assert.Equal(["kominfo-2019", "spbe-2020"], AssessmentProfiles.BuiltIn.Keys.Order(StringComparer.Ordinal));
        Assert.Same(AssessmentProfiles.BuiltIn["kominfo-2019"], AssessmentProfiles.Default);
        Assert.Equal(3, AssessmentProfiles.Default.Pillars.Count);
        Assert.Equal(6, AssessmentProfiles.Default.Dimensions.Count);
        Assert.Equal(4, AssessmentProfiles.BuiltIn["spbe-2020"].Pillars.Count);
    }

    [Fact]
    public void TheShaIsOfTheDocumentTextSoAnyEditEvenACommentChangesIt()
    {
        var same = AssessmentProfiles.Parse(AssessmentProfiles.Default.Json);
        Assert.Equal(AssessmentProfiles.Default.Sha256, same.Sha256);
        var edited = AssessmentProfiles.Parse("// reviewed 2019-04-01\n" + AssessmentProfiles.Default.Json);
        Assert.NotEqual(AssessmentProfiles.Default.Sha256, edited.Sha256);
        Assert.Equal(AssessmentProfiles.Default.Indicators.Count, edited.Indicators.Count);
    }

    [Fact]
    public void IndicatorWeightsNotSummingToTheTotalNameThePillarTheTotalAndTheSum()
    {
        var result = TestData.EditDefault(d => d.Indicator("ict_staff_pct")["weight"] = 25);
        var problem = Rejected(result, "pillars[struktur]");
        Assert.Contains("sum to 95", problem.Message);
        Assert.Contains("declares 100", problem.Message);
        // the same indicator's dimension is still consistent
        Assert.DoesNotContain(result.Problems, p => p.Path.StartsWith("dimensions", StringComparison.Ordinal));
    }

    [Fact]
    public void DimensionWeightsNotSummingToTheTotalNameTheDimension()
    {
        var result = TestData.EditDefault(d => d.Indicator("has_command_centre")["dimensions"]!["smart_living"] = 20);
        Assert.Contains("sum to 90", Rejected(result, "dimensions[smart_living]").Message);
    }

    [Fact]
    public void PillarWeightsMustSumToTheTotal()
    {
        var result = TestData.EditDefault(d => d.Entry("pillars", "struktur")["weight"] = 20);
        Assert.Contains("pillar weights sum to 90", Rejected(result, "pillars").Message);
    }

    [Fact]
    public void EveryProblemIsReportedNotOnlyTheFirst()
    {
        var result = TestData.EditDefault(d =>
        {
            d.Indicator("ict_staff_pct")["weight"] = -1;
            d.Indicator("dynamic_websites")["source"] = new JsonArray(new JsonObject { ["questionnaire"] = "webpages" });
            d.Indicator("has_data_centre")["label"]!["id"] = "";
            d["version"] = "";
        });
        Assert.Null(result.Profile);
        Assert.Contains(result.Problems, p => p.Path == "indicators[ict_staff_pct].weight" && p.Message.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "indicators[dynamic_websites].source[0].questionnaire" && p.Message.Contains("'webpages'", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "indicators[has_data_centre].label.id" && p.Message.Contains("Indonesian", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "version");
        var json = JsonNode.Parse(AssessmentProfiles.Default.Json)!;
        json["weightTotal"] = 90;
        var ex = Assert.Throws<ProfileValidationException>(() => AssessmentProfiles.Parse(json.ToJsonString()));
        Assert.Equal(1 + 3 + 6, ex.Problems.Count); // the pillar total, every pillar and every dimension
        Assert.Contains("dimensions[smart_economy]: indicator weights in dimension smart_economy sum to 100, but weightTotal declares 90", ex.Message);
    }

    [Fact]
    public void UnknownSpatialNameIsRejected()
    {
        var result = TestData.EditDefault(d => d.Indicator("coverage_4g_pct")["source"]![0]!["spatial"] = "share_6g_pct");
        Assert.Contains("unknown spatial value 'share_6g_pct'", Rejected(result, "indicators[coverage_4g_pct].source[0].spatial").Message);
    }

    [Fact]
    public void UnknownNameInAFormulaIsRejectedWithItsPosition()
    {
        var result = TestData.EditDefault(d => d.Indicator("ict_staff_pct")["source"]![0]!["formula"] = "100 * ict_staf / employees");
        var problem = Rejected(result, "indicators[ict_staff_pct].source[0].formula");
        Assert.Contains("unknown name 'ict_staf' at position 7", problem.Message);
    }

    [Theory]
    [InlineData("100 * (ict_staff / employees", "expected ')'")]
    [InlineData("100 * ", "unexpected end of formula")]
    [InlineData("ict_staff $ 2", "unexpected '$'")]
    [InlineData("1 < 2 < 3", "comparisons do not chain")]
    [InlineData("sqrt(ict_staff)", "unknown function 'sqrt'")]
    [InlineData("if(ict_staff, 1)", "three arguments")]
    public void FormulaSyntaxErrorsAreRejectedWithAPosition(string formula, string expected)
    {
        var result = TestData.EditDefault(d => d.Indicator("ict_staff_pct")["source"]![0]!["formula"] = formula);
        var problem = Rejected(result, "indicators[ict_staff_pct].source[0].formula");
        Assert.Contains("syntax error at position", problem.Message);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void ACycleBetweenDerivedIndicatorsIsRejectedAndNamed()
    {
        var result = TestData.EditDefault(d =>
        {
            d.Indicator("ict_staff_pct")["source"] = new JsonArray(new JsonObject { ["formula"] = "s2_staff_pct + 1" });
            d.Indicator("s2_staff_pct")["source"] = new JsonArray(new JsonObject { ["formula"] = "ict_staff_pct * 2" });
        });
        Assert.Null(result.Profile);
        Assert.Contains(result.Problems, p => p.Message.Contains("ict_staff_pct -> s2_staff_pct -> ict_staff_pct", StringComparison.Ordinal));
    }

    [Fact]
    public void AnIndicatorMayReadAnotherIndicatorsRawValue()
    {
        var result = TestData.EditDefault(d =>
            d.Indicator("s2_staff_pct")["source"] = new JsonArray(new JsonObject { ["formula"] = "min(ict_staff_pct * 2, 100)" }));
        Assert.Empty(result.Problems);
        var a = ReadinessScorer.Score(result.Profile!, TestData.Dumai());
        Assert.Equal(2 * 100.0 * 70 / 2316, a.Line("s2_staff_pct").RawValue!.Value, 1e-9);
    }

    [Theory]
    [InlineData("penduduk", "questionnaire field")]
    [InlineData("share_4g_pct", "spatial value")]
    [InlineData("year", "reserved")]
    public void IndicatorIdsMustNotCollideWithOtherNames(string id, string expected)
    {
        var result = TestData.EditDefault(d => d.Indicator("partnerships")["id"] = id);
        Assert.Contains(expected, Rejected(result, $"indicators[{id}]").Message);
    }

    [Fact]
    public void UnknownPillarAndDimensionAreRejected()
    {
        var result = TestData.EditDefault(d =>
        {
            d.Indicator("partnerships")["pillar"] = "strukture";
            d.Indicator("has_data_centre")["dimensions"]!["smart_goverment"] = 5;
        });
        Assert.Contains("unknown pillar 'strukture'", Rejected(result, "indicators[partnerships].pillar").Message);
        Assert.Contains("unknown dimension", Rejected(result, "indicators[has_data_centre].dimensions.smart_goverment").Message);
    }

    [Fact]
    public void DuplicateIdsAreRejected()
    {
        var result = TestData.EditDefault(d =>
        {
            var copy = d.Indicator("partnerships").DeepClone();
            d["indicators"]!.AsArray().Add(copy);
            d["dimensions"]!.AsArray().Add(d.Entry("dimensions", "smart_living").DeepClone());
        });
        Assert.Contains("duplicate indicator id", Rejected(result, "indicators[partnerships]").Message);
        Assert.Contains("duplicate dimension id", Rejected(result, "dimensions[smart_living]").Message);
    }

    [Fact]
    public void AGroupWithoutIndicatorsIsRejected()
    {
        var result = TestData.EditDefault(d =>
        {
            d["pillars"]!.AsArray().Add(new JsonObject { ["id"] = "kosong", ["label"] = new JsonObject { ["en"] = "Empty", ["id"] = "Kosong" }, ["weight"] = 0 });
            d["dimensions"]!.AsArray().Add(new JsonObject { ["id"] = "smart_space", ["label"] = new JsonObject { ["en"] = "Space", ["id"] = "Ruang" } });
        });
        Assert.Contains("has no indicators", Rejected(result, "pillars[kosong]").Message);
        Assert.Contains("has no indicators", Rejected(result, "dimensions[smart_space]").Message);
    }

    [Fact]
    public void BandsMustAscendAndOnlyTheLastIsOpen()
    {
        var result = TestData.EditDefault(d =>
        {
            var bands = d.Indicator("dynamic_websites")["scoring"]!["bands"]!.AsArray();
            bands[2]!["upTo"] = 5; // after 10
            d.Indicator("service_portals")["scoring"]!["bands"]![2]!["upTo"] = 9;
            d["bands"]!["levels"]![2]!["from"] = 30; // after 40
            d["bands"]!["levels"]![3]!["label"]!.AsObject().Remove("id");
        });
        Assert.Contains("must ascend", Rejected(result, "indicators[dynamic_websites].scoring.bands[2].upTo").Message);
        Assert.Contains("last band is open", Rejected(result, "indicators[service_portals].scoring.bands[2].upTo").Message);
        Assert.Contains("must ascend", Rejected(result, "bands.levels[cukup_siap].from").Message);
        Assert.Contains("Indonesian", Rejected(result, "bands.levels[siap].label.id").Message);
    }

    [Fact]
    public void RuleMustAgreeWithTheDirection()
    {
        var result = TestData.EditDefault(d =>
        {
            d.Indicator("dynamic_websites")["direction"] = "lower";
            d.Indicator("human_development")["scoring"]!["best"] = 50;
        });
        Assert.Contains("never rise", Rejected(result, "indicators[dynamic_websites].scoring.bands[1].score").Message);
        Assert.Contains("best > worst", Rejected(result, "indicators[human_development].scoring.best").Message);
    }

    [Fact]
    public void MissingLabelsAndUnknownKeysAreRejected()
    {
        var result = TestData.EditDefault(d =>
        {
            d.Entry("pillars", "struktur")["label"]!.AsObject().Remove("en");
            d.Indicator("partnerships")["wieght"] = 3;
            d["id"] = "Kominfo 2019";
        });
        Assert.Contains("English", Rejected(result, "pillars[struktur].label.en").Message);
        Assert.Contains("unknown key", Rejected(result, "indicators[partnerships].wieght").Message);
        Assert.Contains("slug", Rejected(result, "id").Message);
    }

    [Fact]
    public void InvalidJsonIsOneProblemAtTheRoot()
    {
        var result = AssessmentProfiles.TryParse("{\"id\": ");
        Assert.Equal("$", Assert.Single(result.Problems).Path);
    }
}
