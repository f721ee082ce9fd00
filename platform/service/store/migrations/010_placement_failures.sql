-- Capacity and quota failover (issue 15, item 4): the last capacity or quota failure of each
-- placement (cloud, region, instance type, capacity), remembered until `until` (6 h after it by
-- default). Quotes and the worker's re-placement skip a placement while now() < until and say why.
CREATE TABLE placement_failures (
  cloud          text        NOT NULL,
  region         text        NOT NULL,
  instance_type  text        NOT NULL,
  capacity       text        NOT NULL,
  code           text        NOT NULL CHECK (code IN ('capacity_unavailable','quota_exceeded')),
  provider_code  text        NOT NULL,
  message        text        NOT NULL,
  deployment_id  uuid,
  failed_at      timestamptz NOT NULL,
  until          timestamptz NOT NULL,
  PRIMARY KEY (cloud, region, instance_type, capacity)
);
CREATE INDEX placement_failures_until ON placement_failures (until);
