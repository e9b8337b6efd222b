using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.IO;

namespace GeoReadiness.Simulation.Forecasting;

/// <summary>
/// Reads and writes training tables as CSV: a header with every column of a <see cref="TrainingSchema"/> (in any
/// order, names matched ignoring case), then one row per unit per round. Numbers use the invariant culture; an empty
/// cell is an unknown value (an empty <c>assessed_score</c>: not assessed that round); <c>selected</c> is 0 or 1.
/// Parsing is <see cref="CsvTable.Parse"/> (RFC 4180). Every problem is collected, each with its line, code and
/// column, as in the questionnaire import. Stateless and thread-safe.
/// </summary>
public static class TrainingCsv
{
    /// <param name="text">the file's text</param>
    /// <param name="source">the file name, used in messages only</param>
    public static TrainingReadResult Read(string text, string source, TrainingSchema schema)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(schema);
        List<(int Line, List<string> Fields)> records;
        try
        {
            records = CsvTable.Parse(text, source);
        }
        catch (DatasetReadException e)
        {
            return new TrainingReadResult(null, [new(null, null, null, e.Message)]);
        }
        if (records.Count == 0 || records.Count == 1 && records[0].Fields is [{ Length: 0 }])
            return new TrainingReadResult(null, [new(null, null, null, $"the file is empty; expected a header row with {string.Join(",", schema.Columns)}")]);

        var problems = new List<TrainingProblem>();
        var position = ReadHeader(records[0].Line, records[0].Fields, schema, problems);
        if (problems.Count > 0)
            return new TrainingReadResult(null, problems);

        var rows = new List<TrainingRow>();
        var seen = new Dictionary<(string, int), int>();
        for (var r = 1; r < records.Count; r++)
        {
            var (line, fields) = records[r];
            if (fields.All(f => f.Trim().Length == 0)) continue; // blank line
            string Cell(string column) => position[column] < fields.Count ? fields[position[column]].Trim() : "";
            var before = problems.Count;
            var code = Cell(TrainingSchema.CodeColumn);
            if (fields.Count != position.Count)
                problems.Add(new(line, code, null, $"the row has {fields.Count} field(s) but the header has {position.Count}"));
            int year = 0;
            var yearText = Cell(TrainingSchema.YearColumn);
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out year))
                problems.Add(new(line, code, TrainingSchema.YearColumn, yearText.Length == 0 ? "missing value: every row needs the round's year" : $"'{yearText}' is not a year"));

            double? Number(string column)
            {
                var t = Cell(column);
                if (t.Length == 0) return null;
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
                problems.Add(new(line, code, column, $"'{t}' is not a number" + (t.Contains(',', StringComparison.Ordinal) ? " (use a decimal point)" : "")));
                return null;
            }
            var indicators = schema.Indicators.Select(Number).ToArray();
            var infrastructure = schema.Infrastructure.Select(Number).ToArray();
            var score = Number(TrainingSchema.ScoreColumn);
            var selectedText = Cell(TrainingSchema.SelectedColumn);
            if (selectedText is not ("0" or "1"))
                problems.Add(new(line, code, TrainingSchema.SelectedColumn, $"'{selectedText}' is not 0 or 1"));
            var row = new TrainingRow(code, year, indicators, infrastructure, score, selectedText == "1");
            TrainingData.CheckRow(line, row, problems);
            if (problems.Count > before) continue;
            if (seen.TryGetValue((code, year), out var first))
                problems.Add(new(line, code, null, $"duplicate row for code {code}, year {year} (first on line {first})"));
            else
            {
                seen[(code, year)] = line;
                rows.Add(row);
            }
        }
        if (rows.Count > 0 || problems.Count == 0)
            TrainingData.CheckRounds(rows.Select(r => r.Year), problems);
        return problems.Count > 0 ? new TrainingReadResult(null, problems) : TrainingData.TryCreate(schema, rows);
    }

    /// <summary>The column positions by canonical name; problems for unknown, repeated and missing columns.</summary>
    private static Dictionary<string, int> ReadHeader(int line, List<string> header, TrainingSchema schema, List<TrainingProblem> problems)
    {
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < header.Count; c++)
        {
            var name = header[c].Trim();
            var canonical = schema.Columns.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (name.Length == 0) problems.Add(new(line, null, null, $"column {c + 1} of the header has no name"));
            else if (canonical is null) problems.Add(new(line, null, name, $"unknown column '{name}' (profile {schema.ProfileId} {schema.ProfileVersion})"));
            else if (!position.TryAdd(canonical, c)) problems.Add(new(line, null, canonical, $"column '{canonical}' appears twice in the header"));
        }
        foreach (var column in schema.Columns.Where(c => !position.ContainsKey(c)))
            problems.Add(new(line, null, column, $"missing column '{column}'"));
        return position;
    }

    /// <summary>Writes the table in <see cref="TrainingSchema.Columns"/> order, rows as <see cref="TrainingData.Rows"/>, LF line ends, numbers in their shortest round-trip form.</summary>
    public static string Write(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var sb = new StringBuilder();
        sb.AppendJoin(',', data.Schema.Columns).Append('\n');
        foreach (var row in data.Rows)
        {
            sb.Append(row.Code).Append(',').Append(row.Year.ToString(CultureInfo.InvariantCulture));
            foreach (var v in row.Indicators.Concat(row.Infrastructure).Append(row.AssessedScore))
                sb.Append(',').Append(v?.ToString(CultureInfo.InvariantCulture));
            sb.Append(',').Append(row.Selected ? '1' : '0').Append('\n');
        }
        return sb.ToString();
    }
}
