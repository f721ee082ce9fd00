/**
 * The parent side of the plan worker: one warm worker thread per process, started on first use,
 * jobs queued one at a time; referenced only while a job is in flight, so an idle warm worker never
 * keeps a CLI alive. If the worker dies, or is stopped (shutdown), the jobs in flight fail with a
 * `BusyError` saying why (nothing was done; the caller may retry, a 503 at the API, never a 500),
 * and the next job starts a fresh worker.
 *
 * Inside the worker itself (a `call` job that plans), recordings run in that same thread: the
 * worker installs its executor with `runJobsHere`, so no worker ever starts another.
 */
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { Catalog } from "../../core/pricing/types";
import { BusyError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import type { RecordedResource, Recording } from "./record";
import {
  CATALOGS_KEPT,
  type CallJob,
  type CatalogRef,
  type Job,
  type JobRequest,
  type JobResponse,
  type PlanJob,
} from "./protocol";

const WORKER_PATH = join(__dirname, "worker.ts");
// Workers do not inherit require hooks: load tsx's CommonJS hook, then the TypeScript worker.
// Stack traces in this thread are not source-mapped (tsx turns mapping on) and hold no frames:
// Pulumi takes `new Error().stack` for every promise it makes (for its leak report), and those
// were ~60% of a warm plan's CPU (#14). Nothing here reads a stack: a job's error crosses back as
// its name and message, and Pulumi's resource source positions raise the limit for their own
// capture. Only this thread's settings change. An unexpected failure is run once more with frames
// on, so its stack still reaches the caller (worker.ts `withStack`).
const BOOTSTRAP = `require("tsx/cjs"); process.setSourceMapsEnabled(false); Error.stackTraceLimit = 0; require(${JSON.stringify(WORKER_PATH)});`;

interface Pending {
  resolve(response: JobResponse & { ok: true }): void;
  reject(err: Error): void;
}

/** A stable id per catalog object, so a worker is sent each catalog's data once. */
const catalogIds = new WeakMap<Catalog, number>();
let nextCatalogId = 1;
function catalogId(catalog: Catalog): number {
  let id = catalogIds.get(catalog);
  if (id === undefined) {
    id = nextCatalogId++;
    catalogIds.set(catalog, id);
  }
  return id;
}

/** A worker's failure as the parent rethrows it: a ValidationError stays one (bad input, named field). */
export function rebuildError(error: JobResponse & { ok: false }): Error {
  const e = error.error;
  if (e.name === "ValidationError")
    return new ValidationError(e.field ?? "", e.message.replace(`${e.field ?? ""}: `, ""), e.issues);
  const err = new Error(e.message);
  err.name = e.name;
  // The worker's own stack (when it could take one) says where the plan failed; this thread's would not.
  if (e.stack) err.stack = `${e.stack}\n    at <the plan worker thread>`;
  return err;
}

class PlanWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Catalog ids this worker holds, oldest first (it evicts the same way, in message order). */
  private sent: number[] = [];

  private start(): Worker {
    const worker = new Worker(BOOTSTRAP, { eval: true });
    worker.unref();
    worker.on("message", (res: JobResponse) => this.settle(res));
    worker.on("error", (err) => this.lost(worker, err.message));
    worker.on("exit", (code) => this.lost(worker, `exited with code ${code}`));
    this.worker = worker;
    this.sent = [];
    return worker;
  }

  private settle(res: JobResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    // Idle: let the process exit even though the warm worker lives on.
    if (this.pending.size === 0) this.worker?.unref();
    if (res.ok) p.resolve(res);
    else p.reject(rebuildError(res));
  }

  /** The thread died (a crash, an exit, out of memory): fail its jobs; the next job starts a new one. */
  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return; // already replaced or stopped (error then exit, or close)
    this.worker = undefined;
    this.sent = [];
    this.failPending(`the plan worker stopped (${why}); nothing was done, retry the request`);
  }

  private failPending(message: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new BusyError(message, RETRY_AFTER_SECONDS));
  }

  /** The catalog as this worker needs it: by id once it has the data. */
  private catalogRef(catalog: Catalog | undefined): CatalogRef | undefined {
    if (!catalog) return undefined;
    const id = catalogId(catalog);
    if (this.sent.includes(id)) return { id };
    this.sent.push(id);
    if (this.sent.length > CATALOGS_KEPT) this.sent.shift();
    return { id, data: catalog };
  }

  run(job: Job): Promise<JobResponse & { ok: true }> {
    const worker = this.worker ?? this.start();
    // Busy: keep the process alive until the answer arrives.
    worker.ref();
    const id = this.nextId++;
    const { catalog, ...rest } = job;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const ref = this.catalogRef(catalog);
      const req: JobRequest = { id, job: rest, ...(ref ? { catalog: ref } : {}) };
      worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.sent = [];
    this.failPending("the plan worker is shut down (the service is stopping); nothing was done, retry the request");
    if (worker) await worker.terminate();
  }
}

/** Retry-After of a job failed by a stopped worker: the next job starts a fresh one. */
const RETRY_AFTER_SECONDS = 1;

const shared = new PlanWorker();

/** Runs a job in this thread; set by the plan worker on itself. */
type LocalExecutor = (job: Job) => Promise<JobResponse>;
let local: LocalExecutor | undefined;

/** The plan worker runs the jobs of its own thread in place (see the header). */
export function runJobsHere(executor: LocalExecutor): void {
  local = executor;
}

async function run(job: Job): Promise<JobResponse & { ok: true }> {
  if (!local) return shared.run(job);
  const res = await local(job);
  if (!res.ok) throw rebuildError(res);
  return res;
}

/** Record the resources of a program and the stack's outputs in the shared warm worker. */
export async function recordStackInWorker(job: PlanJob): Promise<Recording> {
  const res = await run({ ...job, kind: "record" });
  if (!("recording" in res)) throw new Error("the plan worker answered a recording job without a recording");
  return res.recording;
}

/** Record the resources of a program in the shared warm worker. */
export async function recordInWorker(job: PlanJob): Promise<RecordedResource[]> {
  return (await recordStackInWorker(job)).resources;
}

/** Call a function of a worker-side module in the shared warm worker; its plain-data answer. */
export async function callInWorker<T>(job: Omit<CallJob, "kind">): Promise<T> {
  const res = await run({ ...job, kind: "call" });
  if (!("value" in res)) throw new Error("the plan worker answered a call job without a value");
  return res.value as T;
}

/** Stop the shared worker (tests, benchmarks, shutdown). The next plan starts a new one. */
export function closePlanWorker(): Promise<void> {
  return shared.close();
}
