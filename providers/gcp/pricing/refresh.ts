/**
 * Refresh GCP GPU VM prices from the Cloud Billing Catalog API (needs an API key, GCP_API_KEY):
 * GET https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=…&currencyCode=USD
 * (6F81-5844-456A is Compute Engine). Answer: `{ skus: [{ description, category: { resourceGroup,
 * usageType }, serviceRegions: [...], pricingInfo: [{ pricingExpression: { usageUnit,
 * tieredRates: [{ unitPrice: { units, nanos } }] } }] }], nextPageToken }`.
 *
 * An offer is host vCPUs × core price + host GiB × RAM price + gpuCount × GPU price, per region.
 * Only plain on-demand (usageType OnDemand) and Spot (Preemptible) SKUs are used: commitment,
 * reservation and Flex-start/DWS SKUs are skipped by name — picking one of those as "on-demand" is
 * the SkyPilot catalog bug that lists H100 at $4.20 in us-central1.
 */
import type { GpuType } from "../../../platform/core/types";
import type { ImportNote, ImportResult, RefreshOptions } from "../../../platform/core/pricing/provider";
import { PriceSourceUnavailableError } from "../../../platform/core/pricing/provider";
import { gpuMemoryGiB } from "../../../platform/core/gpu-specs";
import { getJson, isRecord, numOf, str } from "../../../platform/core/pricing/http";
import { finalizeOffers, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { GCP_HOST_SHAPES } from "./shapes";

export const GCP_BILLING_HOST = "cloudbilling.googleapis.com";
export const GCE_SERVICE_ID = "6F81-5844-456A";
const MAX_PAGES = 40;

/** GPU SKU descriptions (after an optional "Spot Preemptible " prefix) → GPU type. */
const GPU_SKU_PATTERNS: ReadonlyArray<[RegExp, GpuType]> = [
  [/^Nvidia Tesla T4 GPU running in /, "T4"],
  [/^Nvidia L4 GPU running in /, "L4"],
  [/^Nvidia Tesla A100 GPU running in /, "A100"],
  [/^Nvidia Tesla A100 80GB GPU running in /, "A100-80GB"],
  [/^Nvidia H100 80GB GPU running in /, "H100"],
];
const EXCLUDED = /Commitment|Commit|Reserved|Reservation|DWS|Flex|Calendar|Dynamic Workload|Sole Tenancy|Custom/i;
const HOST_SKU = /^(A2|A3|G2|N1 Predefined) Instance (Core|Ram) running in /;

export function gcpSkusUrl(apiKey: string, pageToken?: string): string {
  const base = `https://${GCP_BILLING_HOST}/v1/services/${GCE_SERVICE_ID}/skus?currencyCode=USD&pageSize=5000&key=${encodeURIComponent(apiKey)}`;
  return pageToken ? `${base}&pageToken=${encodeURIComponent(pageToken)}` : base;
}

function unitPrice(sku: Record<string, unknown>): number {
  const info = Array.isArray(sku.pricingInfo) ? sku.pricingInfo[0] : undefined;
  if (!isRecord(info) || !isRecord(info.pricingExpression)) return Number.NaN;
  const tiers = info.pricingExpression.tieredRates;
  const last: unknown = Array.isArray(tiers) ? tiers[tiers.length - 1] : undefined;
  if (!isRecord(last) || !isRecord(last.unitPrice)) return Number.NaN;
  return (numOf(last.unitPrice.units) || 0) + (numOf(last.unitPrice.nanos) || 0) / 1e9;
}

/** Turn Cloud Billing SKUs into offers for the host shapes in GCP_HOST_SHAPES. */
export function parseGcpSkus(
  skus: readonly unknown[],
  opts: { asOf: string; regions?: string[]; source?: string },
): ImportResult {
  const notes: ImportNote[] = [];
  // price[`${kind}|${region}`] for kind = `gpu:L4:od`, `core:G2:spot`, `ram:A2:od`, ...
  const price = new Map<string, number>();
  const regions = new Set<string>();
  for (const sku of skus) {
    if (!isRecord(sku) || !isRecord(sku.category)) continue;
    const usage = str(sku.category.usageType);
    if (usage !== "OnDemand" && usage !== "Preemptible") continue;
    const raw = str(sku.description);
    if (EXCLUDED.test(raw)) continue;
    const spot = usage === "Preemptible";
    const desc = raw.replace(/^Spot Preemptible /, "");
    let kind: string | undefined;
    const gpu = GPU_SKU_PATTERNS.find(([re]) => re.test(desc));
    if (gpu) kind = `gpu:${gpu[1]}`;
    const host = HOST_SKU.exec(desc);
    if (host) kind = `${host[2] === "Core" ? "core" : "ram"}:${host[1]}`;
    if (!kind) continue;
    const p = unitPrice(sku);
    if (!Number.isFinite(p)) continue;
    for (const region of Array.isArray(sku.serviceRegions) ? sku.serviceRegions.map(str) : []) {
      if (opts.regions?.length && !opts.regions.includes(region)) continue;
      regions.add(region);
      price.set(`${kind}:${spot ? "spot" : "od"}|${region}`, p);
    }
  }
  const raws: RawOffer[] = [];
  for (const region of regions) {
    for (const shape of GCP_HOST_SHAPES) {
      const get = (k: string, cap: "od" | "spot"): number => price.get(`${k}:${cap}|${region}`) ?? Number.NaN;
      const total = (cap: "od" | "spot"): number =>
        shape.vcpus * get(`core:${shape.billingSeries}`, cap) +
        shape.memoryGiB * get(`ram:${shape.billingSeries}`, cap) +
        shape.gpuCount * get(`gpu:${shape.gpuType}`, cap);
      const od = total("od");
      if (!Number.isFinite(od)) continue; // this region does not sell this GPU (or its host)
      raws.push({
        cloud: "gcp",
        region,
        instanceType: shape.machineType,
        gpuType: shape.gpuType,
        gpuCount: shape.gpuCount,
        gpuMemoryGiB: gpuMemoryGiB(shape.gpuType),
        vcpus: shape.vcpus,
        memoryGiB: shape.memoryGiB,
        onDemandHourlyUsd: od,
        spotHourlyUsd: total("spot"),
        source: opts.source ?? `${GCP_BILLING_HOST} Cloud Billing Catalog API (service ${GCE_SERVICE_ID})`,
        asOf: opts.asOf,
        line: 0,
        ...(shape.spotOnly ? { onDemandAvailable: false } : {}),
      });
    }
  }
  return finalizeOffers("gcp", raws, notes);
}

export async function refreshGcp(options: RefreshOptions): Promise<ImportResult> {
  const env = options.env ?? process.env;
  const apiKey = env.GCP_API_KEY ?? env.GOOGLE_API_KEY;
  if (!apiKey) {
    throw new PriceSourceUnavailableError(
      GCP_BILLING_HOST,
      `${GCP_BILLING_HOST} needs an API key: set GCP_API_KEY to a key of a project with the Cloud Billing API enabled`,
    );
  }
  const fetchImpl = options.fetchImpl ?? fetch;
  const skus: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const body = await getJson(gcpSkusUrl(apiKey, token), fetchImpl);
    if (!isRecord(body) || !Array.isArray(body.skus))
      throw new Error(`${GCP_BILLING_HOST}: unexpected answer (no skus array)`);
    skus.push(...body.skus);
    token = str(body.nextPageToken) || undefined;
    if (!token) break;
  }
  return parseGcpSkus(skus, { asOf: options.asOf, regions: options.regions });
}
