/**
 * Ranking feasible candidates by monthly cost without pricing or sorting all of them: the scan
 * keeps plain numbers per candidate, and only the chosen ones (the top `limit`, everything tied
 * with the last, and the best per cloud) become placements. Same order as a full sort.
 */
import type { PlacementCloud } from "../types";
import type { ScopedCandidate } from "./scope";

export interface Feasible {
  cands: ScopedCandidate[];
  /** Expected USD/month of each, same index. */
  monthly: number[];
  /** USD/hour (all replicas) of each, same index. */
  hourly: number[];
}

/** The chosen indices into `f`, in rank order (monthly, hourly, key). */
export function chooseRanked(f: Feasible, limit: number): number[] {
  const { cands, monthly, hourly } = f;
  const cmp = (a: number, b: number): number => {
    const ka = cands[a]!.key;
    const kb = cands[b]!.key;
    return monthly[a]! - monthly[b]! || hourly[a]! - hourly[b]! || (ka < kb ? -1 : ka > kb ? 1 : 0);
  };
  const n = cands.length;
  if (n === 0) return [];
  const best = new Map<PlacementCloud, number>();
  let top: number[];
  if (n <= limit * 4) {
    top = Array.from({ length: n }, (_, i) => i).sort(cmp);
    for (const i of top) if (!best.has(cands[i]!.cloud)) best.set(cands[i]!.cloud, i);
  } else {
    top = [];
    let last = Number.POSITIVE_INFINITY; // monthly of the current last of `top` once full
    for (let i = 0; i < n; i += 1) {
      const m = monthly[i]!;
      const cloud = cands[i]!.cloud;
      const b = best.get(cloud);
      if (b === undefined || (monthly[b]! >= m && cmp(i, b) < 0)) best.set(cloud, i);
      if (m > last) continue; // cannot enter the top: the cheap numeric test first
      if (top.length < limit || cmp(i, top[top.length - 1]!) < 0) {
        let j = top.length;
        while (j > 0 && cmp(i, top[j - 1]!) < 0) j -= 1;
        top.splice(j, 0, i);
        if (top.length > limit) top.pop();
        if (top.length === limit) last = monthly[top[limit - 1]!]!;
      }
    }
  }
  const boundary = monthly[top[Math.min(limit, top.length) - 1]!]!;
  const chosen = new Set(top.slice(0, limit));
  for (let i = 0; i < n; i += 1) if (monthly[i] === boundary) chosen.add(i);
  for (const i of best.values()) chosen.add(i);
  return [...chosen].sort(cmp);
}
