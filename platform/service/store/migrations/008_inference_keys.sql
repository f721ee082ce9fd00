-- Inference keys (issue 14): tenant-scoped keys that call models through the cluster gateway, kept
-- apart from the management keys (`api_keys`). A key reads `mpi_<prefix>_<secret>`; only the sha256
-- of the whole key is stored. Each key has its own rate limit (requests per minute) that the
-- gateway's auth check enforces. No foreign keys: a tenant is a name, not a row.
CREATE TABLE inference_keys (
  id                    uuid        PRIMARY KEY,
  prefix                text        NOT NULL UNIQUE,
  secret_hash           text        NOT NULL UNIQUE,
  tenant                text        NOT NULL,
  name                  text        NOT NULL,
  rate_limit_per_minute integer     NOT NULL CHECK (rate_limit_per_minute > 0),
  created_by            text        NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  last_used_at          timestamptz,
  revoked_at            timestamptz
);
CREATE INDEX inference_keys_tenant ON inference_keys (tenant, created_at);
