/**
 * The main job end to end: `modelplane serve` as a real child process on a fresh data dir prints
 * the dev admin key and working curls; the printed quote answers over HTTP; SIGTERM stops it with
 * exit code 0; a second start finds the key already made and prints no secret.
 */
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { command, loadFootprint } from "./serve";
import { loadConfig } from "../../platform/service/config";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { ValidationError } from "../../platform/core/validation";

const ROOT = resolve(__dirname, "../..");

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Children still running; killed after each test, so a failed assertion leaves no server behind. */
const running = new Set<ChildProcess>();

/**
 * How long a start may take before the test gives up. Generous on purpose: it bounds a hang, it
 * is not a speed check (`npm run bench` measures speed), and a loaded 2-core machine can take tens
 * of seconds to load tsx, the SDKs and PGlite.
 */
const START_LIMIT_MS = 120_000;

function start(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MODELPLANE_DATA_DIR: dataDir,
    PORT: "0",
    MODELPLANE_WORKERS: "1",
  };
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), "serve"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  const exited = new Promise<number | null>((r) =>
    child.once("exit", (code, signal) => r(code ?? (signal ? -1 : null))),
  );
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start within ${START_LIMIT_MS / 1000} s:\n${out}`));
    }, START_LIMIT_MS);
    const check = setInterval(() => {
      if (out.includes("API document:")) {
        clearTimeout(timer);
        clearInterval(check);
        resolveStart({ child, output: () => out, exited });
      }
    }, 50);
    void exited.then(() => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`serve exited early:\n${out}`));
    });
  });
}

describe("modelplane serve (npm start)", function () {
  this.timeout(START_LIMIT_MS + 30_000);
  const dataDir = mkdtempSync(join(tmpdir(), "modelplane-serve-"));
  afterEach(() => {
    for (const child of running) child.kill("SIGKILL");
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints the dev admin key and curls that work, and stops cleanly on SIGTERM", async () => {
    const s = await start(dataDir);
    const out = s.output();
    const key = /export MODELPLANE_KEY=(\S+)/.exec(out)?.[1];
    assert.ok(key, out);
    const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(base, out);
    assert.match(out, /Pulumi CLI: (NOT AVAILABLE — Pulumi CLI not found|v?\d)/);
    // The banner says which footprint deployments are placed in, and where it was read.
    assert.match(
      out,
      /footprint: aws us-east-1, azure westus3, gcp us-central1 \(from platform config \S+\/Pulumi\.dev\.yaml\)/,
    );
    // The printed quote curl, run as fetch: same URL, headers and body.
    const body = /-d '(\{"model".*?\})'\n/.exec(out)?.[1];
    assert.ok(body, "a curl with a JSON body");
    const r = await fetch(`${base}/v1/quotes`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    assert.equal(r.status, 200);
    const q = (await r.json()) as { placements: unknown[] };
    assert.ok(q.placements.length > 0);
    assert.match(out, /curl -si \S+\/v1\/deployments/);
    // The printed deployment curl: accepted (pre-flighted by the real planner), persisted, 202.
    const deployBody = /-H "Idempotency-Key: [^"]*" -d '(\{.*?\})'\n/.exec(out)?.[1];
    assert.ok(deployBody, "a deployment curl with a JSON body");
    const d = await fetch(`${base}/v1/deployments`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "idempotency-key": "serve-test-1",
      },
      body: deployBody,
    });
    assert.equal(d.status, 202, await d.clone().text());
    assert.match(d.headers.get("location") ?? "", /^\/v1\/deployments\/[0-9a-f-]{36}$/);
    // The printed inference-key curl: an `mpi_` key the gateway's check accepts for the tenant's namespace.
    const keyBody =
      /inference-keys -H "Authorization: Bearer \$MODELPLANE_KEY" -H 'Content-Type: application\/json' -d '(\{.*?\})'/.exec(
        out,
      )?.[1];
    assert.ok(keyBody, "an inference-key curl with a JSON body");
    const made = await fetch(`${base}/v1/inference-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: keyBody,
    });
    assert.equal(made.status, 201, await made.clone().text());
    assert.match(((await made.json()) as { secret: string }).secret, /^mpi_/);
    assert.match(out, /its `endpoint` has the https URL and a ready-to-paste curl/);
    s.child.kill("SIGTERM");
    assert.equal(await s.exited, 0);
    assert.match(s.output(), /SIGTERM: shutting down[\s\S]*stopped\./);
  });

  it("on a second start prints no secret (the key exists, stored hashed)", async () => {
    const s = await start(dataDir);
    assert.doesNotMatch(s.output(), /export MODELPLANE_KEY=mp_/);
    assert.match(s.output(), /generated on the first start/);
    s.child.kill("SIGINT");
    assert.equal(await s.exited, 0, s.output());
  });

  it("an unreadable or invalid platform config is a startup error naming the file; none at all names the variable", async () => {
    const catalog = defaultCatalog();
    const missing = join(dataDir, "Pulumi.missing.yaml");
    await assert.rejects(
      loadFootprint(loadConfig({ MODELPLANE_PLATFORM_CONFIG: missing }, dataDir), catalog),
      (e: unknown) =>
        e instanceof ValidationError && e.field === "MODELPLANE_PLATFORM_CONFIG" && e.message.includes(missing),
    );
    const bad = join(dataDir, "Pulumi.bad.yaml");
    writeFileSync(bad, "config:\n  modelplane:clouds:\n    - cloud: aws\n      region: us-east-1\n      zone: x\n");
    await assert.rejects(
      loadFootprint(loadConfig({ MODELPLANE_PLATFORM_CONFIG: bad }, dataDir), catalog),
      (e: unknown) => e instanceof ValidationError && e.message.includes(bad) && e.message.includes("zone"),
    );
    await assert.rejects(
      loadFootprint(loadConfig({}, dataDir), catalog),
      (e: unknown) => e instanceof ValidationError && e.field === "MODELPLANE_PLATFORM_CONFIG",
    );
    const fp = await loadFootprint(loadConfig({}, ROOT), catalog);
    assert.deepEqual(fp.source, { kind: "config", file: join(ROOT, "Pulumi.dev.yaml") });
  });

  it("rejects unknown options and bad ports as bad input", async () => {
    await assert.rejects(command.run(["--bogus"]), /--bogus: unknown option/);
    await assert.rejects(command.run(["--port", "99999"]), /--port/);
  });
});
