/** Messages between a `WorkerPool` (./pool.ts) and its worker threads (./serve-jobs.ts). */

export interface WorkerRequest<P = unknown> {
  id: number;
  payload: P;
}

export interface WorkerError {
  name: string;
  message: string;
  field?: string;
  issues?: Array<{ field: string; message: string }>;
}

export type WorkerReply<R = unknown> =
  { id: number; ok: true; result: R } | { id: number; ok: false; error: WorkerError };
