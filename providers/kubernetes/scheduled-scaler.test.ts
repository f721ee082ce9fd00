import assert from "node:assert/strict";
import { scheduledScaledObjectSpec } from "./autoscaling";

const OFFICE = {
  timezone: "Europe/Berlin",
  activeWindows: [
    { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:30" },
    { days: ["sat"], from: "10:00", to: "24:00" },
  ],
};

describe("hibernation: KEDA cron ScaledObject", function () {
  it("one cron trigger per window, 0 replicas outside them, in the schedule's timezone", function () {
    const spec = scheduledScaledObjectSpec({ target: "llama", schedule: OFFICE, replicas: 2, maxReplicas: 4 });
    assert.equal(spec.minReplicaCount, 0);
    assert.equal(spec.maxReplicaCount, 4);
    assert.deepEqual(spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "llama" });
    assert.deepEqual(spec.triggers, [
      {
        type: "cron",
        metadata: {
          timezone: "Europe/Berlin",
          start: "0 8 * * 1,2,3,4,5",
          end: "30 18 * * 1,2,3,4,5",
          desiredReplicas: "2",
        },
      },
      // Ends at 24:00 → midnight at the start of the next day (Sunday = 0).
      {
        type: "cron",
        metadata: { timezone: "Europe/Berlin", start: "0 10 * * 6", end: "0 0 * * 0", desiredReplicas: "2" },
      },
    ]);
  });

  it("refuses what cannot hibernate correctly, naming the field", function () {
    assert.throws(
      () =>
        scheduledScaledObjectSpec({
          target: "x",
          schedule: { timezone: "UTC", activeWindows: [] },
          replicas: 1,
          maxReplicas: 1,
        }),
      /schedule\.activeWindows/,
    );
    assert.throws(
      () => scheduledScaledObjectSpec({ target: "x", schedule: OFFICE, replicas: 0, maxReplicas: 1 }),
      /replicas/,
    );
  });

  it("is a valid keda.sh/v1alpha1 ScaledObject (@kubernetes-models/keda)", async function () {
    const { ScaledObject } = await import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject");
    const so = new ScaledObject({
      metadata: { name: "llama", namespace: "mp-acme" },
      spec: scheduledScaledObjectSpec({ target: "llama", schedule: OFFICE, replicas: 1, maxReplicas: 3 }),
    });
    so.validate();
    // And the schema does catch a broken one (the check can fail).
    const bad = new ScaledObject({
      metadata: { name: "llama" },
      spec: { scaleTargetRef: { name: "llama" }, triggers: [{ metadata: {} }] } as never,
    });
    assert.throws(() => bad.validate());
  });
});
