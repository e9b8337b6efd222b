using System.Globalization;
using System.Text;
using GeoReadiness.Spatial.IO;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Export;

/// <summary>
/// Writes RFC 4180 CSV (UTF-8, CRLF): one row per feature with the convention columns and attributes, the
/// geometry as WKT in a <c>wkt</c> column, and <c>lon</c>/<c>lat</c> of a point on the surface (inside a
/// polygon, on a line), which places a label or a spreadsheet pin sensibly.
/// </summary>
public static class CsvExporter
{
    public static void Write(Stream stream, IEnumerable<ExportTable> tables)
    {
        var list = tables.ToList();
        // Tables of several unit levels share the convention columns; the union keeps every attribute.
        var columns = new List<string>();
        foreach (var c in list.SelectMany(t => t.Columns))
            if (!columns.Contains(c.Name)) columns.Add(c.Name);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n" };
        // Boundary files often carry their own lat/lng attributes; the geometry columns keep their names.
        string[] geometryColumns = ["wkt", "lon", "lat"];
        var header = columns.Select(c => geometryColumns.Contains(c, StringComparer.OrdinalIgnoreCase) ? "attr_" + c : c);
        w.WriteLine(string.Join(',', header.Concat(geometryColumns).Select(CsvTable.Escape)));
        var wkt = new WKTWriter();
        foreach (var table in list)
        {
            var index = columns.Select(c => table.Columns.ToList().FindIndex(x => x.Name == c)).ToArray();
            foreach (var row in table.Rows)
            {
                var fields = index.Select(i => i < 0 ? "" : CsvTable.Escape(ExportTable.Format(row.Values[i]))).ToList();
                fields.Add(CsvTable.Escape(wkt.Write(row.Geometry)));
                var p = row.Geometry.IsEmpty ? null : row.Geometry.InteriorPoint;
                fields.Add(p is null || p.IsEmpty ? "" : p.X.ToString("R", CultureInfo.InvariantCulture));
                fields.Add(p is null || p.IsEmpty ? "" : p.Y.ToString("R", CultureInfo.InvariantCulture));
                w.WriteLine(string.Join(',', fields));
            }
        }
    }
}
