using GeoReadiness.Spatial.Indicators;
using GeoReadiness.Spatial.Indicators.Embedded;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage.Embedded;
using GeoReadiness.Spatial.Tests.Demo;
using GeoReadiness.Spatial.Tests.Infrastructure;
using NetTopologySuite.Geometries;
using Npgsql;

namespace GeoReadiness.Spatial.Tests.Indicators;

/// <summary>The PostGIS engine on the demo data set (Padang Pariaman in detail, the other kab/kota as leaves), against the embedded engine and plain PostGIS geography.</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoEngineParityTests(DemoFixture demo)
{
    [PostGisFact]
    public async Task BothEnginesMeasureEveryLeafOfTheDemoAlike()
    {
        await using var pg = await PostGisEngineHost.CreateAsync(demo.Data.ToChange());
        using var dir = new DemoTempDir();
        await using var embedded = await EmbeddedStore.OpenAsync(dir.Path);
        await embedded.ApplyAsync(demo.Data.ToChange());

        var stages = new List<IndicatorProgress>();
        var fromPostGis = await pg.Engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.All, new SyncProgress(stages.Add));
        var fromEmbedded = await new EmbeddedIndicatorEngine(embedded).MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        EngineParity.AssertEquivalent(fromEmbedded, fromPostGis);
        // Progress is reported per family, each finishing with every leaf done.
        Assert.Contains(stages, s => s.Stage == "cells" && s.Done == s.Total && s.Total == fromPostGis.Leaves.Count);
        Assert.Equal(GeoReadiness.Spatial.Indicators.PostGis.PostGisIndicatorEngine.Stages, stages.Select(s => s.Stage).Distinct());
    }

    [PostGisFact]
    public async Task DemoKabupatenIndicatorsCoverEveryNagariAndKecamatanAndNagariSumToTheKabupaten()
    {
        await using var pg = await PostGisEngineHost.CreateAsync(demo.Data.ToChange());
        var set = await IndicatorCalculator.ComputeAsync(pg.Engine, IndicatorOptions.Default);
        Assert.Equal("postgis", set.Engine);
        var code = demo.Data.Kabupaten.Code;
        var nagari = set.Units.Where(u => u.Level == AdminLevel.Village && u.Code.StartsWith(code + ".", StringComparison.Ordinal)).ToArray();
        var kecamatan = set.Units.Where(u => u.Level == AdminLevel.District && u.Code.StartsWith(code + ".", StringComparison.Ordinal)).ToArray();
        var kab = Assert.Single(set.Units, u => u.Code == code);
        Assert.Equal(103, nagari.Length);
        Assert.Equal(17, kecamatan.Length);
        Assert.Equal(103, kab.LeafUnits);

        Assert.Equal(demo.Data.PopulationCells.Sum(c => (long)c.Population), kab.Population);
        Assert.Equal(nagari.Sum(n => n.Population), kab.Population);
        Assert.Equal(nagari.Sum(n => n.Households), kab.Households);
        Assert.Equal(kecamatan.Sum(k => k.Population), kab.Population);
        foreach (var t in Enum.GetValues<RadioTechnology>())
            Assert.Equal(nagari.Sum(n => n.Coverage[t].PopulationCovered ?? 0), kab.Coverage[t].PopulationCovered!.Value, 6);
        foreach (var s in Enum.GetValues<FibreStatus>())
            Assert.Equal(nagari.Sum(n => n.FibreKm[s]), kab.FibreKm[s], 6);
        Assert.Equal(nagari.Sum(n => n.VillagesOnFibre.Count), kab.VillagesOnFibre.Count);
        Assert.Equal(103, kab.VillagesOnFibre.Total);
        Assert.Equal(nagari.Sum(n => n.HouseholdsFixedReach.Households ?? 0), kab.HouseholdsFixedReach.Households!.Value, 6);
        Assert.Equal(demo.Data.Towers.Count, kab.TowersTotal);
        foreach (var k in Enum.GetValues<FacilityKind>())
            Assert.Equal(nagari.Sum(n => n.FacilitiesOnFibre[k].Count), kab.FacilitiesOnFibre[k].Count);
        Assert.Equal(demo.Data.Facilities.Count, kab.FacilitiesOnFibre.Values.Sum(f => f.Total));
        Assert.Equal(kab.AreaKm2, nagari.Sum(n => n.AreaKm2), kab.AreaKm2 * 1e-6);
    }

    [PostGisFact]
    public async Task PostGisEngineMeasuresOnlyTheLeavesInTheScopeAndMeasuresThemAsInAFullRun()
    {
        await using var pg = await PostGisEngineHost.CreateAsync(demo.Data.ToChange());
        var all = await pg.Engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.All);
        var a = demo.Data.Nagari[10];
        var b = demo.Data.Nagari[80];
        var boxes = new[] { a.Geometry.InteriorPoint.EnvelopeInternal, new Envelope(b.Geometry.EnvelopeInternal.Centre) };
        var scope = MeasureScope.Within(boxes);

        var scoped = await pg.Engine.MeasureAsync(IndicatorOptions.Default, scope);

        var expected = demo.Data.ToChange().Units
            .Where(u => all.Units.Single(n => n.Code == u.Code).IsLeaf && scope.Includes(u.Geometry.EnvelopeInternal))
            .Select(u => u.Code).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, scoped.Leaves.Select(l => l.Code));
        Assert.Contains(a.Code, expected);
        Assert.Contains(b.Code, expected);
        Assert.True(expected.Length < 12, $"{expected.Length} leaves in two point-sized boxes");
        foreach (var leaf in scoped.Leaves) Assert.Equal(all.Leaves.Single(l => l.Code == leaf.Code), leaf);
        Assert.Equal(all.Units, scoped.Units);
        Assert.Equal(all.Unassigned, scoped.Unassigned);
        Assert.Empty((await pg.Engine.MeasureAsync(IndicatorOptions.Default, MeasureScope.Within([new Envelope(0, 1, 0, 1)]))).Leaves);
    }

    [PostGisFact]
    public async Task PostGisEngineAgreesWithPlainGeographyQueriesOnASampleOfNagari()
    {
        await using var pg = await PostGisEngineHost.CreateAsync(demo.Data.ToChange());
        var options = IndicatorOptions.Default;
        var measured = await pg.Engine.MeasureAsync(options, MeasureScope.All);
        
        await using var connection = new NpgsqlConnection(pg.Database.ConnectionString);
        await connection.OpenAsync();
        foreach (var nagari in demo.Data.Nagari.Where((_, i) => i % 10 == 3))
        {
            var leaf = measured.Leaves.Single(l => l.Code == nagari.Code);
            // The rules, written the slow and obvious way: a cell belongs to the nagari when the nagari covers it (the demo's
            // nagari tile the kabupaten, and no demo cell lies on a border), and is covered when any 4G tower is within its
            // own (or the default) radius on geography.
            await using var cmd = new NpgsqlCommand("""
                SELECT coalesce(sum(c.population) FILTER (WHERE EXISTS (
                           SELECT 1 FROM georeadiness.tower t
                           WHERE 4 = ANY (t.technologies) AND t.coverage IS NULL
                             AND ST_DWithin(t.geom::geography, c.geom::geography, coalesce(t.radius_4g_m, $2)))), 0),
                       coalesce(sum(c.households) FILTER (WHERE EXISTS (
                           SELECT 1 FROM georeadiness.fibre_route r
                           WHERE r.status = 'Existing' AND ST_DWithin(r.geom::geography, c.geom::geography, $3))), 0),
                       (SELECT coalesce(sum(ST_Length(ST_Intersection(u.geom, r.geom)::geography)), 0)
                        FROM georeadiness.admin_unit u, georeadiness.fibre_route r
                        WHERE u.code = $1 AND r.status = 'Planned' AND ST_Intersects(u.geom, r.geom))
                FROM georeadiness.population_cell c, georeadiness.admin_unit u
                WHERE u.code = $1 AND ST_Covers(u.geom, c.geom)
                """, connection);
            cmd.Parameters.AddWithValue(nagari.Code);
            cmd.Parameters.AddWithValue(options.DefaultRadiusMetres[RadioTechnology.G4]);
            cmd.Parameters.AddWithValue(options.HouseholdReachMetres);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(reader.GetInt64(0), leaf.CoveredPopulation.GetValueOrDefault(RadioTechnology.G4));
            Assert.Equal(reader.GetInt64(1), leaf.HouseholdsInReach);
            EngineParity.AssertClose(reader.GetDouble(2), leaf.FibreMetres.GetValueOrDefault(FibreStatus.Planned), 1e-9, nagari.Code + " planned fibre", floor: 1e-6);
        }
    }
}

/// <summary>Reports progress synchronously, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SyncProgress(Action<IndicatorProgress> report) : IProgress<IndicatorProgress>
{
    public void Report(IndicatorProgress value) => report(value);
}
