/**
 * The CLI client against the real API over loopback (PGlite control plane, test engine): login
 * stores a 0600 file, deploy follows events to the endpoint, ls/status/events/rm/keys, and the
 * errors a person meets (bad input naming the field, a wrong key, a server that is not there).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import { ValidationError } from "../../platform/core/validation";
import {
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  makeKey,
  serve,
  type Fixture,
  type RunningApi,
} from "../../api/testing/harness";
import type { CommandIO } from "../commands/catalog";
import { runLogin } from "../commands/login";
import { runDeploy } from "../commands/deploy";
import { runLs } from "../commands/ls";
import { runStatus } from "../commands/status";
import { runEvents } from "../commands/events";
import { runRm } from "../commands/rm";
import { runKeys } from "../commands/keys";
import { runFeature } from "../commands/remote-feature";
import { configPath, type ClientEnv } from "./config";

function io(): CommandIO & { stdout: string; stderr: string } {
  const b = {
    stdout: "",
    stderr: "",
    out(t: string) {
      b.stdout += t;
    },
    err(t: string) {
      b.stderr += t;
    },
  };
  return b;
}

const REQUEST = {
  model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
  constraints: { capacity: "any" },
};

describe("cli client (real HTTP, PGlite control plane, test engine)", () => {
  let fx: Fixture;
  let engine: TestEngine;
  let api: RunningApi;
  let home: string;
  let deployer: string;
  let requestFile: string;
  const env = (extra: Record<string, string> = {}): ClientEnv => ({
    env: { XDG_CONFIG_HOME: join(home, "cfg"), ...extra },
    home,
  });

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
    home = mkdtempSync(join(tmpdir(), "mp-cli-client-"));
    requestFile = join(home, "request.json");
    writeFileSync(requestFile, JSON.stringify(REQUEST));
  });

  after(async () => {
    await api?.close();
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("login checks the key, then stores URL and key in a 0600 file", async () => {
    const b = io();
    assert.equal(await runLogin(["--url", api.base, "--key", deployer], { io: b, env: env() }), 0, b.stderr);
    const path = configPath(env());
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), { url: api.base, key: deployer });
  });

  it("login with a wrong key stores nothing and says how to log in", async () => {
    const e = env({ XDG_CONFIG_HOME: join(home, "other") });
    const b = io();
    assert.equal(await runLogin(["--url", api.base, "--key", "mp_wrong_key"], { io: b, env: e }), 1);
    assert.match(b.stderr, /401 unauthorized.*modelplane login --url/);
    assert.throws(() => statSync(configPath(e)));
  });

  it("deploy follows the events to the endpoint and prints a call; ls, status and events see it", async () => {
    const b = io();
    assert.equal(await runDeploy([requestFile], { io: b, env: env() }), 0, b.stderr);
    assert.match(b.stdout, /^accepted \S+ \(mistral-7b, dev\)/);
    assert.match(b.stdout, /status → ready/);
    assert.match(b.stdout, /endpoint: https:\/\/.+\/v1\n/);
    assert.match(
      b.stdout,
      /curl 'https:\/\/.+\/v1\/chat\/completions' \\\n {2}-H "Authorization: Bearer \$MODELPLANE_INFERENCE_KEY"/,
    );
    const id = /^accepted (\S+)/.exec(b.stdout)?.[1] ?? "";

    const ls = io();
    assert.equal(await runLs(["--json"], { io: ls, env: env() }), 0);
    const items = JSON.parse(ls.stdout) as Array<{ id: string; status: string }>;
    assert.deepEqual(
      items.filter((d) => d.id === id).map((d) => d.status),
      ["ready"],
    );
    const table = io();
    assert.equal(await runLs([], { io: table, env: env() }), 0);
    assert.match(table.stdout.split("\n")[1] ?? "", new RegExp(`^${id}\\s+mistral-7b\\s+dev\\s+ready`));

    const st = io();
    assert.equal(await runStatus([id, "--json"], { io: st, env: env() }), 0);
    assert.equal((JSON.parse(st.stdout) as { status: string }).status, "ready");

    const ev = io();
    assert.equal(await runEvents([id], { io: ev, env: env() }), 0);
    assert.match(ev.stdout, /status → queued[\s\S]*status → ready/);
  });

  it("deploy follows to unverified: the readiness reason and the caveat, exit 0; status --follow and ls agree", async () => {
    const reason = "the stack has no Kubernetes Deployment to follow (serverless, or not applied)";
    engine.next("up", {
      kind: "succeed",
      outputs: {
        endpoint: "https://svc-unverified.run.app",
        readiness: { state: "unverified", reason, checkedAt: "2026-12-01T00:00:00.000Z", waitedSeconds: 0 },
      },
    });
    const file = join(home, "unverified.json");
    writeFileSync(file, JSON.stringify({ ...REQUEST, environment: "staging" }));
    const b = io();
    assert.equal(await runDeploy([file], { io: b, env: env() }), 0, b.stderr);
    assert.match(b.stdout, /status → unverified: the stack has no Kubernetes Deployment to follow/);
    assert.ok(b.stdout.includes(`mistral-7b: unverified: ${reason}\n`), b.stdout);
    assert.match(b.stdout, /note: applied, but the control plane could not see it serve/);
    assert.match(b.stdout, /endpoint: https:\/\/svc-unverified\.run\.app\/v1\n/);
    assert.doesNotMatch(b.stdout, /: ready\b/);
    const id = /^accepted (\S+)/.exec(b.stdout)?.[1] ?? "";

    const st = io();
    assert.equal(await runStatus([id, "--follow"], { io: st, env: env() }), 0, st.stderr);
    assert.ok(st.stdout.includes(`unverified: ${reason}`), st.stdout);
    const plain = io();
    assert.equal(await runStatus([id], { io: plain, env: env() }), 0, plain.stderr);
    assert.match(plain.stdout, /note: unverified: applied, but the control plane could not see it serve/);

    const ls = io();
    assert.equal(await runLs(["--status", "unverified"], { io: ls, env: env() }), 0, ls.stderr);
    assert.match(ls.stdout.split("\n")[1] ?? "", new RegExp(`^${id}\\s+mistral-7b\\s+staging\\s+unverified`));
  });

  it("deploy --json prints the accepted deployment with its id and returns at once", async () => {
    const b = io();
    const other = join(home, "other-model.json");
    writeFileSync(other, JSON.stringify({ ...REQUEST, model: { ...REQUEST.model, name: "qwen-7b" } }));
    assert.equal(await runDeploy([other, "--json"], { io: b, env: env() }), 0, b.stderr);
    const body = JSON.parse(b.stdout) as { id: string; status: string };
    assert.match(body.id, /\S/);
    assert.equal(body.status, "queued");
  });

  it("bad input is a ValidationError naming the field the API named", async () => {
    const bad = join(home, "bad.json");
    writeFileSync(bad, JSON.stringify({ ...REQUEST, model: { ...REQUEST.model, parametersBillions: -1 } }));
    await assert.rejects(
      runDeploy([bad], { io: io(), env: env() }),
      (e: unknown) => e instanceof ValidationError && e.field === "model.parametersBillions",
    );
  });

  it("rm --wait destroys a deployment", async () => {
    const b = io();
    const file = join(home, "rm-model.json");
    writeFileSync(file, JSON.stringify({ ...REQUEST, model: { ...REQUEST.model, name: "phi-3" } }));
    assert.equal(await runDeploy([file, "--json"], { io: b, env: env() }), 0);
    const id = (JSON.parse(b.stdout) as { id: string }).id;
    const st = io();
    assert.equal(await runStatus([id, "--follow", "--json"], { io: st, env: env() }), 0);
    const rm = io();
    assert.equal(await runRm([id, "--wait"], { io: rm, env: env() }), 0, rm.stderr);
    assert.match(rm.stdout, /status → destroyed[\s\S]*: destroyed\n$/);
  });

  it("keys create needs an admin; with one it prints the secret once", async () => {
    const denied = io();
    assert.equal(await runKeys(["create", "--role", "viewer", "--name", "ci"], { io: denied, env: env() }), 1);
    assert.match(denied.stderr, /403 forbidden/);
    const ok = io();
    const adminEnv = env({ MODELPLANE_URL: api.base, MODELPLANE_KEY: fx.adminKey });
    assert.equal(await runKeys(["create", "--role", "viewer", "--name", "ci"], { io: ok, env: adminEnv }), 0);
    assert.match(ok.stdout, /created \S+ \(viewer of \S+\); its secret, shown once:\nmp_/);
  });

  it("a feature the server lacks says so, naming the operation", async () => {
    // A server whose OpenAPI document lists no operations.
    const bare = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ openapi: "3.1.0", paths: {} }));
    });
    await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()));
    try {
      const b = io();
      const e = env({
        MODELPLANE_URL: `http://127.0.0.1:${(bare.address() as AddressInfo).port}`,
        MODELPLANE_KEY: deployer,
      });
      assert.equal(await runFeature("recommendations", [], { io: b, env: e }), 1);
      assert.match(
        b.stderr,
        /this server has no re-quote recommendations \(GET \/v1\/recommendations is not in its OpenAPI document\)/,
      );
    } finally {
      await new Promise((r) => bare.close(r));
    }
  });

  it("recommendations lists the server's; migrate names what is missing", async () => {
    const b = io();
    assert.equal(await runFeature("recommendations", ["--json"], { io: b, env: env() }), 0, b.stderr);
    assert.deepEqual(JSON.parse(b.stdout), { items: [] });
    await assert.rejects(
      runFeature("migrate", [], { io: io(), env: env() }),
      (e: unknown) => e instanceof ValidationError && e.field === "ID",
    );
    await assert.rejects(
      runFeature("migrate", ["some-id", "--placement", "aws/us-east-1"], { io: io(), env: env() }),
      (e: unknown) => e instanceof ValidationError && e.field === "--placement",
    );
    const missing = io();
    const code = await runFeature(
      "migrate",
      ["00000000-0000-4000-8000-000000000000", "--recommendation", "00000000-0000-4000-8000-000000000001"],
      { io: missing, env: env() },
    );
    assert.equal(code, 1);
    assert.match(missing.stderr, /404|not found/i);
  });

  it("a server that is not there is named by its URL", async () => {
    const b = io();
    const e = env({ MODELPLANE_URL: "http://127.0.0.1:9", MODELPLANE_KEY: deployer });
    assert.equal(await runLs([], { io: b, env: e }), 1);
    assert.match(b.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it("without a login, a command says how to log in", async () => {
    await assert.rejects(
      runLs([], { io: io(), env: { env: { XDG_CONFIG_HOME: join(home, "nobody") }, home } }),
      (e: unknown) => e instanceof ValidationError && /modelplane login --url/.test(e.message),
    );
  });
});
