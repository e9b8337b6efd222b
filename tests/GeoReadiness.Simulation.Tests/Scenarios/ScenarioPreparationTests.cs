using System.Collections.Immutable;
using GeoReadiness.Simulation.Assessment;
using GeoReadiness.Simulation.Scenarios;
using GeoReadiness.Spatial.Assessment;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary>
/// <see cref="ScenarioPreparation"/> on the demo store: the questionnaire year rule, the store checks of every kind
/// reported at their paths, and the elements of the showcase (the store's planned routes of 13.05, ids unchanged).
/// </summary>
[Collection(MonteCarloCollection.Name)]
public sealed class ScenarioPreparationTests(MonteCarloFixture fixture)
{
    private static QuestionnaireRow Row(int year, double ictStaff) =>
        new(MonteCarloFixture.Unit, year, ImmutableSortedDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal).Add("ict_staff", ictStaff));

    [Fact]
    public void The_base_years_answers_are_used_else_the_latest_before_it_else_the_earliest_after_it()
    {
        var unit = fixture.Measured.Single(u => u.Code == MonteCarloFixture.Unit);
        var answers = new QuestionnaireSnapshot([Row(2017, 1), Row(2019, 2), Row(2021, 3)], 4, null, "test");

        Assert.Equal(2, ScenarioPreparation.UnitInput(unit, answers, 2019, out var exact)!.Questionnaire["ict_staff"]);
        Assert.Null(exact);
        Assert.Equal(2, ScenarioPreparation.UnitInput(unit, answers, 2020, out var before)!.Questionnaire["ict_staff"]);
        Assert.Equal("13.05: no questionnaire answers for 2020; using those of 2019", before);
        Assert.Equal(1, ScenarioPreparation.UnitInput(unit, answers with { Rows = [Row(2017, 1)] }, 2030, out _)!.Questionnaire["ict_staff"]);
        Assert.Equal(3, ScenarioPreparation.UnitInput(unit, answers with { Rows = [Row(2021, 3)] }, 2018, out var after)!.Questionnaire["ict_staff"]);
        Assert.Equal("13.05: no questionnaire answers for 2018; using those of 2021 (none earlier)", after);
        var input = ScenarioPreparation.UnitInput(unit, answers, 2019, out _)!;
        Assert.Equal(("13", IndicatorValues.Of(unit)["villages_on_fibre_pct"]), (input.ProvinceCode, input.Spatial["villages_on_fibre_pct"]));
        Assert.Null(ScenarioPreparation.UnitInput(unit, QuestionnaireSnapshot.Empty, 2019, out var none));
        Assert.Contains("has no questionnaire answers (base year 2019)", none, StringComparison.Ordinal);
    }

    [Fact]
    public void The_showcase_is_prepared_from_the_stores_planned_routes_with_their_ids_and_provenance()
    {
        var (_, inputs) = fixture.Showcase();

        Assert.Equal(fixture.Spatial.Planned.Select(e => e.Id), inputs.InterventionElements["fibre-nagari"]);
        Assert.Equal(fixture.PlannedFootprint.ContentHash, inputs.Provenance.FootprintHash);
        Assert.Equal(fixture.PlannedFootprint.ContentHash, inputs.Footprint.ContentHash);
        Assert.Equal(("1", "kominfo-2019"), (inputs.Provenance.QuestionnaireVersion, inputs.Profile.Id));
    }

    [Fact]
    public async Task Every_failing_store_check_is_a_problem_at_its_path()
    {
        var json = """
            {
              "id": "checks", "version": "1", "title": "t", "description": "d", "baseYear": 2019, "horizon": 2,
              "profile": "nope", "units": ["13.05"], "seed": 1,
              "interventions": [
                {"id": "drawn", "kind": "fibre_route", "start": 2020, "geometry": {"type": "LineString", "coordinates": [[95.0, 5.5], [95.1, 5.5]]},
                 "completion": {"probability": 1}, "duration": {"dist": "fixed", "value": 1}, "delay": {"dist": "fixed", "value": 0}, "costPerKm": 1},
                {"id": "up", "kind": "tower", "start": 2020, "upgrade": {"towers": ["no-such-tower"], "add": ["4g"]},
                 "completion": {"probability": 1}, "delay": {"dist": "fixed", "value": 0}, "costPerTower": 1}
              ]
            }
            """;
        var parsed = ScenarioDocuments.TryParse(json);
        Assert.True(parsed.Scenario is not null, string.Join("\n", parsed.Problems));

        var problems = await ScenarioPreparation.CheckStoreAsync(parsed.Scenario, ProfileCatalog.From([]),
            new StoreScenarioSource(fixture.Spatial.Store, IndicatorOptions.Default));
        var baseline = new ScenarioBaseline(ProfileCatalog.From([]), QuestionnaireSnapshot.Empty, fixture.Measured, fixture.DataVersion);
        var thrown = await Assert.ThrowsAsync<ScenarioValidationException>(() =>
            ScenarioPreparation.PrepareAsync(parsed.Scenario, baseline, new StoreScenarioSource(fixture.Spatial.Store, IndicatorOptions.Default)));

        Assert.Contains(problems, p => p.Path == "profile" && p.Message.StartsWith("no profile 'nope'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path.StartsWith("interventions[drawn]", StringComparison.Ordinal) && p.Message == "the geometry is not inside 13.05");
        Assert.Contains(problems, p => p.Path == "interventions[up].upgrade.towers[0]" && p.Message == "tower 'no-such-tower' is not in the store inside 13.05");
        Assert.Equal(3, problems.Count);
        Assert.Equal(problems, thrown.Problems.Take(problems.Count));
        Assert.Contains(thrown.Problems, p => p.Path == "units[0]" && p.Message.Contains("has no questionnaire answers", StringComparison.Ordinal));
    }
}
