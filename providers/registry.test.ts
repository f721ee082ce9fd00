import * as assert from "node:assert/strict";
import { CLOUDS, type Cloud } from "../platform/core/types";
import { CLOUD_MODULES, cloudModule, pricingFor, providerFor } from "./registry";
import { COST_MODULES } from "./resource-cost/registry";

describe("the cloud registry", () => {
  it("lists one module per cloud, each of whose parts is that cloud's", () => {
    assert.deepEqual(
      CLOUD_MODULES.map((m) => m.cloud),
      [...CLOUDS],
    );
    for (const cloud of CLOUDS) {
      const m = cloudModule(cloud);
      assert.equal(m.infra.cloud, cloud);
      assert.equal(m.pricing.cloud, cloud);
      assert.equal(m.cost.platform, cloud);
      assert.equal(providerFor(cloud), m.infra);
      assert.equal(pricingFor(cloud), m.pricing);
    }
  });

  it("the resource pricing reads every cloud module's cost readers, plus Kubernetes", () => {
    assert.deepEqual(
      COST_MODULES.map((m) => m.platform),
      [...CLOUDS, "kubernetes"],
    );
  });

  it("an unchecked cloud name fails, naming it and the clouds there are", () => {
    assert.throws(() => cloudModule("oracle" as Cloud), /cloud: "oracle" is not supported; use one of aws, gcp, azure/);
  });
});
