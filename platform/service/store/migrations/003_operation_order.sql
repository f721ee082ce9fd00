-- Operation history in insertion order (created_at can tie within a clock tick, notably on PGlite).
ALTER TABLE operations ADD COLUMN seq bigserial;
CREATE INDEX operations_deployment_seq ON operations (deployment_id, seq);
