using System.Diagnostics;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Scenarios;

namespace GeoReadiness.Bench.Scenarios;

/// <summary>
/// An <see cref="IScenarioSource"/> that keeps the footprint it computes as JSON (<see cref="ScenarioFootprint.ToJson"/>)
/// in <paramref name="file"/> and reads it from there on the next run, so repeated benchmark runs skip the geometry.
/// The caller names the file after everything the footprint depends on (data set, store data version, scenario
/// SHA-256). Everything else goes to <paramref name="inner"/>. Also times the footprint.
/// </summary>
public sealed class CachedFootprintSource(IScenarioSource inner, string file) : IScenarioSource
{
    public bool Cached { get; private set; }
    /// <summary>This run's time for the footprint: computing it, or reading the cached JSON.</summary>
    public double FootprintSeconds { get; private set; }
    /// <summary>The time computing it took, in this run or in the run that cached it (kept beside the JSON); null if unknown.</summary>
    public double? ComputeSeconds { get; private set; }
    public long FootprintJsonBytes { get; private set; }

    public Task<AdminUnit?> FindUnitAsync(string code, CancellationToken cancellationToken = default) => inner.FindUnitAsync(code, cancellationToken);

    public Task<IReadOnlyList<AdminUnit>> VillagesAsync(string within, CancellationToken cancellationToken = default) => inner.VillagesAsync(within, cancellationToken);

    public Task<IReadOnlyList<Tower>> TowersNearAsync(IReadOnlyList<string> unitCodes, CancellationToken cancellationToken = default) =>
        inner.TowersNearAsync(unitCodes, cancellationToken);

    public Task<IReadOnlyList<FibreElement>> RoutesToCompleteAsync(string within, CancellationToken cancellationToken = default) =>
        inner.RoutesToCompleteAsync(within, cancellationToken);

    public Task<BuiltRoute> ConnectOfficesAsync(IReadOnlyList<string> villageCodes, double detourFactor, CancellationToken cancellationToken = default) =>
        inner.ConnectOfficesAsync(villageCodes, detourFactor, cancellationToken);

    public async Task<ScenarioFootprint> FootprintAsync(IReadOnlyList<string> unitCodes, IReadOnlyList<FibreElement> fibre, IReadOnlyList<TowerElement> towers,
        IReadOnlyList<TowerUpgrade> upgrades, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var ids = fibre.Select(e => e.Id).Concat(towers.Select(e => e.Id)).Concat(upgrades.Select(e => e.Id)).ToArray();
        if (File.Exists(file))
        {
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            var cached = ScenarioFootprint.FromJson(json);
            // a stale or foreign file (other elements or units) is recomputed, never used
            if (cached.ContentHash is not null && cached.Elements.Select(e => e.Id).SequenceEqual(ids) && cached.UnitCodes.SequenceEqual(unitCodes))
            {
                (Cached, FootprintSeconds, FootprintJsonBytes) = (true, clock.Elapsed.TotalSeconds, json.Length);
                ComputeSeconds = File.Exists(file + ".seconds")
                    ? double.Parse(await File.ReadAllTextAsync(file + ".seconds", cancellationToken), System.Globalization.CultureInfo.InvariantCulture) : null;
                return cached;
            }
        }
        var footprint = await inner.FootprintAsync(unitCodes, fibre, towers, upgrades, cancellationToken);
        FootprintSeconds = clock.Elapsed.TotalSeconds;
        ComputeSeconds = FootprintSeconds;
        var text = footprint.ToJson();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        await File.WriteAllTextAsync(file + ".tmp", text, cancellationToken);
        await File.WriteAllTextAsync(file + ".seconds", FootprintSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        File.Move(file + ".tmp", file, overwrite: true);
        (Cached, FootprintJsonBytes) = (false, text.Length);
        return footprint;
    }
}
