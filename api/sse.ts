/**
 * Server-Sent Events of one deployment: persisted events after `afterId` first (paged out of the
 * store), then live ones as the control plane persists them. The live subscription starts BEFORE
 * the replay, and events arriving meanwhile are buffered, so nothing falls in the gap between the
 * two; ids already sent are skipped, so nothing is sent twice. Each frame's `id:` is the event id,
 * which a reconnecting EventSource sends back as `Last-Event-ID`.
 */
import type { Request, Response } from "express";
import { SETTLED_STATUSES, type ControlPlane, type DeploymentEvent } from "../platform/service/types";

const PAGE = 500;

export interface StreamOptions {
  controlPlane: Pick<ControlPlane, "listEvents" | "subscribe">;
  tenant: string;
  deploymentId: string;
  afterId: number;
  /** false: replay and end. */
  follow: boolean;
  heartbeatMs: number;
  req: Request;
  res: Response;
  /** Subscribe to the caller's key being revoked in this process; returns the unsubscribe function. */
  onRevoked?: (end: () => void) => () => void;
  /** Is the caller's key still valid? Asked at every heartbeat (revocations made by other replicas). */
  stillAuthorized?: () => Promise<boolean>;
}

/** A `status` event into a settled status: the operation the stream was following is over. */
function isTerminal(event: DeploymentEvent): boolean {
  const status = event.data["status"];
  return (
    event.type === "status" && typeof status === "string" && (SETTLED_STATUSES as readonly string[]).includes(status)
  );
}

function frame(event: DeploymentEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Stream events. Throws (before any byte is written) when the deployment is not the caller's, so
 * the error mapper can still answer 404.
 */
export async function streamEvents(o: StreamOptions): Promise<void> {
  let lastSent = o.afterId;
  let live = false;
  let closed = false;
  const buffered: DeploymentEvent[] = [];

  const send = (event: DeploymentEvent): void => {
    if (closed || event.id <= lastSent) return;
    lastSent = event.id;
    o.res.write(frame(event));
    // Live, a settled status ends the stream: the operation is over (reconnect to follow the next one).
    if (live && isTerminal(event)) end();
  };
  const unsubscribe = o.follow
    ? o.controlPlane.subscribe(o.deploymentId, (event) => {
        if (live) send(event);
        else buffered.push(event);
      })
    : () => undefined;

  let page: DeploymentEvent[];
  try {
    page = await o.controlPlane.listEvents(o.tenant, o.deploymentId, o.afterId, PAGE);
  } catch (err) {
    unsubscribe();
    throw err;
  }

  o.res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  // Tell EventSource clients to reconnect after 2 s.
  o.res.write("retry: 2000\n\n");

  // eslint-disable-next-line prefer-const -- finish() may run before the interval is set
  let heartbeat: NodeJS.Timeout | undefined;
  let unwatch: () => void = () => undefined;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unwatch();
    if (heartbeat) clearInterval(heartbeat);
  };
  function end(): void {
    if (closed) return;
    finish();
    o.res.end();
  }
  o.req.on("close", finish);
  if (o.onRevoked) unwatch = o.onRevoked(end);

  try {
    for (;;) {
      for (const event of page) send(event);
      if (page.length < PAGE || closed) break;
      page = await o.controlPlane.listEvents(o.tenant, o.deploymentId, lastSent, PAGE);
    }
  } catch {
    // The replay failed half-way (database gone): end the stream; the client resumes with Last-Event-ID.
    finish();
    o.res.end();
    return;
  }

  if (!o.follow) {
    finish();
    o.res.end();
    return;
  }
  buffered.sort((a, b) => a.id - b.id);
  // Buffered events happened after the stream began: they count as live (a settled one ends it),
  // also when the replay already sent them.
  live = true;
  for (const event of buffered) send(event);
  const latest = buffered[buffered.length - 1];
  buffered.length = 0;
  if (latest && latest.id === lastSent && isTerminal(latest)) end();
  if (closed) return;
  const check = o.stillAuthorized;
  heartbeat = setInterval(() => {
    if (closed) return;
    o.res.write(": keep-alive\n\n");
    if (check) void check().then((ok) => (ok ? undefined : end()), end);
  }, o.heartbeatMs);
  heartbeat.unref();
}
