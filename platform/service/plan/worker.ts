/**
 * The plan worker (a worker thread): receives jobs, runs each program under recording mocks, one
 * at a time (mocks are process-global), and posts back the recorded resources and the stack's outputs. Loaded modules stay
 * loaded, so every plan after the first skips the SDK start-up. A `call` job runs a whole function
 * here (a pre-flight plan); the programs it records run in this thread (`runJobsHere`).
 */
import { parentPort } from "node:worker_threads";
import type { Catalog } from "../../core/pricing/types";
import { ValidationError } from "../../core/validation";
import { isRecord } from "../../core/resources/read";
import { recordProgram } from "./record";
import { runJobsHere } from "./runner";
import { CATALOGS_KEPT, type CatalogRef, type Job, type JobError, type JobRequest, type JobResponse } from "./protocol";

function classify(err: unknown): JobError {
  if (err instanceof ValidationError)
    return { name: "ValidationError", message: err.message, field: err.field, issues: [...err.issues] };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "Error", message: String(err) };
}

type ProgramFactory = (arg: unknown, catalog?: Catalog) => () => Promise<unknown> | unknown;
type CallFunction = (arg: unknown, catalog?: Catalog) => Promise<unknown>;

function exported(modulePath: string, exportName: string): (...args: unknown[]) => unknown {
  // require, not import(): the worker runs under tsx's CommonJS hook only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const mod: unknown = require(modulePath);
  const fn = isRecord(mod) ? mod[exportName] : undefined;
  if (typeof fn !== "function") throw new Error(`${modulePath} exports no function ${exportName}`);
  return fn as (...args: unknown[]) => unknown;
}

/**
 * The thread captures no stack frames (runner.ts), so an unexpected failure (a bug, not bad input)
 * would reach the caller without a stack. Run the job once more with frames and source maps on:
 * plans are deterministic, so it fails the same way, and that stack goes back with the error. The
 * cost is paid only on such a failure; the thread's settings are restored after.
 */
async function withStack(error: JobError, rerun: () => Promise<JobResponse>): Promise<JobError> {
  const limit = Error.stackTraceLimit;
  const maps = process.sourceMapsEnabled;
  Error.stackTraceLimit = 30;
  process.setSourceMapsEnabled(true);
  try {
    const again = await rerun();
    if (!again.ok && again.error.message === error.message && again.error.stack) {
      return { ...error, stack: again.error.stack };
    }
    return error;
  } finally {
    Error.stackTraceLimit = limit;
    process.setSourceMapsEnabled(maps);
  }
}

async function execute(id: number, job: Job, traced = false): Promise<JobResponse> {
  try {
    const fn = exported(job.modulePath, job.exportName);
    if (job.kind === "call") {
      const value = await (fn as CallFunction)(job.arg, job.catalog);
      return { id, ok: true, value };
    }
    const program = (fn as ProgramFactory)(job.arg, job.catalog);
    const recording = await recordProgram(program, job.record);
    return { id, ok: true, recording };
  } catch (err) {
    const error = classify(err);
    if (traced)
      return { id, ok: false, error: { ...error, ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) } };
    if (err instanceof ValidationError) return { id, ok: false, error };
    return { id, ok: false, error: await withStack(error, () => execute(id, job, true)) };
  }
}

/** Catalogs received, oldest first; evicted exactly as the parent's list (see protocol.ts). */
const catalogs = new Map<number, Catalog>();
function resolveCatalog(ref: CatalogRef | undefined): Catalog | undefined {
  if (!ref) return undefined;
  if (ref.data) {
    catalogs.set(ref.id, ref.data);
    if (catalogs.size > CATALOGS_KEPT) catalogs.delete(catalogs.keys().next().value as number);
    return ref.data;
  }
  const known = catalogs.get(ref.id);
  if (!known) throw new Error(`plan worker: catalog ${ref.id} was never sent`);
  return known;
}

// Jobs of this thread (the recordings of a `call` job) run in place, inside the job that asked.
runJobsHere((job) => execute(0, job));

let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (req: JobRequest) => {
  queue = queue.then(async () => {
    let catalog: Catalog | undefined;
    try {
      catalog = resolveCatalog(req.catalog);
    } catch (err) {
      parentPort?.postMessage({ id: req.id, ok: false, error: classify(err) } satisfies JobResponse);
      return;
    }
    parentPort?.postMessage(await execute(req.id, { ...req.job, ...(catalog ? { catalog } : {}) } as Job));
  });
});
// A program's stray rejection (an `apply` that throws after the stack resolved) must not kill the worker.
process.on("unhandledRejection", () => undefined);
