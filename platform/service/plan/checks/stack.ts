/**
 * The checks as the plan calls them: a deployment's stack against the platform cluster it lands
 * on, or the platform stack itself. Also reads the platform facts a deployment's checks need:
 * the add-ons per cloud (from a planned platform, or an `addons` list in its outputs) and its
 * shared GPU pools (from its outputs).
 */
import { ADDON_NAMES, type AddonName } from "../../../../providers/limits/addons";
import { readResource } from "../../../../providers/resource-cost/registry";
import { PLAN_CHECK_MODULES } from "../../../../providers/plan-checks";
import { isRecord, num, str, stringMap } from "../../../core/resources/read";
import type { Catalog } from "../../../core/pricing/types";
import { CLOUDS, type Cloud, type PlacementCloud } from "../../../core/types";
import type { RecordedResource } from "../record";
import { addonsOf, clusterOf } from "./contract";
import { runChecks } from "./index";
import type { ExternalGpuPool, PlanCluster, PlanFinding, TargetCluster } from "./types";

/** What the checks return: the findings and the clusters (with add-ons) the stack uses. */
export interface StackChecks {
  findings: PlanFinding[];
  clusters: PlanCluster[];
}

/** The clusters a planned stack creates, each with the add-ons it installs there. */
export function clustersOf(resources: readonly RecordedResource[]): PlanCluster[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const out = new Map<string, PlanCluster>();
  for (const r of resources) {
    const cluster = clusterOf(r, byUrn);
    if (!cluster) continue;
    const platform = readResource({ type: cluster.type, name: cluster.name, inputs: cluster.inputs }).platform;
    if (!(CLOUDS as readonly string[]).includes(platform)) continue;
    let entry = out.get(cluster.urn);
    if (!entry) {
      entry = { name: cluster.name, type: cluster.type, cloud: platform as Cloud, addons: [] };
      out.set(cluster.urn, entry);
    }
    for (const a of addonsOf(r)) if (!entry.addons?.includes(a)) entry.addons?.push(a);
    for (const m of PLAN_CHECK_MODULES.flatMap((x) => x.managedAddons?.(r) ?? []))
      entry.managed = [...(entry.managed ?? []), { addon: m.addon, by: m.by, source: m.source }];
  }
  return [...out.values()];
}

/** The add-ons a planned platform installs on each cloud's cluster. */
export function addonsByCloud(resources: readonly RecordedResource[]): Partial<Record<PlacementCloud, AddonName[]>> {
  const out: Partial<Record<PlacementCloud, AddonName[]>> = {};
  for (const c of clustersOf(resources)) out[c.cloud] = [...(out[c.cloud] ?? []), ...(c.addons ?? [])];
  return out;
}

/** The `addons` list of a platform output, when it has one of known add-on names. */
function addonsFromOutput(output: unknown): AddonName[] | undefined {
  const list = isRecord(output) ? output["addons"] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter((a): a is AddonName => typeof a === "string" && (ADDON_NAMES as readonly string[]).includes(a));
}

/** GPU pools a platform output shares. */
function poolsFromOutput(output: unknown): ExternalGpuPool[] {
  const pools = isRecord(output) && Array.isArray(output["pools"]) ? output["pools"] : [];
  return pools.flatMap((p): ExternalGpuPool[] => {
    const name = str(p, "name");
    const nodeSelector = stringMap(p, "nodeSelector");
    if (!name || !nodeSelector) return [];
    const maxNodes = num(p, "maxNodes");
    const gpusPerNode = num(p, "gpuCount");
    return [
      {
        name,
        nodeSelector,
        ...(maxNodes !== undefined ? { maxNodes } : {}),
        ...(gpusPerNode !== undefined ? { gpusPerNode } : {}),
      },
    ];
  });
}

export interface DeploymentCheckOptions {
  catalog: Catalog;
  cloud: PlacementCloud;
  /** The platform outputs the deployment reads (`{ aws: {...} }`). */
  platformOutputs: Record<string, unknown>;
  /** Add-ons of the platform's cluster when a platform config was planned, and which one. */
  platformAddons?: { addons: readonly AddonName[]; from: string };
}

/** Run every check on a deployment's recorded stack. */
export async function checkDeploymentStack(
  resources: readonly RecordedResource[],
  options: DeploymentCheckOptions,
): Promise<StackChecks> {
  const output = options.platformOutputs[options.cloud];
  const fromOutput = addonsFromOutput(output);
  const target: TargetCluster = options.platformAddons
    ? { cloud: options.cloud, addons: options.platformAddons.addons, from: options.platformAddons.from }
    : fromOutput
      ? { cloud: options.cloud, addons: fromOutput, from: "the platform outputs" }
      : { cloud: options.cloud };
  const findings = await runChecks({
    resources,
    catalog: options.catalog,
    target,
    externalPools: poolsFromOutput(output),
  });
  const cluster: PlanCluster = {
    name: `the ${options.cloud} platform cluster`,
    cloud: options.cloud,
    addons: target.addons ? [...target.addons] : null,
    ...(target.from ? { from: target.from } : {}),
  };
  return { findings, clusters: [cluster] };
}

/** Run every check on the platform's recorded stack. */
export async function checkPlatformStack(
  resources: readonly RecordedResource[],
  catalog: Catalog,
): Promise<StackChecks> {
  return { findings: await runChecks({ resources, catalog }), clusters: clustersOf(resources) };
}
