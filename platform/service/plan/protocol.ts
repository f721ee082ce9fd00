/** Messages between the plan worker and its parent. Plain data only (structured clone). */
import type { Recording, RecordOptions } from "./record";

/** Run `exportName(arg)` of `modulePath` (it returns a Pulumi program) under recording mocks. */
export interface PlanJob {
  modulePath: string;
  exportName: string;
  arg: unknown;
  record: RecordOptions;
}

export interface JobRequest {
  id: number;
  job: PlanJob;
}

/** A failure, classified so the parent can rethrow ValidationError (bad input) as such. */
export interface JobError {
  name: string;
  message: string;
  field?: string;
  issues?: Array<{ field: string; message: string }>;
}

export type JobResponse = { id: number; ok: true; recording: Recording } | { id: number; ok: false; error: JobError };
