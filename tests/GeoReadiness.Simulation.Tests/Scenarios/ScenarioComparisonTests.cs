using System.Text.Json;
using GeoReadiness.Simulation.Scenarios;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Simulation.Tests.Scenarios;

/// <summary><see cref="ScenarioComparison"/>: differences and their standard errors, the baseline, refusals, JSON and GeoJSON.</summary>
[Collection(MonteCarloCollection.Name)]
public sealed class ScenarioComparisonTests(MonteCarloFixture fixture)
{
    private static DrawSummary S(double mean, double se) => new(mean, se, mean, mean, mean, mean, mean);

    private static UnitYearResult Unit(string code, int year, double score, double scoreSe, double? share4g = 50, double fibre = 40, double fibreSe = 1) =>
        new(code, "unit " + code, year, S(score, scoreSe), share4g is { } s ? S(s, 0.5) : null, S(60, 0.3), S(fibre, fibreSe),
            new RankSummary(1, 1, [1.0], 1, 1, 0), [], [], null, null,
            new BaselineValues(score - 5, "cukup_siap", share4g, 55, 30, []));

    private static ScenarioRun Run(string id, IReadOnlyList<int> years, IEnumerable<UnitYearResult> units, double costPerYear = 1e9, double costSe = 1e7) =>
        new(new RunProvenance(id, "1.0.0", "s", "kominfo-2019", "1.0.0", "p", "f", "1", "1"), 7, 1000, 2, 0.25, years, [.. units],
            [.. years.Select((y, i) => new CostYear(y, costPerYear * (i + 1), costSe, costPerYear * (i + 1)))]);

    [Fact]
    public void Differences_and_their_standard_errors_are_those_of_independent_runs()
    {
        int[] years = [2020, 2021];
        var a = Run("a", years, [Unit("13.05", 2020, 70, 0.3, fibre: 80, fibreSe: 4), Unit("13.05", 2021, 72, 0.3), Unit("13.06", 2020, 60, 0.1), Unit("13.06", 2021, 60, 0.1)]);
        var b = Run("b", years, [Unit("13.05", 2020, 69, 0.4, share4g: null, fibre: 77, fibreSe: 3), Unit("13.05", 2021, 72.5, 0.4, share4g: null), Unit("13.07", 2020, 1, 1), Unit("13.07", 2021, 1, 1)],
            costPerYear: 2e9, costSe: 2e7);

        var c = ScenarioComparison.Compare(a, b);

        Assert.Equal(years, c.Years);
        Assert.Equal(["13.06"], c.OnlyInA);
        Assert.Equal(["13.07"], c.OnlyInB);
        Assert.Equal([("13.05", 2020), ("13.05", 2021)], c.Units.Select(u => (u.Code, u.Year)));
        var first = c.Units[0];
        Assert.Equal(new ComparedValue(70, 69, 1, 0.5, Significant: false), first.Score with { StandardError = Math.Round(first.Score.StandardError, 12) });
        Assert.Equal(3, first.VillagesOnFibre!.Difference, 12);
        Assert.Equal(5, first.VillagesOnFibre.StandardError, 12);
        Assert.False(first.VillagesOnFibre.Significant);
        Assert.Null(first.Share4g);
        Assert.Equal(0, first.HouseholdsFixedReach!.Difference);
        Assert.False(first.HouseholdsFixedReach.Significant);
        Assert.Equal(-1e9, first.Cost.Difference);
        Assert.Equal(Math.Sqrt(1e14 + 4e14), first.Cost.StandardError, 1e-3);
        Assert.True(first.Cost.Significant);
        var second = c.Units[1];
        Assert.Equal(-0.5, second.Score.Difference, 12);
        Assert.False(second.Score.Significant, "0.5 is exactly 1 SE");
        Assert.Equal(-2e9, second.Cost.Difference);
        Assert.Equal("a 1.0.0 (seed 7, 1000 draws)", c.A);
    }

    [Fact]
    public void Runs_over_different_years_or_without_a_common_unit_are_refused_with_a_clear_message()
    {
        var a = Run("a", [2020, 2021], [Unit("13.05", 2020, 70, 0.3), Unit("13.05", 2021, 70, 0.3)]);
        var later = Run("b", [2021, 2022], [Unit("13.05", 2021, 70, 0.3), Unit("13.05", 2022, 70, 0.3)]);
        var other = Run("c", [2020, 2021], [Unit("13.06", 2020, 70, 0.3), Unit("13.06", 2021, 70, 0.3)]);

        var years = Assert.Throws<ArgumentException>(() => ScenarioComparison.Compare(a, later));
        var units = Assert.Throws<ArgumentException>(() => ScenarioComparison.Compare(a, other));

        Assert.StartsWith("the runs cover different years: A 2020–2021, B 2021–2022", years.Message, StringComparison.Ordinal);
        Assert.StartsWith("the runs have no unit in common: A 13.05, B 13.06", units.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_showcase_against_its_baseline_puts_2020_villages_on_fibre_53_2_points_up_and_maps_it()
    {
        var (scenario, inputs) = fixture.Showcase();
        var run = MonteCarloEngine.Run(scenario, inputs);

        var c = ScenarioComparison.AgainstBaseline(run);

        Assert.Equal("baseline", c.B);
        Assert.Empty(c.OnlyInA);
        Assert.Empty(c.OnlyInB);
        Assert.Equal(8, c.Units.Count);
        var u2020 = c.Units.Single(u => u.Year == 2020);
        var fibre = u2020.VillagesOnFibre!;
        var result = run[MonteCarloFixture.Unit, 2020];
        Assert.Equal((85.2408, 32.0388), (Math.Round(fibre.A, 4), Math.Round(fibre.B, 4)));
        // 85.2408 − 32.0388 to the printed precision; 53.2019 unrounded
        Assert.Equal(53.2019, Math.Round(fibre.Difference, 4));
        Assert.Equal(fibre.A - fibre.B, fibre.Difference);
        // the baseline has SE 0, so the difference's SE is the run's
        Assert.Equal(result.VillagesOnFibre!.StandardError, fibre.StandardError);
        Assert.Equal(0.1101, Math.Round(fibre.StandardError, 4)); // pinned: the seeded run's SE
        Assert.True(fibre.Significant);
        Assert.Equal(result.Score.Mean - result.Baseline.Score, u2020.Score.Difference, 12);
        Assert.Equal(0, u2020.Share4g!.Difference, 9);
        Assert.False(u2020.Share4g.Significant, "fibre does not change 4G coverage");
        Assert.Equal(run.Costs.Single(x => x.Year == 2020).Mean, u2020.Cost.Difference);
        Assert.Equal(0, u2020.Cost.B);

        var json = JsonDocument.Parse(c.ToJson()).RootElement;
        Assert.Equal("baseline", json.GetProperty("b").GetString());
        Assert.Equal(8, json.GetProperty("units").GetArrayLength());

        var square = new GeometryFactory(new PrecisionModel(), 4326).CreatePolygon([new(100, -1), new(101, -1), new(101, 0), new(100, 0), new(100, -1)]);
        var geo = JsonDocument.Parse(c.ToGeoJson(new Dictionary<string, Geometry> { [MonteCarloFixture.Unit] = square }, 2020)).RootElement;
        Assert.Equal("FeatureCollection", geo.GetProperty("type").GetString());
        var feature = Assert.Single(geo.GetProperty("features").EnumerateArray());
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(100, feature.GetProperty("geometry").GetProperty("coordinates")[0][0][0].GetDouble());
        var properties = feature.GetProperty("properties");
        Assert.Equal((MonteCarloFixture.Unit, 2020), (properties.GetProperty("code").GetString(), properties.GetProperty("year").GetInt32()));
        Assert.Equal(fibre.Difference, properties.GetProperty("villagesOnFibreDifference").GetDouble());
        Assert.Equal(fibre.StandardError, properties.GetProperty("villagesOnFibreStandardError").GetDouble());
        Assert.True(properties.GetProperty("villagesOnFibreSignificant").GetBoolean());

        Assert.Throws<ArgumentException>(() => c.ToGeoJson(new Dictionary<string, Geometry>(), 2020));
        Assert.Contains("year 2030 is not one of the compared years (2019–2026)",
            Assert.Throws<ArgumentException>(() => c.ToGeoJson(new Dictionary<string, Geometry> { [MonteCarloFixture.Unit] = square }, 2030)).Message,
            StringComparison.Ordinal);
    }
}
