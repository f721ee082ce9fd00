/**
 * Test support (not a test file): a control plane on the test engine with a re-quote catalog file,
 * and the steps the re-quote and migration tests share (a ready deployment, its recommendation,
 * the end of its migration, the engine calls on its stacks).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { testConfig } from "../../config";
import { DEFAULT_CATALOG_PATH } from "../../../core/pricing/catalog";
import type { Catalog } from "../../../core/pricing/types";
import type { Placement } from "../../../core/placement";
import { TestEngine } from "../../engine/testing/test-engine";
import type { Db } from "../../store/db";
import { footprintFromConfigFile } from "../../../../programs/platform/footprint";
import { openTestDb, type TestBackend, type TestDb } from "../../store/testing/test-db";
import { L4_SPOT_PLACED, testSpec } from "../../store/testing/spec";
import { waitFor } from "../../store/testing/wait";

export { waitFor };
import { createControlPlane, type ControlPlaneImpl } from "../controlplane";
import type { Deployment, SubmitDeploymentInput } from "../../types";

const ROOT = path.join(__dirname, "..", "..", "..", "..");
export const DEV_PLATFORM = path.join(ROOT, "Pulumi.dev.yaml");
export const FOOTPRINT = footprintFromConfigFile(DEV_PLATFORM);

/** One L4 spot node in gcp us-central1, at the shipped catalog's price. */
export const PLACED: Placement = L4_SPOT_PLACED;

/** The placed offer on demand: same cloud, region and instance type, so the same cluster. */
export const SAME_CLUSTER = {
  cloud: PLACED.cloud,
  region: PLACED.region,
  instanceType: PLACED.instanceType,
  capacity: "on-demand",
};

/** The shipped catalog with the placed offer (spot and on-demand) `factor` times dearer. */
export function dearer(factor: number): Catalog {
  const c = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")) as Catalog;
  c.version = `${c.version}-x${factor}`;
  const o = c.gpuOffers.find(
    (x) => x.cloud === PLACED.cloud && x.region === PLACED.region && x.instanceType === PLACED.instanceType,
  );
  assert.ok(o && o.spotHourlyUsd !== null, "the shipped catalog sells the placed offer as spot");
  o.spotHourlyUsd = PLACED.unitHourlyUsd * factor;
  o.onDemandHourlyUsd = Math.max(o.onDemandHourlyUsd, o.spotHourlyUsd * 1.5);
  return c;
}

/** A control plane on the test engine, the dev footprint and a catalog 3× dearer on the placed offer. */
export class MigrationHarness {
  engine = new TestEngine();
  private t: TestDb | undefined;
  private control: ControlPlaneImpl | undefined;
  private n = 0;
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), "mp-requote-"));
  readonly catalogFile = path.join(this.dataDir, "catalog.json");

  constructor(readonly backend: TestBackend) {}

  get db(): Db {
    assert.ok(this.t, "setUp() first");
    return this.t.db;
  }

  get cp(): ControlPlaneImpl {
    assert.ok(this.control, "setUp() first");
    return this.control;
  }

  async setUp(): Promise<void> {
    writeFileSync(this.catalogFile, JSON.stringify(dearer(3)));
    this.t = await openTestDb(this.backend);
    const config = testConfig({
      dataDir: this.dataDir,
      schema: this.t.schema,
      workers: 2,
      catalogFile: this.catalogFile,
      footprintSource: { kind: "config", file: DEV_PLATFORM, fromEnv: true },
    });
    this.control = await createControlPlane(config, {
      engine: this.engine,
      db: this.t.db,
      heartbeatMs: 50,
      requoteSchedule: false,
      queue: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1, retryBackoff: false, retryLimit: 0 },
    });
    await this.control.start();
  }

  async tearDown(): Promise<void> {
    await this.control?.close();
    await this.t?.dispose();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A new deployment of mistral-7b on PLACED, once it is ready. */
  async ready(tenant = "acme"): Promise<Deployment> {
    this.n++;
    const input: SubmitDeploymentInput = {
      tenant,
      actor: "key-1",
      name: `svc-${this.n}`,
      environment: "dev",
      model: "mistral-7b",
      spec: testSpec(this.n, { placement: PLACED }),
      stackName: `${tenant}-mistral-rq-${this.n}`,
      placement: PLACED,
      estimatedMonthlyUsd: PLACED.monthlyUsd,
    };
    const { deployment } = await this.cp.submitDeployment(input);
    return waitFor("ready", async () => {
      const d = await this.cp.getDeployment(tenant, deployment.id);
      return d.status === "ready" ? d : undefined;
    });
  }

  /** Sweep, and the id of the recommendation it made for deployment `id`. */
  async recommendationFor(id: string): Promise<string> {
    const report = await this.cp.requote({});
    const rec = report.recommendations.find((r) => r.deploymentId === id);
    assert.ok(rec, `a recommendation for ${id}: ${JSON.stringify(report)}`);
    return rec.id;
  }

  /** The deployment once its last operation, a migration, has ended. */
  lastOp(d: Deployment): Promise<Deployment> {
    return waitFor("the migration to end", async () => {
      const g = await this.cp.getDeployment(d.tenant, d.id);
      const op = g.operations.at(-1);
      return op && op.kind === "migrate" && op.status !== "queued" && op.status !== "running" ? g : undefined;
    });
  }

  /** Engine calls on the deployment's stacks, as `method:old|new`, from call number `from`. */
  callsOn(d: Deployment, from = 0): string[] {
    return this.engine.calls
      .slice(from)
      .filter((c) => c.deploymentId === d.id && c.method !== "outputs")
      .map((c) => `${c.method}:${c.stackName === d.stackName ? "old" : "new"}`);
  }

  /** The message of the deployment's `route-shifted` event. */
  async shiftMessage(d: Deployment): Promise<string> {
    const events = await this.cp.listEvents(d.tenant, d.id, 0, 500);
    const e = events.find((x) => (x.data["migration"] as { step?: string } | undefined)?.step === "route-shifted");
    return String(e?.data["message"]);
  }
}
