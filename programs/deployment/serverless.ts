/**
 * A serverless placement of the per-model stack: a ServerlessEndpoint on the platform's serverless
 * product in the placement's cloud and region, checked against what the platform stack offers
 * (its SKUs, workload profiles) and what the instance holds (downloaded weights).
 */
import type { DeploymentSpec } from "./spec";
import type { ReplicaBounds } from "./program";
import type { PlatformCluster } from "./platform-ref";
import { inSpecTerms } from "./spec-terms";
import { ValidationError } from "../../platform/core/validation";
import { isCatalogCloud, type Cloud } from "../../platform/core/types";
import { providerFor } from "../../providers/registry";
import { ServerlessEndpoint, type ServerlessEndpointArgs } from "../../components/ServerlessEndpoint";
import { weightsGiB } from "../../providers/kubernetes/model-server";

/**
 * The permissions boundary the endpoint's roles carry: the platform cluster's `stackRoleBoundaryArn`.
 * When the program runs with boundary-enforcing rights (`required`) and the cloud's endpoint creates
 * roles, a platform output without it is a ValidationError naming the field, not a role without a
 * boundary (which the worker's rights would refuse at `up` anyway, less clearly).
 */
export function stackRoleBoundary(
  out: PlatformCluster,
  platformStack: string,
  cloud: Cloud,
  required: boolean,
): string | undefined {
  if (out.stackRoleBoundaryArn !== undefined || !required || !providerFor(cloud).serverless.createsRoles)
    return out.stackRoleBoundaryArn;
  throw new ValidationError(
    `platformStack(${platformStack}).clusters.${out.name}.stackRoleBoundaryArn`,
    `is missing: this control plane's workers may create ${cloud} roles only with the platform's permissions boundary, and the serverless endpoint creates one; run \`pulumi up\` on the platform stack (its control plane exports the boundary on the clusters of its cloud)`,
  );
}

/** Deploy `spec` on the platform's serverless product; returns the stack's serverless outputs. */
export function deployServerless(
  spec: DeploymentSpec,
  base: string,
  out: PlatformCluster,
  modelUri: string,
  tags: Record<string, string>,
  requireRoleBoundary = false,
): Record<string, unknown> {
  const p = spec.placement;
  const cloud = p.cloud;
  if (!isCatalogCloud(cloud)) {
    throw new ValidationError(
      "placement.capacity",
      `the brought cluster "${out.name}" (${cloud} ${p.region}) runs no serverless product; place on one of its pools (${out.pools.map((x) => x.name).join(", ") || "none declared"})`,
    );
  }
  const roleBoundary = stackRoleBoundary(out, spec.platformStack, cloud, requireRoleBoundary);
  const s = out.store;
  const sv = out.serverless ?? {};
  const image = spec.server.image ?? sv.image;
  const project = out.clusterRef?.project ?? sv.project;
  // The platform's shared environment has one workload profile per SKU: use this placement's.
  const profiles = sv.workloadProfileNames;
  const profile = profiles?.[p.instanceType];
  const args: ServerlessEndpointArgs = {
    cloud,
    region: p.region,
    gpu: p.gpuType,
    gpuCount: p.gpuCount,
    sku: p.instanceType,
    modelUri,
    servedModelName: spec.model.name,
    maxInstances: spec.scaling.maxReplicas,
    concurrency: spec.scaling.targetConcurrencyPerReplica,
    weightsGiB: weightsGiB(spec.model.parametersBillions, spec.model.precision),
    extraArgs: ["--max-model-len", String(spec.model.contextTokens)],
    tags,
    ...(image !== undefined ? { image } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(sv.resourceGroupName !== undefined ? { resourceGroupName: sv.resourceGroupName } : {}),
    ...(sv.environmentId !== undefined ? { environmentId: sv.environmentId } : {}),
    ...(sv.environmentId !== undefined && profile !== undefined ? { workloadProfileName: profile } : {}),
    ...(roleBoundary !== undefined ? { roleBoundary } : {}),
    ...(s?.readerIdentity && s.readerClientId && s.readerGrant
      ? { modelAccess: { identity: s.readerIdentity, clientId: s.readerClientId, grant: s.readerGrant } }
      : {}),
  };
  if (sv.skus && sv.skus.length > 0 && !sv.skus.includes(p.instanceType)) {
    throw new ValidationError(
      "placement.instanceType",
      `"${p.instanceType}" is not a serverless SKU the platform stack offers on ${p.cloud}; offered: ${sv.skus.join(", ")}`,
    );
  }
  if (sv.environmentId !== undefined && profiles !== undefined && profile === undefined) {
    throw new ValidationError(
      "placement.instanceType",
      `the platform stack's serverless environment on ${p.cloud} has no workload profile for "${p.instanceType}"; it has: ${Object.keys(profiles).join(", ") || "none"}`,
    );
  }
  // Downloaded weights must fit what the instance holds (Container Apps: an Azure Files share, at most 5 TiB).
  const maxGiB = providerFor(cloud).serverless.maxDownloadedWeightsGiB;
  const weights = weightsGiB(spec.model.parametersBillions, spec.model.precision);
  if (maxGiB !== undefined && weights > maxGiB) {
    throw new ValidationError(
      "placement.capacity",
      `${spec.model.name} has ${weights.toFixed(1)} GiB of weights; a ${p.cloud} serverless instance holds at most ${maxGiB} GiB of downloaded weights; place it on a cluster (spot or on-demand)`,
    );
  }
  const endpoint = inSpecTerms("serverless", () => new ServerlessEndpoint(base, args));
  const replicas: ReplicaBounds = {
    minReplicas: 0,
    maxReplicas: spec.scaling.maxReplicas,
    onDemandFloorReplicas: 0,
    autoscaler: "serverless",
  };
  return { endpoint: endpoint.url, serviceName: endpoint.serviceName, replicas };
}
