import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../platform/validation";
import { azureServerless } from "../providers/azure/serverless";
import { gcpServerless } from "../providers/gcp/serverless";

type Obj = Record<string, unknown>;
interface Registered { type: string; name: string; inputs: Obj }

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise<T>((resolve) => { o.apply((v) => { resolve(v); return v; }); });
}
async function settle(registered: Registered[]): Promise<void> {
  let last = -1;
  while (last !== registered.length) {
    last = registered.length;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("ServerlessEnvironment", () => {
  let registered: Registered[];
  let mod: typeof import("./ServerlessEnvironment");

  before(async () => {
    registered = [];
    await pulumi.runtime.setMocks({
      newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs as Obj });
        const id = `/subscriptions/s/resourceGroups/rg/providers/${a.type}/${a.name}`;
        return { id, state: { ...(a.inputs as Obj), name: `${a.name}1a2b` } };
      },
      call: (a) => a.inputs as Obj,
    }, "modelplane", "test", false);
    mod = await import("./ServerlessEnvironment");
  });
  beforeEach(() => { registered.length = 0; });

  it("plans every GPU the product sells by default and refuses one it does not, naming gpus[i]", () => {
    assert.deepEqual(mod.planServerlessEnvironment("e", { cloud: "azure", region: "eastus" }, azureServerless).skus.map((s) => s.sku),
      ["Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"]);
    assert.throws(() => mod.planServerlessEnvironment("e", { cloud: "azure", region: "eastus", gpus: ["T4", "H100"] }, azureServerless),
      (e: unknown) => e instanceof ValidationError && e.field === "gpus[1]" && /offered: T4, A100-80GB/.test(e.message));
    assert.throws(() => mod.planServerlessEnvironment("e", { cloud: "gcp", region: "" }, gcpServerless), /^ValidationError: region/);
  });

  it("azure: one Container Apps environment with a GPU workload profile per type, tagged", async () => {
    const env = new mod.ServerlessEnvironment("plat-azure", { cloud: "azure", region: "eastus", owner: "platform" });
    const [id, rg] = await Promise.all([valueOf(env.environmentId), valueOf(env.resourceGroupName)]);
    await settle(registered);
    assert.deepEqual(registered.map((r) => r.type).sort(), ["azure-native:app:ManagedEnvironment", "azure-native:resources:ResourceGroup", "modelplane:serverless:ServerlessEnvironment"]);
    const managed = registered.find((r) => r.type === "azure-native:app:ManagedEnvironment");
    assert.deepEqual(managed?.inputs["workloadProfiles"], [
      { name: "Consumption", workloadProfileType: "Consumption" },
      { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
      { name: "gpu-a100", workloadProfileType: "Consumption-GPU-NC24-A100" },
    ]);
    assert.deepEqual(managed?.inputs["tags"], { "managed-by": "modelplane", owner: "platform" });
    assert.match(String(id), /app:ManagedEnvironment\/plat-azure-env$/);
    assert.equal(rg, "plat-azure-rg1a2b");
    assert.deepEqual(env.workloadProfileNames, { "Consumption-GPU-NC8as-T4": "gpu-t4", "Consumption-GPU-NC24-A100": "gpu-a100" });
  });

  it("gcp and aws: nothing to create, environmentId undefined", async () => {
    for (const cloud of ["gcp", "aws"] as const) {
      const env = new mod.ServerlessEnvironment(`plat-${cloud}`, { cloud, region: "r1" });
      assert.equal(await valueOf(env.environmentId), undefined);
      assert.deepEqual(env.workloadProfileNames, {});
    }
    await settle(registered);
    assert.deepEqual(registered.map((r) => r.type), ["modelplane:serverless:ServerlessEnvironment", "modelplane:serverless:ServerlessEnvironment"]);
  });
});
