-- The dry-run engine ends deployments in `simulated` (planned offline, nothing created).
ALTER TABLE deployments DROP CONSTRAINT deployments_status_check;
ALTER TABLE deployments ADD CONSTRAINT deployments_status_check
  CHECK (status IN ('queued','previewing','deploying','ready','failed','destroying','destroyed','cancelled','simulated'));
