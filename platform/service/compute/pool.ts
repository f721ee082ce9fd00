/**
 * A small pool of worker threads for CPU-heavy work on the request path (issue 11, bounded work
 * per request): at most `size` jobs run at once, each in its own thread, so the event loop keeps
 * serving other callers; at most `maxQueue` more wait. A job that finds the queue full is refused
 * at once with a `BusyError` (the API answers 503 with Retry-After) instead of waiting without
 * bound. A worker that dies fails its job with a `BusyError` naming why, and is replaced on the
 * next job.
 *
 * Workers start on first use and are referenced only while they run a job: an idle pool never
 * keeps a process alive.
 */
import { Worker } from "node:worker_threads";
import { BusyError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import type { WorkerReply } from "./protocol";

export interface PoolOptions {
  /** For messages: `quote`. */
  name: string;
  /** The worker's TypeScript file (run under tsx's CommonJS hook). */
  script: string;
  /** Given to every worker once (`workerData`): e.g. the catalog, so jobs stay small. */
  workerData?: unknown;
  /** Threads, at least 1. */
  size: number;
  /** Jobs that may wait for a thread, at least 0. */
  maxQueue: number;
  /** Retry-After of a refused job, seconds (default 1). */
  retryAfterSeconds?: number;
}

interface Job {
  id: number;
  payload: unknown;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker | undefined;
  job: Job | undefined;
}

export class WorkerPool<Req, Res> {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: PoolOptions) {
    if (!Number.isInteger(o.size) || o.size < 1) throw new Error(`${o.name} pool: size must be an integer ≥ 1`);
    if (!Number.isInteger(o.maxQueue) || o.maxQueue < 0)
      throw new Error(`${o.name} pool: maxQueue must be an integer ≥ 0`);
    this.slots = Array.from({ length: o.size }, () => ({ worker: undefined, job: undefined }));
  }

  /** Jobs running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.slots.filter((s) => s.job).length, queued: this.queue.length };
  }

  /** Run one job; rejects with `BusyError` when every thread is busy and the queue is full. */
  run(payload: Req): Promise<Res> {
    if (this.closed) return Promise.reject(new BusyError(`the ${this.o.name} pool is shut down`, this.retryAfter));
    const free = this.slots.some((s) => !s.job);
    if (!free && this.queue.length >= this.o.maxQueue) {
      return Promise.reject(
        new BusyError(
          `too many ${this.o.name} requests in progress (${this.o.size} running, ${this.queue.length} waiting); retry after ${this.retryAfter} s`,
          this.retryAfter,
        ),
      );
    }
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, payload, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Stop every thread; jobs running or waiting fail with `BusyError`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new BusyError(`the ${this.o.name} pool is shut down`, 1));
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = undefined;
        if (w) await w.terminate();
      }),
    );
  }

  private get retryAfter(): number {
    return this.o.retryAfterSeconds ?? 1;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      const worker = slot.worker ?? this.start(slot);
      worker.ref(); // busy: keep the process alive until the answer arrives
      worker.postMessage({ id: job.id, payload: job.payload });
    }
  }

  private start(slot: Slot): Worker {
    // Workers do not inherit require hooks: load tsx's CommonJS hook, then the TypeScript worker.
    const bootstrap = `require("tsx/cjs"); require(${JSON.stringify(this.o.script)});`;
    const worker = new Worker(bootstrap, { eval: true, workerData: this.o.workerData });
    worker.on("message", (reply: WorkerReply) => this.settle(slot, reply));
    worker.on("error", (err) => this.lost(slot, worker, err.message));
    worker.on("exit", (code) => this.lost(slot, worker, `exited with code ${code}`));
    slot.worker = worker;
    return worker;
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    slot.job = undefined;
    slot.worker?.unref(); // idle: let the process exit even though the warm thread lives on
    if (reply.ok) job.resolve(reply.result);
    else if (reply.error.name === "ValidationError")
      job.reject(
        new ValidationError(
          reply.error.field ?? "",
          reply.error.message.replace(`${reply.error.field ?? ""}: `, ""),
          reply.error.issues,
        ),
      );
    else {
      const err = new Error(reply.error.message);
      err.name = reply.error.name;
      job.reject(err);
    }
    this.dispatch();
  }

  /** The thread died (a crash, an exit, out of memory): fail its job and replace it on the next job. */
  private lost(slot: Slot, worker: Worker, why: string): void {
    if (slot.worker !== worker) return; // already replaced (error then exit)
    slot.worker = undefined;
    const job = slot.job;
    slot.job = undefined;
    if (job)
      job.reject(
        new BusyError(
          `the ${this.o.name} worker stopped (${why}); nothing was lost, retry the request`,
          this.retryAfter,
        ),
      );
    if (!this.closed) this.dispatch();
  }
}
