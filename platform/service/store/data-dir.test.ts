import * as assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { lockDataDir, makePrivate, processStartTime } from "./data-dir";
import { openPglite } from "./db";

function modes(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    out.push(`${(st.mode & 0o777).toString(8)} ${st.isDirectory() ? "d" : "f"}`);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

describe("embedded data directory: owner and permissions", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "mp-datadir-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps PGlite's files 0600 and its directories 0700", async function () {
    const dataDir = path.join(dir, "db");
    const db = await openPglite(dataDir, "perm_test");
    await db.exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1);");
    await db.close();
    const seen = modes(dataDir);
    assert.ok(seen.length > 100, `${seen.length} entries`);
    const loose = seen.filter((m) => m !== "600 f" && m !== "700 d");
    assert.deepEqual(loose, []);
  });

  it("makePrivate tightens a tree made with loose modes", () => {
    writeFileSync(path.join(dir, "f"), "x", { mode: 0o666 });
    makePrivate(dir);
    assert.deepEqual(modes(dir).sort(), ["600 f", "700 d"]);
  });

  it("records the owner's start time, and takes over a lock whose pid now belongs to another process", function () {
    if (processStartTime(process.pid) === null) this.skip(); // no procfs: the pid alone is checked
    const db = path.join(dir, "db");
    const release = lockDataDir(db);
    assert.throws(() => lockDataDir(db), /in use by process/);
    release();
    // Our own (live) pid with another start time: a reused pid, so the lock is stale.
    writeFileSync(`${db}.lock`, `${process.pid} 1`);
    const again = lockDataDir(db);
    again();
    // An old lock without a start time still counts a live pid as the owner.
    writeFileSync(`${db}.lock`, `${process.pid}`);
    assert.throws(() => lockDataDir(db), /in use by process/);
  });
});
