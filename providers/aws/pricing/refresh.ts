/**
 * Refresh AWS GPU instance prices without the AWS SDK:
 * - on-demand from the public Price List bulk offer files (no credentials):
 *   GET https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json
 *   `{ products: { SKU: { productFamily, attributes: { instanceType, regionCode, operatingSystem,
 *   tenancy, preInstalledSw, capacitystatus, licenseModel, gpu, vcpu, memory } } },
 *   terms: { OnDemand: { SKU: { "SKU.TERM": { priceDimensions: { "SKU.TERM.RATE": { unit: "Hrs",
 *   pricePerUnit: { USD } } } } } } } }`. These files are large (hundreds of MB per region).
 * - spot from EC2 DescribeSpotPriceHistory (SigV4-signed query API) only when AWS credentials are
 *   in the environment; without them spot prices stay null (not guessed).
 */
import type { ImportNote, ImportResult, RefreshOptions } from "../../../platform/core/pricing/provider";
import { gpuMemoryGiB } from "../../../platform/core/gpu-specs";
import { getJson, getText, isRecord, numOf, str } from "../../../platform/core/pricing/http";
import { finalizeOffers, type RawOffer } from "../../../platform/core/pricing/sanitize";
import { awsSpotFromXml, signedEc2Url } from "./spot";
import { AWS_FAMILY_GPUS, AWS_REFRESH_REGIONS } from "./shapes";

export const AWS_PRICING_HOST = "pricing.us-east-1.amazonaws.com";

export function awsOfferUrl(region: string): string {
  return `https://${AWS_PRICING_HOST}/offers/v1.0/aws/AmazonEC2/current/${region}/index.json`;
}

/** GPU instance type → GPU type, from its family (`g6.xlarge` → L4). */
export function awsGpuTypeOf(instanceType: string): (typeof AWS_FAMILY_GPUS)[string] | undefined {
  return AWS_FAMILY_GPUS[instanceType.split(".")[0] ?? ""];
}

/** Parse one region's bulk offer file into raw offers (Linux, shared tenancy, no pre-installed software). */
export function parseAwsOfferFile(body: unknown, opts: { asOf: string; source?: string }): RawOffer[] {
  if (!isRecord(body) || !isRecord(body.products) || !isRecord(body.terms) || !isRecord(body.terms.OnDemand)) {
    throw new Error(`${AWS_PRICING_HOST}: unexpected offer file (no products/terms.OnDemand)`);
  }
  const onDemand = body.terms.OnDemand;
  const out: RawOffer[] = [];
  for (const [sku, product] of Object.entries(body.products)) {
    if (!isRecord(product) || !isRecord(product.attributes)) continue;
    const a = product.attributes;
    if (str(product.productFamily) !== "Compute Instance") continue;
    if (str(a.operatingSystem) !== "Linux" || str(a.tenancy) !== "Shared" || str(a.preInstalledSw) !== "NA") continue;
    if (str(a.capacitystatus) !== "Used" || str(a.licenseModel) !== "No License required") continue;
    const instanceType = str(a.instanceType);
    const gpuType = awsGpuTypeOf(instanceType);
    if (!gpuType) continue;
    const terms = onDemand[sku];
    if (!isRecord(terms)) continue;
    let price = Number.NaN;
    for (const term of Object.values(terms)) {
      if (!isRecord(term) || !isRecord(term.priceDimensions)) continue;
      for (const dim of Object.values(term.priceDimensions)) {
        if (isRecord(dim) && str(dim.unit) === "Hrs" && isRecord(dim.pricePerUnit)) price = numOf(dim.pricePerUnit.USD);
      }
    }
    out.push({
      cloud: "aws",
      region: str(a.regionCode),
      instanceType,
      gpuType,
      gpuCount: numOf(a.gpu),
      gpuMemoryGiB: gpuMemoryGiB(gpuType),
      vcpus: numOf(a.vcpu) || 0,
      memoryGiB: numOf(str(a.memory).replace(/[^0-9.]/g, "")) || 0,
      onDemandHourlyUsd: price,
      spotHourlyUsd: Number.NaN,
      source: opts.source ?? `${AWS_PRICING_HOST} AmazonEC2 bulk offer file`,
      asOf: opts.asOf,
      line: 0,
    });
  }
  return out;
}

export async function refreshAws(options: RefreshOptions): Promise<ImportResult> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const env = options.env ?? process.env;
  const regions = options.regions?.length ? options.regions : [...AWS_REFRESH_REGIONS];
  const notes: ImportNote[] = [];
  const raws: RawOffer[] = [];
  for (const region of regions) {
    raws.push(...parseAwsOfferFile(await getJson(awsOfferUrl(region), fetchImpl), { asOf: options.asOf }));
  }
  const keyId = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (keyId && secret) {
    const types = [...new Set(raws.map((r) => r.instanceType))];
    for (const region of regions) {
      const url = signedEc2Url(region, types, { keyId, secret, sessionToken: env.AWS_SESSION_TOKEN }, new Date());
      const spot = awsSpotFromXml(await getText(url.url, fetchImpl, { headers: url.headers }));
      for (const r of raws) {
        if (r.region !== region) continue;
        const price = spot.get(r.instanceType);
        if (price !== undefined) r.spotHourlyUsd = price;
      }
    }
  } else {
    notes.push({
      cloud: "aws",
      line: 0,
      instanceType: "*",
      region: "*",
      action: "spot-dropped",
      reason:
        "no AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): spot prices come only from DescribeSpotPriceHistory, so they are left empty",
    });
  }
  return finalizeOffers("aws", raws, notes);
}
