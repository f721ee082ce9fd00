import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../platform/core/validation";
import { placementPolicyFrom, PlacementPolicies } from "./placement-policy";

describe("placement policy from the pack config", () => {
  const example: unknown = JSON.parse(readFileSync(join(__dirname, "..", "config.example.json"), "utf8"));

  it("reads the shipped config per environment, with the pack's parser", () => {
    const dev = placementPolicyFrom(example, "dev", "config.example.json");
    assert.deepEqual(dev, {
      environment: "dev",
      source: "config.example.json",
      spotRequired: true,
      allowedGpuTypes: ["T4", "L4", "A10G", "A10", "L40S", "A100", "A100-80GB"],
      allowedRegions: ["us-east-1", "us-west-2", "us-central1", "us-east4", "eastus", "westus2"],
      maxHourlyUsd: 15,
      monthlyBudgetUsd: 2000,
    });
    const prod = placementPolicyFrom(example, "production", "x");
    assert.equal(prod.spotRequired, false);
    assert.ok(prod.allowedGpuTypes!.includes("H100"));
    assert.deepEqual(prod.allowedRegions, ["us-east-1", "us-central1", "eastus"]);
    assert.equal(prod.maxHourlyUsd, 100);
    assert.equal(prod.monthlyBudgetUsd, 50000);
  });

  it("drops advisory and disabled rules (they never deny) and applies the defaults of an absent config", () => {
    const p = placementPolicyFrom(
      { "allowed-gpu-types": { enforcementLevel: "advisory" }, "spot-required-outside-production": "disabled" },
      "dev",
      "x",
    );
    assert.equal(p.allowedGpuTypes, undefined);
    assert.equal(p.spotRequired, false);
    assert.equal(p.maxHourlyUsd, 15, "the rule's default limit");
    assert.equal(p.allowedRegions, undefined, "allowed-regions has no default list: unrestricted");
  });

  it("rejects a bad config at load time, naming the key", () => {
    assert.throws(
      () => new PlacementPolicies({ "max-hourly-cost-per-resource": { maxHourlyUsd: { dev: -1 } } }, "x"),
      (e: unknown) => e instanceof ValidationError && /max-hourly-cost-per-resource\.maxHourlyUsd/.test(e.field),
    );
    assert.throws(
      () => new PlacementPolicies({ "no-such-policy": {} }, "x"),
      (e: unknown) => e instanceof ValidationError && e.field === "no-such-policy",
    );
  });
});
