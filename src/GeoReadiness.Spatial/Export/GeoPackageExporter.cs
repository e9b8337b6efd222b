using System.Globalization;
using GeoReadiness.Spatial.Model;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace GeoReadiness.Spatial.Export;

/// <summary>
/// Writes an OGC GeoPackage 1.3 with Microsoft.Data.Sqlite: <c>application_id</c> 'GPKG' and
/// <c>user_version</c> 10300, <c>gpkg_spatial_ref_sys</c> (EPSG:4326 plus the two required undefined
/// systems), <c>gpkg_contents</c> with each table's extent, <c>gpkg_geometry_columns</c>, one feature table per
/// layer and the R-tree spatial index extension. The file is built beside the target and moved over it
/// when complete, so a failed export never leaves half a file.
/// </summary>
public static class GeoPackageExporter
{
    private const int ApplicationId = 0x47504B47; // "GPKG"
    private const int UserVersion = 10300;         // GeoPackage 1.3.0

    private const string Wgs84Wkt = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

    public static void Write(string path, IReadOnlyList<ExportTable> tables)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
            {
                connection.Open();
                Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {UserVersion}; PRAGMA journal_mode = DELETE;");
                using (var tx = connection.BeginTransaction())
                {
                    CreateMetadata(connection);
                    foreach (var table in tables) WriteTable(connection, table);
                    tx.Commit();
                }
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static void CreateMetadata(SqliteConnection c)
    {
        Execute(c, """
            CREATE TABLE gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
              z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            CREATE TABLE gpkg_extensions (
              table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
              CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
            INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            """);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, $wkt, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')";
        cmd.Parameters.AddWithValue("$wkt", Wgs84Wkt);
        cmd.ExecuteNonQuery();
    }

    private static void WriteTable(SqliteConnection c, ExportTable table)
    {
        var t = Quote(table.Name);
        var columns = string.Concat(table.Columns.Select(col => $", {Quote(col.Name)} {SqlType(col.Type)}"));
        Execute(c, $"CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {table.GeometryType}{columns})");
        var rtree = Quote($"rtree_{table.Name}_geom");
        Execute(c, $"CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy)");

        var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
        using var insert = c.CreateCommand();
        insert.CommandText = $"INSERT INTO {t} (geom{string.Concat(table.Columns.Select(col => ", " + Quote(col.Name)))}) VALUES ($g{string.Concat(table.Columns.Select((_, i) => $", $p{i}"))}); SELECT last_insert_rowid();";
        var g = insert.Parameters.Add("$g", SqliteType.Blob);
        var ps = table.Columns.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Text)).ToArray();
        using var index = c.CreateCommand();
        index.CommandText = $"INSERT INTO {rtree} VALUES ($id, $minx, $maxx, $miny, $maxy)";
        var pid = index.Parameters.Add("$id", SqliteType.Integer);
        var pminx = index.Parameters.Add("$minx", SqliteType.Real);
        var pmaxx = index.Parameters.Add("$maxx", SqliteType.Real);
        var pminy = index.Parameters.Add("$miny", SqliteType.Real);
        var pmaxy = index.Parameters.Add("$maxy", SqliteType.Real);

        var extent = new Envelope();
        foreach (var row in table.Rows)
        {
            var geometry = row.Geometry.SRID == Geo.Srid ? row.Geometry : Geo.Factory.CreateGeometry(row.Geometry);
            g.Value = writer.Write(geometry);
            for (var i = 0; i < ps.Length; i++)
            {
                var (type, value) = (table.Columns[i].Type, row.Values[i]);
                ps[i].SqliteType = type switch { ColumnType.Integer or ColumnType.Boolean => SqliteType.Integer, ColumnType.Real => SqliteType.Real, _ => SqliteType.Text };
                ps[i].Value = value switch
                {
                    null => DBNull.Value,
                    bool b => b ? 1L : 0L,
                    _ => value,
                };
            }
            var fid = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (geometry.IsEmpty) continue;
            var env = geometry.EnvelopeInternal;
            extent.ExpandToInclude(env);
            pid.Value = fid;
            pminx.Value = env.MinX;
            pmaxx.Value = env.MaxX;
            pminy.Value = env.MinY;
            pmaxy.Value = env.MaxY;
            index.ExecuteNonQuery();
        }

        using (var contents = c.CreateCommand())
        {
            contents.CommandText = "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES ($t, 'features', $t, $d, $minx, $miny, $maxx, $maxy, 4326)";
            contents.Parameters.AddWithValue("$t", table.Name);
            contents.Parameters.AddWithValue("$d", $"GeoReadiness {table.Name}");
            contents.Parameters.AddWithValue("$minx", extent.IsNull ? DBNull.Value : extent.MinX);
            contents.Parameters.AddWithValue("$miny", extent.IsNull ? DBNull.Value : extent.MinY);
            contents.Parameters.AddWithValue("$maxx", extent.IsNull ? DBNull.Value : extent.MaxX);
            contents.Parameters.AddWithValue("$maxy", extent.IsNull ? DBNull.Value : extent.MaxY);
            contents.ExecuteNonQuery();
        }
        using (var geomColumn = c.CreateCommand())
        {
            geomColumn.CommandText = "INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', $type, 4326, 0, 0); INSERT INTO gpkg_extensions VALUES ($t, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');";
            geomColumn.Parameters.AddWithValue("$t", table.Name);
            geomColumn.Parameters.AddWithValue("$type", table.GeometryType);
            geomColumn.ExecuteNonQuery();
        }
        // The triggers that keep the index current call ST_* functions that GeoPackage readers (GDAL) provide;
        // they are created after the rows, so writing here never needs those functions.
        Execute(c, RtreeTriggers(table.Name));
    }

    private static string RtreeTriggers(string table)
    {
        var t = Quote(table);
        var r = Quote($"rtree_{table}_geom");
        string Name(string suffix) => Quote($"rtree_{table}_geom_{suffix}");
        const string values = "VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom))";
        return $"""
            CREATE TRIGGER {Name("insert")} AFTER INSERT ON {t} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO {r} {values}; END;
            CREATE TRIGGER {Name("update1")} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO {r} {values}; END;
            CREATE TRIGGER {Name("update2")} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
            CREATE TRIGGER {Name("update3")} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} {values}; END;
            CREATE TRIGGER {Name("update4")} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER {Name("delete")} AFTER DELETE ON {t} WHEN old.geom NOT NULL
            BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
            """;
    }

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.Real => "DOUBLE",
        ColumnType.Boolean => "BOOLEAN",
        _ => "TEXT",
    };

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
