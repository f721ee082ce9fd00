/**
 * Test support for the deployment program (not a test file): a platform stack's per-cloud outputs,
 * a small catalog with the shapes the tests place, specs per cloud × placement kind, and Pulumi
 * mocks that answer the platform StackReference.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, obj, valueOf, type Obj, type Registered } from "../../components/testing/pulumiMocks";
import type { Catalog, GpuOffer } from "../../platform/core/pricing/types";
import type { Capacity, Cloud, GpuType } from "../../platform/core/types";
import type { DeploymentSpecInput } from "./spec";

/** One cluster shape and one serverless shape per cloud. */
export const SHAPES: Readonly<
  Record<
    Cloud,
    {
      region: string;
      cluster: { instanceType: string; gpuType: GpuType; gpusPerNode: number };
      serverless: { product: string; sku: string; gpuType: GpuType };
    }
  >
> = {
  aws: {
    region: "us-east-1",
    cluster: { instanceType: "p4de.24xlarge", gpuType: "A100-80GB", gpusPerNode: 8 },
    serverless: { product: "sagemaker-async", sku: "ml.g5.xlarge", gpuType: "A10G" },
  },
  gcp: {
    region: "us-central1",
    cluster: { instanceType: "a2-ultragpu-2g", gpuType: "A100-80GB", gpusPerNode: 2 },
    serverless: { product: "cloud-run", sku: "nvidia-l4", gpuType: "L4" },
  },
  azure: {
    // A region that sells the Container Apps serverless A100 (providers/limits/serverless-regions.ts).
    region: "westus3",
    cluster: { instanceType: "Standard_NC48ads_A100_v4", gpuType: "A100-80GB", gpusPerNode: 2 },
    serverless: { product: "container-apps", sku: "Consumption-GPU-NC24-A100", gpuType: "A100-80GB" },
  },
};

function offer(cloud: Cloud, onDemand: number, spot: number): GpuOffer {
  const s = SHAPES[cloud];
  return {
    cloud,
    region: s.region,
    instanceType: s.cluster.instanceType,
    gpuType: s.cluster.gpuType,
    gpuCount: s.cluster.gpusPerNode,
    gpuMemoryGiB: 80,
    vcpus: 12 * s.cluster.gpusPerNode,
    memoryGiB: 170 * s.cluster.gpusPerNode,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
    source: "test fixture",
    asOf: "2026-11-01",
  };
}

/** Fixture catalog (approximate list prices; not for quoting). */
export function fixtureCatalog(): Catalog {
  return {
    version: "test.deployment.1",
    asOf: "2026-11-01",
    gpuOffers: [offer("aws", 40.97, 16.0), offer("gcp", 10.14, 4.0), offer("azure", 7.35, 2.9)],
    serverless: [],
    storage: [],
    controlPlanes: [],
  };
}

const TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** One entry of a platform stack's `clusters` output, as the platform program exports it (`<cloud>-<region>`). */
export function platformOutput(cloud: Cloud, opts: { withPools: boolean; region?: string }): Obj {
  const s = { ...SHAPES[cloud], region: opts.region ?? SHAPES[cloud].region };
  const pool = (capacity: "spot" | "on-demand") => ({
    name: `gpu-${capacity}`,
    gpuType: s.cluster.gpuType,
    instanceType: s.cluster.instanceType,
    gpuCount: s.cluster.gpusPerNode,
    capacity,
    nodeSelector: { "modelplane.dev/pool": `gpu-${capacity}` },
    tolerations:
      capacity === "spot" && cloud === "azure"
        ? [
            TOLERATION,
            { key: "kubernetes.azure.com/scalesetpriority", operator: "Equal", value: "spot", effect: "NoSchedule" },
          ]
        : [TOLERATION],
  });
  const store: Record<Cloud, Obj> = {
    aws: {
      uri: "s3://mp-models-1a2b/models",
      readerIdentity: "arn:aws:iam::123456789012:role/mp-reader",
      readerClientId: "arn:aws:iam::123456789012:role/mp-reader",
      readerGrant: "arn:aws:iam::123456789012:policy/mp-read",
    },
    gcp: {
      uri: "gs://mp-models-1a2b/models",
      readerIdentity: "mp-reader@proj.iam.gserviceaccount.com",
      readerClientId: "mp-reader@proj.iam.gserviceaccount.com",
      readerGrant: "serviceAccount:mp-reader@proj.iam.gserviceaccount.com",
    },
    azure: {
      uri: "https://mpmodels1a2b.blob.core.windows.net/models",
      readerIdentity:
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mp-reader",
      readerClientId: "00000000-0000-0000-0000-000000000001",
      readerGrant: "ra-1",
    },
  };
  const clusterRef: Record<Cloud, Obj> = {
    aws: {
      cloud,
      region: s.region,
      clusterName: "mp-aws",
      nodeRoleArn: "arn:aws:iam::123456789012:role/mp-node",
      subnetIds: ["subnet-a", "subnet-b"],
    },
    gcp: { cloud, region: s.region, clusterName: "mp-gcp", project: "proj", location: s.region },
    azure: { cloud, region: s.region, clusterName: "mp-azure", resourceGroupName: "mp-rg" },
  };
  const serverless: Record<Cloud, Obj> = {
    aws: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm:0.11.0" },
    gcp: {},
    azure: {},
  };
  return {
    name: `${cloud}-${s.region}`,
    cloud,
    region: s.region,
    clusterName: clusterRef[cloud]["clusterName"],
    endpoint: "https://k8s.example",
    clusterRef: clusterRef[cloud],
    dedicatedPools: true,
    pools: opts.withPools ? [pool("spot"), pool("on-demand")] : [],
    store: store[cloud],
    serverless: serverless[cloud],
    ...(cloud === "aws" ? { stackRoleBoundaryArn: TEST_ROLE_BOUNDARY } : {}),
  };
}

/** The AWS fixture platform's `stackRoleBoundaryArn` (the control plane's boundary policy). */
export const TEST_ROLE_BOUNDARY = "arn:aws:iam::123456789012:policy/mp-aws-control-plane-stack-role-boundary";

/** A test kubeconfig for a cluster entry (what the platform's secret `kubeconfigs` output holds). */
export const testKubeconfig = (name: string): string => `apiVersion: v1\nkind: Config\n# ${name}\n`;

/** The `clusters.<name>.gateway` output the platform exports (GatewayOutput), on `cloud`. */
export const gatewayOf = (cloud: Cloud): Obj => ({
  name: "inference",
  namespace: "modelplane-gateway",
  listener: "https",
  hostname: `models.${cloud}.example.com`,
  address: "203.0.113.10",
  url: `https://models.${cloud}.example.com`,
});

/** The platform stack's outputs for these `clusters` entries: `{ clusters: {name: …}, kubeconfigs: {name: …} }`. */
export function platformStackOutputs(...clusters: Obj[]): Obj {
  const names = clusters.map((c) => String(c["name"]));
  return {
    clusters: Object.fromEntries(clusters.map((c, i) => [names[i], c])),
    kubeconfigs: Object.fromEntries(names.map((n) => [n, testKubeconfig(n)])),
  };
}

/** A spec for `cloud` and placement kind; the 70B fp16 model on 2 × A100-80GB for cluster kinds. */
export function specFor(
  cloud: Cloud,
  kind: "on-demand" | "spot-floor" | "serverless" | "scale-to-zero",
): DeploymentSpecInput {
  const s = SHAPES[cloud];
  const capacity: Capacity = kind === "on-demand" ? "on-demand" : kind === "serverless" ? "serverless" : "spot";
  const serverless = kind === "serverless";
  return {
    deploymentId: `dep-${cloud}-${kind}`,
    tenant: "Research",
    owner: "alice@example.com",
    costCenter: "cc-1042",
    environment: "dev",
    model: serverless
      ? cloud === "azure"
        ? // A Container Apps replica holds at most 8 GiB of downloaded weights: a 3B model (5.6 GiB) fits.
          {
            name: "Llama-3.2-3B-Instruct",
            version: "v1",
            parametersBillions: 3,
            precision: "fp16",
            contextTokens: 8192,
          }
        : {
            name: "Llama-3.1-8B-Instruct",
            version: "v1",
            parametersBillions: 8,
            precision: "fp16",
            contextTokens: 8192,
          }
      : {
          name: "Llama-3.1-70B-Instruct",
          version: "v1",
          parametersBillions: 70,
          precision: "fp16",
          contextTokens: 8192,
        },
    placement: {
      cloud,
      region: s.region,
      instanceType: serverless ? s.serverless.sku : s.cluster.instanceType,
      gpuType: serverless ? s.serverless.gpuType : s.cluster.gpuType,
      gpuCount: serverless ? 1 : 2,
      gpuMemoryGiB: serverless ? 24 : 80,
      capacity,
      ...(serverless ? { serverlessProduct: s.serverless.product } : {}),
      replicas: 2,
      unitHourlyUsd: 5,
      hourlyUsd: 10,
      monthlyUsd: 7300,
      storageMonthlyUsd: 3.5,
      onDemandUnitHourlyUsd: capacity === "spot" ? 10 : null,
    },
    scaling:
      kind === "spot-floor"
        ? { minReplicas: 2, maxReplicas: 4, scaleToZero: false, targetConcurrencyPerReplica: 16 }
        : kind === "on-demand"
          ? { minReplicas: 1, maxReplicas: 3, scaleToZero: false, targetConcurrencyPerReplica: 16 }
          : { maxReplicas: 3, scaleToZero: true, targetConcurrencyPerReplica: 16 },
    onDemandFloorReplicas: kind === "spot-floor" ? 1 : 0,
    server: { kind: "vllm" },
    platformStack: "acme/modelplane-platform/dev",
    tags: { project: "chat" },
  };
}

/**
 * Install the shared capturing mocks (project `modelplane-deployment`, stack `dev`), answering
 * `pulumi:pulumi:StackReference` with `outputs` (a function, so a test can change the platform
 * between cases), plus the GCP project and AKS cluster the deployment program looks up.
 */
export function installDeploymentMocks(outputs: () => Obj): Promise<Registered[]> {
  return installMocks({
    project: "modelplane-deployment",
    stack: "dev",
    state: (type, name, inputs) => {
      if (type === "pulumi:pulumi:StackReference") {
        return { id: String(inputs["name"] ?? name), outputs: outputs(), secretOutputNames: [] };
      }
      const extra: Obj = {};
      if (type === "gcp:cloudrunv2/service:Service") extra["uri"] = `https://${name}-x1-uc.a.run.app`;
      if (type === "azure-native:app:ContainerApp") {
        extra["configuration"] = {
          ...obj(inputs["configuration"]),
          ingress: { ...obj(obj(inputs["configuration"])["ingress"]), fqdn: `${name}.eastus.azurecontainerapps.io` },
        };
      }
      if (type === "azure-native:managedidentity:UserAssignedIdentity") {
        extra["clientId"] = `${String(inputs["resourceName"])}-client-id`;
        extra["principalId"] = `${String(inputs["resourceName"])}-principal`;
        extra["name"] = inputs["resourceName"];
      }
      return { name: inputs["name"] ?? `${name}-x1`, ...extra };
    },
    call: (token, inputs) => {
      if (token === "gcp:organizations/getProject:getProject")
        return { projectId: "proj", name: "proj", number: "123" };
      if (token === "azure-native:containerservice:getManagedCluster") {
        return {
          ...inputs,
          oidcIssuerProfile: { enabled: true, issuerURL: "https://eastus.oic.prod-aks.azure.com/tenant-id/issuer-id/" },
        };
      }
      return undefined;
    },
  });
}

/** Resolve every Output in a program's result (mocks: values are known). */
export async function resolveOutputs(result: Record<string, unknown>): Promise<Obj> {
  const out: Obj = {};
  for (const [k, v] of Object.entries(result)) {
    out[k] = pulumi.Output.isInstance(v) ? await valueOf<unknown>(v) : v;
  }
  return out;
}

/** Count resources by type. */
export function countByType(registered: readonly Registered[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of registered) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
