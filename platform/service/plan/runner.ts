/**
 * The parent side of the plan worker: one warm worker thread per process, started on first use,
 * jobs queued one at a time; referenced only while a job is in flight, so an idle warm worker never
 * keeps a CLI alive. If the worker dies, the job
 * in flight fails with the reason and the next job starts a fresh worker.
 */
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { ValidationError } from "../../core/validation";
import type { RecordedResource, Recording } from "./record";
import type { JobRequest, JobResponse, PlanJob } from "./protocol";

const WORKER_PATH = join(__dirname, "worker.ts");
// Workers do not inherit require hooks: load tsx's CommonJS hook, then the TypeScript worker.
const BOOTSTRAP = `require("tsx/cjs"); require(${JSON.stringify(WORKER_PATH)});`;

interface Pending {
  resolve(recording: Recording): void;
  reject(err: Error): void;
}

class PlanWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  private start(): Worker {
    const worker = new Worker(BOOTSTRAP, { eval: true });
    worker.unref();
    worker.on("message", (res: JobResponse) => this.settle(res));
    worker.on("error", (err) => this.fail(err));
    worker.on("exit", (code) => this.fail(new Error(`plan worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private settle(res: JobResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    // Idle: let the process exit even though the warm worker lives on.
    if (this.pending.size === 0) this.worker?.unref();
    if (res.ok) {
      p.resolve(res.recording);
    } else if (res.error.name === "ValidationError") {
      p.reject(
        new ValidationError(
          res.error.field ?? "",
          res.error.message.replace(`${res.error.field ?? ""}: `, ""),
          res.error.issues,
        ),
      );
    } else {
      const err = new Error(res.error.message);
      err.name = res.error.name;
      p.reject(err);
    }
  }

  private fail(err: Error): void {
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  run(job: PlanJob): Promise<Recording> {
    const worker = this.worker ?? this.start();
    // Busy: keep the process alive until the answer arrives.
    worker.ref();
    const id = this.nextId++;
    return new Promise<Recording>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const req: JobRequest = { id, job };
      worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

const shared = new PlanWorker();

/** Record the resources of a program and the stack's outputs in the shared warm worker. */
export function recordStackInWorker(job: PlanJob): Promise<Recording> {
  return shared.run(job);
}

/** Record the resources of a program in the shared warm worker. */
export async function recordInWorker(job: PlanJob): Promise<RecordedResource[]> {
  return (await shared.run(job)).resources;
}

/** Stop the shared worker (tests, benchmarks, shutdown). The next plan starts a new one. */
export function closePlanWorker(): Promise<void> {
  return shared.close();
}
