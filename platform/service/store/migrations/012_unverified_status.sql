-- A successful `up` whose serving the control plane could not see (serverless, or the observation
-- failed) ends in `unverified`, never `ready` (outputs.readiness.reason says why).
ALTER TABLE deployments DROP CONSTRAINT deployments_status_check;
ALTER TABLE deployments ADD CONSTRAINT deployments_status_check
  CHECK (status IN ('queued','previewing','deploying','ready','failed','destroying','destroyed','cancelled','simulated','unverified'));
