/**
 * `modelplane inference-keys create|ls|revoke`, `promote`, `abort` and the endpoint in `status`,
 * against the real API over loopback (PGlite control plane, test engine).
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "../../api/testing/harness";
import type { ClientEnv } from "../client/config";
import type { CommandIO } from "./catalog";
import { runInferenceKeys } from "./inference-keys";
import { runRolloutEnd } from "./rollout";
import { runStatus } from "./status";
import { runUpdate } from "./update";

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

describe("cli: inference-keys, promote, abort, status endpoint", function () {
  this.timeout(240_000); // a PGlite control plane starts slowly on a loaded machine
  let fx: Fixture;
  let api: RunningApi;
  let home: string;
  let env: ClientEnv;
  let deployer: string;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    deployer = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer")).secret;
    home = mkdtempSync(join(tmpdir(), "mp-cli-inference-"));
    env = { env: { XDG_CONFIG_HOME: join(home, "cfg"), MODELPLANE_URL: api.base, MODELPLANE_KEY: deployer }, home };
  });
  after(async () => {
    await api?.close();
    await fx?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("create prints the secret once; ls lists it; revoke revokes it; bad input names the flag", async () => {
    const made = io();
    assert.equal(
      await runInferenceKeys(["create", "--name", "chat-app", "--rate-limit", "120"], { io: made, env }),
      0,
      made.stderr,
    );
    const secret = /^(mpi_\S+)$/m.exec(made.stdout)?.[1];
    assert.ok(secret, made.stdout);
    const id = /^created (\S+)/.exec(made.stdout)?.[1] ?? "";
    const ls = io();
    assert.equal(await runInferenceKeys(["ls"], { io: ls, env }), 0);
    assert.match(ls.stdout, new RegExp(`${id}\\s+mpi_[0-9a-f]{12}\\s+ml-team\\s+chat-app\\s+120`));
    assert.ok(!ls.stdout.includes(secret));
    const rev = io();
    assert.equal(await runInferenceKeys(["revoke", id], { io: rev, env }), 0);
    assert.match(rev.stdout, /^revoked /);
    await assert.rejects(
      runInferenceKeys(["create", "--name", "x", "--rate-limit", "fast"], { io: io(), env }),
      /--rate-limit/,
    );
  });

  it("update with rollout, promote; abort without a rollout fails with the reason; status shows the endpoint and curl", async () => {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: {
        model: { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 },
        constraints: { capacity: "on-demand" },
      },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body).id);
    const settled = () =>
      eventually(async () => {
        const g = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
        return obj(g.body).status === "ready" ? obj(g.body) : undefined;
      }, 60_000);
    await settled();
    const patch = join(home, "rollout.json");
    writeFileSync(patch, JSON.stringify({ rollout: { strategy: "canary", weight: 10 }, model: { version: "v2" } }));
    const up = io();
    assert.equal(await runUpdate([id, patch, "--json"], { io: up, env }), 0, up.stderr);
    await settled();
    const promoted = io();
    assert.equal(await runRolloutEnd("promote", [id, "--wait"], { io: promoted, env }), 0, promoted.stderr);
    assert.match(promoted.stdout, new RegExp(`^${id}: promote ready`, "m"));
    const spec = obj((await fx.controlPlane.getDeployment("ml-team", id)).spec);
    assert.equal(spec.revision, 2);
    assert.equal(spec.rollout, undefined);
    const aborted = io();
    assert.equal(await runRolloutEnd("abort", [id], { io: aborted, env }), 1);
    assert.match(aborted.stderr, /no rollout is in progress/);

    const st = io();
    assert.equal(await runStatus([id], { io: st, env }), 0);
    assert.match(st.stdout, /endpoint: https:\/\/\S+\/v1\n/);
    assert.match(st.stdout, /-H "Authorization: Bearer \$MODELPLANE_INFERENCE_KEY"/);
    assert.match(st.stdout, /"model":"mistral-7b"/);
  });
});
