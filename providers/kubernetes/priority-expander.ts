/**
 * The cluster autoscaler's priority expander: when several node groups could host a pending pod,
 * scale the highest-priority one that can. modelplane ranks spot pools above everything else, so
 * an on-demand fallback pool of the same shape only grows when spot capacity cannot be had.
 * The autoscaler reads the ConfigMap `cluster-autoscaler-priority-expander` in its namespace
 * (cluster-autoscaler FAQ / expander/priority README, read 2026-11-22; AKS honours it with
 * `autoScalerProfile.expander: priority`).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { toK8sLabels } from "./labels";

export const PRIORITY_EXPANDER_CONFIGMAP = "cluster-autoscaler-priority-expander";

/** `{50: ["a"], 10: [".*"]}` → the `priorities` YAML the expander expects (highest first). Pure. */
export function prioritiesYaml(priorities: Readonly<Record<number, readonly string[]>>): string {
  return Object.keys(priorities)
    .map(Number)
    .sort((a, b) => b - a)
    .map((p) => `${p}:\n${(priorities[p] ?? []).map((re) => `  - ${JSON.stringify(re)}`).join("\n")}`)
    .join("\n");
}

export interface PriorityExpanderArgs {
  provider: k8s.Provider;
  parent: pulumi.Resource;
  /** Priority → node-group-name regexes (the cloud's ASG / VMSS names). */
  priorities: Readonly<Record<number, readonly string[]>>;
  /**
   * The cluster's cost tags (`owner`, `cost-center`, `managed-by`, …), set as the ConfigMap's
   * labels (converted to valid label keys/values) so cost allocation and the policy pack's
   * `cost-tags-required` see who pays for it. Required.
   */
  tags: Readonly<Record<string, string>>;
  namespace?: string;
  dependsOn?: pulumi.Resource[];
}

export function priorityExpanderConfigMap(name: string, args: PriorityExpanderArgs): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    name,
    {
      metadata: {
        name: PRIORITY_EXPANDER_CONFIGMAP,
        namespace: args.namespace ?? "kube-system",
        labels: toK8sLabels(args.tags),
      },
      data: { priorities: prioritiesYaml(args.priorities) },
    },
    { parent: args.parent, provider: args.provider, dependsOn: args.dependsOn ?? [] },
  );
}

/**
 * How long the cluster autoscaler waits for a node it asked for before it treats the node group as
 * failing and tries another one (`--max-node-provision-time`, default 15m; cluster-autoscaler FAQ,
 * "What are the parameters to CA?", read 2026-11-30). A spot pool that cannot get capacity holds
 * the pending pod for this long before the priority expander falls back to the on-demand pool.
 * ASSUMPTION: 10m leaves a GPU node from zero (7 min assumed in providers/limits/timeouts.ts) room to
 * register while falling back 5 minutes sooner than the default.
 */
export const MAX_NODE_PROVISION_TIME = "10m";
