using System.Collections.Immutable;
using System.Diagnostics;
using GeoReadiness.Spatial.Datasets;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Infrastructure;

namespace GeoReadiness.Spatial.Tests.Scenarios;

/// <summary>
/// The demo of data/shapefiles loaded into an embedded store, with the scenario of the key tests: the 112 planned
/// routes of 13.05 as fibre elements, three new towers and two upgrades, and its footprint.
/// </summary>
public sealed class ScenarioFixture : IAsyncLifetime
{
    public const string Kabupaten = "13.05";
    private readonly List<string> _dirs = [];

    public EmbeddedStore Store { get; private set; } = null!;
    public IReadOnlyList<FibreElement> Planned { get; private set; } = [];
    public IReadOnlyList<TowerElement> NewTowers { get; private set; } = [];
    public IReadOnlyList<TowerUpgrade> Upgrades { get; private set; } = [];
    public ScenarioFootprint Footprint { get; private set; } = null!;
    public TimeSpan FootprintTime { get; private set; }
    public IReadOnlyList<string> AllIds => [.. Footprint.Elements.Select(e => e.Id)];

    public static string DemoDirectory => Path.Combine(TestEnvironment.RepositoryRoot, "data", "shapefiles");

    public async Task InitializeAsync()
    {
        Store = await OpenDemoStoreAsync();
        Planned = await FootprintCalculator.StoredRoutesToCompleteAsync(Store, [Kabupaten]);
        var nagari = (await Store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, Kabupaten))).ToArray();
        NewTowers =
        [
            new TowerElement("new-a", nagari[5].Geometry.InteriorPoint, new HashSet<RadioTechnology> { RadioTechnology.G4 }),
            new TowerElement("new-b", nagari[50].Geometry.InteriorPoint, new HashSet<RadioTechnology> { RadioTechnology.G4, RadioTechnology.G5 },
                new Dictionary<RadioTechnology, double> { [RadioTechnology.G4] = 2500 }),
            new TowerElement("new-c", nagari[90].Geometry.InteriorPoint, new HashSet<RadioTechnology> { RadioTechnology.G2, RadioTechnology.G3, RadioTechnology.G4 }),
        ];
        var towers = await Store.QueryTowersAsync(FeatureQuery.All);
        var without4G = towers.First(t => !t.Technologies.Contains(RadioTechnology.G4));
        var without5G = towers.First(t => t.Technologies.Contains(RadioTechnology.G4) && !t.Technologies.Contains(RadioTechnology.G5));
        Upgrades =
        [
            new TowerUpgrade("up-4g", without4G.Id, new HashSet<RadioTechnology> { RadioTechnology.G4 }),
            new TowerUpgrade("up-5g", without5G.Id, new HashSet<RadioTechnology> { RadioTechnology.G5 },
                new Dictionary<RadioTechnology, double> { [RadioTechnology.G5] = 800 }),
        ];
        var clock = Stopwatch.StartNew();
        Footprint = await FootprintCalculator.ComputeAsync(Store, [Kabupaten], Planned, NewTowers, Upgrades, IndicatorOptions.Default);
        FootprintTime = clock.Elapsed;
    }

    /// <summary>A new embedded store holding data/shapefiles.</summary>
    public async Task<EmbeddedStore> OpenDemoStoreAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "gr-scenario-" + Guid.NewGuid().ToString("N"));
        _dirs.Add(dir);
        var store = await EmbeddedStore.OpenAsync(dir);
        var result = await new DatasetLoader().LoadAsync(DatasetManifest.Load(DemoDirectory), store);
        Assert.True(result.Succeeded);
        return store;
    }

    /// <summary>
    /// The demo with the given elements done the way the engine sees them: the routes Existing, the new towers
    /// added and the upgraded towers offering their added technologies; its leaves measured by the embedded engine.
    /// </summary>
    public async Task<IReadOnlyList<LeafMeasures>> MeasureWithElementsDoneAsync(IReadOnlySet<string> ids)
    {
        await using var store = await OpenDemoStoreAsync();
        var routes = (await store.QueryFibreRoutesAsync(FeatureQuery.All)).Where(r => ids.Contains(r.Id))
            .Select(r => r with { Status = FibreStatus.Existing }).ToList();
        var byId = (await store.QueryTowersAsync(FeatureQuery.All)).ToDictionary(t => t.Id);
        var towers = NewTowers.Where(t => ids.Contains(t.Id)).Select(t => new Tower
        {
            Id = t.Id,
            Location = t.Location,
            Technologies = [.. t.Technologies],
            RadiusMetres = (t.RadiusMetres ?? new Dictionary<RadioTechnology, double>()).ToImmutableSortedDictionary(),
        }).ToList();
        var upgraded = new Dictionary<string, Tower>();
        foreach (var u in Upgrades.Where(u => ids.Contains(u.Id)))
            upgraded[u.TowerId] = FootprintCalculator.Upgraded(upgraded.GetValueOrDefault(u.TowerId) ?? byId[u.TowerId], u);
        towers.AddRange(upgraded.Values);
        if (routes.Count + towers.Count > 0)
            await store.ApplyAsync(new DatasetChange { Source = "scenario test", FibreRoutes = routes, Towers = towers });
        var measured = await new EmbeddedIndicatorEngine(store).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        return UnderKabupaten(measured.Leaves);
    }

    public static IReadOnlyList<LeafMeasures> UnderKabupaten(IEnumerable<LeafMeasures> leaves) =>
        [.. leaves.Where(l => l.Code.StartsWith(Kabupaten + ".", StringComparison.Ordinal)).OrderBy(l => l.Code, StringComparer.Ordinal)];

    public Task DisposeAsync()
    {
        Store.Dispose();
        foreach (var dir in _dirs) if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Counts exactly; lengths within 1e-6 m (sums in another order); shares within 1e-9.</summary>
    public static void AssertSameLeaves(IReadOnlyList<LeafMeasures> expected, IReadOnlyList<LeafMeasures> actual)
    {
        Assert.Equal(expected.Select(l => l.Code), actual.Select(l => l.Code));
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var fibre = Enum.GetValues<FibreStatus>();
            foreach (var s in fibre)
                Assert.True(Math.Abs(e.FibreMetres.GetValueOrDefault(s) - a.FibreMetres.GetValueOrDefault(s)) <= 1e-6,
                    $"{e.Code} {s}: {e.FibreMetres.GetValueOrDefault(s)} m expected, {a.FibreMetres.GetValueOrDefault(s)} m");
            Assert.Equal(e with { FibreMetres = EnumMap<FibreStatus, double>.Empty }, a with { FibreMetres = EnumMap<FibreStatus, double>.Empty });
            foreach (var t in Enum.GetValues<RadioTechnology>())
                Assert.Equal(Share(e.CoveredPopulation.GetValueOrDefault(t), e.CellPopulation), Share(a.CoveredPopulation.GetValueOrDefault(t), a.CellPopulation), 1e-9);
            Assert.Equal(Share(e.HouseholdsInReach, e.CellHouseholds), Share(a.HouseholdsInReach, a.CellHouseholds), 1e-9);
        }
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
