/**
 * The remembered capacity/quota failures as quotes read them: every `POST /v1/quotes` asks for the
 * exclusions in force, and on the embedded database each read is a query on the event loop (it was
 * the largest single cost of a quote over HTTP). The list changes only when a worker records a
 * failure, so it is read once and kept:
 * - a failure recorded by this process (its `generation` moves) is seen by the next read;
 * - one recorded by another process (a separate worker) is seen within `ttlMs` (default 5 s);
 * - an entry past its `until` is dropped at each read, without a query;
 * - a read for an earlier instant than the kept list's (an injected clock moved back) queries again.
 */
import type { PlacementExclusion } from "../../core/optimizer/exclusions";

export interface ExclusionsCacheOptions {
  /** Read the exclusions in force at `now` (the database). */
  fetch(now: Date): Promise<PlacementExclusion[]>;
  /** A counter that moves when this process records a failure. */
  generation(): number;
  /** How long a read is kept (default 5000 ms). */
  ttlMs?: number;
  /** Monotonic milliseconds, for the TTL (default `performance.now`). */
  monotonicMs?: () => number;
}

/** Default time a failure recorded by another process may take to reach this process's quotes. */
export const EXCLUSIONS_TTL_MS = 5000;

interface Kept {
  readAtMs: number;
  generation: number;
  forMs: number;
  list: PlacementExclusion[];
}

export class ExclusionsCache {
  private kept: Kept | undefined;
  private readonly ttlMs: number;
  private readonly monotonicMs: () => number;

  constructor(private readonly o: ExclusionsCacheOptions) {
    this.ttlMs = o.ttlMs ?? EXCLUSIONS_TTL_MS;
    this.monotonicMs = o.monotonicMs ?? (() => performance.now());
  }

  async at(now: Date): Promise<PlacementExclusion[]> {
    const k = this.kept;
    const t = now.getTime();
    if (
      k !== undefined &&
      k.generation === this.o.generation() &&
      this.monotonicMs() - k.readAtMs < this.ttlMs &&
      t >= k.forMs
    ) {
      return k.list.filter((e) => Date.parse(e.until) > t);
    }
    const generation = this.o.generation();
    const readAtMs = this.monotonicMs();
    const list = await this.o.fetch(now);
    this.kept = { readAtMs, generation, forMs: t, list };
    return list;
  }
}
