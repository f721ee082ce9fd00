/**
 * The pack as the Pulumi CLI sees it: `policy/index.ts` runs in its own process (constructing a
 * PolicyPack starts the analyzer gRPC server and prints its port), and this test talks to it over
 * the analyzer protocol the engine uses: GetAnalyzerInfo, Configure (the --policy-pack-config
 * content), Analyze (one resource's inputs), AnalyzeStack.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RULES } from "./policies";
import { call, configureRequest, resourceOptions as options, startPack, type RunningPack } from "./testing/analyzer";
import { defaultCatalog } from "../platform/core/pricing/catalog";
import { findGpuOffer } from "../platform/core/pricing/lookup";

/** The shipped catalog's on-demand price of the node group's instance (the pack prices with it). */
function g6(): number {
  const offer = findGpuOffer(defaultCatalog(), { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge" });
  if (!offer) throw new Error("the shipped catalog lost g6.xlarge in us-east-1");
  return offer.onDemandHourlyUsd;
}
const esc = (s: string): string => s.replace(/[.$]/g, "\\$&");

const TAGS = { model: "llama", owner: "alice", "cost-center": "cc-1", "modelplane/deployment-id": "d1" };
const ON_DEMAND_POOL = {
  region: "us-east-1",
  clusterName: "c",
  instanceTypes: ["g6.xlarge"],
  capacityType: "ON_DEMAND",
  scalingConfig: { desiredSize: 2, minSize: 0, maxSize: 2 },
  tags: TAGS,
};

describe("policy pack over the analyzer protocol (policy/index.ts in its own process)", function () {
  this.timeout(60_000);
  let pack: RunningPack | undefined;
  let client: AnalyzerClient;

  before(async () => {
    pack = await startPack(process.execPath, ["--import", "tsx", join(__dirname, "index.ts")]);
    client = pack.client;
  });

  after(async () => {
    await pack?.close();
  });

  it("serves every policy with its config schema", async () => {
    const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), "modelplane-cost-guard");
    const names = info
      .getPoliciesList()
      .map((p) => p.getName())
      .sort();
    assert.deepEqual(names, RULES.map((r) => r.name).sort());
    const budget = info.getPoliciesList().find((p) => p.getName() === "stack-monthly-budget");
    const schema = budget?.getConfigschema()?.getProperties()?.toJavaScript();
    assert.ok(schema && "monthlyBudgetUsd" in schema);
  });

  it("with the example config, an on-demand GPU node group in dev is denied by spot-required; a budget config applies", async () => {
    const example = JSON.parse(readFileSync(join(__dirname, "config.example.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    const configure = configureRequest(example, { "max-hourly-cost-per-resource": { maxHourlyUsd: { default: 1 } } });
    await call(client.configure.bind(client), configure);

    const req = new analyzer.AnalyzeRequest();
    req.setType("aws:eks/nodeGroup:NodeGroup");
    req.setName("gpu");
    req.setUrn("urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::gpu");
    req.setProperties(Struct.fromJavaScript(ON_DEMAND_POOL));
    req.setOptions(options());
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), req);
    const diags = res
      .getDiagnosticsList()
      .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
    const spot = diags.find((d) => d.policy === "spot-required-outside-production");
    assert.ok(spot, JSON.stringify(diags));
    assert.equal(spot.level, analyzer.EnforcementLevel.MANDATORY);
    assert.match(spot.message, /is an on-demand L4 pool in dev/);
    const hourly = diags.find((d) => d.policy === "max-hourly-cost-per-resource");
    assert.match(
      hourly?.message ?? "",
      new RegExp(`costs ${esc(`$${(2 * g6()).toFixed(2)}`)}/h .* above the dev limit of \\$1\\.00/h`),
    );
  });

  it("AnalyzeStack runs the stack policies (budget) over the stack's resources", async () => {
    const r = new analyzer.AnalyzerResource();
    r.setType("aws:eks/nodeGroup:NodeGroup");
    r.setName("gpu");
    r.setUrn("urn:pulumi:dev::p::aws:eks/nodeGroup:NodeGroup::gpu");
    r.setProperties(
      Struct.fromJavaScript({ ...ON_DEMAND_POOL, scalingConfig: { desiredSize: 4, minSize: 0, maxSize: 4 } }),
    );
    r.setOptions(options());
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList([r]);
    const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      client.analyzeStack.bind(client),
      req,
    );
    const budget = res.getDiagnosticsList().find((d) => d.getPolicyname() === "stack-monthly-budget");
    const monthly = 4 * g6() * 730;
    assert.ok(monthly > 2000, "the example stack is above the default dev budget");
    const m = `$${monthly.toFixed(2)}`;
    assert.match(
      budget?.getMessage() ?? "",
      new RegExp(
        `estimated ${esc(m)}/month exceeds the dev budget of \\$2000\\.00/month by ${esc(`$${(monthly - 2000).toFixed(2)}`)}; most expensive: gpu ${esc(m)}/mo`,
      ),
    );
  });
});
