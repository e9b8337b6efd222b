using System.Collections.Immutable;
using System.Text.Json;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Storage;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Storage.PostGis;
using GeoReadiness.Spatial.Tests.Infrastructure;
using GeoReadiness.Spatial.Tests.Storage;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// The indicator repository contract, run against both stores: a set comes back exactly as saved (every unit's
/// indicators, every leaf's measures, the provenance), per engine and options, and only the latest few are kept.
/// The sets are aggregated from hand-written leaf measures, so no engine is involved.
/// </summary>
public abstract class IndicatorRepositoryTests : IAsyncLifetime
{
    protected IIndicatorRepository Repository { get; set; } = null!;

    public abstract Task InitializeAsync();
    public abstract Task DisposeAsync();

    /// <summary>A fresh repository over the same storage, as after a restart.</summary>
    protected abstract Task<IIndicatorRepository> ReopenAsync();

    [StoreFact]
    public async Task SavedSetReadsBackWithEveryUnitLeafAndItsProvenance()
    {
        var options = IndicatorOptions.Default with { FibreReachMetres = 750, BandEdgesPercent = [20, 40, 60, 80] };
        var set = SampleSet(options, dataVersion: 7);

        await Repository.SaveAsync(set);
        var read = await (await ReopenAsync()).GetLatestAsync("embedded", options);

        Assert.NotNull(read);
        Assert.Equal(set.Id, read.Id);
        Assert.Equal(7, read.DataVersion);
        Assert.Equal(set.Engine, read.Engine);
        Assert.Equal(IndicatorSet.RulesVersion, read.Rules);
        Assert.Equal(options, read.Options);
        Assert.Equal(set.ComputedAt, read.ComputedAt);
        Assert.Equal(set.Statistics, read.Statistics);
        Assert.Equal(Json(set.Units), Json(read.Units));
        Assert.Equal(set.Leaves, read.Leaves);
        Assert.Equal(set.Units.Select(u => u.Code), read.Units.Select(u => u.Code));
    }

    [StoreFact]
    public async Task SetsAreKeptPerEngineAndOptions()
    {
        var other = IndicatorOptions.Default with { HouseholdReachMetres = 1500 };
        await Repository.SaveAsync(SampleSet(IndicatorOptions.Default, 1));

        Assert.Null(await Repository.GetLatestAsync("embedded", other));
        Assert.Null(await Repository.GetLatestAsync("postgis", IndicatorOptions.Default));
        Assert.Equal(1, (await Repository.GetLatestAsync("embedded", IndicatorOptions.Default))!.DataVersion);
    }

    [StoreFact]
    public async Task LatestSetWinsAndOnlyTheLastFewAreKept()
    {
        var start = DateTimeOffset.UtcNow;
        for (var v = 1; v <= IIndicatorRepository.KeptPerOptions + 2; v++)
            await Repository.SaveAsync(SampleSet(IndicatorOptions.Default, v) with { ComputedAt = start.AddSeconds(v) });

        Assert.Equal(IIndicatorRepository.KeptPerOptions + 2, (await Repository.GetLatestAsync("embedded", IndicatorOptions.Default))!.DataVersion);
        Assert.Equal(IIndicatorRepository.KeptPerOptions, await StoredSetCountAsync());
    }

    [StoreFact]
    public async Task OnlyTheMostRecentlyComputedOptionsAreKept()
    {
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i <= IIndicatorRepository.KeptOptions; i++)
        {
            var options = IndicatorOptions.Default with { FibreReachMetres = 100 + i };
            await Repository.SaveAsync(SampleSet(options, 1) with { ComputedAt = start.AddSeconds(i) });
        }

        Assert.Null(await Repository.GetLatestAsync("embedded", IndicatorOptions.Default with { FibreReachMetres = 100 }));
        Assert.NotNull(await Repository.GetLatestAsync("embedded", IndicatorOptions.Default with { FibreReachMetres = 101 }));
        Assert.NotNull(await Repository.GetLatestAsync("embedded", IndicatorOptions.Default with { FibreReachMetres = 100 + IIndicatorRepository.KeptOptions }));
        Assert.Equal(IIndicatorRepository.KeptOptions, await StoredSetCountAsync());
    }

    protected abstract Task<int> StoredSetCountAsync();

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, IndicatorSetCodec.Json);

    /// <summary>Province 13 → regency 13.05 → district 13.05.01 → three villages, one with cells, two uniform.</summary>
    internal static IndicatorSet SampleSet(IndicatorOptions options, long dataVersion)
    {
        UnitNode[] units =
        [
            new("13", "Sumatera Barat", AdminLevel.Province, null, 5000, 1200, 4.2e10, false),
            new("13.05", "Padang Pariaman", AdminLevel.Regency, "13", 3000, 800, 1.3e9, false),
            new("13.05.01", "Batang Anai", AdminLevel.District, "13.05", 3000, 800, 1.8e8, false),
            new("13.05.01.2001", "Kasang", AdminLevel.Village, "13.05.01", 1000, 250, 1.0e7, true),
            new("13.05.01.2002", "Buayan", AdminLevel.Village, "13.05.01", 1200, 300, 2.5e7, true),
            new("13.05.01.2003", "Sungai Buluah", AdminLevel.Village, "13.05.01", null, null, 3.1e7, true),
        ];
        LeafMeasures[] leaves =
        [
            new()
            {
                Code = "13.05.01.2001", Method = PopulationMethod.Cells, Cells = 3, CellPopulation = 1010, CellHouseholds = 260,
                CoveredPopulation = ImmutableSortedDictionary.CreateRange(new Dictionary<RadioTechnology, long> { [RadioTechnology.G4] = 800, [RadioTechnology.G2] = 1010 }),
                HouseholdsInReach = 120, VillageOnFibre = true, AnchorIsOffice = true,
                FibreMetres = ImmutableSortedDictionary.CreateRange(new Dictionary<FibreStatus, double> { [FibreStatus.Existing] = 1234.5678901234 }),
                Facilities = ImmutableSortedDictionary.CreateRange(new Dictionary<FacilityKind, int> { [FacilityKind.School] = 2, [FacilityKind.VillageOffice] = 1 }),
                FacilitiesOnFibre = ImmutableSortedDictionary.CreateRange(new Dictionary<FacilityKind, int> { [FacilityKind.VillageOffice] = 1 }),
                Towers = ImmutableSortedDictionary.CreateRange(new Dictionary<RadioTechnology, int> { [RadioTechnology.G4] = 1, [RadioTechnology.G2] = 1 }),
                TowersTotal = 1,
            },
            new()
            {
                Code = "13.05.01.2002", Method = PopulationMethod.UniformArea,
                CoveredAreaM2 = ImmutableSortedDictionary.CreateRange(new Dictionary<RadioTechnology, double> { [RadioTechnology.G4] = 1.25e7 / 3 }),
                ReachAreaShare = 0.1 / 3, VillageOnFibre = false, AnchorIsOffice = false,
            },
            new() { Code = "13.05.01.2003", Method = PopulationMethod.UniformArea, VillageOnFibre = false, AnchorIsOffice = false },
        ];
        return new IndicatorSet
        {
            Id = Guid.NewGuid(),
            Engine = "embedded",
            DataVersion = dataVersion,
            Options = options,
            ComputedAt = new DateTimeOffset(2026, 11, 24, 19, 0, 0, TimeSpan.Zero).AddTicks(dataVersion * 1234560), // whole microseconds, as PostgreSQL keeps them
            Statistics = new IndicatorRunStatistics(true, Guid.NewGuid(), 3, 3, new UnassignedFeatures(1, 2, 3), 12.5),
            Units = IndicatorAggregator.Aggregate(units, leaves, options),
            Leaves = leaves,
        };
    }
}

public sealed class EmbeddedIndicatorRepositoryTests : IndicatorRepositoryTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gr-ind-" + Guid.NewGuid().ToString("N"));
    private EmbeddedStore _store = null!;

    private string Root => Path.Combine(_store.Directory, EmbeddedIndicatorRepository.FolderName);

    public override async Task InitializeAsync()
    {
        _store = await EmbeddedStore.OpenAsync(_directory);
        Repository = new EmbeddedIndicatorRepository(Root);
    }

    public override Task DisposeAsync()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override Task<IIndicatorRepository> ReopenAsync() => Task.FromResult<IIndicatorRepository>(new EmbeddedIndicatorRepository(Root));

    protected override Task<int> StoredSetCountAsync() =>
        Task.FromResult(Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Count());

    [StoreFact]
    public async Task UnreadableFileIsSkippedForTheNextNewest()
    {
        var older = SampleSet(IndicatorOptions.Default, 1);
        await Repository.SaveAsync(older);
        var folder = Directory.GetDirectories(Root).Single();
        await File.WriteAllTextAsync(Path.Combine(folder, "99999999999999999999-broken.json.gz"), "not gzip");

        var read = await Repository.GetLatestAsync("embedded", IndicatorOptions.Default);

        Assert.Equal(older.Id, read?.Id);
    }
}

[RequiresPostGis]
public sealed class PostGisIndicatorRepositoryTests : IndicatorRepositoryTests
{
    private PostGisDatabase _database = null!;
    private readonly List<PostGisStore> _stores = [];

    public override async Task InitializeAsync()
    {
        _database = await PostGisDatabase.CreateAsync();
        Repository = await ReopenAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<IIndicatorRepository> ReopenAsync()
    {
        var store = await PostGisStore.OpenAsync(_database.ConnectionString);
        _stores.Add(store);
        return new PostGisIndicatorRepository(store);
    }

    protected override async Task<int> StoredSetCountAsync()
    {
        await using var cmd = _stores[0].DataSource.CreateCommand(
            "SELECT count(*)::int FROM georeadiness.indicator_set s WHERE EXISTS (SELECT 1 FROM georeadiness.unit_indicators u WHERE u.set_id = s.id) "
            + "AND (SELECT count(*) FROM georeadiness.unit_indicators) = 6 * (SELECT count(*) FROM georeadiness.indicator_set)");
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
