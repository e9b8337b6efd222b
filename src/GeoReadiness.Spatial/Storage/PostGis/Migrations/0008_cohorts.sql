-- Saved mentoring cohorts (issue 7), written by PostGisCohortRepository. A cohort is saved once and never changed.

CREATE TABLE georeadiness.cohort (
    id             uuid PRIMARY KEY,
    created_at     timestamptz NOT NULL,
    k              integer NOT NULL CHECK (k >= 1),
    objective      text NOT NULL,
    level          text,
    year           integer,
    request_sha256 text NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
    -- the request's seed, an unsigned 64-bit integer
    seed           numeric(20, 0) NOT NULL CHECK (seed >= 0),
    -- the result's JSON exactly as written (text, not jsonb: the bytes of CohortResult.ToJson are kept); it holds the
    -- request, the provenance and the data, questionnaire and model versions
    result         text NOT NULL CHECK (result <> '')
);

CREATE INDEX cohort_created_idx ON georeadiness.cohort (created_at DESC, id);
