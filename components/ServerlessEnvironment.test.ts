import * as assert from "node:assert/strict";
import { ValidationError } from "../platform/core/validation";
import { azureServerless } from "../providers/azure/serverless";
import { gcpServerless } from "../providers/gcp/serverless";
import { installMocks, settle, valueOf, type Registered } from "./testing/pulumiMocks";

describe("ServerlessEnvironment", () => {
  let registered: Registered[];
  let mod: typeof import("./ServerlessEnvironment");

  before(async () => {
    registered = await installMocks({
      state: (type, name) => ({
        id: `/subscriptions/s/resourceGroups/rg/providers/${type}/${name}`,
        name: `${name}1a2b`,
      }),
    });
    mod = await import("./ServerlessEnvironment");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  it("plans every GPU the product sells by default and refuses one it does not, naming gpus[i]", () => {
    assert.deepEqual(
      mod.planServerlessEnvironment("e", { cloud: "azure", region: "westus3" }, azureServerless).skus.map((s) => s.sku),
      ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"],
    );
    assert.throws(
      () =>
        mod.planServerlessEnvironment(
          "e",
          { cloud: "azure", region: "westus3", gpus: ["T4", "H100"] },
          azureServerless,
        ),
      (e: unknown) => e instanceof ValidationError && e.field === "gpus[1]" && /offered: T4, A100-80GB/.test(e.message),
    );
    assert.throws(
      () => mod.planServerlessEnvironment("e", { cloud: "gcp", region: "" }, gcpServerless),
      /^ValidationError: region/,
    );
  });

  it("azure: one Container Apps environment with a GPU workload profile per type, tagged", async () => {
    const env = new mod.ServerlessEnvironment("plat-azure", { cloud: "azure", region: "westus3", owner: "platform" });
    const [id, rg] = await Promise.all([valueOf(env.environmentId), valueOf(env.resourceGroupName)]);
    await settle(registered);
    assert.deepEqual(registered.map((r) => r.type).sort(), [
      "azure-native:app:ManagedEnvironment",
      "azure-native:resources:ResourceGroup",
      "modelplane:serverless:ServerlessEnvironment",
    ]);
    const managed = registered.find((r) => r.type === "azure-native:app:ManagedEnvironment");
    assert.deepEqual(managed?.inputs["workloadProfiles"], [
      { name: "Consumption", workloadProfileType: "Consumption" },
      { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
      { name: "gpu-a100", workloadProfileType: "Consumption-GPU-NC24-A100" },
    ]);
    assert.deepEqual(managed?.inputs["tags"], { "managed-by": "modelplane", owner: "platform" });
    assert.match(String(id), /app:ManagedEnvironment\/plat-azure-env$/);
    assert.equal(rg, "plat-azure-rg1a2b");
    assert.deepEqual(env.workloadProfileNames, {
      "Consumption-GPU-NC8as-T4": "gpu-t4",
      "Consumption-GPU-NC24-A100": "gpu-a100",
    });
  });

  it("azure in a region without serverless GPUs (eastus): off by default; an explicit GPU names the regions (#3)", async () => {
    assert.deepEqual(
      mod.planServerlessEnvironment("e", { cloud: "azure", region: "eastus" }, azureServerless).skus,
      [],
    );
    // westeurope sells the T4 only.
    assert.deepEqual(
      mod
        .planServerlessEnvironment("e", { cloud: "azure", region: "westeurope" }, azureServerless)
        .skus.map((s) => s.sku),
      ["Consumption-GPU-NC8as-T4"],
    );
    assert.throws(
      () => mod.planServerlessEnvironment("e", { cloud: "azure", region: "eastus", gpus: ["T4"] }, azureServerless),
      (e: unknown) => e instanceof ValidationError && e.field === "gpus[0]" && /westus3/.test(e.message),
    );
    const env = new mod.ServerlessEnvironment("east", { cloud: "azure", region: "eastus" });
    assert.equal(await valueOf(env.environmentId), undefined);
    await settle(registered);
    assert.deepEqual(
      registered.map((r) => r.type),
      ["modelplane:serverless:ServerlessEnvironment"],
      "no Consumption-GPU profile in a region Microsoft does not list",
    );
  });

  it("gcp and aws: nothing to create, environmentId undefined", async () => {
    for (const cloud of ["gcp", "aws"] as const) {
      const env = new mod.ServerlessEnvironment(`plat-${cloud}`, { cloud, region: "r1" });
      assert.equal(await valueOf(env.environmentId), undefined);
      assert.deepEqual(env.workloadProfileNames, {});
    }
    await settle(registered);
    assert.deepEqual(
      registered.map((r) => r.type),
      ["modelplane:serverless:ServerlessEnvironment", "modelplane:serverless:ServerlessEnvironment"],
    );
  });
});
