-- Every persisted event is announced on the channel `<schema>_events` with the payload
-- `<deployment id>:<event id>`, delivered at commit. Other control-plane processes sharing the
-- database LISTEN on it to feed their live (SSE) subscribers.
CREATE FUNCTION notify_deployment_event() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '_events', NEW.deployment_id::text || ':' || NEW.id::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_notify AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION notify_deployment_event();
