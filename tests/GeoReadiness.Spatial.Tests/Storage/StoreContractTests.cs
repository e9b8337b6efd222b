using System.Text.Json;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Geometries;
using static GeoReadiness.Spatial.Tests.Storage.TestFeatures;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ISpatialStore"/> must show, run once per backend by a subclass. It is what keeps
/// the PostGIS and the embedded store equal: when a test here fails for one backend, that backend is wrong.
/// </summary>
/// <remarks>
/// A subclass supplies empty stores, reopens a store over the same data and interrupts a change half-way. Mark
/// a subclass whose backend needs PostGIS with <see cref="RequiresPostGisAttribute"/>. xunit creates one
/// instance per test, so every test gets stores of its own; the suite disposes the stores it still holds when
/// the test ends.
/// </remarks>
public abstract class StoreContractTests : IAsyncLifetime
{
    private readonly List<ISpatialStore> _live = [];

    /// <summary>A new store with no data, isolated from every other test.</summary>
    protected abstract Task<ISpatialStore> CreateEmptyStoreAsync();

    /// <summary>
    /// A fresh instance over the data of <paramref name="store"/>, as after a restart. Takes ownership of
    /// <paramref name="store"/>: close or dispose it as the backend needs; the suite never uses it again.
    /// </summary>
    protected abstract Task<ISpatialStore> ReopenAsync(ISpatialStore store);

    /// <summary>
    /// Makes the next <see cref="ISpatialStore.ApplyAsync"/> on <paramref name="store"/> call
    /// <paramref name="interrupt"/> once, after it has written the change's admin units and before it writes
    /// the next layer, inside its transaction (or working copy). <paramref name="interrupt"/> either cancels the
    /// token passed to ApplyAsync (the store must then stop with an <see cref="OperationCanceledException"/>) or
    /// throws (the store must let the exception through). Either way the store must end exactly as before.
    /// </summary>
    protected abstract void InterruptNextApplyAfterUnits(ISpatialStore store, Action interrupt);

    /// <summary>Makes <paramref name="store"/> keep only the last <paramref name="versions"/> versions in its change log (1,000 by default).</summary>
    protected abstract void LimitChangeLog(ISpatialStore store, int versions);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _live)
        {
            if (store is IAsyncDisposable d) await d.DisposeAsync();
        }
        _live.Clear();
    }

    private async Task<ISpatialStore> NewStoreAsync()
    {
        var store = await CreateEmptyStoreAsync();
        _live.Add(store);
        return store;
    }

    private async Task<ISpatialStore> ReopenStoreAsync(ISpatialStore store)
    {
        _live.Remove(store);
        var reopened = await ReopenAsync(store);
        _live.Add(reopened);
        return reopened;
    }

    private static DatasetChange Units(IEnumerable<AdminUnit> units, string source = "test") => new() { Source = source, Units = units.ToList() };

    private async Task<ISpatialStore> StoreWithHierarchyAsync()
    {
        var store = await NewStoreAsync();
        await store.ApplyAsync(Units(Hierarchy(), "hierarchy"));
        return store;
    }

    private static async Task<IReadOnlyList<string>> CodesAsync(ISpatialStore store, UnitQuery query) =>
        (await store.QueryUnitsAsync(query)).Select(u => u.Code).ToList();

    private static IEnumerable<string> Ordinal(IEnumerable<string> codes) => codes.Order(StringComparer.Ordinal);

    // ------------------------------------------------------------------ empty store, round-trips

    [StoreFact]
    public async Task NewStoreIsEmptyWithVersionZero()
    {
        var store = await NewStoreAsync();
        var summary = await store.GetSummaryAsync();
        Assert.Equal(0, summary.DataVersion);
        Assert.Null(summary.UpdatedAt);
        Assert.Equal(Enum.GetValues<AdminLevel>().Order(), summary.UnitsPerLevel.Keys.Order());
        Assert.All(summary.UnitsPerLevel.Values, n => Assert.Equal(0, n));
        Assert.Equal((0, 0, 0, 0), (summary.FibreRoutes, summary.Towers, summary.Facilities, summary.PopulationCells));
        Assert.Empty(await store.QueryUnitsAsync(new UnitQuery()));
        Assert.Null(await store.FindUnitAsync("13"));
        Assert.Empty(await store.ExistingUnitCodesAsync(["13", "13.05"]));
    }

    [StoreFact]
    public async Task UnitsRoundTripExactly()
    {
        var store = await NewStoreAsync();
        var units = Hierarchy().ToList();
        units[3] = units[3] with
        {
            Name = "Nagari Lubuk Alung",
            Attributes = MixedAttributes(),
            Geometry = Geo.Factory.CreateMultiPolygon(
            [
                Geo.Factory.CreatePolygon(Geo.Factory.CreateLinearRing(
                [
                    new(100.330767128000051, -0.650056281999980), new(100.331837646000052, -0.652927740999928),
                    new(100.329923405000050, -0.656861492999951), new(100.330767128000051, -0.650056281999980),
                ])),
                Geo.Factory.CreatePolygon(
                    Square(100.5, -0.9, 0.1).Shell,
                    [Geo.Factory.CreateLinearRing([new(100.52, -0.88), new(100.53, -0.88), new(100.53, -0.87), new(100.52, -0.88)])]),
            ]),
        };
        await store.ApplyAsync(Units(units));

        foreach (var expected in units)
        {
            var actual = await store.FindUnitAsync(expected.Code);
            Assert.NotNull(actual);
            Assert.Equal(expected, actual);
            Assert.True(BitIdentical(expected.Geometry, actual.Geometry), $"geometry of {expected.Code} changed");
            Assert.Equal(Geo.Srid, actual.Geometry.SRID);
        }
        var all = await store.QueryUnitsAsync(new UnitQuery());
        Assert.Equal(Ordinal(units.Select(u => u.Code)), all.Select(u => u.Code));
        Assert.Equal(units.OrderBy(u => u.Code, StringComparer.Ordinal), all);
    }

    [StoreFact]
    public async Task NullPopulationAndEmptyAttributesRoundTrip()
    {
        var store = await NewStoreAsync();
        var province = Unit("13", population: null, households: null);
        await store.ApplyAsync(Units([province]));
        var actual = (await store.FindUnitAsync("13"))!;
        Assert.Null(actual.Population);
        Assert.Null(actual.Households);
        Assert.Empty(actual.Attributes);
        Assert.Null(actual.ParentCode);
    }

    [StoreFact]
    public async Task AttributesKeepTheirJsonTypesAndValues()
    {
        var store = await NewStoreAsync();
        await store.ApplyAsync(Units([Unit("13", attributes: MixedAttributes())]));
        var a = (await store.FindUnitAsync("13"))!.Attributes;

        Assert.Equal(MixedAttributes().Keys, a.Keys);
        Assert.Equal(JsonValueKind.String, a["text"].ValueKind);
        Assert.Equal("Nagari Lubuk Alung — ñ \"quoted\"", a["text"].GetString());
        Assert.Equal("", a["empty"].GetString());
        Assert.Equal(JsonValueKind.String, a["numeric_text"].ValueKind);
        Assert.Equal("0042", a["numeric_text"].GetString());
        Assert.Equal(JsonValueKind.Number, a["integer"].ValueKind);
        Assert.Equal(42, a["integer"].GetInt64());
        Assert.Equal(9_007_199_254_740_993L, a["large"].GetInt64());
        Assert.Equal(-17, a["negative"].GetInt32());
        Assert.Equal(0.1, a["fraction"].GetDouble());
        Assert.Equal(1.5e-7, a["tiny"].GetDouble());
        Assert.Equal(1.0 / 3.0, a["third"].GetDouble());
        Assert.Equal(JsonValueKind.True, a["yes"].ValueKind);
        Assert.Equal(JsonValueKind.False, a["no"].ValueKind);
        Assert.Equal(JsonValueKind.Null, a["missing"].ValueKind);
        Assert.True(AttributeEquality.Equal(MixedAttributes(), a));
    }

    [StoreFact]
    public async Task FibreRoutesRoundTripExactly()
    {
        var store = await NewStoreAsync();
        var bare = new FibreRoute { Id = "F-2", Geometry = Geo.AsMultiLineString(Route("x").Geometry.GetGeometryN(1)), Status = FibreStatus.Planned };
        var routes = new[] { Route("F-1"), bare, Route("F-3") with { Status = FibreStatus.Existing } };
        var summary = await store.ApplyAsync(new DatasetChange { Source = "fibre", FibreRoutes = routes });
        Assert.Equal(new LayerChange(3, 0, 0), summary.FibreRoutes);

        var actual = await store.QueryFibreRoutesAsync(FeatureQuery.All);
        Assert.Equal(routes, actual);
        Assert.All(routes.Zip(actual), p => Assert.True(BitIdentical(p.First.Geometry, p.Second.Geometry)));
        Assert.Null(actual[1].Year);
        Assert.Null(actual[1].Owner);
        Assert.Null(actual[1].Name);
    }

    [StoreFact]
    public async Task TowersRoundTripWithRadiiCoverageAndNulls()
    {
        var store = await NewStoreAsync();
        var full = TowerWithRadiiAndCoverage("T-1");
        var bare = BareTower("T-2");
        await store.ApplyAsync(new DatasetChange { Source = "towers", Towers = [bare, full] });

        var actual = await store.QueryTowersAsync(FeatureQuery.All);
        Assert.Equal([full, bare], actual);
        var t1 = actual[0];
        Assert.Equal([RadioTechnology.G2, RadioTechnology.G4, RadioTechnology.G5], t1.Technologies);
        Assert.Equal(2, t1.RadiusMetres.Count);
        Assert.Equal(1500.25, t1.RadiusMetres[RadioTechnology.G4]);
        Assert.Equal(333.333333333333, t1.RadiusMetres[RadioTechnology.G5]);
        Assert.True(BitIdentical(full.Location, t1.Location));
        Assert.True(BitIdentical(full.CoverageArea!, t1.CoverageArea!));
        var t2 = actual[1];
        Assert.Empty(t2.RadiusMetres);
        Assert.Null(t2.CoverageArea);
        Assert.Null(t2.Operator);
        Assert.Null(t2.Year);
        Assert.Null(t2.Name);
    }

    [StoreFact]
    public async Task FacilitiesRoundTripEveryKind()
    {
        var store = await NewStoreAsync();
        var facilities = Enum.GetValues<FacilityKind>()
            .Select((k, i) => Facility($"FAC-{i:00}", k, i % 2 == 0 ? "13.05.01" : null, 100.3 + i * 1e-7, -0.7 - i * 1e-7))
            .ToList();
        await store.ApplyAsync(new DatasetChange { Source = "facilities", Facilities = facilities });
        var actual = await store.QueryFacilitiesAsync(FeatureQuery.All);
        Assert.Equal(facilities, actual);
        Assert.All(facilities.Zip(actual), p => Assert.True(BitIdentical(p.First.Location, p.Second.Location)));
    }

    [StoreFact]
    public async Task PopulationCellsRoundTripPointsAndPolygons()
    {
        var store = await NewStoreAsync();
        var cells = new[] { PointCell("C-1"), SquareCell("C-2"), PointCell("C-3", population: int.MaxValue, households: 1) };
        await store.ApplyAsync(new DatasetChange { Source = "cells", PopulationCells = cells });
        var actual = await store.QueryPopulationCellsAsync(FeatureQuery.All);
        Assert.Equal(cells, actual);
        Assert.IsType<Point>(actual[0].Geometry);
        Assert.IsType<Polygon>(actual[1].Geometry);
        Assert.All(cells.Zip(actual), p => Assert.True(BitIdentical(p.First.Geometry, p.Second.Geometry)));
    }

    // ------------------------------------------------------------------ hierarchy queries

    [StoreFact]
    public async Task FindUnitReturnsNullForUnknownCode()
    {
        var store = await StoreWithHierarchyAsync();
        Assert.Null(await store.FindUnitAsync("13.05.09"));
        Assert.Null(await store.FindUnitAsync("99"));
        Assert.NotNull(await store.FindUnitAsync("13.05.02"));
    }

    [StoreFact]
    public async Task QueryUnitsByLevel()
    {
        var store = await StoreWithHierarchyAsync();
        Assert.Equal(["13", "14"], await CodesAsync(store, new UnitQuery(Level: AdminLevel.Province)));
        Assert.Equal(["13.05", "13.71", "14.01"], await CodesAsync(store, new UnitQuery(Level: AdminLevel.Regency)));
        Assert.Equal(["13.05.01", "13.05.02", "13.71.01", "14.01.01"], await CodesAsync(store, new UnitQuery(Level: AdminLevel.District)));
        Assert.Equal(["13.05.01.2001", "13.05.01.2002", "13.05.02.2001", "13.71.01.1001", "14.01.01.2001"],
            await CodesAsync(store, new UnitQuery(Level: AdminLevel.Village)));
        Assert.All(await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Village)), u => Assert.Equal(AdminLevel.Village, u.Level));
    }

    [StoreFact]
    public async Task QueryUnitsByAncestorReturnsEveryDepthBelowAndExcludesTheAncestor()
    {
        var store = await StoreWithHierarchyAsync();
        Assert.Equal(["13.05", "13.05.01", "13.05.01.2001", "13.05.01.2002", "13.05.02", "13.05.02.2001", "13.71", "13.71.01", "13.71.01.1001"],
            await CodesAsync(store, new UnitQuery(Ancestor: "13")));
        Assert.Equal(["13.05.01", "13.05.01.2001", "13.05.01.2002", "13.05.02", "13.05.02.2001"],
            await CodesAsync(store, new UnitQuery(Ancestor: "13.05")));
        Assert.Equal(["13.05.01.2001", "13.05.01.2002"], await CodesAsync(store, new UnitQuery(Ancestor: "13.05.01")));
        Assert.Empty(await CodesAsync(store, new UnitQuery(Ancestor: "13.05.01.2001")));
        Assert.Empty(await CodesAsync(store, new UnitQuery(Ancestor: "15")));
        // a code is an ancestor by whole segments only: "1" is no prefix of "13"
        Assert.Empty(await CodesAsync(store, new UnitQuery(Ancestor: "1")));
        Assert.Equal(["13.05.01.2001", "13.05.01.2002", "13.05.02.2001", "13.71.01.1001"],
            await CodesAsync(store, new UnitQuery(Level: AdminLevel.Village, Ancestor: "13")));
    }

    [StoreFact]
    public async Task QueryUnitsByBboxReturnsIntersectingUnitsOnly()
    {
        var store = await StoreWithHierarchyAsync();
        var units = Hierarchy();
        // grid cells (1,0) and (2,0) (x 100.2..100.3 and 100.4..100.5, y -1..-0.9), and nothing between them
        var bbox = new Envelope(100.25, 100.45, -0.95, -0.92);
        var expected = units.Where(u => u.Geometry.Intersects(Geo.Factory.ToGeometry(bbox))).Select(u => u.Code).ToList();
        Assert.Equal(["13.05", "13.05.01"], expected);
        Assert.Equal(expected, await CodesAsync(store, new UnitQuery(Bbox: bbox)));

        // a box in the gap between cells touches nothing
        Assert.Empty(await CodesAsync(store, new UnitQuery(Bbox: new Envelope(100.31, 100.39, -0.99, -0.91))));
        // combined with level and ancestor
        Assert.Equal(["13.05.01"], await CodesAsync(store, new UnitQuery(Level: AdminLevel.District, Ancestor: "13", Bbox: bbox)));
        Assert.Empty(await CodesAsync(store, new UnitQuery(Ancestor: "14", Bbox: bbox)));
        // the whole grid
        Assert.Equal(HierarchyCodes, await CodesAsync(store, new UnitQuery(Bbox: new Envelope(99, 102, -2, 0))));
    }

    [StoreFact]
    public async Task QueryUnitsPagesInCodeOrder()
    {
        var store = await StoreWithHierarchyAsync();
        var all = await CodesAsync(store, new UnitQuery());
        Assert.Equal(HierarchyCodes, all);

        var pages = new List<string>();
        for (var offset = 0; offset < all.Count + 3; offset += 3)
        {
            var page = await CodesAsync(store, new UnitQuery(Offset: offset, Limit: 3));
            Assert.True(page.Count <= 3);
            pages.AddRange(page);
        }
        Assert.Equal(all, pages);
        Assert.Equal(["13.05.01.2002", "13.05.02"], await CodesAsync(store, new UnitQuery(Ancestor: "13.05", Offset: 2, Limit: 2)));
        Assert.Empty(await CodesAsync(store, new UnitQuery(Offset: 100)));
        Assert.Empty(await CodesAsync(store, new UnitQuery(Limit: 0)));
    }

    [StoreFact]
    public async Task FeatureQueriesOrderByIdPageAndFilterByBbox()
    {
        var store = await NewStoreAsync();
        // ids deliberately inserted out of order; ordinal order puts "T-10" before "T-2"
        var towers = new[] { 2, 10, 1, 3 }.Select(i => BareTower("T-" + i, 100 + i * 0.1, -0.5)).ToList();
        var routes = new[] { "R-b", "R-a" }.Select((id, i) => Route(id, 101 + i, -0.5)).ToList();
        var facilities = new[] { "F-2", "F-1" }.Select((id, i) => Facility(id, x: 102 + i, y: -0.5)).ToList();
        var cells = new[] { "C-2", "C-1" }.Select((id, i) => SquareCell(id, 103 + i, -0.5)).ToList();
        await store.ApplyAsync(new DatasetChange { Source = "layers", Towers = towers, FibreRoutes = routes, Facilities = facilities, PopulationCells = cells });

        Assert.Equal(["T-1", "T-10", "T-2", "T-3"], (await store.QueryTowersAsync(FeatureQuery.All)).Select(t => t.Id));
        Assert.Equal(["T-10", "T-2"], (await store.QueryTowersAsync(new FeatureQuery(Offset: 1, Limit: 2))).Select(t => t.Id));
        Assert.Equal(["T-2", "T-3"], (await store.QueryTowersAsync(new FeatureQuery(new Envelope(100.15, 100.35, -0.6, -0.4)))).Select(t => t.Id));
        Assert.Equal(["R-a", "R-b"], (await store.QueryFibreRoutesAsync(FeatureQuery.All)).Select(r => r.Id));
        Assert.Equal(["R-b"], (await store.QueryFibreRoutesAsync(new FeatureQuery(new Envelope(100.9, 101.05, -0.6, -0.4)))).Select(r => r.Id));
        Assert.Equal(["F-1", "F-2"], (await store.QueryFacilitiesAsync(FeatureQuery.All)).Select(f => f.Id));
        Assert.Equal(["F-1"], (await store.QueryFacilitiesAsync(new FeatureQuery(new Envelope(102.5, 103.5, -1, 0)))).Select(f => f.Id));
        Assert.Equal(["C-1", "C-2"], (await store.QueryPopulationCellsAsync(FeatureQuery.All)).Select(c => c.Id));
        Assert.Equal(["C-2"], (await store.QueryPopulationCellsAsync(new FeatureQuery(new Envelope(102.9, 103.001, -0.6, -0.4)))).Select(c => c.Id));
        Assert.Empty(await store.QueryPopulationCellsAsync(new FeatureQuery(new Envelope(120, 121, -5, -4))));
    }

    // ------------------------------------------------------------------ change detection and versions

    [StoreFact]
    public async Task ReapplyingTheSameChangeReportsEverythingUnchangedAndKeepsTheVersion()
    {
        var store = await NewStoreAsync();
        var change = new DatasetChange
        {
            Source = "everything",
            Units = Hierarchy().Select((u, i) => i == 0 ? u with { Attributes = MixedAttributes() } : u).ToList(),
            FibreRoutes = [Route("F-1")],
            Towers = [TowerWithRadiiAndCoverage("T-1"), BareTower("T-2")],
            Facilities = [Facility("FAC-1")],
            PopulationCells = [PointCell("C-1"), SquareCell("C-2")],
        };
        var first = await store.ApplyAsync(change);
        Assert.True(first.ChangedAnything);
        Assert.Equal(1, first.DataVersion);
        Assert.Equal(new LayerChange(14, 0, 0), first.Units);
        Assert.Equal(new LayerChange(2, 0, 0), first.Towers);
        var before = await store.GetSummaryAsync();

        var again = await store.ApplyAsync(change with { Source = "everything, again" });
        Assert.False(again.ChangedAnything);
        Assert.Equal(1, again.DataVersion);
        Assert.Equal(new LayerChange(0, 0, 14), again.Units);
        Assert.Equal(new LayerChange(0, 0, 1), again.FibreRoutes);
        Assert.Equal(new LayerChange(0, 0, 2), again.Towers);
        Assert.Equal(new LayerChange(0, 0, 1), again.Facilities);
        Assert.Equal(new LayerChange(0, 0, 2), again.PopulationCells);
        var after = await store.GetSummaryAsync();
        Assert.Equal(before.DataVersion, after.DataVersion);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [StoreFact]
    public async Task UpdatesAreCountedAndBumpTheVersion()
    {
        var store = await StoreWithHierarchyAsync();
        var v1 = (await store.GetSummaryAsync()).DataVersion;
        var units = Hierarchy();
        var change = Units(
        [
            units[0] with { Name = "Sumatera Barat" },                                  // updated: name
            units[1] with { Attributes = Attributes.From([new("ipm", 70.5)]) },          // updated: attributes
            units[2] with { Population = null },                                         // updated: null population
            units[3] with { Geometry = Shift(units[3].Geometry, 1e-12, 0) },             // updated: a tiny move
            units[4] with { Kind = UnitKind.Desa },                                      // updated: kind
            units[5],                                                                    // unchanged
            Unit("13.05.02.2002", geometry: Cell(4, 4)),                                 // inserted
        ], "update");
        var summary = await store.ApplyAsync(change);
        Assert.Equal(new LayerChange(1, 5, 1), summary.Units);
        Assert.Equal(v1 + 1, summary.DataVersion);
        Assert.Equal(v1 + 1, (await store.GetSummaryAsync()).DataVersion);

        foreach (var expected in change.Units) Assert.Equal(expected, await store.FindUnitAsync(expected.Code));
        Assert.True(BitIdentical(change.Units[3].Geometry, (await store.FindUnitAsync(change.Units[3].Code))!.Geometry));

        // an attribute changing type (number to string) is a change too
        var retyped = await store.ApplyAsync(Units([units[1] with { Attributes = Attributes.From([new("ipm", "70.5")]) }]));
        Assert.Equal(new LayerChange(0, 1, 0), retyped.Units);
        Assert.Equal(v1 + 2, retyped.DataVersion);
        Assert.Equal(JsonValueKind.String, (await store.FindUnitAsync(units[1].Code))!.Attributes["ipm"].ValueKind);
    }

    [StoreFact]
    public async Task LayerUpdatesAreCountedPerLayer()
    {
        var store = await NewStoreAsync();
        await store.ApplyAsync(new DatasetChange
        {
            Source = "v1",
            FibreRoutes = [Route("F-1"), Route("F-2")],
            Towers = [TowerWithRadiiAndCoverage("T-1"), BareTower("T-2")],
            Facilities = [Facility("FAC-1")],
            PopulationCells = [PointCell("C-1")],
        });
        var t1 = TowerWithRadiiAndCoverage("T-1");
        var summary = await store.ApplyAsync(new DatasetChange
        {
            Source = "v2",
            FibreRoutes = [Route("F-1"), Route("F-2") with { Status = FibreStatus.Existing }],
            Towers = [t1 with { RadiusMetres = t1.RadiusMetres.SetItem(RadioTechnology.G4, 1500.2500000000002) }, BareTower("T-2") with { CoverageArea = Box(100.49, -0.51, 0.02) }],
            Facilities = [Facility("FAC-1") with { UnitCode = null }, Facility("FAC-2")],
            PopulationCells = [PointCell("C-1", population: 121)],
        });
        Assert.Equal(new LayerChange(0, 1, 1), summary.FibreRoutes);
        Assert.Equal(new LayerChange(0, 2, 0), summary.Towers);
        Assert.Equal(new LayerChange(1, 1, 0), summary.Facilities);
        Assert.Equal(new LayerChange(0, 1, 0), summary.PopulationCells);
        Assert.Equal(LayerChange.None, summary.Units);
        Assert.Equal(2, summary.DataVersion);
        Assert.Equal(1500.2500000000002, (await store.QueryTowersAsync(FeatureQuery.All))[0].RadiusMetres[RadioTechnology.G4]);
    }

    [StoreFact]
    public async Task EmptyChangeKeepsTheVersion()
    {
        var store = await StoreWithHierarchyAsync();
        var summary = await store.ApplyAsync(new DatasetChange { Source = "nothing" });
        Assert.False(summary.ChangedAnything);
        Assert.Equal(1, summary.DataVersion);
        Assert.Equal(LayerChange.None, summary.Units);
    }

    // ------------------------------------------------------------------ change log

    /// <summary>The box of the given geometries' envelopes.</summary>
    private static Envelope EnvelopeOf(params Geometry[] geometries)
    {
        var box = new Envelope();
        foreach (var g in geometries) box.ExpandToInclude(g.EnvelopeInternal);
        return box;
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> covers <paramref name="expected"/> and is no bigger than it by more
    /// than PostGIS's float4 rounding of boxes (a few metres at most).
    /// </summary>
    private static void AssertExtent(Envelope expected, Envelope actual)
    {
        Assert.True(actual.Covers(expected), $"{actual} does not cover {expected}");
        var slack = new Envelope(expected);
        slack.ExpandBy(1e-4);
        Assert.True(slack.Covers(actual), $"{actual} is much larger than {expected}");
    }

    [StoreFact]
    public async Task AFibreRouteChangeLogsOneExtentCoveringTheOldAndNewRoute()
    {
        var store = await StoreWithHierarchyAsync();
        var old = Route("F-1");
        var v2 = (await store.ApplyAsync(new DatasetChange { Source = "route", FibreRoutes = [old, Route("F-2", 101.5, -0.5)] })).DataVersion;
        var moved = Route("F-1", 100.7, -0.3);
        var v3 = (await store.ApplyAsync(new DatasetChange { Source = "route moved", FibreRoutes = [moved, Route("F-2", 101.5, -0.5)] })).DataVersion;
        Assert.Equal((2L, 3L), (v2, v3));

        var log = await store.GetChangesSinceAsync(v2);
        Assert.NotNull(log);
        Assert.Equal((2L, 3L, false), (log.FromVersion, log.ToVersion, log.UnitsChanged));
        var extent = Assert.Single(log.Extents);
        Assert.Equal((3L, FeatureLayer.FibreRoutes, 0.0), (extent.DataVersion, extent.Layer, extent.ReachMetres));
        // the old and the new route, not the unchanged F-2
        AssertExtent(EnvelopeOf(old.Geometry, moved.Geometry), extent.Extent);
    }

    [StoreFact]
    public async Task ATowerChangeLogsItsCoverageAndTheLargestRadiusOldAndNew()
    {
        var store = await NewStoreAsync();
        var full = TowerWithRadiiAndCoverage("T-1");
        await store.ApplyAsync(new DatasetChange { Source = "towers", Towers = [full, BareTower("T-2")] });
        var v1 = (await store.GetSummaryAsync()).DataVersion;
        // T-1 loses its radii and coverage and moves: its old coverage and radius still count
        var bare = BareTower("T-1", 100.9, -0.2);
        await store.ApplyAsync(new DatasetChange { Source = "tower moved", Towers = [bare, BareTower("T-2")] });

        var log = (await store.GetChangesSinceAsync(v1))!;
        var extent = Assert.Single(log.Extents);
        Assert.Equal(FeatureLayer.Towers, extent.Layer);
        Assert.Equal(1500.25, extent.ReachMetres);
        AssertExtent(EnvelopeOf(full.Location, full.CoverageArea!, bare.Location), extent.Extent);

        // towers without radii reach 0 (the engine's defaults apply)
        await store.ApplyAsync(new DatasetChange { Source = "bare towers", Towers = [BareTower("T-3", 101, -0.1)] });
        Assert.Equal(0.0, Assert.Single((await store.GetChangesSinceAsync(v1 + 1))!.Extents).ReachMetres);
    }

    [StoreFact]
    public async Task AnUnchangedReapplyLogsNothing()
    {
        var store = await NewStoreAsync();
        var change = new DatasetChange
        {
            Source = "everything",
            Units = Hierarchy(),
            FibreRoutes = [Route("F-1")],
            Towers = [TowerWithRadiiAndCoverage("T-1")],
            Facilities = [Facility("FAC-1")],
            PopulationCells = [PointCell("C-1"), SquareCell("C-2")],
        };
        await store.ApplyAsync(change);
        Assert.False((await store.ApplyAsync(change with { Source = "again" })).ChangedAnything);

        var sinceCurrent = await store.GetChangesSinceAsync(1);
        Assert.NotNull(sinceCurrent);
        Assert.Equal((1L, 1L, false), (sinceCurrent.FromVersion, sinceCurrent.ToVersion, sinceCurrent.UnitsChanged));
        Assert.Empty(sinceCurrent.Extents);

        // only the changed layer of a partly changed re-apply is logged
        await store.ApplyAsync(change with { Source = "one cell more", PopulationCells = [.. change.PopulationCells, PointCell("C-3", 100.9, -0.1)] });
        var log = (await store.GetChangesSinceAsync(1))!;
        var extent = Assert.Single(log.Extents);
        Assert.Equal(FeatureLayer.PopulationCells, extent.Layer);
        Assert.False(log.UnitsChanged);
        AssertExtent(EnvelopeOf(PointCell("C-3", 100.9, -0.1).Geometry), extent.Extent);
    }

    [StoreFact]
    public async Task AFailedOrRejectedApplyLogsNothing()
    {
        var store = await StoreWithHierarchyAsync();
        InterruptNextApplyAfterUnits(store, () => throw new SimulatedFailureException());
        await Assert.ThrowsAsync<SimulatedFailureException>(() => store.ApplyAsync(LargeChange()));
        await Assert.ThrowsAsync<StoreIntegrityException>(() => store.ApplyAsync(Units([Unit("16.01.01")], "orphan")));
        using (var cts = new CancellationTokenSource())
        {
            InterruptNextApplyAfterUnits(store, cts.Cancel);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ApplyAsync(LargeChange(), cts.Token));
        }
        Assert.Empty((await store.GetChangesSinceAsync(1))!.Extents);

        // the next successful change takes version 2 and logs only what it changed, nothing of the failed ones
        var route = Route("F-1");
        Assert.Equal(2, (await store.ApplyAsync(new DatasetChange { Source = "route", FibreRoutes = [route] })).DataVersion);
        var log = (await store.GetChangesSinceAsync(1))!;
        var extent = Assert.Single(log.Extents);
        Assert.Equal((2L, FeatureLayer.FibreRoutes), (extent.DataVersion, extent.Layer));
        Assert.False(log.UnitsChanged);
        AssertExtent(route.Geometry.EnvelopeInternal, extent.Extent);
    }

    [StoreFact]
    public async Task AUnitChangeIsFlaggedAndLogsTheOldAndNewBoundary()
    {
        var store = await StoreWithHierarchyAsync();
        var units = Hierarchy();
        var village = units[3];
        var moved = village with { Geometry = Cell(7, 7) };
        await store.ApplyAsync(Units([moved], "boundary moved"));

        var log = (await store.GetChangesSinceAsync(1))!;
        Assert.True(log.UnitsChanged);
        var extent = Assert.Single(log.Extents);
        Assert.Equal(FeatureLayer.Units, extent.Layer);
        AssertExtent(EnvelopeOf(village.Geometry, moved.Geometry), extent.Extent);

        // an attribute-only change is a unit change too
        await store.ApplyAsync(Units([units[0] with { Name = "Sumatera Barat" }], "renamed"));
        Assert.True((await store.GetChangesSinceAsync(2))!.UnitsChanged);
        var fibreOnly = await store.ApplyAsync(new DatasetChange { Source = "route", FibreRoutes = [Route("F-1")] });
        Assert.False((await store.GetChangesSinceAsync(fibreOnly.DataVersion - 1))!.UnitsChanged);
    }

    [StoreFact]
    public async Task ChangesOfSeveralVersionsAccumulateInVersionAndLayerOrder()
    {
        var store = await StoreWithHierarchyAsync();
        var route = Route("F-1");
        var tower = TowerWithRadiiAndCoverage("T-1");
        var cell = SquareCell("C-1");
        var facility = Facility("FAC-1");
        await store.ApplyAsync(new DatasetChange { Source = "v2", FibreRoutes = [route] });
        await store.ApplyAsync(new DatasetChange { Source = "v3", Towers = [tower] });
        await store.ApplyAsync(new DatasetChange { Source = "v4", PopulationCells = [cell], Facilities = [facility] });

        var log = (await store.GetChangesSinceAsync(1))!;
        Assert.Equal((1L, 4L, false), (log.FromVersion, log.ToVersion, log.UnitsChanged));
        Assert.Equal(
            [(2L, FeatureLayer.FibreRoutes), (3L, FeatureLayer.Towers), (4L, FeatureLayer.Facilities), (4L, FeatureLayer.PopulationCells)],
            log.Extents.Select(e => (e.DataVersion, e.Layer)));
        AssertExtent(route.Geometry.EnvelopeInternal, log.Extents[0].Extent);
        AssertExtent(EnvelopeOf(tower.Location, tower.CoverageArea!), log.Extents[1].Extent);
        Assert.Equal(1500.25, log.Extents[1].ReachMetres);
        AssertExtent(facility.Location.EnvelopeInternal, log.Extents[2].Extent);
        AssertExtent(cell.Geometry.EnvelopeInternal, log.Extents[3].Extent);

        Assert.Equal([3L, 4L, 4L], (await store.GetChangesSinceAsync(2))!.Extents.Select(e => e.DataVersion));
        var fromStart = (await store.GetChangesSinceAsync(0))!;
        Assert.True(fromStart.UnitsChanged);
        Assert.Equal(FeatureLayer.Units, fromStart.Extents[0].Layer);
        AssertExtent(EnvelopeOf([.. Hierarchy().Select(u => u.Geometry)]), fromStart.Extents[0].Extent);
        Assert.Equal(5, fromStart.Extents.Count);
    }

    [StoreFact]
    public async Task AVersionAfterTheCurrentOneCannotBeAnsweredAndANegativeOneIsRejected()
    {
        var store = await NewStoreAsync();
        var empty = await store.GetChangesSinceAsync(0);
        Assert.NotNull(empty);
        Assert.Equal((0L, 0L, false), (empty.FromVersion, empty.ToVersion, empty.UnitsChanged));
        Assert.Empty(empty.Extents);
        Assert.Null(await store.GetChangesSinceAsync(1));
        await store.ApplyAsync(Units(Hierarchy()));
        Assert.Null(await store.GetChangesSinceAsync(2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.GetChangesSinceAsync(-1));
    }

    [StoreFact]
    public async Task TheChangeLogSurvivesAReopen()
    {
        var store = await StoreWithHierarchyAsync();
        var tower = TowerWithRadiiAndCoverage("T-1");
        await store.ApplyAsync(new DatasetChange { Source = "tower", Towers = [tower] });
        var before = (await store.GetChangesSinceAsync(0))!;

        var reopened = await ReopenStoreAsync(store);
        var after = (await reopened.GetChangesSinceAsync(0))!;
        Assert.Equal((before.FromVersion, before.ToVersion, before.UnitsChanged), (after.FromVersion, after.ToVersion, after.UnitsChanged));
        Assert.Equal(before.Extents, after.Extents);
        await reopened.ApplyAsync(new DatasetChange { Source = "route", FibreRoutes = [Route("F-1")] });
        Assert.Equal([FeatureLayer.Towers, FeatureLayer.FibreRoutes], (await reopened.GetChangesSinceAsync(1))!.Extents.Select(e => e.Layer));
    }

    [StoreFact]
    public async Task TheChangeLogKeepsOnlyTheLastVersionsAndCannotAnswerForOlderOnes()
    {
        var store = await NewStoreAsync();
        LimitChangeLog(store, 3);
        for (var i = 0; i < 5; i++)
            await store.ApplyAsync(new DatasetChange { Source = "move " + i, Facilities = [Facility("FAC-1", x: 100 + i * 1e-4)] });
        Assert.Equal(5, (await store.GetSummaryAsync()).DataVersion);

        Assert.Null(await store.GetChangesSinceAsync(0));
        Assert.Null(await store.GetChangesSinceAsync(1));
        var oldest = (await store.GetChangesSinceAsync(2))!;
        Assert.Equal([3L, 4L, 5L], oldest.Extents.Select(e => e.DataVersion));
        Assert.Equal((2L, 5L), (oldest.FromVersion, oldest.ToVersion));
        Assert.Empty((await store.GetChangesSinceAsync(5))!.Extents);
    }

    // ------------------------------------------------------------------ integrity

    [StoreFact]
    public async Task OrphanParentIsRejectedAndTheStoreIsUnchanged()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        var change = Units([Unit("15"), Unit("15.01"), Unit("16.01.01"), Unit("13.05.03.2001")], "orphans");
        var e = await Assert.ThrowsAsync<StoreIntegrityException>(() => store.ApplyAsync(change));
        Assert.Contains(e.Problems, p => p.Contains("16.01", StringComparison.Ordinal) && p.Contains("orphan", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("13.05.03", StringComparison.Ordinal) && p.Contains("orphan", StringComparison.Ordinal));
        Assert.Equal(2, e.Problems.Count);
        await AssertUnchangedAsync(before, store);
    }

    [StoreFact]
    public async Task ParentsAlreadyInTheStoreAreAccepted()
    {
        var store = await StoreWithHierarchyAsync();
        var summary = await store.ApplyAsync(Units([Unit("13.05.02.2002"), Unit("13.05.03"), Unit("13.05.03.2001")], "children"));
        Assert.Equal(new LayerChange(3, 0, 0), summary.Units);
        Assert.Equal(["13.05.03.2001"], await CodesAsync(store, new UnitQuery(Ancestor: "13.05.03")));
        Assert.Equal(["13.05.02", "13.05.02.2001", "13.05.02.2002", "13.05.03", "13.05.03.2001"],
            await CodesAsync(store, new UnitQuery(Ancestor: "13.05", Offset: 3)));
        Assert.Equal("13.05.03", (await store.FindUnitAsync("13.05.03.2001"))!.ParentCode);
    }

    [StoreFact]
    public async Task ChildrenMayComeBeforeTheirParentsInOneChange()
    {
        var store = await NewStoreAsync();
        var summary = await store.ApplyAsync(Units(Hierarchy().Reverse()));
        Assert.Equal(new LayerChange(14, 0, 0), summary.Units);
        Assert.Equal(HierarchyCodes, await CodesAsync(store, new UnitQuery()));
    }

    [StoreFact]
    public async Task DuplicateCodesAndIdsAreRejectedAndTheStoreIsUnchanged()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        var e = await Assert.ThrowsAsync<StoreIntegrityException>(() => store.ApplyAsync(
            Units([Unit("13.05.03"), Unit("13.05.03", name: "again")], "duplicates")));
        Assert.Contains(e.Problems, p => p.Contains("duplicate unit code '13.05.03'", StringComparison.Ordinal));
        await AssertUnchangedAsync(before, store);

        var layers = await Assert.ThrowsAsync<StoreIntegrityException>(() => store.ApplyAsync(new DatasetChange
        {
            Source = "duplicate ids",
            Towers = [BareTower("T-1"), BareTower("T-1", 101)],
            Facilities = [Facility("FAC-1"), Facility("FAC-1")],
        }));
        Assert.Contains(layers.Problems, p => p.Contains("duplicate tower id 'T-1'", StringComparison.Ordinal));
        Assert.Contains(layers.Problems, p => p.Contains("duplicate facility id 'FAC-1'", StringComparison.Ordinal));
        await AssertUnchangedAsync(before, store);
    }

    [StoreFact]
    public async Task AnInvalidFeatureRejectsTheWholeChange()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        var change = new DatasetChange
        {
            Source = "one bad apple",
            Units = [Unit("13.05.03"), Unit("13.05.04") with { Name = " " }],
            Towers = [BareTower("T-1")],
        };
        var e = await Assert.ThrowsAsync<StoreIntegrityException>(() => store.ApplyAsync(change));
        Assert.Single(e.Problems);
        await AssertUnchangedAsync(before, store);
        Assert.Null(await store.FindUnitAsync("13.05.03"));
    }

    [StoreFact]
    public async Task CancellationAfterUnitsWereWrittenRollsTheWholeChangeBack()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        using var cts = new CancellationTokenSource();
        var interrupted = false;
        InterruptNextApplyAfterUnits(store, () => { interrupted = true; cts.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ApplyAsync(LargeChange(), cts.Token));
        Assert.True(interrupted, "the store never reported that it had written the units");
        await AssertUnchangedAsync(before, store);

        // the store still works, and the same change now goes through
        var summary = await store.ApplyAsync(LargeChange());
        Assert.Equal(new LayerChange(300, 0, 0), summary.Units);
        Assert.Equal(before.Summary.DataVersion + 1, summary.DataVersion);
    }

    [StoreFact]
    public async Task FailureAfterUnitsWereWrittenRollsTheWholeChangeBack()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        InterruptNextApplyAfterUnits(store, () => throw new SimulatedFailureException());

        await Assert.ThrowsAsync<SimulatedFailureException>(() => store.ApplyAsync(LargeChange()));
        await AssertUnchangedAsync(before, store);
        Assert.Empty(await store.ExistingUnitCodesAsync(LargeChange().Units.Select(u => u.Code)));
    }

    [StoreFact]
    public async Task AnAlreadyCancelledTokenWritesNothing()
    {
        var store = await StoreWithHierarchyAsync();
        var before = await SnapshotAsync(store);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ApplyAsync(LargeChange(), cts.Token));
        await AssertUnchangedAsync(before, store);
    }

    /// <summary>300 valid units (a new province 15 down to 295 villages) and a few towers after them.</summary>
    protected static DatasetChange LargeChange() => new()
    {
        Source = "300 units",
        Units =
        [
            Unit("15", geometry: Cell(0, 10)), Unit("15.01", geometry: Cell(1, 10)),
            .. Enumerable.Range(1, 3).Select(d => Unit($"15.01.{d:00}", geometry: Cell(1 + d, 10))),
            .. Enumerable.Range(0, 295).Select(i => Unit($"15.01.{i % 3 + 1:00}.{2001 + i / 3}", geometry: Cell(i % 20, 11 + i / 20))),
        ],
        Towers = [BareTower("T-300"), TowerWithRadiiAndCoverage("T-301")],
        Facilities = [Facility("FAC-300", unitCode: "15.01.01")],
    };

    private sealed class SimulatedFailureException() : Exception("simulated failure half-way through a change");

    // ------------------------------------------------------------------ summary, existence, persistence

    [StoreFact]
    public async Task SummaryCountsUnitsPerLevelAndFeaturesPerLayer()
    {
        var store = await NewStoreAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        await store.ApplyAsync(new DatasetChange
        {
            Source = "summary",
            Units = Hierarchy(),
            FibreRoutes = [Route("F-1")],
            Towers = [BareTower("T-1"), BareTower("T-2"), BareTower("T-3")],
            Facilities = [Facility("FAC-1"), Facility("FAC-2")],
            PopulationCells = [PointCell("C-1"), PointCell("C-2"), SquareCell("C-3"), SquareCell("C-4")],
        });
        var s = await store.GetSummaryAsync();
        Assert.Equal(1, s.DataVersion);
        Assert.NotNull(s.UpdatedAt);
        Assert.InRange(s.UpdatedAt.Value, start, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(TimeSpan.Zero, s.UpdatedAt.Value.Offset);
        Assert.Equal(2, s.UnitsPerLevel[AdminLevel.Province]);
        Assert.Equal(3, s.UnitsPerLevel[AdminLevel.Regency]);
        Assert.Equal(4, s.UnitsPerLevel[AdminLevel.District]);
        Assert.Equal(5, s.UnitsPerLevel[AdminLevel.Village]);
        Assert.Equal((1, 3, 2, 4), (s.FibreRoutes, s.Towers, s.Facilities, s.PopulationCells));

        // the time of the last change moves with the version, not with a no-op re-apply
        await store.ApplyAsync(Units([Unit("13.05.03")]));
        var s2 = await store.GetSummaryAsync();
        Assert.Equal(2, s2.DataVersion);
        Assert.True(s2.UpdatedAt >= s.UpdatedAt);
        Assert.Equal(5, s2.UnitsPerLevel[AdminLevel.District]);
    }

    [StoreFact]
    public async Task ExistingUnitCodesReturnsOnlyTheCodesInTheStore()
    {
        var store = await StoreWithHierarchyAsync();
        var found = await store.ExistingUnitCodesAsync(["13", "13.05.01.2001", "13.05.09", "99", "13", "not a code"]);
        Assert.Equal(["13", "13.05.01.2001"], found.Order(StringComparer.Ordinal));
        Assert.Empty(await store.ExistingUnitCodesAsync([]));
    }

    [StoreFact]
    public async Task DataPersistsAcrossReopen()
    {
        var store = await NewStoreAsync();
        var change = new DatasetChange
        {
            Source = "persist",
            Units = Hierarchy().Select((u, i) => i == 2 ? u with { Attributes = MixedAttributes() } : u).ToList(),
            FibreRoutes = [Route("F-1")],
            Towers = [TowerWithRadiiAndCoverage("T-1"), BareTower("T-2")],
            Facilities = [Facility("FAC-1")],
            PopulationCells = [PointCell("C-1"), SquareCell("C-2")],
        };
        await store.ApplyAsync(change);
        await store.ApplyAsync(Units([Unit("13.05.03")], "second"));
        var before = await SnapshotAsync(store);

        var reopened = await ReopenStoreAsync(store);
        await AssertUnchangedAsync(before, reopened);
        Assert.Equal(2, (await reopened.GetSummaryAsync()).DataVersion);

        // and the reopened store carries on: same change unchanged, new change bumps the version
        var again = await reopened.ApplyAsync(change);
        Assert.False(again.ChangedAnything);
        Assert.Equal(2, again.DataVersion);
        Assert.Equal(3, (await reopened.ApplyAsync(Units([Unit("13.05.04")]))).DataVersion);
    }

    // ------------------------------------------------------------------ real boundaries

    [StoreFact]
    public async Task TheDemoNagariSumToTheKabupatenAndTileItWithoutGapsOrOverlaps()
    {
        var store = await NewStoreAsync();
        var demo = GeoReadiness.Spatial.Datasets.DatasetManifest.Load(Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles"));
        var loaded = await new GeoReadiness.Spatial.Datasets.DatasetLoader().LoadAsync(demo, store);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Reports.Select(r => r.ToText())));

        var kabupaten = (await store.FindUnitAsync("13.05"))!;
        var nagari = await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, "13.05"));
        Assert.Equal(103, nagari.Count);
        Assert.Equal(kabupaten.Population, nagari.Sum(n => n.Population));
        Assert.Equal(kabupaten.Households, nagari.Sum(n => n.Households));
        foreach (var kecamatan in await store.QueryUnitsAsync(new UnitQuery(AdminLevel.District, "13.05")))
            Assert.Equal(kecamatan.Population, nagari.Where(n => n.ParentCode == kecamatan.Code).Sum(n => n.Population));

        // Geodesic areas, as read back from the store: the union within 0.1 % of the kabupaten, overlaps below 0.01 %.
        var kabArea = GeoReadiness.Spatial.Geodesy.GeodesicMeasure.Area(kabupaten.Geometry);
        var union = NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(nagari.Select(n => (NetTopologySuite.Geometries.Geometry)n.Geometry).ToArray());
        Assert.InRange(GeoReadiness.Spatial.Geodesy.GeodesicMeasure.Area(union) / kabArea, 0.999, 1.001);
        var overlap = 0.0;
        var index = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (var i = 0; i < nagari.Count; i++) index.Insert(nagari[i].Geometry.EnvelopeInternal, i);
        for (var i = 0; i < nagari.Count; i++)
            foreach (var j in index.Query(nagari[i].Geometry.EnvelopeInternal).Where(j => j > i))
                overlap += GeoReadiness.Spatial.Geodesy.GeodesicMeasure.Area(nagari[i].Geometry.Intersection(nagari[j].Geometry));
        Assert.True(overlap / kabArea < 1e-4, $"nagari overlap {overlap:F0} m² of {kabArea:F0} m²");
    }

    [StoreFact(RequiresSharedData = true)]
    public async Task NationalBoundariesLoadWithExactlyTheOfficialCodes()
    {
        var store = await NewStoreAsync();
        var units = SharedData.LoadBoundaries("id_provinsi.geojson")
            .Concat(SharedData.LoadBoundaries("id_kabkota.geojson"))
            .Concat(SharedData.LoadBoundaries("id_kecamatan.geojson"))
            .ToArray();
        await store.ApplyAsync(new DatasetChange { Source = "national boundaries", Units = units });

        var summary = await store.GetSummaryAsync();
        Assert.Equal(38, summary.UnitsPerLevel[AdminLevel.Province]);
        Assert.Equal(514, summary.UnitsPerLevel[AdminLevel.Regency]);
        Assert.Equal(7285, summary.UnitsPerLevel[AdminLevel.District]);

        // The official Kemendagri 2025 list (names may contain commas: parse as CSV, not by splitting).
        var official = GeoReadiness.Spatial.IO.CsvTable.Parse(
                File.ReadAllText(Path.Combine(SharedData.RequireDirectory(), "admin-codes", "kemendagri_wilayah_2025.csv")), "kemendagri_wilayah_2025.csv")
            .Skip(1)
            .Select(r => r.Fields[0])
            .Where(code => KemendagriCode.IsValid(code) && KemendagriCode.LevelOf(code) != AdminLevel.Village)
            .ToHashSet(StringComparer.Ordinal);
        var stored = (await store.QueryUnitsAsync(new UnitQuery())).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(official.Except(stored));
        Assert.Empty(stored.Except(official));

        // Every kecamatan hangs below its kab/kota: the children counted through the store add up to the official list.
        Assert.Equal(17, (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.District, Ancestor: "13.05"))).Count);
        Assert.Equal(7285, (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.District, Ancestor: null))).Count);
        var perProvince = 0;
        foreach (var province in await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Province)))
            perProvince += (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.District, Ancestor: province.Code))).Count;
        Assert.Equal(7285, perProvince);
    }

    [StoreFact(RequiresSharedData = true)]
    public async Task RealBoundariesOfPadangPariamanLoadWithAConsistentHierarchy()
    {
        var store = await NewStoreAsync();
        var change = SharedData.PadangPariamanChange();
        var first = await store.ApplyAsync(change);
        Assert.Equal(new LayerChange(38 + 514 + 17 + 103, 0, 0), first.Units);

        var summary = await store.GetSummaryAsync();
        Assert.Equal(38, summary.UnitsPerLevel[AdminLevel.Province]);
        Assert.Equal(514, summary.UnitsPerLevel[AdminLevel.Regency]);
        Assert.Equal(17, summary.UnitsPerLevel[AdminLevel.District]);
        Assert.Equal(103, summary.UnitsPerLevel[AdminLevel.Village]);

        var nagari = await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Village, Ancestor: "13.05"));
        Assert.Equal(103, nagari.Count);
        Assert.All(nagari, n => Assert.Equal(UnitKind.Nagari, n.Kind));
        Assert.Equal(17 + 103, (await store.QueryUnitsAsync(new UnitQuery(Ancestor: "13.05"))).Count);
        Assert.Equal(514, (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Regency))).Count);
        Assert.Equal(19, (await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Regency, Ancestor: "13"))).Count);

        // parent/child consistency: every parent exists, every unit is found below its parent, levels step by one
        var all = await store.QueryUnitsAsync(new UnitQuery());
        Assert.Equal(change.Units.Count, all.Count);
        var byCode = all.ToDictionary(u => u.Code, StringComparer.Ordinal);
        foreach (var unit in all.Where(u => u.ParentCode is not null))
        {
            Assert.True(byCode.TryGetValue(unit.ParentCode!, out var parent), $"{unit.Code}: parent {unit.ParentCode} missing");
            Assert.Equal(unit.Level - 1, parent.Level);
        }
        foreach (var district in all.Where(u => u.Level == AdminLevel.District))
        {
            var children = await store.QueryUnitsAsync(new UnitQuery(Ancestor: district.Code));
            Assert.NotEmpty(children);
            Assert.All(children, c => Assert.Equal(district.Code, c.ParentCode));
        }
        Assert.Equal(103, all.Count(u => u.Level == AdminLevel.Village));
        Assert.Equal(17, await CountChildrenAsync(store, "13.05"));

        // geometry survives exactly, including the repaired Kab. Sorong
        var sorong = change.Units.Single(u => u.Code == "96.01");
        Assert.True(BitIdentical(sorong.Geometry, byCode["96.01"].Geometry));
        var lubukAlung = change.Units.Single(u => u.Code == "13.05.01.2001");
        Assert.True(BitIdentical(lubukAlung.Geometry, byCode["13.05.01.2001"].Geometry));

        // a nagari is found by a box around one of its vertices
        var vertex = lubukAlung.Geometry.Coordinates[0];
        var near = await store.QueryUnitsAsync(new UnitQuery(Level: AdminLevel.Village, Bbox: new Envelope(vertex.X - 1e-6, vertex.X + 1e-6, vertex.Y - 1e-6, vertex.Y + 1e-6)));
        Assert.Contains(near, u => u.Code == "13.05.01.2001");

        // a re-import changes nothing
        var again = await store.ApplyAsync(SharedData.PadangPariamanChange());
        Assert.False(again.ChangedAnything);
        Assert.Equal(new LayerChange(0, 0, change.Units.Count), again.Units);
        Assert.Equal(first.DataVersion, again.DataVersion);
    }

    private static async Task<int> CountChildrenAsync(ISpatialStore store, string code) =>
        (await store.QueryUnitsAsync(new UnitQuery(Ancestor: code))).Count(u => u.ParentCode == code);

    // ------------------------------------------------------------------ snapshots

    protected sealed record Snapshot(
        StoreSummary Summary,
        IReadOnlyList<AdminUnit> Units,
        IReadOnlyList<FibreRoute> FibreRoutes,
        IReadOnlyList<Tower> Towers,
        IReadOnlyList<Facility> Facilities,
        IReadOnlyList<PopulationCell> PopulationCells);

    protected static async Task<Snapshot> SnapshotAsync(ISpatialStore store) => new(
        await store.GetSummaryAsync(),
        await store.QueryUnitsAsync(new UnitQuery()),
        await store.QueryFibreRoutesAsync(FeatureQuery.All),
        await store.QueryTowersAsync(FeatureQuery.All),
        await store.QueryFacilitiesAsync(FeatureQuery.All),
        await store.QueryPopulationCellsAsync(FeatureQuery.All));

    /// <summary>Asserts that the store holds exactly the snapshot's data, version and time of last change.</summary>
    protected static async Task AssertUnchangedAsync(Snapshot before, ISpatialStore store)
    {
        var now = await SnapshotAsync(store);
        Assert.Equal(before.Summary.DataVersion, now.Summary.DataVersion);
        Assert.Equal(before.Summary.UpdatedAt, now.Summary.UpdatedAt);
        Assert.Equal(before.Summary.UnitsPerLevel.OrderBy(kv => kv.Key), now.Summary.UnitsPerLevel.OrderBy(kv => kv.Key));
        Assert.Equal(
            (before.Summary.FibreRoutes, before.Summary.Towers, before.Summary.Facilities, before.Summary.PopulationCells),
            (now.Summary.FibreRoutes, now.Summary.Towers, now.Summary.Facilities, now.Summary.PopulationCells));
        Assert.Equal(before.Units, now.Units);
        Assert.Equal(before.FibreRoutes, now.FibreRoutes);
        Assert.Equal(before.Towers, now.Towers);
        Assert.Equal(before.Facilities, now.Facilities);
        Assert.Equal(before.PopulationCells, now.PopulationCells);
    }
}
