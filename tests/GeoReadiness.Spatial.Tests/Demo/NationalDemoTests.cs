using GeoReadiness.Spatial.Assessment;
using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.Demo;
using GeoReadiness.Spatial.Model;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Tests.Demo;

[Collection(DemoCollection.Name)]
public sealed class NationalDemoTests(DemoFixture fixture)
{
    private DemoDataset D => fixture.Data;

    private static readonly string[] ProvinceCodes =
    [
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51", "52", "53",
        "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
    ];

    [Fact]
    public void ThereAreThe38ProvincesWithTheirKemendagriCodesAndNames()
    {
        Assert.Equal(ProvinceCodes, D.Provinces.Select(p => p.Code));
        Assert.Equal("Aceh", D.Provinces[0].Name);
        Assert.Equal("Sumatera Barat", D.Provinces.Single(p => p.Code == "13").Name);
        Assert.Equal("Riau", D.Provinces.Single(p => p.Code == "14").Name);
        Assert.Equal("Papua Barat Daya", D.Provinces[^1].Name);
        Assert.All(D.Provinces, p => Assert.Equal(UnitKind.Provinsi, p.Kind));
        Assert.True(PadangPariamanDemoTests.MaxPairwiseOverlap(D.Provinces) < 1e-6);
    }

    [Fact]
    public void KabKotaAreManyValidAndOfTheKindTheirCodeImplies()
    {
        Assert.True(D.Regencies.Count >= 200);
        Assert.Equal(D.Regencies.Count, D.Regencies.Select(r => r.Code).Distinct().Count());
        foreach (var r in D.Regencies)
        {
            Assert.True(KemendagriCode.IsValid(r.Code) && KemendagriCode.LevelOf(r.Code) == AdminLevel.Regency, r.Code);
            Assert.Equal(KemendagriCode.ParentOf(r.Code), r.ParentCode);
            Assert.Contains(r.ParentCode, ProvinceCodes);
            var number = int.Parse(r.Code.AsSpan(3, 2), CultureInfo.InvariantCulture);
            Assert.Equal(number >= 71 ? UnitKind.Kota : UnitKind.Kabupaten, r.Kind);
            Assert.StartsWith(r.Kind == UnitKind.Kota ? "Kota " : "Kabupaten ", r.Name, StringComparison.Ordinal);
        }
        Assert.True(PadangPariamanDemoTests.MaxPairwiseOverlap(D.Regencies) < 1e-6, "two kab/kota overlap");
    }

    [Fact]
    public void EachProvinceIsTheUnionOfItsKabKota()
    {
        foreach (var p in D.Provinces)
        {
            var children = D.Regencies.Where(r => r.ParentCode == p.Code).ToList();
            Assert.NotEmpty(children);
            var area = p.Geometry.Area;
            foreach (var c in children)
                Assert.True(c.Geometry.Difference(p.Geometry).Area / c.Geometry.Area < 1e-6, $"{c.Code} sticks out of {p.Code}");
            var union = DemoGeometry.Union(children.Select(c => (Geometry)c.Geometry));
            Assert.True(union.SymmetricDifference(p.Geometry).Area / area < 1e-6, $"{p.Code} is not the union of its kab/kota");
            Assert.Equal(children.Sum(c => c.Population), p.Population);
            Assert.Equal(children.Sum(c => c.Households), p.Households);
        }
    }

    [Fact]
    public void PadangPariamanInTheNationalLayerIsExactlyTheDetailedKabupaten()
    {
        var row = D.Regencies.Single(r => r.Code == "13.05");
        Assert.Equal("Kabupaten Padang Pariaman", row.Name);
        Assert.True(row.Geometry.EqualsExact(D.Kabupaten.Geometry));
        Assert.Equal(D.Kabupaten, row);
    }

    [Fact]
    public void DumaiIsARealKotaInRiauWithItsPublishedQuestionnaire()
    {
        var dumai = D.Regencies.Single(r => r.Code == "14.72");
        Assert.Equal("Kota Dumai", dumai.Name);
        Assert.Equal(UnitKind.Kota, dumai.Kind);
        Assert.Equal("14", dumai.ParentCode);
        Assert.True(dumai.Geometry.Covers(Geo.Factory.CreatePoint(new Coordinate(101.45, 1.67))));

        var q = D.Questionnaire.Single(r => r.Code == "14.72");
        Assert.Equal(2019, q.Year);
        var published = new Dictionary<string, double>
        {
            ["penduduk"] = 319827, ["kk"] = 94441, ["pop_4g"] = 159913, ["kk_fixed_bb"] = 47220, ["ict_staff"] = 70, ["employees"] = 2316,
            ["s2_staff"] = 314, ["s2_base"] = 2220, ["admin_apps"] = 3, ["portals"] = 1, ["websites"] = 30, ["reg_year"] = 2019,
            ["masterplan_year"] = 2018, ["data_centre"] = 1, ["command_centre"] = 0,
        };
        foreach (var (field, value) in published) Assert.True(q.Values[field] == value, $"{field}: {q.Values[field]} instead of {value}");
        Assert.Equal(QuestionnaireSchema.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), q.Values.Keys);
        Assert.Equal(319827L, dumai.Population);
        Assert.Equal(94441L, dumai.Households);
    }

    [Fact]
    public void QuestionnaireHasOneRowPerKabKotaAnsweringEveryFieldAndPadangPariamanMatchesTheGeneratedSums()
    {
        Assert.Equal(D.Regencies.Select(r => r.Code), D.Questionnaire.Select(q => q.Code));
        var pp = D.Questionnaire.Single(q => q.Code == "13.05");
        Assert.Equal(D.PopulationCells.Sum(c => (long)c.Population), pp.Values["penduduk"]);
        Assert.Equal(D.PopulationCells.Sum(c => (long)c.Households), pp.Values["kk"]);
        foreach (var q in D.Questionnaire)
        {
            Assert.Equal(2019, q.Year);
            Assert.Equal(QuestionnaireSchema.Fields.Count, q.Values.Count);
            Assert.InRange(q.Values["reg_year"], 0, 2019);
            Assert.InRange(q.Values["masterplan_year"], 0, 2019);
            foreach (var level in (string[])["spbe_kebijakan", "spbe_tata_kelola", "spbe_manajemen", "spbe_layanan"]) Assert.InRange(q.Values[level], 1, 5);
        }
        // Answers follow the maturity: units with a command centre have fibre to more OPD offices on average.
        var withCc = D.Questionnaire.Where(q => q.Values["command_centre"] == 1).Average(q => q.Values["fibre_opd_pct"]);
        var withoutCc = D.Questionnaire.Where(q => q.Values["command_centre"] == 0).Average(q => q.Values["fibre_opd_pct"]);
        Assert.True(withCc > withoutCc + 3, $"{withCc} vs {withoutCc}");
    }

    [Fact]
    public void QuestionnaireCsvHasTheAgreedHeaderAndDumaisRowAndPassesTheQuestionnaireChecks()
    {
        var csv = Encoding.UTF8.GetString(fixture.Files.Single(f => f.Path == "national/questionnaire.csv").Content);
        var lines = csv.Split('\n');
        Assert.Equal("kode,nama,tahun,penduduk,kk,pop_4g,kk_fixed_bb,ict_staff,employees,s2_staff,s2_base,admin_apps,portals,websites,reg_year,masterplan_year,"
            + "renstra_ict,spbe_architecture,data_centre,command_centre,fibre_opd_pct,fibre_kecamatan_pct,fibre_puskesmas_pct,fibre_village_pct,"
            + "e_planning,e_budgeting,e_musrenbang,mou_count,e_signature,security_audit,spbe_kebijakan,spbe_tata_kelola,spbe_manajemen,spbe_layanan,ipm,kkd,three_t", lines[0]);
        Assert.Equal(D.Regencies.Count + 2, lines.Length); // header, rows, empty after the final LF
        Assert.StartsWith("14.72,Kota Dumai,2019,319827,94441,159913,47220,70,2316,314,2220,3,1,30,2019,2018,", lines.Single(l => l.StartsWith("14.72,", StringComparison.Ordinal)), StringComparison.Ordinal);

        var read = QuestionnaireCsv.Read(csv, "questionnaire.csv");
        Assert.Empty(read.Problems);
        Assert.Equal(D.Questionnaire, read.Rows);
    }
}
