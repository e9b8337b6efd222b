-- Scenarios and runs (issue 5): saved scenario documents and the records of runs, written by
-- PostGisScenarioRepository. A run record is the truth about a run (the later jobs issue builds on it): what was
-- asked, where it stands, its provenance and, once it succeeded, its result.

-- Scenario documents as the exact text saved (the hash covers it); (id, version) is never overwritten.
CREATE TABLE georeadiness.scenario (
    id        text COLLATE "C" NOT NULL CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    version   text COLLATE "C" NOT NULL CHECK (version <> ''),
    title     text,
    document  text NOT NULL,
    sha256    text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    saved_at  timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE georeadiness.run (
    id               uuid PRIMARY KEY,
    kind             text NOT NULL,
    scenario_id      text COLLATE "C" NOT NULL,
    scenario_version text COLLATE "C" NOT NULL,
    -- the request's parameters (seed, draws, topK, …) as a JSON object
    request          text NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    draws_done       integer NOT NULL CHECK (draws_done >= 0),
    percent          double precision NOT NULL CHECK (percent BETWEEN 0 AND 100),
    stage            text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    error            text,
    -- seed, scenario hash, and once prepared the data and questionnaire versions and the footprint hash
    provenance       jsonb,
    -- the result's JSON exactly as written (text, not jsonb: the bytes of ScenarioRun.ToJson are kept)
    result           text CHECK (result IS NULL OR state = 'succeeded')
);

CREATE INDEX run_scenario_created_idx ON georeadiness.run (scenario_id, created_at DESC);
CREATE INDEX run_created_idx ON georeadiness.run (created_at DESC);
-- the runs a starting worker picks up again
CREATE INDEX run_unfinished_idx ON georeadiness.run (state) WHERE state IN ('pending', 'running');
