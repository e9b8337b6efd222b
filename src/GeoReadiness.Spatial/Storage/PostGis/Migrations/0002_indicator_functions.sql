-- Helper functions of the PostGIS indicator engine (Indicators/PostGis/PostGisIndicatorEngine.cs).
-- All are pure SQL, IMMUTABLE and PARALLEL SAFE; the small ones are single expressions and not STRICT, so the
-- planner inlines them (a STRICT or multi-statement SQL function is called, at far higher cost per row).
-- They implement the rules of Indicators/README.md; nothing here is read by the store itself.

-- A box around g widened on every side by at least `metres` on the ellipsoid: the index filter for a distance
-- test (`x && georeadiness.reach_box(p, r)` uses the GiST index on x; the exact test follows). Same bound as
-- ChangedAreas.Widen in C#: 110,574 m is the shortest degree of latitude, longitude degrees shrink with the
-- cosine of the box's edge farthest from the equator, and 1 % covers the ellipsoid's flattening.
CREATE FUNCTION georeadiness.reach_box(g geometry, metres double precision)
RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ST_Expand(
        ST_Envelope(g),
        metres / (111320.0 * cos(radians(least(89.0, greatest(abs(ST_YMin(g)), abs(ST_YMax(g))) + metres / 110574.0 * 1.01)))) * 1.01,
        metres / 110574.0 * 1.01)
$$;

-- The representative point of a population cell: the point itself, or ST_PointOnSurface of a polygon.
CREATE FUNCTION georeadiness.representative_point(g geometry)
RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN GeometryType(g) = 'POINT' THEN g ELSE ST_PointOnSurface(g) END
$$;

-- Metres per degree of longitude at a latitude on the WGS84 ellipsoid (N cos φ · π/180).
CREATE FUNCTION georeadiness.metres_per_degree_lon(latitude double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT 6378137.0 / sqrt(1 - 0.00669437999014132 * sin(radians(latitude))^2) * cos(radians(latitude)) * pi() / 180
$$;

-- Metres per degree of latitude at a latitude on the WGS84 ellipsoid (M · π/180).
CREATE FUNCTION georeadiness.metres_per_degree_lat(latitude double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT 6378137.0 * (1 - 0.00669437999014132) / sqrt(1 - 0.00669437999014132 * sin(radians(latitude))^2)^3 * pi() / 180
$$;

-- The geodesic circle of the rules: n vertices, vertex k at azimuth 360·k/n degrees and `radius` metres from the
-- centre by the direct geodesic problem (ST_Project on geography), the ring closed by repeating vertex 0.
CREATE FUNCTION georeadiness.geodesic_circle(centre geometry, radius double precision, n integer)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(v.p ORDER BY v.k)), 4326)
    FROM (
        SELECT k, ST_Project(centre::geography, radius, radians(360.0 * k / n))::geometry AS p
        FROM generate_series(0, n - 1) AS k
        UNION ALL
        SELECT n, ST_Project(centre::geography, radius, 0)::geometry
    ) AS v
$$;
