-- Tenant-scoped administration (issue 11). `platform-admin` is the one cross-tenant role; only the
-- bootstrap key (MODELPLANE_ADMIN_KEY, or the key generated on the first development start) holds
-- it from the start, and only a bootstrap key may give it. Keys record when they were last used.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
  CHECK (role IN ('platform-admin','admin','deployer','viewer'));
ALTER TABLE api_keys ADD COLUMN bootstrap boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
-- Keys the control plane made for itself before this migration were the bootstrap keys.
UPDATE api_keys SET role = 'platform-admin', bootstrap = true WHERE created_by = 'system' AND role = 'admin';
CREATE INDEX api_keys_tenant ON api_keys (tenant, created_at);
