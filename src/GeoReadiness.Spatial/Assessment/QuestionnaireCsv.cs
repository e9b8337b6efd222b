using System.Collections.Immutable;
using System.Globalization;
using GeoReadiness.Spatial.IO;
using GeoReadiness.Spatial.Model;

namespace GeoReadiness.Spatial.Assessment;

/// <summary>
/// Reads and checks a questionnaire CSV: a header with <c>kode</c>, <c>tahun</c>, optionally <c>nama</c>, and any
/// fields of <see cref="QuestionnaireSchema.Fields"/> in any order (names are matched ignoring case); then one row
/// per unit per assessment year. Parsing is <see cref="CsvTable.Parse"/> (RFC 4180: quoted fields, BOM, CRLF).
/// Numbers use the invariant culture (a decimal point).
/// </summary>
/// <remarks>
/// Every problem is collected rather than stopping at the first, each with its line, unit code and field. An empty
/// cell of a year field means "none" and is stored as 0; any other empty cell is "not answered" and left out of the
/// row (a required field must be answered). Stateless and thread-safe.
/// </remarks>
public static class QuestionnaireCsv
{
    private static readonly string[] TrueWords = ["true", "1", "ya", "yes"];
    private static readonly string[] FalseWords = ["false", "0", "tidak", "no"];

    /// <param name="text">the file's text</param>
    /// <param name="source">the file name, used in messages only</param>
    public static QuestionnaireReadResult Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<QuestionnaireProblem>();
        List<(int Line, List<string> Fields)> records;
        try
        {
            records = CsvTable.Parse(text, source);
        }
        catch (DatasetReadException e)
        {
            return new QuestionnaireReadResult([], [new(null, null, null, e.Message)]);
        }
        if (records.Count == 0 || records[0].Fields is [{ Length: 0 }] && records.Count == 1)
            return new QuestionnaireReadResult([], [new(null, null, null, "the file is empty; expected a header row with kode, tahun and the answers")]);

        var columns = ReadHeader(records[0].Line, records[0].Fields, problems);
        var codeColumn = columns.IndexOf(QuestionnaireSchema.CodeColumn);
        var yearColumn = columns.IndexOf(QuestionnaireSchema.YearColumn);
        var headerBroken = problems.Count > 0;

        var rows = new List<QuestionnaireRow>();
        var lines = new List<int>();
        var seen = new Dictionary<(string, int), int>();
        for (var r = 1; r < records.Count && !headerBroken; r++)
        {
            var (line, fields) = records[r];
            if (fields is [{ Length: 0 }] || fields.All(f => f.Trim().Length == 0)) continue; // blank line
            var before = problems.Count;
            string Cell(int c) => c >= 0 && c < fields.Count ? fields[c].Trim() : "";

            var codeText = Cell(codeColumn);
            string? code = null;
            if (codeText.Length == 0) problems.Add(new(line, null, QuestionnaireSchema.CodeColumn, "missing value: every row needs the unit's Kemendagri code"));
            else if (!KemendagriCode.IsValid(codeText)) problems.Add(new(line, codeText, QuestionnaireSchema.CodeColumn, $"'{codeText}' is not a Kemendagri code (expected e.g. 14.72)"));
            else code = codeText;
            if (fields.Count != columns.Count)
                problems.Add(new(line, code ?? NullIfEmpty(codeText), null, $"the row has {fields.Count} field(s) but the header has {columns.Count}"));

            var yearText = Cell(yearColumn);
            int? year = null;
            if (yearText.Length == 0) problems.Add(new(line, code, QuestionnaireSchema.YearColumn, "missing value: every row needs the assessment year"));
            else if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
                problems.Add(new(line, code, QuestionnaireSchema.YearColumn, $"'{yearText}' is not a year"));
            else if (y < QuestionnaireSchema.FirstYear || y > QuestionnaireSchema.LastYear)
                problems.Add(new(line, code, QuestionnaireSchema.YearColumn, $"assessment year {y} is outside {QuestionnaireSchema.FirstYear}–{QuestionnaireSchema.LastYear}"));
            else year = y;

            var values = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            for (var c = 0; c < columns.Count; c++)
            {
                if (!QuestionnaireSchema.TryGetField(columns[c], out var field)) continue;
                if (ReadValue(field, Cell(c), year, out var value) is { } message) problems.Add(new(line, code, field.Name, message));
                else if (value is { } v) values[field.Name] = v;
            }
            foreach (var field in QuestionnaireSchema.Fields)
            {
                if (field.AtMost is { } limit && values.TryGetValue(field.Name, out var v) && values.TryGetValue(limit, out var max) && v > max)
                    problems.Add(new(line, code, field.Name, $"{field.Name} {Number(v)} exceeds {limit} {Number(max)}"));
            }

            if (code is not null && year is { } yr)
            {
                if (seen.TryGetValue((code, yr), out var first))
                    problems.Add(new(line, code, null, $"duplicate row for kode {code}, tahun {yr} (first on line {first})"));
                else seen[(code, yr)] = line;
            }
            if (problems.Count == before && code is not null && year is { } ok)
            {
                rows.Add(new QuestionnaireRow(code, ok, values.ToImmutable()));
                lines.Add(line);
            }
        }
        return new QuestionnaireReadResult(rows, problems) { Lines = lines };
    }

    /// <summary>The header as canonical column names (known ones lower-cased); problems for unknown, missing and repeated columns.</summary>
    private static List<string> ReadHeader(int line, List<string> header, List<QuestionnaireProblem> problems)
    {
        var known = KnownColumns();
        var columns = new List<string>();
        foreach (var raw in header)
        {
            var name = raw.Trim();
            var canonical = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (name.Length == 0) problems.Add(new(line, null, null, $"column {columns.Count + 1} of the header has no name"));
            else if (canonical is null)
            {
                var guess = Closest(name, known);
                problems.Add(new(line, null, name, $"unknown column '{name}'" + (guess is null ? $" (questionnaire schema {QuestionnaireSchema.Version})" : $"; did you mean '{guess}'?")));
            }
            else if (columns.Contains(canonical)) problems.Add(new(line, null, canonical, $"column '{canonical}' appears twice in the header"));
            columns.Add(canonical ?? name);
        }
        foreach (var required in new[] { QuestionnaireSchema.CodeColumn, QuestionnaireSchema.YearColumn }
                     .Concat(QuestionnaireSchema.Fields.Where(f => f.Required).Select(f => f.Name)))
        {
            if (!columns.Contains(required)) problems.Add(new(line, null, required, $"missing required column '{required}'"));
        }
        return columns;
    }

    private static List<string> KnownColumns() =>
        [QuestionnaireSchema.CodeColumn, QuestionnaireSchema.YearColumn, QuestionnaireSchema.NameColumn, .. QuestionnaireSchema.Fields.Select(f => f.Name)];

    /// <returns>a problem message, or null with <paramref name="value"/> set (null: not answered)</returns>
    private static string? ReadValue(QuestionnaireField field, string text, int? assessmentYear, out double? value)
    {
        value = null;
        if (text.Length == 0)
        {
            if (field.Type == QuestionnaireFieldType.Year)
            {
                value = 0;
                return null;
            }
            return field.Required ? $"missing value: {field.Name} is required" : null;
        }
        if (field.Type == QuestionnaireFieldType.Boolean)
        {
            var word = text.ToLowerInvariant();
            if (TrueWords.Contains(word)) value = 1;
            else if (FalseWords.Contains(word)) value = 0;
            else return $"'{text}' is not a boolean (true/false, 1/0, ya/tidak, yes/no)";
            return null;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            return $"'{text}' is not a number" + (text.Contains(',', StringComparison.Ordinal) ? " (use a decimal point)" : "");
        switch (field.Type)
        {
            case QuestionnaireFieldType.Count when v < 0 || v != Math.Floor(v):
                return $"{Number(v)} is not a count (a whole number ≥ 0)";
            case QuestionnaireFieldType.Percent when v < 0 || v > 100:
                return v > 100 ? $"{Number(v)} % is a share above 100 %" : $"{Number(v)} % is a negative share";
            case QuestionnaireFieldType.Level when v < 1 || v > 5 || v != Math.Floor(v):
                return $"{Number(v)} is not a level 1–5";
            case QuestionnaireFieldType.Year when v != 0:
                if (v != Math.Floor(v) || v < 1900) return $"{Number(v)} is not a year (leave the cell empty or 0 for none)";
                if (assessmentYear is { } y && v > y) return $"year {Number(v)} is after the assessment year {y}";
                break;
        }
        if (field.Min is { } min && v < min) return $"{Number(v)} is below the minimum {Number(min)}";
        if (field.Max is { } max && v > max) return $"{Number(v)} is above the maximum {Number(max)}";
        value = v;
        return null;
    }

    /// <summary>A value as the CSV writes it: invariant culture, shortest round-trip form.</summary>
    public static string Number(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The known column closest to <paramref name="name"/> when it is a likely typo (at most 2 edits, or a prefix).</summary>
    private static string? Closest(string name, IEnumerable<string> known)
    {
        var lower = name.ToLowerInvariant();
        var best = known.Select(k => (Name: k, Distance: Distance(lower, k))).MinBy(k => k.Distance);
        return best.Distance <= Math.Max(2, lower.Length / 4) ? best.Name : null;
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>
    /// Writes rows as questionnaire CSV: <c>kode,nama,tahun</c> then every schema field in schema order; LF line
    /// ends; a year field of 0 (none) and an unanswered field as an empty cell; booleans as true/false. An empty year
    /// cell reads back as none, so a row that leaves a year field unanswered reads back with it as 0.
    /// </summary>
    /// <param name="nameOf">the unit name for the <c>nama</c> column (empty when null)</param>
    public static string Write(IEnumerable<QuestionnaireRow> rows, Func<string, string?>? nameOf = null)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(QuestionnaireSchema.CodeColumn).Append(',').Append(QuestionnaireSchema.NameColumn).Append(',').Append(QuestionnaireSchema.YearColumn);
        foreach (var f in QuestionnaireSchema.Fields) sb.Append(',').Append(f.Name);
        sb.Append('\n');
        foreach (var row in rows)
        {
            sb.Append(row.Code).Append(',').Append(CsvTable.Escape(nameOf?.Invoke(row.Code))).Append(',').Append(row.Year.ToString(CultureInfo.InvariantCulture));
            foreach (var f in QuestionnaireSchema.Fields)
            {
                sb.Append(',');
                if (row.Values.TryGetValue(f.Name, out var v)) sb.Append(Cell(f, v));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>A stored value as a CSV cell (and for display): booleans true/false, a year 0 empty.</summary>
    public static string Cell(QuestionnaireField field, double value) => field.Type switch
    {
        QuestionnaireFieldType.Boolean => value != 0 ? "true" : "false",
        QuestionnaireFieldType.Year when value == 0 => "",
        _ => Number(value),
    };
}
