/**
 * The per-model stack program: `(spec) => outputs`. Given a validated deployment spec (a model and
 * the placement the optimizer chose), it reads the platform stack through a StackReference, picks
 * the platform cluster in the placement's cloud and region (refusing a placement outside the
 * platform's footprint), and creates what the model needs to serve traffic there:
 *
 * - cluster placements (spot / on-demand): a dedicated node pool when the platform has none of the
 *   placement's shape and capacity (scaled from zero), then a ModelService on the cluster;
 * - serverless placements: a ServerlessEndpoint running the same server.
 *
 * The spec is validated when `deploymentProgram` is called, before any resource is registered.
 * No cloud branching here: clouds differ only inside the components and `providers/`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Catalog } from "../../platform/core/pricing/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { generationKey, shortHash, slug } from "../../platform/core/naming";
import { ValidationError } from "../../platform/core/validation";
import { costTags } from "../../platform/core/tags";
import type { ModelServiceArgs, PoolPlacement } from "../../components/ModelService";
import { SpotPool } from "../../components/SpotPool";
import { planReplicas, type ReplicaPlan } from "../../providers/kubernetes/autoscaling";
import { artifactUri } from "../../providers/kubernetes/model-fetch";
import { nodeDiskGiB, weightsGiB } from "../../providers/kubernetes/model-server";
import {
  bindWorkloadIdentity,
  ownReaderIdentity,
  workloadIdentityFor,
} from "../../providers/kubernetes/workload-identity";
import { deployServerless } from "./serverless";
import { inSpecTerms } from "./spec-terms";
import { parseDeploymentSpec, URI_PATTERN, type DeploymentSpec, type DeploymentSpecInput } from "./spec";
import { stackNameFor } from "./stack-name";
import { planRevisions, revisionResourceName, serveOnCluster } from "./serving";
import {
  choosePools,
  clusterRefOf,
  providerKubeconfigOf,
  nodesFor,
  readPlatformCluster,
  type PlatformCluster,
  type PoolChoice,
} from "./platform-ref";

/**
 * Secret (key `token`) holding a Hugging Face token in the tenant's namespace. Gated `hf://` models
 * need it; the reference is optional, so an open model starts without it. Create it with
 * `kubectl -n mp-<tenant> create secret generic hf-token --from-literal=token=hf_...`.
 */
export const HF_TOKEN_SECRET = "hf-token";

export interface DeploymentProgramOptions {
  /** Price catalog the dedicated pools are validated against. Default: the shipped catalog. */
  catalog?: Catalog;
  /**
   * The command the stack's kubeconfigs exec as `<command> kube-token eks|gke` instead of the AWS
   * CLI / gke-gcloud-auth-plugin (the control plane image: `modelplane`). Default: the platform's kubeconfig as is.
   */
  kubeTokenCommand?: string;
  /**
   * The program runs as a control-plane worker whose rights allow creating roles only with the
   * platform's permissions boundary (`MODELPLANE_STACK_ROLE_BOUNDARY=required`): a stack that would
   * create a role on a cluster whose platform output has no `stackRoleBoundaryArn` fails naming it.
   */
  requireRoleBoundary?: boolean;
}

/** Resolved replica bounds, as exported. */
export interface ReplicaBounds {
  minReplicas: number;
  maxReplicas: number;
  onDemandFloorReplicas: number;
  autoscaler: "hpa" | "keda" | "serverless";
}

/** The cost tags every resource of the deployment carries (before each cloud's conversion). */
export function deploymentTags(spec: DeploymentSpec): Record<string, string> {
  return costTags({
    model: spec.model.name,
    owner: spec.owner,
    costCenter: spec.costCenter,
    tags: { ...spec.tags, environment: spec.environment, "modelplane/deployment-id": spec.deploymentId },
  });
}

/** Base name of the stack's resources (Pulumi names are per stack, so short and readable is enough). */
function baseName(spec: DeploymentSpec): string {
  return slug(spec.model.name).slice(0, 40).replace(/-+$/g, "") || "model";
}

/**
 * Base name of a stack's dedicated node pools. Pulumi names are per stack, but a node pool's name
 * on the cloud, its pool-group label and GKE's ComputeClass are per cluster: two stacks of one
 * model on one cluster (two tenants, two environments, or a migration's new stack) would ask GKE,
 * EKS and AKS for the same pool name and fail, or share a group label. The stack name is unique
 * among live deployments (`deployments_live_stack`), so its hash keeps them apart. Pure.
 */
export function dedicatedPoolBase(base: string, stack: string): string {
  return `${base}-${shortHash(stack, 6)}`;
}

/**
 * An Automation-API inline program for one deployment. Validates `spec` now (throws
 * ValidationError naming the field) and returns the program; running it resolves to the outputs:
 * `kind`, `placement`, `costTags`, `replicas`, `stackName`, `model`, `endpoint` (the serverless
 * product's URL, or the cluster gateway's `https://…/<namespace>/<service>/v1`; absent on a cluster
 * without a gateway, with `endpointReason` saying why), and for cluster placements
 * `inClusterEndpoint`, `namespace`, `serviceName`, `revisions`, `route` (with a gateway), `pools`,
 * `readinessTimeoutSeconds` (how long the control plane follows readiness after `up`).
 */
export function deploymentProgram(
  spec: DeploymentSpec | DeploymentSpecInput,
  options: DeploymentProgramOptions = {},
): () => Promise<Record<string, unknown>> {
  const valid = parseDeploymentSpec(spec);
  return async () => runDeployment(valid, options);
}

async function runDeployment(
  spec: DeploymentSpec,
  options: DeploymentProgramOptions,
): Promise<Record<string, unknown>> {
  const base = baseName(spec);
  const tags = deploymentTags(spec);
  const cloud = spec.placement.cloud;
  const platform = new pulumi.StackReference(`${base}-platform`, { name: spec.platformStack });
  // The cluster whose cloud and region match the placement (and its `cluster`, when named); none →
  // ValidationError on placement.region (placement.cluster), listing the footprint.
  const out = await readPlatformCluster(
    platform,
    spec.platformStack,
    cloud,
    spec.placement.region,
    spec.placement.cluster,
  );
  const modelUri = resolveModelUri(spec, out);

  const common = {
    kind: spec.placement.capacity === "serverless" ? "serverless" : "cluster",
    stackName: stackNameFor({ tenant: spec.tenant, model: spec.model.name, environment: spec.environment }),
    deploymentId: spec.deploymentId,
    placement: spec.placement,
    costTags: tags,
    model: { name: spec.model.name, version: spec.model.version, artifactUri: modelUri, server: spec.server.kind },
  };
  if (spec.placement.capacity === "serverless") {
    return { ...common, ...deployServerless(spec, base, out, modelUri, tags, options.requireRoleBoundary ?? false) };
  }
  return { ...common, ...deployOnCluster(spec, base, out, platform, modelUri, tags, options) };
}

/** The model's artifact URI: `model.source` when it is a URI, else a path in the platform's store. */
function resolveModelUri(spec: DeploymentSpec, out: PlatformCluster): string {
  const source = spec.model.source;
  if (source !== undefined && URI_PATTERN.test(source)) return source;
  if (!out.store) {
    throw new ValidationError(
      "model.source",
      `the platform stack "${spec.platformStack}" runs no model store on ${spec.placement.cloud}; give an artifact URI (s3://, gs://, https://<account>.blob.core.windows.net/..., hf://<org>/<repo>)`,
    );
  }
  return artifactUri(out.store.uri, source, spec.model.name, spec.model.version);
}

function deployOnCluster(
  spec: DeploymentSpec,
  base: string,
  out: PlatformCluster,
  platform: pulumi.StackReference,
  modelUri: string,
  tags: Record<string, string>,
  options: DeploymentProgramOptions,
): Record<string, unknown> {
  const p = spec.placement;
  if (p.capacity === "serverless") throw new Error("unreachable: serverless placement on a cluster");
  const plan: ReplicaPlan = planReplicas({
    capacity: p.capacity,
    minReplicas: spec.scaling.minReplicas,
    maxReplicas: spec.scaling.maxReplicas,
    scaleToZero: spec.scaling.scaleToZero,
    onDemandFloorReplicas: spec.onDemandFloorReplicas,
  });
  const choices = choosePools(out.pools, p, plan.onDemandFloorReplicas, plan.primary.maxReplicas);

  const kubeconfig = providerKubeconfigOf(platform, out.name, options.kubeTokenCommand);
  const k8sProvider = new k8s.Provider(`${base}-k8s`, { kubeconfig });

  // Dedicated pools, scaled from zero, when the platform has none of this shape and capacity.
  const gpusPerNode = gpusPerNodeOf(p, options.catalog);
  const nodes = (replicas: number) => nodesFor(replicas, p.gpuCount, gpusPerNode);
  // Only a dedicated pool needs the ClusterRef (an existing cluster has none: clusterRefOf refuses).
  const poolArgs = () => ({
    cluster: clusterRefOf(out),
    // A spot pool with an on-demand fallback gets its cloud's spot → on-demand order through it
    // (GKE: a ComputeClass the pods select), as the platform's pool groups do (issue 12, #11).
    provider: k8sProvider,
    region: p.region,
    gpu: p.gpuType,
    instanceType: p.instanceType,
    minNodes: 0,
    model: spec.model.name,
    owner: spec.owner,
    costCenter: spec.costCenter,
    tags,
    // #10: every replica a node can hold keeps its weight cache on the node's disk, plus the image.
    diskSizeGiB: nodeDiskGiB({
      replicasPerNode: Math.max(1, Math.floor(gpusPerNode / p.gpuCount)),
      weightsGiB: weightsGiB(spec.model.parametersBillions, spec.model.precision),
    }),
    ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
  });
  const created: string[] = [];
  const poolBase = dedicatedPoolBase(base, pulumi.getStack());
  const asPlacement = (pool: {
    nodeSelector: Record<string, string>;
    tolerations: PoolPlacement["tolerations"];
  }): PoolPlacement => ({ nodeSelector: pool.nodeSelector, tolerations: pool.tolerations });

  let primary: PoolPlacement;
  let onDemand: PoolPlacement | undefined;
  if (choices.primary.kind === "existing") {
    primary = asPlacement(choices.primary.pool);
  } else {
    // A spot pool that also needs an on-demand floor pool gets it as the pool's on-demand fallback.
    const withFallback = choices.onDemand?.kind === "create";
    const pool = inSpecTerms(
      "pool",
      () =>
        new SpotPool(`${poolBase}-pool`, {
          ...poolArgs(),
          spot: p.capacity === "spot",
          maxNodes: nodes(plan.primary.maxReplicas),
          ...(withFallback ? { fallback: { minNodes: 0, maxNodes: nodes(plan.onDemandFloorReplicas) } } : {}),
        }),
    );
    created.push(...pool.pools.map((x) => x.poolName));
    primary = asPlacement(pool);
    if (withFallback && pool.fallback) onDemand = asPlacement(pool.fallback);
  }
  if (choices.onDemand?.kind === "existing") {
    onDemand = asPlacement(choices.onDemand.pool);
  } else if (choices.onDemand?.kind === "create" && !onDemand) {
    const pool = inSpecTerms(
      "pool",
      () =>
        new SpotPool(`${poolBase}-ondemand-pool`, {
          ...poolArgs(),
          spot: false,
          maxNodes: nodes(plan.onDemandFloorReplicas),
        }),
    );
    created.push(pool.poolName);
    onDemand = asPlacement(pool);
  }

  // The tenant namespace is shared by the tenant's deployment stacks: this provider adopts it when
  // it exists (only the namespace goes through it; every other object has a deployment-unique name).
  const namespaceProvider = new k8s.Provider(`${base}-k8s-ns`, { kubeconfig, upsertExistingObjects: true });
  // Azure: an identity of this stack's own, read-only on its weights (no shared identity's 20
  // credentials, no concurrent writes from other stacks); elsewhere the store's shared reader.
  const own =
    out.store?.readerIdentity !== undefined
      ? ownReaderIdentity(p.cloud, {
          name: `${base}-reader`,
          // Its name comes from this key: a migration's new stack gets an identity of its own.
          deploymentId: generationKey(spec.deploymentId, spec.generation),
          location: p.region,
          store: { uri: out.store.uri, readerIdentity: out.store.readerIdentity },
          // Every serving revision's weights (a rollout may change model.version or model.source).
          modelUris: planRevisions(spec).map((rev) => resolveModelUri({ ...spec, model: rev.model }, out)),
          tags,
        })
      : undefined;
  const identity = own
    ? {
        serviceAccountAnnotations: own.clientId.apply(
          (clientId) => workloadIdentityFor(p.cloud, { clientId }).serviceAccountAnnotations,
        ),
        podLabels: workloadIdentityFor(p.cloud, { clientId: "-" }).podLabels,
      }
    : workloadIdentityFor(p.cloud, {
        ...(out.store?.readerIdentity !== undefined ? { identity: out.store.readerIdentity } : {}),
        ...(out.store?.readerClientId !== undefined ? { clientId: out.store.readerClientId } : {}),
      });
  const svcArgs: ModelServiceArgs = {
    tenant: spec.tenant,
    deploymentId: spec.deploymentId,
    generation: spec.generation,
    modelName: spec.model.name,
    modelUri,
    parametersBillions: spec.model.parametersBillions,
    precision: spec.model.precision,
    contextTokens: spec.model.contextTokens,
    gpuCount: p.gpuCount,
    serverKind: spec.server.kind,
    ...(spec.server.image !== undefined ? { image: spec.server.image } : {}),
    capacity: p.capacity,
    pool: primary,
    minReplicas: spec.scaling.minReplicas,
    maxReplicas: spec.scaling.maxReplicas,
    scaleToZero: spec.scaling.scaleToZero,
    targetConcurrencyPerReplica: spec.scaling.targetConcurrencyPerReplica,
    onDemandFloorReplicas: plan.onDemandFloorReplicas,
    ...(onDemand ? { onDemandPool: onDemand } : {}),
    serviceAccountAnnotations: identity.serviceAccountAnnotations,
    podLabels: identity.podLabels,
    // Gated hf:// models read a token from this Secret (key `token`) in the tenant namespace; optional.
    ...(modelUri.startsWith("hf://") ? { hfTokenSecretName: HF_TOKEN_SECRET } : {}),
    tags,
    namespaceProvider,
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
  };
  // Each revision's ServiceAccount acts as the store reader, bound before its pods start.
  // The first credential waits for the stack's own identity; each later one for the previous.
  const bind = (revision: number, serviceAccount: string, namespace: string, after: pulumi.Resource | undefined) => {
    const waitFor = after ?? own?.resource;
    return bindWorkloadIdentity(p.cloud, {
      name: `${revisionResourceName(base, revision)}-identity`,
      cluster: out.clusterRef ?? { clusterName: out.clusterName },
      ...(own
        ? { identityRef: { resourceGroupName: own.resourceGroupName, name: own.identityName } }
        : {
            ...(out.store?.readerIdentity !== undefined ? { identity: out.store.readerIdentity } : {}),
            ...(out.store?.readerClientId !== undefined ? { clientId: out.store.readerClientId } : {}),
          }),
      namespace,
      serviceAccount,
      // Names the Azure federated credential: per stack generation, so a migration's credential is its own.
      deploymentId: generationKey(spec.deploymentId, spec.generation),
      revision,
      ...(waitFor ? { after: waitFor } : {}),
      tags,
    });
  };
  const served = serveOnCluster({
    spec,
    base,
    out,
    svcArgs,
    modelUriOf: (model) => resolveModelUri({ ...spec, model }, out),
    bind,
    k8sProvider,
    hfTokenSecretName: HF_TOKEN_SECRET,
  });

  const replicas: ReplicaBounds = {
    minReplicas: plan.total.minReplicas,
    maxReplicas: plan.total.maxReplicas,
    onDemandFloorReplicas: plan.onDemandFloorReplicas,
    autoscaler: plan.autoscaler,
  };
  const poolName = (c: PoolChoice | undefined) =>
    c === undefined ? undefined : c.kind === "existing" ? c.pool.name : "dedicated";
  return {
    ...(served.endpoint !== undefined ? { endpoint: served.endpoint } : { endpointReason: served.endpointReason }),
    inClusterEndpoint: served.inClusterEndpoint,
    namespace: served.namespace,
    serviceName: served.serviceName,
    revisions: served.revisions,
    readinessTimeoutSeconds: served.readinessTimeoutSeconds,
    ...(served.route ? { route: served.route } : {}),
    replicas,
    pools: {
      primary: poolName(choices.primary),
      ...(choices.onDemand ? { onDemand: poolName(choices.onDemand) } : {}),
      created,
    },
  };
}

/** GPUs on one node of the placement's instance type (catalog), else the replica's GPU count. */
function gpusPerNodeOf(p: DeploymentSpec["placement"], catalog: Catalog | undefined): number {
  let source: Catalog | undefined = catalog;
  if (!source) {
    try {
      source = defaultCatalog();
    } catch {
      source = undefined; // no shipped catalog: assume one replica fills one node
    }
  }
  const offer = source?.gpuOffers.find((o) => o.cloud === p.cloud && o.instanceType === p.instanceType);
  return offer?.gpuCount ?? p.gpuCount;
}
