/**
 * The typed columns of a small hand-made list, figure by figure: the codes are shared per distinct
 * name, `pack` is set only on an existing pool's multi-GPU node, and `lowest` is the suffix minimum
 * of the price per replica-hour (a shared node's counted per GPU).
 */
import assert from "node:assert/strict";
import { columnsOf } from "./columns";
import type { ScopedCandidate } from "./scope";
import { scopedCandidate } from "./testing";

const cand = scopedCandidate;

/** A new list each call: columns are kept per list object, so each test builds its own. */
const list = (): ScopedCandidate[] => [
  cand({ unit: 4 }),
  cand({ cloud: "gcp", region: "us-central1", gpuCount: 8, pool: "p", cluster: "c", unit: 16, maxNodes: 2 }),
  cand({ region: "us-west-2", gpuType: "L4", gpuMemoryGiB: 24, pool: "q", cluster: "d", unit: 3 }),
  cand({ capacity: "spot", unit: 5, suspect: true }),
  cand({ cloud: "gcp", region: "us-central1", gpuType: "A100", gpuCount: 2, capacity: "serverless", unit: 6 }),
];

describe("optimizer: typed columns (exact)", () => {
  it("code each distinct cloud, region, GPU type and shape once, in order of first sight", () => {
    const cols = columnsOf(list());
    assert.deepEqual(cols.clouds, ["aws", "gcp"]);
    assert.deepEqual([...cols.cloud], [0, 1, 0, 0, 1]);
    assert.deepEqual(cols.regions, ["us-east-1", "us-central1", "us-west-2"]);
    assert.deepEqual([...cols.region], [0, 1, 2, 0, 1]);
    assert.deepEqual(cols.gpus, ["H100", "L4", "A100"]);
    assert.deepEqual([...cols.gpu], [0, 0, 1, 0, 2]);
    assert.deepEqual(cols.shapes, ["H100|1", "H100|8", "L4|1", "A100|2"]);
    assert.deepEqual([...cols.shape], [0, 1, 2, 0, 3]);
    assert.deepEqual([...cols.capacity], [0, 0, 0, 1, 2]);
    assert.deepEqual([...cols.suspect], [0, 0, 0, 1, 0]);
    assert.deepEqual([...cols.maxNodes], [Infinity, 2, Infinity, Infinity, Infinity]);
  });

  it("pack only an existing pool's multi-GPU node (a one-GPU pool and a dedicated 2-GPU offer: 0)", () => {
    assert.deepEqual([...columnsOf(list()).pack], [0, 8, 0, 0, 0]);
  });

  it("bound each candidate by the least price per replica-hour from it on: the 8-GPU pool node at $16 counts $2", () => {
    // Own prices: 4, 16 / 8 = 2, 3, 5, 6; their suffix minima.
    assert.deepEqual([...columnsOf(list()).lowest], [2, 2, 3, 5, 6]);
    assert.deepEqual([...columnsOf([cand({ unit: 7 })]).lowest], [7]);
    assert.deepEqual([...columnsOf([]).lowest], []);
  });
});
