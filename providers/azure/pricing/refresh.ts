/**
 * Refresh Azure GPU VM prices from the Azure Retail Prices API (public, no credentials):
 * GET https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$filter=...
 * Answer: `{ Items: [{ armSkuName, armRegionName, retailPrice, skuName, productName, type,
 * unitOfMeasure, currencyCode, ... }], NextPageLink }`. Linux pay-as-you-go items are those with
 * type `Consumption` and no "Windows" in productName; skuName ending " Spot" is the spot meter;
 * "Low Priority" meters (Batch) are ignored.
 */
import type { ImportNote, ImportResult, RefreshOptions } from "../../../platform/core/pricing/provider";
import { gpuMemoryGiB } from "../../../platform/core/gpu-specs";
import { getJson, isRecord, numOf, str } from "../../../platform/core/pricing/http";
import { finalizeOffers, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { AZURE_SHAPES } from "./shapes";

export const AZURE_PRICES_HOST = "prices.azure.com";
const MAX_PAGES = 50;

export function azureRetailUrl(skus: readonly string[]): string {
  const skuFilter = skus.map((s) => `armSkuName eq '${s}'`).join(" or ");
  const filter = `serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and (${skuFilter})`;
  return `https://${AZURE_PRICES_HOST}/api/retail/prices?api-version=2023-01-01-preview&$filter=${encodeURIComponent(filter)}`;
}

/** Turn Retail Prices API items into offers (one per size and region). */
export function parseAzureRetailItems(
  items: readonly unknown[],
  opts: { asOf: string; regions?: string[]; source?: string },
): ImportResult {
  const notes: ImportNote[] = [];
  const od = new Map<string, number>();
  const spot = new Map<string, number>();
  for (const item of items) {
    if (!isRecord(item)) continue;
    const sku = str(item.armSkuName);
    const region = str(item.armRegionName);
    if (!AZURE_SHAPES[sku] || (opts.regions?.length && !opts.regions.includes(region))) continue;
    if (str(item.type) !== "Consumption" || str(item.currencyCode) !== "USD" || str(item.unitOfMeasure) !== "1 Hour")
      continue;
    if (str(item.productName).includes("Windows")) continue;
    const meter = str(item.skuName);
    if (meter.includes("Low Priority")) continue;
    const price = numOf(item.retailPrice);
    const key = `${region}|${sku}`;
    const target = meter.endsWith(" Spot") ? spot : od;
    const prev = target.get(key);
    target.set(key, prev === undefined ? price : Math.min(prev, price));
  }
  const raws: RawOffer[] = [];
  for (const [key, price] of od) {
    const [region, sku] = key.split("|") as [string, string];
    const shape = AZURE_SHAPES[sku]!;
    raws.push({
      cloud: "azure",
      region,
      instanceType: sku,
      gpuType: shape.gpuType,
      gpuCount: shape.gpuCount,
      gpuMemoryGiB: gpuMemoryGiB(shape.gpuType),
      vcpus: shape.vcpus,
      memoryGiB: shape.memoryGiB,
      onDemandHourlyUsd: price,
      spotHourlyUsd: spot.get(key) ?? Number.NaN,
      source: opts.source ?? `${AZURE_PRICES_HOST} Retail Prices API`,
      asOf: opts.asOf,
      line: 0,
    });
  }
  return finalizeOffers("azure", raws, notes);
}

export async function refreshAzure(options: RefreshOptions): Promise<ImportResult> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const items: unknown[] = [];
  let url: string | null = azureRetailUrl(Object.keys(AZURE_SHAPES));
  for (let page = 0; url && page < MAX_PAGES; page += 1) {
    const body = await getJson(url, fetchImpl);
    if (!isRecord(body) || !Array.isArray(body.Items))
      throw new Error(`${AZURE_PRICES_HOST}: unexpected answer (no Items array)`);
    items.push(...body.Items);
    url = typeof body.NextPageLink === "string" && body.NextPageLink ? body.NextPageLink : null;
  }
  return parseAzureRetailItems(items, { asOf: options.asOf, regions: options.regions });
}
