/**
 * Quotes and the deployment lifecycle over real HTTP on 127.0.0.1, against the real control plane
 * on PGlite with the test engine (records calls, hangs on demand): 202 + Location, persistence,
 * idempotency, conflicts, infeasible requests, explicit placements, the on-demand floor, PATCH,
 * DELETE, cancel, Server-Sent Events with Last-Event-ID replay and live events, /readyz.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import { quote, type QuoteRequest } from "../../platform/core/optimizer";
import { HOURS_PER_MONTH } from "../../platform/core/types";
import { stackNameFor } from "../../programs/deployment/stack-name";
import { QuoteResponseSchema } from "./create-quote";
import { DeploymentAcceptedSchema, DeploymentEventSchema, DeploymentSchema } from "../schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  readSse,
  serve,
  type Fixture,
  type RunningApi,
} from "../testing/harness";

import { clusterAt } from "../../platform/core/footprint";

const MODEL = { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

function fullQuote(model: typeof MODEL, extra: Partial<QuoteRequest> = {}): QuoteRequest {
  return {
    model: { ...model, precision: "bf16", concurrency: 1 },
    replicas: 1,
    activeHoursPerDay: 24,
    constraints: { capacity: "any" },
    ...extra,
  };
}

describe("api: quotes and deployments (real HTTP, PGlite control plane, test engine)", () => {
  let fx: Fixture;
  let api: RunningApi;
  let engine: TestEngine;
  let deployer: string;
  let viewer: string;

  before(async () => {
    engine = new TestEngine();
    fx = await controlPlaneFixture({ engine });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    deployer = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer", "alice")).secret;
    viewer = (await makeKey(api.base, fx.adminKey, "ml-team", "viewer")).secret;
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  const deploy = (body: unknown, headers: Record<string, string> = {}) =>
    call(api.base, "POST", "/v1/deployments", { key: deployer, body, headers });
  const get = async (id: string) =>
    DeploymentSchema.parse((await call(api.base, "GET", `/v1/deployments/${id}`, { key: viewer })).body);
  /** Wait until the deployment reaches `status`; answers it then. */
  const untilStatus = (id: string, status: string) =>
    eventually(async () => {
      const g = await get(id);
      return g.status === status ? g : undefined;
    });
  /** Deploy a model named `name` and wait until it is ready; answers its id. */
  const deployReady = async (name: string): Promise<string> => {
    const r = await deploy({ model: { ...MODEL, name } });
    const id = String(obj(r.body).id);
    await untilStatus(id, "ready");
    return id;
  };

  describe("POST /v1/quotes", () => {
    it("answers the optimizer's quote, cheapest per month first", async () => {
      const r = await call(api.base, "POST", "/v1/quotes", {
        key: viewer,
        body: { model: MODEL, constraints: { clouds: ["gcp", "azure"], scope: "anywhere" } },
      });
      assert.equal(r.status, 200);
      const q = QuoteResponseSchema.parse(r.body);
      const expected = quote(
        fullQuote(MODEL, { constraints: { capacity: "any", clouds: ["gcp", "azure"], scope: "anywhere" } }),
        fx.catalog,
        { footprint: fx.footprint },
      );
      assert.deepEqual(
        q.placements.map((p) => `${p.cloud}/${p.region}/${p.instanceType}/${p.capacity}`),
        expected.placements.map((p) => `${p.cloud}/${p.region}/${p.instanceType}/${p.capacity}`),
      );
      assert.ok(q.placements.length > 0);
      assert.ok(q.placements.every((p) => p.cloud === "gcp" || p.cloud === "azure"));
      for (let i = 1; i < q.placements.length; i++)
        assert.ok(q.placements[i - 1]!.monthlyUsd <= q.placements[i]!.monthlyUsd);
    });

    it("explains an infeasible quote in a 200 (a quote is advice)", async () => {
      const r = await call(api.base, "POST", "/v1/quotes", {
        key: viewer,
        body: { model: { ...MODEL, parametersBillions: 405, precision: "fp32" }, constraints: { gpuTypes: ["T4"] } },
      });
      assert.equal(r.status, 200);
      const q = QuoteResponseSchema.parse(r.body);
      assert.equal(q.placements.length, 0);
      assert.ok(q.infeasible && q.infeasible.message.length > 0);
    });
  });

  describe("POST /v1/deployments", () => {
    it("accepts at once: 202, Location, stack name, the optimizer's placement, status queued, persisted", async () => {
      engine.next("preview", { kind: "succeed", delayMs: 300 });
      const r = await deploy({ model: MODEL, environment: "staging", costCenter: "cc-42" });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.equal(r.headers.get("location"), `/v1/deployments/${d.id}`);
      assert.equal(r.headers.get("idempotent-replayed"), "false");
      assert.equal(d.status, "queued");
      assert.equal(d.stackName, stackNameFor({ tenant: "ml-team", model: MODEL.name, environment: "staging" }));
      // The cheapest placement inside the platform's footprint (the dev footprint: three regions).
      const best = quote(fullQuote(MODEL), fx.catalog, { limit: 10_000 }).placements.find((p) =>
        clusterAt(fx.footprint, p.cloud, p.region),
      )!;
      assert.ok(clusterAt(fx.footprint, d.placement.cloud, d.placement.region), "placed inside the footprint");
      assert.equal(d.placement.region, best.region);
      assert.equal(d.placement.instanceType, best.instanceType);
      assert.equal(d.placement.capacity, best.capacity);
      assert.equal(d.estimatedMonthlyUsd, Math.round(best.monthlyUsd * 100) / 100);
      assert.equal(d.tenant, "ml-team");
      assert.equal(obj(d.spec).owner, "alice", "owner defaults to the key's name");
      assert.equal(obj(d.spec).costCenter, "cc-42");
      // Persisted: the control plane has it, and the worker takes it to ready.
      const stored = await fx.controlPlane.getDeployment("ml-team", d.id);
      assert.equal(stored.stackName, d.stackName);
      const ready = await untilStatus(d.id, "ready");
      assert.ok(ready.outputs && typeof ready.outputs.endpoint === "string");
      assert.deepEqual(
        ready.operations.map((o) => [o.kind, o.status]),
        [["create", "succeeded"]],
      );
    });

    it("returns the same deployment for a repeated Idempotency-Key, 409 for the key with another request", async () => {
      const body = { model: { ...MODEL, name: "idem-model" } };
      const a = await deploy(body, { "idempotency-key": "req-123" });
      const b = await deploy(body, { "idempotency-key": "req-123" });
      assert.equal(a.status, 202);
      assert.equal(b.status, 202);
      assert.equal(obj(b.body).id, obj(a.body).id);
      assert.equal(b.headers.get("idempotent-replayed"), "true");
      const c = await deploy({ model: { ...MODEL, name: "idem-model-2" } }, { "idempotency-key": "req-123" });
      assert.equal(c.status, 409);
      assert.equal(errorOf(c).code, "conflict");
      const bad = await deploy(body, { "idempotency-key": "has spaces" });
      assert.equal(bad.status, 400);
      assert.equal(errorOf(bad).field, "Idempotency-Key");
      const page = await call(api.base, "GET", "/v1/deployments?model=idem-model", { key: viewer });
      assert.equal((obj(page.body).items as unknown[]).length, 1, "one deployment persisted, not two");
    });

    it("answers 409 when the stack is taken by a live deployment of the same model and environment", async () => {
      const body = { model: { ...MODEL, name: "twice" } };
      assert.equal((await deploy(body)).status, 202);
      const again = await deploy(body);
      assert.equal(again.status, 409);
      assert.equal(errorOf(again).code, "conflict");
    });

    it("answers 422 (infeasible) before anything is queued when no placement fits", async () => {
      const r = await deploy({
        model: { ...MODEL, name: "too-big", parametersBillions: 405, precision: "fp32" },
        constraints: { gpuTypes: ["T4"] },
      });
      assert.equal(r.status, 422);
      assert.equal(errorOf(r).code, "infeasible");
      assert.match(errorOf(r).message, /T4|relax|GiB/);
      assert.ok(errorOf(r).details !== undefined, "the explanation travels with the error");
      const page = await call(api.base, "GET", "/v1/deployments?model=too-big", { key: viewer });
      assert.deepEqual(obj(page.body).items, [], "nothing persisted, so nothing queued");
    });

    it("takes an explicit placement, priced from the catalog; rejects one the catalog does not have", async () => {
      const options = quote(fullQuote(MODEL, { constraints: { capacity: "on-demand" } }), fx.catalog, {
        limit: 10_000,
      })
        .placements.filter((p) => clusterAt(fx.footprint, p.cloud, p.region))
        .slice(0, 5);
      const pick = options[options.length - 1]!;
      const r = await deploy({
        model: { ...MODEL, name: "pinned" },
        placement: { cloud: pick.cloud, region: pick.region, instanceType: pick.instanceType, capacity: pick.capacity },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.equal(d.placement.instanceType, pick.instanceType);
      assert.equal(d.placement.hourlyUsd, pick.hourlyUsd);
      assert.match(d.placement.why ?? "", /explicit/);
      const missing = await deploy({
        model: { ...MODEL, name: "pinned-2" },
        placement: { cloud: pick.cloud, region: pick.region, instanceType: "no-such-type", capacity: "on-demand" },
      });
      assert.equal(missing.status, 400);
      assert.equal(errorOf(missing).field, "placement.instanceType");
      const excluded = await deploy({
        model: { ...MODEL, name: "pinned-3" },
        constraints: { clouds: [pick.cloud === "aws" ? "gcp" : "aws"] },
        placement: { cloud: pick.cloud, region: pick.region, instanceType: pick.instanceType, capacity: "on-demand" },
      });
      assert.equal(excluded.status, 422);
      assert.match(errorOf(excluded).message, /constraints\.clouds/);
    });

    it("an explicit placement outside the footprint is a 422 outside_footprint naming the regions offered; nothing is queued", async () => {
      const outside = quote(
        fullQuote(MODEL, { constraints: { clouds: ["aws"], regions: ["eu-south-2"], capacity: "spot" } }),
        fx.catalog,
        { limit: 1 },
      ).placements[0];
      assert.ok(outside, "the catalog sells aws eu-south-2");
      const r = await deploy({
        model: { ...MODEL, name: "outside" },
        placement: { cloud: "aws", region: "eu-south-2", instanceType: outside.instanceType, capacity: "spot" },
      });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      const e = obj(obj(r.body).error);
      assert.equal(e.code, "outside_footprint");
      assert.equal(e.field, "placement.region");
      assert.deepEqual(obj(e.details).regions, ["aws us-east-1", "azure westus3", "gcp us-central1"]);
      assert.match(
        String(e.message),
        /no cluster in aws eu-south-2; it runs in aws us-east-1, azure westus3, gcp us-central1/,
      );
      const page = await call(api.base, "GET", "/v1/deployments?model=outside", { key: viewer });
      assert.deepEqual(obj(page.body).items, []);
    });

    it("an on-demand floor makes the optimizer choose spot and adds the floor's premium to the estimate", async () => {
      const r = await deploy({
        model: { ...MODEL, name: "floored" },
        replicas: 3,
        scaling: { minReplicas: 2, maxReplicas: 4 },
        onDemandFloorReplicas: 1,
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.equal(d.placement.capacity, "spot");
      assert.equal(d.placement.replicas, 3);
      const p = d.placement;
      const premium = (p.onDemandUnitHourlyUsd! - p.unitHourlyUsd) * HOURS_PER_MONTH;
      assert.ok(Math.abs(d.estimatedMonthlyUsd - (p.monthlyUsd + premium)) < 0.01);
      assert.equal(obj(d.spec).onDemandFloorReplicas, 1);
    });
  });

  describe("lifecycle: PATCH, DELETE, cancel", () => {
    let id: string;

    before(async () => {
      id = await deployReady("lifecycle");
    });

    it("PATCH scaling queues an update on the same offer, re-priced for the new floor", async () => {
      const before = await get(id);
      const r = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
        key: deployer,
        body: { scaling: { minReplicas: 2, maxReplicas: 5 } },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.equal(d.placement.instanceType, before.placement.instanceType);
      assert.equal(d.placement.replicas, 2);
      assert.ok(Math.abs(d.placement.hourlyUsd - 2 * before.placement.unitHourlyUsd) < 1e-9);
      assert.deepEqual(obj(d.spec).scaling, {
        minReplicas: 2,
        maxReplicas: 5,
        scaleToZero: false,
        targetConcurrencyPerReplica: 8,
      });
      const done = await eventually(async () => {
        const g = await get(id);
        return g.status === "ready" && g.operations.length === 2 ? g : undefined;
      });
      assert.deepEqual(
        done.operations.map((o) => o.kind),
        ["create", "update"],
      );
    });

    it("PATCH with nothing to change is a 400; re-placement under new constraints moves clouds", async () => {
      const empty = await call(api.base, "PATCH", `/v1/deployments/${id}`, { key: deployer, body: {} });
      assert.equal(empty.status, 400);
      assert.match(errorOf(empty).message, /nothing to change/);
      const current = await get(id);
      const other = current.placement.cloud === "gcp" ? "azure" : "gcp";
      const r = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
        key: deployer,
        body: { constraints: { clouds: [other] } },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal(DeploymentAcceptedSchema.parse(r.body).placement.cloud, other);
      await untilStatus(id, "ready");
    });

    it("a re-placement keeps the workload the deployment was sized for (concurrency)", async () => {
      const r = await deploy({ model: { ...MODEL, name: "sized", contextTokens: 32768, concurrency: 4 } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const sized = String(obj(r.body).id);
      assert.equal(obj(obj(obj(r.body).spec).model).concurrency, 4);
      await untilStatus(sized, "ready");
      const current = await get(sized);
      const other = current.placement.cloud === "gcp" ? "azure" : "gcp";
      const p = await call(api.base, "PATCH", `/v1/deployments/${sized}`, {
        key: deployer,
        body: { constraints: { clouds: [other] } },
      });
      assert.equal(p.status, 202, JSON.stringify(p.body));
      const moved = DeploymentAcceptedSchema.parse(p.body);
      assert.equal(obj(obj(moved.spec).model).concurrency, 4, "the new spec keeps the concurrency");
      await untilStatus(sized, "ready");
    });

    it("cancel stops a running operation; a second cancel is a 409", async () => {
      engine.next("preview", { kind: "hang" });
      const started = engine.started("preview");
      const r = await deploy({ model: { ...MODEL, name: "to-cancel" } });
      const cid = String(obj(r.body).id);
      await started;
      const c = await call(api.base, "POST", `/v1/deployments/${cid}/cancel`, { key: deployer });
      assert.equal(c.status, 202);
      const final = await untilStatus(cid, "cancelled");
      assert.equal(final.operations[0]?.status, "cancelled");
      const again = await call(api.base, "POST", `/v1/deployments/${cid}/cancel`, { key: deployer });
      assert.equal(again.status, 409);
    });

    it("DELETE answers 202 and the deployment ends destroyed; its stack is free again", async () => {
      const r = await call(api.base, "DELETE", `/v1/deployments/${id}`, { key: deployer });
      assert.equal(r.status, 202);
      assert.equal(r.headers.get("location"), `/v1/deployments/${id}`);
      await untilStatus(id, "destroyed");
      assert.ok(engine.callsOf("destroy").some((c) => c.deploymentId === id));
      const again = await deploy({ model: { ...MODEL, name: "lifecycle" } });
      assert.equal(again.status, 202, "the stack name can be reused after destroy");
    });
  });

  describe("GET /v1/deployments/:id/events (SSE)", () => {
    let id: string;

    before(async () => {
      id = await deployReady("events");
    });

    it("replays persisted events in order with ids, then ends with follow=false", async () => {
      const s = await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, viewer, () => false);
      assert.equal(s.status, 200);
      assert.match(s.contentType ?? "", /text\/event-stream/);
      const events = s.frames.map((f) => DeploymentEventSchema.parse(JSON.parse(f.data)));
      assert.ok(events.length >= 4);
      assert.deepEqual(
        s.frames.map((f) => f.id),
        events.map((e) => String(e.id)),
      );
      assert.deepEqual(
        s.frames.map((f) => f.event),
        events.map((e) => e.type),
      );
      for (let i = 1; i < events.length; i++) assert.ok(events[i - 1]!.id < events[i]!.id);
      assert.equal(events[0]?.type, "status");
      assert.equal(obj(events[0]?.data).status, "queued");
      assert.ok(events.some((e) => e.type === "status" && e.data.status === "ready"));
    });

    it("resumes after Last-Event-ID (and ?after=), sending nothing twice", async () => {
      const all = (
        await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, viewer, () => false)
      ).frames.map((f) => Number(f.id));
      const cut = all[1]!;
      const resumed = await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, viewer, () => false, {
        headers: { "last-event-id": String(cut) },
      });
      assert.deepEqual(
        resumed.frames.map((f) => Number(f.id)),
        all.filter((n) => n > cut),
      );
      const byQuery = await readSse(
        api.base,
        `/v1/deployments/${id}/events?follow=false&after=${cut}`,
        viewer,
        () => false,
      );
      assert.deepEqual(
        byQuery.frames.map((f) => Number(f.id)),
        all.filter((n) => n > cut),
      );
      const bad = await call(api.base, "GET", `/v1/deployments/${id}/events`, {
        key: viewer,
        headers: { "last-event-id": "abc" },
      });
      assert.equal(bad.status, 400);
      assert.equal(errorOf(bad).field, "Last-Event-ID");
    });

    it("streams live events after the replay", async () => {
      const all = (
        await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, viewer, () => false)
      ).frames.map((f) => Number(f.id));
      const last = all[all.length - 1]!;
      let patched = false;
      const s = await readSse(
        api.base,
        `/v1/deployments/${id}/events`,
        viewer,
        (frames) =>
          frames.some((f) => f.event === "status" && JSON.parse(f.data).data.status === "ready" && Number(f.id) > last),
        {
          headers: { "last-event-id": String(last) },
          onOpen: () => {
            if (patched) return;
            patched = true;
            void call(api.base, "PATCH", `/v1/deployments/${id}`, {
              key: deployer,
              body: { scaling: { minReplicas: 1, maxReplicas: 2 } },
            });
          },
        },
      );
      assert.equal(s.status, 200);
      const ids = s.frames.map((f) => Number(f.id));
      assert.ok(ids.length >= 3, `live frames: ${ids.join(",")}`);
      assert.ok(ids.every((n) => n > last));
      assert.deepEqual(
        ids,
        [...new Set(ids)].sort((a, b) => a - b),
        "in order, no duplicates",
      );
      assert.equal(JSON.parse(s.frames[0]!.data).data.status, "queued");
    });
  });

  describe("GET /readyz", () => {
    it("is 200 when the database answers and the engine is available, 503 with the reason when not", async () => {
      const ok = await call(api.base, "GET", "/readyz");
      assert.equal(ok.status, 200);
      assert.equal(obj(ok.body).ready, true);
      const fp = obj(obj(ok.body).footprint);
      assert.match(String(fp.source), /^config .*Pulumi\.dev\.yaml$/, "says which footprint was used");
      assert.deepEqual(
        (fp.clusters as Array<{ name: string }>).map((c) => c.name),
        ["aws-us-east-1", "azure-westus3", "gcp-us-central1"],
      );
      const saved = engine.availabilityResult;
      engine.availabilityResult = {
        available: false,
        reason: "Pulumi CLI not found: install it, or set MODELPLANE_PULUMI_AUTO_INSTALL=1",
      };
      try {
        const r = await call(api.base, "GET", "/readyz");
        assert.equal(r.status, 503);
        const b = obj(r.body);
        assert.equal(b.ready, false);
        assert.deepEqual(b.reasons, ["Pulumi CLI not found: install it, or set MODELPLANE_PULUMI_AUTO_INSTALL=1"]);
        assert.equal(obj(b.database).ok, true);
      } finally {
        engine.availabilityResult = saved;
      }
      const h = await call(api.base, "GET", "/healthz");
      assert.deepEqual(h.body, { status: "ok" });
    });
  });
});
