import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const CLOUD_SDKS = ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"];

/**
 * In a fresh process (no mocks, no module cache shared with this one): load what the API server
 * loads, read the shipped footprint (provider facts of every cloud) and quote; then, when `touch`
 * is given, read one property of that lazy SDK. Answers the @pulumi packages in the module cache.
 */
function loadedPulumiPackages(touch?: string): string[] {
  const r = (p: string) => JSON.stringify(join(ROOT, p));
  const script = `
    require("tsx/cjs");
    require(${r("cli/commands/serve.ts")});
    const { footprintFromConfigFile } = require(${r("programs/platform/footprint.ts")});
    const { defaultCatalog } = require(${r("platform/core/pricing/catalog.ts")});
    const { quote } = require(${r("platform/core/optimizer/index.ts")});
    const { parseQuoteRequest } = require(${r("platform/core/optimizer/schema.ts")});
    const { createPlanner } = require(${r("api/planner.ts")});
    const catalog = defaultCatalog();
    const footprint = footprintFromConfigFile(${r("Pulumi.dev.yaml")}, catalog);
    createPlanner({ catalog, footprint });
    const q = quote(parseQuoteRequest({ model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } }), catalog, { footprint });
    if (q.placements.length === 0) throw new Error("the probe's quote found nothing");
    const touch = process.argv[1];
    if (touch) void require(${r("providers/sdk.ts")})[touch].Provider;
    const names = new Set();
    for (const k of Object.keys(require.cache)) {
      const m = /node_modules\\/(@pulumi\\/[^/]+)\\//.exec(k);
      if (m) names.add(m[1]);
    }
    process.stdout.write(JSON.stringify([...names].sort()));
  `;
  const out = execFileSync(process.execPath, ["-e", script, ...(touch ? [touch] : [])], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  return JSON.parse(out) as string[];
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

describe("cloud SDKs load only where resources are created (issue 11, memory)", function () {
  this.timeout(180_000);

  it("the API server's modules, the footprint and a quote load no cloud SDK", () => {
    const loaded = loadedPulumiPackages();
    for (const sdk of CLOUD_SDKS) assert.ok(!loaded.includes(sdk), `${sdk} was loaded: ${loaded.join(", ")}`);
  });

  it("reading a property of a lazy SDK loads that SDK (the probe above can see a load)", () => {
    const loaded = loadedPulumiPackages("aws");
    assert.ok(loaded.includes("@pulumi/aws"), `@pulumi/aws not loaded: ${loaded.join(", ")}`);
    assert.ok(!loaded.includes("@pulumi/azure-native"));
  });

  it("provider code imports the cloud SDKs through providers/sdk.ts only", () => {
    const direct = sourceFiles(join(ROOT, "providers"))
      .filter((f) => !f.endsWith(join("providers", "sdk.ts")))
      .filter((f) => /^import (?!type)[^;]*from "@pulumi\/(aws|gcp|azure-native)[^"]*";/m.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f));
    assert.deepEqual(direct, []);
  });
});
