-- Issue 11, lifecycle honesty: the spec, placement and estimate the last successful create or
-- update applied. A failed or cancelled update puts them back (store/applied.ts), so a
-- deployment never describes a change that did not run. NULL: nothing was ever applied.
ALTER TABLE deployments ADD COLUMN applied_spec jsonb;
ALTER TABLE deployments ADD COLUMN applied_placement jsonb;
ALTER TABLE deployments ADD COLUMN applied_estimated_monthly_usd double precision;
UPDATE deployments
   SET applied_spec = spec, applied_placement = placement, applied_estimated_monthly_usd = estimated_monthly_usd
 WHERE status IN ('ready', 'simulated');
