import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QuoteResult } from "../../platform/core/optimizer";
import { broughtFootprint, devFootprint } from "../../platform/core/optimizer/test-fixtures";
import { ValidationError } from "../../platform/core/validation";
import { CloudConfigSchema } from "../../programs/platform/config";
import type { CommandIO } from "./catalog";
import { runQuote } from "./quote";

function io(): CommandIO & { stdout: string } {
  const b = {
    stdout: "",
    out(t: string) {
      b.stdout += t;
    },
    err() {},
  };
  return b;
}

describe("modelplane quote with a platform footprint and a policy", () => {
  let dir: string;
  let req: string;
  let fp: string;
  const policyConfig = join(__dirname, "..", "..", "policy", "config.example.json");
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mp-quote-fp-"));
    req = join(dir, "req.json");
    fp = join(dir, "footprint.json");
    writeFileSync(
      req,
      JSON.stringify({
        model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      }),
    );
    writeFileSync(fp, JSON.stringify(devFootprint()));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("--json places inside the footprint only and returns expansions and the footprint's clusters", async () => {
    const b = io();
    assert.equal(await runQuote([req, "--json", "--footprint", fp], b), 0);
    const r = JSON.parse(b.stdout) as QuoteResult;
    const inside = ["aws|us-east-1", "gcp|us-central1", "azure|eastus"];
    assert.ok(r.placements.length > 0);
    for (const p of r.placements) assert.ok(inside.includes(`${p.cloud}|${p.region}`), `${p.cloud} ${p.region}`);
    assert.deepEqual(
      r.footprint!.clusters.map((c) => `${c.cloud}|${c.region}`),
      inside,
    );
    assert.ok(r.expansions!.length > 0);
    for (const e of r.expansions!) {
      assert.ok(e.monthlySavingsUsd! > 0);
      // The advised entry is one the platform program's own validator accepts.
      assert.doesNotThrow(() => CloudConfigSchema.parse(e.configEntry));
    }
  });

  it("prints the expansions under the table, and --scope anywhere quotes as without a platform", async () => {
    const b = io();
    assert.equal(await runQuote([req, "--footprint", fp], b), 0);
    assert.match(b.stdout, /placing inside the footprint: aws us-east-1, gcp us-central1, azure eastus/);
    assert.match(
      b.stdout,
      /cheaper outside the footprint[^\n]*\n {2}aws eu-south-2: g6\.xlarge 1×L4 spot .* saves \$\d+/,
    );
    assert.match(b.stdout, /add to modelplane:clouds: \{"cloud":"aws","region":"eu-south-2"/);
    const anywhere = io();
    const plain = io();
    assert.equal(await runQuote([req, "--json", "--footprint", fp, "--scope", "anywhere"], anywhere), 0);
    assert.equal(await runQuote([req, "--json"], plain), 0);
    const a = JSON.parse(anywhere.stdout) as QuoteResult;
    const p = JSON.parse(plain.stdout) as QuoteResult;
    assert.equal(a.scope, "anywhere");
    assert.equal(a.expansions, undefined);
    assert.equal(a.placements[0]!.region, p.placements[0]!.region);
  });

  it("labels a brought pool's figures as its declared price under the table", async () => {
    const brought = join(dir, "brought.json");
    writeFileSync(brought, JSON.stringify(broughtFootprint()));
    const b = io();
    assert.equal(await runQuote([req, "--footprint", brought], b), 0);
    assert.match(b.stdout, /\n\d+ +kubernetes +onprem-fra +lab\/a100 +1×A100-80GB +on-demand +a100 +1\.5/);
    assert.match(
      b.stdout,
      /#\d+ lab\/a100 declared: the pool's declared chargeback price, \$1\.5\/node-hour .*not a market price/,
    );
    assert.match(b.stdout, /pool lab\/l4 \(kubernetes onprem-fra, 1×L4 on-demand\): UNPRICED/);
  });

  it("--policy-config leaves out what the shipped policy denies and says which policies shaped the quote", async () => {
    const b = io();
    assert.equal(await runQuote([req, "--json", "--policy-config", policyConfig], b), 0);
    const r = JSON.parse(b.stdout) as QuoteResult;
    const allowed = ["us-east-1", "us-west-2", "us-central1", "us-east4", "eastus", "westus2"];
    for (const p of r.placements) {
      assert.ok(allowed.includes(p.region), p.region);
      assert.notEqual(p.capacity, "on-demand");
      assert.ok(p.hourlyUsd <= 15 && p.atMaxMonthlyUsd <= 2000);
    }
    assert.equal(r.policy!.environment, "dev");
    assert.ok(r.policy!.shapedBy.some((s) => s.policy === "allowed-regions" && s.excluded > 0));
    const prod = io();
    assert.equal(
      await runQuote([req, "--json", "--policy-config", policyConfig, "--environment", "production"], prod),
      0,
    );
    const rp = JSON.parse(prod.stdout) as QuoteResult;
    assert.ok(rp.placements.every((p) => ["us-east-1", "us-central1", "eastus"].includes(p.region)));
  });

  it("--platform Pulumi.dev.yaml reads the footprint through the platform program's validator", async () => {
    const out = io();
    assert.equal(await runQuote([req, "--json", "--platform", join(__dirname, "..", "..", "Pulumi.dev.yaml")], out), 0);
    const r = JSON.parse(out.stdout) as QuoteResult;
    assert.ok(r.placements.length > 0);
    assert.ok(r.placements.every((p) => ["us-east-1", "us-central1", "westus3"].includes(p.region)));
  });

  it("bad inputs name the flag: an unreadable --platform file, a bad footprint, a bad scope", async () => {
    await assert.rejects(runQuote([req, "--platform", join(dir, "Pulumi.none.yaml")], io()), (e: unknown) => {
      return e instanceof ValidationError && e.field === "--platform" && /Pulumi\.none\.yaml/.test(e.message);
    });
    const bad = join(dir, "bad-fp.json");
    writeFileSync(bad, JSON.stringify({ clusters: [{ cloud: "aws" }] }));
    await assert.rejects(runQuote([req, "--footprint", bad], io()), (e: unknown) => {
      return e instanceof ValidationError && e.field.startsWith("--footprint.clusters[0]");
    });
    await assert.rejects(runQuote([req, "--scope", "everywhere"], io()), /--scope: "everywhere" is not a scope/);
    await assert.rejects(runQuote([req, "--scope", "footprint"], io()), /constraints\.scope: no platform footprint/);
  });
});
