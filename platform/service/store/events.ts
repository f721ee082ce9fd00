/**
 * Deployment events: persisted in order. An event's id is its number within its deployment (1, 2, …;
 * migration 011 assigns it), so ids reveal nothing about other deployments (SSE `Last-Event-ID` replay).
 */
import type { DeploymentEvent } from "../types";
import type { Db } from "./db";
import { toEvent } from "./rows";

/** Largest `data` we keep per event (bytes of JSON); bigger payloads are truncated with a marker. */
export const MAX_EVENT_BYTES = 16 * 1024;

export async function appendEvent(
  db: Db,
  e: { deploymentId: string; operationId: string | null; type: DeploymentEvent["type"]; data: Record<string, unknown> },
): Promise<DeploymentEvent> {
  let payload = JSON.stringify(e.data);
  if (payload.length > MAX_EVENT_BYTES) payload = JSON.stringify({ truncated: true, preview: payload.slice(0, 1024) });
  const r = await db.query(
    `INSERT INTO events (deployment_id, operation_id, type, data) VALUES ($1, $2, $3, $4::jsonb) RETURNING *`,
    [e.deploymentId, e.operationId, e.type, payload],
  );
  const row = r.rows[0];
  if (!row) throw new Error("event insert returned no row");
  return toEvent(row);
}

/** Events of a deployment (of `tenant`) numbered above afterId, oldest first. */
export async function listEvents(
  db: Db,
  tenant: string,
  deploymentId: string,
  afterId: number,
  limit: number,
): Promise<DeploymentEvent[]> {
  const r = await db.query(
    `SELECT e.* FROM events e JOIN deployments d ON d.id = e.deployment_id
     WHERE d.tenant = $1 AND e.deployment_id = $2 AND e.seq > $3 ORDER BY e.seq LIMIT $4`,
    [tenant, deploymentId, Math.max(0, Math.floor(afterId)), Math.max(1, Math.min(1000, Math.floor(limit)))],
  );
  return r.rows.map(toEvent);
}

/** One event by deployment and number (for LISTEN/NOTIFY subscribers, which learn only those). */
export async function getEvent(db: Db, deploymentId: string, seq: number): Promise<DeploymentEvent | null> {
  const r = await db.query(`SELECT * FROM events WHERE deployment_id = $1 AND seq = $2`, [deploymentId, seq]);
  return r.rows[0] ? toEvent(r.rows[0]) : null;
}

/** The channel events are announced on (see migration 002). */
export function eventChannel(schema: string): string {
  return `${schema}_events`;
}
