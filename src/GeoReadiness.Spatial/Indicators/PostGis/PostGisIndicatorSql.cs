namespace GeoReadiness.Spatial.Indicators.PostGis;

/// <summary>
/// The SQL of <see cref="PostGisIndicatorEngine"/>: one statement per indicator family, each set-based, following
/// Indicators/README.md. Every statement is a constant with positional parameters (no data is ever spliced in);
/// the helper functions <c>georeadiness.reach_box</c>, <c>representative_point</c>, <c>metres_per_degree_*</c> and
/// <c>geodesic_circle</c> come from migration 0002.
/// </summary>
/// <remarks>
/// Two patterns recur:
/// <list type="bullet">
/// <item>Point → leaf assignment is leaf-driven (<c>CROSS JOIN LATERAL (… WHERE ST_Covers(leaf, point) OFFSET 0)</c>), so
/// PostGIS prepares each leaf's polygon once for all its points (PERF-NOTES: the point-driven plan defeats that
/// cache). A point covered by several leaves (a shared boundary, an overlap) is kept once, for the smallest code.</item>
/// <item>Distance tests filter with a box widened by a constant distance (<c>x &amp;&amp; reach_box(p, maxRadius)</c>), so
/// the GiST index is used (PERF-NOTES: a per-row radius defeats it), then test each feature's own distance.</item>
/// </list>
/// </remarks>
internal static class PostGisIndicatorSql
{
    /// <summary>
    /// For this transaction only: $1 statement timeout in ms (text), $2 work_mem (text, so that the per-cell
    /// de-duplication hashes in memory), and no JIT (measured: compiling these statements took longer than running
    /// them at 1/10 of national scale).
    /// </summary>
    public const string Settings = """
        SELECT set_config('statement_timeout', $1, true), set_config('work_mem', $2, true), set_config('jit', 'off', true)
        """;

    /// <summary>The store's data version (0 when empty).</summary>
    public const string DataVersion = "SELECT coalesce(max(version), 0) FROM georeadiness.data_version";

    /// <summary>Every unit with its geodesic area, whether it is a leaf, and its envelope (exact doubles).</summary>
    public const string Units = """
        SELECT u.code, u.name, u.level, u.parent_code, u.population, u.households,
               ST_Area(u.geom::geography),
               NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code),
               ST_XMin(u.geom), ST_YMin(u.geom), ST_XMax(u.geom), ST_YMax(u.geom)
        FROM georeadiness.admin_unit u
        ORDER BY u.code
        """;

    /// <summary>The largest coverage radius of any circle tower: its own radii, or the defaults $1..$4 (2G..5G).</summary>
    public const string MaxTowerRadius = """
        SELECT greatest($1::float8, $2::float8, $3::float8, $4::float8,
                        max(radius_2g_m), max(radius_3g_m), max(radius_4g_m), max(radius_5g_m))
        FROM georeadiness.tower
        WHERE coverage IS NULL
        """;

    /// <summary>Counts of the point layers (cells, towers, facilities).</summary>
    public const string LayerCounts = """
        SELECT (SELECT count(*) FROM georeadiness.population_cell),
               (SELECT count(*) FROM georeadiness.tower),
               (SELECT count(*) FROM georeadiness.facility)
        """;

    /// <summary>
    /// The leaves a point may be assigned to: every leaf, or (scoped) those in $2. Used as <c>FROM … l</c>.
    /// </summary>
    private const string AssignableLeaves = """
        (SELECT u.code, u.geom FROM georeadiness.admin_unit u
         WHERE NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code)
           AND ($2::text[] IS NULL OR u.code = ANY ($2)))
        """;

    /// <summary>The leaves to measure: every leaf, or (scoped) those in $1.</summary>
    private const string MeasuredLeaves = """
        (SELECT u.code, u.level, u.geom FROM georeadiness.admin_unit u
         WHERE NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code)
           AND ($1::text[] IS NULL OR u.code = ANY ($1)))
        """;

    /// <summary>
    /// ST_DWithin(c.pt::geography, t.geom::geography, r) for a cell c and a circle tower t whose offsets from the cell
    /// in metres (t.dx, t.dy, at the cell's latitude) are known: the flat distance decides every pair clearly inside or
    /// outside; only pairs within a margin of the radius pay for the geodesic test. The margin bounds the flat
    /// approximation's error: 0.1 % plus twice the change of the longitude scale over the distance
    /// (c.tan = |tan φ| + 0.1, times r / R) plus 1 cm.
    /// </summary>
    private static string WithinRadius(string r) =>
        $"""
        CASE WHEN t.dx * t.dx + t.dy * t.dy <= power(greatest({r} - ({r} * (0.001 + 2 * {r} / 6371008.8 * c.tan) + 0.01), 0), 2) THEN true
             WHEN t.dx * t.dx + t.dy * t.dy > power({r} + ({r} * (0.001 + 2 * {r} / 6371008.8 * c.tan) + 0.01), 2) THEN false
             ELSE ST_DWithin(c.pt::geography, t.geom::geography, {r}) END
        """;

    /// <summary>
    /// Cells family, per leaf: cells, population, households, people covered per technology (2G..5G) and households
    /// within household reach of existing fibre. $1 measured leaves (null = all), $2 assignable leaves (null = all),
    /// $3..$6 default radii 2G..5G, $7 largest tower radius, $8 household reach (m).
    /// </summary>
    public static readonly string Cells = $"""
        SELECT w.code, count(*), sum(w.population)::bigint, sum(w.households)::bigint,
               coalesce(sum(w.population) FILTER (WHERE w.g2), 0)::bigint,
               coalesce(sum(w.population) FILTER (WHERE w.g3), 0)::bigint,
               coalesce(sum(w.population) FILTER (WHERE w.g4), 0)::bigint,
               coalesce(sum(w.population) FILTER (WHERE w.g5), 0)::bigint,
               coalesce(sum(w.households) FILTER (WHERE w.reach), 0)::bigint
        FROM (
            -- one row per cell: the smallest code among the leaves covering its point
            SELECT min(p.code) AS code, min(p.population) AS population, min(p.households) AS households,
                   bool_or(p.g2) AS g2, bool_or(p.g3) AS g3, bool_or(p.g4) AS g4, bool_or(p.g5) AS g5,
                   bool_or(p.reach) AS reach
            FROM (
                SELECT l.code, c.id, c.population, c.households,
                       coalesce(circle.g2, false) OR coalesce(polygon.g2, false) AS g2,
                       coalesce(circle.g3, false) OR coalesce(polygon.g3, false) AS g3,
                       coalesce(circle.g4, false) OR coalesce(polygon.g4, false) AS g4,
                       coalesce(circle.g5, false) OR coalesce(polygon.g5, false) AS g5,
                       c.households > 0 AND EXISTS (
                           SELECT 1 FROM georeadiness.fibre_route r
                           WHERE r.status = 'Existing' AND r.geom && georeadiness.reach_box(c.pt, $8)
                             AND ST_DWithin(r.geom::geography, c.pt::geography, $8)) AS reach
                FROM {AssignableLeaves} l
                CROSS JOIN LATERAL (
                    SELECT c.id, c.population, c.households, rp.pt, ST_X(rp.pt) AS x, ST_Y(rp.pt) AS y,
                           georeadiness.metres_per_degree_lon(ST_Y(rp.pt)) AS kx,
                           georeadiness.metres_per_degree_lat(ST_Y(rp.pt)) AS ky,
                           abs(tan(radians(ST_Y(rp.pt)))) + 0.1 AS tan
                    FROM georeadiness.population_cell c
                    CROSS JOIN LATERAL (SELECT georeadiness.representative_point(c.geom) AS pt) rp
                    WHERE c.geom && l.geom AND ST_Covers(l.geom, rp.pt)
                    OFFSET 0
                ) c
                LEFT JOIN LATERAL (
                    SELECT bool_or(2 = ANY (t.technologies) AND {WithinRadius("t.r2")}) AS g2,
                           bool_or(3 = ANY (t.technologies) AND {WithinRadius("t.r3")}) AS g3,
                           bool_or(4 = ANY (t.technologies) AND {WithinRadius("t.r4")}) AS g4,
                           bool_or(5 = ANY (t.technologies) AND {WithinRadius("t.r5")}) AS g5
                    FROM (
                        SELECT t.geom, t.technologies,
                               coalesce(t.radius_2g_m, $3) AS r2, coalesce(t.radius_3g_m, $4) AS r3,
                               coalesce(t.radius_4g_m, $5) AS r4, coalesce(t.radius_5g_m, $6) AS r5,
                               (ST_X(t.geom) - c.x) * c.kx AS dx, (ST_Y(t.geom) - c.y) * c.ky AS dy
                        FROM georeadiness.tower t
                        WHERE t.coverage IS NULL AND t.geom && georeadiness.reach_box(c.pt, $7)
                        OFFSET 0
                    ) t
                ) circle ON true
                LEFT JOIN LATERAL (
                    SELECT bool_or(2 = ANY (t.technologies)) AS g2, bool_or(3 = ANY (t.technologies)) AS g3,
                           bool_or(4 = ANY (t.technologies)) AS g4, bool_or(5 = ANY (t.technologies)) AS g5
                    FROM georeadiness.tower t
                    WHERE t.coverage IS NOT NULL AND ST_Covers(t.coverage, c.pt)
                ) polygon ON true
            ) p
            GROUP BY p.id
        ) w
        WHERE $1::text[] IS NULL OR w.code = ANY ($1)
        GROUP BY w.code
        """;

    /// <summary>
    /// Towers family, per leaf: towers offering 2G..5G and in total. $1 measured leaves, $2 assignable leaves.
    /// The last row, with a null code, counts every tower assigned to some leaf of $2.
    /// </summary>
    public const string Towers = $"""
        WITH w AS (
            SELECT DISTINCT ON (t.id) l.code, t.technologies
            FROM {AssignableLeaves} l
            CROSS JOIN LATERAL (
                SELECT t.id, t.technologies FROM georeadiness.tower t WHERE ST_Covers(l.geom, t.geom) OFFSET 0
            ) t
            ORDER BY t.id, l.code
        )
        SELECT w.code, count(*),
               count(*) FILTER (WHERE 2 = ANY (w.technologies)), count(*) FILTER (WHERE 3 = ANY (w.technologies)),
               count(*) FILTER (WHERE 4 = ANY (w.technologies)), count(*) FILTER (WHERE 5 = ANY (w.technologies))
        FROM w
        WHERE $1::text[] IS NULL OR w.code = ANY ($1)
        GROUP BY w.code
        UNION ALL
        SELECT NULL, count(*), 0, 0, 0, 0 FROM w
        """;

    /// <summary>
    /// Facilities family, per leaf and kind: facilities and those within fibre reach ($3 m) of an existing route.
    /// $1 measured leaves, $2 assignable leaves. The last row, with a null code, counts every facility assigned to
    /// some leaf of $2.
    /// </summary>
    public const string Facilities = $"""
        WITH w AS (
            SELECT DISTINCT ON (f.id) l.code, f.kind, f.geom
            FROM {AssignableLeaves} l
            CROSS JOIN LATERAL (
                SELECT f.id, f.kind, f.geom FROM georeadiness.facility f WHERE ST_Covers(l.geom, f.geom) OFFSET 0
            ) f
            ORDER BY f.id, l.code
        )
        SELECT w.code, w.kind, count(*),
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM georeadiness.fibre_route r
                   WHERE r.status = 'Existing' AND r.geom && georeadiness.reach_box(w.geom, $3)
                     AND ST_DWithin(r.geom::geography, w.geom::geography, $3)))
        FROM w
        WHERE $1::text[] IS NULL OR w.code = ANY ($1)
        GROUP BY w.code, w.kind
        UNION ALL
        SELECT NULL, NULL, count(*), 0 FROM w
        """;

    /// <summary>
    /// Villages family, per village leaf: whether the anchor is a village office and whether it is within fibre reach
    /// ($2 m) of an existing route. The anchor is the village-office facility with the smallest id whose unit_code is
    /// the village, else ST_PointOnSurface of the village. $1 measured leaves.
    /// </summary>
    public const string Villages = $"""
        SELECT l.code, o.geom IS NOT NULL,
               EXISTS (SELECT 1 FROM georeadiness.fibre_route r
                       WHERE r.status = 'Existing' AND r.geom && georeadiness.reach_box(a.anchor, $2)
                         AND ST_DWithin(r.geom::geography, a.anchor::geography, $2))
        FROM {MeasuredLeaves} l
        LEFT JOIN LATERAL (
            SELECT f.geom FROM georeadiness.facility f
            WHERE f.kind = 'VillageOffice' AND f.unit_code = l.code
            ORDER BY f.id
            LIMIT 1
        ) o ON true
        CROSS JOIN LATERAL (SELECT coalesce(o.geom, ST_PointOnSurface(l.geom)) AS anchor) a
        WHERE l.level = 4
        """;

    /// <summary>
    /// Fibre family, per leaf and status: geodesic length (m) of leaf ∩ route, line parts only. $1 measured leaves.
    /// A route wholly inside the leaf is measured without the overlay.
    /// </summary>
    public const string Fibre = $"""
        SELECT l.code, r.status,
               sum(CASE WHEN ST_Covers(l.geom, r.geom) THEN ST_Length(r.geom::geography)
                        ELSE ST_Length(ST_CollectionExtract(ST_Intersection(l.geom, r.geom), 2)::geography) END)
        FROM {MeasuredLeaves} l
        CROSS JOIN LATERAL (
            SELECT r.status, r.geom FROM georeadiness.fibre_route r WHERE r.geom && l.geom OFFSET 0
        ) r
        GROUP BY l.code, r.status
        """;

    /// <summary>
    /// UniformArea coverage, per leaf and technology: geodesic area (m²) of leaf ∩ union(shapes), a shape being the
    /// tower's coverage polygon or its geodesic circle of $6 vertices. $1 the leaves (codes), $2..$5 default radii
    /// 2G..5G, $7 largest tower radius.
    /// </summary>
    public const string CoveredArea = """
        SELECT l.code, tech.t, ST_Area(ST_Intersection(l.geom, s.shape)::geography)
        FROM georeadiness.admin_unit l
        CROSS JOIN (VALUES (2::smallint), (3::smallint), (4::smallint), (5::smallint)) AS tech (t)
        CROSS JOIN LATERAL (
            SELECT ST_Union(x.shape) AS shape
            FROM (
                SELECT georeadiness.geodesic_circle(t.geom, rr.r, $6) AS shape
                FROM georeadiness.tower t
                CROSS JOIN LATERAL (SELECT CASE tech.t WHEN 2 THEN coalesce(t.radius_2g_m, $2)
                                                       WHEN 3 THEN coalesce(t.radius_3g_m, $3)
                                                       WHEN 4 THEN coalesce(t.radius_4g_m, $4)
                                                       ELSE coalesce(t.radius_5g_m, $5) END AS r) rr
                WHERE t.coverage IS NULL AND tech.t = ANY (t.technologies)
                  AND t.geom && georeadiness.reach_box(l.geom, $7)
                  AND georeadiness.reach_box(t.geom, rr.r) && l.geom
                UNION ALL
                SELECT t.coverage
                FROM georeadiness.tower t
                WHERE t.coverage IS NOT NULL AND tech.t = ANY (t.technologies) AND t.coverage && l.geom
            ) x
        ) s
        WHERE l.code = ANY ($1) AND s.shape IS NOT NULL
        """;

    /// <summary>
    /// UniformArea household reach, per leaf: share (0–1) of the leaf's area within $2 m of existing fibre, measured
    /// in a transverse Mercator projection centred on the leaf's envelope as area(leaf ∩ buffer) ÷ area(leaf); the
    /// buffer (round caps and joins, $3 segments per quarter circle) is of the existing routes that intersect the
    /// leaf's envelope widened by the reach. $1 the leaves (codes).
    /// </summary>
    public const string ReachShare = """
        SELECT l.code,
               CASE WHEN ST_Area(p.leaf) > 0
                    THEN least(1.0, greatest(0.0, ST_Area(ST_Intersection(p.leaf, b.buffer)) / ST_Area(p.leaf)))
                    ELSE 0 END
        FROM georeadiness.admin_unit l
        CROSS JOIN LATERAL (
            SELECT '+proj=tmerc +lat_0=0 +lon_0=' || ((ST_XMin(l.geom) + ST_XMax(l.geom)) / 2)::text
                   || ' +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs' AS proj
        ) pr
        CROSS JOIN LATERAL (
            SELECT ST_Buffer(ST_Collect(ST_Transform(r.geom, pr.proj)), $2, 'quad_segs=' || $3::text || ' endcap=round join=round') AS buffer
            FROM georeadiness.fibre_route r
            WHERE r.status = 'Existing' AND r.geom && georeadiness.reach_box(l.geom, $2)
        ) b
        CROSS JOIN LATERAL (SELECT ST_Transform(l.geom, pr.proj) AS leaf) p
        WHERE l.code = ANY ($1) AND b.buffer IS NOT NULL
        """;

    /// <summary>
    /// Point features in no leaf at all (cells by their representative point, towers, facilities), for a scoped
    /// measurement, which does not assign every point. A village can only be a leaf, so it is tried first.
    /// </summary>
    public const string Unassigned = """
        SELECT
            (SELECT count(*) FROM georeadiness.population_cell c
             CROSS JOIN LATERAL (SELECT georeadiness.representative_point(c.geom) AS pt) rp
             WHERE NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit u
                               WHERE u.geom && rp.pt AND ST_Covers(u.geom, rp.pt)
                                 AND (u.level = 4 OR NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code)))),
            (SELECT count(*) FROM georeadiness.tower t
             WHERE NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit u
                               WHERE ST_Covers(u.geom, t.geom)
                                 AND (u.level = 4 OR NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code)))),
            (SELECT count(*) FROM georeadiness.facility f
             WHERE NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit u
                               WHERE ST_Covers(u.geom, f.geom)
                                 AND (u.level = 4 OR NOT EXISTS (SELECT 1 FROM georeadiness.admin_unit k WHERE k.parent_code = u.code))))
        """;
}
