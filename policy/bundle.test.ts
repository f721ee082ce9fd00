/**
 * The pack as `pulumi policy publish` ships it: a copy of this folder, outside the repository,
 * bundled by `buildPolicyPack` (what `npm run build:policy` runs), with a node_modules that holds
 * only the packages policy/package.json declares. It is started the way the Pulumi policy host
 * starts a Node.js pack (`node node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <main>`
 * in the pack folder) and asked over the analyzer protocol.
 *
 * The bundle is built here, before the pack is loaded, rather than committed: it is generated
 * from core, providers and policy code that other changes touch all the time, so a committed copy
 * would go stale or conflict on every merge, and esbuild rebuilds it in about a second.
 */
import * as assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { buildPolicyPack, PACK_EXTERNALS } from "./build";
import { RULES } from "./policies";
import { call, configureRequest, resourceOptions, startPack, type RunningPack } from "./testing/analyzer";
import { defaultCatalog } from "../platform/core/pricing/catalog";
import { findGpuOffer } from "../platform/core/pricing/lookup";

const readJson = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("policy pack from a copy of its folder (bundled, outside the repository)", function () {
  this.timeout(120_000);
  let dir = "";
  let imports: string[] = [];
  let pack: RunningPack | undefined;
  let client: AnalyzerClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mp-pack-"));
    cpSync(__dirname, dir, {
      recursive: true,
      filter: (src) => !["node_modules", "dist"].includes(relative(__dirname, src)),
    });
    const project = parseYaml(readFileSync(join(dir, "PulumiPolicy.yaml"), "utf8")) as { main?: string };
    assert.ok(project.main, "PulumiPolicy.yaml names its main");
    imports = await buildPolicyPack(join(dir, project.main));
    // node_modules with only the externals, linked to this checkout's installed copies.
    for (const name of PACK_EXTERNALS) {
      mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
      symlinkSync(dirname(require.resolve(`${name}/package.json`)), join(dir, "node_modules", name), "dir");
    }
    assert.throws(() => require.resolve("zod", { paths: [dir] }), "the copy must not see the repository's packages");
    pack = await startPack(
      process.execPath,
      [
        join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"),
        "127.0.0.1:0",
        join(dir, project.main),
      ],
      dir,
      // run-policy-pack registers ts-node, whose cache would otherwise stay behind in the temp dir.
      { ...process.env, TS_NODE_CACHE_DIRECTORY: join(dir, ".ts-node-cache") },
    );
    client = pack.client;
  });

  after(async () => {
    await pack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("declares its externals with the exact installed versions, and the bundle imports nothing else", () => {
    const pkg = readJson(join(dir, "package.json"));
    const deps = pkg["dependencies"] as Record<string, string>;
    assert.deepEqual(Object.keys(deps).sort(), [...PACK_EXTERNALS].sort());
    for (const name of PACK_EXTERNALS) {
      // @pulumi/policy's own package.json spells its version "v1.21.0".
      const installed = String(readJson(require.resolve(`${name}/package.json`))["version"]).replace(/^v/, "");
      assert.equal(deps[name], installed, `${name}: policy/package.json pins the installed version`);
    }
    const project = parseYaml(readFileSync(join(dir, "PulumiPolicy.yaml"), "utf8")) as { main?: string };
    assert.equal(pkg["main"], project.main, "package.json main and PulumiPolicy.yaml main agree");
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    // esbuild keeps an external's subpaths external too (`@pulumi/pulumi/runtime`); they resolve inside it.
    const external = (i: string): boolean => PACK_EXTERNALS.some((name) => i === name || i.startsWith(`${name}/`));
    const other = imports.filter((i) => !builtins.has(i) && !external(i));
    assert.deepEqual(other, []);
    assert.ok(imports.includes("@pulumi/policy"));
  });

  it("serves every rule, and denies an on-demand GPU node group in dev, priced from the bundled catalog", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), "modelplane-cost-guard");
    assert.deepEqual(
      info
        .getPoliciesList()
        .map((p) => p.getName())
        .sort(),
      RULES.map((r) => r.name).sort(),
    );

    const example = readJson(join(dir, "config.example.json")) as Record<string, Record<string, unknown>>;
    await call(
      client.configure.bind(client),
      configureRequest(example, { "max-hourly-cost-per-resource": { maxHourlyUsd: { default: 1 } } }),
    );
    const req = new analyzer.AnalyzeRequest();
    req.setType("aws:eks/nodeGroup:NodeGroup");
    req.setName("gpu");
    req.setUrn("urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::gpu");
    req.setProperties(
      Struct.fromJavaScript({
        region: "us-east-1",
        clusterName: "c",
        instanceTypes: ["g6.xlarge"],
        capacityType: "ON_DEMAND",
        scalingConfig: { desiredSize: 2, minSize: 0, maxSize: 2 },
        tags: { model: "llama", owner: "alice", "cost-center": "cc-1", "modelplane/deployment-id": "d1" },
      }),
    );
    req.setOptions(resourceOptions());
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), req);
    const diags = res.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: d.getEnforcementlevel(),
      message: d.getMessage(),
    }));
    const spot = diags.find((d) => d.policy === "spot-required-outside-production");
    assert.ok(spot, JSON.stringify(diags));
    assert.equal(spot.level, analyzer.EnforcementLevel.MANDATORY);
    assert.match(spot.message, /is an on-demand L4 pool in dev/);
    const offer = findGpuOffer(defaultCatalog(), { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge" });
    assert.ok(offer, "the shipped catalog has g6.xlarge in us-east-1");
    const hourly = diags.find((d) => d.policy === "max-hourly-cost-per-resource");
    assert.ok(hourly?.message.includes(`costs $${(2 * offer.onDemandHourlyUsd).toFixed(2)}/h`), JSON.stringify(diags));
  });
});
