-- Issue 11, lifecycle honesty: the spec, placement and estimate the last successful create or
-- update applied. A failed or cancelled update puts them back (store/applied.ts), so a
-- deployment never describes a change that did not run. NULL: nothing was ever applied.
ALTER TABLE deployments ADD COLUMN applied_spec jsonb;
ALTER TABLE deployments ADD COLUMN applied_placement jsonb;
ALTER TABLE deployments ADD COLUMN applied_estimated_monthly_usd double precision;
UPDATE deployments
   SET applied_spec = spec, applied_placement = placement, applied_estimated_monthly_usd = estimated_monthly_usd
 WHERE status IN ('ready', 'simulated');

-- Issue 11, low: event ids were one global sequence, so a tenant could count everyone's events.
-- An event's id is now its number within its deployment (1, 2, 3, …), taken from a counter on
-- the deployment row by a BEFORE INSERT trigger: every writer gets it, and the row lock orders the
-- numbers as the writers commit. The global id stays as the primary key, internal only.
ALTER TABLE deployments ADD COLUMN event_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN seq bigint;
UPDATE events e SET seq = r.n
  FROM (SELECT id, row_number() OVER (PARTITION BY deployment_id ORDER BY id) AS n FROM events) r
 WHERE e.id = r.id;
UPDATE deployments d SET event_seq = coalesce((SELECT max(seq) FROM events e WHERE e.deployment_id = d.id), 0);
ALTER TABLE events ALTER COLUMN seq SET NOT NULL;
CREATE UNIQUE INDEX events_deployment_seq ON events (deployment_id, seq);

CREATE FUNCTION number_deployment_event() RETURNS trigger AS $$
BEGIN
  UPDATE deployments SET event_seq = event_seq + 1 WHERE id = NEW.deployment_id RETURNING event_seq INTO NEW.seq;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_number BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION number_deployment_event();

-- Announce `<deployment id>:<number>`: what a listener reads back, and what its clients see.
CREATE OR REPLACE FUNCTION notify_deployment_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '_events', NEW.deployment_id::text || ':' || NEW.seq::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
