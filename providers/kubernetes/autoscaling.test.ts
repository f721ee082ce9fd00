import { strict as assert } from "node:assert";
import { hpaSpec, httpScaledObjectSpec, planReplicas } from "./autoscaling";

describe("replica planning and autoscalers", () => {
  it("on-demand: one autoscaled deployment, HPA", () => {
    const p = planReplicas({
      capacity: "on-demand",
      minReplicas: 1,
      maxReplicas: 4,
      scaleToZero: false,
      onDemandFloorReplicas: 0,
    });
    assert.deepEqual(p.primary, { capacity: "on-demand", minReplicas: 1, maxReplicas: 4 });
    assert.equal(p.onDemandFloorReplicas, 0);
    assert.equal(p.autoscaler, "hpa");
  });

  it("spot with a floor: floor on-demand, the rest spot; totals add up", () => {
    const p = planReplicas({
      capacity: "spot",
      minReplicas: 3,
      maxReplicas: 6,
      scaleToZero: false,
      onDemandFloorReplicas: 1,
    });
    assert.deepEqual(p.primary, { capacity: "spot", minReplicas: 2, maxReplicas: 5 });
    assert.equal(p.onDemandFloorReplicas, 1);
    assert.deepEqual(p.total, { minReplicas: 3, maxReplicas: 6 });
  });

  it("a floor equal to minReplicas still keeps one spot replica (HPA minimum is 1)", () => {
    const p = planReplicas({
      capacity: "spot",
      minReplicas: 1,
      maxReplicas: 3,
      scaleToZero: false,
      onDemandFloorReplicas: 1,
    });
    assert.deepEqual(p.primary, { capacity: "spot", minReplicas: 1, maxReplicas: 2 });
    assert.deepEqual(p.total, { minReplicas: 2, maxReplicas: 3 });
  });

  it("scale-to-zero: KEDA, min 0, no floor", () => {
    const p = planReplicas({
      capacity: "spot",
      minReplicas: 0,
      maxReplicas: 2,
      scaleToZero: true,
      onDemandFloorReplicas: 0,
    });
    assert.equal(p.autoscaler, "keda");
    assert.equal(p.primary.minReplicas, 0);
    assert.throws(
      () =>
        planReplicas({ capacity: "spot", minReplicas: 0, maxReplicas: 2, scaleToZero: true, onDemandFloorReplicas: 1 }),
      /forbids/,
    );
    assert.throws(
      () =>
        planReplicas({
          capacity: "spot",
          minReplicas: 0,
          maxReplicas: 2,
          scaleToZero: false,
          onDemandFloorReplicas: 0,
        }),
      /scaleToZero/,
    );
  });

  it("HPA spec: autoscaling/v2 shape, per-pod concurrency target, refuses 0", () => {
    const h = hpaSpec("svc", 1, 4, 16);
    assert.equal(h.scaleTargetRef.name, "svc");
    assert.equal(h.metrics[0]?.pods.target.averageValue, "16");
    assert.throws(() => hpaSpec("svc", 0, 4, 16), /KEDA/);
  });

  it("HTTPScaledObject spec: 0..max on requests in flight, routed by host to the backend Service (#8)", () => {
    const s = httpScaledObjectSpec({
      target: "svc",
      service: "svc",
      port: 80,
      hosts: ["svc-wake.mp-a.svc.cluster.local"],
      maxReplicas: 3,
      targetConcurrency: 8,
    });
    assert.equal(s.replicas.min, 0);
    assert.equal(s.replicas.max, 3);
    assert.equal(s.scalingMetric.concurrency.targetValue, 8);
    assert.deepEqual(s.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "svc",
      service: "svc",
      port: 80,
    });
    // No Prometheus query: a query over vLLM series reads 0 at zero replicas and never wakes the model.
    assert.ok(!JSON.stringify(s).includes("vllm:"));
    assert.throws(
      () =>
        httpScaledObjectSpec({ target: "s", service: "s", port: 80, hosts: [], maxReplicas: 1, targetConcurrency: 1 }),
      /hosts/,
    );
  });
});
