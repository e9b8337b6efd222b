using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Indicators;

[Collection(DemoCollection.Name)]
public sealed class EmbeddedIndicatorEngineTests(DemoFixture demo) : IAsyncLifetime
{
    private readonly DemoTempDir _dir = new();
    private EmbeddedStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await EmbeddedStore.OpenAsync(_dir.Path);
        await _store.ApplyAsync(demo.Data.ToChange());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static readonly RadioTechnology[] Technologies = Enum.GetValues<RadioTechnology>();

    [Fact]
    public async Task DemoKabupatenHasIndicatorsForEveryNagariKecamatanAndItself()
    {
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(_store), IndicatorOptions.Default);
        var kab = demo.Data.Kabupaten.Code;
        var below = set.Units.Where(u => u.Code.StartsWith(kab + ".", StringComparison.Ordinal)).ToArray();
        Assert.Equal(103, below.Count(u => u.Level == AdminLevel.Village));
        Assert.Equal(17, below.Count(u => u.Level == AdminLevel.District));
        var total = Assert.Single(set.Units, u => u.Code == kab);
        Assert.Equal(PopulationMethod.Cells, total.PopulationMethod);
        Assert.Equal(103, total.LeafUnits);
        Assert.Equal(103, total.VillagesOnFibre.Total);
        Assert.Equal(set.DataVersion, (await _store.GetSummaryAsync()).DataVersion);
        Assert.Equal(IndicatorOptions.Default, set.Options);
    }

    [Fact]
    public async Task NagariSumsEqualTheKabupatenTotals()
    {
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(_store), IndicatorOptions.Default);
        var kab = Assert.Single(set.Units, u => u.Code == demo.Data.Kabupaten.Code);
        var nagari = set.Units.Where(u => u.Level == AdminLevel.Village && u.Code.StartsWith(kab.Code + ".", StringComparison.Ordinal)).ToArray();

        Assert.Equal(demo.Data.PopulationCells.Sum(c => (long)c.Population), kab.Population);
        Assert.Equal(nagari.Sum(n => n.Population), kab.Population);
        Assert.Equal(nagari.Sum(n => n.Households), kab.Households);
        Assert.Equal(nagari.Sum(n => n.TowersTotal), kab.TowersTotal);
        Assert.Equal(demo.Data.Towers.Count, kab.TowersTotal);
        Assert.Equal(nagari.Sum(n => n.VillagesOnFibre.Count), kab.VillagesOnFibre.Count);
        foreach (var t in Technologies)
        {
            Assert.Equal(nagari.Sum(n => n.Coverage[t].PopulationCovered ?? 0), kab.Coverage[t].PopulationCovered!.Value, 6);
            // Shares are recomputed from the sums, not averaged.
            Assert.Equal(100.0 * kab.Coverage[t].PopulationCovered!.Value / kab.Population!.Value, kab.Coverage[t].SharePercent!.Value, 9);
        }
        foreach (var s in Enum.GetValues<FibreStatus>())
            Assert.Equal(nagari.Sum(n => n.FibreKm[s]), kab.FibreKm[s], 6);
        Assert.Equal(nagari.Sum(n => n.HouseholdsFixedReach.Households ?? 0), kab.HouseholdsFixedReach.Households!.Value, 6);
        foreach (var k in Enum.GetValues<FacilityKind>())
            Assert.Equal(nagari.Sum(n => n.FacilitiesOnFibre[k].Count), kab.FacilitiesOnFibre[k].Count);
        // The area of the kabupaten is its own boundary's; the nagari tile it.
        Assert.Equal(kab.AreaKm2, nagari.Sum(n => n.AreaKm2), kab.AreaKm2 * 1e-6);
    }

    [Fact]
    public async Task FibreInsideTheKabupatenIsTheGeodesicLengthOfTheRoutesClippedToIt()
    {
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(_store), IndicatorOptions.Default);
        var kab = Assert.Single(set.Units, u => u.Code == demo.Data.Kabupaten.Code);
        foreach (var status in Enum.GetValues<FibreStatus>())
        {
            var expected = demo.Data.FibreRoutes.Where(r => r.Status == status)
                .Sum(r => GeodesicMeasure.Length(demo.Data.Kabupaten.Geometry.Intersection(r.Geometry))) / 1000;
            Assert.Equal(expected, kab.FibreKm[status], Math.Max(1e-6, expected * 1e-9));
        }
    }

    [Fact]
    public async Task CoverageCountsEveryCellWithinATowerRadiusExactly()
    {
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(_store), IndicatorOptions.Default);
        var kab = Assert.Single(set.Units, u => u.Code == demo.Data.Kabupaten.Code);
        var options = IndicatorOptions.Default;
        foreach (var t in Technologies)
        {
            var offering = demo.Data.Towers.Where(w => w.Technologies.Contains(t)).ToArray();
            long expected = demo.Data.PopulationCells
                .Where(c => offering.Any(w => w.CoverageArea is { } area
                    ? area.Covers(c.Geometry)
                    : GeodesicDistance.IsWithin(((Point)c.Geometry).Coordinate, w.Location, options.RadiusOf(w, t))))
                .Sum(c => (long)c.Population);
            Assert.Equal(expected, kab.Coverage[t].PopulationCovered);
        }
    }

    [Fact]
    public async Task RegenciesWithoutChildrenSpreadTheirPopulationUniformly()
    {
        var set = await IndicatorCalculator.ComputeAsync(new EmbeddedIndicatorEngine(_store), IndicatorOptions.Default);
        var other = set.Units.First(u => u.Level == AdminLevel.Regency && u.LeafUnits == 1 && u.Population is > 0);
        Assert.Equal(PopulationMethod.UniformArea, other.PopulationMethod);
        Assert.Equal(demo.Data.Regencies.Single(r => r.Code == other.Code).Population, other.Population);
        var province = Assert.Single(set.Units, u => u.Code == demo.Data.Kabupaten.Code[..2]);
        Assert.Equal(PopulationMethod.Mixed, province.PopulationMethod);
    }

    [Fact]
    public async Task ScopedMeasurementMeasuresOnlyTheLeavesInTheBoxes()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var nagari = demo.Data.Nagari[0];
        var box = nagari.Geometry.InteriorPoint.EnvelopeInternal;
        var scoped = await engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.Within([box]));
        var all = await engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        Assert.InRange(scoped.Leaves.Count, 1, 4);
        Assert.Contains(scoped.Leaves, l => l.Code == nagari.Code);
        foreach (var leaf in scoped.Leaves) Assert.Equal(all.Leaves.Single(l => l.Code == leaf.Code), leaf);
        Assert.Equal(all.Units.Count, scoped.Units.Count);
    }

    [Fact]
    public async Task IncrementalRecomputeAfterANewRouteTouchesOnlyNearbyUnitsAndEqualsAFullRecompute()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var options = IndicatorOptions.Default;
        var before = await IndicatorCalculator.ComputeAsync(engine, options);

        // A new existing route across one nagari.
        var nagari = demo.Data.Nagari[40];
        var e = nagari.Geometry.EnvelopeInternal;
        var line = Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString([
            new Coordinate(e.MinX + e.Width * 0.3, e.Centre.Y), new Coordinate(e.MinX + e.Width * 0.7, e.Centre.Y)])]);
        var route = new FibreRoute { Id = "test-new-route", Geometry = line, Status = FibreStatus.Existing };
        await _store.ApplyAsync(new DatasetChange { Source = "test", FibreRoutes = [route] });
        var areas = ChangedAreas.From(new StoreChangeLog(before.DataVersion, before.DataVersion + 1, false,
            [new ChangedExtent(before.DataVersion + 1, FeatureLayer.FibreRoutes, line.EnvelopeInternal)]), options)!;

        var incremental = await IndicatorCalculator.ComputeAsync(engine, options, before, areas);
        var full = await IndicatorCalculator.ComputeAsync(engine, options);

        Assert.True(incremental.Statistics.Incremental);
        Assert.Equal(before.Id, incremental.Statistics.BasedOn);
        // The nagari near the route, their kecamatan, the kabupaten and the province — not the 600-odd units.
        Assert.InRange(incremental.Statistics.LeavesMeasured, 1, 20);
        Assert.InRange(incremental.Statistics.UnitsAggregated, 3, 10);
        Assert.True(incremental.Statistics.UnitsRecomputed < before.Units.Count / 10);
        Assert.False(full.Statistics.Incremental);
        Assert.Equal(full.Units.Count, incremental.Units.Count);
        for (var i = 0; i < full.Units.Count; i++) Assert.Equivalent(full.Units[i], incremental.Units[i], strict: true);
        Assert.Equal(full.Leaves, incremental.Leaves);
        var touched = Assert.Single(incremental.Units, u => u.Code == nagari.Code);
        var old = Assert.Single(before.Units, u => u.Code == nagari.Code);
        Assert.True(touched.FibreKm[FibreStatus.Existing] > old.FibreKm[FibreStatus.Existing]);
    }

    [Fact]
    public async Task IncrementalRecomputeAfterANewTowerAndMovedCellsEqualsAFullRecompute()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var options = IndicatorOptions.Default;
        var before = await IndicatorCalculator.ComputeAsync(engine, options);

        var nagari = demo.Data.Nagari[70];
        var site = nagari.Geometry.InteriorPoint;
        var tower = new Tower
        {
            Id = "test-new-tower",
            Location = site,
            Technologies = [RadioTechnology.G4, RadioTechnology.G5],
            RadiusMetres = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
                [KeyValuePair.Create(RadioTechnology.G4, 2500.0), KeyValuePair.Create(RadioTechnology.G5, 800.0)]),
        };
        var cell = demo.Data.PopulationCells.First(c => nagari.Geometry.Covers(c.Geometry));
        var moved = cell with { Population = cell.Population + 500, Households = cell.Households + 120 };
        await _store.ApplyAsync(new DatasetChange { Source = "test", Towers = [tower], PopulationCells = [moved] });
        var version = before.DataVersion + 1;
        var areas = ChangedAreas.From(new StoreChangeLog(before.DataVersion, version, false,
        [
            new ChangedExtent(version, FeatureLayer.Towers, site.EnvelopeInternal, 2500),
            new ChangedExtent(version, FeatureLayer.PopulationCells, cell.Geometry.EnvelopeInternal),
        ]), options)!;

        var incremental = await IndicatorCalculator.ComputeAsync(engine, options, before, areas);
        var full = await IndicatorCalculator.ComputeAsync(engine, options);

        Assert.True(incremental.Statistics.Incremental);
        Assert.InRange(incremental.Statistics.LeavesMeasured, 1, 40);
        Assert.True(incremental.Statistics.UnitsRecomputed < before.Units.Count / 5);
        for (var i = 0; i < full.Units.Count; i++) Assert.Equivalent(full.Units[i], incremental.Units[i], strict: true);
        var kab = demo.Data.Kabupaten.Code;
        Assert.Equal(before.Units.Single(u => u.Code == kab).Population + 500, incremental.Units.Single(u => u.Code == kab).Population);
        Assert.Equal(before.Units.Single(u => u.Code == kab).TowersTotal + 1, incremental.Units.Single(u => u.Code == kab).TowersTotal);
    }

    [Fact]
    public async Task AChangedUnitMeansAFullRecompute()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var before = await IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default);
        var log = new StoreChangeLog(before.DataVersion, before.DataVersion + 1, true, []);
        Assert.Null(ChangedAreas.From(log, IndicatorOptions.Default));
        var next = await IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default, before, ChangedAreas.From(log, IndicatorOptions.Default));
        Assert.False(next.Statistics.Incremental);
        Assert.Equal(before.Leaves.Count, next.Statistics.LeavesMeasured);
    }

    [Fact]
    public async Task OtherOptionsOrAnotherEngineGiveAFullRecomputeNotAnIncrementalOne()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var before = await IndicatorCalculator.ComputeAsync(engine, IndicatorOptions.Default);
        var wider = IndicatorOptions.Default with { FibreReachMetres = 1000 };
        var next = await IndicatorCalculator.ComputeAsync(engine, wider, before, [new Envelope(100, 100.001, -0.5, -0.499)]);
        Assert.False(next.Statistics.Incremental);
        Assert.Equal(wider, next.Options);
        var kab = demo.Data.Kabupaten.Code;
        Assert.True(next.Units.Single(u => u.Code == kab).VillagesOnFibre.Count >= before.Units.Single(u => u.Code == kab).VillagesOnFibre.Count);
    }

    [Fact]
    public async Task InvalidOptionsAreRejectedBeforeAnythingIsMeasured()
    {
        var engine = new EmbeddedIndicatorEngine(_store);
        var bad = IndicatorOptions.Default with { FibreReachMetres = -1 };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => IndicatorCalculator.ComputeAsync(engine, bad));
        Assert.Contains("fibreReachMetres", e.Message);
    }
}
