/**
 * GCP SpotPool: a GKE node pool of GPU machines (spot VMs by default) with GKE-managed NVIDIA
 * drivers, autoscaling from zero. GKE taints GPU nodes `nvidia.com/gpu=present:NoSchedule` itself
 * and labels spot nodes `cloud.google.com/gke-spot=true`; we add the spot taint GKE recommends so
 * only workloads that accept preemption land there.
 */
import { gcp } from "../sdk";
import type * as pulumi from "@pulumi/pulumi";
import type { GpuType } from "../../platform/core/types";
import type { PoolCapacity, PoolCreateArgs, PoolCreated, PoolProvider, Toleration } from "../types/pool";
import { ValidationError } from "../../platform/core/validation";
import { shortHash, slug } from "../../platform/core/naming";
import { toGcpLabels } from "../../platform/core/tags";
import { checkName } from "../limits/names";
import { COMPUTE_CLASS_LABEL, computeClassName, createComputeClass } from "./compute-class";

/**
 * GKE accelerator type per GPU (https://cloud.google.com/compute/docs/gpus, read 2026-11-22).
 * A10G, A10 and L40S are not sold on GCP.
 */
export const GKE_ACCELERATORS: Partial<Record<GpuType, string>> = {
  T4: "nvidia-tesla-t4",
  L4: "nvidia-l4",
  A100: "nvidia-tesla-a100",
  "A100-80GB": "nvidia-a100-80gb",
  H100: "nvidia-h100-80gb",
};

export const GKE_SPOT_TAINT = { key: "cloud.google.com/gke-spot", value: "true" } as const;

export const gcpPool: PoolProvider = {
  // Spot → on-demand order of a pool group with a fallback: a custom ComputeClass (./compute-class.ts).
  groupOrder: {
    name: computeClassName,
    selector: (name) => ({ [COMPUTE_CLASS_LABEL]: name }),
    create: (resourceName, args, parent) =>
      createComputeClass(
        resourceName,
        {
          className: args.name,
          pools: args.pools,
          tags: args.tags,
          provider: args.provider,
          ...(args.dependsOn ? { dependsOn: args.dependsOn } : {}),
        },
        parent,
      ),
  },

  poolName(base: string, capacity: PoolCapacity): string {
    const body = slug(base).slice(0, 24).replace(/-+$/, "") || "pool";
    return `${body}-${capacity === "spot" ? "spot" : "od"}-${shortHash(base, 6)}`;
  },

  validate(args): void {
    if (args.amiType !== undefined)
      throw new ValidationError("amiType", "applies to aws only; GKE picks the node image (COS with GPU drivers)");
    if (GKE_ACCELERATORS[args.gpu] === undefined) {
      throw new ValidationError(
        "gpu",
        `${JSON.stringify(args.gpu)} has no GKE accelerator; use one of ${Object.keys(GKE_ACCELERATORS).join(", ")}`,
      );
    }
  },

  create(args: PoolCreateArgs, parent: pulumi.Resource): PoolCreated {
    const accelerator = GKE_ACCELERATORS[args.gpu];
    if (accelerator === undefined) throw new ValidationError("gpu", `${args.gpu} has no GKE accelerator`);
    const spot = args.capacity === "spot";
    const { cluster } = args;

    // An explicit name: without one the provider auto-names `<resource name>-<7 hex>`, which can pass
    // GKE's 40-character limit and is not the `poolName` the platform exports (issue 12, #5).
    const violation = checkName("gke-node-pool", args.poolName);
    if (violation) throw new ValidationError("poolName", violation.message);
    // A pool of a ComputeClass carries its node label and NoSchedule taint (./compute-class.ts).
    const cls = args.orderedBy;
    const labels = cls !== undefined ? { ...args.labels, [COMPUTE_CLASS_LABEL]: cls } : args.labels;
    const taints = [
      ...(spot ? [{ key: GKE_SPOT_TAINT.key, value: GKE_SPOT_TAINT.value, effect: "NO_SCHEDULE" }] : []),
      ...(cls !== undefined ? [{ key: COMPUTE_CLASS_LABEL, value: cls, effect: "NO_SCHEDULE" }] : []),
    ];
    const nodePool = new gcp.container.NodePool(
      args.name,
      {
        name: args.poolName,
        ...(cluster.project !== undefined ? { project: cluster.project } : {}),
        location: cluster.location ?? cluster.region,
        cluster: cluster.clusterName,
        initialNodeCount: args.minNodes,
        autoscaling: {
          minNodeCount: args.minNodes,
          maxNodeCount: args.maxNodes,
          // Spot: take capacity in whichever zone has it.
          locationPolicy: spot ? "ANY" : "BALANCED",
        },
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: {
          machineType: args.instanceType,
          spot,
          guestAccelerators: [
            {
              type: accelerator,
              count: args.gpuCount,
              gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" },
            },
          ],
          diskSizeGb: args.diskSizeGiB,
          labels,
          resourceLabels: toGcpLabels(args.tags),
          taints,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          workloadMetadataConfig: { mode: "GKE_METADATA" },
        },
      },
      {
        parent,
        dependsOn: args.dependsOn ?? [],
        // The autoscaler owns the node count once the pool exists.
        ignoreChanges: ["initialNodeCount"],
        // The name is fixed: a replacement must delete the old pool before creating the new one.
        deleteBeforeReplace: true,
      },
    );

    const tolerations: Toleration[] = [
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ...(spot
        ? [
            {
              key: GKE_SPOT_TAINT.key,
              operator: "Equal" as const,
              value: GKE_SPOT_TAINT.value,
              effect: "NoSchedule" as const,
            },
          ]
        : []),
      ...(cls !== undefined
        ? [{ key: COMPUTE_CLASS_LABEL, operator: "Equal" as const, value: cls, effect: "NoSchedule" as const }]
        : []),
    ];
    const nodeSelector = {
      "modelplane.dev/pool": args.poolName,
      ...(cls !== undefined ? { [COMPUTE_CLASS_LABEL]: cls } : {}),
    };
    return { resource: nodePool, nodeSelector, tolerations };
  },
};
