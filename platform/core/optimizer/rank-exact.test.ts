import assert from "node:assert/strict";
import type { PlacementCloud } from "../types";
import { chooseRanked, type Feasible } from "./rank";
import type { ScopedCandidate } from "./scope";

/** A feasible list from rows of [cloud, key, monthly, hourly]. */
function list(rows: ReadonlyArray<readonly [PlacementCloud, string, number, number]>): Feasible {
  return {
    cands: rows.map(([cloud, key]) => ({ cloud, key }) as ScopedCandidate),
    monthly: rows.map((r) => r[2]),
    hourly: rows.map((r) => r[3]),
  };
}

/**
 * Six candidates: azure "a" and aws "b" tie on month and hour (the key decides), aws "f" ties on the
 * month only, gcp "d" matches gcp "c"'s month at a lower hourly price (so it is gcp's best).
 */
const SIX = list([
  ["aws", "e", 50, 5],
  ["gcp", "c", 30, 3],
  ["aws", "b", 20, 2],
  ["gcp", "d", 30, 1],
  ["azure", "a", 20, 2],
  ["aws", "f", 20, 9],
]);

describe("optimizer: chooseRanked (exact)", () => {
  it("returns nothing for an empty list", () => {
    assert.deepEqual(chooseRanked(list([]), 1), []);
    assert.deepEqual(chooseRanked(list([]), 5), []);
  });

  it("orders by month, then hour, then key; adds everything tied with the last month and each cloud's best", () => {
    // limit 1 scans (6 > 4 × 1); limits 2 and 3 sort. Same answer: the top, the month ties, gcp's best.
    for (const limit of [1, 2, 3]) assert.deepEqual(chooseRanked(SIX, limit), [4, 2, 5, 3], `limit ${limit}`);
    assert.deepEqual(chooseRanked(SIX, 4), [4, 2, 5, 3, 1]);
    assert.deepEqual(chooseRanked(SIX, 6), [4, 2, 5, 3, 1, 0]);
    assert.deepEqual(chooseRanked(SIX, 10), [4, 2, 5, 3, 1, 0]);
  });

  it("keeps exactly `limit` when no month ties the last and one cloud holds the best of all", () => {
    const rows = [90, 80, 70, 60, 50, 40, 30, 20, 10].map((m, i) => ["aws", `k${i}`, m, 1] as const);
    // 9 > 4 × 2: the scan path, meeting the cheapest last (each enters at the front).
    assert.deepEqual(chooseRanked(list(rows), 2), [8, 7]);
    assert.deepEqual(chooseRanked(list([...rows].reverse()), 2), [0, 1]);
    // The sort path (9 ≤ 4 × 3).
    assert.deepEqual(chooseRanked(list(rows), 3), [8, 7, 6]);
    assert.deepEqual(chooseRanked(list(rows), 4), [8, 7, 6, 5]);
  });

  it("on the scan path, a later candidate of equal month and lower hour replaces the top and the cloud's best", () => {
    const rows = [
      ["gcp", "z", 10, 5],
      ["aws", "y", 40, 1],
      ["aws", "x", 50, 1],
      ["aws", "w", 60, 1],
      ["aws", "v", 70, 1],
      ["gcp", "u", 10, 4],
      ["azure", "t", 10, 4],
    ] as const;
    // limit 1: 7 > 4. Top: month 10 ties three ways; hour 4 beats 5; key "t" < "u".
    assert.deepEqual(chooseRanked(list(rows), 1), [6, 5, 0, 1]);
  });

  it("ranks by hour when months tie, and by key when both tie", () => {
    const f = list([
      ["aws", "b", 10, 2],
      ["aws", "a", 10, 2],
      ["aws", "c", 10, 1],
    ]);
    assert.deepEqual(chooseRanked(f, 1), [2, 1, 0]);
    assert.deepEqual(chooseRanked(f, 3), [2, 1, 0]);
  });

  it("orders equal months and hours by key on both paths, whatever order the list comes in (30 candidates)", () => {
    const keys = Array.from({ length: 30 }, (_, i) => `k${String((i * 7) % 30).padStart(2, "0")}`);
    const f = list(keys.map((k) => ["aws", k, 10, 1] as const));
    const byKey = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
    // Every candidate ties the last month, so all are chosen: 30 ≤ 4 × 8 sorts, 30 > 4 × 7 scans.
    assert.deepEqual(chooseRanked(f, 8), byKey);
    assert.deepEqual(chooseRanked(f, 7), byKey);
    const asc = list([...byKey].map((i) => ["aws", keys[i]!, 10, 1] as const));
    assert.deepEqual(
      chooseRanked(asc, 8),
      byKey.map((_, i) => i),
    );
    assert.deepEqual(
      chooseRanked(asc, 7),
      byKey.map((_, i) => i),
    );
  });

  it("of two identical candidates (same month, hour and key) the first is its cloud's best", () => {
    const rows = [
      ["aws", "a", 10, 1],
      ["aws", "b", 20, 1],
      ["aws", "c", 30, 1],
      ["aws", "d", 40, 1],
      ["gcp", "g", 50, 1],
      ["gcp", "g", 50, 1],
    ] as const;
    // limit 1: 6 > 4 scans.
    assert.deepEqual(chooseRanked(list(rows), 1), [0, 4]);
  });

  it("keeps two identical candidates in list order (the sort is stable), on both paths", () => {
    const twin = ["aws", "x", 10, 1] as const;
    assert.deepEqual(chooseRanked(list([twin, twin]), 1), [0, 1]);
    assert.deepEqual(
      chooseRanked(list([twin, twin, ["aws", "y", 20, 1], ["aws", "z", 30, 1], ["gcp", "w", 40, 1]]), 1),
      [0, 1, 4],
    );
  });

  it("drops what can no longer be chosen once 8 × limit + 16 are kept, and still keeps the month ties and each cloud's best", () => {
    // limit 1: the ranker prunes when it would keep a 25th. Months fall, so rows 0..24 are all kept;
    // at row 24 the boundary is 100: aws a01..a21 (1000..800) go, gcp "g" (2000, its cloud's best)
    // and aws "t2" (100, tied with the last month, not aws's best) stay.
    const rows: Array<readonly [PlacementCloud, string, number, number]> = [["gcp", "g", 2000, 1]];
    for (let i = 1; i <= 21; i += 1) rows.push(["aws", `a${String(i).padStart(2, "0")}`, 1010 - 10 * i, 1]);
    rows.push(["aws", "t1", 100, 1], ["aws", "t2", 100, 2], ["azure", "z", 100, 3], ["aws", "s", 100, 2]);
    rows.push(["gcp", "h", 3000, 1]);
    // Month 100: t1 (hour 1), s and t2 (hour 2, by key), z (hour 3); then gcp's best.
    assert.deepEqual(chooseRanked(list(rows), 1), [22, 25, 23, 24, 0]);
  });
});
