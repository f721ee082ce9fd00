/**
 * Issue 15's "Done when" for re-quote and migration, end to end over real HTTP: the real control
 * plane (PGlite) with the dry-run engine (the real offline plan), MODELPLANE_CATALOG pointing at a
 * file the test rewrites, and an injected API clock (no sleeps). Deploy → simulated with outputs →
 * /v1/costs shows the accrual → the offer's price doubled in the catalog file → POST
 * /v1/admin/requote → a recommendation → migrate → the events show every step; then the rules
 * around it (409, abort, a destroyed deployment's recommendation, a bad catalog file, tenancy).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DryRunEngine } from "../platform/service/engine/dry-run";
import { planDeployment } from "../platform/service/plan";
import { DEFAULT_CATALOG_PATH } from "../platform/core/pricing/catalog";
import type { Catalog } from "../platform/core/pricing/types";
import type { DeploymentEvent } from "../platform/service/types";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

const HOUR = 3_600_000;
const MODEL = { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

/** The catalog with one offer's price (as bought with `capacity`) multiplied by `factor`. */
function withPrice(
  catalog: Catalog,
  p: { cloud: string; region: string; instanceType: string; capacity: string },
  factor: number,
  version: string,
): Catalog {
  const copy = structuredClone(catalog);
  copy.version = version;
  let hit = 0;
  for (const o of copy.gpuOffers) {
    if (o.cloud !== p.cloud || o.region !== p.region || o.instanceType !== p.instanceType) continue;
    // Spot must stay below on-demand (the catalog schema's rule): a spot rise lifts both.
    if (p.capacity === "spot" && o.spotHourlyUsd !== null) o.spotHourlyUsd *= factor;
    o.onDemandHourlyUsd *= factor;
    hit++;
  }
  for (const o of copy.serverless) {
    if (p.capacity === "serverless" && o.cloud === p.cloud && o.region === p.region && o.sku === p.instanceType) {
      o.perSecondUsd *= factor;
      hit++;
    }
  }
  assert.equal(hit, 1, `the catalog has the offer ${JSON.stringify(p)}`);
  return copy;
}

describe("re-quote and migration (issue 15 item 3, Done when; dry-run engine)", function () {
  this.timeout(600_000);
  let fx: Fixture;
  let api: RunningApi;
  let dir: string;
  let catalogFile: string;
  let shipped: Catalog;
  let deployer: string;
  let viewerB: string;
  let adminA: string;
  let offsetMs = 0;

  async function deploy(key: string, model = MODEL): Promise<Record<string, unknown>> {
    const r = await call(api.base, "POST", "/v1/deployments", { key, body: { model } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body)["id"]);
    return eventually(async () => {
      const g = await call(api.base, "GET", `/v1/deployments/${id}`, { key });
      return ["simulated", "failed"].includes(String(obj(g.body)["status"])) ? obj(g.body) : undefined;
    }, 240_000);
  }

  async function events(tenant: string, id: string): Promise<DeploymentEvent[]> {
    return fx.controlPlane.listEvents(tenant, id, 0, 1000);
  }

  async function settled(key: string, id: string): Promise<Record<string, unknown>> {
    return eventually(async () => {
      const g = obj((await call(api.base, "GET", `/v1/deployments/${id}`, { key })).body);
      const ops = g["operations"] as Array<{ kind: string; status: string }>;
      return ops.every((o) => o.status !== "queued" && o.status !== "running") ? g : undefined;
    }, 240_000);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "modelplane-requote-"));
    catalogFile = join(dir, "catalog.json");
    shipped = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")) as Catalog;
    writeFileSync(catalogFile, JSON.stringify(shipped));
    fx = await controlPlaneFixture(
      { engine: new DryRunEngine((stack) => planDeployment(stack.spec, { footprint: fx.footprint })) },
      "pglite",
      {
        config: {
          catalogFile,
          footprintSource: { kind: "config", file: join(__dirname, "..", "Pulumi.dev.yaml"), fromEnv: true },
        },
      },
    );
    fx.controlPlane.configureRequote({ footprint: fx.footprint });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      clock: () => new Date(Date.now() + offsetMs),
    });
    deployer = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer")).secret;
    adminA = (await makeKey(api.base, fx.adminKey, "ml-team", "admin")).secret;
    viewerB = (await makeKey(api.base, fx.adminKey, "other-team", "viewer")).secret;
  });
  after(async () => {
    await api?.close();
    await fx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploy → simulated → accrues → price doubled → requote → recommendation → migrate, every step an event", async () => {
    // 1. Deploy: simulated, with would-be outputs.
    const d = await deploy(deployer);
    assert.equal(d["status"], "simulated", JSON.stringify(d["error"]));
    assert.equal(obj(d["outputs"])["simulated"], true);
    const id = String(d["id"]);
    const placement = obj(d["placement"]) as { cloud: string; region: string; instanceType: string; capacity: string };

    // 2. The ledger shows its accrual two whole hours later.
    const created = Date.parse(String(d["createdAt"]));
    offsetMs = Math.floor(created / HOUR) * HOUR + 2 * HOUR + 60_000 - Date.now();
    const from = new Date(Math.floor(created / HOUR) * HOUR).toISOString();
    const to = new Date(Math.floor(created / HOUR) * HOUR + 2 * HOUR).toISOString();
    const costs = await call(api.base, "GET", `/v1/costs?groupBy=model&from=${from}&to=${to}`, { key: deployer });
    assert.equal(costs.status, 200, JSON.stringify(costs.body));
    const row = (obj(costs.body)["rows"] as Array<{ key: string; usd: number; hours: number }>).find(
      (r) => r.key === "mistral-7b",
    );
    assert.ok(row && row.hours === 2 && row.usd > 0, JSON.stringify(costs.body));

    // Same catalog: nothing to recommend.
    // A bare POST (no body at all) runs the sweep: the action's fields are all optional.
    const quiet = await call(api.base, "POST", "/v1/admin/requote", { key: fx.adminKey });
    assert.equal(quiet.status, 200, JSON.stringify(quiet.body));
    assert.equal(obj(quiet.body)["swept"], 1);
    assert.deepEqual(obj(quiet.body)["recommendations"], []);

    // 3. The offer it runs on doubles in MODELPLANE_CATALOG; a sweep now recommends a move.
    const doubled = withPrice(shipped, placement, 2, `${shipped.version}-doubled`);
    writeFileSync(catalogFile, JSON.stringify(doubled));
    const sweep = await call(api.base, "POST", "/v1/admin/requote", { key: fx.adminKey, body: {} });
    assert.equal(sweep.status, 200, JSON.stringify(sweep.body));
    const report = obj(sweep.body);
    assert.equal(report["catalogVersion"], doubled.version);
    assert.equal(report["currency"], "USD");
    const recs = report["recommendations"] as Array<Record<string, unknown>>;
    assert.equal(recs.length, 1, JSON.stringify(recs));
    const rec = obj(recs[0]);
    assert.equal(rec["deploymentId"], id);
    assert.equal(rec["reason"], "price-change");
    assert.equal(rec["catalogVersion"], doubled.version);
    assert.equal(rec["currency"], "USD");
    const current = obj(rec["current"]);
    const proposed = obj(rec["proposed"]);
    // The current offer is repriced at twice its price; the proposal is another, cheaper offer.
    assert.ok(
      Math.abs(
        Number(obj(current["placement"])["unitHourlyUsd"]) -
          2 * Number((d["placement"] as Record<string, number>)["unitHourlyUsd"]),
      ) < 1e-9,
    );
    assert.notEqual(
      obj(proposed["placement"])["instanceType"] + String(obj(proposed["placement"])["region"]),
      placement.instanceType + placement.region,
    );
    assert.ok(Number(rec["savingMonthlyUsd"]) >= 50 && Number(rec["savingPct"]) >= 15, JSON.stringify(rec));
    assert.ok(
      Math.abs(Number(current["monthlyUsd"]) - Number(proposed["monthlyUsd"]) - Number(rec["savingMonthlyUsd"])) <
        0.011,
    );

    // Listed for the tenant, not for another tenant.
    const listed = await call(api.base, "GET", "/v1/recommendations", { key: deployer });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      (obj(listed.body)["items"] as Array<{ id: string }>).map((r) => r.id),
      [rec["id"]],
    );
    const other = await call(api.base, "GET", "/v1/recommendations", { key: viewerB });
    assert.deepEqual(obj(other.body)["items"], []);

    // 4. Migrate to it: new stack up → ready → route shifted → old stack destroyed.
    const m = await call(api.base, "POST", `/v1/deployments/${id}/migrate`, {
      key: deployer,
      body: { recommendationId: rec["id"] },
    });
    assert.equal(m.status, 202, JSON.stringify(m.body));
    const migration = obj(obj(m.body)["migration"]);
    const oldStack = String(d["stackName"]);
    assert.equal(migration["fromStack"], oldStack);
    const newStack = String(migration["toStack"]);
    assert.notEqual(newStack, oldStack);
    const after = await settled(deployer, id);
    const ops = after["operations"] as Array<{ kind: string; status: string }>;
    assert.deepEqual(ops.at(-1), { ...ops.at(-1), kind: "migrate", status: "succeeded" });
    assert.equal(after["status"], "simulated");
    assert.equal(after["stackName"], newStack);
    assert.deepEqual(after["placement"], proposed["placement"]);
    assert.equal(after["estimatedMonthlyUsd"], proposed["monthlyUsd"]);
    const evs = await events("ml-team", id);
    const steps = evs.map((e) => (e.data["migration"] as { step?: string } | undefined)?.step).filter(Boolean);
    assert.deepEqual(steps, ["requested", "new-stack-up", "ready", "route-shifted", "old-destroyed"]);
    assert.ok(
      evs.some((e) => e.type === "summary" && e.data["kind"] === "migrate" && e.data["result"] === "succeeded"),
    );
    // The migration never moved the deployment's status away from serving.
    const statuses = evs.filter((e) => e.type === "status").map((e) => e.data["status"]);
    assert.deepEqual(statuses, ["queued", "previewing", "deploying", "simulated"]);
    // The spent recommendation is gone, and a new sweep finds the new placement already cheapest.
    assert.deepEqual(obj((await call(api.base, "GET", "/v1/recommendations", { key: deployer })).body)["items"], []);
    const again = await call(api.base, "POST", "/v1/admin/requote", { key: adminA, body: {} });
    assert.deepEqual(obj(again.body)["recommendations"], []);
    // The new stack is the next generation; a later PATCH keeps it (else every object is renamed).
    assert.equal(obj(after["spec"])["generation"], 2);
    const patched = await call(api.base, "PATCH", `/v1/deployments/${id}`, {
      key: deployer,
      body: { scaling: { maxReplicas: 2 } },
    });
    assert.equal(patched.status, 202, JSON.stringify(patched.body));
    assert.equal(obj(obj(patched.body)["spec"])["generation"], 2, "a PATCH keeps the stack generation");
    assert.equal(obj(obj(obj(patched.body)["spec"])["scaling"])["maxReplicas"], 2);
    // Whether the update applies or not, the deployment stays on the migrated stack's spec.
    const rescaled = await settled(deployer, id);
    assert.equal(obj(rescaled["spec"])["generation"], 2);
    assert.equal(rescaled["stackName"], newStack);
  });

  it("409 while another operation runs; abort leaves the old stack serving; a destroyed deployment's recommendation disappears", async () => {
    const d = await deploy(deployer, { ...MODEL, name: "qwen-7b" });
    assert.equal(d["status"], "simulated", JSON.stringify(d["error"]));
    const id = String(d["id"]);
    const p = obj(d["placement"]) as { cloud: string; region: string; instanceType: string; capacity: string };
    writeFileSync(catalogFile, JSON.stringify(withPrice(shipped, p, 3, `${shipped.version}-tripled`)));
    const sweepR = await call(api.base, "POST", "/v1/admin/requote", { key: adminA, body: {} });
    assert.equal(sweepR.status, 200, JSON.stringify(sweepR.body));
    const sweep = obj(sweepR.body);
    const rec = (sweep["recommendations"] as Array<{ id: string; deploymentId: string }>).find(
      (r) => r.deploymentId === id,
    );
    assert.ok(rec, JSON.stringify(sweep));

    // An update is queued: a migration is refused with 409 until it is done.
    const upd = await call(api.base, "POST", `/v1/deployments/${id}/cancel`, { key: deployer });
    assert.equal(upd.status, 409); // nothing in flight yet
    await fx.controlPlane.requestUpdate(
      "ml-team",
      id,
      { spec: obj(d["spec"]) as never, estimatedMonthlyUsd: Number(d["estimatedMonthlyUsd"]) },
      "test",
    );
    const refused = await call(api.base, "POST", `/v1/deployments/${id}/migrate`, {
      key: deployer,
      body: { recommendationId: rec.id },
    });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(errorOf(refused).message, /operation is (queued|running)/);
    await eventually(async () => {
      const g = obj((await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer })).body);
      return g["status"] === "simulated" ? g : undefined;
    }, 60_000);

    // Two migrations at once: one is accepted, the other is a 409.
    const [a, b] = await Promise.all([
      call(api.base, "POST", `/v1/deployments/${id}/migrate`, { key: deployer, body: { recommendationId: rec.id } }),
      call(api.base, "POST", `/v1/deployments/${id}/migrate`, { key: deployer, body: { recommendationId: rec.id } }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [202, 409], JSON.stringify([a.body, b.body]));
    const after = await settled(deployer, id);
    assert.equal(after["status"], "simulated");
    assert.equal((after["operations"] as Array<{ kind: string; status: string }>).at(-1)?.kind, "migrate");

    // Abort with nothing in flight: 409.
    assert.equal((await call(api.base, "POST", `/v1/deployments/${id}/migrate/abort`, { key: deployer })).status, 409);
  });

  it("a destroyed deployment's recommendation disappears from GET /v1/recommendations", async () => {
    const d = await deploy(deployer, { ...MODEL, name: "gemma-7b" });
    const id = String(d["id"]);
    const p = obj(d["placement"]) as { cloud: string; region: string; instanceType: string; capacity: string };
    writeFileSync(catalogFile, JSON.stringify(withPrice(shipped, p, 4, `${shipped.version}-x4`)));
    const s1 = obj((await call(api.base, "POST", "/v1/admin/requote", { key: adminA, body: {} })).body);
    assert.ok((s1["recommendations"] as Array<{ deploymentId: string }>).some((r) => r.deploymentId === id));
    const before = obj((await call(api.base, "GET", "/v1/recommendations", { key: deployer })).body);
    assert.ok((before["items"] as Array<{ deploymentId: string }>).some((r) => r.deploymentId === id));
    assert.equal((await call(api.base, "DELETE", `/v1/deployments/${id}`, { key: deployer })).status, 202);
    const list = obj((await call(api.base, "GET", "/v1/recommendations", { key: deployer })).body);
    assert.ok(!(list["items"] as Array<{ deploymentId: string }>).some((r) => r.deploymentId === id));
  });

  it("a bad MODELPLANE_CATALOG file is a 400 naming the variable and the file; a tenant admin sweeps only its tenant", async () => {
    writeFileSync(catalogFile, "{ not json");
    const r = await call(api.base, "POST", "/v1/admin/requote", { key: fx.adminKey, body: {} });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(errorOf(r).field, "MODELPLANE_CATALOG");
    assert.match(errorOf(r).message, /catalog\.json/);
    writeFileSync(catalogFile, JSON.stringify({ ...shipped, gpuOffers: "none" }));
    const r2 = await call(api.base, "POST", "/v1/admin/requote", { key: fx.adminKey, body: {} });
    assert.equal(r2.status, 400);
    assert.match(errorOf(r2).message, /gpuOffers/);
    writeFileSync(catalogFile, JSON.stringify(shipped));

    const forbidden = await call(api.base, "POST", "/v1/admin/requote", {
      key: adminA,
      body: { tenant: "other-team" },
    });
    assert.equal(forbidden.status, 403);
    assert.equal((await call(api.base, "POST", "/v1/admin/requote", { key: deployer, body: {} })).status, 403);
    const other = await call(api.base, "GET", "/v1/recommendations?tenant=ml-team", { key: viewerB });
    assert.equal(other.status, 403);
  });
});
