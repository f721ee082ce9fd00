import * as assert from "node:assert/strict";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { build, costCatalog } from "../../platform/core/resources/testing";
import type { ResourceInput } from "../../platform/core/resources/types";
import { ValidationError } from "../../platform/core/validation";
import { configSchemaOf, parseRuleConfig, toResourcePolicy, toStackPolicy } from "./adapt";
import { resourceContext, stackContext } from "./context";
import { maxHourlyCostRule, stackMonthlyBudgetRule } from "./cost-rules";
import { evaluateRules } from "./evaluate";
import { allowedGpuTypesRule, maxGpuNodesRule, spotRequiredRule } from "./gpu-rules";
import { costTagsRule, scaleToZeroRule, storageLifecycleRule } from "./hygiene-rules";
import { RULES } from "./index";
import { allowedRegionsRule } from "./region-rules";
import type { PolicyRecord, ResourceRule, StackRule } from "./rule";

const catalog = costCatalog();

const record = (r: ResourceInput): PolicyRecord => ({
  type: r.type,
  name: r.name,
  props: r.inputs,
  ...(r.providerRegion ? { providerRegion: r.providerRegion } : {}),
});

function checkOne<R extends ResourceRule>(
  rule: R,
  r: ResourceInput,
  opts: { env?: string; config?: Record<string, unknown>; stack?: ResourceInput[] } = {},
): string[] {
  const config = parseRuleConfig(rule, opts.config ?? {});
  const records = (opts.stack ?? [r]).map(record);
  const target = records[(opts.stack ?? [r]).indexOf(r)] ?? record(r);
  const { ctx } = stackContext(records, {
    environment: opts.env ?? "dev",
    catalog,
    cost: rule.costOptions?.(config) ?? {},
  });
  return rule.check(target, config, ctx);
}

function checkStack<R extends StackRule>(
  rule: R,
  rs: ResourceInput[],
  opts: { env?: string; config?: Record<string, unknown> } = {},
): string[] {
  const config = parseRuleConfig(rule, opts.config ?? {});
  const records = rs.map(record);
  const { ctx } = stackContext(records, {
    environment: opts.env ?? "dev",
    catalog,
    cost: rule.costOptions?.(config) ?? {},
  });
  return rule.check(records, config, ctx).map((v) => v.message);
}

describe("max-hourly-cost-per-resource", () => {
  const cases: Array<
    [string, ResourceInput, (over: Record<string, unknown>) => ResourceInput, Record<string, unknown>]
  > = [
    [
      "aws",
      build.eksNodeGroup(),
      (o) => build.eksNodeGroup(o),
      { scalingConfig: { desiredSize: 8, minSize: 0, maxSize: 8 }, capacityType: "ON_DEMAND" },
    ],
    ["gcp", build.gkeNodePool(), (o) => build.gkeNodePool(o, { spot: false }), { initialNodeCount: 4 }],
    [
      "azure",
      build.aksAgentPool(),
      (o) => build.aksAgentPool(o),
      { vmSize: "Standard_NC24ads_A100_v4", count: 5, scaleSetPriority: "Regular" },
    ],
  ];
  for (const [cloud, ok, make, change] of cases) {
    it(`${cloud}: passes under the limit, fails above it with the price and the config key`, () => {
      const stack = (r: ResourceInput) => [r, build.aksCluster()];
      assert.deepEqual(
        checkOne(maxHourlyCostRule, ok, { config: { maxHourlyUsd: { default: 2 } }, stack: stack(ok) }),
        [],
      );
      const bad = make(change);
      const [message, ...rest] = checkOne(maxHourlyCostRule, bad, {
        config: { maxHourlyUsd: { default: 2 } },
        stack: stack(bad),
      });
      assert.equal(rest.length, 0);
      assert.match(message ?? "", /costs \$\d+\.\d\d\/h .* above the dev limit of \$2\.00\/h; .*maxHourlyUsd\.dev/);
    });
  }
  it("kubernetes: a GPU Deployment is priced at its pool in the stack", () => {
    const pool = build.eksNodeGroup({
      scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 8 },
      capacityType: "ON_DEMAND",
    });
    const dep = build.deployment({ replicas: 4 });
    assert.deepEqual(
      checkOne(maxHourlyCostRule, dep, { config: { maxHourlyUsd: { default: 4 } }, stack: [pool, dep] }),
      [],
    );
    assert.match(
      checkOne(maxHourlyCostRule, dep, { config: { maxHourlyUsd: { default: 3 } }, stack: [pool, dep] })[0] ?? "",
      /server .* costs \$3\.22\/h/,
    );
  });
  it("uses the environment's limit, falling back to default", () => {
    const pool = build.eksNodeGroup({ capacityType: "ON_DEMAND" });
    assert.equal(
      checkOne(maxHourlyCostRule, pool, { env: "production", config: { maxHourlyUsd: { default: 1, production: 5 } } })
        .length,
      0,
    );
    assert.equal(
      checkOne(maxHourlyCostRule, pool, { env: "staging", config: { maxHourlyUsd: { default: 1, production: 5 } } })
        .length,
      1,
    );
  });
});

describe("stack-monthly-budget", () => {
  const stack = [
    build.eksCluster(),
    build.eksNodeGroup({ capacityType: "ON_DEMAND" }),
    build.s3Bucket(),
    build.gkeNodePool({ initialNodeCount: 2 }),
    build.aksAgentPool(),
    build.aksCluster(),
  ];
  it("passes under the budget", () => {
    assert.deepEqual(
      checkStack(stackMonthlyBudgetRule, stack, { config: { monthlyBudgetUsd: { default: 100000 } } }),
      [],
    );
  });
  it("fails over the budget and names the three most expensive resources, most expensive first", () => {
    const [message] = checkStack(stackMonthlyBudgetRule, stack, { config: { monthlyBudgetUsd: { default: 100 } } });
    assert.match(
      message ?? "",
      /^estimated \$\d+\.\d\d\/month exceeds the dev budget of \$100\.00\/month by \$\d+\.\d\d; most expensive: gpu-spot \$1175\.01\/mo, gpu-l4 \$438\.00\/mo, eks \$73\.00\/mo; shrink the deployment or raise stack-monthly-budget\.monthlyBudgetUsd\.dev$/,
    );
  });
  it("counts unpriced resources in the message, never as zero", () => {
    const [message] = checkStack(
      stackMonthlyBudgetRule,
      [...stack, { type: "aws:rds/instance:Instance", name: "db", inputs: {} }],
      { config: { monthlyBudgetUsd: { default: 100 } } },
    );
    assert.match(message ?? "", /\(1 resource\(s\) unpriced, not counted\)/);
  });
  it("prices stores at the configured expected size", () => {
    const [message] = checkStack(stackMonthlyBudgetRule, [build.s3Bucket()], {
      config: { monthlyBudgetUsd: { default: 1 }, expectedStorageGiB: 1000 },
    });
    assert.match(message ?? "", /estimated \$23\.00\/month/);
  });
});

describe("allowed-gpu-types", () => {
  const cfg = { gpuTypes: { default: ["L4", "T4"] } };
  const pairs: Array<[string, ResourceInput, ResourceInput, RegExp, ResourceInput[]?]> = [
    [
      "aws",
      build.eksNodeGroup(),
      build.eksNodeGroup({ instanceTypes: ["g5.12xlarge"] }),
      /uses A10G \(4 × A10G per g5\.12xlarge node\), not allowed in dev; allowed: L4, T4/,
    ],
    ["gcp", build.gkeNodePool(), build.gkeNodePool({}, { machineType: "a2-ultragpu-2g" }), /uses A100-80GB/],
    ["azure", build.aksAgentPool(), build.aksAgentPool({ vmSize: "Standard_NC24ads_A100_v4" }), /uses A100-80GB/],
    ["gcp serverless", build.cloudRun(), build.cloudRun(), /uses L4 \(cloud-run nvidia-l4\)/],
  ];
  for (const [cloud, ok, bad, expected] of pairs) {
    it(`${cloud}: allowed GPU passes, another fails naming it`, () => {
      const okCfg = cloud === "gcp serverless" ? cfg : cfg;
      assert.deepEqual(checkOne(allowedGpuTypesRule, ok, { config: okCfg, stack: [ok, build.aksCluster()] }), []);
      const badCfg = cloud === "gcp serverless" ? { gpuTypes: { default: ["T4"] } } : cfg;
      assert.match(
        checkOne(allowedGpuTypesRule, bad, { config: badCfg, stack: [bad, build.aksCluster()] })[0] ?? "",
        expected,
      );
    });
  }
  it("default config allows H100 only in production", () => {
    const h100 = build.eksNodeGroup({ instanceTypes: ["p5.48xlarge"] });
    assert.equal(checkOne(allowedGpuTypesRule, h100).length, 1);
    assert.equal(checkOne(allowedGpuTypesRule, h100, { env: "production" }).length, 0);
  });
});

describe("allowed-regions", () => {
  const cfg = { regions: { default: ["us-east-1", "us-central1", "eastus"] } };
  const pairs: Array<[string, ResourceInput, ResourceInput]> = [
    ["aws", build.eksCluster(), { ...build.eksCluster(), inputs: { region: "eu-west-1" } }],
    ["gcp", build.gkeNodePool(), build.gkeNodePool({ location: "europe-west4-b" })],
    ["azure", build.storageAccount(), build.storageAccount({ location: "westeurope" })],
  ];
  for (const [cloud, ok, bad] of pairs) {
    it(`${cloud}: allowed region passes, another fails naming it`, () => {
      assert.deepEqual(checkOne(allowedRegionsRule, ok, { config: cfg }), []);
      assert.match(
        checkOne(allowedRegionsRule, bad, { config: cfg })[0] ?? "",
        /is in (eu-west-1|europe-west4|westeurope), not allowed in dev; allowed: us-east-1, us-central1, eastus/,
      );
    });
  }
  it("kubernetes objects have no region and pass; no config means unrestricted", () => {
    assert.deepEqual(checkOne(allowedRegionsRule, build.deployment(), { config: cfg }), []);
    assert.deepEqual(checkOne(allowedRegionsRule, { ...build.eksCluster(), inputs: { region: "ap-south-1" } }), []);
  });
  it("a resource with no region of its own is checked at its provider's region", () => {
    const r = { ...build.eksNodeGroup({ region: undefined }), providerRegion: "eu-west-1" };
    assert.match(checkOne(allowedRegionsRule, r, { config: cfg })[0] ?? "", /is in eu-west-1/);
  });
});

describe("spot-required-outside-production", () => {
  const pairs: Array<[string, ResourceInput, ResourceInput, RegExp]> = [
    [
      "aws",
      build.eksNodeGroup(),
      build.eksNodeGroup({ capacityType: "ON_DEMAND" }),
      /on-demand L4 pool in dev; make it spot \(capacityType\) or tag it modelplane-allow-on-demand: "true" \(in tags\)/,
    ],
    [
      "gcp",
      build.gkeNodePool(),
      build.gkeNodePool({}, { spot: false }),
      /make it spot \(nodeConfig\.spot\) .*\(in nodeConfig\.resourceLabels\)/,
    ],
    [
      "azure",
      build.aksAgentPool(),
      build.aksAgentPool({ scaleSetPriority: "Regular" }),
      /on-demand T4 pool in dev; make it spot \(scaleSetPriority\)/,
    ],
  ];
  for (const [cloud, ok, bad, expected] of pairs) {
    it(`${cloud}: spot passes, on-demand fails`, () => {
      assert.deepEqual(checkOne(spotRequiredRule, ok), []);
      assert.match(checkOne(spotRequiredRule, bad)[0] ?? "", expected);
    });
  }
  it("production may be on-demand; the opt-out tag allows it elsewhere", () => {
    const onDemand = build.eksNodeGroup({ capacityType: "ON_DEMAND" });
    assert.deepEqual(checkOne(spotRequiredRule, onDemand, { env: "production" }), []);
    const optedOut = build.eksNodeGroup({ capacityType: "ON_DEMAND", tags: { "modelplane-allow-on-demand": "true" } });
    assert.deepEqual(checkOne(spotRequiredRule, optedOut), []);
  });
  it("CPU pools are not GPU pools", () => {
    assert.deepEqual(
      checkOne(spotRequiredRule, build.eksNodeGroup({ capacityType: "ON_DEMAND", instanceTypes: ["t3.large"] })),
      [],
    );
  });
});

describe("max-gpu-nodes", () => {
  const cfg = { maxNodesPerPool: { default: 4 }, maxNodesPerStack: { default: 6 } };
  const pairs: Array<[string, ResourceInput, ResourceInput]> = [
    ["aws", build.eksNodeGroup(), build.eksNodeGroup({ scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 5 } })],
    [
      "gcp",
      build.gkeNodePool(),
      build.gkeNodePool({ autoscaling: { minNodeCount: 0, maxNodeCount: 2 }, location: "us-central1" }),
    ],
    ["azure", build.aksAgentPool(), build.aksAgentPool({ maxCount: 10 })],
  ];
  for (const [cloud, ok, bad] of pairs) {
    it(`${cloud}: a pool within the limit passes, a larger one fails`, () => {
      assert.deepEqual(checkStack(maxGpuNodesRule, [ok, build.aksCluster()], { config: cfg }), []);
      assert.match(
        checkStack(maxGpuNodesRule, [bad, build.aksCluster()], { config: cfg })[0] ?? "",
        /can scale to (5|6|10) (L4|T4) nodes .* above the dev limit of 4 per pool/,
      );
    });
  }
  it("sums the pools of the stack", () => {
    const messages = checkStack(
      maxGpuNodesRule,
      [build.eksNodeGroup(), build.gkeNodePool(), build.aksAgentPool(), build.aksCluster()],
      { config: cfg },
    );
    assert.deepEqual(messages, [
      "the stack's GPU pools can scale to 10 nodes together, above the dev limit of 6 (max-gpu-nodes.maxNodesPerStack.dev)",
    ]);
  });
  it("defaults: dev allows 4 nodes per pool and 16 per stack", () => {
    const four = (n: number) => build.eksNodeGroup({ scalingConfig: { desiredSize: 0, minSize: 0, maxSize: n } });
    assert.deepEqual(checkStack(maxGpuNodesRule, [four(4), four(4), four(4), four(4)]), []);
    assert.deepEqual(checkStack(maxGpuNodesRule, [four(4), four(4), four(4), four(4), four(1)]), [
      "the stack's GPU pools can scale to 17 nodes together, above the dev limit of 16 (max-gpu-nodes.maxNodesPerStack.dev)",
    ]);
    assert.match(checkStack(maxGpuNodesRule, [four(5)])[0] ?? "", /above the dev limit of 4 per pool/);
  });
});

describe("cost-tags-required", () => {
  const pairs: Array<[string, ResourceInput, ResourceInput, RegExp]> = [
    [
      "aws",
      build.eksNodeGroup(),
      build.eksNodeGroup({ tags: { owner: "a", "cost-center": "c", "modelplane/deployment-id": "d1" } }),
      /missing cost tag\(s\) model in tags/,
    ],
    [
      "gcp",
      build.gcsBucket(),
      build.gcsBucket({ labels: { model: "m" } }),
      /missing cost tag\(s\) owner, cost-center in labels/,
    ],
    [
      "azure",
      build.storageAccount(),
      build.storageAccount({ tags: {} }),
      /missing cost tag\(s\) owner, cost-center in tags/,
    ],
    [
      "kubernetes",
      build.deployment(),
      {
        ...build.deployment(),
        inputs: { metadata: { labels: { owner: "a", "cost-center": "c", "modelplane/deployment-id": "d" } } },
      },
      /missing cost tag\(s\) model in metadata\.labels/,
    ],
  ];
  for (const [cloud, ok, bad, expected] of pairs) {
    it(`${cloud}: tagged passes, a missing tag fails naming it and the field`, () => {
      assert.deepEqual(checkOne(costTagsRule, ok), []);
      assert.match(checkOne(costTagsRule, bad)[0] ?? "", expected);
    });
  }
  it("shared platform resources need no model tag; a deployment's resources do (GCP-folded key too)", () => {
    const shared = build.gkeCluster();
    shared.inputs = { ...shared.inputs, resourceLabels: { owner: "p", "cost-center": "c" } };
    assert.deepEqual(checkOne(costTagsRule, shared), []);
    const perModel = build.gkeNodePool(
      {},
      { resourceLabels: { owner: "p", "cost-center": "c", "modelplane_deployment-id": "d1" } },
    );
    assert.match(checkOne(costTagsRule, perModel)[0] ?? "", /missing cost tag\(s\) model/);
  });
  it("untaggable types are not checked", () => {
    assert.deepEqual(checkOne(costTagsRule, build.s3Lifecycle("mp-models")), []);
  });
});

describe("storage-lifecycle-required", () => {
  it("aws: a bucket with a lifecycle configuration referencing it passes; without, fails", () => {
    assert.deepEqual(checkStack(storageLifecycleRule, [build.s3Bucket(), build.s3Lifecycle("mp-models")]), []);
    assert.match(
      checkStack(storageLifecycleRule, [build.s3Bucket(), build.s3Lifecycle("another-bucket")])[0] ?? "",
      /^models \(aws:s3\/bucket:Bucket\) has no lifecycle rule/,
    );
  });
  it("gcp: inline lifecycleRules or autoclass pass; none fails", () => {
    assert.deepEqual(checkStack(storageLifecycleRule, [build.gcsBucket()]), []);
    assert.deepEqual(
      checkStack(storageLifecycleRule, [build.gcsBucket({ lifecycleRules: [], autoclass: { enabled: true } })]),
      [],
    );
    assert.match(
      checkStack(storageLifecycleRule, [build.gcsBucket({ lifecycleRules: [] })])[0] ?? "",
      /models-gcs .* has no lifecycle rule/,
    );
  });
  it("azure: a management policy on the account passes; none fails", () => {
    assert.deepEqual(
      checkStack(storageLifecycleRule, [build.storageAccount(), build.managementPolicy("mpmodels")]),
      [],
    );
    assert.equal(checkStack(storageLifecycleRule, [build.storageAccount()]).length, 1);
  });
});

describe("scale-to-zero-outside-production (advisory)", () => {
  it("is advisory by default", () => assert.equal(scaleToZeroRule.enforcementLevel, "advisory"));
  const pairs: Array<[string, ResourceInput, ResourceInput, RegExp]> = [
    [
      "aws",
      build.eksNodeGroup(),
      build.eksNodeGroup({ scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 2 } }),
      /keeps 1 .* \(scalingConfig\.minSize\)/,
    ],
    [
      "gcp",
      build.cloudRun(),
      build.cloudRun({ template: { nodeSelector: { accelerator: "nvidia-l4" }, scaling: { minInstanceCount: 2 } } }),
      /keeps 2 .* \(template\.scaling\.minInstanceCount\)/,
    ],
    [
      "azure",
      build.containerApp(),
      build.containerApp({ template: { scale: { minReplicas: 1 } } }),
      /keeps 1 .* \(template\.scale\.minReplicas\)/,
    ],
  ];
  for (const [cloud, ok, bad, expected] of pairs) {
    it(`${cloud}: scaling to zero passes, a warm minimum is flagged`, () => {
      assert.deepEqual(checkOne(scaleToZeroRule, ok, { stack: [ok, build.aksCluster()] }), []);
      assert.match(checkOne(scaleToZeroRule, bad, { stack: [bad, build.aksCluster()] })[0] ?? "", expected);
      assert.deepEqual(checkOne(scaleToZeroRule, bad, { env: "production", stack: [bad, build.aksCluster()] }), []);
    });
  }
  it("kubernetes: a GPU Deployment kept warm by its replicas is flagged", () => {
    assert.match(checkOne(scaleToZeroRule, build.deployment({ replicas: 2 }))[0] ?? "", /keeps 2 GPU replica/);
  });
});

/** Args shaped like @pulumi/policy's, with a collecting reportViolation. */
function resourceArgs(
  r: ResourceInput,
  config: Record<string, unknown>,
  stackTags: Record<string, string> = {},
): ResourceValidationArgs {
  const args = {
    type: r.type,
    name: r.name,
    props: { ...r.inputs },
    urn: `urn:pulumi:dev::p::${r.type}::${r.name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(Object.entries(stackTags)),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(reason ?? "not applicable");
    },
  };
  return args;
}

function policyResource(r: ResourceInput, deps: PolicyResource[] = []): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    props: { ...r.inputs },
    urn: `urn:pulumi:dev::p::${r.type}::${r.name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: deps,
    propertyDependencies: deps.length ? { bucket: deps } : {},
    isType: () => false,
    asType: () => undefined,
  };
}

function stackArgs(
  resources: PolicyResource[],
  config: Record<string, unknown>,
  stackTags: Record<string, string> = {},
): StackValidationArgs {
  return {
    resources,
    stackTags: new Map(Object.entries(stackTags)),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(reason ?? "not applicable");
    },
  };
}

function collector(): { report: ReportViolation; got: Array<{ message: string; urn?: string }> } {
  const got: Array<{ message: string; urn?: string }> = [];
  return {
    got,
    report: (message: string, urn?: string) => {
      got.push({ message, ...(urn ? { urn } : {}) });
    },
  };
}

describe("pack adapters (the @pulumi/policy signatures)", () => {
  const options = { catalog: costCatalog };

  it("validateResource reports through reportViolation, reading config and the environment stack tag", async () => {
    const policy = toResourcePolicy(maxHourlyCostRule, options);
    const validate = policy.validateResource;
    assert.ok(typeof validate === "function");
    const c = collector();
    const pool = build.eksNodeGroup({ capacityType: "ON_DEMAND" });
    await validate(resourceArgs(pool, { maxHourlyUsd: { default: 1, production: 5 } }), c.report);
    assert.equal(c.got.length, 1);
    assert.match(c.got[0]?.message ?? "", /above the dev limit of \$1\.00\/h/);
    const c2 = collector();
    await validate(
      resourceArgs(pool, { maxHourlyUsd: { default: 1, production: 5 } }, { "modelplane:environment": "production" }),
      c2.report,
    );
    assert.equal(c2.got.length, 0);
  });

  it("validateResource reads a resource's region from its provider", async () => {
    const policy = toResourcePolicy(allowedRegionsRule, options);
    const validate = policy.validateResource;
    assert.ok(typeof validate === "function");
    const c = collector();
    const args = resourceArgs(build.eksNodeGroup({ region: undefined }), { regions: { default: ["us-east-1"] } });
    args.provider = {
      type: "pulumi:providers:aws",
      name: "default",
      urn: "urn:provider",
      props: { region: "eu-west-1" },
    };
    await validate(args, c.report);
    assert.match(c.got[0]?.message ?? "", /is in eu-west-1/);
  });

  it("validateStack links a lifecycle configuration to its bucket through property dependencies (unknown ids at preview)", async () => {
    const policy = toStackPolicy(storageLifecycleRule, options);
    const bucket = policyResource(build.s3Bucket({ bucket: undefined }));
    const lifecycleInputs = build.s3Lifecycle("unknown-at-preview");
    const lifecycle = policyResource({ ...lifecycleInputs, inputs: { ...lifecycleInputs.inputs, bucket: undefined } }, [
      bucket,
    ]);
    const ok = collector();
    await policy.validateStack(stackArgs([bucket, lifecycle], {}), ok.report);
    assert.deepEqual(ok.got, []);
    const bad = collector();
    await policy.validateStack(stackArgs([bucket], {}), bad.report);
    assert.equal(bad.got[0]?.urn, bucket.urn);
  });

  it("validateStack enforces the budget with stack tags naming the environment", async () => {
    const policy = toStackPolicy(stackMonthlyBudgetRule, options);
    const resources = [policyResource(build.eksNodeGroup({ capacityType: "ON_DEMAND" }))];
    const c = collector();
    await policy.validateStack(
      stackArgs(
        resources,
        { monthlyBudgetUsd: { staging: 100, default: 100000 } },
        { "modelplane:environment": "staging" },
      ),
      c.report,
    );
    assert.match(c.got[0]?.message ?? "", /exceeds the staging budget of \$100\.00\/month/);
  });

  it("bad config fails naming the policy and field", () => {
    assert.throws(
      () => parseRuleConfig(maxHourlyCostRule, { maxHourlyUsd: { dev: -1 } }),
      (e: unknown) => e instanceof ValidationError && e.field === "max-hourly-cost-per-resource.maxHourlyUsd.dev",
    );
  });

  it("every policy has a JSON config schema with defaults and no enforcementLevel property", () => {
    for (const rule of RULES) {
      const schema = configSchemaOf(rule);
      assert.ok(!("enforcementLevel" in schema.properties), rule.name);
      assert.ok("environment" in schema.properties, rule.name);
      for (const [key, prop] of Object.entries(schema.properties)) {
        if (key !== "environment") assert.ok(prop.default !== undefined, `${rule.name}.${key} has a default`);
      }
    }
  });
});

describe("evaluateRules (the offline plan's path)", () => {
  const stack = [build.eksNodeGroup({ capacityType: "ON_DEMAND" }), build.s3Bucket()].map(record);
  it("honours enforcementLevel from the pack config, including disabled", () => {
    const base = evaluateRules(RULES, stack, { environment: "dev", catalog });
    assert.ok(base.violations.some((v) => v.policy === "spot-required-outside-production" && v.level === "mandatory"));
    const tuned = evaluateRules(RULES, stack, {
      environment: "dev",
      catalog,
      config: {
        "spot-required-outside-production": { enforcementLevel: "advisory" },
        "storage-lifecycle-required": "disabled",
      },
    });
    assert.ok(tuned.violations.some((v) => v.policy === "spot-required-outside-production" && v.level === "advisory"));
    assert.ok(!tuned.violations.some((v) => v.policy === "storage-lifecycle-required"));
  });
  it("`all` sets every level; a policy's own level wins", () => {
    const r = evaluateRules(RULES, stack, {
      environment: "dev",
      catalog,
      config: { all: "advisory", "storage-lifecycle-required": { enforcementLevel: "mandatory" } },
    });
    assert.ok(r.violations.some((v) => v.policy === "spot-required-outside-production" && v.level === "advisory"));
    assert.ok(r.violations.some((v) => v.policy === "storage-lifecycle-required" && v.level === "mandatory"));
  });
  it("rejects an unknown policy name in the config", () => {
    assert.throws(
      () => evaluateRules(RULES, stack, { environment: "dev", catalog, config: { "max-hourly": {} } }),
      /is not a policy of this pack/,
    );
  });
  it("gives the same verdict as the pack adapter for the same resource", async () => {
    const config = { maxHourlyUsd: { default: 1 } };
    const planned = evaluateRules(RULES, [record(build.eksNodeGroup({ capacityType: "ON_DEMAND" }))], {
      environment: "dev",
      catalog,
      config: { "max-hourly-cost-per-resource": config },
    })
      .violations.filter((v) => v.policy === "max-hourly-cost-per-resource")
      .map((v) => v.message);
    const c = collector();
    const validate = toResourcePolicy(maxHourlyCostRule, { catalog: costCatalog }).validateResource;
    assert.ok(typeof validate === "function");
    await validate(resourceArgs(build.eksNodeGroup({ capacityType: "ON_DEMAND" }), config), c.report);
    assert.deepEqual(
      planned,
      c.got.map((g) => g.message),
    );
  });
  it("resource policies see one resource alone in the pack (no stack) and still price pools", () => {
    const ctx = resourceContext({ environment: "dev", catalog });
    const price = ctx.priceOf(record(build.eksNodeGroup()));
    assert.ok(price.priced);
  });
});

describe("policy/config.example.json", () => {
  it("names only policies of the pack and parses against every config schema", async () => {
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const config = JSON.parse(readFileSync(join(__dirname, "..", "config.example.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(config).sort(), RULES.map((r) => r.name).sort());
    for (const rule of RULES) parseRuleConfig(rule, config[rule.name]);
    const result = evaluateRules(RULES, [record(build.eksNodeGroup())], { environment: "dev", catalog, config });
    assert.deepEqual(result.violations, []);
  });
});
