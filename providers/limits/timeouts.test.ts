/**
 * Tests for provider timeout facts and the rollout timeout estimate.
 */
import assert from "node:assert/strict";
import {
  ASSUMED_GPU_NODE_FROM_ZERO_SECONDS,
  ASSUMED_IMAGE_PULL_GIB_PER_SECOND,
  ASSUMED_SAFETY_FACTOR,
  ASSUMED_SERVER_START_SECONDS,
  ASSUMED_WEIGHTS_DOWNLOAD_GIB_PER_SECOND,
  ASSUMED_WEIGHTS_LOAD_GIB_PER_SECOND,
  PULUMI_KUBERNETES_AWAIT,
  TIMEOUT_FACTS,
  TIMEOUTS_CHECKED,
  rolloutTimeoutSeconds,
  toCustomTimeout,
} from "./timeouts";

describe("providers/limits/timeouts facts", () => {
  it("records pulumi-kubernetes await defaults and annotation names", () => {
    assert.equal(PULUMI_KUBERNETES_AWAIT.deploymentReadySeconds, 600);
    assert.equal(PULUMI_KUBERNETES_AWAIT.serviceReadySeconds, 600);
    assert.equal(PULUMI_KUBERNETES_AWAIT.skipAwaitAnnotation, "pulumi.com/skipAwait");
    assert.equal(PULUMI_KUBERNETES_AWAIT.timeoutSecondsAnnotation, "pulumi.com/timeoutSeconds");
  });

  it("sources every fact", () => {
    const ids = TIMEOUT_FACTS.map((fact) => fact.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ["deployment-ready-10m", "service-waits-for-endpoints", "skip-await-annotation"]) {
      assert.ok(ids.includes(id), id);
    }
    for (const fact of TIMEOUT_FACTS) {
      assert.ok(fact.fact.length > 0);
      assert.ok(fact.source.title.length > 0);
      assert.equal(new URL(fact.source.url).protocol, "https:", fact.id);
      assert.equal(fact.checked, TIMEOUTS_CHECKED);
      assert.equal(fact.checked, "2026-11-30");
    }
  });
});

describe("rolloutTimeoutSeconds", () => {
  it("never drops below the provider's 10 minute default", () => {
    assert.equal(rolloutTimeoutSeconds({ weightsGiB: 0, imageGiB: 0, nodeFromZero: false }), 600);
    assert.equal(rolloutTimeoutSeconds({ weightsGiB: 1, imageGiB: 1, nodeFromZero: false }), 600);
  });

  it("follows the documented formula for a large model on a new node", () => {
    const size = { weightsGiB: 140, imageGiB: 10, nodeFromZero: true };
    const raw =
      ASSUMED_GPU_NODE_FROM_ZERO_SECONDS +
      10 / ASSUMED_IMAGE_PULL_GIB_PER_SECOND +
      140 / ASSUMED_WEIGHTS_DOWNLOAD_GIB_PER_SECOND +
      140 / ASSUMED_WEIGHTS_LOAD_GIB_PER_SECOND +
      ASSUMED_SERVER_START_SECONDS;
    const seconds = rolloutTimeoutSeconds(size);
    assert.equal(seconds, Math.ceil(raw * ASSUMED_SAFETY_FACTOR));
    assert.ok(seconds > 600, "a 140 GiB model must get longer than the default");
    assert.ok(Number.isInteger(seconds));
  });

  it("grows with weights, image size and a node created from zero", () => {
    const base = { weightsGiB: 60, imageGiB: 8, nodeFromZero: false };
    const t = rolloutTimeoutSeconds(base);
    assert.ok(rolloutTimeoutSeconds({ ...base, weightsGiB: 120 }) > t);
    assert.ok(rolloutTimeoutSeconds({ ...base, imageGiB: 20 }) > t);
    const fromZero = rolloutTimeoutSeconds({ ...base, nodeFromZero: true });
    assert.ok(fromZero - t >= Math.floor(ASSUMED_GPU_NODE_FROM_ZERO_SECONDS * ASSUMED_SAFETY_FACTOR));
  });

  it("refuses negative or non-finite sizes", () => {
    assert.throws(() => rolloutTimeoutSeconds({ weightsGiB: -1, imageGiB: 1, nodeFromZero: false }), RangeError);
    assert.throws(() => rolloutTimeoutSeconds({ weightsGiB: 1, imageGiB: NaN, nodeFromZero: false }), RangeError);
    assert.throws(() => rolloutTimeoutSeconds({ weightsGiB: Infinity, imageGiB: 1, nodeFromZero: true }), RangeError);
  });

  it("formats a customTimeouts duration in whole minutes, rounded up", () => {
    assert.equal(toCustomTimeout(600), "10m");
    assert.equal(toCustomTimeout(601), "11m");
    assert.throws(() => toCustomTimeout(-5), RangeError);
  });
});
