import * as assert from "node:assert/strict";
import {
  COMPUTE_CLASS_SCHEMA,
  computeClassName,
  computeClassSpec,
  COMPUTE_CLASS_API_VERSION,
  COMPUTE_CLASS_KIND,
} from "./compute-class";
import { gkeGpuInputFindings } from "./plan-checks";

const object = (spec: unknown) => ({
  apiVersion: COMPUTE_CLASS_API_VERSION,
  kind: COMPUTE_CLASS_KIND,
  metadata: { name: "x" },
  spec,
});
const issues = (data: unknown) => {
  const r = COMPUTE_CLASS_SCHEMA.safeParse(data);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("gcp ComputeClass (pure)", () => {
  it("lists spot pools first, then on-demand, each its own priority, without auto-created pools", () => {
    const spec = computeClassSpec([
      { poolName: "od", capacity: "on-demand" },
      { poolName: "spot", capacity: "spot" },
    ]);
    assert.deepEqual(spec, {
      priorities: [{ nodepools: ["spot"] }, { nodepools: ["od"] }],
      nodePoolAutoCreation: { enabled: false },
      whenUnsatisfiable: "DoNotScaleUp",
    });
    assert.deepEqual(issues(object(spec)), []);
  });

  it("the schema refuses what GKE's CRD refuses, naming the field", () => {
    assert.deepEqual(
      issues(object({ priorities: [{ nodepools: ["a"], spot: true }], whenUnsatisfiable: "DoNotScaleUp" })),
      ["spec.priorities.0: Nodepool field cannot be set along with other fields"],
    );
    assert.deepEqual(issues(object({ priorities: [{}], whenUnsatisfiable: "DoNotScaleUp" })), [
      "spec.priorities.0: must have at least 1 property",
    ]);
    assert.match(issues(object({ priorities: [] }))[0] ?? "", /^spec\.whenUnsatisfiable: /);
    assert.match(
      issues(object({ nodePoolAutoCreation: {}, whenUnsatisfiable: "ScaleUpAnyway" }))[0] ?? "",
      /^spec\.nodePoolAutoCreation\.enabled/,
    );
    assert.match(issues({ apiVersion: COMPUTE_CLASS_API_VERSION })[0] ?? "", /^spec: /);
  });

  it("names a class after its pool group, never with the reserved gke/autopilot prefixes", () => {
    assert.equal(computeClassName("modelplane-gcp-l4"), "modelplane-gcp-l4");
    for (const group of ["gke-l4", "autopilot-x", "Bad_Name", "a".repeat(64)]) {
      const name = computeClassName(group);
      assert.match(name, /^mp-[0-9a-f]{12}$/, group);
    }
    assert.notEqual(computeClassName("gke-a"), computeClassName("gke-b"));
  });

  it("a GKE GPU pool must ask GKE for the driver and keep GKE's device plugin", () => {
    const pool = (gpuDriverVersion?: string, labels?: Record<string, string>) => ({
      nodeConfig: {
        ...(labels ? { labels } : {}),
        guestAccelerators: [
          {
            type: "nvidia-l4",
            count: 1,
            ...(gpuDriverVersion ? { gpuDriverInstallationConfig: { gpuDriverVersion } } : {}),
          },
        ],
      },
    });
    assert.deepEqual(gkeGpuInputFindings(pool("LATEST")), []);
    assert.deepEqual(gkeGpuInputFindings(pool("DEFAULT")), []);
    const field = "nodeConfig.guestAccelerators[0].gpuDriverInstallationConfig.gpuDriverVersion";
    for (const v of [undefined, "INSTALLATION_DISABLED", "GPU_DRIVER_VERSION_UNSPECIFIED"])
      assert.deepEqual(
        gkeGpuInputFindings(pool(v)).map((f) => f.field),
        [field],
        String(v),
      );
    assert.deepEqual(
      gkeGpuInputFindings(pool("LATEST", { "gke-no-default-nvidia-gpu-device-plugin": "true" })).map((f) => f.field),
      ["nodeConfig.labels.gke-no-default-nvidia-gpu-device-plugin"],
    );
    assert.deepEqual(gkeGpuInputFindings({ nodeConfig: { machineType: "e2-standard-4" } }), [], "a CPU pool");
  });
});
