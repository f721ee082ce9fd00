/**
 * The worker side of a `WorkerPool` (./pool.ts): answer each job with `handle`'s result or its
 * error, on a thread nicer than the event loop's.
 */
import { parentPort } from "node:worker_threads";
import { ValidationError } from "../../core/validation";
import type { WorkerError, WorkerReply, WorkerRequest } from "./protocol";
import { lowerThisThreadPriority } from "./thread-priority";

function classify(err: unknown): WorkerError {
  if (err instanceof ValidationError)
    return { name: "ValidationError", message: err.message, field: err.field, issues: [...err.issues] };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "Error", message: String(err) };
}

export function serveJobs<P, R>(handle: (payload: P) => R | Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error("serveJobs runs in a worker thread only");
  // Background work: the event loop's thread comes first when the cores are busy (./thread-priority.ts).
  lowerThisThreadPriority();
  port.on("message", (req: WorkerRequest<P>) => {
    void (async () => {
      let reply: WorkerReply<R>;
      try {
        reply = { id: req.id, ok: true, result: await handle(req.payload) };
      } catch (err) {
        reply = { id: req.id, ok: false, error: classify(err) };
      }
      port.postMessage(reply);
    })();
  });
}
