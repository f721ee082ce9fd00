/**
 * The plan worker (a worker thread): receives jobs, runs each program under recording mocks, one
 * at a time (mocks are process-global), and posts back the recorded resources and the stack's outputs. Loaded modules stay
 * loaded, so every plan after the first skips the SDK start-up.
 */
import { parentPort } from "node:worker_threads";
import { ValidationError } from "../../core/validation";
import { isRecord } from "../../core/resources/read";
import { recordProgram } from "./record";
import type { JobError, JobRequest, JobResponse } from "./protocol";

function classify(err: unknown): JobError {
  if (err instanceof ValidationError)
    return { name: "ValidationError", message: err.message, field: err.field, issues: [...err.issues] };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "Error", message: String(err) };
}

type ProgramFactory = (arg: unknown) => () => Promise<unknown> | unknown;

async function runJob(req: JobRequest): Promise<JobResponse> {
  try {
    // require, not import(): the worker runs under tsx's CommonJS hook only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const mod: unknown = require(req.job.modulePath);
    const factory = isRecord(mod) ? mod[req.job.exportName] : undefined;
    if (typeof factory !== "function")
      throw new Error(`${req.job.modulePath} exports no function ${req.job.exportName}`);
    const program = (factory as ProgramFactory)(req.job.arg);
    const recording = await recordProgram(program, req.job.record);
    return { id: req.id, ok: true, recording };
  } catch (err) {
    return { id: req.id, ok: false, error: classify(err) };
  }
}

let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (req: JobRequest) => {
  queue = queue.then(async () => {
    parentPort?.postMessage(await runJob(req));
  });
});
// A program's stray rejection (an `apply` that throws after the stack resolved) must not kill the worker.
process.on("unhandledRejection", () => undefined);
