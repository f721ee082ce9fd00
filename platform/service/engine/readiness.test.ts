import { strict as assert } from "node:assert";
import { classifyEngineError } from "./errors";
import { evaluateWorkloads, followReadiness, type Readiness } from "./readiness";
import type { Engine, EngineEventMessage, ObservedWorkload, StackTarget, UpResult } from "./types";

const stack = { stackName: "mp-dep-1", deploymentId: "dep-1", tenant: "t", model: "m" } as unknown as StackTarget;

const wl = (o: Partial<ObservedWorkload> = {}): ObservedWorkload => ({
  name: "llama-server",
  namespace: "mp-t",
  desiredReplicas: 2,
  availableReplicas: 2,
  updatedReplicas: 2,
  generation: 3,
  observedGeneration: 3,
  conditions: [],
  ...o,
});

/** An engine whose `up` returns `up` and whose `observe` returns the next item of `seen` (or throws it). */
function fakeEngine(up: UpResult, seen: Array<ObservedWorkload[] | Error>, observe = true) {
  let i = 0;
  const observed: number[] = [];
  const engine: Engine = {
    availability: async () => ({ available: true }) as never,
    preview: async () => ({ changes: {} }),
    up: async () => up,
    destroy: async () => ({ changes: {}, removed: true }),
    outputs: async () => ({}),
    cancel: async () => undefined,
    close: async () => undefined,
    ...(observe
      ? {
          observe: async () => {
            observed.push(i);
            const next = seen[Math.min(i++, seen.length - 1)];
            if (next instanceof Error) throw next;
            return next ?? [];
          },
        }
      : {}),
  };
  return { engine, observed };
}

/** A fake clock that the fake sleep advances. */
function clock() {
  let t = Date.parse("2026-12-01T03:00:00Z");
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

async function follow(up: UpResult, seen: Array<ObservedWorkload[] | Error>, timeout = 600) {
  const { engine, observed } = fakeEngine(up, seen);
  const c = clock();
  const events: EngineEventMessage[] = [];
  const wrapped = followReadiness(engine, { defaultTimeoutSeconds: timeout, intervalSeconds: 30, ...c });
  const run = wrapped.up({ stack, signal: new AbortController().signal, onEvent: (e) => events.push(e) });
  return { run, observed, events };
}

const applied: UpResult = { changes: { create: 9 }, outputs: { endpoint: "https://x/v1" } };

describe("readiness after up (issue 12, #1)", () => {
  describe("evaluateWorkloads", () => {
    it("ready only when every Deployment is available and updated at its desired replicas", () => {
      assert.equal(evaluateWorkloads([wl()]).state, "ready");
      const short = evaluateWorkloads([wl(), wl({ name: "floor", availableReplicas: 0, desiredReplicas: 1 })]);
      assert.equal(short.state, "pending");
      assert.match(short.reason, /mp-t\/floor: 0\/1 available/);
      assert.equal(evaluateWorkloads([wl({ updatedReplicas: 1 })]).state, "pending", "old replicas do not count");
      assert.equal(evaluateWorkloads([wl({ observedGeneration: 2 })]).state, "pending", "the new spec not yet seen");
      assert.equal(evaluateWorkloads([wl({ desiredReplicas: undefined })]).state, "pending");
    });

    it("the Available condition's reason is carried into the message", () => {
      const e = evaluateWorkloads([
        wl({
          availableReplicas: 0,
          conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "no" }],
        }),
      ]);
      assert.match(e.reason, /MinimumReplicasUnavailable: no/);
    });

    it("scaled to zero by design is its own state; a mix with a serving one is ready", () => {
      const zero = wl({ desiredReplicas: 0, availableReplicas: 0, updatedReplicas: 0 });
      assert.equal(evaluateWorkloads([zero]).state, "scaled-to-zero");
      assert.equal(evaluateWorkloads([zero, wl({ name: "b" })]).state, "ready");
    });

    it("ReplicaFailure fails at once; no Deployment at all is unknown", () => {
      const e = evaluateWorkloads([
        wl({ conditions: [{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: "quota" }] }),
      ]);
      assert.equal(e.state, "failed");
      assert.match(e.reason, /FailedCreate: quota/);
      assert.equal(evaluateWorkloads([]).state, "unknown");
    });
  });

  describe("followReadiness", () => {
    it("reports success only after the Deployments were seen serving; readiness in the outputs", async () => {
      const pending = [wl({ availableReplicas: 0, updatedReplicas: 2 })];
      const { run, observed, events } = await follow(applied, [pending, pending, [wl()]]);
      const r = await run;
      assert.equal(observed.length, 3);
      const readiness = r.outputs["readiness"] as Readiness;
      assert.equal(readiness.state, "ready");
      assert.equal(readiness.waitedSeconds, 60);
      assert.equal(r.outputs["endpoint"], "https://x/v1", "the stack's outputs are kept");
      const logs = events.map((e) => String(e.data["message"]));
      assert.equal(
        logs.filter((m) => m.startsWith("readiness: waiting")).length,
        1,
        "a repeated reason is logged once",
      );
      assert.ok(logs.some((m) => m.startsWith("readiness: ready")));
    });

    it("never serving within the timeout: the operation fails (not_ready) naming what was last seen", async () => {
      const pending = [
        wl({
          availableReplicas: 0,
          conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable" }],
        }),
      ];
      const { run, observed } = await follow(applied, [pending], 120);
      await assert.rejects(run, (err: unknown) => {
        const f = classifyEngineError(err);
        assert.equal(f.kind, "failed");
        assert.equal(f.code, "not_ready");
        assert.match(f.message, /dep-1.*not serving after 120 s: mp-t\/llama-server: 0\/2 available/);
        return true;
      });
      assert.equal(observed.length, 5, "observed at 0, 30, 60, 90, 120 s");
    });

    it("the stack's own readinessTimeoutSeconds wins over the default", async () => {
      const pending = [wl({ availableReplicas: 0 })];
      const { run, observed } = await follow({ ...applied, outputs: { readinessTimeoutSeconds: 60 } }, [pending], 6000);
      await assert.rejects(run, /not serving after 60 s/);
      assert.equal(observed.length, 3);
    });

    it("a capacity reason is classified so the worker re-places the deployment", async () => {
      const stuck = [
        wl({
          availableReplicas: 0,
          conditions: [
            { type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: "ZONE_RESOURCE_POOL_EXHAUSTED" },
          ],
        }),
      ];
      const { run } = await follow(applied, [stuck]);
      await assert.rejects(run, (err: unknown) => classifyEngineError(err).kind === "capacity");
    });

    it("scaled to zero: success with that state, not ready", async () => {
      const { run } = await follow(applied, [[wl({ desiredReplicas: 0, availableReplicas: 0, updatedReplicas: 0 })]]);
      assert.equal(((await run).outputs["readiness"] as Readiness).state, "scaled-to-zero");
    });

    it("nothing to observe, or the observation fails: unverified with the reason, never ready", async () => {
      const none = await follow(applied, [[]]);
      const a = (await none.run).outputs["readiness"] as Readiness;
      assert.equal(a.state, "unverified");
      assert.match(a.reason, /no Kubernetes Deployment/);
      const broken = await follow(applied, [new Error("refresh failed: Unauthorized")]);
      const b = (await broken.run).outputs["readiness"] as Readiness;
      assert.equal(b.state, "unverified");
      assert.match(b.reason, /Unauthorized/);
    });

    it("a simulated up is not followed; an engine without observe is returned as is", async () => {
      const { run, observed } = await follow({ ...applied, simulated: true }, [[wl()]]);
      assert.equal((await run).outputs["readiness"], undefined);
      assert.equal(observed.length, 0);
      const { engine } = fakeEngine(applied, [], false);
      assert.equal(followReadiness(engine, { defaultTimeoutSeconds: 1, intervalSeconds: 1 }), engine);
    });

    it("a cancel while waiting ends the wait as cancelled", async () => {
      const { engine } = fakeEngine(applied, [[wl({ availableReplicas: 0 })]]);
      const controller = new AbortController();
      const wrapped = followReadiness(engine, {
        defaultTimeoutSeconds: 600,
        intervalSeconds: 30,
        sleep: async () => controller.abort(),
      });
      await assert.rejects(
        wrapped.up({ stack, signal: controller.signal, onEvent: () => undefined }),
        (err: unknown) => classifyEngineError(err).kind === "cancelled",
      );
    });
  });
});
