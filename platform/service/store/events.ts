/**
 * Deployment events: persisted in order. An event's id is its number within its deployment (1, 2, …;
 * migration 011 assigns it), so ids reveal nothing about other deployments (SSE `Last-Event-ID` replay).
 */
import type { DeploymentEvent } from "../types";
import type { Db } from "./db";
import { toEvent } from "./rows";

/** Largest `data` we keep per event (bytes of JSON); bigger payloads are truncated with a marker. */
export const MAX_EVENT_BYTES = 16 * 1024;

type NewEvent = {
  deploymentId: string;
  operationId: string | null;
  type: DeploymentEvent["type"];
  data: Record<string, unknown>;
};

function payloadOf(data: Record<string, unknown>): string {
  const payload = JSON.stringify(data);
  return payload.length > MAX_EVENT_BYTES
    ? JSON.stringify({ truncated: true, preview: payload.slice(0, 1024) })
    : payload;
}

export async function appendEvent(db: Db, e: NewEvent): Promise<DeploymentEvent> {
  const [event] = await appendEvents(db, [e]);
  if (!event) throw new Error("event insert returned no row");
  return event;
}

/**
 * Several events in one statement (one round trip), numbered in the order given: the insert
 * trigger numbers and announces rows one by one in VALUES order. Returned in that order.
 */
export async function appendEvents(db: Db, events: readonly NewEvent[]): Promise<DeploymentEvent[]> {
  if (events.length === 0) return [];
  const values: unknown[] = [];
  const rows = events.map((e) => {
    values.push(e.deploymentId, e.operationId, e.type, payloadOf(e.data));
    const n = values.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  const r = await db.query(
    `INSERT INTO events (deployment_id, operation_id, type, data) VALUES ${rows.join(", ")} RETURNING *`,
    values,
  );
  if (r.rows.length !== events.length) throw new Error(`event insert returned ${r.rows.length}/${events.length} rows`);
  // RETURNING's order is not promised; the numbering is (per deployment, in VALUES order).
  const byDeployment = new Map<string, DeploymentEvent[]>();
  for (const e of r.rows.map(toEvent))
    byDeployment.set(e.deploymentId, [...(byDeployment.get(e.deploymentId) ?? []), e]);
  for (const list of byDeployment.values()) list.sort((a, b) => a.id - b.id);
  return events.map((e) => {
    const next = byDeployment.get(e.deploymentId)?.shift();
    if (!next) throw new Error("event insert returned a row of another deployment");
    return next;
  });
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
