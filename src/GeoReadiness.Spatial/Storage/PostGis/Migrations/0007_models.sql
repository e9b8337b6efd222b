-- The forecast model registry (issue 6): trained models and which one is current, written by
-- PostGisForecastModelRepository. A model id is stored once and never overwritten.

-- One row per model: the artefact (the zip ForecastModel.Save writes) and its manifest. The manifest is json, not
-- jsonb, so that its text comes back exactly as saved (jsonb reorders keys); it can still be queried with -> and ->>.
CREATE TABLE georeadiness.forecast_model (
    id          text COLLATE "C" PRIMARY KEY CHECK (id ~ '^fm-[0-9a-f]{16}$'),
    manifest    json NOT NULL,
    artefact    bytea NOT NULL CHECK (octet_length(artefact) > 0),
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    saved_at    timestamptz NOT NULL,
    -- when the model was last promoted to current (null: never)
    promoted_at timestamptz
);

CREATE INDEX forecast_model_saved_idx ON georeadiness.forecast_model (saved_at DESC, id);

-- The current model: at most one row, so at most one model is current.
CREATE TABLE georeadiness.forecast_model_current (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    model_id    text COLLATE "C" NOT NULL REFERENCES georeadiness.forecast_model (id),
    promoted_at timestamptz NOT NULL
);

-- Every promotion, in order (the registry's history).
CREATE TABLE georeadiness.forecast_model_promotion (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id    text COLLATE "C" NOT NULL REFERENCES georeadiness.forecast_model (id),
    promoted_at timestamptz NOT NULL
);
