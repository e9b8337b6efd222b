namespace GeoReadiness.Spatial.Storage.PostGis;

/// <summary>
/// Every SQL statement the PostGIS store sends. All are constants with positional parameters, so no SQL
/// is ever built from data; the important ones are pinned by tests (PostGisSqlBaselineTests).
/// </summary>
internal static class PostGisSql
{
    /// <summary>Key of the advisory lock that serialises migrations across processes.</summary>
    public const long MigrationLockKey = 0x4765_6F52_6D69_67; // "GeoRmig"

    /// <summary>Key of the advisory lock that serialises writers (the data version is a counter).</summary>
    public const long ApplyLockKey = 0x4765_6F52_6170_70; // "GeoRapp"

    public const string AdvisoryXactLock = "SELECT pg_advisory_xact_lock($1)";

    /// <summary>Statement timeout for the current transaction only; $1 in milliseconds as text.</summary>
    public const string SetLocalStatementTimeout = "SELECT set_config('statement_timeout', $1, true)";

    public const string MigrationBootstrap = """
        CREATE SCHEMA IF NOT EXISTS georeadiness;
        CREATE TABLE IF NOT EXISTS georeadiness.schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string MigrationApplied = "SELECT EXISTS (SELECT 1 FROM georeadiness.schema_migrations WHERE version = $1)";

    public const string RecordMigration = "INSERT INTO georeadiness.schema_migrations (version, name) VALUES ($1, $2)";

    // ---------------------------------------------------------------- queries

    public const string ExistingUnitCodes = """
        SELECT code FROM georeadiness.admin_unit WHERE code = ANY($1)
        """;

    private const string UnitColumns = "code, name, level, kind, parent_code, geom, population, households, attributes";

    public const string FindUnit = $"""
        SELECT {UnitColumns} FROM georeadiness.admin_unit WHERE code = $1
        """;

    /// <summary>
    /// $1 level (smallint or null), $2 ancestor LIKE pattern such as <c>13.05.%</c> (or null): every unit
    /// below the ancestor at any depth, the ancestor itself excluded; $3..$6 bbox xmin, ymin, xmax, ymax (or
    /// null); $7 offset; $8 limit. Unnamed statements are planned with the actual values, so the null
    /// branches fold away and the prefix match uses admin_unit_code_prefix_idx.
    /// </summary>
    public const string QueryUnits = $"""
        SELECT {UnitColumns}
        FROM georeadiness.admin_unit
        WHERE ($1::smallint IS NULL OR level = $1)
          AND ($2::text IS NULL OR code LIKE $2)
          AND ($3::float8 IS NULL OR (geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)
                                     AND ST_Intersects(geom, ST_MakeEnvelope($3, $4, $5, $6, 4326))))
        ORDER BY code
        OFFSET $7 LIMIT $8
        """;

    private const string BboxFilter = """
        WHERE ($1::float8 IS NULL OR (geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
                                     AND ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))))
        ORDER BY id
        OFFSET $5 LIMIT $6
        """;

    public const string QueryFibreRoutes = $"""
        SELECT id, geom, status, year, owner, name
        FROM georeadiness.fibre_route
        {BboxFilter}
        """;

    public const string QueryTowers = $"""
        SELECT id, geom, technologies, radius_2g_m, radius_3g_m, radius_4g_m, radius_5g_m, coverage, operator, year, name
        FROM georeadiness.tower
        {BboxFilter}
        """;

    public const string QueryFacilities = $"""
        SELECT id, geom, kind, unit_code, name
        FROM georeadiness.facility
        {BboxFilter}
        """;

    public const string QueryPopulationCells = $"""
        SELECT id, geom, population, households
        FROM georeadiness.population_cell
        {BboxFilter}
        """;

    public const string UnitsPerLevel = "SELECT level, count(*)::int FROM georeadiness.admin_unit GROUP BY level";

    public const string LayerCountsAndVersion = """
        SELECT (SELECT count(*)::int FROM georeadiness.fibre_route),
               (SELECT count(*)::int FROM georeadiness.tower),
               (SELECT count(*)::int FROM georeadiness.facility),
               (SELECT count(*)::int FROM georeadiness.population_cell),
               v.version, v.changed_at
        FROM (SELECT NULL) AS one
        LEFT JOIN (SELECT version, changed_at FROM georeadiness.data_version ORDER BY version DESC LIMIT 1) AS v ON true
        """;

    public const string CurrentDataVersion = "SELECT coalesce(max(version), 0) FROM georeadiness.data_version";

    public const string BumpDataVersion = """
        INSERT INTO georeadiness.data_version (version, changed_at, source)
        SELECT coalesce(max(version), 0) + 1, now(), $1 FROM georeadiness.data_version
        RETURNING version
        """;

    // ---------------------------------------------------------------- change log
    // Before each upsert, one statement reads the box of what the upsert will change, set-based from the staging
    // table: the new geometries of staging rows that are new or differ (the same column tuple the upsert
    // compares) and the old geometries of the target rows they replace. All return xmin, ymin, xmax, ymax (null
    // when nothing changes) and reach in metres. ST_Extent may use a stored geometry's float4 box, which PostGIS
    // rounds outwards: the box can grow by a hair, never shrink.

    private const string ExtentColumns = """
        SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
        """;

    /// <summary>The tail of a layer without reach: the box of the old and new geometries in <c>changed</c>.</summary>
    private const string ExtentOfOldAndNew = $"""
        {ExtentColumns}, 0::float8
        FROM (SELECT ST_Extent(g) AS e FROM changed CROSS JOIN LATERAL (VALUES (new_geom), (old_geom)) AS v (g)) AS x
        """;

    public const string ChangedExtentUnits = $"""
        WITH changed AS (
            SELECT s.geom AS new_geom, t.geom AS old_geom
            FROM pg_temp.admin_unit_staging AS s
            LEFT JOIN georeadiness.admin_unit AS t ON t.code = s.code
            WHERE t.code IS NULL
               OR (t.name, t.level, t.kind, t.parent_code, t.geom, t.population, t.households, t.attributes)
                  IS DISTINCT FROM
                  (s.name, s.level, s.kind, s.parent_code, s.geom, s.population, s.households, s.attributes)
        )
        {ExtentOfOldAndNew}
        """;

    public const string ChangedExtentFibreRoutes = $"""
        WITH changed AS (
            SELECT s.geom AS new_geom, t.geom AS old_geom
            FROM pg_temp.fibre_route_staging AS s
            LEFT JOIN georeadiness.fibre_route AS t ON t.id = s.id
            WHERE t.id IS NULL
               OR (t.geom, t.status, t.year, t.owner, t.name) IS DISTINCT FROM (s.geom, s.status, s.year, s.owner, s.name)
        )
        {ExtentOfOldAndNew}
        """;

    /// <summary>Towers: location and coverage polygon, old and new; reach = the largest own radius, old and new (0 if none).</summary>
    public const string ChangedExtentTowers = $"""
        WITH changed AS (
            SELECT s.geom AS new_geom, s.coverage AS new_coverage, t.geom AS old_geom, t.coverage AS old_coverage,
                   greatest(s.radius_2g_m, s.radius_3g_m, s.radius_4g_m, s.radius_5g_m,
                            t.radius_2g_m, t.radius_3g_m, t.radius_4g_m, t.radius_5g_m) AS reach
            FROM pg_temp.tower_staging AS s
            LEFT JOIN georeadiness.tower AS t ON t.id = s.id
            WHERE t.id IS NULL
               OR (t.geom, t.technologies, t.radius_2g_m, t.radius_3g_m, t.radius_4g_m, t.radius_5g_m, t.coverage, t.operator, t.year, t.name)
                  IS DISTINCT FROM
                  (s.geom, s.technologies, s.radius_2g_m, s.radius_3g_m, s.radius_4g_m,
                   s.radius_5g_m, s.coverage, s.operator, s.year, s.name)
        )
        {ExtentColumns}, (SELECT coalesce(max(reach), 0) FROM changed)
        FROM (SELECT ST_Extent(g) AS e FROM changed
              CROSS JOIN LATERAL (VALUES (new_geom), (new_coverage), (old_geom), (old_coverage)) AS v (g)) AS x
        """;

    public const string ChangedExtentFacilities = $"""
        WITH changed AS (
            SELECT s.geom AS new_geom, t.geom AS old_geom
            FROM pg_temp.facility_staging AS s
            LEFT JOIN georeadiness.facility AS t ON t.id = s.id
            WHERE t.id IS NULL
               OR (t.geom, t.kind, t.unit_code, t.name) IS DISTINCT FROM (s.geom, s.kind, s.unit_code, s.name)
        )
        {ExtentOfOldAndNew}
        """;

    public const string ChangedExtentPopulationCells = $"""
        WITH changed AS (
            SELECT s.geom AS new_geom, t.geom AS old_geom
            FROM pg_temp.population_cell_staging AS s
            LEFT JOIN georeadiness.population_cell AS t ON t.id = s.id
            WHERE t.id IS NULL
               OR (t.geom, t.population, t.households) IS DISTINCT FROM (s.geom, s.population, s.households)
        )
        {ExtentOfOldAndNew}
        """;

    /// <summary>
    /// Records the extents of version $1 ($2 layer names, $3..$6 xmin, ymin, xmax, ymax, $7 reach: one array
    /// element per changed layer) and forgets the versions more than $8 back, raising the floor with them.
    /// </summary>
    public const string RecordChanges = """
        WITH logged AS (
            INSERT INTO georeadiness.change_log (version, layer, min_x, min_y, max_x, max_y, reach_m)
            SELECT $1, layer, min_x, min_y, max_x, max_y, reach_m
            FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
                 AS c (layer, min_x, min_y, max_x, max_y, reach_m)
        ),
        floor AS (
            UPDATE georeadiness.change_log_floor SET floor_version = greatest(floor_version, $1 - $8)
        )
        DELETE FROM georeadiness.change_log WHERE version <= $1 - $8
        """;

    /// <summary>The current data version and the change log's floor (null when the floor row is missing).</summary>
    public const string ChangeLogBounds = """
        SELECT (SELECT coalesce(max(version), 0) FROM georeadiness.data_version),
               (SELECT floor_version FROM georeadiness.change_log_floor)
        """;

    public const string ChangesSince = """
        SELECT version, layer, min_x, min_y, max_x, max_y, reach_m
        FROM georeadiness.change_log
        WHERE version > $1
        ORDER BY version
        """;

    // ---------------------------------------------------------------- writes: staging + upsert
    // Each layer is COPied (binary) into a temporary staging table that lives for the transaction, then
    // upserted in one statement. A row is only rewritten when some column differs, so re-applying the same
    // change writes nothing; xmax = 0 tells a fresh insert from an update.

    public const string CreateUnitStaging = """
        CREATE TEMP TABLE admin_unit_staging (LIKE georeadiness.admin_unit INCLUDING DEFAULTS) ON COMMIT DROP
        """;

    public const string CopyUnits = $"""
        COPY pg_temp.admin_unit_staging ({UnitColumns}) FROM STDIN (FORMAT BINARY)
        """;

    public const string UpsertUnits = """
        WITH up AS (
            INSERT INTO georeadiness.admin_unit AS t (code, name, level, kind, parent_code, geom, population, households, attributes)
            SELECT code, name, level, kind, parent_code, geom, population, households, attributes
            FROM pg_temp.admin_unit_staging
            ON CONFLICT (code) DO UPDATE SET
                name = EXCLUDED.name, level = EXCLUDED.level, kind = EXCLUDED.kind, parent_code = EXCLUDED.parent_code,
                geom = EXCLUDED.geom, population = EXCLUDED.population, households = EXCLUDED.households,
                attributes = EXCLUDED.attributes
            WHERE (t.name, t.level, t.kind, t.parent_code, t.geom, t.population, t.households, t.attributes)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.level, EXCLUDED.kind, EXCLUDED.parent_code, EXCLUDED.geom,
                   EXCLUDED.population, EXCLUDED.households, EXCLUDED.attributes)
            RETURNING (t.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM up
        """;

    public const string CreateFibreStaging = """
        CREATE TEMP TABLE fibre_route_staging (LIKE georeadiness.fibre_route INCLUDING DEFAULTS) ON COMMIT DROP
        """;

    public const string CopyFibreRoutes = """
        COPY pg_temp.fibre_route_staging (id, geom, status, year, owner, name) FROM STDIN (FORMAT BINARY)
        """;

    public const string UpsertFibreRoutes = """
        WITH up AS (
            INSERT INTO georeadiness.fibre_route AS t (id, geom, status, year, owner, name)
            SELECT id, geom, status, year, owner, name FROM pg_temp.fibre_route_staging
            ON CONFLICT (id) DO UPDATE SET
                geom = EXCLUDED.geom, status = EXCLUDED.status, year = EXCLUDED.year, owner = EXCLUDED.owner, name = EXCLUDED.name
            WHERE (t.geom, t.status, t.year, t.owner, t.name)
                  IS DISTINCT FROM (EXCLUDED.geom, EXCLUDED.status, EXCLUDED.year, EXCLUDED.owner, EXCLUDED.name)
            RETURNING (t.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM up
        """;

    public const string CreateTowerStaging = """
        CREATE TEMP TABLE tower_staging (LIKE georeadiness.tower INCLUDING DEFAULTS) ON COMMIT DROP
        """;

    public const string CopyTowers = """
        COPY pg_temp.tower_staging (id, geom, technologies, radius_2g_m, radius_3g_m, radius_4g_m, radius_5g_m, coverage, operator, year, name)
        FROM STDIN (FORMAT BINARY)
        """;

    public const string UpsertTowers = """
        WITH up AS (
            INSERT INTO georeadiness.tower AS t (id, geom, technologies, radius_2g_m, radius_3g_m, radius_4g_m, radius_5g_m, coverage, operator, year, name)
            SELECT id, geom, technologies, radius_2g_m, radius_3g_m, radius_4g_m, radius_5g_m, coverage, operator, year, name
            FROM pg_temp.tower_staging
            ON CONFLICT (id) DO UPDATE SET
                geom = EXCLUDED.geom, technologies = EXCLUDED.technologies,
                radius_2g_m = EXCLUDED.radius_2g_m, radius_3g_m = EXCLUDED.radius_3g_m,
                radius_4g_m = EXCLUDED.radius_4g_m, radius_5g_m = EXCLUDED.radius_5g_m,
                coverage = EXCLUDED.coverage, operator = EXCLUDED.operator, year = EXCLUDED.year, name = EXCLUDED.name
            WHERE (t.geom, t.technologies, t.radius_2g_m, t.radius_3g_m, t.radius_4g_m, t.radius_5g_m, t.coverage, t.operator, t.year, t.name)
                  IS DISTINCT FROM
                  (EXCLUDED.geom, EXCLUDED.technologies, EXCLUDED.radius_2g_m, EXCLUDED.radius_3g_m, EXCLUDED.radius_4g_m,
                   EXCLUDED.radius_5g_m, EXCLUDED.coverage, EXCLUDED.operator, EXCLUDED.year, EXCLUDED.name)
            RETURNING (t.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM up
        """;

    public const string CreateFacilityStaging = """
        CREATE TEMP TABLE facility_staging (LIKE georeadiness.facility INCLUDING DEFAULTS) ON COMMIT DROP
        """;

    public const string CopyFacilities = """
        COPY pg_temp.facility_staging (id, geom, kind, unit_code, name) FROM STDIN (FORMAT BINARY)
        """;

    public const string UpsertFacilities = """
        WITH up AS (
            INSERT INTO georeadiness.facility AS t (id, geom, kind, unit_code, name)
            SELECT id, geom, kind, unit_code, name FROM pg_temp.facility_staging
            ON CONFLICT (id) DO UPDATE SET
                geom = EXCLUDED.geom, kind = EXCLUDED.kind, unit_code = EXCLUDED.unit_code, name = EXCLUDED.name
            WHERE (t.geom, t.kind, t.unit_code, t.name)
                  IS DISTINCT FROM (EXCLUDED.geom, EXCLUDED.kind, EXCLUDED.unit_code, EXCLUDED.name)
            RETURNING (t.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM up
        """;

    public const string CreatePopulationCellStaging = """
        CREATE TEMP TABLE population_cell_staging (LIKE georeadiness.population_cell INCLUDING DEFAULTS) ON COMMIT DROP
        """;

    public const string CopyPopulationCells = """
        COPY pg_temp.population_cell_staging (id, geom, population, households) FROM STDIN (FORMAT BINARY)
        """;

    public const string UpsertPopulationCells = """
        WITH up AS (
            INSERT INTO georeadiness.population_cell AS t (id, geom, population, households)
            SELECT id, geom, population, households FROM pg_temp.population_cell_staging
            ON CONFLICT (id) DO UPDATE SET
                geom = EXCLUDED.geom, population = EXCLUDED.population, households = EXCLUDED.households
            WHERE (t.geom, t.population, t.households)
                  IS DISTINCT FROM (EXCLUDED.geom, EXCLUDED.population, EXCLUDED.households)
            RETURNING (t.xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM up
        """;
}
