import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../config";
import { createControlPlane, type ControlPlaneImpl } from "../controlplane/controlplane";
import { DryRunEngine } from "../engine/dry-run";
import type { Engine, PreviewOptions, UpOptions } from "../engine/types";
import { basePlacement, parseQuoteRequest, quote } from "../../core/optimizer";
import type { Footprint } from "../../core/footprint";
import type { Placement } from "../../core/placement";
import { defaultCatalog } from "../../core/pricing/catalog";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";
import { parseDeploymentSpec, type DeploymentSpec } from "../../../programs/deployment/spec";
import { openTestDb, type TestDb } from "../store/testing/test-db";
import type { Deployment } from "../types";
import { MAX_FAILOVER_TRIES, replace } from "./failover";

const ROOT = path.resolve(__dirname, "../../..");
const catalog = defaultCatalog();
const footprint: Footprint = footprintFromConfigFile(path.join(ROOT, "Pulumi.dev.yaml"));
const NOW = new Date("2026-11-30T12:00:00Z");

// Real provider texts (sources in engine/placement-failure.test.ts).
const AWS_ICE =
  "error: creating EC2 Instance: InsufficientInstanceCapacity: We currently do not have sufficient g6.xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity.";
const GCE_STOCKOUT =
  "error: ZONE_RESOURCE_POOL_EXHAUSTED: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request. Try a different zone, or try again later.";

const key = (p: Placement) => `${p.cloud} ${p.region} ${p.instanceType} ${p.capacity}`;

/** The dry-run engine (with a trivial offline plan), failing `up` on the placements listed, with a real provider error. */
class FailingEngine extends DryRunEngine implements Engine {
  readonly ups: string[] = [];
  constructor(private readonly failOn: (p: Placement) => string | undefined) {
    super(async () => ({
      resources: [{ type: "kubernetes:apps/v1:Deployment", name: "server" }],
      monthlyUsd: 1,
      policy: { denied: false, violations: [] },
    }));
  }
  override async preview(o: PreviewOptions) {
    return super.preview(o);
  }
  override async up(o: UpOptions) {
    this.ups.push(key(o.stack.spec.placement));
    const text = this.failOn(o.stack.spec.placement);
    if (text) {
      const err = new Error(`code: 255\n stdout: \n stderr: Updating (dev):\n    ${text}\n err?: `);
      err.name = "CommandError";
      throw err;
    }
    return super.up(o);
  }
}

function specFor(constraints: Record<string, unknown> = {}): DeploymentSpec {
  const request = parseQuoteRequest({
    model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
    constraints: { capacity: "spot", ...constraints },
  });
  const q = quote(request, catalog, { now: NOW, footprint, limit: 1 });
  const placement = basePlacement(q.placements[0]!);
  return parseDeploymentSpec({
    deploymentId: "dep-failover",
    tenant: "acme",
    owner: "tests",
    costCenter: "cc",
    environment: "dev",
    model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
    placement,
    platformStack: "acme/modelplane-platform/dev",
    placementConstraints: request.constraints,
  });
}

describe("capacity/quota failover: re-placement (pure)", function () {
  it("picks the next-cheapest placement in the footprint that avoids every exclusion", function () {
    const spec = specFor();
    const first = spec.placement;
    const exclusion = {
      cloud: first.cloud,
      region: first.region,
      instanceType: first.instanceType,
      capacity: first.capacity,
      code: "capacity_unavailable",
      providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
      failedAt: NOW.toISOString(),
      until: new Date(NOW.getTime() + 6 * 3_600_000).toISOString(),
    };
    const r = replace(spec, [exclusion], { catalog, footprint }, NOW);
    assert.ok("placement" in r, JSON.stringify(r));
    assert.notEqual(key(r.placement), key(first));
    assert.ok(r.placement.monthlyUsd >= first.monthlyUsd, "the next-cheapest, never a cheaper one skipped before");
    assert.equal(r.spec.placement.instanceType, r.placement.instanceType);
    assert.match(r.placement.why ?? "", /^failover: 1 placement\(s\) excluded/);
    const inFootprint = footprint.clusters.some(
      (c) => c.cloud === r.placement.cloud && c.region === r.placement.region,
    );
    assert.ok(inFootprint, "stays inside the footprint");
  });

  it("stays within the request's own constraints (a region pinned for residency)", function () {
    const spec = specFor({ clouds: ["aws"] });
    assert.equal(spec.placement.cloud, "aws");
    const ex = (p: Placement) => ({
      cloud: p.cloud,
      region: p.region,
      instanceType: p.instanceType,
      capacity: p.capacity,
      code: "quota_exceeded",
      providerCode: "VcpuLimitExceeded",
      failedAt: NOW.toISOString(),
      until: new Date(NOW.getTime() + 3_600_000).toISOString(),
    });
    const r = replace(spec, [ex(spec.placement)], { catalog, footprint }, NOW);
    assert.ok("placement" in r);
    assert.equal(r.placement.cloud, "aws");
    assert.equal(r.placement.capacity, "spot");
  });
});

describe("capacity/quota failover: the workload it was sized for", function () {
  it("re-places for the deployment's concurrency and context, not for one short sequence", function () {
    const model = { name: "mistral-7b", parametersBillions: 7, precision: "bf16" as const, contextTokens: 32768 };
    const request = parseQuoteRequest({ model: { ...model, concurrency: 8 }, constraints: { capacity: "spot" } });
    const q = quote(request, catalog, { now: NOW, footprint, limit: 1 });
    const needGiB = q.requirement.totalGiB;
    assert.ok(needGiB > 40, `8 sequences of 32k tokens need more than one 24 GiB GPU (${needGiB} GiB)`);
    const spec = parseDeploymentSpec({
      deploymentId: "dep-failover-workload",
      tenant: "acme",
      owner: "tests",
      costCenter: "cc",
      environment: "dev",
      model: { ...model, concurrency: 8 },
      placement: basePlacement(q.placements[0]!),
      platformStack: "acme/modelplane-platform/dev",
      placementConstraints: request.constraints,
    });
    const p = spec.placement;
    const r = replace(
      spec,
      [
        {
          cloud: p.cloud,
          region: p.region,
          instanceType: p.instanceType,
          capacity: p.capacity,
          code: "capacity_unavailable",
          providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
          failedAt: NOW.toISOString(),
          until: new Date(NOW.getTime() + 3_600_000).toISOString(),
        },
      ],
      { catalog, footprint },
      NOW,
    );
    assert.ok("placement" in r, JSON.stringify(r));
    assert.notEqual(key(r.placement), key(p));
    const held = r.placement.gpuMemoryGiB * r.placement.gpuCount;
    assert.ok(held >= needGiB, `${key(r.placement)} holds ${held} GiB; the workload needs ${needGiB}`);
    assert.equal(r.spec.model.concurrency, 8, "the new spec keeps the workload");
  });
});

describe("capacity/quota failover in the worker (dry-run engine, injected failures, PGlite)", function () {
  this.timeout(60_000);
  let t: TestDb;
  const dataDir = mkdtempSync(path.join(tmpdir(), "mp-failover-"));
  const open: ControlPlaneImpl[] = [];

  before(async function () {
    t = await openTestDb("pglite");
  });
  after(async function () {
    for (const cp of open) await cp.close();
    await t?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(engine: Engine): Promise<ControlPlaneImpl> {
    const cp = await createControlPlane(testConfig({ dataDir, schema: t.schema, workers: 1 }), {
      engine,
      db: t.db,
      heartbeatMs: 100,
      queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryBackoff: false, retryLimit: 0 },
      failover: { catalog, footprint },
    });
    open.push(cp);
    await cp.start();
    return cp;
  }

  async function settle(cp: ControlPlaneImpl, id: string): Promise<Deployment> {
    for (let i = 0; i < 600; i += 1) {
      const d = await cp.getDeployment("acme", id);
      if (["simulated", "failed", "ready", "cancelled"].includes(d.status)) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("deployment did not settle");
  }

  it("re-places on the next-cheapest placement after a capacity failure, with an event, and remembers the failure", async function () {
    const spec = specFor();
    const first = key(spec.placement);
    const engine = new FailingEngine((p) => (key(p) === first ? GCE_STOCKOUT : undefined));
    const cp = await start(engine);
    const { deployment } = await cp.submitDeployment({
      tenant: "acme",
      actor: "k",
      name: "m1",
      environment: "dev",
      model: "mistral-7b",
      spec,
      stackName: "acme-mistral-failover-1",
      placement: spec.placement,
      estimatedMonthlyUsd: spec.placement.monthlyUsd,
    });
    const d = await settle(cp, deployment.id);
    assert.equal(d.status, "simulated", JSON.stringify(d.error));
    assert.notEqual(key(d.placement), first);
    assert.equal(d.spec.placement.instanceType, d.placement.instanceType);
    assert.deepEqual(engine.ups, [first, key(d.placement)]);
    const events = await cp.listEvents("acme", deployment.id, 0, 200);
    const tries = events.filter((e) => e.data["failover"] !== undefined);
    assert.equal(tries.length, 1);
    assert.match(
      String(tries[0]?.data["message"]),
      /^failover try 1\/3: no capacity on .* \(ZONE_RESOURCE_POOL_EXHAUSTED\); re-placing on /,
    );
    const remembered = await cp.placementExclusions(new Date());
    assert.ok(remembered.some((x) => `${x.cloud} ${x.region} ${x.instanceType} ${x.capacity}` === first));
    // Six hours later it is forgotten.
    const later = await cp.placementExclusions(new Date(Date.now() + 6 * 3_600_000 + 60_000));
    assert.ok(!later.some((x) => `${x.cloud} ${x.region} ${x.instanceType} ${x.capacity}` === first));
    await cp.close();
  });

  it("gives up after 3 re-placements: 4 tries in all, each an event, the operation failed with the provider's code", async function () {
    const spec = specFor();
    const engine = new FailingEngine(() => AWS_ICE);
    const cp = await start(engine);
    const { deployment } = await cp.submitDeployment({
      tenant: "acme",
      actor: "k",
      name: "m2",
      environment: "dev",
      model: "mistral-7b",
      spec,
      stackName: "acme-mistral-failover-2",
      placement: spec.placement,
      estimatedMonthlyUsd: spec.placement.monthlyUsd,
    });
    const d = await settle(cp, deployment.id);
    assert.equal(d.status, "failed");
    assert.equal(d.error?.code, "capacity_unavailable");
    assert.equal(engine.ups.length, MAX_FAILOVER_TRIES + 1);
    assert.equal(new Set(engine.ups).size, engine.ups.length, "never the same placement twice");
    const events = await cp.listEvents("acme", deployment.id, 0, 300);
    const tries = events.filter((e) => e.data["failover"] !== undefined).map((e) => String(e.data["message"]));
    assert.equal(tries.length, MAX_FAILOVER_TRIES + 1);
    assert.match(tries[0]!, /^failover try 1\/3/);
    assert.match(tries[2]!, /^failover try 3\/3/);
    assert.match(tries[3]!, /failover gave up after 3 tries/);
    await cp.close();
  });
});
