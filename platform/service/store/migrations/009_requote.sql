-- Re-quote and migration (issue 15, item 3).
-- recommendations: at most one per deployment (the unique key), so concurrent sweeps upsert the same
-- row instead of adding one each. A sweep stamps every row it (re)writes with `swept_at` and then
-- deletes the rows of the deployments it swept that no longer earn one; listings skip deployments
-- that are destroyed or being destroyed, and the sweep deletes those rows. Money is USD, priced
-- under `catalog_version`.
CREATE TABLE recommendations (
  id                   uuid PRIMARY KEY,
  deployment_id        uuid NOT NULL UNIQUE REFERENCES deployments(id),
  tenant               text NOT NULL,
  reason               text NOT NULL CHECK (reason IN ('price-change','new-offer','spot-drop')),
  current_placement    jsonb NOT NULL,
  current_monthly_usd  double precision NOT NULL CHECK (current_monthly_usd >= 0),
  proposed_placement   jsonb NOT NULL,
  proposed_monthly_usd double precision NOT NULL CHECK (proposed_monthly_usd >= 0),
  saving_monthly_usd   double precision NOT NULL,
  saving_pct           double precision NOT NULL,
  catalog_version      text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  swept_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recommendations_tenant ON recommendations (tenant, saving_monthly_usd DESC);

-- A blue/green move of a deployment to another placement runs as an operation of kind `migrate`
-- (one in flight per deployment, like every operation); its target and progress live here.
ALTER TABLE operations DROP CONSTRAINT IF EXISTS operations_kind_check;
ALTER TABLE operations ADD CONSTRAINT operations_kind_check CHECK (kind IN ('create','update','destroy','migrate'));

CREATE TABLE migrations (
  operation_id         uuid PRIMARY KEY REFERENCES operations(id),
  deployment_id        uuid NOT NULL REFERENCES deployments(id),
  tenant               text NOT NULL,
  recommendation_id    uuid,
  from_stack           text NOT NULL,
  to_stack             text NOT NULL,
  from_spec            jsonb NOT NULL,
  to_spec              jsonb NOT NULL,
  to_placement         jsonb NOT NULL,
  to_monthly_usd       double precision NOT NULL CHECK (to_monthly_usd >= 0),
  catalog_version      text NOT NULL,
  -- requested → new-stack-up → ready → route-shifted → old-destroyed; or rolled-back.
  step                 text NOT NULL DEFAULT 'requested',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migrations_deployment ON migrations (deployment_id, created_at);
