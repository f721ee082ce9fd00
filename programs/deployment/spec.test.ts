import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDeploymentSpec, DeploymentSpecSchema } from "./spec";
import { ValidationError } from "../../platform/core/validation";

const example: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, "examples", "llama-70b-spot.json"), "utf8"),
);

/** A deep copy of the example with `patch` applied at a dotted path. */
function withPatch(path: string, value: unknown): unknown {
  const copy: Record<string, unknown> = structuredClone(example);
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) throw new Error(`bad path ${path}`);
    node = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] ?? "";
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    return err.field;
  }
  assert.fail("expected a ValidationError");
}

describe("deployment spec", () => {
  it("parses the shipped example and keeps the placement as given", () => {
    const spec = parseDeploymentSpec(example);
    assert.equal(spec.placement.gpuCount, 2);
    assert.equal(spec.placement.instanceType, "p4de.24xlarge");
    assert.deepEqual(spec.scaling, {
      minReplicas: 2,
      maxReplicas: 4,
      scaleToZero: false,
      targetConcurrencyPerReplica: 16,
    });
    assert.equal(spec.onDemandFloorReplicas, 1);
    assert.equal(spec.server.kind, "vllm");
  });

  it("every shipped example spec parses", () => {
    const dir = join(__dirname, "examples");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const spec = parseDeploymentSpec(JSON.parse(readFileSync(join(dir, f), "utf8")));
      assert.ok(spec.placement.gpuCount >= 1, f);
    }
  });

  it("fills defaults: version, environment, server, scaling by scale-to-zero", () => {
    const minimal = structuredClone(example);
    delete minimal["environment"];
    delete minimal["server"];
    delete minimal["onDemandFloorReplicas"];
    minimal["scaling"] = { scaleToZero: true, maxReplicas: 2 };
    const spec = parseDeploymentSpec(minimal);
    assert.equal(spec.environment, "dev");
    assert.equal(spec.server.kind, "vllm");
    assert.equal(spec.scaling.minReplicas, 0);
    assert.equal(spec.scaling.targetConcurrencyPerReplica, 8);
    const noScaling = structuredClone(example);
    delete noScaling["scaling"];
    noScaling["onDemandFloorReplicas"] = 0;
    assert.deepEqual(parseDeploymentSpec(noScaling).scaling, {
      minReplicas: 1,
      maxReplicas: 1,
      scaleToZero: false,
      targetConcurrencyPerReplica: 8,
    });
  });

  it("is idempotent: a parsed spec parses to itself", () => {
    const once = parseDeploymentSpec(example);
    assert.deepEqual(parseDeploymentSpec(once), once);
  });

  it("0 GPUs → placement.gpuCount", () => {
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("placement.gpuCount", 0))),
      "placement.gpuCount",
    );
  });

  it("min > max replicas → scaling.minReplicas", () => {
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("scaling.minReplicas", 5))),
      "scaling.minReplicas",
    );
  });

  it("scale-to-zero with an on-demand floor → onDemandFloorReplicas", () => {
    const input = withPatch("scaling", { scaleToZero: true, maxReplicas: 3 });
    assert.equal(
      fieldOf(() => parseDeploymentSpec(input)),
      "onDemandFloorReplicas",
    );
  });

  it("unknown cloud → placement.cloud, with the allowed clouds in the message", () => {
    try {
      parseDeploymentSpec(withPatch("placement.cloud", "oracle"));
      assert.fail("should throw");
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.field, "placement.cloud");
      assert.match(err.message, /aws, gcp, azure/);
    }
  });

  it("serverless capacity needs a serverless placement (product) and vice versa", () => {
    const serverless = withPatch("placement.capacity", "serverless");
    const s2 = structuredClone(serverless) as Record<string, unknown>;
    s2["onDemandFloorReplicas"] = 0;
    assert.equal(
      fieldOf(() => parseDeploymentSpec(s2)),
      "placement.serverlessProduct",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("placement.serverlessProduct", "cloud-run"))),
      "placement.serverlessProduct",
    );
  });

  it("minReplicas 0 without scale-to-zero, and a floor on on-demand capacity, are rejected", () => {
    const zero = withPatch("scaling", { minReplicas: 0, maxReplicas: 2 });
    (zero as Record<string, unknown>)["onDemandFloorReplicas"] = 0;
    assert.equal(
      fieldOf(() => parseDeploymentSpec(zero)),
      "scaling.minReplicas",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("placement.capacity", "on-demand"))),
      "onDemandFloorReplicas",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("onDemandFloorReplicas", 4))),
      "onDemandFloorReplicas",
    );
  });

  it("checks an artifact URI's scheme up front; a store path is left to the program", () => {
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("model.source", "ftp://host/model"))),
      "model.source",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("model.source", "s3://b/x';rm -rf /"))),
      "model.source",
    );
    assert.equal(
      parseDeploymentSpec(withPatch("model.source", "hf://meta-llama/Llama-3.1-70B-Instruct")).model.source,
      "hf://meta-llama/Llama-3.1-70B-Instruct",
    );
    assert.equal(parseDeploymentSpec(withPatch("model.source", "team/llama/v2")).model.source, "team/llama/v2");
  });

  it("names nested fields and bad enum values", () => {
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("model.precision", "fp64"))),
      "model.precision",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("server.kind", "tgi"))),
      "server.kind",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("platformStack", "a/b/c/d"))),
      "platformStack",
    );
    assert.equal(
      fieldOf(() => parseDeploymentSpec(withPatch("deploymentId", "has space"))),
      "deploymentId",
    );
  });

  it("produces a JSON schema (for the API's OpenAPI document)", async () => {
    const { z } = await import("zod");
    const schema = z.toJSONSchema(DeploymentSpecSchema, { io: "input", unrepresentable: "any" });
    assert.equal(typeof schema, "object");
  });
  describe("rollout", () => {
    const ex = example as { model: unknown; server?: unknown };
    const stable = { revision: 1, model: ex.model, server: ex.server ?? { kind: "vllm" } };
    const withRollout = (rollout: unknown, revision = 2): unknown => ({
      ...(structuredClone(example) as object),
      revision,
      rollout,
    });

    it("defaults to revision 1 with no rollout", () => {
      const spec = parseDeploymentSpec(example);
      assert.equal(spec.revision, 1);
      assert.equal(spec.rollout, undefined);
    });

    it("accepts a canary beside an older stable revision", () => {
      const spec = parseDeploymentSpec(withRollout({ strategy: "canary", weight: 10, stable }));
      assert.equal(spec.rollout?.weight, 10);
      assert.equal(spec.rollout?.stable.revision, 1);
    });

    it("names rollout.weight when it is outside 0-100", () => {
      assert.equal(
        fieldOf(() => parseDeploymentSpec(withRollout({ strategy: "canary", weight: 101, stable }))),
        "rollout.weight",
      );
    });

    it("names rollout.stable.revision when the stable revision is not older", () => {
      assert.equal(
        fieldOf(() => parseDeploymentSpec(withRollout({ strategy: "blue-green", weight: 0, stable }, 1))),
        "rollout.stable.revision",
      );
    });
  });

  describe("generation and handoff (#15: a migration's stacks side by side)", () => {
    const ex = example as { model: unknown; server?: unknown; placement: Record<string, unknown> };
    const stable = { revision: 1, model: ex.model, server: ex.server ?? { kind: "vllm" } };
    const withRollout = (rollout: unknown): Record<string, unknown> => ({ ...example, revision: 2, rollout });
    it("defaults to generation 1 without a handoff; a handoff names the next generation", () => {
      const spec = parseDeploymentSpec(example);
      assert.equal(spec.generation, 1);
      assert.equal(spec.handoff, undefined);
      const handing = parseDeploymentSpec({ ...example, handoff: { generation: 2, weight: 100 } });
      assert.deepEqual(handing.handoff, { generation: 2, weight: 100 });
    });

    it("names the field: generation 0, a handoff to itself, a weight past 100, during a rollout, on serverless", () => {
      assert.equal(
        fieldOf(() => parseDeploymentSpec({ ...example, generation: 0 })),
        "generation",
      );
      assert.equal(
        fieldOf(() => parseDeploymentSpec({ ...example, generation: 2, handoff: { generation: 2, weight: 100 } })),
        "handoff.generation",
      );
      assert.equal(
        fieldOf(() => parseDeploymentSpec({ ...example, handoff: { generation: 2, weight: 101 } })),
        "handoff.weight",
      );
      assert.equal(
        fieldOf(() =>
          parseDeploymentSpec({
            ...withRollout({ strategy: "canary", weight: 10, stable }),
            handoff: { generation: 2, weight: 100 },
          }),
        ),
        "handoff",
      );
      const serverless = {
        ...example,
        placement: { ...ex.placement, capacity: "serverless", serverlessProduct: "cloud-run" },
        scaling: { scaleToZero: true },
        handoff: { generation: 2, weight: 100 },
      };
      assert.equal(
        fieldOf(() => parseDeploymentSpec(serverless)),
        "handoff",
      );
    });
  });
});
