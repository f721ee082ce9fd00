/**
 * Server-Sent Events of one deployment: persisted events after `afterId` first (paged out of the
 * store), then live ones as the control plane persists them. The live subscription starts BEFORE
 * the replay, and events arriving meanwhile are buffered, so nothing falls in the gap between the
 * two; ids already sent are skipped, so nothing is sent twice. Each frame's `id:` is the event id,
 * which a reconnecting EventSource sends back as `Last-Event-ID`.
 */
import type { Request, Response } from "express";
import type { ControlPlane, DeploymentEvent } from "../platform/service/types";

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
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
  };
  o.req.on("close", finish);

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
  for (const event of buffered) send(event);
  buffered.length = 0;
  live = true;
  heartbeat = setInterval(() => {
    if (!closed) o.res.write(": keep-alive\n\n");
  }, o.heartbeatMs);
  heartbeat.unref();
}
