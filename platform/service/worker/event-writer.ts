/** The event stream of one running operation: persisted in push order, then published. */
import type { Db } from "../store/db";
import { appendEvents } from "../store/events";
import type { DeploymentEvent } from "../types";

type Pending = { type: DeploymentEvent["type"]; data: Record<string, unknown> };

/**
 * Persists events in the order they were pushed (one chain per operation), then publishes them.
 * Events pushed while a write is under way are written together by the next one, in one statement
 * (a dry-run operation pushes ~25 events in bursts; one round trip each was most of its database
 * time, #14). A failed write drops its events (as before: events never fail the operation).
 */
export class EventWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued: Pending[] = [];

  constructor(
    private readonly db: Db,
    private readonly deploymentId: string,
    private readonly operationId: string | null,
    private readonly publish: (e: DeploymentEvent) => void,
  ) {}

  push(type: DeploymentEvent["type"], data: Record<string, unknown>): void {
    this.queued.push({ type, data });
    // One write per batch: the first push after a write was scheduled joins it.
    if (this.queued.length > 1) return;
    this.chain = this.chain
      .then(async () => {
        const batch = this.queued;
        this.queued = [];
        const written = await appendEvents(
          this.db,
          batch.map((e) => ({ deploymentId: this.deploymentId, operationId: this.operationId, ...e })),
        );
        for (const e of written) this.publish(e);
      })
      .catch(() => undefined);
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
