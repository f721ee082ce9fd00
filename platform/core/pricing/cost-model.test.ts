import assert from "node:assert/strict";
import {
  artifactSizeGiB,
  billedHoursPerMonth,
  monthlyComputeUsd,
  placementCost,
  serverlessHourlyUsd,
  storageMonthlyUsd,
  unitHourlyUsd,
} from "./cost-model";
import { defaultCatalog } from "./catalog";
import { findGpuOffer, findServerlessOffer } from "./lookup";

/** A storage row of the catalog, found by a plain scan (not by the lookup under test). */
function storageRow(cloud: string, tier: string): number {
  return defaultCatalog().storage.find((s) => s.cloud === cloud && s.tier === tier)!.perGbMonthUsd;
}

describe("cost model", () => {
  const catalog = defaultCatalog();
  const g6 = findGpuOffer(catalog, { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge" })!;
  const run = findServerlessOffer(catalog, { cloud: "gcp", region: "us-central1", sku: "nvidia-l4" })!;

  it("unit price per capacity", () => {
    assert.equal(unitHourlyUsd(g6, "on-demand"), g6.onDemandHourlyUsd);
    assert.equal(unitHourlyUsd(g6, "spot"), g6.spotHourlyUsd);
    assert.equal(unitHourlyUsd(g6, "serverless"), null);
    assert.ok(Math.abs(unitHourlyUsd(run, "serverless")! - run.perSecondUsd * 3600) < 1e-12);
    assert.equal(unitHourlyUsd(run, "on-demand"), null);
    assert.equal(serverlessHourlyUsd({ perSecondUsd: 0.001 }), 3.6);
  });

  it("730 hours a month for instances; serverless only for its active hours", () => {
    assert.equal(billedHoursPerMonth("on-demand", 8), 730);
    assert.equal(billedHoursPerMonth("spot", 1), 730);
    assert.equal(billedHoursPerMonth("serverless", 24), 730);
    assert.ok(Math.abs(billedHoursPerMonth("serverless", 6) - 182.5) < 1e-9);
    assert.ok(Math.abs(monthlyComputeUsd(2, "on-demand", 6) - 1460) < 1e-9);
    assert.ok(Math.abs(monthlyComputeUsd(2, "serverless", 6) - 365) < 1e-9);
  });

  it("artifact size and storage: weights in GiB × $/GB-month of the cloud's standard tier", () => {
    assert.ok(Math.abs(artifactSizeGiB({ parametersBillions: 8, precision: "bf16" }) - 16e9 / 2 ** 30) < 1e-9);
    assert.ok(Math.abs(artifactSizeGiB({ parametersBillions: 70, precision: "int4" }) - 35e9 / 2 ** 30) < 1e-9);
    assert.ok(Math.abs(storageMonthlyUsd(catalog, "aws", 100)! - 100 * storageRow("aws", "STANDARD")) < 1e-9);
    assert.ok(
      Math.abs(storageMonthlyUsd(catalog, "gcp", 100, "NEARLINE")! - 100 * storageRow("gcp", "NEARLINE")) < 1e-9,
    );
    assert.equal(storageMonthlyUsd(catalog, "gcp", 100, "GLACIER"), undefined);
  });

  it("placementCost multiplies by replicas per hour and adds storage once per month", () => {
    const c = placementCost({
      unitHourlyUsd: 1.5,
      replicas: 3,
      capacity: "on-demand",
      activeHoursPerDay: 12,
      storageMonthlyUsd: 4,
    });
    assert.ok(Math.abs(c.hourlyUsd - 4.5) < 1e-12);
    assert.ok(Math.abs(c.monthlyUsd - (4.5 * 730 + 4)) < 1e-9);
    const s = placementCost({
      unitHourlyUsd: 1,
      replicas: 2,
      capacity: "serverless",
      activeHoursPerDay: 12,
      storageMonthlyUsd: 4,
    });
    assert.ok(Math.abs(s.monthlyUsd - (2 * 365 + 4)) < 1e-9);
  });
});
