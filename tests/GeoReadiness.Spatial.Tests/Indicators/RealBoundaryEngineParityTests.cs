using System.Collections.Immutable;
using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>
/// Both engines on real Kemendagri boundaries (../shared/data): the kecamatan of Bali (51) and DI Yogyakarta (34) as
/// leaves, with a seeded set of towers, fibre, facilities and population cells laid over them.
/// </summary>
public sealed class RealBoundaryEngineParityTests
{
    private static readonly string[] Provinces = ["34", "51"];

    [PostGisFact]
    public async Task BothEnginesMeasureRealKecamatanAlike()
    {
        var units = SharedData.LoadBoundaries(SharedData.Provinces).Where(u => Provinces.Contains(u.Code))
            .Concat(SharedData.LoadBoundaries(SharedData.Regencies).Where(u => Provinces.Contains(u.Code[..2])))
            .Concat(SharedData.LoadBoundaries(SharedData.Districts).Where(u => Provinces.Contains(u.Code[..2])))
            .ToArray();
        var change = SeededLayers.Over(units, seed: 1305);
        await using var pg = await PostGisEngineHost.CreateAsync(change);
        using var dir = new DemoTempDir();
        await using var embedded = await EmbeddedStore.OpenAsync(dir.Path);
        await embedded.ApplyAsync(change);

        var options = IndicatorOptions.Default;
        var fromPostGis = await pg.Engine.MeasureAsync(options, MeasureScope.All);
        var fromEmbedded = await new EmbeddedIndicatorEngine(embedded).MeasureAsync(options, MeasureScope.All);

        Assert.Equal(units.Count(u => u.Level == AdminLevel.District), fromPostGis.Leaves.Count);
        Assert.Contains(fromPostGis.Leaves, l => l.Method == PopulationMethod.Cells);
        Assert.Contains(fromPostGis.Leaves, l => l.Method == PopulationMethod.UniformArea && l.CoveredAreaM2.Count > 0);
        Assert.Contains(fromPostGis.Leaves, l => l.FibreMetres.Count > 0);
        EngineParity.AssertEquivalent(fromEmbedded, fromPostGis);

        // And the aggregates built from them: shares within 0.1 percentage point, bands mostly equal.
        var a = IndicatorAggregator.Aggregate(fromEmbedded.Units, fromEmbedded.Leaves, options);
        var b = IndicatorAggregator.Aggregate(fromPostGis.Units, fromPostGis.Leaves, options);
        for (var i = 0; i < a.Count; i++)
        {
            foreach (var t in Enum.GetValues<RadioTechnology>())
            {
                EngineParity.AssertClose(a[i].Coverage[t].SharePercent ?? 0, b[i].Coverage[t].SharePercent ?? 0, 0.1, $"{a[i].Code} {t} share %", absolute: true);
            }
            EngineParity.AssertClose(a[i].FibreKm[FibreStatus.Existing], b[i].FibreKm[FibreStatus.Existing], EngineParity.Tolerance, $"{a[i].Code} fibre km", floor: 1e-5);
        }
    }
}

/// <summary>A seeded set of towers, fibre, facilities and cells laid over some units (for parity tests on real boundaries).</summary>
public static class SeededLayers
{
    public static DatasetChange Over(IReadOnlyList<AdminUnit> units, int seed, int towers = 160, int routes = 30, int facilities = 150, int cells = 3000)
    {
        var rng = new Random(seed);
        var parents = units.Select(u => u.ParentCode).Where(p => p is not null).ToHashSet(StringComparer.Ordinal);
        var leaves = units.Where(u => !parents.Contains(u.Code)).OrderBy(u => u.Code, StringComparer.Ordinal).ToArray();
        Point Inside(AdminUnit u)
        {
            var e = u.Geometry.EnvelopeInternal;
            for (var attempt = 0; ; attempt++)
            {
                var p = Geo.Factory.CreatePoint(new Coordinate(e.MinX + rng.NextDouble() * e.Width, e.MinY + rng.NextDouble() * e.Height));
                if (u.Geometry.Covers(p) || attempt > 200) return p;
            }
        }
        AdminUnit AnyLeaf() => leaves[rng.Next(leaves.Length)];
        var technologies = Enum.GetValues<RadioTechnology>();

        var towerList = new List<Tower>();
        for (var i = 0; i < towers; i++)
        {
            var at = Inside(AnyLeaf());
            var offered = technologies.Where(_ => rng.NextDouble() < 0.6).DefaultIfEmpty(RadioTechnology.G4).ToImmutableSortedSet();
            var radii = offered.Where(_ => rng.NextDouble() < 0.5).ToImmutableSortedDictionary(t => t, t => 800 + rng.NextDouble() * 5000);
            MultiPolygon? coverage = null;
            if (i % 25 == 0)
            {
                var d = 0.01 + rng.NextDouble() * 0.02;
                coverage = Geo.AsMultiPolygon(Geo.Factory.ToGeometry(new Envelope(at.X - d, at.X + d * 1.5, at.Y - d, at.Y + d)));
            }
            towerList.Add(new Tower { Id = $"T{i:D4}", Location = at, Technologies = offered, RadiusMetres = coverage is null ? radii : ImmutableSortedDictionary<RadioTechnology, double>.Empty, CoverageArea = coverage });
        }

        var routeList = new List<FibreRoute>();
        for (var i = 0; i < routes; i++)
        {
            var from = Inside(AnyLeaf()).Coordinate;
            var to = Inside(AnyLeaf()).Coordinate;
            var path = new List<Coordinate> { from };
            var bends = rng.Next(0, 4);
            for (var k = 1; k <= bends; k++)
            {
                var f = k / (bends + 1.0);
                path.Add(new Coordinate(from.X + (to.X - from.X) * f + (rng.NextDouble() - 0.5) * 0.05, from.Y + (to.Y - from.Y) * f + (rng.NextDouble() - 0.5) * 0.05));
            }
            path.Add(to);
            var status = i % 3 == 2 ? FibreStatus.Planned : FibreStatus.Existing;
            routeList.Add(new FibreRoute { Id = $"F{i:D4}", Geometry = Geo.Factory.CreateMultiLineString([Geo.Factory.CreateLineString(path.ToArray())]), Status = status });
        }

        var kinds = Enum.GetValues<FacilityKind>();
        var facilityList = new List<Facility>();
        for (var i = 0; i < facilities; i++)
        {
            var leaf = AnyLeaf();
            facilityList.Add(new Facility { Id = $"P{i:D4}", Location = Inside(leaf), Kind = kinds[rng.Next(kinds.Length)], UnitCode = leaf.Code });
        }

        // Cells in every other leaf, so both population methods are exercised.
        var populated = leaves.Where((_, i) => i % 2 == 0).ToArray();
        var cellList = new List<PopulationCell>();
        for (var i = 0; i < cells; i++)
        {
            var leaf = populated[rng.Next(populated.Length)];
            cellList.Add(new PopulationCell { Id = $"C{i:D5}", Geometry = Inside(leaf), Population = rng.Next(0, 400), Households = rng.Next(0, 100) });
        }

        return new DatasetChange
        {
            Source = $"seeded layers over {leaves.Length} leaves, seed {seed}",
            Units = units,
            Towers = towerList,
            FibreRoutes = routeList,
            Facilities = facilityList,
            PopulationCells = cellList,
        };
    }
}
