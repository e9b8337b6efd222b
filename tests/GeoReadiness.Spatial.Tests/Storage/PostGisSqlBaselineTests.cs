using GeoReadiness.Spatial.Storage.PostGis;

namespace GeoReadiness.Spatial.Tests.Storage;

/// <summary>
/// Pins the SQL of the important statements, in the spirit of efcore.pg's AssertSql baselines: a change to
/// them must be deliberate, and shows up in review as a change to this file. No database needed.
/// </summary>
public sealed class PostGisSqlBaselineTests
{
    [Fact]
    public void UnitQueryFiltersByLevelAncestorPrefixAndBboxAndOrdersByCode() => AssertSql(
        """
        SELECT code, name, level, kind, parent_code, geom, population, households, attributes
        FROM georeadiness.admin_unit
        WHERE ($1::smallint IS NULL OR level = $1)
          AND ($2::text IS NULL OR code LIKE $2)
          AND ($3::float8 IS NULL OR (geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)
                                     AND ST_Intersects(geom, ST_MakeEnvelope($3, $4, $5, $6, 4326))))
        ORDER BY code
        OFFSET $7 LIMIT $8
        """,
        PostGisSql.QueryUnits);

    [Fact]
    public void UnitUpsertRewritesOnlyRowsThatDifferAndCountsInsertsAndUpdates() => AssertSql(
        """
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
        """,
        PostGisSql.UpsertUnits);

    [Fact]
    public void UnitsAreBulkLoadedWithBinaryCopyIntoATransactionScopedStagingTable()
    {
        AssertSql(
            """
            CREATE TEMP TABLE admin_unit_staging (LIKE georeadiness.admin_unit INCLUDING DEFAULTS) ON COMMIT DROP
            """,
            PostGisSql.CreateUnitStaging);
        AssertSql(
            """
            COPY pg_temp.admin_unit_staging (code, name, level, kind, parent_code, geom, population, households, attributes) FROM STDIN (FORMAT BINARY)
            """,
            PostGisSql.CopyUnits);
    }

    [Fact]
    public void TheDataVersionIsBumpedByOneRowPerChange() => AssertSql(
        """
        INSERT INTO georeadiness.data_version (version, changed_at, source)
        SELECT coalesce(max(version), 0) + 1, now(), $1 FROM georeadiness.data_version
        RETURNING version
        """,
        PostGisSql.BumpDataVersion);

    [Fact]
    public void EveryLayerUpsertComparesRowsBeforeRewriting()
    {
        foreach (var upsert in new[] { PostGisSql.UpsertUnits, PostGisSql.UpsertFibreRoutes, PostGisSql.UpsertTowers, PostGisSql.UpsertFacilities, PostGisSql.UpsertPopulationCells })
        {
            Assert.Contains("IS DISTINCT FROM", upsert, StringComparison.Ordinal);
            Assert.Contains("RETURNING (t.xmax = 0) AS inserted", upsert, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryChangedExtentComparesExactlyTheColumnsItsUpsertCompares()
    {
        // If the two disagreed, a change could be logged without its extent, or an extent without a change.
        (string Extent, string Upsert)[] pairs =
        [
            (PostGisSql.ChangedExtentUnits, PostGisSql.UpsertUnits),
            (PostGisSql.ChangedExtentFibreRoutes, PostGisSql.UpsertFibreRoutes),
            (PostGisSql.ChangedExtentTowers, PostGisSql.UpsertTowers),
            (PostGisSql.ChangedExtentFacilities, PostGisSql.UpsertFacilities),
            (PostGisSql.ChangedExtentPopulationCells, PostGisSql.UpsertPopulationCells),
        ];
        foreach (var (extent, upsert) in pairs)
        {
            var (old, incoming) = ComparedTuples(upsert, "EXCLUDED.");
            Assert.Equal((old, incoming), ComparedTuples(extent, "s."));
            Assert.Equal(old, incoming);
            Assert.Contains("LEFT JOIN georeadiness.", extent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheChangeLogIsWrittenAndTrimmedInOneStatement() => AssertSql(
        """
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
        """,
        PostGisSql.RecordChanges);

    /// <summary>The column tuples on either side of the statement's IS DISTINCT FROM, without their table prefixes.</summary>
    private static (string Old, string New) ComparedTuples(string sql, string newPrefix)
    {
        var m = System.Text.RegularExpressions.Regex.Match(sql, @"\(([^()]*)\)\s*IS DISTINCT FROM\s*\(([^()]*)\)");
        Assert.True(m.Success, sql);
        static string Columns(string tuple, string prefix) =>
            string.Join(",", tuple.Split(',').Select(c => c.Trim()).Select(c => c.StartsWith(prefix, StringComparison.Ordinal) ? c[prefix.Length..] : "?" + c));
        return (Columns(m.Groups[1].Value, "t."), Columns(m.Groups[2].Value, newPrefix));
    }

    private static void AssertSql(string expected, string actual) =>
        Assert.Equal(expected.ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
}
