using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Storage;
using Xunit.Abstractions;

namespace GeoReadiness.Spatial.Tests.Scenarios;

public sealed class FootprintTests(ScenarioFixture fixture, ITestOutputHelper output) : IClassFixture<ScenarioFixture>
{
    private ScenarioFootprint Footprint => fixture.Footprint;

    [Fact]
    public void PlannedRoutesOfTheDemoKabupatenAreTheElementsAndEveryNagariIsAnItemLeaf()
    {
        output.WriteLine($"footprint of {Footprint.Elements.Length} elements computed in {fixture.FootprintTime.TotalMilliseconds:F0} ms");
        Assert.Equal(112, fixture.Planned.Count);
        Assert.All(fixture.Planned, e => Assert.Equal(FibreStatus.Planned, e.ReplacesStatus));
        Assert.Equal(263.0, Footprint.Elements.Where(e => e.Kind == ElementKind.Fibre).Sum(e => e.LengthKm), 0.5);
        Assert.Equal(103, Footprint.Leaves.Length);
        Assert.Empty(Footprint.Unsupported);
        Assert.Equal(13_351, Footprint.Cells.Count);
        Assert.Equal(202, Footprint.Facilities.Count);
        Assert.Equal(103, Footprint.Anchors.Count);
        Assert.Equal(100, Footprint.Towers.Count);
        Assert.All(Footprint.Leaves, l => Assert.Equal(["13.05." + l.Code[6..8], "13.05", "13"], l.Ancestors));
    }

    [Fact]
    public async Task BaselineItemsSummedPerLeafEqualTheEnginesLeafMeasures()
    {
        var engine = await new EmbeddedIndicatorEngine(fixture.Store).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        ScenarioFixture.AssertSameLeaves(ScenarioFixture.UnderKabupaten(engine.Leaves), FootprintEvaluator.Baseline(Footprint));
    }

    [Fact]
    public async Task AllElementsAppliedToTheBaselineEqualTheEngineOnTheStoreWithThemBuilt()
    {
        var applied = FootprintEvaluator.Apply(Footprint, fixture.AllIds, onlyAffected: false);
        var engine = await fixture.MeasureWithElementsDoneAsync(fixture.AllIds.ToHashSet());
        ScenarioFixture.AssertSameLeaves(engine, applied);
        // The planned network reaches every kantor wali nagari.
        Assert.All(applied, l => Assert.True(l.VillageOnFibre));
        Assert.All(applied, l => Assert.Equal(0, l.FibreMetres.GetValueOrDefault(FibreStatus.Planned), 1e-6));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ARandomSubsetOfElementsAppliedEqualsTheEngineOnTheStoreWithOnlyThoseBuilt(int seed)
    {
        var random = new Random(seed);
        var subset = fixture.AllIds.Where(_ => random.NextDouble() < 0.5).ToHashSet();
        var applied = FootprintEvaluator.Apply(Footprint, subset, onlyAffected: false);
        var engine = await fixture.MeasureWithElementsDoneAsync(subset);
        ScenarioFixture.AssertSameLeaves(engine, applied);

        // Only the leaves an element touches change; the others keep their baseline.
        var affected = FootprintEvaluator.Apply(Footprint, subset).Select(l => l.Code).ToHashSet();
        var baseline = FootprintEvaluator.Baseline(Footprint);
        for (var i = 0; i < baseline.Count; i++)
            if (!affected.Contains(baseline[i].Code)) Assert.Equal(baseline[i], applied[i]);
    }

    [Fact]
    public void ElementsListOnlyItemsTheBaselineLacksAsSortedSets()
    {
        var covered = Footprint.Baseline.CoveredCells;
        foreach (var e in Footprint.Elements)
        {
            foreach (var (t, cells) in e.Newly.CoveredCells)
            {
                Assert.True(cells.SequenceEqual(cells.Order().Distinct()));
                Assert.Empty(cells.Intersect(covered.GetValueOrDefault(t) ?? []));
            }
            Assert.Empty(e.Newly.CellsInHouseholdReach.Intersect(Footprint.Baseline.CellsInHouseholdReach));
            Assert.Empty(e.Newly.AnchorsOnFibre.Intersect(Footprint.Baseline.AnchorsOnFibre));
            Assert.Empty(e.Newly.FacilitiesOnFibre.Intersect(Footprint.Baseline.FacilitiesOnFibre));
            Assert.True(e.LeafCodes.SequenceEqual(e.LeafCodes.Order(StringComparer.Ordinal)));
        }
        Assert.Contains(Footprint.Elements, e => e.Newly.AnchorsOnFibre.Length > 0);
        Assert.Contains(Footprint.Elements, e => e.Newly.CoveredCells.GetValueOrDefault(RadioTechnology.G5)?.Length > 0);
    }

    [Fact]
    public async Task TwoOverlappingTowersCountACellOnce()
    {
        var nagari = await fixture.Store.FindUnitAsync("13.05.01.2001") ?? (await fixture.Store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, "13.05")))[0];
        var p = nagari.Geometry.InteriorPoint;
        var g5 = new HashSet<RadioTechnology> { RadioTechnology.G5 };
        TowerElement[] towers =
        [
            new("a", p, g5, new Dictionary<RadioTechnology, double> { [RadioTechnology.G5] = 1500 }),
            new("b", Geo.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(p.X + 0.01, p.Y)), g5, new Dictionary<RadioTechnology, double> { [RadioTechnology.G5] = 1500 }),
        ];
        var footprint = await FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [], towers, [], IndicatorOptions.Default);
        var a = footprint.Elements[0].Newly.CoveredCells[RadioTechnology.G5];
        var b = footprint.Elements[1].Newly.CoveredCells[RadioTechnology.G5];
        var shared = a.Intersect(b).ToArray();
        Assert.NotEmpty(shared);

        var baseline = FootprintEvaluator.Baseline(footprint).Sum(l => l.CoveredPopulation.GetValueOrDefault(RadioTechnology.G5));
        var both = FootprintEvaluator.Apply(footprint, ["a", "b"], onlyAffected: false).Sum(l => l.CoveredPopulation.GetValueOrDefault(RadioTechnology.G5));
        long Pop(IEnumerable<int> cells) => cells.Sum(c => (long)footprint.Cells.Population[c]);
        Assert.Equal(baseline + Pop(a.Union(b)), both);
        Assert.True(Pop(shared) > 0);
        Assert.True(both < baseline + Pop(a) + Pop(b));
    }

    [Fact]
    public void FootprintSurvivesAJsonRoundTripWithAStableHash()
    {
        var json = Footprint.ToJson();
        var back = ScenarioFootprint.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(Footprint.ContentHash, back.ComputeHash());
        Assert.Matches("^sha256:[0-9a-f]{64}$", Footprint.ContentHash);
        Assert.Equal(Footprint.ComputeHash(), Footprint.ComputeHash());
        var fewer = back with { Elements = back.Elements[1..] };
        Assert.NotEqual(Footprint.ContentHash, fewer.ComputeHash());
        ScenarioFixture.AssertSameLeaves(FootprintEvaluator.Apply(Footprint, fixture.AllIds, false), FootprintEvaluator.Apply(back, fixture.AllIds, false));
        output.WriteLine($"footprint JSON: {json.Length:N0} characters");
    }

    [Fact]
    public async Task RecomputingWithTheElementsInAnotherOrderGivesTheSameItemsInThatOrder()
    {
        var again = await FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [.. fixture.Planned.Reverse()], fixture.NewTowers, fixture.Upgrades, IndicatorOptions.Default);
        var reordered = Footprint with { Elements = [.. Footprint.Elements.Take(112).Reverse(), .. Footprint.Elements.Skip(112)] };
        Assert.Equal(reordered.ComputeHash(), again.ContentHash);
        ScenarioFixture.AssertSameLeaves(FootprintEvaluator.Apply(Footprint, fixture.AllIds, false), FootprintEvaluator.Apply(again, fixture.AllIds, false));
    }

    [Fact]
    public async Task AUnitWithoutPopulationCellsIsReportedUnsupportedWithTheReason()
    {
        var footprint = await FootprintCalculator.ComputeAsync(fixture.Store, ["14.71"], [], [], [], IndicatorOptions.Default);
        Assert.Empty(footprint.Leaves);
        var unsupported = Assert.Single(footprint.Unsupported);
        Assert.Equal("14.71", unsupported.Code);
        Assert.Equal(FootprintCalculator.NoCellsReason, unsupported.Reason);
        Assert.Empty(FootprintEvaluator.Baseline(footprint));
    }

    [Fact]
    public async Task MalformedElementsAreRejected()
    {
        var o = IndicatorOptions.Default;
        var tower = fixture.Upgrades[0];
        var offered = (await fixture.Store.QueryTowersAsync(FeatureQuery.All)).Single(t => t.Id == tower.TowerId).Technologies.First();
        await Assert.ThrowsAsync<ArgumentException>(() => FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [fixture.Planned[0], fixture.Planned[0]], [], [], o));
        await Assert.ThrowsAsync<ArgumentException>(() => FootprintCalculator.ComputeAsync(fixture.Store, ["99.99"], [], [], [], o));
        await Assert.ThrowsAsync<ArgumentException>(() => FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [fixture.Planned[0] with { DetourFactor = 0.9 }], [], [], o));
        await Assert.ThrowsAsync<ArgumentException>(() => FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [], [],
            [new TowerUpgrade("u", tower.TowerId, new HashSet<RadioTechnology> { offered })], o));
        await Assert.ThrowsAsync<InvalidOperationException>(() => FootprintCalculator.ComputeAsync(fixture.Store, ["13.05"], [], [],
            [new TowerUpgrade("u", "no-such-tower", new HashSet<RadioTechnology> { RadioTechnology.G5 })], o));
        Assert.Throws<ArgumentException>(() => FootprintEvaluator.Apply(Footprint, ["no-such-element"]));
    }
}
