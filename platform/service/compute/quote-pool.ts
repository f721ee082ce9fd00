/**
 * Quotes off the event loop (issue 11): the optimizer over a large request (a workload with
 * `allowMix` across the whole catalog costs about 250 ms of CPU) runs in a worker thread, so one
 * caller's quotes cannot hold up every other request. A full queue refuses at once (BusyError →
 * 503 with Retry-After).
 */
import { join } from "node:path";
import type { Footprint } from "../../core/footprint";
import type { QuoteOptions, QuoteResult } from "../../core/optimizer";
import type { QuoteRequest } from "../../core/optimizer/schema";
import type { Catalog } from "../../core/pricing/types";
import { WorkerPool } from "./pool";

/** What every quote worker gets once. */
export interface QuoteWorkerData {
  catalog: Catalog;
  footprint?: Footprint;
}

/** Options of one quote (the footprint is the pool's). */
export type QuoteJobOptions = Omit<QuoteOptions, "footprint">;

export interface QuoteJob {
  request: QuoteRequest;
  options: QuoteJobOptions;
}

/** Runs quotes; the API's `POST /v1/quotes` calls it when given one (otherwise it quotes in process). */
export interface QuoteRunner {
  quote(request: QuoteRequest, options: QuoteJobOptions): Promise<QuoteResult>;
  close(): Promise<void>;
}

export interface QuotePoolOptions extends QuoteWorkerData {
  /** Threads (default 1: the other core stays with the event loop and the database). */
  size?: number;
  /** Quotes that may wait for a thread (default 8). */
  maxQueue?: number;
}

export function createQuotePool(o: QuotePoolOptions): QuoteRunner {
  const pool = new WorkerPool<QuoteJob, QuoteResult>({
    name: "quote",
    script: join(__dirname, "quote-worker.ts"),
    workerData: { catalog: o.catalog, ...(o.footprint ? { footprint: o.footprint } : {}) } satisfies QuoteWorkerData,
    size: o.size ?? 1,
    maxQueue: o.maxQueue ?? 8,
  });
  return {
    quote: (request, options) => pool.run({ request, options }),
    close: () => pool.close(),
  };
}
