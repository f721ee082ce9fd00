import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CATALOG_PATH } from "../../platform/core/pricing/catalog";
import { ValidationError } from "../../platform/core/validation";
import { serverPricing } from "./platform-inputs";
import { parseArgs } from "./serve";

describe("modelplane serve: catalog and policy config", () => {
  let dir: string;
  const shipped = join(__dirname, "..", "..", "policy", "config.example.json");
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mp-serve-inputs-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const none = { catalogFile: undefined, policyConfigFile: undefined };

  it("takes --policy-config and --catalog", () => {
    assert.deepEqual(parseArgs(["--policy-config", "p.json", "--catalog", "c.json"]), {
      help: false,
      dryRun: false,
      policyConfig: "p.json",
      catalog: "c.json",
    });
    assert.throws(() => parseArgs(["--catalog"]), /--catalog: needs a file path/);
  });

  it("takes --role all|api|worker and names the flag otherwise", () => {
    assert.equal(parseArgs(["--role", "worker"]).role, "worker");
    assert.equal(parseArgs(["--role", "api"]).role, "api");
    assert.equal(parseArgs([]).role, undefined);
    assert.throws(() => parseArgs(["--role", "boss"]), /--role: must be one of all, api, worker/);
    assert.throws(() => parseArgs(["--role"]), /--role: must be one of/);
  });

  it("without files: the shipped catalog and every policy's defaults (as the pre-flight uses them)", () => {
    const p = serverPricing({}, none);
    assert.equal(p.policyConfig, undefined);
    assert.match(p.policies.source, /policy defaults/);
    assert.equal(p.policies.for("dev").spotRequired, true, "the pack's default: spot outside production");
    assert.match(p.catalogSource, /^shipped catalog /);
  });

  it("a flag wins over the environment; the policy applies per environment", () => {
    const strict = join(dir, "strict.json");
    writeFileSync(strict, JSON.stringify({ "allowed-regions": { regions: { default: ["eastus"] } } }));
    const p = serverPricing(
      { policyConfig: strict, catalog: DEFAULT_CATALOG_PATH },
      { ...none, policyConfigFile: shipped },
    );
    assert.equal(p.policies.source, strict);
    assert.deepEqual(p.policies.for("dev").allowedRegions, ["eastus"]);
    assert.match(p.catalogSource, /catalog\.json/);
    const env = serverPricing({}, { ...none, policyConfigFile: shipped });
    assert.deepEqual(env.policies.for("production").allowedRegions, ["us-east-1", "us-central1", "eastus"]);
  });

  it("a bad file is a startup error naming the flag or variable and the file", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ "max-hourly-cost-per-resource": { maxHourlyUsd: { dev: "lots" } } }));
    assert.throws(
      () => serverPricing({}, { ...none, policyConfigFile: bad }),
      (e: unknown) => e instanceof ValidationError && e.field === "MODELPLANE_POLICY_CONFIG" && e.message.includes(bad),
    );
    assert.throws(
      () => serverPricing({ policyConfig: join(dir, "missing.json") }, none),
      (e: unknown) => e instanceof ValidationError && e.field === "--policy-config" && /cannot read/.test(e.message),
    );
    const badCatalog = join(dir, "catalog.json");
    writeFileSync(badCatalog, JSON.stringify({ version: "x" }));
    assert.throws(
      () => serverPricing({ catalog: badCatalog }, none),
      (e: unknown) => e instanceof ValidationError && e.field === "--catalog" && e.message.includes(badCatalog),
    );
  });
});
