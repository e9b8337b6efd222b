-- Indicator results (issue 3): one row per computed set with its provenance, one row per unit with its
-- indicators and, for leaf units, the leaf measures the next incremental computation starts from.
-- Written by PostGisIndicatorRepository, which keeps the latest few sets per engine and options.

CREATE TABLE georeadiness.indicator_set (
    id            uuid PRIMARY KEY,
    engine        text NOT NULL,
    -- hash of the options, so that sets with equal options are found by equality
    options_key   text NOT NULL,
    options       jsonb NOT NULL,
    data_version  bigint NOT NULL CHECK (data_version >= 0),
    rules_version text NOT NULL,
    format        integer NOT NULL,
    computed_at   timestamptz NOT NULL,
    statistics    jsonb NOT NULL,
    units         integer NOT NULL CHECK (units >= 0),
    leaves        integer NOT NULL CHECK (leaves >= 0),
    stored_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indicator_set_latest_idx ON georeadiness.indicator_set (engine, options_key, computed_at DESC);

CREATE TABLE georeadiness.unit_indicators (
    set_id      uuid NOT NULL REFERENCES georeadiness.indicator_set (id) ON DELETE CASCADE,
    code        text COLLATE "C" NOT NULL,
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    parent_code text COLLATE "C",
    -- the unit's indicators (UnitIndicators as JSON)
    indicators  jsonb NOT NULL,
    -- the leaf's measures (LeafMeasures as JSON); null for units that are not measured leaves
    leaf        jsonb,
    PRIMARY KEY (set_id, code)
);
