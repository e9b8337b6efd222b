using System.Text.Json;
using NetTopologySuite.Geometries;

namespace GeoReadiness.Spatial.Export;

/// <summary>
/// Writes RFC 7946 GeoJSON: one FeatureCollection, lon/lat in EPSG:4326 with no <c>crs</c> member, the
/// feature id set to the code or id, properties by the field conventions plus the free attributes.
/// Coordinates are written with round-trip precision, so an export imports back to equal geometries.
/// </summary>
public static class GeoJsonExporter
{
    public static void Write(Stream stream, IEnumerable<ExportTable> tables)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        w.WriteStartArray("features");
        foreach (var table in tables)
        {
            foreach (var row in table.Rows)
            {
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", row.Id);
                w.WritePropertyName("geometry");
                WriteGeometry(w, row.Geometry);
                w.WriteStartObject("properties");
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    w.WritePropertyName(table.Columns[i].Name);
                    switch (row.Values[i])
                    {
                        case null: w.WriteNullValue(); break;
                        case string s: w.WriteStringValue(s); break;
                        case long l: w.WriteNumberValue(l); break;
                        case double d: w.WriteNumberValue(d); break;
                        case bool b: w.WriteBooleanValue(b); break;
                        case var v: w.WriteStringValue(ExportTable.Format(v)); break;
                    }
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteGeometry(Utf8JsonWriter w, Geometry g)
    {
        w.WriteStartObject();
        w.WriteString("type", g.GeometryType);
        if (g is GeometryCollection gc and not (MultiPoint or MultiLineString or MultiPolygon))
        {
            w.WriteStartArray("geometries");
            foreach (var part in gc.Geometries) WriteGeometry(w, part);
            w.WriteEndArray();
        }
        else
        {
            w.WritePropertyName("coordinates");
            WriteCoordinates(w, g);
        }
        w.WriteEndObject();
    }

    private static void WriteCoordinates(Utf8JsonWriter w, Geometry g)
    {
        switch (g)
        {
            case Point p:
                if (p.IsEmpty) { w.WriteStartArray(); w.WriteEndArray(); }
                else Position(w, p.Coordinate);
                break;
            case LineString l:
                Sequence(w, l.CoordinateSequence);
                break;
            case Polygon poly:
                w.WriteStartArray();
                if (!poly.IsEmpty)
                {
                    Sequence(w, poly.ExteriorRing.CoordinateSequence);
                    foreach (var hole in poly.InteriorRings) Sequence(w, hole.CoordinateSequence);
                }
                w.WriteEndArray();
                break;
            case GeometryCollection multi:
                w.WriteStartArray();
                foreach (var part in multi.Geometries) WriteCoordinates(w, part);
                w.WriteEndArray();
                break;
        }
    }

    private static void Sequence(Utf8JsonWriter w, CoordinateSequence seq)
    {
        w.WriteStartArray();
        for (var i = 0; i < seq.Count; i++)
        {
            w.WriteStartArray();
            w.WriteNumberValue(seq.GetX(i));
            w.WriteNumberValue(seq.GetY(i));
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void Position(Utf8JsonWriter w, Coordinate c)
    {
        w.WriteStartArray();
        w.WriteNumberValue(c.X);
        w.WriteNumberValue(c.Y);
        w.WriteEndArray();
    }
}
