/**
 * An explicit placement on a named pool of the footprint (`POST /v1/deployments` with
 * `placement.pool`, or a brought cluster's pool): checked for fit like any candidate and priced
 * the quote's way. A brought pool is priced at its declared `nodeHourlyUsd`, or, when it declares
 * none, carried at 0 with `pricing.basis: "unpriced"` (the ranking never holds such a pool; only an
 * explicit choice lands there). Pure.
 */
import { InfeasibleError } from "../errors";
import { requireCluster, type Footprint } from "../footprint";
import { GPU_MEMORY_GIB } from "../gpus";
import type { Catalog } from "../pricing/types";
import { replicaPacking, sizeModel } from "../sizing";
import { isCatalogCloud, type PlacementCloud } from "../types";
import { ValidationError } from "../validation";
import { PrecisionGate } from "./precision";
import { packingOf, Pricer, toQuotedPlacement, type QuotedPlacement } from "./price";
import { broughtCandidate, scopeOf } from "./scope";
import type { QuoteRequest } from "./schema";

export interface PoolAt {
  cloud: PlacementCloud;
  region: string;
  /** The footprint cluster's name, when the placement names it (must be the one in cloud + region). */
  cluster?: string;
  pool: string;
  /**
   * Most replicas the deployment scales to on this pool (its `scaling.maxReplicas`, less an
   * on-demand floor that runs elsewhere); checked against the pool's capacity when given.
   */
  maxReplicas?: number;
}

/** The footprint's clusters by name, for error messages. */
function clusterNames(fp: Footprint): string {
  return fp.clusters.map((c) => `${c.name} (${c.cloud} ${c.region})`).join(", ") || "(no clusters)";
}

/**
 * The placement on `at.pool` of the footprint cluster in `at.cloud`/`at.region` for `request`.
 * Errors: no such cluster → ValidationError on `placement.region` (or `placement.cluster` when the
 * name differs), listing the footprint; no such pool → `placement.pool`, listing the cluster's
 * pools; the pool cannot hold the model or the replicas → InfeasibleError.
 */
export function poolPlacement(
  request: QuoteRequest,
  catalog: Catalog,
  footprint: Footprint,
  at: PoolAt,
  warnings: string[] = [],
): QuotedPlacement {
  const cl = requireCluster(footprint, at.cloud, at.region);
  if (at.cluster !== undefined && at.cluster !== cl.name) {
    throw new ValidationError(
      "placement.cluster",
      `the platform has no cluster "${at.cluster}" in ${at.cloud} ${at.region}; its footprint is: ${clusterNames(footprint)}`,
    );
  }
  const pool = cl.pools.find((p) => p.name === at.pool);
  if (!pool) {
    throw new ValidationError(
      "placement.pool",
      `cluster ${cl.name} (${cl.cloud} ${cl.region}) has no pool "${at.pool}"; its pools: ${cl.pools.map((p) => p.name).join(", ") || "none declared"}`,
    );
  }
  const what = `pool ${pool.name} of ${cl.name} (${pool.gpusPerNode}×${pool.gpu} ${pool.capacity})`;
  const gpuMemoryGiB: number | undefined = GPU_MEMORY_GIB[pool.gpu];
  if (gpuMemoryGiB === undefined) {
    throw new ValidationError(
      "placement.pool",
      `${what}: the GPU table does not know ${pool.gpu}, so its fit cannot be checked`,
    );
  }
  const need = sizeModel(request.model).totalGiB;
  if (pool.gpusPerNode * gpuMemoryGiB < need) {
    throw new InfeasibleError(
      `${what} holds ${pool.gpusPerNode * gpuMemoryGiB} GiB per node; the model needs ${need.toFixed(1)} GiB per replica`,
    );
  }
  // A node of several GPUs carries several replicas (replicaPacking), as the program schedules them.
  const perNode = replicaPacking({ totalGiB: need }, gpuMemoryGiB, pool.gpusPerNode)?.replicasPerNode ?? 1;
  const room = pool.maxNodes * perNode;
  const holds =
    perNode > 1
      ? `${room} replica(s) (${pool.maxNodes} node(s) × ${perNode} replicas each)`
      : `${room} replica(s) (${pool.maxNodes} node(s), one replica each)`;
  if (request.replicas > room) {
    throw new InfeasibleError(`${what} holds at most ${holds}; ${request.replicas} replicas asked`);
  }
  if (at.maxReplicas !== undefined && at.maxReplicas > room) {
    // The program runs every replica up to scaling.maxReplicas on the named pool, or (a cloud pool
    // without room) silently on a dedicated pool instead: refused here, so what is built is what was asked.
    const fix = isCatalogCloud(cl.cloud)
      ? "or drop placement.pool to get a dedicated pool of this shape"
      : "or raise the pool's maxNodes (a brought cluster has no dedicated pools)";
    throw new InfeasibleError(
      `scaling.maxReplicas: ${what} holds at most ${holds}; scaling.maxReplicas asks ${at.maxReplicas}: lower scaling.maxReplicas to ${room}, ${fix}`,
      { field: "scaling.maxReplicas", poolCapacity: room, maxReplicas: at.maxReplicas },
      "scaling.maxReplicas",
    );
  }
  const refusal = new PrecisionGate(request.model.precision).refusal(pool.gpu);
  if (refusal !== undefined) throw new InfeasibleError(`${what}: ${refusal}`);

  const cand = isCatalogCloud(cl.cloud)
    ? scopeOf(footprint, catalog).candidates.find((c) => c.cluster === cl.name && c.pool === pool.name)
    : broughtCandidate(catalog, cl, pool, pool.nodeHourlyUsd, gpuMemoryGiB);
  if (!cand) {
    const note = scopeOf(footprint, catalog).pools.find((s) => s.cluster === cl.name && s.pool === pool.name)?.note;
    throw new ValidationError("placement.pool", `${what} cannot be priced: ${note ?? "no catalog offer"}`);
  }
  const pricer = new Pricer(request, catalog, footprint, undefined, warnings);
  const placed = toQuotedPlacement(pricer.price(cand, request.replicas, packingOf(cand, need)), request.replicas);
  if (placed.pricing?.basis === "unpriced") warnings.push(placed.pricing.note);
  return placed;
}
