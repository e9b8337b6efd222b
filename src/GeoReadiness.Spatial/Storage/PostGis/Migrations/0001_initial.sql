-- GeoReadiness schema, version 1.
-- Applied by PostGisStore at open inside one transaction, under an advisory lock.
-- Every geometry is EPSG:4326 lon/lat; metric work casts to geography.
-- Keys are COLLATE "C": ordering and prefix matching are by code point, as in the embedded store
-- (ordinal), whatever the database's locale.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE georeadiness.admin_unit (
    code        text COLLATE "C" PRIMARY KEY
                CHECK (code ~ '^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$'),
    name        text NOT NULL,
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    kind        text NOT NULL CHECK (kind IN ('Provinsi', 'Kabupaten', 'Kota', 'Kecamatan', 'Desa', 'Kelurahan', 'Nagari', 'Other')),
    -- deferred so that a change may list children before their parents; checked at commit
    parent_code text COLLATE "C" REFERENCES georeadiness.admin_unit (code) DEFERRABLE INITIALLY DEFERRED,
    geom        geometry(MultiPolygon, 4326) NOT NULL,
    population  bigint CHECK (population >= 0),
    households  bigint CHECK (households >= 0),
    attributes  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    CHECK ((level = 1) = (parent_code IS NULL))
);
CREATE INDEX admin_unit_geom_idx ON georeadiness.admin_unit USING gist (geom);
CREATE INDEX admin_unit_parent_idx ON georeadiness.admin_unit (parent_code);
-- ancestor queries are prefix matches (code LIKE '13.05.%'); text_pattern_ops makes them index range scans
CREATE INDEX admin_unit_code_prefix_idx ON georeadiness.admin_unit (code text_pattern_ops);
CREATE INDEX admin_unit_level_idx ON georeadiness.admin_unit (level);

CREATE TABLE georeadiness.fibre_route (
    id     text COLLATE "C" PRIMARY KEY,
    geom   geometry(MultiLineString, 4326) NOT NULL,
    status text NOT NULL CHECK (status IN ('Existing', 'Planned', 'UnderConstruction')),
    year   integer,
    owner  text,
    name   text
);
CREATE INDEX fibre_route_geom_idx ON georeadiness.fibre_route USING gist (geom);

CREATE TABLE georeadiness.tower (
    id           text COLLATE "C" PRIMARY KEY,
    geom         geometry(Point, 4326) NOT NULL,
    -- RadioTechnology values (2..5), ascending
    technologies smallint[] NOT NULL CHECK (cardinality(technologies) > 0 AND technologies <@ '{2,3,4,5}'::smallint[]),
    -- coverage radius in metres per technology; null = the engine's default
    radius_2g_m  double precision CHECK (radius_2g_m > 0),
    radius_3g_m  double precision CHECK (radius_3g_m > 0),
    radius_4g_m  double precision CHECK (radius_4g_m > 0),
    radius_5g_m  double precision CHECK (radius_5g_m > 0),
    coverage     geometry(MultiPolygon, 4326),
    operator     text,
    year         integer,
    name         text
);
CREATE INDEX tower_geom_idx ON georeadiness.tower USING gist (geom);
CREATE INDEX tower_coverage_idx ON georeadiness.tower USING gist (coverage);

CREATE TABLE georeadiness.facility (
    id        text COLLATE "C" PRIMARY KEY,
    geom      geometry(Point, 4326) NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('OpdOffice', 'KecamatanOffice', 'VillageOffice', 'Puskesmas', 'School', 'Other')),
    unit_code text COLLATE "C",
    name      text
);
CREATE INDEX facility_geom_idx ON georeadiness.facility USING gist (geom);
CREATE INDEX facility_unit_code_idx ON georeadiness.facility (unit_code);

CREATE TABLE georeadiness.population_cell (
    id         text COLLATE "C" PRIMARY KEY,
    geom       geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POINT', 'POLYGON')),
    population integer NOT NULL CHECK (population >= 0),
    households integer NOT NULL CHECK (households >= 0)
);
CREATE INDEX population_cell_geom_idx ON georeadiness.population_cell USING gist (geom);

-- One row per change that altered the data; the newest row is the current version.
CREATE TABLE georeadiness.data_version (
    version    bigint PRIMARY KEY CHECK (version > 0),
    changed_at timestamptz NOT NULL,
    source     text NOT NULL
);
