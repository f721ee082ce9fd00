/**
 * Canary and blue/green rollouts end to end on the dry-run engine (issue 14 item 5 and "Bad input"):
 * PATCH with `rollout` brings up revision n+1 beside n, a PATCH with the same strategy moves the
 * weight, promote and abort end it; each step is one update operation and one event. A second
 * rollout is a 409 naming `rollout`, a weight outside 0-100 a 400 naming `rollout.weight`, promote
 * or abort without a rollout a 409.
 */
import * as assert from "node:assert/strict";
import { ConflictError } from "../platform/core/errors";
import type { Footprint } from "../platform/core/footprint";
import { DryRunEngine } from "../platform/service/engine/dry-run";
import { planDeployment } from "../platform/service/plan";
import { platformOutputsFromFootprint } from "../platform/service/plan/platform-outputs";
import type { DeploymentSpec } from "../platform/service/types";
import { TWO_REVISIONS_WARNING } from "./rollout-step";
import { call, errorOf, obj } from "./testing/harness";
import { startApiRig, type ApiRig } from "./testing/rig";

/** The dev footprint's clusters, each with a gateway (GatewayOutput): rollouts split traffic there. */
function withGateways(footprint: Footprint): Record<string, unknown> {
  const outputs = platformOutputsFromFootprint(footprint) as { clusters: Record<string, Record<string, unknown>> };
  for (const [name, c] of Object.entries(outputs.clusters)) {
    c["gateway"] = {
      name: "inference",
      namespace: "modelplane-gateway",
      listener: "https",
      hostname: `${name}.models.example.com`,
      address: "(planned load balancer address)",
      url: `https://${name}.models.example.com`,
    };
  }
  return outputs;
}

describe("api: rollouts on the dry-run engine (PATCH rollout, promote, abort)", function () {
  this.timeout(300_000);
  let rig: ApiRig;
  let id: string;
  before(async () => {
    rig = await startApiRig({
      engine: (footprint) =>
        new DryRunEngine((stack) => planDeployment(stack.spec, { platformOutputs: withGateways(footprint) })),
      tenant: "ml-team",
      settleTimeoutMs: 120_000,
    });
  });
  after(() => rig?.close());

  const settled = () => rig.settled(id);
  const specOf = (d: Record<string, unknown>) => d["spec"] as DeploymentSpec;
  async function step(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const r = await call(rig.api.base, method, path, { key: rig.key, ...(body !== undefined ? { body } : {}) });
    assert.equal(r.status, 202, `${method} ${path}: ${JSON.stringify(r.body)}`);
    const d = await settled();
    assert.equal(d["status"], "simulated", JSON.stringify(d["error"]));
    return obj(r.body);
  }

  it("canary: start beside the old revision, move the weight, promote; blue/green: start, abort; each step an event", async () => {
    const created = await call(rig.api.base, "POST", "/v1/deployments", {
      key: rig.key,
      body: {
        model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
        constraints: { capacity: "on-demand" },
      },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    id = String(obj(created.body)["id"]);
    const first = await settled();
    assert.equal(first["status"], "simulated", JSON.stringify(first["error"]));
    assert.equal(specOf(first).revision, 1);

    // Start a canary of a new model version at 10%.
    const started = await step("PATCH", `/v1/deployments/${id}`, {
      rollout: { strategy: "canary", weight: 10 },
      model: { version: "v2" },
    });
    assert.ok((started["warnings"] as string[]).includes(TWO_REVISIONS_WARNING));
    let spec = specOf(started);
    assert.equal(spec.revision, 2);
    assert.equal(spec.model.version, "v2");
    assert.deepEqual(spec.rollout && { ...spec.rollout, stable: spec.rollout.stable.revision }, {
      strategy: "canary",
      weight: 10,
      stable: 1,
    });
    assert.equal(spec.rollout?.stable.model.version, "latest", "the stable revision keeps the old model");

    // Bad input while it runs.
    const outside = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
      key: rig.key,
      body: { rollout: { strategy: "canary", weight: 150 } },
    });
    assert.equal(outside.status, 400);
    assert.equal(errorOf(outside).field, "rollout.weight");
    for (const body of [
      { rollout: { strategy: "canary", weight: 20 }, model: { version: "v3" } },
      { rollout: { strategy: "blue-green" } },
    ]) {
      const second = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, { key: rig.key, body });
      assert.equal(second.status, 409, JSON.stringify(body));
      assert.equal(errorOf(second).field, "rollout");
      assert.match(errorOf(second).message, /canary of revision 2 is in progress at 10%/);
    }
    const moving = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
      key: rig.key,
      body: {
        rollout: { strategy: "canary", weight: 10 },
        placement: { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge", capacity: "on-demand" },
      },
    });
    assert.equal(moving.status, 400, "a rollout PATCH carries the revision only");
    assert.equal(errorOf(moving).field, "placement");

    // Move the weight: same revision, same stable.
    spec = specOf(await step("PATCH", `/v1/deployments/${id}`, { rollout: { strategy: "canary", weight: 50 } }));
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout?.weight, 50);
    assert.equal(spec.rollout?.stable.revision, 1);

    // Rescaling during the rollout keeps it.
    spec = specOf(await step("PATCH", `/v1/deployments/${id}`, { scaling: { minReplicas: 1, maxReplicas: 2 } }));
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout?.weight, 50);

    // Promote: the new revision alone.
    spec = specOf(await step("POST", `/v1/deployments/${id}/promote`));
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout, undefined);
    assert.equal(spec.model.version, "v2");
    for (const end of ["promote", "abort"]) {
      const none = await call(rig.api.base, "POST", `/v1/deployments/${id}/${end}`, { key: rig.key });
      assert.equal(none.status, 409, end);
      assert.equal(errorOf(none).field, "rollout");
    }

    // Blue/green of a new server image, idle at 0%, then aborted: back to revision 2 as it was.
    spec = specOf(
      await step("PATCH", `/v1/deployments/${id}`, {
        rollout: { strategy: "blue-green" },
        server: { image: "vllm/vllm-openai:v0.11.0" },
      }),
    );
    assert.equal(spec.revision, 3);
    assert.equal(spec.rollout?.weight, 0);
    assert.equal(spec.server.image, "vllm/vllm-openai:v0.11.0");
    const split = await call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
      key: rig.key,
      body: { rollout: { strategy: "blue-green", weight: 50 } },
    });
    assert.equal(split.status, 400, "blue/green moves all traffic at once");
    assert.equal(errorOf(split).field, "rollout.weight");
    spec = specOf(await step("POST", `/v1/deployments/${id}/abort`));
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout, undefined);
    assert.equal(spec.model.version, "v2");
    assert.equal(spec.server.image, undefined);

    // Each step: one event naming it, then its queued update operation.
    const events = await rig.fx.controlPlane.listEvents("ml-team", id, 0, 1000);
    const steps = events
      .filter((e) => e.type === "log" && e.data["rollout"] !== undefined)
      .map((e) => String(obj(e.data["rollout"])["step"]));
    assert.deepEqual(steps, ["start", "weight", "promote", "start", "abort"]);
    const d = await rig.fx.controlPlane.getDeployment("ml-team", id);
    assert.equal(d.operations.filter((o) => o.kind === "update").length, 6);
  });

  it("a step planned from a stale spec (another step won the race) is a 409 naming rollout", async () => {
    const d = await rig.fx.controlPlane.getDeployment("ml-team", id);
    await assert.rejects(
      rig.fx.controlPlane.requestUpdate(
        "ml-team",
        id,
        {
          spec: d.spec,
          estimatedMonthlyUsd: d.estimatedMonthlyUsd,
          rollout: { step: "promote", message: "stale", from: { revision: 7, weight: 10 }, details: {} },
        },
        "test",
      ),
      (e: unknown) => e instanceof ConflictError && e.field === "rollout",
    );
  });
});
