-- Change tracking for incremental indicator recompute (ISpatialStore.GetChangesSinceAsync).
-- ApplyAsync writes, in the transaction of the change itself, one row per changed layer: the box of the old
-- and new geometries of every inserted or updated feature. Only the last 1,000 versions are kept.
-- Independent of migration 0002: it touches no table that 0002 adds.

CREATE TABLE georeadiness.change_log (
    version  bigint NOT NULL REFERENCES georeadiness.data_version (version) ON DELETE CASCADE,
    -- FeatureLayer names
    layer    text NOT NULL CHECK (layer IN ('Units', 'FibreRoutes', 'Towers', 'Facilities', 'PopulationCells')),
    -- the box, lon/lat (xmin/xmax are system column names)
    min_x    double precision NOT NULL,
    min_y    double precision NOT NULL,
    max_x    double precision NOT NULL,
    max_y    double precision NOT NULL,
    -- towers: the largest radius the changed towers give themselves, old and new; else 0
    reach_m  double precision NOT NULL DEFAULT 0 CHECK (reach_m >= 0),
    PRIMARY KEY (version, layer),
    CHECK (min_x <= max_x AND min_y <= max_y)
);

-- The log is complete for every version after floor_version. A database that already holds data when this
-- migration runs has no log for its past versions, so the floor starts at its current version.
CREATE TABLE georeadiness.change_log_floor (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    floor_version bigint NOT NULL CHECK (floor_version >= 0)
);
INSERT INTO georeadiness.change_log_floor (floor_version)
SELECT coalesce(max(version), 0) FROM georeadiness.data_version;
