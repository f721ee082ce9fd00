/**
 * Pricing candidates for one request: the shared cost model (platform/core/pricing/cost-model.ts)
 * with this request's replicas, active hours, artifact storage per cloud and, when the footprint
 * names its model stores, the move of the weights to the serving region.
 */
import { activeHoursPerMonth } from "../schedule";
import type { Footprint } from "../footprint";
import type { Placement } from "../placement";
import {
  artifactSizeGiB,
  placementCost,
  storageMonthlyUsd,
  weightsTransfer,
  type PlacementCost,
} from "../pricing/cost-model";
import type { Catalog } from "../pricing/types";
import { replicaPacking, type ReplicaPacking } from "../sizing";
import type { ScopedCandidate } from "./scope";
import type { QuoteRequest } from "./schema";

/** A ranked placement as a quote returns it: a Placement plus its month at rest and at max. */
export interface QuotedPlacement extends Placement {
  /** Month with no traffic (nodes bill 730 h; serverless scales to zero), USD. */
  atRestMonthlyUsd: number;
  /** Month with every replica running 24 h a day, USD (the budget policy checks this). */
  atMaxMonthlyUsd: number;
  /** One copy of the weights from the footprint's nearest store, USD; null unpriced; absent when no store is known. */
  weightsTransferUsd?: number | null;
  /** Workload quotes: monthlyUsd over the month's tokens (prompt + completion, during active hours), USD. */
  usdPerMillionTokens?: number;
  /** Workload quotes: the performance model's prediction at `replicas` (tokensPerSecond: output tokens/s across them). */
  predicted?: { ttftMs: number; tpotMs: number; tokensPerSecond: number };
}

/** A priced candidate: its figures, kept beside it until it becomes a placement. */
export interface Priced {
  cand: ScopedCandidate;
  cost: PlacementCost;
  storageUsd: number;
  transferUsd: number | null | undefined;
  /** An existing pool's node shared by replicas: the GPUs a replica takes and how many a node carries. */
  packing?: ReplicaPacking;
}

/**
 * How replicas needing `needGiB` share a node of `cand`: only an existing pool's multi-GPU node is
 * shared (a dedicated pool's node, and a serverless instance, is one replica's); undefined otherwise
 * or when one replica takes the whole node.
 */
export function packingOf(cand: ScopedCandidate, needGiB: number): ReplicaPacking | undefined {
  if (cand.pool === undefined || cand.gpuCount <= 1) return undefined;
  const p = replicaPacking({ totalGiB: needGiB }, cand.gpuMemoryGiB, cand.gpuCount);
  return p && p.gpusPerReplica < cand.gpuCount ? p : undefined;
}

const cloudsByCatalog = new WeakMap<Catalog, ReadonlySet<Catalog["gpuOffers"][number]["cloud"]>>();

/** The clouds with a GPU or serverless offer in `catalog` (found once per catalog object). */
function cloudsOf(catalog: Catalog): ReadonlySet<Catalog["gpuOffers"][number]["cloud"]> {
  let clouds = cloudsByCatalog.get(catalog);
  if (!clouds) {
    const found = new Set(catalog.gpuOffers.map((o) => o.cloud));
    for (const s of catalog.serverless) found.add(s.cloud);
    clouds = found;
    cloudsByCatalog.set(catalog, clouds);
  }
  return clouds;
}

export class Pricer {
  private readonly storage = new Map<string, number>();
  private readonly transfers = new Map<string, number | null | undefined>();
  /** Per place (`whereIndex`): storage and one weights move, USD/month; NaN until first priced. */
  private storageByPlace = new Float64Array(0);
  private transferByPlace = new Float64Array(0);
  private readonly sizeGiB: number;
  /** Notes on unpriced weights moves, one per destination. */
  readonly unpricedMoves = new Set<string>();

  constructor(
    private readonly request: QuoteRequest,
    private readonly catalog: Catalog,
    private readonly footprint: Footprint | undefined,
    tier: string | undefined,
    warnings: string[],
  ) {
    this.sizeGiB = artifactSizeGiB(request.model);
    for (const cloud of cloudsOf(catalog)) {
      const usd = storageMonthlyUsd(catalog, cloud, this.sizeGiB, tier);
      if (usd === undefined) {
        warnings.push(
          `no object-storage price for ${cloud}${tier ? ` tier ${tier}` : ""} in the catalog; its placements exclude artifact storage`,
        );
      }
      this.storage.set(cloud, usd ?? 0);
    }
  }

  /** One copy of the weights to (cloud, region): undefined when the footprint names no store. */
  transfer(cloud: string, region: string): number | null | undefined {
    const stores = this.footprint?.stores ?? [];
    if (stores.length === 0) return undefined;
    const key = `${cloud}|${region}`;
    if (this.transfers.has(key)) return this.transfers.get(key);
    const t = weightsTransfer(this.catalog, stores, { cloud, region }, this.sizeGiB);
    // Stryker disable next-line OptionalChaining: equivalent — t is undefined only without stores (returned above)
    const usd = t?.usd;
    if (t && usd === null) this.unpricedMoves.add(t.note);
    this.transfers.set(key, usd);
    return usd;
  }

  /**
   * Storage plus one weights move per replica at the candidate's place, USD/month (cached per
   * place). `replicas` defaults to the request's (a workload quote passes the sized count).
   */
  fixed(cand: ScopedCandidate, replicas = this.request.replicas): number {
    const w = cand.whereIndex;
    // NaN (or past the end): this place is not priced yet.
    // Stryker disable next-line EqualityOperator: equivalent — each variant only re-prices a place more often
    if (!(w < this.storageByPlace.length && this.storageByPlace[w]! >= 0)) {
      if (w >= this.storageByPlace.length) this.grow(w + 1);
      // A brought cluster's storage and weights move are unknown: left out, not invented (`pricing` says so).
      this.storageByPlace[w] = cand.brought ? 0 : (this.storage.get(cand.cloud) ?? 0);
      this.transferByPlace[w] = cand.brought ? 0 : (this.transfer(cand.cloud, cand.region) ?? 0);
    }
    return this.storageByPlace[w]! + this.transferByPlace[w]! * replicas;
  }

  private grow(n: number): void {
    // Stryker disable next-line ArithmeticOperator: equivalent — growth size only (new slots are NaN: priced on use)
    const size = Math.max(n, this.storageByPlace.length * 2);
    const s = new Float64Array(size).fill(Number.NaN);
    const t = new Float64Array(size).fill(Number.NaN);
    s.set(this.storageByPlace);
    t.set(this.transferByPlace);
    this.storageByPlace = s;
    this.transferByPlace = t;
  }

  price(cand: ScopedCandidate, replicas = this.request.replicas, packing?: ReplicaPacking): Priced {
    const storageUsd = cand.brought ? 0 : (this.storage.get(cand.cloud) ?? 0);
    // Unpriced (null) on a brought cluster when the platform has stores: where its nodes pull from is unknown.
    const transferUsd = cand.brought
      ? (this.footprint?.stores ?? []).length > 0
        ? null
        : undefined
      : this.transfer(cand.cloud, cand.region);
    const cost = placementCost({
      unitHourlyUsd: cand.unit,
      replicas,
      capacity: cand.capacity,
      activeHoursPerDay: this.request.activeHoursPerDay,
      storageMonthlyUsd: storageUsd,
      transferUsd: transferUsd ?? 0,
      ...(this.request.schedule ? { scheduledHoursPerMonth: activeHoursPerMonth(this.request.schedule) } : {}),
      ...(packing ? { replicasPerNode: packing.replicasPerNode } : {}),
    });
    return packing ? { cand, cost, storageUsd, transferUsd, packing } : { cand, cost, storageUsd, transferUsd };
  }
}

/** Turn a priced candidate into a placement (the one place the figures are copied). */
export function toQuotedPlacement(p: Priced, replicas: number): QuotedPlacement {
  const c = p.cand;
  const out: QuotedPlacement = {
    cloud: c.cloud,
    region: c.region,
    instanceType: c.instanceType,
    gpuType: c.gpuType,
    gpuCount: c.gpuCount,
    gpuMemoryGiB: c.gpuMemoryGiB,
    capacity: c.capacity,
    replicas,
    unitHourlyUsd: c.unit,
    hourlyUsd: p.cost.hourlyUsd,
    monthlyUsd: p.cost.monthlyUsd,
    storageMonthlyUsd: p.storageUsd,
    onDemandUnitHourlyUsd: c.onDemandUnit,
    atRestMonthlyUsd: p.cost.atRestMonthlyUsd,
    atMaxMonthlyUsd: p.cost.atMaxMonthlyUsd,
  };
  if (p.packing) {
    // A replica takes its own GPUs of the pool's node, which carries several (what the program schedules).
    out.gpuCount = p.packing.gpusPerReplica;
    if (p.packing.replicasPerNode > 1) out.replicasPerNode = p.packing.replicasPerNode;
  }
  if (c.serverlessProduct !== undefined) out.serverlessProduct = c.serverlessProduct;
  if (c.cluster !== undefined) out.cluster = c.cluster;
  if (c.pool !== undefined) out.pool = c.pool;
  if (c.pricing !== undefined) out.pricing = { ...c.pricing };
  if (p.transferUsd !== undefined) out.weightsTransferUsd = p.transferUsd;
  return out;
}

/** The Placement fields only (what a deployment spec carries, with the cluster and pool it lands on). */
export function basePlacement(p: QuotedPlacement): Placement {
  const {
    atRestMonthlyUsd: _atRest,
    atMaxMonthlyUsd: _atMax,
    weightsTransferUsd: _transfer,
    usdPerMillionTokens: _perM,
    predicted: _predicted,
    ...base
  } = p;
  return base;
}
