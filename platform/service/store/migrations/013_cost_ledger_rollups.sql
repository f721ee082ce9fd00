-- Cost ledger rollups (issue 15, performance): the hourly rows summed per deployment per UTC day
-- and per UTC month, by every dimension a query groups on (tenant, cost center, model, cloud) and
-- the catalog version, so GET /v1/costs and /metrics read whole days and months from here and only
-- a range's partial edges from cost_ledger (store/ledger.ts). Statement triggers on cost_ledger
-- keep them in step in the writer's own transaction: an INSERT adds the rows it actually wrote
-- (ON CONFLICT DO NOTHING skips count nothing), a DELETE (purging a deployment) takes them away.
-- The ledger is append-only: an UPDATE of its rows is refused, so a rollup is never stale.
CREATE TABLE cost_ledger_daily (
  deployment_id   uuid NOT NULL REFERENCES deployments(id),
  day             date NOT NULL,
  tenant          text NOT NULL,
  cost_center     text NOT NULL,
  model           text NOT NULL,
  cloud           text NOT NULL,
  catalog_version text NOT NULL,
  usd             double precision NOT NULL,
  hours           integer NOT NULL,
  PRIMARY KEY (deployment_id, day, tenant, cost_center, model, cloud, catalog_version)
);
CREATE INDEX cost_ledger_daily_tenant_day ON cost_ledger_daily (tenant, day);
CREATE INDEX cost_ledger_daily_day ON cost_ledger_daily (day);

CREATE TABLE cost_ledger_monthly (
  deployment_id   uuid NOT NULL REFERENCES deployments(id),
  month           date NOT NULL,
  tenant          text NOT NULL,
  cost_center     text NOT NULL,
  model           text NOT NULL,
  cloud           text NOT NULL,
  catalog_version text NOT NULL,
  usd             double precision NOT NULL,
  hours           integer NOT NULL,
  PRIMARY KEY (deployment_id, month, tenant, cost_center, model, cloud, catalog_version)
);
CREATE INDEX cost_ledger_monthly_tenant_month ON cost_ledger_monthly (tenant, month);
CREATE INDEX cost_ledger_monthly_month ON cost_ledger_monthly (month);

-- Backfill what is already accrued.
INSERT INTO cost_ledger_daily (deployment_id, day, tenant, cost_center, model, cloud, catalog_version, usd, hours)
SELECT deployment_id, (hour AT TIME ZONE 'UTC')::date, tenant, cost_center, model, cloud, catalog_version,
       sum(usd), count(*)
  FROM cost_ledger GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO cost_ledger_monthly (deployment_id, month, tenant, cost_center, model, cloud, catalog_version, usd, hours)
SELECT deployment_id, date_trunc('month', hour AT TIME ZONE 'UTC')::date, tenant, cost_center, model, cloud,
       catalog_version, sum(usd), count(*)
  FROM cost_ledger GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Rows are upserted in key order, so two concurrent writers lock rollup rows in the same order.
CREATE FUNCTION cost_ledger_rollup_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO cost_ledger_daily AS r (deployment_id, day, tenant, cost_center, model, cloud, catalog_version, usd, hours)
  SELECT deployment_id, (hour AT TIME ZONE 'UTC')::date, tenant, cost_center, model, cloud, catalog_version,
         sum(usd), count(*)
    FROM written GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (deployment_id, day, tenant, cost_center, model, cloud, catalog_version)
  DO UPDATE SET usd = r.usd + EXCLUDED.usd, hours = r.hours + EXCLUDED.hours;
  INSERT INTO cost_ledger_monthly AS r (deployment_id, month, tenant, cost_center, model, cloud, catalog_version, usd, hours)
  SELECT deployment_id, date_trunc('month', hour AT TIME ZONE 'UTC')::date, tenant, cost_center, model, cloud,
         catalog_version, sum(usd), count(*)
    FROM written GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (deployment_id, month, tenant, cost_center, model, cloud, catalog_version)
  DO UPDATE SET usd = r.usd + EXCLUDED.usd, hours = r.hours + EXCLUDED.hours;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cost_ledger_rollup_delete() RETURNS trigger AS $$
BEGIN
  UPDATE cost_ledger_daily r SET usd = r.usd - g.usd, hours = r.hours - g.hours
    FROM (SELECT deployment_id, (hour AT TIME ZONE 'UTC')::date AS day, tenant, cost_center, model, cloud,
                 catalog_version, sum(usd) AS usd, count(*) AS hours
            FROM removed GROUP BY 1, 2, 3, 4, 5, 6, 7) g
   WHERE r.deployment_id = g.deployment_id AND r.day = g.day AND r.tenant = g.tenant
     AND r.cost_center = g.cost_center AND r.model = g.model AND r.cloud = g.cloud
     AND r.catalog_version = g.catalog_version;
  UPDATE cost_ledger_monthly r SET usd = r.usd - g.usd, hours = r.hours - g.hours
    FROM (SELECT deployment_id, date_trunc('month', hour AT TIME ZONE 'UTC')::date AS month, tenant, cost_center,
                 model, cloud, catalog_version, sum(usd) AS usd, count(*) AS hours
            FROM removed GROUP BY 1, 2, 3, 4, 5, 6, 7) g
   WHERE r.deployment_id = g.deployment_id AND r.month = g.month AND r.tenant = g.tenant
     AND r.cost_center = g.cost_center AND r.model = g.model AND r.cloud = g.cloud
     AND r.catalog_version = g.catalog_version;
  DELETE FROM cost_ledger_daily WHERE hours <= 0 AND deployment_id IN (SELECT deployment_id FROM removed);
  DELETE FROM cost_ledger_monthly WHERE hours <= 0 AND deployment_id IN (SELECT deployment_id FROM removed);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION cost_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'cost_ledger is append-only: its rows are never rewritten (its rollups sum them as written)';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cost_ledger_rollup_insert AFTER INSERT ON cost_ledger
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION cost_ledger_rollup_insert();
CREATE TRIGGER cost_ledger_rollup_delete AFTER DELETE ON cost_ledger
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cost_ledger_rollup_delete();
CREATE TRIGGER cost_ledger_append_only BEFORE UPDATE ON cost_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION cost_ledger_append_only();
