-- Assessment inputs (issue 4): the questionnaire answers per unit and assessment year, the log of the imports
-- that changed them (its highest version is the questionnaire version), and assessment profile documents.
-- Written by PostGisAssessmentRepository.

CREATE TABLE georeadiness.questionnaire_row (
    code        text COLLATE "C" NOT NULL CHECK (code ~ '^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$'),
    year        integer NOT NULL CHECK (year BETWEEN 2015 AND 2100),
    -- answers by field name (numbers; booleans 1/0; a year field without the thing 0); unanswered fields absent
    "values"    jsonb NOT NULL CHECK (jsonb_typeof("values") = 'object'),
    source      text NOT NULL,
    imported_at timestamptz NOT NULL,
    PRIMARY KEY (code, year)
);

-- One row per import that inserted or replaced rows; an import that changed nothing leaves no row.
CREATE TABLE georeadiness.questionnaire_import (
    version     bigint PRIMARY KEY CHECK (version > 0),
    source      text NOT NULL,
    imported_at timestamptz NOT NULL,
    inserted    integer NOT NULL CHECK (inserted >= 0),
    replaced    integer NOT NULL CHECK (replaced >= 0),
    unchanged   integer NOT NULL CHECK (unchanged >= 0)
);

-- Profile documents as the exact text saved (the hash covers it); (id, version) is never overwritten.
CREATE TABLE georeadiness.assessment_profile (
    id        text COLLATE "C" NOT NULL,
    version   text COLLATE "C" NOT NULL,
    document  text NOT NULL,
    sha256    text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    saved_at  timestamptz NOT NULL,
    PRIMARY KEY (id, version)
);
