-- Model registry (issue 16): per tenant, a model name and its immutable versions. Each version holds
-- the weights' artifact URI, the serving precision, the parameter count (given, or estimated from the
-- config.json) and the architecture derived from the Hugging Face config.json (jsonb, see
-- platform/core/model-config.ts).
CREATE TABLE models (
  tenant      text        NOT NULL,
  name        text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, name)
);
CREATE TABLE model_versions (
  tenant              text        NOT NULL,
  name                text        NOT NULL,
  version             text        NOT NULL,
  artifact_uri        text        NOT NULL,
  precision           text        NOT NULL,
  parameters_billions double precision NOT NULL CHECK (parameters_billions > 0),
  parameters_source   text        NOT NULL CHECK (parameters_source IN ('given','config')),
  architecture        jsonb       NOT NULL,
  created_by          text        NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, name, version),
  FOREIGN KEY (tenant, name) REFERENCES models (tenant, name) ON DELETE CASCADE
);
