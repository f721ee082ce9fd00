/**
 * The quote worker (a thread of the quote pool, ./quote-pool.ts): the catalog and the footprint
 * arrive once as `workerData`; each job is one request with its per-request options.
 */
import { workerData } from "node:worker_threads";
import { quote } from "../../core/optimizer";
import { serveJobs } from "./serve-jobs";
import type { QuoteJob, QuoteWorkerData } from "./quote-pool";

const { catalog, footprint } = workerData as QuoteWorkerData;

serveJobs((job: QuoteJob) =>
  quote(job.request, catalog, {
    ...job.options,
    ...(footprint ? { footprint } : {}),
  }),
);
