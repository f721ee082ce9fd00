/** Messages between the plan worker and its parent. Plain data only (structured clone). */
import type { Catalog } from "../../core/pricing/types";
import type { Recording, RecordOptions } from "./record";

/** Run `exportName(arg, catalog)` of `modulePath` (it returns a Pulumi program) under recording mocks. */
export interface PlanJob {
  kind?: "record";
  modulePath: string;
  exportName: string;
  arg: unknown;
  record: RecordOptions;
  /** The catalog the program prices with; default: the shipped one. Sent to a worker once, then by id. */
  catalog?: Catalog;
}

/**
 * Call `exportName(arg, catalog)` of `modulePath`, an async function returning plain data, in the
 * worker: work that would otherwise hold the parent's event loop (a whole pre-flight plan: the
 * recording, its checks, pricing and policy). Programs it records run in the worker's own thread.
 */
export interface CallJob {
  kind: "call";
  modulePath: string;
  exportName: string;
  arg: unknown;
  catalog?: Catalog;
}

export type Job = PlanJob | CallJob;

/**
 * A catalog as a message carries it: its id, and its data the first time this worker sees it (a
 * structured clone of the full catalog costs milliseconds of the parent's event loop per plan).
 */
export interface CatalogRef {
  id: number;
  data?: Catalog;
}

/** How many catalogs a worker keeps; parent and worker evict the oldest alike, in message order. */
export const CATALOGS_KEPT = 4;

export interface JobRequest {
  id: number;
  job: Omit<PlanJob, "catalog"> | Omit<CallJob, "catalog">;
  catalog?: CatalogRef;
}

/** A failure, classified so the parent can rethrow ValidationError (bad input) as such. */
export interface JobError {
  name: string;
  message: string;
  field?: string;
  issues?: Array<{ field: string; message: string }>;
  /** An unexpected failure's stack, from a re-run of the job with stack traces on (see worker.ts). */
  stack?: string;
}

export type JobResponse =
  | { id: number; ok: true; recording: Recording }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: JobError };
