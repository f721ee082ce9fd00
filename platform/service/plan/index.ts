/**
 * The offline plan: run a stack program under recording mocks in a warm worker thread (mocks are
 * process-global, so never in the caller's process), price every registered resource, run every
 * cost-guard policy on the same records, run the real-cloud checks (./checks: schemas, add-on
 * contract, cloud limits, GPU arithmetic), and report. No Pulumi engine, no cloud credentials.
 *
 *   planDeployment(spec, { footprint })  — the per-model stack of a deployment spec (the API's
 *                                          pre-flight), against the platform's own outputs
 *   planPlatform(config)                 — the platform program with its `modelplane:*` config
 *
 * A deployment is planned only against a platform that exists: its footprint (read from the
 * platform config or stack) or its stack outputs. A placement outside it is refused naming
 * `placement.region`; no plan invents a platform where the placement happens to be.
 */
import { join } from "node:path";
import { readTextFile } from "../../core/files";
import { activeHoursPerMonth } from "../../core/schedule";
import type { Catalog } from "../../core/pricing/types";
import { defaultCatalog } from "../../core/pricing/catalog";
import { artifactSizeGiB } from "../../core/pricing/cost-model";
import { PolicyDeniedError } from "../../core/errors";
import { slug } from "../../core/naming";
import { isRecord, str } from "../../core/resources/read";
import { MODEL_ARTIFACT_TYPE, readResource } from "../../../providers/resource-cost/registry";
import type { Footprint } from "../../core/footprint";
import { ValidationError } from "../../core/validation";
import { pickCluster } from "../../../programs/deployment/platform-ref";
import { CLUSTERS_OUTPUT } from "../../../programs/platform/outputs";
import { platformOutputsFromFootprint } from "./platform-outputs";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";
import type { BroughtPool, CostContext, ExternalPool } from "../../core/resources/types";
import { isCatalogCloud, type Cloud, type PlacementCloud } from "../../core/types";
import { parseDeploymentSpec } from "../../../programs/deployment/spec";
import { stackNameFor } from "../../../programs/deployment/stack-name";
import { rawConfigFromStackYaml } from "../../../programs/platform/stackConfig";
import type { PolicyRecord } from "../../../policy/policies/rule";
import { buildReport, type PlanReport } from "./report";
import { closePlanWorker, recordStackInWorker } from "./runner";
import type { AddonName } from "../../../providers/limits/addons";
import { addonsByCloud, checkDeploymentStack, checkPlatformStack } from "./checks/stack";
import type { DeploymentPlanArg, PlatformPlanArg } from "./programs";

export type { PlanReport, PlanResource } from "./report";
export type { PlanFinding } from "./checks/types";
export { closePlanWorker } from "./runner";

const PROGRAMS = join(__dirname, "programs.ts");

export interface PlanOptions {
  /** Price catalog. Default: the shipped catalog. */
  catalog?: Catalog;
  /** Policy pack config (the JSON of `--policy-pack-config`); default: every policy's defaults. */
  policyConfig?: unknown;
  /** Serverless endpoints: active hours per day (default 24). */
  activeHoursPerDay?: number;
  /**
   * Deployments: the platform's footprint; the StackReference returns the outputs built from it
   * (`platformOutputsFromFootprint`). One of `footprint` or `platformOutputs` is required.
   */
  footprint?: Footprint;
  /**
   * Deployments: the platform stack's outputs (`{ clusters: {...}, kubeconfigs: {...} }`) the
   * StackReference returns, e.g. the platform program's own outputs planned under mocks.
   */
  platformOutputs?: Record<string, unknown>;
  /** Platform plans: the environment (default `dev`). Deployments use the spec's. */
  environment?: string;
  /**
   * The stack name. Platform plans: shown in the report (default `platform`). Deployments: the
   * per-model stack's name, which some cloud-side names hash (default: the spec's `stackNameFor`;
   * a migration's new stack has a name of its own).
   */
  stack?: string;
  /**
   * Deployments: a platform `Pulumi.<stack>.yaml` to plan as well, so the add-on contract checks
   * the add-ons it installs on the deployment's cluster. Without it (and without an `addons` list
   * in the platform outputs) the add-ons are unknown and each custom kind is a warning.
   */
  platformFile?: string;
}

/** The platform stack outputs a deployment plan runs against: given, or built from the footprint. */
function platformOutputsOf(options: PlanOptions): Record<string, unknown> {
  if (options.platformOutputs) return options.platformOutputs;
  if (options.footprint) return platformOutputsFromFootprint(options.footprint);
  if (options.platformFile) return platformOutputsFromFootprint(footprintFromConfigFile(options.platformFile));
  throw new ValidationError(
    "platform",
    "no platform to plan against: give the platform's footprint (modelplane plan --platform Pulumi.<stack>.yaml)",
  );
}

/** GPU pools a platform output shares, as pools a deployment's workloads may land on. */
function externalPools(output: unknown, cloud: Cloud, region: string): ExternalPool[] {
  // An existing cluster's pools carry no instance type the catalog prices: not external pools here.
  const pools = isRecord(output) && Array.isArray(output["pools"]) ? output["pools"] : [];
  return pools.flatMap((p): ExternalPool[] => {
    const name = str(p, "name");
    const instanceType = str(p, "instanceType");
    const selector = isRecord(p) && isRecord(p["nodeSelector"]) ? p["nodeSelector"] : undefined;
    if (!name || !instanceType || !selector) return [];
    const nodeLabels = Object.fromEntries(
      Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    return [{ name, cloud, region, instanceType, spot: str(p, "capacity") === "spot", nodeLabels }];
  });
}

/** A brought cluster's declared pools, as pools a deployment's workloads may land on (at their declared price). */
function broughtPools(output: unknown): BroughtPool[] {
  const cluster = str(output, "name") ?? "brought";
  const pools = isRecord(output) && Array.isArray(output["pools"]) ? output["pools"] : [];
  return pools.flatMap((p): BroughtPool[] => {
    const name = str(p, "name");
    const selector = isRecord(p) && isRecord(p["nodeSelector"]) ? p["nodeSelector"] : undefined;
    const gpusPerNode = isRecord(p) && typeof p["gpuCount"] === "number" ? p["gpuCount"] : undefined;
    const price = isRecord(p) && typeof p["nodeHourlyUsd"] === "number" ? p["nodeHourlyUsd"] : undefined;
    if (!name || !selector || gpusPerNode === undefined) return [];
    const nodeLabels = Object.fromEntries(
      Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    return [{ name, cluster, gpusPerNode, nodeLabels, ...(price !== undefined ? { nodeHourlyUsd: price } : {}) }];
  });
}

/** Plan the per-model stack of a deployment spec. Bad spec → ValidationError naming the field. */
export async function planDeployment(spec: unknown, options: PlanOptions = {}): Promise<PlanReport> {
  const valid = parseDeploymentSpec(spec);
  const catalog = options.catalog ?? defaultCatalog();
  const { cloud, region } = valid.placement;
  const platformOutputs = platformOutputsOf(options);
  // The cluster the deployment program will pick; none in the placement's cloud and region → a
  // ValidationError naming placement.region and listing the footprint, before anything is recorded.
  const cluster = pickCluster(
    platformOutputs[CLUSTERS_OUTPUT],
    valid.platformStack,
    cloud,
    region,
    valid.placement.cluster,
  );
  const stack =
    options.stack ?? stackNameFor({ tenant: valid.tenant, model: valid.model.name, environment: valid.environment });
  const arg: DeploymentPlanArg = { spec };
  const { resources: recorded, outputs } = await recordStackInWorker({
    modulePath: PROGRAMS,
    exportName: "deploymentPlanProgram",
    arg,
    record: { project: "modelplane-deployment", stack, stackReferenceOutputs: platformOutputs },
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
  // The chosen cluster's output as the platform exported it (with any `addons` list), by cloud.
  const rawClusters = platformOutputs[CLUSTERS_OUTPUT];
  const rawCluster = isRecord(rawClusters) ? rawClusters[cluster.name] : undefined;
  const { findings, clusters } = await checkDeploymentStack(recorded, {
    catalog,
    cloud,
    platformOutputs: { [cloud]: rawCluster },
    ...(options.platformFile ? { platformAddons: await platformAddons(options.platformFile, cloud) } : {}),
  });

  const sizeGiB = artifactSizeGiB(valid.model);
  // A brought cluster (no catalog cloud): its declared pools at their declared price, no cloud prices.
  const catalogCloud = isCatalogCloud(cloud) ? cloud : undefined;
  const cost: CostContext = {
    ...(catalogCloud ? { defaultRegions: { [catalogCloud]: region } } : {}),
    activeHoursPerDay: options.activeHoursPerDay ?? 24,
    ...(valid.schedule ? { scheduledHoursPerMonth: activeHoursPerMonth(valid.schedule) } : {}),
    externalPools: catalogCloud ? externalPools(cluster, catalogCloud, region) : [],
    ...(catalogCloud ? {} : { broughtPools: broughtPools(cluster) }),
    storageGiB: sizeGiB,
  };
  // The weights live in the platform's store; the quote counts them, so the plan does too
  // (unless the stack has a store of its own, which is then priced at the same size).
  const hasStore = recorded.some(
    (r) => readResource({ type: r.type, name: r.name, inputs: r.inputs }).store !== undefined,
  );
  // On a brought cluster where the weights come from is unknown: not priced (the placement says so).
  const extraRecords: PolicyRecord[] =
    hasStore || !catalogCloud
      ? []
      : [
          {
            type: MODEL_ARTIFACT_TYPE,
            name: `${slug(valid.model.name) || "model"}-weights`,
            props: { cloud, region, sizeGiB },
          },
        ];
  return buildReport(recorded, {
    stack,
    environment: valid.environment,
    catalog,
    cost,
    extraRecords,
    outputs,
    findings,
    clusters,
    ...(options.policyConfig !== undefined ? { policyConfig: options.policyConfig } : {}),
  });
}

/** The add-ons a platform config installs on the cluster of `cloud` (the platform is recorded, not priced). */
async function platformAddons(path: string, cloud: PlacementCloud): Promise<{ addons: AddonName[]; from: string }> {
  const config = rawConfigFromStackYaml(readTextFile(path, "--platform"), path);
  const { resources } = await recordStackInWorker({
    modulePath: PROGRAMS,
    exportName: "platformPlanProgram",
    arg: { config } satisfies PlatformPlanArg,
    record: { project: "modelplane-platform", stack: "platform" },
  });
  const addons = addonsByCloud(resources)[cloud];
  return { addons: addons ?? [], from: `the planned ${path}${addons ? "" : `, which has no ${cloud} cluster`}` };
}

/** Regions per cloud named in a raw platform config (`clouds[].cloud/region`). */
function regionsOf(config: unknown): Partial<Record<Cloud, string>> {
  const out: Partial<Record<Cloud, string>> = {};
  const clouds = isRecord(config) && Array.isArray(config["clouds"]) ? config["clouds"] : [];
  for (const c of clouds) {
    const cloud = str(c, "cloud");
    const region = str(c, "region");
    if (cloud && region) out[cloud as Cloud] = region;
  }
  return out;
}

/**
 * Plan the platform program with raw `modelplane:*` config (keys without the namespace, as in
 * `Pulumi.<stack>.yaml`). Bad config → ValidationError naming the key.
 */
export async function planPlatform(config: unknown, options: PlanOptions = {}): Promise<PlanReport> {
  const catalog = options.catalog ?? defaultCatalog();
  const stack = options.stack ?? "platform";
  const arg: PlatformPlanArg = { config };
  const { resources: recorded, outputs } = await recordStackInWorker({
    modulePath: PROGRAMS,
    exportName: "platformPlanProgram",
    arg,
    record: { project: "modelplane-platform", stack },
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
  const { findings, clusters } = await checkPlatformStack(recorded, catalog);
  const cost: CostContext = {
    defaultRegions: regionsOf(config),
    ...(options.activeHoursPerDay !== undefined ? { activeHoursPerDay: options.activeHoursPerDay } : {}),
  };
  return buildReport(recorded, {
    stack,
    environment: options.environment ?? "dev",
    catalog,
    cost,
    outputs,
    findings,
    clusters,
    ...(options.policyConfig !== undefined ? { policyConfig: options.policyConfig } : {}),
  });
}

/** Plan the platform from a `Pulumi.<stack>.yaml` file (the stack name comes from the file name). */
export async function planPlatformFile(path: string, options: PlanOptions = {}): Promise<PlanReport> {
  const text = readTextFile(path, "platform config");
  const stack = /Pulumi\.([^/\\]+)\.ya?ml$/.exec(path)?.[1] ?? "platform";
  return planPlatform(rawConfigFromStackYaml(text, path), { stack, environment: stack, ...options });
}

/** Throw PolicyDeniedError (→ HTTP 422) when the plan violates a mandatory policy. */
export function assertPlanAllowed(report: PlanReport): void {
  if (report.policy.denied) throw new PolicyDeniedError(report.policy.violations);
}

/**
 * Start the plan worker ahead of the first plan (e.g. when the API starts), so that plan is warm
 * too: plans a tiny deployment on a catalog offer in one of the footprint's regions.
 */
export async function warmPlanner(options: PlanOptions = {}): Promise<void> {
  const catalog = options.catalog ?? defaultCatalog();
  const fp = options.footprint;
  const offer = fp
    ? catalog.gpuOffers.find((o) => fp.clusters.some((c) => c.cloud === o.cloud && c.region === o.region))
    : undefined;
  if (!offer || !fp) return;
  await planDeployment(
    {
      deploymentId: "warm-up",
      tenant: "warm-up",
      owner: "modelplane",
      costCenter: "none",
      environment: "dev",
      model: { name: "warm-up", parametersBillions: 1, precision: "fp16", contextTokens: 2048 },
      placement: {
        cloud: offer.cloud,
        region: offer.region,
        instanceType: offer.instanceType,
        gpuType: offer.gpuType,
        gpuCount: 1,
        gpuMemoryGiB: offer.gpuMemoryGiB,
        capacity: "on-demand",
        replicas: 1,
        unitHourlyUsd: offer.onDemandHourlyUsd,
        hourlyUsd: offer.onDemandHourlyUsd,
        monthlyUsd: 0,
        storageMonthlyUsd: 0,
        onDemandUnitHourlyUsd: null,
      },
      platformStack: "warm-up",
    },
    { catalog, footprint: fp },
  ).catch(() => undefined);
}

/** For symmetry with warmPlanner: stop the worker. */
export const stopPlanner = closePlanWorker;
