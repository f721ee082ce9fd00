import * as assert from "node:assert/strict";
import { classifyEngineError } from "./errors";
import { DryRunEngine, SIMULATED_NOTE, type DryRunPlan } from "./dry-run";
import type { EngineEventMessage, StackTarget } from "./types";

const stack = (name = "t-llama-dev"): StackTarget =>
  ({ stackName: name, deploymentId: "d1", tenant: "t", model: "llama", spec: {} }) as unknown as StackTarget;

const PLAN: DryRunPlan = {
  resources: [
    { type: "kubernetes:apps/v1:Deployment", name: "llama-server" },
    { type: "kubernetes:core/v1:Service", name: "llama" },
    { type: "modelplane:plan:ModelArtifact", name: "llama-weights" },
  ],
  outputs: { endpoint: "http://llama.mp-t.svc.cluster.local/v1" },
  monthlyUsd: 206.12,
  policy: { denied: false, violations: [] },
};

function ctx(): { signal: AbortSignal; onEvent: (e: EngineEventMessage) => void; events: EngineEventMessage[] } {
  const events: EngineEventMessage[] = [];
  return { signal: new AbortController().signal, onEvent: (e) => events.push(e), events };
}

describe("dry-run engine", () => {
  it("up plans offline, creates nothing, and says so in its result, outputs and events", async () => {
    let planned = 0;
    const engine = new DryRunEngine(async () => {
      planned++;
      return PLAN;
    });
    const c = ctx();
    const result = await engine.up({ stack: stack(), ...c });
    assert.equal(planned, 1);
    assert.equal(result.simulated, true);
    assert.deepEqual(result.changes, { create: 2 });
    assert.equal(result.outputs["endpoint"], PLAN.outputs?.["endpoint"]);
    assert.equal(result.outputs["simulated"], true);
    assert.deepEqual(
      c.events.filter((e) => e.type === "engine").map((e) => e.data["simulated"]),
      [true, true],
    );
    const log = c.events.find((e) => e.type === "log");
    assert.match(String(log?.data["message"]), new RegExp(`^${SIMULATED_NOTE}: 2 resources, \\$206\\.12/month$`));
    assert.deepEqual(await engine.outputs({ stack: stack() }), result.outputs);
    assert.equal((await engine.availability()).version, "dry-run");
  });

  it("a second up of the same stack changes nothing; destroy forgets it", async () => {
    const engine = new DryRunEngine(async () => PLAN);
    await engine.up({ stack: stack(), ...ctx() });
    assert.deepEqual((await engine.preview({ stack: stack(), ...ctx() })).changes, { same: 2 });
    assert.deepEqual((await engine.destroy({ stack: stack(), ...ctx() })).changes, { delete: 2 });
    assert.deepEqual(await engine.outputs({ stack: stack() }), {});
    const again = ctx();
    assert.deepEqual((await engine.destroy({ stack: stack(), ...again })).changes, {});
    const said = String(again.events.find((e) => e.type === "log")?.data["message"]);
    assert.match(said, /holds no simulated stack t-llama-dev .*nothing to remove/);
    assert.doesNotMatch(said, /destroy of 0 resources/);
  });

  it("a mandatory policy violation fails the operation as policy_denied; an advisory one does not", async () => {
    const denied = new DryRunEngine(async () => ({
      ...PLAN,
      policy: {
        denied: true,
        violations: [
          { policy: "max-monthly-cost", level: "mandatory", message: "over budget" },
          { policy: "cost-tags", level: "advisory", message: "missing owner" },
        ],
      },
    }));
    const err = await denied.up({ stack: stack(), ...ctx() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const failure = classifyEngineError(err);
    assert.equal(failure.code, "policy_denied");
    assert.match(failure.message, /max-monthly-cost: over budget/);
    assert.doesNotMatch(failure.message, /cost-tags/);
    assert.deepEqual(await denied.outputs({ stack: stack() }), {}, "nothing recorded for a denied stack");
  });

  it("an aborted operation is cancelled before it plans", async () => {
    let planned = 0;
    const engine = new DryRunEngine(async () => {
      planned++;
      return PLAN;
    });
    const controller = new AbortController();
    controller.abort();
    const err = await engine.up({ stack: stack(), signal: controller.signal, onEvent: () => undefined }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(classifyEngineError(err).code, "cancelled");
    assert.equal(planned, 0);
  });

  it("an operation plans its stack once: its up takes its preview's plan; another operation or spec plans again", async () => {
    const specs: unknown[] = [];
    const engine = new DryRunEngine(async (s) => {
      specs.push(s.spec);
      return PLAN;
    });
    const op = ctx();
    await engine.preview({ stack: stack(), ...op });
    const up = await engine.up({ stack: stack(), ...op });
    assert.equal(specs.length, 1, "preview and up of one operation: one plan");
    assert.deepEqual(up.changes, { create: 2 });
    assert.equal(op.events.filter((e) => e.type === "engine").length, 4, "both steps still report every resource");
    await engine.up({ stack: stack(), ...op });
    assert.equal(specs.length, 2, "the preview's plan serves one up only");
    const other = ctx();
    await engine.preview({ stack: stack(), ...other });
    await engine.up({ stack: { ...stack(), spec: { replaced: true } } as unknown as StackTarget, ...other });
    assert.deepEqual(specs.slice(2), [{}, { replaced: true }], "a changed spec (a re-placement) is planned afresh");
    await engine.preview({ stack: stack("a"), ...ctx() });
    await engine.up({ stack: stack("a"), ...ctx() });
    assert.equal(specs.length, 6, "another operation's preview is not reused");
  });
});
