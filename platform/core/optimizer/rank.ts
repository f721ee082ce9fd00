/**
 * Ranking feasible candidates by monthly cost without pricing or sorting all of them: the scan
 * hands each feasible candidate's plain numbers to a `Ranker`, which keeps only those that can
 * still be chosen (the top `limit`, everything tied with the last, and the best per cloud); only
 * the chosen ones become placements. Same order as a full sort.
 */
import type { ScopedCandidate } from "./scope";

export interface Feasible {
  cands: ScopedCandidate[];
  /** Expected USD/month of each, same index. */
  monthly: number[];
  /** USD/hour (all replicas) of each, same index. */
  hourly: number[];
}

/** What the ranking reads of a candidate: its cloud (best per cloud) and its tie-break key. */
type Ranked = Pick<ScopedCandidate, "cloud" | "key">;

/**
 * The chosen of a stream of feasible candidates: with `boundary` the `limit`-th smallest monthly
 * figure of all added, they are every candidate at or below it plus the best (monthly, hourly,
 * key) of each cloud. A candidate above the boundary when added is never chosen later (the
 * boundary only falls), so only the rest are kept. `count` counts every candidate added.
 */
export class Ranker {
  /** Candidates added so far. */
  count = 0;
  private ids: number[] = [];
  private cands: Ranked[] = [];
  private monthly: number[] = [];
  private hourly: number[] = [];
  /** Slot of each cloud's best so far. */
  private readonly best = new Map<string, number>();
  /** The `limit` smallest monthly figures so far, ascending. */
  private readonly lows: number[] = [];
  private boundary = Number.POSITIVE_INFINITY;

  constructor(private readonly limit: number) {}

  /** Add candidate `id` (the caller's index) with its monthly and hourly figures. */
  add(id: number, cand: Ranked, monthly: number, hourly: number): void {
    this.count += 1;
    let slot = -1;
    if (monthly <= this.boundary) {
      slot = this.keep(id, cand, monthly, hourly);
      const lows = this.lows;
      let j = lows.length;
      while (j > 0 && lows[j - 1]! > monthly) j -= 1;
      lows.splice(j, 0, monthly);
      if (lows.length > this.limit) lows.pop();
      if (lows.length === this.limit) this.boundary = lows[this.limit - 1]!;
    }
    const b = this.best.get(cand.cloud);
    if (b === undefined || this.before(monthly, hourly, cand.key, b)) {
      this.best.set(cand.cloud, slot >= 0 ? slot : this.keep(id, cand, monthly, hourly));
    }
  }

  /** The chosen ids, in rank order (monthly, hourly, key). */
  chosen(): number[] {
    const slots = new Set<number>();
    for (let s = 0; s < this.ids.length; s += 1) if (this.monthly[s]! <= this.boundary) slots.add(s);
    for (const s of this.best.values()) slots.add(s);
    return [...slots].sort((a, b) => this.compare(a, b)).map((s) => this.ids[s]!);
  }

  /** True when (monthly, hourly, key) ranks before slot `s`. */
  private before(monthly: number, hourly: number, key: string, s: number): boolean {
    const k = this.cands[s]!.key;
    return (monthly - this.monthly[s]! || hourly - this.hourly[s]! || (key < k ? -1 : key > k ? 1 : 0)) < 0;
  }

  private compare(a: number, b: number): number {
    return this.before(this.monthly[a]!, this.hourly[a]!, this.cands[a]!.key, b)
      ? -1
      : this.before(this.monthly[b]!, this.hourly[b]!, this.cands[b]!.key, a)
        ? 1
        : 0;
  }

  private keep(id: number, cand: Ranked, monthly: number, hourly: number): number {
    // When to prune is memory only: pruning sooner, later or never drops nothing that can still be chosen.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent — memory only
    if (this.ids.length >= 8 * this.limit + 16) this.prune();
    this.ids.push(id);
    this.cands.push(cand);
    this.monthly.push(monthly);
    this.hourly.push(hourly);
    return this.ids.length - 1;
  }

  /** Drop what can no longer be chosen: above the boundary and no cloud's best. */
  // Stryker disable next-line BlockStatement: equivalent — keeping all is the unpruned state (chosen() filters)
  private prune(): void {
    const bestSlots = new Set(this.best.values());
    const moved = new Map<number, number>();
    const ids: number[] = [];
    const cands: Ranked[] = [];
    const monthly: number[] = [];
    const hourly: number[] = [];
    for (let s = 0; s < this.ids.length; s += 1) {
      if (this.monthly[s]! > this.boundary && !bestSlots.has(s)) continue;
      moved.set(s, ids.length);
      ids.push(this.ids[s]!);
      cands.push(this.cands[s]!);
      monthly.push(this.monthly[s]!);
      hourly.push(this.hourly[s]!);
    }
    this.ids = ids;
    this.cands = cands;
    this.monthly = monthly;
    this.hourly = hourly;
    for (const [cloud, s] of this.best) this.best.set(cloud, moved.get(s)!);
  }
}

/** The chosen indices into `f`, in rank order (monthly, hourly, key). */
export function chooseRanked(f: Feasible, limit: number): number[] {
  const r = new Ranker(limit);
  for (let i = 0; i < f.cands.length; i += 1) r.add(i, f.cands[i]!, f.monthly[i]!, f.hourly[i]!);
  return r.chosen();
}
