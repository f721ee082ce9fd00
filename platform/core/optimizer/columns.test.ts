/**
 * The scan's typed columns and compiled filters (columns.ts), the compiled policy (PolicyCheck)
 * and the streaming ranker give, candidate by candidate, the same answers as the plain functions
 * they stand in for: matchesConstraints + the precision gate, deniedBy, and a full sort.
 */
import assert from "node:assert/strict";
import { candidatesOf } from "./candidates";
import { columnsOf, filterOf, passes } from "./columns";
import { matchesConstraints } from "./explain";
import { deniedBy, PolicyCheck, type PlacementPolicy } from "./policy";
import { PrecisionGate } from "./precision";
import { Ranker } from "./rank";
import { scopeOf, type ScopedCandidate } from "./scope";
import { devFootprint, broughtFootprint } from "./test-fixtures";
import { shipped } from "./testing";
import type { QuoteRequest } from "./schema";
import { CLOUDS, GPU_TYPES, PRECISIONS } from "../types";

type Constraints = QuoteRequest["constraints"];

const lists: Array<[string, readonly ScopedCandidate[]]> = [
  ["catalog", candidatesOf(shipped)],
  ["dev footprint", scopeOf(devFootprint(), shipped).candidates],
  ["brought footprint", scopeOf(broughtFootprint(), shipped).candidates],
];

describe("optimizer: typed columns", () => {
  it("hold each candidate's figures and codes, same index", () => {
    for (const [name, list] of lists) {
      const cols = columnsOf(list);
      list.forEach((c, i) => {
        assert.equal(cols.unit[i], c.unit, `${name} ${i} unit`);
        assert.equal(cols.holds[i], c.holdsGiB, `${name} ${i} holds`);
        assert.equal(cols.maxNodes[i], c.maxNodes, `${name} ${i} maxNodes`);
        assert.equal(cols.clouds[cols.cloud[i]!], c.cloud);
        assert.equal(cols.regions[cols.region[i]!], c.region);
        assert.equal(cols.gpus[cols.gpu[i]!], c.gpuType);
        assert.equal(cols.shapes[cols.shape[i]!], `${c.gpuType}|${c.gpuCount}`);
        assert.equal(cols.capacity[i], ["on-demand", "spot", "serverless"].indexOf(c.capacity));
        assert.equal(cols.suspect[i], c.suspect === true ? 1 : 0);
        assert.equal(cols.brought[i], c.brought === true ? 1 : 0);
      });
    }
  });

  it("are built once per list object", () => {
    const list = candidatesOf(shipped);
    assert.equal(columnsOf(list), columnsOf(list));
    assert.notEqual(columnsOf([...list]), columnsOf(list));
  });

  it("a compiled filter passes exactly what matchesConstraints and the precision gate pass (seeded constraints)", () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const some = <T>(xs: readonly T[]): T[] => xs.filter(() => rand() < 0.3);
    const regions = [...new Set(candidatesOf(shipped).map((c) => c.region))];
    let passed = 0;
    for (let round = 0; round < 60; round += 1) {
      const c: Constraints = { capacity: (["any", "on-demand", "spot"] as const)[Math.floor(rand() * 3)]! };
      if (rand() < 0.5) c.clouds = some(CLOUDS);
      if (rand() < 0.5) c.regions = some(regions);
      if (rand() < 0.5) c.gpuTypes = some(GPU_TYPES);
      if (rand() < 0.3) c.allowSuspect = rand() < 0.5;
      const gate = rand() < 0.5 ? new PrecisionGate(PRECISIONS[Math.floor(rand() * PRECISIONS.length)]!) : undefined;
      for (const [name, list] of lists) {
        const cols = columnsOf(list);
        const f = filterOf(cols, c, gate);
        list.forEach((cand, i) => {
          const want = matchesConstraints(cand, c) && (!gate || gate.refusal(cand.gpuType) === undefined);
          assert.equal(passes(cols, f, i), want, `${name} round ${round} candidate ${cand.key}`);
          if (want) passed += 1;
        });
      }
    }
    assert.ok(passed > 1000, "the rounds pass some candidates, not none");
  });
});

describe("optimizer: compiled policy", () => {
  it("denies by the same first rule as deniedBy, at the same figures", () => {
    const policies: PlacementPolicy[] = [
      { environment: "dev", source: "t", spotRequired: true, maxHourlyUsd: 15, monthlyBudgetUsd: 2000 },
      {
        environment: "dev",
        source: "t",
        allowedGpuTypes: ["T4", "L4", "A100"],
        allowedRegions: ["US-EAST-1", "us-central1", "eastus"],
        spotRequired: false,
        maxHourlyUsd: 3,
      },
      { environment: "p", source: "t", allowedRegions: [], spotRequired: false, monthlyBudgetUsd: 500 },
      { environment: "p", source: "t", allowedRegions: ["us-east-1"], spotRequired: true },
    ];
    const seen = new Set<string>();
    for (const policy of policies) {
      for (const [name, list] of lists) {
        const check = new PolicyCheck(policy, columnsOf(list));
        list.forEach((c, i) => {
          for (const [hourly, atMax] of [
            [c.unit, c.unit * 730],
            [c.unit * 3, c.unit * 3 * 730 + 40],
            [15, 2000],
            [15 + 1e-10, 2000 + 1e-10],
          ] as const) {
            const want = deniedBy(
              {
                region: c.region,
                gpuType: c.gpuType,
                capacity: c.capacity,
                hourlyUsd: hourly,
                atMaxMonthlyUsd: atMax,
                ...(c.brought ? { brought: true } : {}),
              },
              policy,
            );
            assert.equal(check.denied(i, hourly, atMax), want, `${name} ${c.key} at ${hourly}/${atMax}`);
            seen.add(String(want));
          }
        });
      }
    }
    assert.deepEqual([...seen].sort(), [
      "allowed-gpu-types",
      "allowed-regions",
      "max-hourly-cost-per-resource",
      "spot-required-outside-production",
      "stack-monthly-budget",
      "undefined",
    ]);
  });
});

describe("optimizer: streaming ranker", () => {
  it("counts every candidate added and keeps only what can be chosen, through many prunes", () => {
    const r = new Ranker(2);
    const cands: Array<Pick<ScopedCandidate, "cloud" | "key">> = [];
    // Falling prices, so every one enters the top and the kept list is pruned again and again.
    for (let i = 0; i < 500; i += 1) {
      const cand = { cloud: CLOUDS[i % 3]!, key: `k${String(i).padStart(3, "0")}` };
      cands.push(cand);
      r.add(i, cand, 1000 - i, 1);
    }
    assert.equal(r.count, 500);
    // The two cheapest (499, 498) and each cloud's best (499, 498, 497 on three clouds): the last three added.
    assert.deepEqual(r.chosen(), [499, 498, 497]);
  });

  it("keeps a cloud's best even when it is far above the boundary", () => {
    const r = new Ranker(1);
    r.add(7, { cloud: "azure", key: "a" }, 900, 1);
    for (let i = 0; i < 100; i += 1) r.add(i, { cloud: "aws", key: `b${i}` }, 10 + (i % 5), 1);
    // Every aws candidate at 10 ties with the boundary (in key order: "b0" < "b10" < ... < "b45" < "b5"), then azure's best.
    assert.deepEqual(r.chosen(), [0, 10, 15, 20, 25, 30, 35, 40, 45, 5, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 7]);
    assert.equal(r.count, 101);
  });
});
