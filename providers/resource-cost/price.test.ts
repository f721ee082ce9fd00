import * as assert from "node:assert/strict";
import { HOURS_PER_MONTH } from "../../platform/core/types";
import { findGpuOffer, findServerlessOffer } from "../../platform/core/pricing/lookup";
import { priceResource } from "./price";
import { priceStack } from "./stack";
import { knownTypes } from "./registry";
import { build, costCatalog } from "../../platform/core/resources/testing";
import type { ResourceInput, ResourcePrice } from "../../platform/core/resources/types";
import type { Catalog } from "../../platform/core/pricing/types";
import { PROFILE_TYPES_BY_NAME } from "../azure/cost";

const catalog = costCatalog();

function offer(cloud: "aws" | "gcp" | "azure", region: string, instanceType: string) {
  const o = findGpuOffer(catalog, { cloud, region, instanceType });
  if (!o) throw new Error(`fixture has no ${instanceType}`);
  return o;
}

function spotOf(o: { spotHourlyUsd: number | null }): number {
  if (o.spotHourlyUsd === null) throw new Error("no spot");
  return o.spotHourlyUsd;
}

function sku(cloud: "aws" | "gcp" | "azure", region: string, s: string): number {
  const o = findServerlessOffer(catalog, { cloud, region, sku: s });
  if (!o) throw new Error(`fixture has no ${s}`);
  return o.perSecondUsd * 3600;
}

function hourly(p: ResourcePrice): number {
  assert.ok(p.priced, `expected priced, got: ${p.priced ? "" : p.reason}`);
  return p.hourlyUsd;
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);

describe("priceResource", () => {
  const g6 = offer("aws", "us-east-1", "g6.xlarge");
  const g2 = offer("gcp", "us-central1", "g2-standard-8");
  const t4 = offer("azure", "eastus", "Standard_NC4as_T4_v3");

  const table: Array<{
    what: string;
    resource: ResourceInput;
    ctx?: Parameters<typeof priceResource>[2];
    hourly: () => number;
    basis: string;
    monthly?: () => number;
  }> = [
    {
      what: "EKS spot node group at desired size",
      resource: build.eksNodeGroup(),
      hourly: () => 2 * spotOf(g6),
      basis: "desired",
    },
    {
      what: "EKS on-demand node group",
      resource: build.eksNodeGroup({ capacityType: "ON_DEMAND" }),
      hourly: () => 2 * g6.onDemandHourlyUsd,
      basis: "desired",
    },
    {
      what: "EKS node group without desired size uses min",
      resource: build.eksNodeGroup({ scalingConfig: { minSize: 1, maxSize: 4 } }),
      hourly: () => spotOf(g6),
      basis: "min",
    },
    {
      what: "EKS node group in the provider's region",
      resource: { ...build.eksNodeGroup({ region: undefined }), providerRegion: "us-west-2" },
      hourly: () => 2 * spotOf(offer("aws", "us-west-2", "g6.xlarge")),
      basis: "desired",
    },
    {
      what: "EKS spot without a trusted spot price falls back to on-demand",
      resource: build.eksNodeGroup({ instanceTypes: ["p5.48xlarge"], scalingConfig: { desiredSize: 1 } }),
      hourly: () => offer("aws", "us-east-1", "p5.48xlarge").onDemandHourlyUsd,
      basis: "desired",
    },
    { what: "EKS control plane", resource: build.eksCluster(), hourly: () => 0.1, basis: "fee" },
    {
      what: "GKE zonal spot pool at initial count",
      resource: build.gkeNodePool(),
      hourly: () => spotOf(g2),
      basis: "desired",
    },
    {
      what: "GKE regional pool counts per zone × 3",
      resource: build.gkeNodePool({ location: "us-central1" }, { spot: false }),
      hourly: () => 3 * g2.onDemandHourlyUsd,
      basis: "desired",
    },
    {
      what: "GKE pool with node locations",
      resource: build.gkeNodePool({
        location: "us-central1",
        nodeLocations: ["us-central1-a", "us-central1-b"],
        initialNodeCount: undefined,
        autoscaling: { minNodeCount: 1, maxNodeCount: 2 },
      }),
      hourly: () => 2 * spotOf(g2),
      basis: "min",
    },
    { what: "GKE control plane", resource: build.gkeCluster(), hourly: () => 0.1, basis: "fee" },
    {
      what: "Cloud Run L4 per active hour",
      resource: build.cloudRun(),
      hourly: () => sku("gcp", "us-central1", "nvidia-l4"),
      basis: "active-hours",
      ctx: { activeHoursPerDay: 6 },
      monthly: () => (sku("gcp", "us-central1", "nvidia-l4") * HOURS_PER_MONTH * 6) / 24,
    },
    {
      what: "Cloud Run with a warm instance is always on",
      resource: build.cloudRun({
        template: { nodeSelector: { accelerator: "nvidia-l4" }, scaling: { minInstanceCount: 1 } },
      }),
      hourly: () => sku("gcp", "us-central1", "nvidia-l4"),
      basis: "always-on",
      ctx: { activeHoursPerDay: 6 },
      monthly: () => sku("gcp", "us-central1", "nvidia-l4") * HOURS_PER_MONTH,
    },
    {
      what: "AKS spot agent pool (location from its cluster) at its count",
      resource: build.aksAgentPool(),
      ctx: { stack: [build.aksCluster()] },
      hourly: () => spotOf(t4),
      basis: "desired",
    },
    { what: "AKS Standard control plane", resource: build.aksCluster(), hourly: () => 0.1, basis: "fee" },
    {
      what: "AKS Free tier has no fee",
      resource: build.aksCluster({ sku: { name: "Base", tier: "Free" } }),
      hourly: () => 0,
      basis: "fee",
    },
    {
      what: "Container Apps T4 profile by modelplane's profile name",
      resource: build.containerApp(),
      hourly: () => sku("azure", "eastus", "Consumption-GPU-NC8as-T4"),
      basis: "active-hours",
    },
    {
      what: "SageMaker async endpoint config per active hour",
      resource: build.sagemakerConfig(),
      hourly: () => sku("aws", "us-east-1", "ml.g5.xlarge"),
      basis: "active-hours",
    },
    {
      what: "S3 bucket at the expected size",
      resource: build.s3Bucket(),
      ctx: { storageGiB: 100 },
      hourly: () => (100 * 0.023) / HOURS_PER_MONTH,
      basis: "storage",
      monthly: () => 100 * 0.023,
    },
    {
      what: "GCS bucket at the expected size",
      resource: build.gcsBucket(),
      ctx: { storageGiB: 10 },
      hourly: () => (10 * 0.02) / HOURS_PER_MONTH,
      basis: "storage",
    },
    {
      what: "Azure storage account Hot tier",
      resource: build.storageAccount(),
      ctx: { storageGiB: 10 },
      hourly: () => (10 * 0.0184) / HOURS_PER_MONTH,
      basis: "storage",
    },
    {
      what: "GPU Deployment at the pool its nodeSelector lands on",
      resource: build.deployment({ replicas: 3 }),
      ctx: { stack: [build.eksNodeGroup({ scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 4 } })] },
      hourly: () => 3 * spotOf(g6),
      basis: "replicas",
    },
    {
      what: "GPU Deployment on an external pool",
      resource: build.deployment({ replicas: 1, nodeSelector: { "modelplane.dev/pool": "ext" } }),
      ctx: {
        externalPools: [
          {
            name: "ext",
            cloud: "gcp",
            region: "us-central1",
            instanceType: "g2-standard-8",
            spot: false,
            nodeLabels: { "modelplane.dev/pool": "ext" },
          },
        ],
      },
      hourly: () => g2.onDemandHourlyUsd,
      basis: "replicas",
    },
    {
      what: "GPU Deployment selecting an instance type and GKE spot label",
      resource: build.deployment({
        replicas: 2,
        nodeSelector: { "node.kubernetes.io/instance-type": "g2-standard-8", "cloud.google.com/gke-spot": "true" },
      }),
      hourly: () => 2 * spotOf(g2),
      basis: "replicas",
    },
    {
      what: "GPU Deployment under a KEDA ScaledObject rests at its minimum (0)",
      resource: build.deployment({ replicas: 2 }),
      ctx: {
        stack: [
          build.eksNodeGroup({ scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 4 } }),
          {
            type: "kubernetes:keda.sh/v1alpha1:ScaledObject",
            name: "so",
            inputs: { spec: { scaleTargetRef: { name: "server" }, minReplicaCount: 0, maxReplicaCount: 4 } },
          },
        ],
      },
      hourly: () => 0,
      basis: "min",
    },
    {
      what: "CPU Deployment is free (runs on priced nodes)",
      resource: build.deployment({ gpus: 0 }),
      hourly: () => 0,
      basis: "free",
    },
  ];

  for (const row of table) {
    it(row.what, () => {
      const p = priceResource(row.resource, catalog, row.ctx);
      near(hourly(p), row.hourly());
      assert.equal(p.priced && p.basis, row.basis);
      if (p.priced) {
        const expectedMonthly = row.monthly
          ? row.monthly()
          : row.basis === "storage"
            ? p.hourlyUsd * HOURS_PER_MONTH
            : row.hourly() *
              HOURS_PER_MONTH *
              (row.basis === "active-hours" ? (row.ctx?.activeHoursPerDay ?? 24) / 24 : 1);
        assert.ok(Math.abs(p.monthlyUsd - expectedMonthly) < 1e-4, `monthly ${p.monthlyUsd} != ${expectedMonthly}`);
        assert.ok(p.note.length > 0);
      }
    });
  }

  const unpricedTable: Array<{
    what: string;
    resource: ResourceInput;
    ctx?: Parameters<typeof priceResource>[2];
    reason: RegExp;
  }> = [
    {
      what: "unknown resource type",
      resource: { type: "aws:rds/instance:Instance", name: "db", inputs: { instanceClass: "db.r6g.large" } },
      reason: /no cost model for resource type aws:rds\/instance:Instance/,
    },
    {
      what: "instance type in neither the GPU catalog nor the CPU prices",
      resource: build.eksNodeGroup({ instanceTypes: ["t3.large"] }),
      reason: /t3\.large is in neither the GPU catalog nor the CPU prices/,
    },
    {
      what: "instance type offered elsewhere only",
      resource: build.eksNodeGroup({ region: "eu-west-1" }),
      reason: /g6\.xlarge has no catalog offer in aws eu-west-1/,
    },
    { what: "store without an expected size", resource: build.s3Bucket(), reason: /declare no size/ },
    {
      what: "GPU Deployment whose selector matches no pool",
      resource: build.deployment({ nodeSelector: { "modelplane.dev/pool": "nope" } }),
      reason: /matches no known pool/,
    },
    {
      what: "GPU Deployment needing more GPUs than a node has",
      resource: build.deployment({ gpus: 2 }),
      ctx: { stack: [build.eksNodeGroup()] },
      reason: /a pod needs 2 GPUs/,
    },
    {
      what: "LoadBalancer Service",
      resource: { type: "kubernetes:core/v1:Service", name: "lb", inputs: { spec: { type: "LoadBalancer" } } },
      reason: /load balancer/,
    },
    {
      what: "Container app without a GPU profile",
      resource: build.containerApp({ workloadProfileName: "Consumption" }),
      reason: /no GPU workload profile/,
    },
  ];
  for (const row of unpricedTable) {
    it(`unpriced: ${row.what}`, () => {
      const p = priceResource(row.resource, catalog, row.ctx);
      assert.equal(p.priced, false);
      if (!p.priced) assert.match(p.reason, row.reason);
    });
  }

  it("lists a cluster's CPU system pool as an unpriced part, never zero, when the catalog has no CPU prices", () => {
    const p = priceResource(build.aksCluster(), catalog);
    assert.ok(p.priced);
    if (p.priced)
      assert.deepEqual(p.unpricedParts, [
        "inline pool Standard_D4s_v5: Standard_D4s_v5 is in neither the GPU catalog nor the CPU prices",
      ]);
  });

  describe("CPU node pools (catalog.cpuInstances)", () => {
    const cpu = (cloud: "aws" | "azure", region: string, instanceType: string, usd: number) => ({
      cloud,
      region,
      instanceType,
      vcpus: 4,
      memoryGiB: 16,
      onDemandHourlyUsd: usd,
      source: "test rows",
      asOf: "2026-11-30",
    });
    const withCpu: Catalog = {
      ...catalog,
      cpuInstances: [
        cpu("aws", "us-east-1", "t3.large", 0.0832),
        cpu("aws", "eu-west-1", "t3.large", 0.0912),
        cpu("azure", "eastus", "Standard_D4s_v5", 0.192),
        cpu("azure", "westus", "Standard_D4s_v5", 0.224),
      ],
    };

    it("prices a CPU node group on-demand at its region's price × resting nodes", () => {
      const group = build.eksNodeGroup({ instanceTypes: ["t3.large"], capacityType: "ON_DEMAND" });
      const p = priceResource(group, withCpu);
      assert.ok(p.priced);
      if (!p.priced) return;
      // desiredSize 2 in the fixture
      assert.equal(p.hourlyUsd, Math.round(0.0832 * 2 * 1e6) / 1e6);
      assert.equal(p.monthlyUsd, Math.round(0.0832 * 2 * HOURS_PER_MONTH * 1e6) / 1e6);
      assert.match(p.note, /CPU instance \(test rows\)/);
    });

    it("prices a spot CPU pool at on-demand and says it is an upper bound", () => {
      const p = priceResource(build.eksNodeGroup({ instanceTypes: ["t3.large"], capacityType: "SPOT" }), withCpu);
      assert.ok(p.priced);
      if (p.priced) assert.match(p.note, /spot CPU prices are not in the catalog: priced on-demand/);
    });

    it("a CPU type priced only in other regions is unpriced, naming the region", () => {
      const p = priceResource(build.eksNodeGroup({ instanceTypes: ["t3.large"], region: "ap-south-1" }), withCpu);
      assert.equal(p.priced, false);
      if (!p.priced) assert.match(p.reason, /t3\.large has no CPU price in aws ap-south-1/);
    });

    it("an AKS cluster's inline system pool is priced with the cluster (no unpriced part)", () => {
      const without = priceResource(build.aksCluster(), catalog);
      const p = priceResource(build.aksCluster(), withCpu);
      assert.ok(p.priced && without.priced);
      if (!p.priced || !without.priced) return;
      assert.equal(p.unpricedParts, undefined);
      assert.ok(p.hourlyUsd > without.hourlyUsd, "the system pool adds to the cluster's price");
      assert.match(p.note, /inline pool: .*Standard_D4s_v5/);
    });
  });

  it("every type token claimed by a cost module is a real token shape", () => {
    for (const t of knownTypes()) assert.match(t, /^[a-z-]+:[A-Za-z0-9./-]+:[A-Za-z0-9]+$/);
  });

  it("Azure profile names mirror the provider's GPU_PROFILE_NAMES", async () => {
    const { GPU_PROFILE_NAMES } = await import("../azure/serverless");
    for (const [type, name] of Object.entries(GPU_PROFILE_NAMES)) assert.equal(PROFILE_TYPES_BY_NAME[name], type);
  });
});

describe("priceStack", () => {
  it("counts a pool's resting nodes once when a workload lands on them", () => {
    const pool = build.eksNodeGroup({ scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 4 } });
    const stack = priceStack([pool, build.deployment({ replicas: 3 })], catalog);
    const unit = spotOf(offer("aws", "us-east-1", "g6.xlarge"));
    near(stack.hourlyUsd, 3 * unit);
    const workload = stack.entries[1];
    assert.ok(workload?.price.priced);
    if (workload?.price.priced) assert.match(workload.price.note, /1 node\(s\) already billed on gpu-spot/);
  });

  it("packs several pods on a multi-GPU node", () => {
    const pool = build.eksNodeGroup({
      instanceTypes: ["g5.12xlarge"],
      scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 2 },
    });
    const stack = priceStack([pool, build.deployment({ replicas: 3, gpus: 2 })], catalog);
    near(stack.hourlyUsd, 2 * spotOf(offer("aws", "us-east-1", "g5.12xlarge")));
  });

  it("reports unpriced resources and parts with their reasons", () => {
    const stack = priceStack([build.aksCluster(), { type: "x:y:Z", name: "mystery", inputs: {} }], catalog);
    assert.deepEqual(
      stack.unpriced.map((u) => u.name),
      ["aks", "mystery"],
    );
    near(stack.hourlyUsd, 0.1);
  });
});
