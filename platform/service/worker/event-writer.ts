/** The event stream of one running operation: persisted in push order, then published. */
import type { Db } from "../store/db";
import { appendEvent } from "../store/events";
import type { DeploymentEvent } from "../types";

/** Persists events in the order they were pushed (one chain per operation), then publishes them. */
export class EventWriter {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    private readonly db: Db,
    private readonly deploymentId: string,
    private readonly operationId: string | null,
    private readonly publish: (e: DeploymentEvent) => void,
  ) {}

  push(type: DeploymentEvent["type"], data: Record<string, unknown>): void {
    this.chain = this.chain
      .then(async () => {
        const e = await appendEvent(this.db, {
          deploymentId: this.deploymentId,
          operationId: this.operationId,
          type,
          data,
        });
        this.publish(e);
      })
      .catch(() => undefined);
  }

  flush(): Promise<void> {
    return this.chain;
  }
}
