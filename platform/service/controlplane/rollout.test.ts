/** The rollout planners on the stored spec: pure, no database (the API test runs them end to end). */
import * as assert from "node:assert/strict";
import { ConflictError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import { parseDeploymentSpec } from "../../../programs/deployment/spec";
import { testSpec } from "../store/testing/spec";
import { planAbort, planPromote, planRolloutPatch } from "./rollout";

const field = (f: string) => (e: unknown) =>
  (e instanceof ValidationError || e instanceof ConflictError) && e.field === f;

describe("rollout planners", () => {
  const v1 = testSpec();

  it("start: revision + 1 with the change, the previous model/server as stable; the result is a valid spec", () => {
    const { spec, step } = planRolloutPatch(v1, { strategy: "canary", weight: 10 }, { model: { version: "v2" } });
    assert.equal(spec.revision, v1.revision + 1);
    assert.equal(spec.model.version, "v2");
    assert.deepEqual(spec.rollout, {
      strategy: "canary",
      weight: 10,
      stable: { revision: 1, model: v1.model, server: v1.server },
    });
    assert.deepEqual(step.from, { revision: 1, weight: null });
    assert.equal(step.step, "start");
    assert.deepEqual(parseDeploymentSpec(spec), spec);
  });

  it("weight: the same strategy without a change moves the weight only", () => {
    const started = planRolloutPatch(v1, { strategy: "canary", weight: 10 }).spec;
    const { spec, step } = planRolloutPatch(started, { strategy: "canary", weight: 60 });
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout?.weight, 60);
    assert.deepEqual(spec.rollout?.stable, started.rollout?.stable);
    assert.deepEqual(step.from, { revision: 2, weight: 10 });
    assert.equal(step.step, "weight");
  });

  it("a second rollout is a 409 naming rollout; bad weights are 400s naming rollout.weight", () => {
    const started = planRolloutPatch(v1, { strategy: "canary", weight: 10 }).spec;
    assert.throws(() => planRolloutPatch(started, { strategy: "blue-green" }), field("rollout"));
    assert.throws(
      () => planRolloutPatch(started, { strategy: "canary", weight: 20 }, { server: { image: "x" } }),
      field("rollout"),
    );
    assert.throws(() => planRolloutPatch(v1, { strategy: "canary", weight: 101 }), field("rollout.weight"));
    assert.throws(() => planRolloutPatch(v1, { strategy: "canary", weight: -1 }), field("rollout.weight"));
    assert.throws(() => planRolloutPatch(v1, { strategy: "canary" }), field("rollout.weight"));
    assert.throws(() => planRolloutPatch(v1, { strategy: "blue-green", weight: 30 }), field("rollout.weight"));
    assert.equal(planRolloutPatch(v1, { strategy: "blue-green" }).spec.rollout?.weight, 0);
    assert.equal(planRolloutPatch(v1, { strategy: "blue-green", weight: 100 }).spec.rollout?.weight, 100);
  });

  it("promote keeps the new revision alone; abort restores the stable one; both 409 without a rollout", () => {
    const started = planRolloutPatch(v1, { strategy: "canary", weight: 10 }, { model: { version: "v2" } }).spec;
    const promoted = planPromote(started).spec;
    assert.equal(promoted.rollout, undefined);
    assert.equal(promoted.revision, 2);
    assert.equal(promoted.model.version, "v2");
    const aborted = planAbort(started).spec;
    assert.equal(aborted.rollout, undefined);
    assert.equal(aborted.revision, 1);
    assert.deepEqual(aborted.model, v1.model);
    assert.deepEqual(aborted.server, v1.server);
    assert.throws(() => planPromote(v1), field("rollout"));
    assert.throws(() => planAbort(promoted), field("rollout"));
  });
});
