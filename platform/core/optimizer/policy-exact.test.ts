import assert from "node:assert/strict";
import { deniedBy, describeRule, ShapingCounter, type PlacementPolicy, type PolicySubject } from "./policy";

const policy = (p: Partial<PlacementPolicy> = {}): PlacementPolicy => ({
  environment: "dev",
  source: "policy.json",
  spotRequired: false,
  ...p,
});
const subject = (s: Partial<PolicySubject> = {}): PolicySubject => ({
  region: "us-east-1",
  gpuType: "L4",
  capacity: "spot",
  hourlyUsd: 1,
  atMaxMonthlyUsd: 730,
  ...s,
});

describe("optimizer: deniedBy (exact)", () => {
  it("denies nothing without a policy, or under a policy that sets no limit", () => {
    const worst = subject({ capacity: "on-demand", hourlyUsd: 1e9, atMaxMonthlyUsd: 1e12 });
    assert.equal(deniedBy(worst, undefined), undefined);
    assert.equal(deniedBy(worst, policy()), undefined);
  });

  it("allowed-gpu-types: denies a type not listed, passes a listed one", () => {
    const p = policy({ allowedGpuTypes: ["L4", "T4"] });
    assert.equal(deniedBy(subject({ gpuType: "T4" }), p), undefined);
    assert.equal(deniedBy(subject({ gpuType: "H100" }), p), "allowed-gpu-types");
  });

  it("allowed-regions: case-insensitive on both sides; an empty list allows any; a brought cluster is exempt", () => {
    const p = policy({ allowedRegions: ["US-EAST-1", "eastus"] });
    assert.equal(deniedBy(subject({ region: "us-east-1" }), p), undefined);
    assert.equal(deniedBy(subject({ region: "EastUS" }), p), undefined);
    assert.equal(deniedBy(subject({ region: "eu-west-1" }), p), "allowed-regions");
    assert.equal(deniedBy(subject({ region: "eu-west-1", brought: true }), p), undefined);
    assert.equal(deniedBy(subject({ region: "eu-west-1", brought: false }), p), "allowed-regions");
    assert.equal(deniedBy(subject({ region: "eu-west-1" }), policy({ allowedRegions: [] })), undefined);
  });

  it("spot-required-outside-production: denies on-demand only (spot and serverless pass)", () => {
    const p = policy({ spotRequired: true });
    assert.equal(deniedBy(subject({ capacity: "on-demand" }), p), "spot-required-outside-production");
    assert.equal(deniedBy(subject({ capacity: "spot" }), p), undefined);
    assert.equal(deniedBy(subject({ capacity: "serverless" }), p), undefined);
    assert.equal(deniedBy(subject({ capacity: "on-demand" }), policy({ spotRequired: false })), undefined);
  });

  it("max-hourly-cost-per-resource: the limit itself passes (within 1e-9), above it is denied", () => {
    const p = policy({ maxHourlyUsd: 2 });
    assert.equal(deniedBy(subject({ hourlyUsd: 2 }), p), undefined);
    assert.equal(deniedBy(subject({ hourlyUsd: 2 + 5e-10 }), p), undefined);
    assert.equal(deniedBy(subject({ hourlyUsd: 2 + 1e-9 }), p), undefined, "the tolerance itself passes");
    assert.equal(deniedBy(subject({ hourlyUsd: 2 + 2e-9 }), p), "max-hourly-cost-per-resource");
    assert.equal(deniedBy(subject({ hourlyUsd: 1.5 }), p), undefined);
    assert.equal(deniedBy(subject({ hourlyUsd: 0.001 }), policy({ maxHourlyUsd: 0 })), "max-hourly-cost-per-resource");
  });

  it("stack-monthly-budget: the budget itself passes (within 1e-9), above it is denied", () => {
    const p = policy({ monthlyBudgetUsd: 500 });
    assert.equal(deniedBy(subject({ atMaxMonthlyUsd: 500 }), p), undefined);
    assert.equal(deniedBy(subject({ atMaxMonthlyUsd: 500 + 5e-10 }), p), undefined);
    assert.equal(deniedBy(subject({ atMaxMonthlyUsd: 500 + 1e-9 }), p), undefined, "the tolerance itself passes");
    assert.equal(deniedBy(subject({ atMaxMonthlyUsd: 500.01 }), p), "stack-monthly-budget");
    assert.equal(deniedBy(subject({ atMaxMonthlyUsd: 0.01 }), policy({ monthlyBudgetUsd: 0 })), "stack-monthly-budget");
  });

  it("names the first rule in the pack's order when several deny", () => {
    const all = policy({
      allowedGpuTypes: ["T4"],
      allowedRegions: ["eastus"],
      spotRequired: true,
      maxHourlyUsd: 1,
      monthlyBudgetUsd: 100,
    });
    const bad = {
      gpuType: "H100",
      region: "eu-west-1",
      capacity: "on-demand" as const,
      hourlyUsd: 5,
      atMaxMonthlyUsd: 900,
    };
    assert.equal(deniedBy(subject(bad), all), "allowed-gpu-types");
    assert.equal(deniedBy(subject({ ...bad, gpuType: "T4" }), all), "allowed-regions");
    assert.equal(
      deniedBy(subject({ ...bad, gpuType: "T4", region: "eastus" }), all),
      "spot-required-outside-production",
    );
    assert.equal(
      deniedBy(subject({ ...bad, gpuType: "T4", region: "eastus", capacity: "spot" }), all),
      "max-hourly-cost-per-resource",
    );
    assert.equal(
      deniedBy(subject({ ...bad, gpuType: "T4", region: "eastus", capacity: "spot", hourlyUsd: 1 }), all),
      "stack-monthly-budget",
    );
  });
});

describe("optimizer: describeRule and ShapingCounter (exact)", () => {
  it("says each rule's limit in words", () => {
    const p = policy({
      environment: "staging",
      allowedGpuTypes: ["L4", "T4"],
      allowedRegions: ["us-east-1", "eastus"],
      maxHourlyUsd: 2.5,
      monthlyBudgetUsd: 900,
    });
    assert.equal(describeRule("allowed-gpu-types", p), "GPU types allowed in staging: L4, T4");
    assert.equal(describeRule("allowed-regions", p), "regions allowed in staging: us-east-1, eastus");
    assert.equal(describeRule("spot-required-outside-production", p), "GPU pools in staging must be spot");
    assert.equal(describeRule("max-hourly-cost-per-resource", p), "at most $2.5/h per resource in staging");
    assert.equal(describeRule("stack-monthly-budget", p), "at most $900/month at max in staging");
  });

  it("says an unset limit as empty or $0", () => {
    const p = policy();
    assert.equal(describeRule("allowed-gpu-types", p), "GPU types allowed in dev: ");
    assert.equal(describeRule("allowed-regions", p), "regions allowed in dev: ");
    assert.equal(describeRule("max-hourly-cost-per-resource", p), "at most $0/h per resource in dev");
    assert.equal(describeRule("stack-monthly-budget", p), "at most $0/month at max in dev");
  });

  it("counts exclusions per rule and reports them in the pack's rule order, only those that excluded any", () => {
    const c = new ShapingCounter();
    const p = policy({ environment: "prod", source: "p.json", maxHourlyUsd: 3, allowedGpuTypes: ["L4"] });
    assert.deepEqual(c.report(p), { environment: "prod", source: "p.json", shapedBy: [] });
    c.add("max-hourly-cost-per-resource");
    c.add("allowed-gpu-types");
    c.add("max-hourly-cost-per-resource");
    c.add("max-hourly-cost-per-resource");
    assert.deepEqual(c.report(p), {
      environment: "prod",
      source: "p.json",
      shapedBy: [
        { policy: "allowed-gpu-types", excluded: 1, rule: "GPU types allowed in prod: L4" },
        { policy: "max-hourly-cost-per-resource", excluded: 3, rule: "at most $3/h per resource in prod" },
      ],
    });
  });
});
