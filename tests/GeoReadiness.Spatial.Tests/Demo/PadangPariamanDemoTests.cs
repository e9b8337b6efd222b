using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Geodesy;
using GeoReadiness.Spatial.Model;
using GeoReadiness.Spatial.Storage;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;

namespace GeoReadiness.Spatial.Tests.Demo;

[Collection(DemoCollection.Name)]
public sealed class PadangPariamanDemoTests(DemoFixture fixture)
{
    private DemoDataset D => fixture.Data;

    [Fact]
    public void KabupatenIsPadangPariamanOnTheWestCoastOfSumatraWithTheRightSize()
    {
        var k = D.Kabupaten;
        Assert.Equal("13.05", k.Code);
        Assert.Equal("13", k.ParentCode);
        Assert.Equal(UnitKind.Kabupaten, k.Kind);
        var env = k.Geometry.EnvelopeInternal;
        Assert.InRange(env.MinX, 100.0, 100.2);
        Assert.InRange(env.MaxX, 100.4, 100.6);
        Assert.InRange(env.MinY, -0.95, -0.85);
        Assert.InRange(env.MaxY, -0.45, -0.35);
        Assert.InRange(GeodesicMeasure.Area(k.Geometry) / 1e6, 1330, 1350);
        Assert.Single(k.Geometry.Geometries);
        Assert.Equal(0, ((Polygon)k.Geometry.GetGeometryN(0)).NumInteriorRings);
    }

    [Fact]
    public void NagariTileTheKabupatenWithoutGapsOrOverlaps()
    {
        Assert.Equal(103, D.Nagari.Count);
        var union = DemoGeometry.Union(D.Nagari.Select(n => (Geometry)n.Geometry));
        var kabArea = GeodesicMeasure.Area(D.Kabupaten.Geometry);
        Assert.True(Math.Abs(GeodesicMeasure.Area(union) - kabArea) / kabArea < 0.001, "union of nagari differs from the kabupaten by more than 0.1 %");
        Assert.True(GeodesicMeasure.Area(D.Kabupaten.Geometry.SymmetricDifference(union)) / kabArea < 0.001, "union of nagari and kabupaten do not cover the same ground");
        Assert.True(MaxPairwiseOverlap(D.Nagari) < 1e-4, "two nagari overlap by 0.01 % or more");
    }

    [Fact]
    public void KecamatanAreUnionsOfContiguousNagariAndTileTheKabupaten()
    {
        Assert.Equal(Enumerable.Range(1, 17).Select(i => $"13.05.{i:00}"), D.Kecamatan.Select(k => k.Code));
        foreach (var kec in D.Kecamatan)
        {
            var members = D.Nagari.Where(n => n.ParentCode == kec.Code).ToList();
            Assert.InRange(members.Count, 2, 12);
            Assert.Single(kec.Geometry.Geometries); // contiguous
            var sum = members.Sum(n => GeodesicMeasure.Area(n.Geometry));
            Assert.True(Math.Abs(sum - GeodesicMeasure.Area(kec.Geometry)) / sum < 1e-4, kec.Code);
        }
        Assert.True(MaxPairwiseOverlap(D.Kecamatan) < 1e-4);
        var total = D.Kecamatan.Sum(k => GeodesicMeasure.Area(k.Geometry));
        Assert.True(Math.Abs(total - GeodesicMeasure.Area(D.Kabupaten.Geometry)) / total < 0.001);
    }

    [Fact]
    public void NagariCodesAreNumberedWithinTheirKecamatan()
    {
        foreach (var group in D.Nagari.GroupBy(n => n.ParentCode))
        {
            Assert.Equal(Enumerable.Range(0, group.Count()).Select(i => $"{group.Key}.{2001 + i}"), group.Select(n => n.Code));
            Assert.All(group, n => Assert.Equal(UnitKind.Nagari, n.Kind));
        }
        Assert.Equal(D.Nagari.Count, D.Nagari.Select(n => n.Name).Distinct().Count());
    }

    [Fact]
    public void PopulationAddsUpFromCellsToNagariToKecamatanToKabupaten()
    {
        var cells = D.PopulationCells;
        Assert.InRange(cells.Sum(c => (long)c.Population), 420_000, 440_000);
        Assert.InRange(cells.Sum(c => (long)c.Households), 105_000, 115_000);
        Assert.All(cells, c => Assert.True(c.Population > 0 && c.Households >= 0 && c.Households <= c.Population, c.Id));

        var locators = D.Nagari.Select(n => (n, new IndexedPointInAreaLocator(n.Geometry))).ToList();
        var pop = new Dictionary<string, long>(StringComparer.Ordinal);
        var kk = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in cells)
        {
            var coordinate = ((Point)c.Geometry).Coordinate;
            var inside = locators.Where(l => l.Item2.Locate(coordinate) != Location.Exterior).Select(l => l.n.Code).ToList();
            Assert.NotEmpty(inside);
            pop[inside[0]] = pop.GetValueOrDefault(inside[0]) + c.Population;
            kk[inside[0]] = kk.GetValueOrDefault(inside[0]) + c.Households;
        }
        foreach (var n in D.Nagari)
        {
            Assert.Equal(pop.GetValueOrDefault(n.Code), n.Population);
            Assert.Equal(kk.GetValueOrDefault(n.Code), n.Households);
            Assert.True(n.Population > 0, n.Code);
        }
        foreach (var k in D.Kecamatan)
        {
            Assert.Equal(D.Nagari.Where(n => n.ParentCode == k.Code).Sum(n => n.Population), k.Population);
            Assert.Equal(D.Nagari.Where(n => n.ParentCode == k.Code).Sum(n => n.Households), k.Households);
        }
        Assert.Equal(D.Kecamatan.Sum(k => k.Population), D.Kabupaten.Population);
        Assert.Equal(D.Kecamatan.Sum(k => k.Households), D.Kabupaten.Households);
        Assert.Equal(cells.Sum(c => (long)c.Population), D.Kabupaten.Population);
    }

    [Fact]
    public void PlannedFibreIs263KilometresAndReachesEveryNagariOffice()
    {
        var planned = D.FibreRoutes.Where(f => f.Status == FibreStatus.Planned).ToList();
        var km = planned.Sum(f => GeodesicMeasure.Length(f.Geometry)) / 1000;
        Assert.InRange(km, 262, 264);

        var offices = D.Facilities.Where(f => f.Kind == FacilityKind.VillageOffice).ToList();
        Assert.Equal(103, offices.Count);
        Assert.Equal(D.Nagari.Select(n => n.Code), offices.Select(o => o.UnitCode));
        var network = Geo.Factory.CreateMultiLineString(planned.SelectMany(p => p.Geometry.Geometries.Cast<LineString>()).ToArray());
        foreach (var office in offices)
        {
            var nearest = DistanceOp.NearestPoints(network, office.Location);
            var metres = GeodesicMeasure.Distance(nearest[0], nearest[1]);
            Assert.True(metres <= 50, $"{office.Id} is {metres:F0} m from the planned network");
        }
    }

    [Fact]
    public void ExistingFibreIsFrom2018AndLinksOpdKecamatanAndPuskesmas()
    {
        var existing = D.FibreRoutes.Where(f => f.Status == FibreStatus.Existing).ToList();
        Assert.NotEmpty(existing);
        Assert.All(existing, f => Assert.Equal(2018, f.Year));
        var network = Geo.Factory.CreateMultiLineString(existing.SelectMany(p => p.Geometry.Geometries.Cast<LineString>()).ToArray());
        foreach (var f in D.Facilities.Where(f => f.Kind is FacilityKind.OpdOffice or FacilityKind.KecamatanOffice or FacilityKind.Puskesmas))
        {
            var nearest = DistanceOp.NearestPoints(network, f.Location);
            Assert.True(GeodesicMeasure.Distance(nearest[0], nearest[1]) <= 1, f.Id);
        }
    }

    [Fact]
    public void FacilitiesHaveTheExpectedKindsAndLieInTheirUnits()
    {
        var byKind = D.Facilities.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.ToList());
        Assert.InRange(byKind[FacilityKind.OpdOffice].Count, 10, 20);
        Assert.Equal(17, byKind[FacilityKind.KecamatanOffice].Count);
        Assert.Equal(103, byKind[FacilityKind.VillageOffice].Count);
        Assert.InRange(byKind[FacilityKind.Puskesmas].Count, 22, 28);
        Assert.InRange(byKind[FacilityKind.School].Count, 20, 60);
        Assert.Equal(D.Facilities.Count, D.Facilities.Select(f => f.Id).Distinct().Count());
        var units = D.Kecamatan.Concat(D.Nagari).Append(D.Kabupaten).ToDictionary(u => u.Code, StringComparer.Ordinal);
        foreach (var f in D.Facilities)
        {
            Assert.True(KemendagriCode.IsValid(f.UnitCode), f.Id);
            Assert.True(units[f.UnitCode].Geometry.Covers(f.Location), $"{f.Id} lies outside its unit {f.UnitCode}");
        }
    }

    [Fact]
    public void TowersHaveARealisticTechnologyMixAndRadii()
    {
        Assert.InRange(D.Towers.Count, 90, 110);
        Assert.Equal(D.Towers.Count, D.Towers.Select(t => t.Id).Distinct().Count());
        foreach (var tech in new[] { RadioTechnology.G2, RadioTechnology.G3, RadioTechnology.G4 })
            Assert.Contains(D.Towers, t => t.Technologies.Contains(tech));
        Assert.True(D.Towers.Count(t => t.Technologies.Contains(RadioTechnology.G4)) > D.Towers.Count / 2);
        Assert.True(D.Towers.Select(t => t.Operator).Distinct().Count() >= 3);
        foreach (var t in D.Towers)
        {
            Assert.Equal(t.Technologies.Order(), t.RadiusMetres.Keys);
            foreach (var (tech, r) in t.RadiusMetres)
            {
                var nominal = tech switch { RadioTechnology.G2 => 5000, RadioTechnology.G3 => 3000, _ => 2000 };
                Assert.InRange(r, nominal * 0.8, nominal * 1.2);
            }
            Assert.InRange(t.Year ?? 0, 2000, 2025);
            Assert.True(D.Kabupaten.Geometry.Covers(t.Location), t.Id);
        }
    }

    [Fact]
    public void TheWholeDataSetPassesTheStoreIntegrityRules()
    {
        var change = D.ToChange();
        ChangeValidator.Validate(change, new HashSet<string>());
        Assert.Empty(ChangeValidator.ExternalParentCodes(change));
    }

    [Fact]
    public void EveryGeometryIsValidAndInsideIndonesia()
    {
        var change = D.ToChange();
        var all = change.Units.Select(u => ((Geometry)u.Geometry, u.Code))
            .Concat(change.FibreRoutes.Select(f => ((Geometry)f.Geometry, f.Id)))
            .Concat(change.Towers.Select(t => ((Geometry)t.Location, t.Id)))
            .Concat(change.Facilities.Select(f => ((Geometry)f.Location, f.Id)))
            .Concat(change.PopulationCells.Select(c => (c.Geometry, c.Id)));
        foreach (var (g, key) in all)
        {
            Assert.True(g.IsValid, $"{key} is not valid");
            Assert.False(g.IsEmpty, key);
            Assert.Equal(Geo.Srid, g.SRID);
            Assert.True(Geo.IndonesiaBounds.Contains(g.EnvelopeInternal), $"{key} lies outside Indonesia's bounding box");
        }
    }

    /// <summary>The largest overlap between two units, as a share of the smaller one's area.</summary>
    internal static double MaxPairwiseOverlap(IReadOnlyList<AdminUnit> units)
    {
        var tree = new STRtree<int>();
        for (var i = 0; i < units.Count; i++) tree.Insert(units[i].Geometry.EnvelopeInternal, i);
        tree.Build();
        var worst = 0.0;
        for (var i = 0; i < units.Count; i++)
        {
            foreach (var j in tree.Query(units[i].Geometry.EnvelopeInternal))
            {
                if (j <= i) continue;
                var overlap = units[i].Geometry.Intersection(units[j].Geometry).Area;
                worst = Math.Max(worst, overlap / Math.Min(units[i].Geometry.Area, units[j].Geometry.Area));
            }
        }
        return worst;
    }
}
