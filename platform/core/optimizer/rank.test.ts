import assert from "node:assert/strict";
import { CLOUDS } from "../types";
import { chooseRanked, type Feasible } from "./rank";
import type { ScopedCandidate } from "./scope";

/** The reference: sort everything, take the top `limit`, everything tied with the last, the best per cloud. */
function reference(f: Feasible, limit: number): number[] {
  const idx = f.cands.map((_, i) => i);
  const cmp = (a: number, b: number) =>
    f.monthly[a]! - f.monthly[b]! ||
    f.hourly[a]! - f.hourly[b]! ||
    (f.cands[a]!.key < f.cands[b]!.key ? -1 : f.cands[a]!.key > f.cands[b]!.key ? 1 : 0);
  const sorted = [...idx].sort(cmp);
  const chosen = new Set(sorted.slice(0, limit));
  const boundary = f.monthly[sorted[Math.min(limit, sorted.length) - 1]!];
  for (const i of idx) if (f.monthly[i] === boundary) chosen.add(i);
  for (const cloud of CLOUDS) {
    const first = sorted.find((i) => f.cands[i]!.cloud === cloud);
    if (first !== undefined) chosen.add(first);
  }
  return [...chosen].sort(cmp);
}

describe("optimizer: ranking", () => {
  it("chooses exactly what a full sort would, with ties and the best per cloud (seeded random lists)", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round += 1) {
      const n = Math.floor(rand() * 120);
      const f: Feasible = { cands: [], monthly: [], hourly: [] };
      for (let i = 0; i < n; i += 1) {
        f.cands.push({ cloud: CLOUDS[Math.floor(rand() * 3)]!, key: `k${Math.floor(rand() * 50)}` } as ScopedCandidate);
        f.monthly.push(Math.floor(rand() * 20) * 10); // coarse: many ties
        f.hourly.push(Math.floor(rand() * 5));
      }
      const limit = 1 + Math.floor(rand() * 12);
      assert.deepEqual(chooseRanked(f, limit), n === 0 ? [] : reference(f, limit), `round ${round}`);
    }
  });
});
