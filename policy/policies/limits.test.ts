/**
 * The cost and GPU rules at their limits, with exact messages: the shipped default limits per
 * environment, a value exactly at a limit (passes) and just above it (fails). The rules are called
 * with a hand-made context, so prices and GPU facts are the test's own numbers and the rule's logic
 * is all that is checked (pricing has its own tests).
 */
import * as assert from "node:assert/strict";
import { costCatalog } from "../../platform/core/resources/testing";
import type { CostContext, GpuCapacityFacts, ResourceFacts, ResourcePrice } from "../../platform/core/resources/types";
import { GPU_TYPES } from "../../platform/core/types";
import { parseRuleConfig } from "./adapt";
import { maxHourlyCostRule, stackMonthlyBudgetRule } from "./cost-rules";
import { allowedGpuTypesRule, maxGpuNodesRule, spotRequiredRule } from "./gpu-rules";
import type { PolicyRecord, RuleContext } from "./rule";

const catalog = costCatalog();

interface Fake {
  price?: ResourcePrice;
  gpu?: GpuCapacityFacts;
  facts?: Partial<ResourceFacts>;
}

const rec = (name: string, type = "aws:eks/nodeGroup:NodeGroup"): PolicyRecord => ({ type, name, props: {} });

/** A context whose prices and facts are looked up by record name. */
function ctxOf(environment: string, fakes: Record<string, Fake>, cost: CostContext = {}): RuleContext {
  const fake = (r: PolicyRecord): Fake => fakes[r.name] ?? {};
  return {
    environment,
    catalog,
    cost,
    factsOf: (r) => ({ cost: { kind: "unknown", reason: "fake" }, platform: "aws", ...fake(r).facts }),
    priceOf: (r) => fake(r).price ?? { priced: false, reason: "fake" },
    gpuOf: (r) => fake(r).gpu,
  };
}

const priced = (hourlyUsd: number, monthlyUsd = hourlyUsd * 730): ResourcePrice => ({
  priced: true,
  hourlyUsd,
  monthlyUsd,
  basis: "desired",
  note: "2 × g6.xlarge",
});

function gpu(over: Partial<GpuCapacityFacts> = {}): GpuCapacityFacts {
  return {
    cloud: "aws",
    region: "us-east-1",
    instanceType: "g6.xlarge",
    gpuType: "L4",
    gpusPerNode: 1,
    nodes: { desired: 1, min: 0, max: 2 },
    spot: false,
    spotPath: "capacityType",
    countPath: "scalingConfig.maxSize",
    ...over,
  };
}

describe("max-hourly-cost-per-resource at its limits", () => {
  const config = parseRuleConfig(maxHourlyCostRule, {});

  it("ships limits of $15 (default), $40 (staging) and $100 (production) per hour", () => {
    assert.deepEqual(config.maxHourlyUsd, { default: 15, staging: 40, production: 100 });
  });

  const limits: Array<[env: string, limit: number]> = [
    ["dev", 15],
    ["qa", 15],
    ["staging", 40],
    ["production", 100],
  ];
  for (const [env, limit] of limits) {
    it(`${env}: exactly $${limit}/h passes; a cent more fails with the price, the limit and the key`, () => {
      const at = ctxOf(env, { pool: { price: priced(limit) } });
      assert.deepEqual(maxHourlyCostRule.check(rec("pool"), config, at), []);
      const over = ctxOf(env, { pool: { price: priced(limit + 0.01) } });
      assert.deepEqual(maxHourlyCostRule.check(rec("pool"), config, over), [
        `pool (aws:eks/nodeGroup:NodeGroup) costs $${(limit + 0.01).toFixed(2)}/h (2 × g6.xlarge), above the ${env} limit of $${limit}.00/h; ` +
          `use a smaller instance or fewer nodes, or raise max-hourly-cost-per-resource.maxHourlyUsd.${env}`,
      ]);
    });
  }

  it("an unpriced resource, or an environment without a limit, is not checked", () => {
    assert.deepEqual(maxHourlyCostRule.check(rec("pool"), config, ctxOf("dev", {})), []);
    const noDefault = parseRuleConfig(maxHourlyCostRule, { maxHourlyUsd: { production: 1 } });
    assert.deepEqual(
      maxHourlyCostRule.check(rec("pool"), noDefault, ctxOf("dev", { pool: { price: priced(500) } })),
      [],
    );
    assert.equal(
      maxHourlyCostRule.check(rec("pool"), noDefault, ctxOf("production", { pool: { price: priced(1.5) } })).length,
      1,
    );
  });
});

describe("stack-monthly-budget at its limits", () => {
  const config = parseRuleConfig(stackMonthlyBudgetRule, {});
  const messages = (env: string, fakes: Record<string, Fake>): string[] =>
    stackMonthlyBudgetRule
      .check(
        Object.keys(fakes).map((n) => rec(n)),
        config,
        ctxOf(env, fakes),
      )
      .map((v) => {
        assert.equal(v.resource, undefined);
        return v.message;
      });

  it("ships budgets of $2,000 (default), $10,000 (staging), $50,000 (production) a month and prices stores at 50 GiB", () => {
    assert.deepEqual(config.monthlyBudgetUsd, { default: 2000, staging: 10000, production: 50000 });
    assert.equal(config.expectedStorageGiB, 50);
    assert.deepEqual(stackMonthlyBudgetRule.costOptions?.(config), { storageGiB: 50 });
  });

  const budgets: Array<[env: string, budget: number]> = [
    ["dev", 2000],
    ["staging", 10000],
    ["production", 50000],
  ];
  for (const [env, budget] of budgets) {
    it(`${env}: a stack at exactly $${budget}/month passes; a cent more fails`, () => {
      assert.deepEqual(messages(env, { a: { price: priced(1, budget / 2) }, b: { price: priced(1, budget / 2) } }), []);
      const over = messages(env, { a: { price: priced(1, budget / 2) }, b: { price: priced(1, budget / 2 + 0.01) } });
      assert.equal(over.length, 1);
      assert.match(
        over[0]!,
        new RegExp(
          `^estimated \\$${budget + 0.01}/month exceeds the ${env} budget of \\$${budget}\\.00/month by \\$0\\.01;`,
        ),
      );
    });
  }

  it("names the three most expensive priced resources, most expensive first, and counts the unpriced", () => {
    const [message, ...rest] = messages("dev", {
      a: { price: priced(1, 1000) },
      b: { price: priced(1, 300) },
      c: { price: priced(1, 600) },
      d: { price: priced(1, 100.01) },
      free: { price: priced(0, 0) },
      db: {},
    });
    assert.deepEqual(rest, []);
    assert.equal(
      message,
      "estimated $2000.01/month exceeds the dev budget of $2000.00/month by $0.01; most expensive: a $1000.00/mo, c $600.00/mo, b $300.00/mo (1 resource(s) unpriced, not counted); shrink the deployment or raise stack-monthly-budget.monthlyBudgetUsd.dev",
    );
  });

  it("leaves free resources out of the list and says nothing about unpriced ones when there are none", () => {
    assert.deepEqual(messages("dev", { a: { price: priced(1, 2500) }, free: { price: priced(0, 0) } }), [
      "estimated $2500.00/month exceeds the dev budget of $2000.00/month by $500.00; most expensive: a $2500.00/mo; shrink the deployment or raise stack-monthly-budget.monthlyBudgetUsd.dev",
    ]);
  });

  it("an environment without a budget is not checked", () => {
    const noDefault = parseRuleConfig(stackMonthlyBudgetRule, { monthlyBudgetUsd: { production: 1 } });
    assert.deepEqual(
      stackMonthlyBudgetRule.check([rec("a")], noDefault, ctxOf("dev", { a: { price: priced(1, 1e6) } })),
      [],
    );
  });
});

describe("allowed-gpu-types at its limits", () => {
  const config = parseRuleConfig(allowedGpuTypesRule, {});

  it("ships every GPU type but the flagship generations (Hopper, Blackwell, CDNA3) outside production, and all of them in production", () => {
    assert.deepEqual(config.gpuTypes, {
      default: ["T4", "V100", "V100-32GB", "A10", "A10G", "L4", "L40S", "A100", "A100-80GB"],
      production: [...GPU_TYPES],
    });
    assert.ok(GPU_TYPES.includes("H100"));
  });

  it("a GPU pool: H100 fails outside production naming the node shape; passes in production; A100-80GB passes", () => {
    const h100 = gpu({ gpuType: "H100", gpusPerNode: 8, instanceType: "p5.48xlarge" });
    assert.deepEqual(allowedGpuTypesRule.check(rec("p"), config, ctxOf("dev", { p: { gpu: h100 } })), [
      "p (aws:eks/nodeGroup:NodeGroup) uses H100 (8 × H100 per p5.48xlarge node), not allowed in dev; allowed: T4, V100, V100-32GB, A10, A10G, L4, L40S, A100, A100-80GB (allowed-gpu-types.gpuTypes.dev)",
    ]);
    assert.deepEqual(allowedGpuTypesRule.check(rec("p"), config, ctxOf("production", { p: { gpu: h100 } })), []);
    const a100 = gpu({ gpuType: "A100-80GB" });
    assert.deepEqual(allowedGpuTypesRule.check(rec("p"), config, ctxOf("dev", { p: { gpu: a100 } })), []);
  });

  it("an environment with no list, or a resource with no GPU, is not checked", () => {
    const noDefault = parseRuleConfig(allowedGpuTypesRule, { gpuTypes: { production: ["T4"] } });
    assert.deepEqual(allowedGpuTypesRule.check(rec("p"), noDefault, ctxOf("dev", { p: { gpu: gpu() } })), []);
    assert.deepEqual(allowedGpuTypesRule.check(rec("p"), config, ctxOf("dev", {})), []);
  });

  describe("serverless endpoints: the GPU of the catalog offer for their SKU", () => {
    const onlyT4 = parseRuleConfig(allowedGpuTypesRule, { gpuTypes: { default: ["T4"] } });
    // The fixture catalog's cloud-run offer (read by a plain scan, not by the lookup the rule uses).
    const run = catalog.serverless.find((o) => o.product === "cloud-run")!;
    const endpoint = (region: string | undefined, sku: string | undefined): Fake => ({
      facts: {
        cost: {
          kind: "serverless",
          cloud: run.cloud,
          product: run.product,
          minInstances: 0,
          minPath: "template.scaling.minInstanceCount",
          ...(region !== undefined ? { region } : {}),
          ...(sku !== undefined ? { sku } : {}),
        },
      },
    });
    const expected = `run (gcp:cloudrunv2/service:Service) uses ${run.gpuType} (${run.product} ${run.sku}), not allowed in dev; allowed: T4 (allowed-gpu-types.gpuTypes.dev)`;
    const check = (fake: Fake, cost: CostContext = {}): string[] =>
      allowedGpuTypesRule.check(
        rec("run", "gcp:cloudrunv2/service:Service"),
        onlyT4,
        ctxOf("dev", { run: fake }, cost),
      );

    it("in its own region", () => assert.deepEqual(check(endpoint(run.region, run.sku)), [expected]));
    it("in the stack's default region for its cloud", () =>
      assert.deepEqual(check(endpoint(undefined, run.sku), { defaultRegions: { [run.cloud]: run.region } }), [
        expected,
      ]));
    it("with no region anywhere: any region's offer of that SKU", () =>
      assert.deepEqual(check(endpoint(undefined, run.sku)), [expected]));
    it("a region without the SKU, an unknown SKU, or no SKU: not checked", () => {
      assert.deepEqual(check(endpoint("nowhere-1", run.sku)), []);
      assert.deepEqual(check(endpoint(undefined, "no-such-sku")), []);
      assert.deepEqual(check(endpoint(run.region, undefined)), []);
    });
    it("another cloud's offer of the same SKU name does not count", () => {
      const other = catalog.serverless.find((o) => o.cloud !== run.cloud && o.sku !== run.sku)!;
      const elsewhere = endpoint(undefined, run.sku);
      if (elsewhere.facts?.cost?.kind === "serverless") elsewhere.facts.cost.cloud = other.cloud;
      assert.deepEqual(check(elsewhere), []);
    });
  });
});

describe("spot-required-outside-production at its limits", () => {
  const config = parseRuleConfig(spotRequiredRule, {});
  const tags = (values: Record<string, string>): Fake["facts"] => ({ tags: { values, path: "tags" } });

  it("ships production as the only production environment and modelplane-allow-on-demand as the opt-out", () => {
    assert.deepEqual(config.productionEnvironments, ["production"]);
    assert.equal(config.optOutTag, "modelplane-allow-on-demand");
  });

  it("an on-demand GPU pool outside production fails, naming the spot field and the tag location", () => {
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("dev", { p: { gpu: gpu(), facts: tags({}) } })), [
      'p (aws:eks/nodeGroup:NodeGroup) is an on-demand L4 pool in dev; make it spot (capacityType) or tag it modelplane-allow-on-demand: "true" (in tags)',
    ]);
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("staging", { p: { gpu: gpu() } })), [
      'p (aws:eks/nodeGroup:NodeGroup) is an on-demand L4 pool in staging; make it spot (capacityType) or tag it modelplane-allow-on-demand: "true"',
    ]);
  });

  it("passes in production, for spot pools, for non-GPU resources, and with the opt-out tag set to true", () => {
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("production", { p: { gpu: gpu() } })), []);
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("dev", { p: { gpu: gpu({ spot: true }) } })), []);
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("dev", {})), []);
    const optedOut = { gpu: gpu(), facts: tags({ "modelplane-allow-on-demand": "true" }) };
    assert.deepEqual(spotRequiredRule.check(rec("p"), config, ctxOf("dev", { p: optedOut })), []);
    const notTrue = { gpu: gpu(), facts: tags({ "modelplane-allow-on-demand": "yes" }) };
    assert.equal(spotRequiredRule.check(rec("p"), config, ctxOf("dev", { p: notTrue })).length, 1);
  });

  it("honours configured production environments and opt-out tag", () => {
    const custom = parseRuleConfig(spotRequiredRule, { productionEnvironments: ["prod"], optOutTag: "od-ok" });
    assert.deepEqual(spotRequiredRule.check(rec("p"), custom, ctxOf("prod", { p: { gpu: gpu() } })), []);
    assert.equal(spotRequiredRule.check(rec("p"), custom, ctxOf("production", { p: { gpu: gpu() } })).length, 1);
    const tagged = { gpu: gpu(), facts: tags({ "od-ok": "true" }) };
    assert.deepEqual(spotRequiredRule.check(rec("p"), custom, ctxOf("dev", { p: tagged })), []);
  });
});

describe("max-gpu-nodes at its limits", () => {
  const config = parseRuleConfig(maxGpuNodesRule, {});
  const check = (env: string, fakes: Record<string, Fake>) =>
    maxGpuNodesRule.check(
      Object.keys(fakes).map((n) => rec(n)),
      config,
      ctxOf(env, fakes),
    );
  const pool = (max: number): Fake => ({ gpu: gpu({ nodes: { max } }) });

  it("ships 4 nodes per pool and 16 per stack (default), 8/16 (staging), 32/64 (production)", () => {
    assert.deepEqual(config.maxNodesPerPool, { default: 4, staging: 8, production: 32 });
    assert.deepEqual(config.maxNodesPerStack, { default: 16, staging: 16, production: 64 });
  });

  const limits: Array<[env: string, perPool: number, perStack: number]> = [
    ["dev", 4, 16],
    ["staging", 8, 16],
    ["production", 32, 64],
  ];
  for (const [env, perPool, perStack] of limits) {
    it(`${env}: a pool of exactly ${perPool} nodes and a stack of exactly ${perStack} pass; one more fails`, () => {
      const full: Record<string, Fake> = {};
      for (let i = 0; i < perStack / perPool; i += 1) full[`p${i}`] = pool(perPool);
      assert.deepEqual(check(env, full), []);

      const overPool = check(env, { big: pool(perPool + 1) });
      assert.deepEqual(
        overPool.map((v) => v.message),
        [
          `big (aws:eks/nodeGroup:NodeGroup) can scale to ${perPool + 1} L4 nodes (scalingConfig.maxSize), above the ${env} limit of ${perPool} per pool (max-gpu-nodes.maxNodesPerPool.${env})`,
        ],
      );
      assert.equal(overPool[0]!.resource?.name, "big");

      const overStack = check(env, { ...full, one: pool(1) });
      assert.deepEqual(overStack, [
        {
          message: `the stack's GPU pools can scale to ${perStack + 1} nodes together, above the ${env} limit of ${perStack} (max-gpu-nodes.maxNodesPerStack.${env})`,
        },
      ]);
    });
  }

  it("a pool's ceiling is its maximum, else desired, else minimum, else 0; non-GPU resources do not count", () => {
    const ceilings: Array<[GpuCapacityFacts["nodes"], number]> = [
      [{ max: 5, desired: 1, min: 1 }, 5],
      [{ desired: 6, min: 1 }, 6],
      [{ min: 7 }, 7],
      [{}, 0],
    ];
    for (const [nodes, ceiling] of ceilings) {
      const out = check("dev", { p: { gpu: gpu({ nodes }) }, cpu: {} });
      assert.deepEqual(
        out.map((v) => v.message),
        ceiling > 4
          ? [
              `p (aws:eks/nodeGroup:NodeGroup) can scale to ${ceiling} L4 nodes (scalingConfig.maxSize), above the dev limit of 4 per pool (max-gpu-nodes.maxNodesPerPool.dev)`,
            ]
          : [],
        JSON.stringify(nodes),
      );
    }
    // the stack total adds the same ceilings: 4 + 4 + 4 + 4 + 1 = 17 > 16
    const mins = check("dev", {
      a: { gpu: gpu({ nodes: { min: 4 } }) },
      b: { gpu: gpu({ nodes: { desired: 4 } }) },
      c: pool(4),
      d: pool(4),
      e: { gpu: gpu({ nodes: { min: 1 } }) },
    });
    assert.deepEqual(
      mins.map((v) => v.message),
      [
        "the stack's GPU pools can scale to 17 nodes together, above the dev limit of 16 (max-gpu-nodes.maxNodesPerStack.dev)",
      ],
    );
  });

  it("environments without limits are not checked", () => {
    const none = parseRuleConfig(maxGpuNodesRule, {
      maxNodesPerPool: { production: 1 },
      maxNodesPerStack: { production: 1 },
    });
    assert.deepEqual(maxGpuNodesRule.check([rec("p")], none, ctxOf("dev", { p: pool(100) })), []);
  });
});
