using System.Diagnostics;
using GeoReadiness.Spatial.Demo.NationalScale;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;
using Xunit.Abstractions;

namespace GeoReadiness.Spatial.Tests.Demo;

/// <summary>The national-scale benchmark data set at 1 % scale, generated once for the tests of this class.</summary>
public sealed class NationalScaleFixture
{
    public const double Scale = 0.01;
    public NationalScaleDataset Data { get; } = NationalScaleGenerator.Generate(new NationalScaleOptions(Scale: Scale));
}

public sealed class NationalScaleGeneratorTests(NationalScaleFixture fixture, ITestOutputHelper output) : IClassFixture<NationalScaleFixture>
{
    private NationalScaleDataset Data => fixture.Data;

    [Fact]
    public void Same_seed_gives_equal_records_and_another_seed_differs()
    {
        var again = NationalScaleGenerator.Generate(new NationalScaleOptions(Scale: NationalScaleFixture.Scale, MaxDegreeOfParallelism: 1));
        Assert.Equal(Data.Provinces, again.Provinces);
        Assert.Equal(Data.Regencies, again.Regencies);
        Assert.Equal(Data.Districts, again.Districts);
        Assert.Equal(Data.Villages, again.Villages);
        Assert.Equal(Data.FibreRoutes, again.FibreRoutes);
        Assert.Equal(Data.Towers, again.Towers);
        Assert.Equal(Data.Facilities, again.Facilities);
        Assert.Equal(Data.PopulationCells, again.PopulationCells);

        var other = NationalScaleGenerator.Generate(new NationalScaleOptions(Seed: 7, Scale: NationalScaleFixture.Scale));
        Assert.NotEqual(Data.Villages.Select(v => v.Geometry.Centroid.Coordinate), other.Villages.Select(v => v.Geometry.Centroid.Coordinate));
    }

    [Fact]
    public void Counts_are_proportional_to_the_scale()
    {
        var s = NationalScaleFixture.Scale;
        output.WriteLine($"provinces {Data.Provinces.Count}, regencies {Data.Regencies.Count}, kecamatan {Data.Districts.Count}, villages {Data.Villages.Count}, " +
            $"points {Data.PopulationCells.Count}, people {Data.PopulationCells.Sum(c => (long)c.Population)}, towers {Data.Towers.Count}, fibre routes {Data.FibreRoutes.Count}");
        Assert.Equal(38, Data.Provinces.Count);
        Assert.Equal(38, Data.Regencies.Count); // every province keeps one regency at 1 %
        Assert.Equal(72, Data.Districts.Count);
        Assert.Equal(830, Data.Villages.Count);
        Assert.Equal(20_000, Data.PopulationCells.Count);
        Assert.Equal(1_000, Data.Towers.Count);
        Assert.Equal(Data.Villages.Count, Data.Facilities.Count);
        Assert.Equal((long)Math.Round(NationalScaleGenerator.FullPeople * s), Data.PopulationCells.Sum(c => (long)c.Population));

        var two = NationalScaleGenerator.Generate(new NationalScaleOptions(Scale: 2 * s));
        Assert.Equal(2 * Data.Villages.Count, two.Villages.Count);
        Assert.Equal(2 * Data.PopulationCells.Count, two.PopulationCells.Count);
        Assert.Equal(2 * Data.Towers.Count, two.Towers.Count);
        Assert.Equal(2 * Data.Districts.Count, two.Districts.Count);
    }

    [Fact]
    public void Change_passes_the_validator_with_a_consistent_hierarchy()
    {
        var change = Data.ToChange();
        Assert.Empty(ChangeValidator.ExternalParentCodes(change));
        ChangeValidator.Validate(change, new HashSet<string>());
        foreach (var v in Data.Villages)
        {
            Assert.Matches(@"^\d{2}\.\d{2}\.\d{2}\.2\d{3}$", v.Code);
            Assert.Equal(UnitKind.Desa, KemendagriCode.VillageKindOf(v.Code));
        }
        var codes = Data.Provinces.Select(p => p.Code).ToHashSet();
        Assert.Equal(38, codes.Count);
        Assert.All(Data.Facilities, f => Assert.Equal(FacilityKind.VillageOffice, f.Kind));
        Assert.Equal(Data.Villages.Select(v => v.Code), Data.Facilities.Select(f => f.UnitCode!));
    }

    [Fact]
    public void Every_geometry_is_valid_and_inside_Indonesia()
    {
        var geometries = Data.Units.Select(u => (Geometry)u.Geometry)
            .Concat(Data.FibreRoutes.Select(f => f.Geometry)).Concat(Data.Towers.Select(t => t.Location))
            .Concat(Data.Facilities.Select(f => f.Location)).Concat(Data.PopulationCells.Select(c => c.Geometry));
        foreach (var g in geometries)
        {
            Assert.True(g.IsValid, g.AsText());
            Assert.Equal(Geo.Srid, g.SRID);
            Assert.True(Geo.IndonesiaBounds.Contains(g.EnvelopeInternal), g.AsText());
        }
        var vertices = Data.Villages.Select(v => v.Geometry.NumPoints - v.Geometry.NumGeometries).OrderBy(n => n).ToList();
        output.WriteLine($"village vertices: median {vertices[vertices.Count / 2]}, 95th {vertices[vertices.Count * 95 / 100]}, max {vertices[^1]}");
    }

    [Fact]
    public void Each_level_tiles_its_parent_on_a_sample()
    {
        var parents = Data.Provinces.Concat(Data.Regencies.Take(8)).Concat(Data.Districts.Where((_, i) => i % 6 == 0)).ToList();
        var children = Data.Units.ToLookup(u => u.ParentCode ?? "");
        foreach (var parent in parents)
        {
            var kids = children[parent.Code].ToList();
            Assert.NotEmpty(kids);
            var parentArea = GeodesicMeasure.Area(parent.Geometry);
            var union = UnaryUnionNG.Union(kids.Select(k => (Geometry)k.Geometry).ToList(), Geo.Factory, new PrecisionModel(1e7));
            var unionArea = GeodesicMeasure.Area(union);
            var sum = kids.Sum(k => GeodesicMeasure.Area(k.Geometry));
            Assert.True(Math.Abs(unionArea - parentArea) <= 0.001 * parentArea, $"{parent.Code}: union {unionArea} vs {parentArea}");
            Assert.True(sum - unionArea <= 0.0001 * parentArea, $"{parent.Code}: overlaps {sum - unionArea} m²");
            Assert.True(GeodesicMeasure.Area(union.SymmetricDifference(parent.Geometry)) <= 0.001 * parentArea, $"{parent.Code}: children leave the parent");
        }
    }

    [Fact]
    public void People_and_households_sum_up_the_hierarchy()
    {
        var byVillage = Data.Villages.ToDictionary(v => v.Code);
        var locators = Data.Villages.ToDictionary(v => v.Code, v => new NetTopologySuite.Algorithm.Locate.IndexedPointInAreaLocator(v.Geometry));
        var index = new NetTopologySuite.Index.Strtree.STRtree<AdminUnit>();
        foreach (var v in Data.Villages) index.Insert(v.Geometry.EnvelopeInternal, v);
        var people = new Dictionary<string, long>();
        var households = new Dictionary<string, long>();
        foreach (var c in Data.PopulationCells)
        {
            Assert.True(c.Population >= 1 && c.Households >= 1 && c.Households <= c.Population);
            var p = c.Geometry.Coordinate;
            var hits = index.Query(new Envelope(p)).Where(v => locators[v.Code].Locate(p) == Location.Interior).ToList();
            var village = Assert.Single(hits);
            people[village.Code] = people.GetValueOrDefault(village.Code) + c.Population;
            households[village.Code] = households.GetValueOrDefault(village.Code) + c.Households;
        }
        foreach (var v in Data.Villages)
        {
            Assert.Equal(v.Population, people[v.Code]);
            Assert.Equal(v.Households, households[v.Code]);
        }
        foreach (var level in new[] { Data.Districts, Data.Regencies, Data.Provinces })
        {
            foreach (var u in level)
            {
                var kids = Data.Units.Where(k => k.ParentCode == u.Code).ToList();
                Assert.Equal(u.Population, kids.Sum(k => k.Population));
                Assert.Equal(u.Households, kids.Sum(k => k.Households));
            }
        }
        var hhSize = (double)Data.Provinces.Sum(p => p.Population!.Value) / Data.Provinces.Sum(p => p.Households!.Value);
        Assert.InRange(hhSize, 3.2, 4.2);
    }

    [Fact]
    public void Towers_have_radii_of_1_5_to_5_km_and_about_60_percent_offer_4G()
    {
        Assert.All(Data.Towers, t =>
        {
            Assert.NotEmpty(t.Technologies);
            Assert.True(t.Technologies.SetEquals(t.RadiusMetres.Keys));
            Assert.All(t.RadiusMetres.Values, r => Assert.InRange(r, 1500, 5000));
        });
        var share = Data.Towers.Count(t => t.Technologies.Contains(RadioTechnology.G4)) / (double)Data.Towers.Count;
        output.WriteLine($"4G share {share:P1}");
        Assert.InRange(share, 0.55, 0.65);
    }

    [Fact]
    public void Fibre_totals_100024_km_times_the_scale_geodesically()
    {
        var km = Data.FibreRoutes.Sum(f => GeodesicMeasure.Length(f.Geometry)) / 1000;
        output.WriteLine($"fibre {km:F3} km in {Data.FibreRoutes.Count} routes, {Data.FibreRoutes.Count(f => f.Status != FibreStatus.Existing)} planned or under construction");
        Assert.InRange(km, 0.99 * NationalScaleGenerator.FullFibreKm * NationalScaleFixture.Scale, 1.01 * NationalScaleGenerator.FullFibreKm * NationalScaleFixture.Scale);
        Assert.Contains(Data.FibreRoutes, f => f.Status == FibreStatus.Planned);
        Assert.Contains(Data.FibreRoutes, f => f.Status == FibreStatus.Existing);
    }

    [Fact]
    public void GeoPackage_holds_every_layer()
    {
        using var dir = new DemoTempDir();
        var path = Path.Combine(dir.Path, "national.gpkg");
        var result = Data.WriteGeoPackage(path);
        Assert.True(File.Exists(path));
        var counts = result.Tables.ToDictionary(t => t.Name, t => t.Features);
        Assert.Equal(Data.Villages.Count, counts["villages"]);
        Assert.Equal(Data.Districts.Count, counts["districts"]);
        Assert.Equal(Data.PopulationCells.Count, counts["population_cells"]);
        Assert.Equal(Data.Towers.Count, counts["towers"]);
        Assert.Equal(Data.FibreRoutes.Count, counts["fibre_routes"]);
        Assert.Equal(Data.Facilities.Count, counts["facilities"]);
    }

    [Fact]
    [Trait("Category", "LongRunning")]
    public void Full_scale_generates_the_benchmark_data_set()
    {
        GC.Collect();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var data = NationalScaleGenerator.Generate(new NationalScaleOptions(Scale: 1.0));
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var km = data.FibreRoutes.Sum(f => GeodesicMeasure.Length(f.Geometry)) / 1000;
        var vertices = data.Villages.Select(v => v.Geometry.NumPoints - v.Geometry.NumGeometries).OrderBy(n => n).ToList();
        var fourG = data.Towers.Count(t => t.Technologies.Contains(RadioTechnology.G4)) / (double)data.Towers.Count;
        output.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s CPU), peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        output.WriteLine($"provinces {data.Provinces.Count}, regencies {data.Regencies.Count}, kecamatan {data.Districts.Count}, villages {data.Villages.Count}");
        output.WriteLine($"points {data.PopulationCells.Count}, people {data.Provinces.Sum(p => p.Population)}, households {data.Provinces.Sum(p => p.Households)}");
        output.WriteLine($"towers {data.Towers.Count} ({fourG:P1} 4G), facilities {data.Facilities.Count}, fibre {km:F3} km in {data.FibreRoutes.Count} routes");
        output.WriteLine($"village vertices: median {vertices[vertices.Count / 2]}, 99th {vertices[vertices.Count * 99 / 100]}, max {vertices[^1]}, share ≤ 15: {vertices.Count(n => n <= 15) / (double)vertices.Count:P2}");
        Assert.Equal(514, data.Regencies.Count);
        Assert.Equal(NationalScaleGenerator.FullVillages, data.Villages.Count);
        Assert.Equal(NationalScaleGenerator.FullPopulationPoints, data.PopulationCells.Count);
        Assert.Equal(NationalScaleGenerator.FullTowers, data.Towers.Count);
        Assert.InRange(km, NationalScaleGenerator.FullFibreKm - 0.01, NationalScaleGenerator.FullFibreKm + 0.01);
        ChangeValidator.Validate(data.ToChange(), new HashSet<string>());
        Assert.All(data.Units, u => Assert.True(u.Geometry.IsValid && Geo.IndonesiaBounds.Contains(u.Geometry.EnvelopeInternal), u.Code));
        var children = data.Villages.ToLookup(v => v.ParentCode!);
        foreach (var parent in data.Districts.Where((_, i) => i % 97 == 0))
        {
            var kids = children[parent.Code].Select(k => (Geometry)k.Geometry).ToList();
            var parentArea = GeodesicMeasure.Area(parent.Geometry);
            var unionArea = GeodesicMeasure.Area(UnaryUnionNG.Union(kids, Geo.Factory, new PrecisionModel(1e7)));
            Assert.True(Math.Abs(unionArea - parentArea) <= 0.001 * parentArea, parent.Code);
            Assert.True(kids.Sum(GeodesicMeasure.Area) - unionArea <= 0.0001 * parentArea, parent.Code);
        }
    }
}
