using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;

namespace GeoReadiness.Spatial.Scenarios;

/// <summary>
/// What preparing a scenario reads from the store (the simulation library prepares scenarios without doing I/O
/// itself: the caller hands it one of these). <see cref="StoreScenarioSource"/> reads any <see cref="ISpatialStore"/>.
/// </summary>
public interface IScenarioSource
{
    /// <summary>The unit with this code, or null.</summary>
    Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>The villages below the unit, ordered by code.</summary>
    Task<IReadOnlyList<AdminUnit>> VillagesAsync(string within, CancellationToken cancellationToken = default);

    /// <summary>The towers located in the extent of the units (a superset of those inside them).</summary>
    Task<IReadOnlyList<Tower>> TowersNearAsync(IReadOnlyList<string> unitCodes, CancellationToken cancellationToken = default);

    /// <summary><see cref="FootprintCalculator.StoredRoutesToCompleteAsync"/> of one unit.</summary>
    Task<IReadOnlyList<FibreElement>> RoutesToCompleteAsync(string within, CancellationToken cancellationToken = default);

    /// <summary><see cref="RouteBuilder.ConnectOfficesAsync"/>.</summary>
    Task<BuiltRoute> ConnectOfficesAsync(IReadOnlyList<string> villageCodes, double detourFactor, CancellationToken cancellationToken = default);

    /// <summary><see cref="FootprintCalculator.ComputeAsync"/>, with its content hash.</summary>
    Task<ScenarioFootprint> FootprintAsync(IReadOnlyList<string> unitCodes, IReadOnlyList<FibreElement> fibre, IReadOnlyList<TowerElement> towers,
        IReadOnlyList<TowerUpgrade> upgrades, CancellationToken cancellationToken = default);
}

/// <summary>The <see cref="IScenarioSource"/> of a store, measuring with <paramref name="options"/> (the indicator set's).</summary>
public sealed class StoreScenarioSource(ISpatialStore store, IndicatorOptions options) : IScenarioSource
{
    public Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default) => store.FindUnitAsync(code, cancellationToken);

    public async Task<IReadOnlyList<AdminUnit>> VillagesAsync(string within, CancellationToken cancellationToken = default) =>
        [.. (await store.QueryUnitsAsync(new UnitQuery(AdminLevel.Village, within), cancellationToken)).OrderBy(u => u.Code, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<Tower>> TowersNearAsync(IReadOnlyList<string> unitCodes, CancellationToken cancellationToken = default)
    {
        var units = await FootprintCalculator.ResolveUnitsAsync(store, unitCodes, cancellationToken);
        return await store.QueryTowersAsync(new FeatureQuery(FootprintCalculator.ExtentOf(units)), cancellationToken);
    }

    public Task<IReadOnlyList<FibreElement>> RoutesToCompleteAsync(string within, CancellationToken cancellationToken = default) =>
        FootprintCalculator.StoredRoutesToCompleteAsync(store, [within], cancellationToken);

    public Task<BuiltRoute> ConnectOfficesAsync(IReadOnlyList<string> villageCodes, double detourFactor, CancellationToken cancellationToken = default) =>
        RouteBuilder.ConnectOfficesAsync(store, villageCodes, detourFactor, options, cancellationToken);

    public async Task<ScenarioFootprint> FootprintAsync(IReadOnlyList<string> unitCodes, IReadOnlyList<FibreElement> fibre, IReadOnlyList<TowerElement> towers,
        IReadOnlyList<TowerUpgrade> upgrades, CancellationToken cancellationToken = default) =>
        (await FootprintCalculator.ComputeAsync(store, unitCodes, fibre, towers, upgrades, options, cancellationToken)).WithHash();
}
