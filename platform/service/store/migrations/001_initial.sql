-- modelplane control plane schema, version 1.
-- Runs unqualified inside the configured schema (search_path); the same SQL on PGlite and Postgres.

CREATE TABLE deployments (
  id                    uuid PRIMARY KEY,
  -- Insertion order: the listing order and the pagination cursor.
  seq                   bigserial NOT NULL UNIQUE,
  tenant                text NOT NULL,
  name                  text NOT NULL,
  environment           text NOT NULL,
  model                 text NOT NULL,
  stack_name            text NOT NULL,
  status                text NOT NULL CHECK (status IN ('queued','previewing','deploying','ready','failed','destroying','destroyed','cancelled')),
  placement             jsonb NOT NULL,
  estimated_monthly_usd double precision NOT NULL CHECK (estimated_monthly_usd >= 0),
  spec                  jsonb NOT NULL,
  outputs               jsonb,
  error                 jsonb,
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deployments_tenant_page ON deployments (tenant, seq DESC);
-- A stack belongs to at most one deployment until that deployment is destroyed.
CREATE UNIQUE INDEX deployments_live_stack ON deployments (stack_name) WHERE status <> 'destroyed';

CREATE TABLE operations (
  id               uuid PRIMARY KEY,
  deployment_id    uuid NOT NULL REFERENCES deployments(id),
  tenant           text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('create','update','destroy')),
  status           text NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
  attempts         integer NOT NULL DEFAULT 0,
  error            jsonb,
  actor            text NOT NULL,
  job_id           text,
  cancel_requested boolean NOT NULL DEFAULT false,
  worker_id        text,
  heartbeat_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX operations_deployment ON operations (deployment_id, created_at);
CREATE INDEX operations_status ON operations (status);
-- One operation per stack at a time: at most one queued-or-running operation per deployment.
CREATE UNIQUE INDEX operations_one_in_flight ON operations (deployment_id) WHERE status IN ('queued','running');

CREATE TABLE events (
  id            bigserial PRIMARY KEY,
  deployment_id uuid NOT NULL REFERENCES deployments(id),
  operation_id  uuid,
  type          text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  data          jsonb NOT NULL
);
CREATE INDEX events_deployment ON events (deployment_id, id);

CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  prefix      text NOT NULL UNIQUE,
  secret_hash text NOT NULL UNIQUE,
  tenant      text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin','deployer','viewer')),
  name        text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE audit (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  tenant  text,
  action  text NOT NULL,
  target  text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE idempotency_keys (
  tenant        text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  -- Deferred: the key is claimed first in the transaction that then creates the deployment.
  deployment_id uuid NOT NULL REFERENCES deployments(id) DEFERRABLE INITIALLY DEFERRED,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, key)
);
