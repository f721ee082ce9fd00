import { strict as assert } from "node:assert";
import type { ModelRouteArgs } from "./ModelRoute";
import { arr, installMocks, obj, settle, valueOf, type Registered } from "./testing/pulumiMocks";
import { throwsField } from "./testing/validation";

const gateway = {
  name: "inference",
  namespace: "modelplane-gateway",
  listener: "https",
  url: "https://models.example.com",
};
const base: ModelRouteArgs = {
  namespace: "mp-research",
  service: "llama-abc123",
  gateway,
  targets: [{ revision: 1, service: "llama-abc123", weight: 100 }],
  tags: { model: "Llama-3.1-70B", owner: "alice@example.com", "modelplane/deployment-id": "dep-1" },
};
const wakeTargets = [
  { revision: 2, service: "llama-abc123-r2", weight: 10, wakeHost: "llama-abc123-r2-wake.mp-research" },
  { revision: 1, service: "llama-abc123", weight: 90, wakeHost: "llama-abc123-wake.mp-research" },
];

describe("ModelRoute", () => {
  let registered: Registered[];
  let mod: typeof import("./ModelRoute");
  before(async () => {
    registered = await installMocks();
    mod = await import("./ModelRoute");
  });
  beforeEach(() => {
    registered.length = 0;
  });

  async function build(args: ModelRouteArgs): Promise<string> {
    const route = new mod.ModelRoute("llama", args);
    const url = await valueOf(route.url);
    await settle(registered);
    return url;
  }
  const types = () => registered.map((r) => r.type).sort();

  it("a warm model: only the HTTPRoute, children named llama-<role>, labelled, url on the gateway", async () => {
    const url = await build(base);
    assert.equal(url, "https://models.example.com/mp-research/llama-abc123/v1");
    assert.deepEqual(types(), ["kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "modelplane:serving:ModelRoute"]);
    const route = registered.find((r) => r.type.endsWith(":HTTPRoute"));
    assert.equal(route?.name, "llama-route");
    const labels = obj(obj(route?.inputs["metadata"])["labels"]);
    assert.equal(labels["managed-by"], "modelplane");
    assert.equal(labels["owner"], "alice_example.com");
  });

  it("scale-to-zero canary: route, one ReferenceGrant, a BackendTrafficPolicy; all pass the upstream Gateway API schema", async () => {
    await build({ ...base, targets: wakeTargets, coldStartSeconds: 1200 });
    assert.deepEqual(types(), [
      "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant",
      "modelplane:serving:ModelRoute",
    ]);
    for (const r of registered.filter((x) => x.type.startsWith("kubernetes:gateway.networking.k8s.io"))) {
      const [, group, kind] = r.type.split(":") as [string, string, string];
      const m = (await import(`@kubernetes-models/gateway-api/${group}/${kind}`)) as Record<
        string,
        new (d: unknown) => { validate(): void }
      >;
      const Model = m[kind];
      assert.ok(Model, kind);
      const { apiVersion: _a, kind: _k, ...rest } = r.inputs;
      assert.doesNotThrow(() => new Model(rest).validate(), r.type);
    }
    const route = registered.find((r) => r.type.endsWith(":HTTPRoute"));
    const rule = obj(arr(obj(route?.inputs["spec"])["rules"])[0]);
    assert.deepEqual(obj(rule["timeouts"]), { request: "1800s" }, "1200 s wake + 600 s to the response headers");
  });

  it("every custom kind it registers is installed by the pinned Envoy Gateway add-on", async () => {
    const { addonForKind } = await import("../providers/limits/addons");
    await build({ ...base, targets: wakeTargets, coldStartSeconds: 1200 });
    for (const r of registered.filter((x) => x.type.startsWith("kubernetes:"))) {
      const [, apiVersion, kind] = r.type.split(":") as [string, string, string];
      assert.equal(addonForKind(apiVersion, kind), "envoy-gateway", r.type);
    }
  });

  it("rejects bad args with the argument named, before registering anything", () => {
    throwsField(() => new mod.ModelRoute("x", { ...base, gateway: { ...gateway, listener: "" } }), "gateway.listener");
    throwsField(
      () => new mod.ModelRoute("x", { ...base, gateway: { ...gateway, url: "http://insecure" } }),
      "gateway.url",
    );
    throwsField(() => new mod.ModelRoute("x", { ...base, targets: wakeTargets }), "coldStartSeconds");
    throwsField(
      () => new mod.ModelRoute("x", { ...base, targets: [{ revision: 1, service: "s", weight: 50 }] }),
      "targets",
    );
    assert.equal(registered.length, 0);
  });
});
