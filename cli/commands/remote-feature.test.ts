/**
 * `modelplane models ls|show|add`, `costs` and `recommendations` against the real API over
 * loopback (PGlite, test engine): tables for people, `--json` as the API answered, the default
 * cost range, errors naming the field, and a feature the server lacks said to be missing.
 */
import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import type { CommandIO } from "./catalog";
import { costsText, runFeature } from "./remote-feature";
import type { ClientEnv } from "../client/config";

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

const ARCH = { layers: 32, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 4096, maxContextTokens: 131072 };

describe("cli: models, costs, recommendations (real HTTP)", function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningApi;
  let dir: string;
  let env: ClientEnv;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    const key = (await makeKey(api.base, fx.adminKey, "ml-team", "deployer", "alice")).secret;
    dir = mkdtempSync(join(tmpdir(), "mp-cli-feature-"));
    env = { env: { XDG_CONFIG_HOME: join(dir, "cfg"), MODELPLANE_URL: api.base, MODELPLANE_KEY: key }, home: dir };
  });
  after(async () => {
    await api?.close();
    await fx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("models add FILE registers; ls and show print tables; --json prints the API's body", async () => {
    const file = join(dir, "model.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "llama-3.1-8b",
        versions: [
          {
            version: "1",
            artifactUri: "hf://meta-llama/Llama-3.1-8B",
            precision: "bf16",
            parametersBillions: 8,
            architecture: ARCH,
          },
        ],
      }),
    );
    const add = io();
    assert.equal(await runFeature("models", ["add", file], { io: add, env }), 0, add.stderr);
    assert.match(add.stdout, /^llama-3\.1-8b: 1 version\n/);
    assert.match(add.stdout, /\n1 +bf16 +8 +32 +8 +128 +131072 +— +hf:\/\/meta-llama\/Llama-3\.1-8B\n/);
    assert.match(add.stdout, /deploy it: modelplane deploy --model llama-3\.1-8b@1\n$/);

    const ls = io();
    assert.equal(await runFeature("models", ["ls"], { io: ls, env }), 0);
    assert.match(
      ls.stdout,
      /^name +versions +newest +precision +params \(B\) +artifact\nllama-3\.1-8b +1 +1 +bf16 +8 +hf:/,
    );

    const json = io();
    assert.equal(await runFeature("models", ["show", "llama-3.1-8b", "--json"], { io: json, env }), 0);
    const body = JSON.parse(json.stdout) as { name: string; versions: Array<{ architecture: { kvHeads: number } }> };
    assert.equal(body.name, "llama-3.1-8b");
    assert.equal(body.versions[0]?.architecture.kvHeads, 8);

    const missing = io();
    assert.equal(await runFeature("models", ["show", "nope"], { io: missing, env }), 1);
    assert.match(missing.stderr, /404 .*nope/);
  });

  it("models: bad input names the argument or the field", async () => {
    await assert.rejects(
      runFeature("models", ["show"], { io: io(), env }),
      (e: unknown) => e instanceof ValidationError && e.field === "NAME",
    );
    await assert.rejects(
      runFeature("models", ["add"], { io: io(), env }),
      (e: unknown) => e instanceof ValidationError && e.field === "FILE",
    );
    await assert.rejects(runFeature("models", ["rename"], { io: io(), env }), /unknown subcommand "rename"/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "x", versions: [] }));
    await assert.rejects(
      runFeature("models", ["add", bad], { io: io(), env }),
      (e: unknown) => e instanceof ValidationError && e.field === "versions",
    );
  });

  it("costs defaults to this month by model and prints a table; --group-by and --json", async () => {
    const now = new Date("2026-11-30T12:00:00Z");
    const b = io();
    assert.equal(await runFeature("costs", [], { io: b, env }, () => now), 0, b.stderr);
    assert.match(b.stdout, /^total \$0\.00 from 2026-11-01T00:00:00\.000Z to 2026-12-01T00:00:00\.000Z, by model\n/);
    const j = io();
    assert.equal(
      await runFeature("costs", ["--group-by", "cloud", "--from", "2026-10-01", "--json"], { io: j, env }, () => now),
      0,
    );
    const r = JSON.parse(j.stdout) as { groupBy: string; from: string; rows: unknown[] };
    assert.deepEqual([r.groupBy, r.from, r.rows], ["cloud", "2026-10-01T00:00:00.000Z", []]);
    await assert.rejects(
      runFeature("costs", ["--group-by", "planet"], { io: io(), env }, () => now),
      (e: unknown) => e instanceof ValidationError && e.field === "groupBy",
    );
  });

  it("recommendations: a table where the server has them, else says it lacks them and exits 1", async () => {
    const doc = (await (await fetch(`${api.base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const b = io();
    const code = await runFeature("recommendations", [], { io: b, env });
    if ("/v1/recommendations" in doc.paths) {
      assert.equal(code, 0, b.stderr);
      assert.match(b.stdout, /^(no recommendations|deployment +now +proposed)/);
    } else {
      assert.equal(code, 1);
      assert.match(b.stderr, /this server has no re-quote recommendations \(GET \/v1\/recommendations is not in/);
    }
  });
});

describe("cli: costs text", () => {
  const report = {
    groupBy: "model",
    from: "2026-12-01T00:00:00.000Z",
    to: "2026-12-02T00:00:00.000Z",
    totalUsd: 0,
    rows: [],
  };
  it("says the hour under way apart from the accrued total, with its deployments", () => {
    const text = costsText({
      ...report,
      openHour: {
        from: "2026-12-01T10:00:00.000Z",
        to: "2026-12-01T11:00:00.000Z",
        totalUsd: 0.2823,
        rows: [{ key: "llama", usd: 0.2823, deployments: 1 }],
      },
    });
    assert.match(text, /^total \$0\.00 from .*\nno cost accrued in this range \(the ledger holds whole hours\)\n/);
    assert.match(
      text,
      /hour under way \(2026-12-01T10:00:00\.000Z to 2026-12-01T11:00:00\.000Z, not in the total\): \$0\.28 across 1 deployment\(s\)/,
    );
    assert.doesNotMatch(costsText(report), /hour under way/);
  });
});
