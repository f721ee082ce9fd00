/**
 * The footprint: where the platform actually runs, as plain data. Quotes, deployments, the offline
 * plan and the pre-flight place only inside it, so what is quoted is what `pulumi up` built.
 *
 * It is read two ways, both ending in `parseFootprint`: offline from a platform stack config file
 * (through the platform program's own validator), or from the platform stack's outputs through the
 * engine. Nothing here reads a file or knows a cloud's rules; `cloud: "kubernetes"` is a cluster the
 * platform engineer brought, whose pools are declared (and optionally priced for chargeback).
 */
import { z } from "zod";
import { CloudSchema } from "./schemas";
import { CLOUDS, type Cloud } from "./types";
import { parseOrThrow, ValidationError } from "./validation";

/** Where a cluster runs: one of the clouds, or an existing Kubernetes cluster brought to the platform. */
export const FOOTPRINT_CLOUDS = [...CLOUDS, "kubernetes"] as const;
export type FootprintCloud = (typeof FOOTPRINT_CLOUDS)[number];

export const FootprintPoolSchema = z
  .object({
    /** Pool name within its cluster (`l4`, `a100-big`). */
    name: z.string().min(1),
    /** GPU type name, as the GPU table names it (`L4`, `H100`). */
    gpu: z.string().min(1),
    /** GPUs on one node. */
    gpusPerNode: z.number().int().min(1),
    /** Instance type of one node; absent for a brought cluster whose node type is not declared. */
    instanceType: z.string().min(1).optional(),
    /** How the pool's nodes are bought. */
    capacity: z.enum(["on-demand", "spot"]),
    /** Nodes the pool keeps at rest. */
    minNodes: z.number().int().min(0),
    /** Nodes the pool may grow to. */
    maxNodes: z.number().int().min(1),
    /** Whether an on-demand fallback pool stands behind a spot pool. */
    fallback: z.boolean().default(false),
    /**
     * Price of one node, USD/hour, when it is not a catalog offer (a brought cluster's chargeback
     * price). Absent on a brought cluster: the pool is unpriced, and quotes say so.
     */
    nodeHourlyUsd: z.number().positive().optional(),
  })
  .strict();
export type FootprintPool = z.infer<typeof FootprintPoolSchema>;

export const FootprintClusterSchema = z
  .object({
    /** The cloud, or `kubernetes` for a brought cluster. */
    cloud: z.enum(FOOTPRINT_CLOUDS),
    /** The cloud's region code; for a brought cluster, the region label the engineer gave. */
    region: z.string().min(1),
    /** Unique name of the cluster entry in the platform (`aws-us-east-1` unless named). */
    name: z.string().min(1),
    /** GPU pools the platform runs on this cluster. */
    pools: z.array(FootprintPoolSchema),
    /** Serverless products the platform offers beside this cluster, with their SKUs. */
    serverless: z.array(z.object({ product: z.string().min(1), sku: z.string().min(1) }).strict()).default([]),
    /** Whether a model stack may add a dedicated pool of any catalog instance type here. */
    dedicatedPools: z.boolean().default(true),
  })
  .strict();
export type FootprintCluster = z.infer<typeof FootprintClusterSchema>;

export const FootprintSchema = z
  .object({
    /** Where the footprint was read from, shown in the banner and `/readyz`. */
    source: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("config"), file: z.string().min(1) }).strict(),
      z.object({ kind: z.literal("stack"), stack: z.string().min(1) }).strict(),
    ]),
    clusters: z.array(FootprintClusterSchema),
    /** Model stores: where weights live (moving them to another region or cloud costs egress). */
    stores: z.array(z.object({ cloud: CloudSchema, region: z.string().min(1) }).strict()).default([]),
  })
  .strict();
export type Footprint = z.infer<typeof FootprintSchema>;

/** Validate footprint data; errors name the field under `label`. Two clusters may not share cloud and region. */
export function parseFootprint(input: unknown, label = "footprint"): Footprint {
  const fp = parseOrThrow(FootprintSchema, input, label);
  const seen = new Map<string, number>();
  fp.clusters.forEach((c, i) => {
    const key = `${c.cloud}|${c.region}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(
        `${label}.clusters[${i}]`,
        `duplicates clusters[${first}] (${c.cloud} ${c.region}): one cluster per cloud and region`,
      );
    }
    seen.set(key, i);
  });
  return fp;
}

/** The cluster a placement in (cloud, region) lands on, if the platform runs one there. */
export function clusterAt(fp: Footprint, cloud: FootprintCloud, region: string): FootprintCluster | undefined {
  return fp.clusters.find((c) => c.cloud === cloud && c.region === region);
}

/** `aws us-east-1, gcp us-central1`: the footprint's regions, for error messages. */
export function describeFootprint(fp: Footprint): string {
  return fp.clusters.length === 0 ? "(no clusters)" : fp.clusters.map((c) => `${c.cloud} ${c.region}`).join(", ");
}

/** The cluster a placement must land on; a ValidationError naming `field` and listing the footprint otherwise. */
export function requireCluster(
  fp: Footprint,
  cloud: Cloud | "kubernetes",
  region: string,
  field = "placement.region",
): FootprintCluster {
  const cluster = clusterAt(fp, cloud, region);
  if (!cluster) {
    throw new ValidationError(
      field,
      `the platform has no cluster in ${cloud} ${region}; its footprint is: ${describeFootprint(fp)}`,
    );
  }
  return cluster;
}
