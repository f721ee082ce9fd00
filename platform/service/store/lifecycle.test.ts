import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ConflictError, NotFoundError } from "../../core/errors";
import type { Placement } from "../../core/placement";
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from "../types";
import type { Db } from "./db";
import { insertDeployment, insertOperation } from "./deployments";
import { claimOperationForJob } from "./finish";
import { IllegalTransitionError, LIFECYCLE_EVENTS, next, sources, transition, type LifecycleEvent } from "./lifecycle";
import { migrate } from "./migrate";
import { driveTo, pathTo } from "./testing/lifecycle-path";
import { openTestDb, type TestDb } from "./testing/test-db";
import { TEST_PLACEMENT, testSpec } from "./testing/spec";

const REPO = path.resolve(__dirname, "../../..");

const placement: Placement = TEST_PLACEMENT;

/** Every (status, event) pair of the table: legal when the table has a target. */
const PAIRS = DEPLOYMENT_STATUSES.flatMap((from) => LIFECYCLE_EVENTS.map((event) => ({ from, event })));

/** The statuses an event can lead to (from anywhere). */
function targetsOf(event: LifecycleEvent): DeploymentStatus[] {
  return DEPLOYMENT_STATUSES.filter((to) => sources(event, to).length > 0);
}

/** The columns a transition may touch, to prove a refusal changed nothing. */
async function snapshot(db: Db, id: string): Promise<Record<string, unknown>> {
  const r = await db.query(`SELECT status, error, outputs, updated_at FROM deployments WHERE id = $1`, [id]);
  const row = r.rows[0];
  assert.ok(row, `deployment ${id} exists`);
  return row;
}

async function newDeployment(db: Db): Promise<string> {
  const id = randomUUID();
  await insertDeployment(db, {
    id,
    tenant: "lifecycle",
    name: "svc",
    environment: "dev",
    model: "llama",
    stackName: `lifecycle-${id}`,
    placement,
    estimatedMonthlyUsd: 255.5,
    spec: testSpec(),
    createdBy: "test",
  });
  return id;
}

/** A deployment that reached `status` through legal moves. */
async function deploymentAt(db: Db, status: DeploymentStatus): Promise<string> {
  const id = await newDeployment(db);
  await driveTo(db, id, status, { error: { code: "before", message: "set before the move" } });
  return id;
}

describe("deployment lifecycle (status × event → status) on PGlite", function () {
  let t: TestDb;

  before(async function () {
    t = await openTestDb("pglite");
    await migrate(t.db);
  });
  after(async function () {
    await t?.dispose();
  });

  it("every status can be reached from a new deployment, and only destroyed is final", function () {
    for (const s of DEPLOYMENT_STATUSES) {
      const steps = pathTo(s);
      assert.equal(steps.at(-1)?.to ?? "queued", s);
      const way = LIFECYCLE_EVENTS.filter((e) => next(s, e) !== null);
      assert.equal(way.length === 0, s === "destroyed", `${s}: ${way.join(", ")}`);
    }
  });

  describe("legal moves", function () {
    for (const { from, event } of PAIRS.filter((p) => next(p.from, p.event) !== null)) {
      const to = next(from, event) as DeploymentStatus;
      it(`${from} --${event}--> ${to}`, async function () {
        const id = await deploymentAt(t.db, from);
        const before = await snapshot(t.db, id);
        assert.equal(await transition(t.db, id, [from], to, event), true);
        const after = await snapshot(t.db, id);
        assert.equal(after["status"], to);
        assert.deepEqual(after["error"], before["error"], "error is left alone unless given");
        assert.deepEqual(after["outputs"], before["outputs"], "outputs are left alone unless given");
      });
    }
  });

  describe("illegal moves are refused with a clear error, and change nothing", function () {
    for (const { from, event } of PAIRS.filter((p) => next(p.from, p.event) === null)) {
      for (const to of targetsOf(event)) {
        const legalFrom = sources(event, to);
        it(`${from} --${event}--> ${to} (legal only from ${legalFrom.join(", ")})`, async function () {
          const id = await deploymentAt(t.db, from);
          const before = await snapshot(t.db, id);
          // The caller names the statuses the table allows; the database says the deployment is elsewhere.
          const err = await transition(t.db, id, legalFrom, to, event).then(
            () => assert.fail("the move was applied"),
            (e: unknown) => e,
          );
          assert.ok(err instanceof IllegalTransitionError, String(err));
          assert.ok(err instanceof ConflictError, "the API answers 409");
          assert.equal(err.current, from);
          assert.equal(err.event, event);
          assert.equal(
            err.message,
            `deployment ${id} is ${from}; "${event}" applies only to a deployment that is ${legalFrom.join(" or ")}`,
          );
          assert.deepEqual(await snapshot(t.db, id), before, "nothing changed");
          // Naming the deployment's real status as `from` is refused by the table before the database.
          await assert.rejects(
            transition(noDb, id, [from], to, event),
            new RegExp(`"${event}" cannot move a deployment from ${from} to ${to}`),
          );
          assert.deepEqual(await snapshot(t.db, id), before, "still nothing changed");
        });
      }
    }
  });

  it("a `from` that names a status the table does not allow is refused before any query", async function () {
    await assert.rejects(
      transition(noDb, randomUUID(), ["queued", "ready"], "previewing", "start-preview"),
      /"start-preview" cannot move a deployment from ready to previewing; it moves to previewing only from queued/,
    );
    await assert.rejects(
      transition(noDb, randomUUID(), ["deploying"], "destroyed", "succeed"),
      /"succeed" cannot move a deployment from deploying to destroyed; it moves to destroyed only from destroying/,
    );
    await assert.rejects(transition(noDb, randomUUID(), [], "queued", "requeue"), /from is empty/);
    await assert.rejects(
      transition(noDb, randomUUID(), ["ready"], "ready", "request-update"),
      /it never leads to ready/,
    );
  });

  it("sets error and outputs only when given (null clears them)", async function () {
    const id = await deploymentAt(t.db, "deploying");
    await transition(t.db, id, ["deploying"], "ready", "succeed", { error: null, outputs: { endpoint: "https://e" } });
    const ready = await snapshot(t.db, id);
    assert.equal(ready["error"], null);
    assert.deepEqual(ready["outputs"], { endpoint: "https://e" });
    await transition(t.db, id, ["ready"], "queued", "request-update", {
      error: { code: "x", message: "y" },
    });
    const queued = await snapshot(t.db, id);
    assert.deepEqual(queued["error"], { code: "x", message: "y" });
    assert.deepEqual(queued["outputs"], { endpoint: "https://e" }, "outputs untouched");
  });

  it("with whileOwnedBy, moves only while the claim owns the running operation", async function () {
    const id = await newDeployment(t.db);
    const op = await insertOperation(t.db, {
      id: randomUUID(),
      deploymentId: id,
      tenant: "lifecycle",
      kind: "create",
      actor: "k",
    });
    await claimOperationForJob(t.db, op.id, "job", "w1");
    const before = await snapshot(t.db, id);
    const stale = { whileOwnedBy: { operationId: op.id, claim: "w0" } };
    assert.equal(await transition(t.db, id, ["queued"], "previewing", "start-preview", stale), false);
    assert.deepEqual(await snapshot(t.db, id), before, "not the owner: nothing changed");
    // Not the owner AND a wrong status: still just "not owned" (the new attempt decides).
    assert.equal(await transition(t.db, id, ["previewing"], "deploying", "start-deploy", stale), false);
    const owner = { whileOwnedBy: { operationId: op.id, claim: "w1" } };
    assert.equal(await transition(t.db, id, ["queued"], "previewing", "start-preview", owner), true);
    assert.equal((await snapshot(t.db, id))["status"], "previewing");
  });

  it("a missing deployment is not found", async function () {
    await assert.rejects(transition(t.db, randomUUID(), ["ready"], "queued", "request-update"), NotFoundError);
    await assert.rejects(transition(t.db, "not-a-uuid", ["ready"], "queued", "request-update"), NotFoundError);
  });

  it("docs/control-plane.md lists exactly this table", function () {
    const doc = readFileSync(path.join(REPO, "docs/control-plane.md"), "utf8");
    const rows = [...doc.matchAll(/^\| `(\w+)` \| `([\w-]+)` \| `(\w+)` \|$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    const table = PAIRS.filter((p) => next(p.from, p.event) !== null).map(
      (p) => `${p.from} ${p.event} ${String(next(p.from, p.event))}`,
    );
    assert.deepEqual([...rows].sort(), [...table].sort());
  });

  it("lifecycle.ts is the only source file that writes deployments.status", function () {
    const writers: string[] = [];
    for (const file of sourceFiles(path.join(REPO, "platform")).concat(sourceFiles(path.join(REPO, "api")))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/UPDATE\s+deployments\s+SET([\s\S]*?)WHERE/gi)) {
        if (/\bstatus\s*=/i.test(m[1] ?? "")) writers.push(path.relative(REPO, file));
      }
      if (/INSERT\s+INTO\s+deployments\b/i.test(text) && !/CREATED_STATUS/.test(text)) {
        writers.push(`${path.relative(REPO, file)} (inserts a status not taken from CREATED_STATUS)`);
      }
    }
    assert.deepEqual(writers, ["platform/service/store/lifecycle.ts"]);
  });

  it("the scan above sees an unguarded writer", function () {
    const sql = "UPDATE deployments SET spec = $3, status = 'ready', updated_at = now() WHERE id = $1";
    const m = /UPDATE\s+deployments\s+SET([\s\S]*?)WHERE/i.exec(sql);
    assert.ok(m && /\bstatus\s*=/i.test(m[1] ?? ""));
  });
});

/** A Db whose every use fails: proves a refusal came before the database. */
const noDb: Db = {
  kind: "pglite",
  schema: "none",
  query: () => Promise.reject(new Error("the database was queried")),
  exec: () => Promise.reject(new Error("the database was queried")),
  transaction: () => Promise.reject(new Error("the database was queried")),
  close: () => Promise.resolve(),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.split(path.sep).includes("testing"));
}
