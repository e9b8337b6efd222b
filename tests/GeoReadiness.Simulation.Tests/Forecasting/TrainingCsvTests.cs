using GeoReadiness.Simulation.Forecasting;

namespace GeoReadiness.Simulation.Tests.Forecasting;

public sealed class TrainingCsvTests
{
    private static readonly TrainingSchema Schema = SyntheticHistory.Schema;

    /// <summary>A small valid table: 5 units × 3 rounds of the synthetic history, as CSV lines (header first).</summary>
    private static List<string> Lines()
    {
        var units = ForecastFixture.Units().Where(u => u.ProvinceCode == "14").Take(5).ToArray();
        var history = SyntheticHistory.Generate(units, 3, new SyntheticHistoryOptions([new(2021, 1), new(2022, 1), new(2023, 1)]));
        return TrainingCsv.Write(history.Data).TrimEnd('\n').Split('\n').ToList();
    }

    private static TrainingReadResult Read(IEnumerable<string> lines) => TrainingCsv.Read(string.Join("\n", lines) + "\n", "history.csv", Schema);

    private static List<string> Cells(string line) => line.Split(',').ToList();

    [Fact]
    public void Written_data_reads_back_identically()
    {
        var units = ForecastFixture.Units().Take(40).ToArray();
        var data = SyntheticHistory.Generate(units, 11).Data;
        var csv = TrainingCsv.Write(data);
        Assert.StartsWith("code,year,ict_staff_pct,s2_staff_pct,", csv);
        Assert.Contains(",fibre_km_existing,towers_total,share_5g_pct,assessed_score,selected\n", csv);
        var read = TrainingCsv.Read(csv, "history.csv", Schema);
        Assert.Empty(read.Problems);
        Assert.Equal(csv, TrainingCsv.Write(read.Data!));
        Assert.Equal(data.Sha256, read.Data!.Sha256);
        Assert.Equal(data.Rows.Count, read.Data.Rows.Count);
        Assert.Contains(read.Data.Rows, r => r.Indicators.Any(v => v is null)); // empty cells stay unknown
    }

    [Fact]
    public void Column_order_and_case_do_not_matter_and_rows_are_sorted()
    {
        var lines = Lines();
        var header = Cells(lines[0]);
        var order = Enumerable.Range(0, header.Count).Reverse().ToArray();
        var shuffled = lines.Select(l => string.Join(",", order.Select(i => Cells(l)[i]))).ToList();
        shuffled[0] = shuffled[0].ToUpperInvariant();
        shuffled.Reverse(1, shuffled.Count - 1);
        var read = Read(shuffled);
        Assert.Empty(read.Problems);
        Assert.Equal(string.Join("\n", lines) + "\n", TrainingCsv.Write(read.Data!));
    }

    [Fact]
    public void A_missing_column_is_named()
    {
        var lines = Lines();
        var at = Cells(lines[0]).IndexOf("coverage_4g_pct");
        var read = Read(lines.Select(l => string.Join(",", Cells(l).Where((_, i) => i != at))));
        Assert.Null(read.Data);
        var problem = Assert.Single(read.Problems);
        Assert.Equal("line 1, column coverage_4g_pct: missing column 'coverage_4g_pct'", problem.ToString());
    }

    [Fact]
    public void Unknown_and_repeated_columns_are_named()
    {
        var lines = Lines();
        lines[0] = lines[0].Replace("towers_total", "towers", StringComparison.Ordinal).Replace("share_5g_pct", "code", StringComparison.Ordinal);
        var messages = Read(lines).Problems.Select(p => p.ToString()).ToArray();
        Assert.Contains("line 1, column towers: unknown column 'towers' (profile kominfo-2019 1.0.0)", messages);
        Assert.Contains("line 1, column code: column 'code' appears twice in the header", messages);
        Assert.Contains("line 1, column towers_total: missing column 'towers_total'", messages);
        Assert.Contains("line 1, column share_5g_pct: missing column 'share_5g_pct'", messages);
    }

    [Fact]
    public void Every_bad_value_is_listed_with_its_line_and_column()
    {
        var lines = Lines();
        var header = Cells(lines[0]);
        string Edit(string line, string column, string value)
        {
            var cells = Cells(line);
            cells[header.IndexOf(column)] = value;
            return string.Join(",", cells);
        }
        lines[2] = Edit(lines[2], "human_development", "sixty");
        lines[3] = Edit(lines[3], "fiscal_capacity", "\"1,5\"");
        lines[4] = Edit(lines[4], "selected", "yes");
        lines[5] = Edit(lines[5], "assessed_score", "140");
        lines[6] = Edit(lines[6], "code", "1472");
        var read = Read(lines);
        Assert.Null(read.Data);
        string Code(int line) => Cells(lines[line - 1])[0];
        Assert.Equal(
        [
            $"line 3, code {Code(3)}, column human_development: 'sixty' is not a number",
            $"line 4, code {Code(4)}, column fiscal_capacity: '1,5' is not a number (use a decimal point)",
            $"line 5, code {Code(5)}, column selected: 'yes' is not 0 or 1",
            $"line 6, code {Code(6)}, column assessed_score: 140 is not a score 0–100",
            "line 7, code 1472, column code: '1472' is not a Kemendagri code (expected e.g. 14.72)",
        ], read.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void A_duplicate_unit_and_year_names_the_first_line()
    {
        var lines = Lines();
        lines.Add(lines[3]);
        var problem = Assert.Single(Read(lines).Problems);
        Assert.Equal($"line {lines.Count}, code {Cells(lines[3])[0]}: duplicate row for code {Cells(lines[3])[0]}, year {Cells(lines[3])[1]} (first on line 4)", problem.ToString());
    }

    [Fact]
    public void A_single_round_cannot_be_split_in_time()
    {
        var lines = Lines();
        var single = lines.Where((l, i) => i == 0 || Cells(l)[1] == "2022").ToList();
        var problem = Assert.Single(Read(single).Problems);
        Assert.Equal("column year: the data has 1 round(s) (2022); forecasting the next round with a time split needs at least 3: consecutive rounds to train on and the latest pair to test", problem.ToString());
        var rows = Read(lines).Data!.Rows.Where(r => r.Year == 2022);
        var e = Assert.Throws<TrainingDataException>(() => TrainingData.Create(Schema, rows));
        Assert.Contains("the data has 1 round(s) (2022)", e.Message);
    }

    [Fact]
    public void An_empty_file_says_what_is_expected()
    {
        var problem = Assert.Single(TrainingCsv.Read("", "empty.csv", Schema).Problems);
        Assert.StartsWith("the file is empty; expected a header row with code,year,ict_staff_pct,", problem.Message);
    }

    [Fact]
    public void Rows_built_in_code_are_checked_like_the_file()
    {
        var rows = Read(Lines()).Data!.Rows.ToList();
        rows[1] = rows[1] with { Indicators = rows[1].Indicators.Take(5).ToArray(), AssessedScore = -3 };
        rows.Add(rows[0]);
        var messages = TrainingData.TryCreate(Schema, rows).Problems.Select(p => p.ToString()).ToArray();
        Assert.Equal(
        [
            $"line 3, code {rows[1].Code}: 5 indicator value(s), the schema has 23",
            $"line 3, code {rows[1].Code}, column assessed_score: -3 is not a score 0–100",
            $"line {rows.Count + 1}, code {rows[0].Code}: duplicate row for code {rows[0].Code}, year {rows[0].Year} (first on line 2)",
        ], messages);
    }
}
