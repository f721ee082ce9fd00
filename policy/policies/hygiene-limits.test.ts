/**
 * The hygiene and region rules at their edges, with exact messages: exempt types, tag keys as the
 * clouds fold them, a lifecycle referencing one of a store's keys, which resources the advisory
 * scale-to-zero rule looks at, and region lists that are empty, absent or differently cased. The
 * rules get a hand-made context (facts by record name), so only the rule logic is under test.
 */
import * as assert from "node:assert/strict";
import { costCatalog } from "../../platform/core/resources/testing";
import type { CostShape, GpuCapacityFacts, ResourceFacts } from "../../platform/core/resources/types";
import { parseRuleConfig } from "./adapt";
import { costTagsRule, scaleToZeroRule, storageLifecycleRule } from "./hygiene-rules";
import { allowedRegionsRule } from "./region-rules";
import type { PolicyRecord, RuleContext } from "./rule";

interface Fake {
  facts?: Partial<ResourceFacts>;
  gpu?: GpuCapacityFacts;
}

const rec = (name: string, type = "aws:eks/nodeGroup:NodeGroup", providerRegion?: string): PolicyRecord => ({
  type,
  name,
  props: {},
  ...(providerRegion !== undefined ? { providerRegion } : {}),
});

function ctxOf(environment: string, fakes: Record<string, Fake>): RuleContext {
  const fake = (r: PolicyRecord): Fake => fakes[r.name] ?? {};
  return {
    environment,
    catalog: costCatalog(),
    cost: {},
    factsOf: (r) => ({ cost: { kind: "unknown", reason: "fake" }, platform: "aws", ...fake(r).facts }),
    priceOf: () => ({ priced: false, reason: "fake" }),
    gpuOf: (r) => fake(r).gpu,
  };
}

const tagged = (values: Record<string, string>): Fake => ({ facts: { tags: { values, path: "tags" } } });

describe("cost-tags-required at its edges", () => {
  const config = parseRuleConfig(costTagsRule, {});
  const check = (fake: Fake, type?: string): string[] =>
    costTagsRule.check(rec("r", type), config, ctxOf("dev", { r: fake }));

  it("ships model, owner and cost-center as required, model exempt on shared resources, namespaces exempt", () => {
    assert.deepEqual(config, {
      requiredTags: ["model", "owner", "cost-center"],
      deploymentTag: "modelplane/deployment-id",
      sharedExemptTags: ["model"],
      exemptTypes: ["kubernetes:core/v1:Namespace"],
    });
  });

  it("names every missing tag, where tags live, and what to set", () => {
    assert.deepEqual(check(tagged({ "modelplane/deployment-id": "d1" })), [
      "r (aws:eks/nodeGroup:NodeGroup) is missing cost tag(s) model, owner, cost-center in tags; set model: <value>, owner: <value>, cost-center: <value>",
    ]);
  });

  it("a shared resource (no deployment tag) needs no model tag; an empty value is missing", () => {
    assert.deepEqual(check(tagged({ owner: "a", "cost-center": "c" })), []);
    assert.deepEqual(check(tagged({ owner: "a", "cost-center": "" })), [
      "r (aws:eks/nodeGroup:NodeGroup) is missing cost tag(s) cost-center in tags; set cost-center: <value>",
    ]);
  });

  it("matches keys as GCP and Azure fold them (lower case, / to _)", () => {
    assert.deepEqual(
      check(tagged({ "Modelplane/Deployment-Id": "d1", Model: "m", OWNER: "a", "cost-center": "c" })),
      [],
    );
    assert.equal(check(tagged({ "modelplane_deployment-id": "d1", owner: "a", "cost-center": "c" })).length, 1);
  });

  it("exempt types and untaggable resources are not checked", () => {
    assert.deepEqual(check(tagged({}), "kubernetes:core/v1:Namespace"), []);
    assert.equal(check(tagged({}), "kubernetes:apps/v1:Deployment").length, 1);
    assert.deepEqual(check({}), []);
  });
});

describe("storage-lifecycle-required at its edges", () => {
  const config = parseRuleConfig(storageLifecycleRule, {});
  const store = (keys: string[], inlineLifecycle = false): Fake => ({ facts: { store: { keys, inlineLifecycle } } });
  const lifecycle = (refs: string[], effective = true): Fake => ({ facts: { lifecycle: { refs, effective } } });
  const check = (fakes: Record<string, Fake>) =>
    storageLifecycleRule.check(
      Object.keys(fakes).map((n) => rec(n, "aws:s3/bucket:Bucket")),
      config,
      ctxOf("dev", fakes),
    );
  const violation = (name: string) => ({
    resource: rec(name, "aws:s3/bucket:Bucket"),
    message: `${name} (aws:s3/bucket:Bucket) has no lifecycle rule that tiers or expires old versions; add one (S3 BucketLifecycleConfiguration, GCS lifecycleRules or autoclass, Azure storage ManagementPolicy) referencing this store`,
  });

  it("a lifecycle naming any one of the store's keys covers it", () => {
    assert.deepEqual(check({ s: store(["bucket-1", "arn:bucket-1"]), l: lifecycle(["other", "arn:bucket-1"]) }), []);
  });

  it("a lifecycle that tiers nothing, or names another store, does not; each uncovered store is named", () => {
    assert.deepEqual(check({ s: store(["b1"]), l: lifecycle(["b1"], false) }), [violation("s")]);
    assert.deepEqual(check({ s: store(["b1"]), t: store(["b2"]), l: lifecycle(["b2"]) }), [violation("s")]);
  });

  it("a store with its own lifecycle passes; resources that are not stores are ignored", () => {
    assert.deepEqual(check({ s: store(["b1"], true), x: {} }), []);
  });
});

describe("scale-to-zero-outside-production at its edges", () => {
  const config = parseRuleConfig(scaleToZeroRule, {});
  const pool: GpuCapacityFacts = {
    cloud: "aws",
    region: "us-east-1",
    instanceType: "g6.xlarge",
    gpuType: "L4",
    gpusPerNode: 1,
    nodes: { min: 1 },
    spot: true,
    spotPath: "capacityType",
    countPath: "scalingConfig.minSize",
  };
  const warm = (value: number, cost: CostShape = { kind: "unknown", reason: "x" }, gpu?: GpuCapacityFacts): Fake => ({
    facts: { minScale: { value, path: "scalingConfig.minSize" }, cost },
    ...(gpu ? { gpu } : {}),
  });
  const check = (env: string, fake: Fake): string[] => scaleToZeroRule.check(rec("r"), config, ctxOf(env, { r: fake }));
  const msg = (n: number, env = "dev") =>
    `r (aws:eks/nodeGroup:NodeGroup) keeps ${n} GPU replica(s)/node(s) at rest (scalingConfig.minSize) in ${env}; allow scale-to-zero (minimum 0) to stop paying while idle`;

  it("flags a warm GPU pool, serverless endpoint or GPU workload outside production", () => {
    assert.deepEqual(check("dev", warm(2, undefined, pool)), [msg(2)]);
    const serverless: CostShape = {
      kind: "serverless",
      cloud: "gcp",
      product: "cloud-run",
      minInstances: 1,
      minPath: "m",
    };
    assert.deepEqual(check("staging", warm(1, serverless)), [msg(1, "staging")]);
    const workload: CostShape = {
      kind: "gpu-workload",
      replicas: 1,
      replicasPath: "p",
      gpusPerPod: 1,
      nodeSelector: {},
    };
    assert.deepEqual(check("dev", warm(3, workload)), [msg(3)]);
  });

  it("leaves alone: production, a minimum of 0, no minimum, and warm resources that bear no GPU", () => {
    assert.deepEqual(config.productionEnvironments, ["production"]);
    assert.deepEqual(check("production", warm(2, undefined, pool)), []);
    assert.deepEqual(check("dev", warm(0, undefined, pool)), []);
    assert.deepEqual(check("dev", { gpu: pool }), []);
    assert.deepEqual(check("dev", warm(2)), []);
  });
});

describe("allowed-regions at its edges", () => {
  const check = (config: Record<string, unknown>, r: PolicyRecord, fake: Fake, env = "dev"): string[] =>
    allowedRegionsRule.check(r, parseRuleConfig(allowedRegionsRule, config), ctxOf(env, { [r.name]: fake }));
  const inRegion = (region: string, platform: ResourceFacts["platform"] = "aws"): Fake => ({
    facts: { region, platform },
  });
  const only = { regions: { default: ["US-East-1"] } };

  it("ships no restriction", () => {
    assert.deepEqual(parseRuleConfig(allowedRegionsRule, {}).regions, {});
    assert.deepEqual(check({}, rec("r"), inRegion("mars-1")), []);
  });

  it("compares region codes case-insensitively and names the region and the allowed list", () => {
    assert.deepEqual(check(only, rec("r"), inRegion("us-east-1")), []);
    assert.deepEqual(check(only, rec("r"), inRegion("eu-west-1")), [
      "r (aws:eks/nodeGroup:NodeGroup) is in eu-west-1, not allowed in dev; allowed: US-East-1 (allowed-regions.regions.dev)",
    ]);
  });

  it("falls back to the provider's region; no region at all is not checked", () => {
    assert.equal(check(only, rec("r", undefined, "eu-west-1"), {}).length, 1);
    assert.deepEqual(check(only, rec("r", undefined, "us-east-1"), {}), []);
    assert.deepEqual(check(only, rec("r"), {}), []);
  });

  it("an empty list for the environment, Kubernetes objects and unknown types are not checked", () => {
    assert.deepEqual(check({ regions: { default: [] } }, rec("r"), inRegion("eu-west-1")), []);
    assert.deepEqual(check(only, rec("r"), inRegion("eu-west-1", "kubernetes")), []);
    assert.deepEqual(check(only, rec("r"), inRegion("eu-west-1", "unknown")), []);
  });
});
