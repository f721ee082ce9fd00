/**
 * Group commit for deployment submissions: requests arriving while a transaction is being written
 * are written together in the next one (one transaction, a handful of multi-row statements). Under
 * no load a request is written at once, alone; under load the batch grows and the per-request cost
 * falls. Each request still gets its own answer (created, a stack conflict, an idempotent replay).
 */
import type { Db } from "../store/db";
import { createDeployments, type BatchItem, type BatchOutcome } from "../store/batch";

interface Pending {
  item: BatchItem;
  resolve: (o: BatchOutcome) => void;
  reject: (err: unknown) => void;
}

export class SubmitBatcher {
  private pending: Pending[] = [];
  private draining = false;
  private lastWriteEnded = 0;

  constructor(
    private readonly db: Db,
    private readonly enqueue: (tx: Db, created: BatchItem[]) => Promise<void>,
    private readonly maxBatch = 256,
    /** Under load (a write ended less than 10 ms ago) wait this long to gather more requests. */
    private readonly gatherMs = 2,
  ) {}

  submit(item: BatchItem): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      if (this.gatherMs > 0 && Date.now() - this.lastWriteEnded < 10)
        setTimeout(() => void this.drain(), this.gatherMs);
      else void this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        await this.write(batch);
        this.lastWriteEnded = Date.now();
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.db.transaction((tx) =>
        createDeployments(
          tx,
          batch.map((p) => p.item),
          this.enqueue,
        ),
      );
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (o) p.resolve(o);
        else p.reject(new Error("missing batch outcome"));
      });
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      // Isolate whatever broke the batch: write each request on its own.
      for (const p of batch) await this.write([p]);
    }
  }
}
