import assert from "node:assert/strict";
import { defaultCatalog } from "../pricing/catalog";
import { parseQuoteRequest, quote, type PlacementPolicy } from "./index";
import { devFootprint } from "./test-fixtures";

describe("optimizer: policy-aware placement", () => {
  const catalog = defaultCatalog();
  const now = new Date("2026-11-23T00:00:00Z");
  const req = (extra: Record<string, unknown> = {}) =>
    parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      ...extra,
    });
  const dev = (p: Partial<PlacementPolicy>): PlacementPolicy => ({
    environment: "dev",
    source: "policy.json",
    spotRequired: false,
    ...p,
  });

  it("leaves out each rule's denials and says which policies shaped the quote", () => {
    const free = quote(req(), catalog, { now, limit: 100_000 });
    const cases: Array<[PlacementPolicy, (p: (typeof free.placements)[number]) => boolean]> = [
      [dev({ allowedGpuTypes: ["A10G", "T4"] }), (p) => ["A10G", "T4"].includes(p.gpuType)],
      [dev({ allowedRegions: ["us-east-1", "eastus"] }), (p) => ["us-east-1", "eastus"].includes(p.region)],
      [dev({ spotRequired: true }), (p) => p.capacity !== "on-demand"],
      [dev({ maxHourlyUsd: 0.5 }), (p) => p.hourlyUsd <= 0.5],
      [dev({ monthlyBudgetUsd: 300 }), (p) => p.atMaxMonthlyUsd <= 300],
    ];
    for (const [policy, allowed] of cases) {
      const r = quote(req(), catalog, { now, limit: 100_000, policy });
      const expected = free.placements.filter(allowed);
      assert.ok(expected.length > 0 && expected.length < free.placements.length, JSON.stringify(policy));
      assert.deepEqual(
        r.placements.map((p) => `${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`),
        expected.map((p) => `${p.cloud}|${p.region}|${p.instanceType}|${p.capacity}`),
      );
      const shaped = r.policy!.shapedBy;
      assert.equal(shaped.length, 1, JSON.stringify(shaped));
      assert.equal(shaped[0]!.excluded, free.placements.length - expected.length);
      assert.equal(r.policy!.environment, "dev");
      assert.equal(r.policy!.source, "policy.json");
    }
  });

  it("checks the budget at max: a serverless endpoint cheap at 2 active hours is denied if it could run 24 h over budget", () => {
    const fp = devFootprint();
    const r2h = req({ activeHoursPerDay: 2, constraints: { clouds: ["gcp"] } });
    const free = quote(r2h, catalog, { now, footprint: fp });
    const run = free.placements[0]!;
    assert.equal(run.capacity, "serverless");
    const budget = (run.monthlyUsd + run.atMaxMonthlyUsd) / 2;
    const r = quote(r2h, catalog, { now, footprint: fp, policy: dev({ monthlyBudgetUsd: budget }) });
    assert.ok(!r.placements.some((p) => p.capacity === "serverless"));
    assert.deepEqual(
      r.policy!.shapedBy.map((s) => s.policy),
      ["stack-monthly-budget"],
    );
  });

  it("names the policy in the explanation when it leaves nothing", () => {
    const r = quote(req({ constraints: { capacity: "on-demand" } }), catalog, {
      now,
      policy: dev({ spotRequired: true }),
    });
    assert.equal(r.placements.length, 0);
    assert.match(r.infeasible!.message, /the dev policy left out \d+ by spot-required-outside-production/);
  });
});
