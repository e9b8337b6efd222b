using GeoReadiness.Spatial.Model;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.IO;

/// <summary>
/// Reads feature tables of an OGC GeoPackage: the tables come from <c>gpkg_contents</c>, the geometry column
/// from <c>gpkg_geometry_columns</c>, the CRS from <c>gpkg_spatial_ref_sys</c>; geometries are transformed to EPSG:4326.
/// </summary>
public static class GeoPackageFileReader
{
    /// <summary>Names of the feature tables, in the order of <c>gpkg_contents</c>.</summary>
    public static IReadOnlyList<string> FeatureTables(string path)
    {
        using var connection = Open(path);
        return FeatureTables(connection, path);
    }

    /// <param name="tables">the tables to read (all feature tables when null), concatenated in this order</param>
    public static SourceDataset Read(string path, IReadOnlyList<string>? tables = null)
    {
        using var connection = Open(path);
        var available = FeatureTables(connection, path);
        var wanted = tables ?? available;
        foreach (var t in wanted)
            if (!available.Contains(t, StringComparer.Ordinal))
                throw new DatasetReadException(path, $"has no feature table '{t}' (it has: {string.Join(", ", available)})");

        var features = new List<SourceFeature>();
        var columns = new List<string>();
        var crsNames = new List<string>();
        foreach (var table in wanted)
        {
            try
            {
                ReadTable(connection, path, table, features, columns, crsNames);
            }
            catch (SqliteException e)
            {
                throw new DatasetReadException(path, $"table '{table}' cannot be read: {e.Message}", inner: e);
            }
        }
        return new SourceDataset(path, "GeoPackage", string.Join(", ", crsNames.Distinct()), columns, features);
    }

    private static SqliteConnection Open(string path)
    {
        if (!File.Exists(path)) throw new DatasetReadException(path, "file not found");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('gpkg_contents','gpkg_geometry_columns','gpkg_spatial_ref_sys')";
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 3)
                throw new DatasetReadException(path, "is not a GeoPackage (gpkg_contents, gpkg_geometry_columns or gpkg_spatial_ref_sys is missing)");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new DatasetReadException(path, $"is not a readable SQLite/GeoPackage file: {e.Message}", inner: e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static List<string> FeatureTables(SqliteConnection connection, string path)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid";
        var list = new List<string>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(r.GetString(0));
        if (list.Count == 0) throw new DatasetReadException(path, "has no feature tables in gpkg_contents");
        return list;
    }

    private static void ReadTable(SqliteConnection connection, string path, string table, List<SourceFeature> features, List<string> columns, List<string> crsNames)
    {
        string geomColumn;
        SourceCrs crs;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition
                FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                WHERE g.table_name = $t
                """;
            cmd.Parameters.AddWithValue("$t", table);
            using var r = cmd.ExecuteReader();
            if (!r.Read()) throw new DatasetReadException(path, $"table '{table}' has no entry in gpkg_geometry_columns");
            geomColumn = r.GetString(0);
            var srsId = r.GetInt32(1);
            var org = r.IsDBNull(2) ? null : r.GetString(2);
            var orgId = r.IsDBNull(3) ? (int?)null : r.GetInt32(3);
            var definition = r.IsDBNull(4) ? null : r.GetString(4);
            crs = (string.Equals(org, "EPSG", StringComparison.OrdinalIgnoreCase) && orgId is { } code ? SourceCrs.FromEpsg(code) : null)
                ?? (srsId == 4326 ? SourceCrs.Wgs84 : null)
                ?? (definition is { Length: > 0 } d && !d.Equals("undefined", StringComparison.OrdinalIgnoreCase) ? SourceCrs.FromWkt(d, path)
                    : throw new DatasetReadException(path, $"table '{table}' uses SRS {srsId}, which is undefined; cannot place its coordinates"));
        }
        crsNames.Add(crs.Name);

        var reader = new GeoPackageGeoReader();
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        using var rows = select.ExecuteReader();
        var pk = PrimaryKey(connection, table);
        var booleans = BooleanColumns(connection, table);
        for (var c = 0; c < rows.FieldCount; c++)
        {
            var name = rows.GetName(c);
            if (!name.Equals(geomColumn, StringComparison.OrdinalIgnoreCase) && !name.Equals(pk, StringComparison.OrdinalIgnoreCase) && !columns.Contains(name))
                columns.Add(name);
        }
        var rowInTable = 0;
        while (rows.Read())
        {
            var index = features.Count;
            var props = new Dictionary<string, object?>(StringComparer.Ordinal);
            NetTopologySuite.Geometries.Geometry? geometry = null;
            string? error = null;
            for (var c = 0; c < rows.FieldCount; c++)
            {
                var name = rows.GetName(c);
                if (name.Equals(pk, StringComparison.OrdinalIgnoreCase)) continue;
                if (name.Equals(geomColumn, StringComparison.OrdinalIgnoreCase))
                {
                    if (rows.IsDBNull(c)) continue;
                    try
                    {
                        var g = reader.Read((byte[])rows.GetValue(c));
                        geometry = g.IsEmpty ? Geo.Factory.CreateGeometry(g) : crs.ToWgs84(g);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        error = $"table '{table}' row {rowInTable}: the geometry blob cannot be decoded ({e.Message})";
                    }
                    continue;
                }
                props[name] = rows.IsDBNull(c) ? null : rows.GetValue(c) switch
                {
                    long l when booleans.Contains(name) => l != 0,
                    long l => l,
                    double d => d,
                    string s => s,
                    byte[] b => Convert.ToBase64String(b),
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                };
            }
            features.Add(new SourceFeature(index, geometry, props, Error: error));
            rowInTable++;
        }
    }

    /// <summary>GeoPackage stores BOOLEAN as 0/1 integers; the declared type says which columns mean true/false.</summary>
    private static HashSet<string> BooleanColumns(SqliteConnection connection, string table)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info($t) WHERE upper(type) = 'BOOLEAN'";
        cmd.Parameters.AddWithValue("$t", table);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var r = cmd.ExecuteReader();
        while (r.Read()) set.Add(r.GetString(0));
        return set;
    }

    private static string? PrimaryKey(SqliteConnection connection, string table)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT name FROM pragma_table_info($t) WHERE pk = 1";
        cmd.Parameters.AddWithValue("$t", table);
        return cmd.ExecuteScalar() as string;
    }
}
