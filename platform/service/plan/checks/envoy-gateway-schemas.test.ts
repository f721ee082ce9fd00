import * as assert from "node:assert/strict";
import { httpRoute, wakeTrafficPolicy, wakeWindow } from "../../../../providers/kubernetes/model-route";
import { checkSchema } from "./schema";
import { recorded } from "./testing";

const TYPE = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
const route = httpRoute({
  name: "llama-abc123",
  namespace: "mp-research",
  pathPrefix: "/mp-research/llama-abc123",
  gateway: { name: "inference", namespace: "gw", listener: "https" },
  targets: [{ revision: 1, service: "llama-abc123", weight: 100, wakeHost: "llama-abc123-wake.mp-research" }],
  requestTimeoutSeconds: 1500,
  labels: {},
});
const policy = () => structuredClone(wakeTrafficPolicy(route, wakeWindow(900))) as unknown as Record<string, unknown>;
const spec = (p: Record<string, unknown>) => p["spec"] as Record<string, unknown>;

describe("plan checks: Envoy Gateway BackendTrafficPolicy schema", () => {
  it("the wake policy a model route registers passes", async () => {
    assert.deepEqual(await checkSchema(recorded(TYPE, "wake", policy())), []);
  });

  it("an unknown retry trigger, a bad duration, a Gateway target with mergeType, and no target fail, naming the field", async () => {
    const badTrigger = policy();
    ((spec(badTrigger)["retry"] as { retryOn: { triggers: string[] } }).retryOn.triggers ??= []).push("503");
    const badDuration = policy();
    (spec(badDuration)["retry"] as { perRetry: { backOff: { baseInterval: string } } }).perRetry.backOff.baseInterval =
      "1 second";
    const gatewayMerge = policy();
    spec(gatewayMerge)["targetRefs"] = [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "inference" }];
    const noTarget = policy();
    delete spec(noTarget)["targetRefs"];
    for (const [label, p, field] of [
      ["trigger", badTrigger, /retry\.retryOn\.triggers\[4\]/],
      ["duration", badDuration, /retry\.perRetry\.backOff\.baseInterval/],
      ["mergeType on a Gateway", gatewayMerge, /mergeType cannot be set/],
      ["no target", noTarget, /either targetRef or targetRefs/],
    ] as const) {
      const findings = await checkSchema(recorded(TYPE, "wake", p));
      assert.equal(findings.length > 0 && findings.every((f) => f.level === "error"), true, label);
      assert.match(findings.map((f) => `${f.field ?? ""} ${f.message}`).join("\n"), field, label);
    }
  });

  it("the schema check's row also runs the gateway's rate-limit contract (gateway-crds.ts): both are enforced", async () => {
    const limited = policy();
    spec(limited)["rateLimit"] = { type: "Global", global: { rules: [{ limit: { requests: 5 } }] } };
    const findings = await checkSchema(recorded(TYPE, "wake", limited));
    assert.ok(findings.length > 0 && findings.every((f) => f.level === "error"));
    assert.match(findings.map((f) => `${f.field ?? ""} ${f.message}`).join("\n"), /unit/);
  });
});
