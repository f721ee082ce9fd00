-- Cost ledger (issue 15, item 2): one row per deployment per whole UTC hour it accrued, at the
-- price captured when it was placed (deployments.estimated_monthly_usd / 730, see store/ledger.ts
-- for which state costs what). Rows are written by `accrueLedger` (on GET /v1/costs and on each
-- /metrics scrape) and never rewritten: the ledger is append-only and survives destroy.
CREATE TABLE cost_ledger (
  deployment_id   uuid NOT NULL REFERENCES deployments(id),
  hour            timestamptz NOT NULL,
  tenant          text NOT NULL,
  cost_center     text NOT NULL,
  model           text NOT NULL,
  cloud           text NOT NULL,
  state           text NOT NULL,
  usd             double precision NOT NULL CHECK (usd >= 0),
  catalog_version text NOT NULL,
  PRIMARY KEY (deployment_id, hour)
);
CREATE INDEX cost_ledger_tenant_hour ON cost_ledger (tenant, hour);
CREATE INDEX cost_ledger_hour ON cost_ledger (hour);
