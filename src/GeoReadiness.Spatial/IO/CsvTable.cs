using System.Text;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// RFC 4180 CSV: comma separated, a header row, fields optionally quoted with <c>"</c> (a quote inside is
/// doubled), quoted fields may hold commas and line breaks. UTF-8, with or without a byte-order mark.
/// </summary>
public static class CsvTable
{
    /// <summary>Reads a CSV file into a dataset without geometry: one feature per data row, all values as strings (empty → null).</summary>
    public static SourceDataset Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, true));
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetReadException(path, "is not UTF-8 text; save it as UTF-8", inner: e);
        }
        catch (IOException e)
        {
            throw new DatasetReadException(path, $"cannot be read: {e.Message}", inner: e);
        }
        var rows = Parse(text, path);
        if (rows.Count == 0) throw new DatasetReadException(path, "is empty; expected a header row");
        var header = rows[0].Fields.Select(h => h.Trim()).ToList();
        if (header.Any(string.IsNullOrEmpty)) throw new DatasetReadException(path, "the header row has an empty column name");
        var dup = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new DatasetReadException(path, $"the header names column '{dup.Key}' twice");

        var features = new List<SourceFeature>();
        for (var r = 1; r < rows.Count; r++)
        {
            var (line, fields) = rows[r];
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            var props = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
                props[header[c]] = c < fields.Count && fields[c].Length > 0 ? fields[c] : null;
            var error = fields.Count != header.Count
                ? $"has {fields.Count} field(s) but the header has {header.Count}"
                : null;
            features.Add(new SourceFeature(features.Count, null, props, Error: error, Line: line));
        }
        return new SourceDataset(path, "CSV", "none (attribute table)", header, features);
    }

    /// <summary>Splits CSV text into records, each with the 1-based line on which it starts.</summary>
    public static List<(int Line, List<string> Fields)> Parse(string text, string path)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;
        var quoted = false;
        var atFieldStart = true;
        var any = false;
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    continue;
                }
                if (ch == '\n') line++;
                field.Append(ch);
                i++;
                continue;
            }
            switch (ch)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    any = true;
                    i++;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    any = true;
                    i++;
                    break;
                case '\r' or '\n':
                    if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    i++;
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    atFieldStart = true;
                    any = false;
                    break;
                default:
                    field.Append(ch);
                    atFieldStart = false;
                    any = true;
                    i++;
                    break;
            }
        }
        if (quoted) throw new DatasetReadException(path, $"a quoted field that starts on line {recordLine} is never closed");
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }
        return records;
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
