using GeoReadiness.Spatial.Assessment;

namespace GeoReadiness.Spatial.Tests.Assessment;

public sealed class QuestionnaireCsvTests
{
    private const string Header = "kode,nama,tahun,penduduk,kk,employees";

    private static QuestionnaireReadResult Read(string text) => QuestionnaireCsv.Read(text, "q.csv");

    /// <summary>The single problem of the file, which must name the line, the code and the field.</summary>
    private static QuestionnaireProblem Single(string text, int line, string? code, string? field)
    {
        var read = Read(text);
        var p = Assert.Single(read.Problems);
        Assert.Equal((line, code, field), (p.Line, p.Code, p.Field));
        Assert.DoesNotContain(read.Rows, r => r.Code == code);
        return p;
    }

    [Fact]
    public void AValidFileGivesOneRowPerLineWithBooleansAsOneAndZeroAndEmptyYearsAsZero()
    {
        var read = Read("\uFEFFkode,tahun,nama,penduduk,kk,employees,data_centre,reg_year,masterplan_year,ipm,pop_4g\r\n"
                        + "14.72,2019,\"Kota Dumai, Riau\",319827,94441,2316,ya,2019,,72.5,\r\n"
                        + "13.05,2019,Padang Pariaman,430000,110000,3000,tidak,0,2018,70,\r\n");

        Assert.Empty(read.Problems);
        Assert.Equal([2, 3], read.Lines);
        var dumai = read.Rows[0];
        Assert.Equal(("14.72", 2019), (dumai.Code, dumai.Year));
        Assert.Equal(1, dumai.Values["data_centre"]);
        Assert.Equal(0, dumai.Values["masterplan_year"]);
        Assert.Equal(72.5, dumai.Values["ipm"]);
        Assert.False(dumai.Values.ContainsKey("pop_4g")); // empty: not answered
        Assert.Equal(0, read.Rows[1].Values["data_centre"]);
        Assert.Equal(0, read.Rows[1].Values["reg_year"]);
    }

    [Fact]
    public void ColumnNamesMatchIgnoringCaseAndInAnyOrder()
    {
        var read = Read("EMPLOYEES,Tahun,KK,Kode,penduduk\n80,2020,10,14.72,40\n");
        Assert.Empty(read.Problems);
        Assert.Equal(80, Assert.Single(read.Rows).Values["employees"]);
    }

    [Fact]
    public void AnUnknownColumnIsNamedWithADidYouMean()
    {
        var p = Assert.Single(Read(Header + ",ict_staf\n14.72,x,2019,10,2,1,1\n").Problems);
        Assert.Equal((1, "ict_staf"), (p.Line, p.Field));
        Assert.Contains("unknown column 'ict_staf'; did you mean 'ict_staff'?", p.Message, StringComparison.Ordinal);
        var far = Assert.Single(Read(Header + ",colour\n14.72,x,2019,10,2,1,\n").Problems);
        Assert.DoesNotContain("did you mean", far.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredColumnsAreEachNamed()
    {
        var read = Read("kode,penduduk\n14.72,10\n");
        Assert.Equal(["tahun", "kk", "employees"], read.Problems.Select(p => p.Field));
        Assert.All(read.Problems, p => Assert.Contains("missing required column", p.Message, StringComparison.Ordinal));
        Assert.Empty(read.Rows);
    }

    [Fact]
    public void AMissingRequiredValueIsNamed() =>
        Assert.Contains("missing value", Single(Header + "\n14.72,x,2019,10,,1\n", 2, "14.72", "kk").Message, StringComparison.Ordinal);

    [Fact]
    public void AMalformedCodeIsNamed() =>
        Assert.Contains("is not a Kemendagri code", Single(Header + "\n14.72,x,2019,10,2,1\n1472x,y,2019,10,2,1\n", 3, "1472x", "kode").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("2014")]
    [InlineData("2101")]
    public void AnAssessmentYearOutsideTheSchemaRangeIsNamed(string year) =>
        Assert.Contains("outside 2015–2100", Single(Header + $"\n14.72,x,{year},10,2,1\n", 2, "14.72", "tahun").Message, StringComparison.Ordinal);

    [Fact]
    public void ANonNumericValueIsNamed() =>
        Assert.Contains("'banyak' is not a number", Single(Header + "\n14.72,x,2019,banyak,2,1\n", 2, "14.72", "penduduk").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("-3")]
    [InlineData("2.5")]
    public void ACountThatIsNotAWholeNumberAtLeastZeroIsNamed(string value) =>
        Assert.Contains("is not a count", Single(Header + $"\n14.72,x,2019,{value},2,1\n", 2, "14.72", "penduduk").Message, StringComparison.Ordinal);

    [Fact]
    public void APercentAbove100IsAShareAbove100Percent() =>
        Assert.Contains("a share above 100 %", Single(Header + ",fibre_opd_pct\n14.72,x,2019,10,2,1,120\n", 2, "14.72", "fibre_opd_pct").Message, StringComparison.Ordinal);

    [Fact]
    public void ANumberOutsideItsBoundsIsNamed() =>
        Assert.Contains("above the maximum 20", Single(Header + ",kkd\n14.72,x,2019,10,2,1,25\n", 2, "14.72", "kkd").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("2.5")]
    public void ALevelOutsideOneToFiveIsNamed(string value) =>
        Assert.Contains("not a level 1–5", Single(Header + $",spbe_layanan\n14.72,x,2019,10,2,1,{value}\n", 2, "14.72", "spbe_layanan").Message, StringComparison.Ordinal);

    [Fact]
    public void ABooleanThatIsNoneOfTheAcceptedWordsIsNamed() =>
        Assert.Contains("not a boolean", Single(Header + ",data_centre\n14.72,x,2019,10,2,1,maybe\n", 2, "14.72", "data_centre").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("true", 1)]
    [InlineData("1", 1)]
    [InlineData("Ya", 1)]
    [InlineData("yes", 1)]
    [InlineData("FALSE", 0)]
    [InlineData("0", 0)]
    [InlineData("tidak", 0)]
    [InlineData("no", 0)]
    public void BooleansAcceptTrueFalseOneZeroYaTidakYesNo(string text, double stored) =>
        Assert.Equal(stored, Assert.Single(Read(Header + $",command_centre\n14.72,x,2019,10,2,1,{text}\n").Rows).Values["command_centre"]);

    [Fact]
    public void AYearFieldAfterTheAssessmentYearIsNamed() =>
        Assert.Contains("year 2021 is after the assessment year 2019", Single(Header + ",reg_year\n14.72,x,2019,10,2,1,2021\n", 2, "14.72", "reg_year").Message, StringComparison.Ordinal);

    [Fact]
    public void AFieldAboveItsAtMostFieldIsNamedWithBothValues()
    {
        Assert.Contains("ict_staff 120 exceeds employees 80",
            Single(Header + ",ict_staff\n14.72,x,2019,1000,200,80,120\n", 2, "14.72", "ict_staff").Message, StringComparison.Ordinal);
        Assert.Contains("pop_4g 2000 exceeds penduduk 1000",
            Single(Header + ",pop_4g\n14.72,x,2019,1000,200,80,2000\n", 2, "14.72", "pop_4g").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADuplicateCodeAndYearIsNamedWithTheFirstLine()
    {
        var read = Read(Header + "\n14.72,x,2019,10,2,1\n14.72,x,2020,10,2,1\n14.72,x,2019,11,2,1\n");
        var p = Assert.Single(read.Problems);
        Assert.Equal((4, "14.72"), (p.Line, p.Code));
        Assert.Contains("duplicate row for kode 14.72, tahun 2019 (first on line 2)", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemIsCollectedWithItsFileLineAcrossQuotedLineBreaks()
    {
        var read = Read(Header + ",ict_staff\n\"14.71\",\"Kota\nPekanbaru\",2019,10,2,1,1\n14.72,x,2019,10,20,1,2\n");
        Assert.Equal([(4, "kk"), (4, "ict_staff")], read.Problems.Select(p => (p.Line ?? 0, p.Field!)));
        Assert.Equal("q.csv:4: kode 14.72, field kk: kk 20 exceeds penduduk 10", read.Problems[0].Format("q.csv"));
        Assert.Equal("14.71", Assert.Single(read.Rows).Code);
    }

    [Fact]
    public void AnEmptyFileAndAnUnclosedQuoteAreProblemsNotExceptions()
    {
        Assert.Contains("empty", Assert.Single(Read("").Problems).Message, StringComparison.Ordinal);
        Assert.Contains("never closed", Assert.Single(Read(Header + "\n\"14.72,x\n").Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThenReadGivesTheSameRows()
    {
        // Both year fields present: the written file has every column, where an empty year cell reads as none.
        var rows = Read("kode,tahun,penduduk,kk,employees,reg_year,masterplan_year,data_centre,ipm\n14.72,2019,10,2,1,,0,true,70.25\n13.05,2019,10,2,1,2018,2019,0,\n").Rows;
        var again = Read(QuestionnaireCsv.Write(rows, code => code == "14.72" ? "Kota Dumai, Riau" : null));
        Assert.Empty(again.Problems);
        Assert.Equal(rows, again.Rows);
    }
}
