/**
 * Pure validation and planning for `ModelService`: resolves every default of the args into the
 * plain plan the component registers. No Pulumi resources here; tested without mocks.
 */
import { generationKey, shortHash, slug } from "../platform/core/naming";
import { ValidationError } from "../platform/core/validation";
import { mergeTags } from "../platform/core/tags";
import { planReplicas, type ReplicaPlan } from "../providers/kubernetes/autoscaling";
import { fetchPlan, type FetchPlan } from "../providers/kubernetes/model-fetch";
import { weightsGiB, ASSUMED_SERVER_IMAGE_GIB } from "../providers/kubernetes/model-server";
import { toK8sLabels } from "../providers/kubernetes/labels";
import { revisionName } from "../providers/kubernetes/model-route";
import { rolloutTimeoutSeconds } from "../providers/limits/timeouts";
import type { ModelServiceArgs } from "./ModelService";

/** The plain plan a ModelService registers; exposed for tests and reports. */
export interface ModelServicePlan {
  namespace: string;
  /** Kubernetes name of the Service and the primary Deployment (`revisionName(routeName, revision)`). */
  serviceName: string;
  /**
   * The deployment's name across revisions and generations (generation 1's revision-1 Service): the
   * gateway path's `<service>` segment, so the URL survives rollouts and migrations.
   */
  routeName: string;
  /** The stack generation's base name (revision 1's Service in this generation); names its HTTPRoute. */
  instanceName: string;
  /** The deployment's stack generation (args.generation, default 1). */
  generation: number;
  /** The serving spec's revision these objects run (args.revision, default 1). */
  revision: number;
  replicas: ReplicaPlan;
  fetch: FetchPlan;
  weightsGiB: number;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** Seconds a rollout may take before `pulumi up` fails (weights, image, a GPU node from zero). */
  rolloutTimeoutSeconds: number;
  /** Scale-to-zero only: the Service clients call, which routes through the KEDA HTTP interceptor. */
  wakeServiceName?: string;
  /** Scale-to-zero only: the wake Service's in-cluster host, which the HTTPScaledObject routes. */
  wakeHost?: string;
}

function wholeNumber(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new ValidationError(field, `${JSON.stringify(value)} must be a whole number >= ${min}`);
  return value;
}

/** A DNS-1123 label (≤ 63) from free text, with a hash suffix so distinct inputs stay distinct. */
export function dnsName(base: string, hashInput: string, max = 63): string {
  const hash = shortHash(hashInput, 6);
  const head =
    slug(base)
      .slice(0, max - hash.length - 1)
      .replace(/-+$/g, "") || "m";
  return `${/^[a-z]/.test(head) ? "" : "m"}${head}-${hash}`.slice(0, max);
}

/** The tenant's namespace name. */
export function namespaceFor(tenant: string): string {
  const s = slug(tenant).slice(0, 60).replace(/-+$/g, "");
  return `mp-${s || shortHash(tenant, 8)}`;
}

/** Validate the args and resolve every default. Pure; throws ValidationError naming the argument. */
export function planModelService(args: ModelServiceArgs): ModelServicePlan {
  if (!args.tenant || args.tenant.trim() === "") throw new ValidationError("tenant", "is required");
  if (!args.deploymentId || args.deploymentId.trim() === "") throw new ValidationError("deploymentId", "is required");
  if (!args.modelName || args.modelName.trim() === "") throw new ValidationError("modelName", "is required");
  wholeNumber("gpuCount", args.gpuCount, 1);
  wholeNumber("contextTokens", args.contextTokens, 1);
  if (!(args.parametersBillions > 0))
    throw new ValidationError("parametersBillions", `${args.parametersBillions} must be > 0`);
  const scaleToZero = args.scaleToZero ?? false;
  const minReplicas = wholeNumber("minReplicas", args.minReplicas ?? (scaleToZero ? 0 : 1), 0);
  const maxReplicas = wholeNumber("maxReplicas", args.maxReplicas ?? Math.max(1, minReplicas), 1);
  const floor = wholeNumber("onDemandFloorReplicas", args.onDemandFloorReplicas ?? 0, 0);
  wholeNumber("targetConcurrencyPerReplica", args.targetConcurrencyPerReplica ?? 8, 1);
  if (minReplicas > maxReplicas)
    throw new ValidationError("minReplicas", `${minReplicas} must be <= maxReplicas (${maxReplicas})`);
  if (minReplicas === 0 && !scaleToZero) throw new ValidationError("minReplicas", "0 needs scaleToZero: true");
  if (floor > 0) {
    if (scaleToZero)
      throw new ValidationError("onDemandFloorReplicas", `scaleToZero forbids an on-demand floor (got ${floor})`);
    if (args.capacity !== "spot")
      throw new ValidationError(
        "onDemandFloorReplicas",
        `only spot capacity takes an on-demand floor (capacity is ${args.capacity})`,
      );
    if (floor >= maxReplicas)
      throw new ValidationError(
        "onDemandFloorReplicas",
        `${floor} leaves no spot replicas (maxReplicas ${maxReplicas})`,
      );
    if (!args.onDemandPool) throw new ValidationError("onDemandPool", "is required when onDemandFloorReplicas > 0");
  }
  let fetch: FetchPlan;
  try {
    fetch = fetchPlan(args.modelUri);
  } catch (err) {
    throw new ValidationError("modelUri", err instanceof Error ? err.message : String(err));
  }
  const routeName = dnsName(args.modelName, args.deploymentId, 50);
  const generation = wholeNumber("generation", args.generation ?? 1, 1);
  const instanceName =
    generation === 1 ? routeName : dnsName(args.modelName, generationKey(args.deploymentId, generation), 50);
  const revision = args.revision ?? 1;
  const serviceName = revisionName(instanceName, revision);
  const namespace = namespaceFor(args.tenant);
  const weights = weightsGiB(args.parametersBillions, args.precision);
  const labels = toK8sLabels(
    mergeTags({ ...(args.tags ?? {}), "modelplane/deployment-id": args.deploymentId }, undefined),
  );
  const selector = toK8sLabels({
    "app.kubernetes.io/name": serviceName,
    "modelplane/deployment-id": args.deploymentId,
  });
  return {
    namespace,
    serviceName,
    routeName,
    instanceName,
    generation,
    revision,
    replicas: planReplicas({
      capacity: args.capacity,
      minReplicas,
      maxReplicas,
      scaleToZero,
      onDemandFloorReplicas: floor,
    }),
    fetch,
    weightsGiB: weights,
    labels,
    selector,
    rolloutTimeoutSeconds: rolloutTimeoutSeconds({
      weightsGiB: weights,
      imageGiB: args.imageGiB ?? ASSUMED_SERVER_IMAGE_GIB,
      // Pools scale from zero: assume the first replica waits for a new GPU node.
      nodeFromZero: true,
    }),
    ...(scaleToZero
      ? { wakeServiceName: `${serviceName}-wake`, wakeHost: `${serviceName}-wake.${namespace}.svc.cluster.local` }
      : {}),
  };
}
