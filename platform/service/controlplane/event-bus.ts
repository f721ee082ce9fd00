/**
 * Live deployment events for SSE subscribers. Events produced in this process are delivered at
 * once; on Postgres, events produced by other processes sharing the database arrive through
 * LISTEN/NOTIFY (migration 002 announces every insert) and are read back by id. PGlite is
 * single-process, so the in-process path is all it needs.
 */
import { EventEmitter } from "node:events";
import { Client } from "pg";
import type { Db } from "../store/db";
import { eventChannel, getEvent } from "../store/events";
import type { DeploymentEvent, EventListener } from "../types";

export class EventBus {
  private readonly emitter = new EventEmitter();
  /** `<deployment>:<number>` of events already delivered (bounded), so an event written here is not delivered again by its notification. */
  private readonly delivered = new Set<string>();
  private client: Client | undefined;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {
    this.emitter.setMaxListeners(0);
  }

  subscribe(deploymentId: string, listener: EventListener): () => void {
    this.emitter.on(deploymentId, listener);
    return () => {
      this.emitter.off(deploymentId, listener);
    };
  }

  /** Deliver an event persisted by this process. */
  publish(e: DeploymentEvent): void {
    this.deliver(e);
  }

  private deliver(e: DeploymentEvent): void {
    const key = `${e.deploymentId}:${e.id}`;
    if (this.delivered.has(key)) return;
    if (this.delivered.size >= 10_000) this.delivered.clear();
    this.delivered.add(key);
    this.emitter.emit(e.deploymentId, e);
  }

  /** Start listening for other processes' events (Postgres only). */
  async listen(url: string): Promise<void> {
    if (this.db.kind !== "postgres" || this.closed) return;
    const client = new Client({ connectionString: url });
    client.on("error", () => {
      void this.reconnect(url);
    });
    client.on("notification", (n) => {
      const key = n.payload;
      if (!key) return;
      const [deploymentId, idText] = key.split(":");
      const id = Number(idText);
      if (!deploymentId || !Number.isFinite(id) || this.delivered.has(key)) return;
      if (this.emitter.listenerCount(deploymentId) === 0) return;
      // Read back in arrival (= commit) order.
      this.chain = this.chain
        .then(async () => {
          if (this.delivered.has(key)) return;
          const e = await getEvent(this.db, deploymentId, id);
          if (e) this.deliver(e);
        })
        .catch(() => undefined);
    });
    await client.connect();
    await client.query(`LISTEN "${eventChannel(this.db.schema)}"`);
    this.client = client;
  }

  private async reconnect(url: string): Promise<void> {
    const old = this.client;
    this.client = undefined;
    await old?.end().catch(() => undefined);
    if (this.closed) return;
    await new Promise((r) => setTimeout(r, 1000));
    await this.listen(url).catch(() => {
      void this.reconnect(url);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
    await this.chain;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
