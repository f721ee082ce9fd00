import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PriceSourceUnavailableError } from "../../../platform/core/pricing/provider";
import { gcpSkusUrl, parseGcpSkus, refreshGcp } from "./refresh";

const page = (n: number): { skus: unknown[] } =>
  JSON.parse(readFileSync(join(__dirname, "fixtures", `skus-page${n}.json`), "utf8")) as { skus: unknown[] };
const near = (a: number | null | undefined, b: number): void =>
  assert.ok(typeof a === "number" && Math.abs(a - b) < 1e-6, `${String(a)} ≉ ${b}`);

describe("gcp pricing refresh (Cloud Billing Catalog API)", () => {
  const skus = [...page(1).skus, ...page(2).skus];

  it("prices a GPU VM as host vCPUs + host RAM + GPUs, on-demand and spot", () => {
    const r = parseGcpSkus(skus, { asOf: "2026-11-22" });
    const g2 = r.offers.find((o) => o.region === "us-central1" && o.instanceType === "g2-standard-4")!;
    near(g2.onDemandHourlyUsd, 4 * 0.024988 + 16 * 0.002927 + 0.56004);
    near(g2.spotHourlyUsd, 4 * 0.009996 + 16 * 0.001171 + 0.2231);
    const g2x8 = r.offers.find((o) => o.region === "us-east4" && o.instanceType === "g2-standard-96")!;
    near(g2x8.onDemandHourlyUsd, 96 * 0.024988 + 384 * 0.002927 + 8 * 0.56004);
    assert.equal(g2x8.gpuCount, 8);
  });

  it("never takes a commitment or DWS/Flex-start SKU as the on-demand price", () => {
    const r = parseGcpSkus(skus, { asOf: "2026-11-22" });
    const a3 = r.offers.find((o) => o.instanceType === "a3-highgpu-1g")!;
    near(a3.onDemandHourlyUsd, 26 * 0.025 + 234 * 0.002 + 9.79655); // not the $4.20076 DWS SKU
    assert.equal(a3.spotHourlyUsd, null); // no spot SKUs for A3 in the fixture
    // T4 has no N1 host SKUs in the fixture: no offer rather than a GPU priced without its host.
    assert.ok(!r.offers.some((o) => o.gpuType === "T4"));
  });

  it("pages with nextPageToken and needs an API key", async () => {
    const urls: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response(JSON.stringify(page(urls.length)));
    }) as typeof fetch;
    const r = await refreshGcp({ asOf: "2026-11-22", fetchImpl, env: { GCP_API_KEY: "k" }, regions: ["us-east4"] });
    assert.deepEqual(urls, [gcpSkusUrl("k"), gcpSkusUrl("k", "page-2")]);
    assert.ok(r.offers.length > 0 && r.offers.every((o) => o.region === "us-east4"));
    await assert.rejects(
      refreshGcp({ asOf: "2026-11-22", fetchImpl, env: {} }),
      (err: unknown) =>
        err instanceof PriceSourceUnavailableError &&
        err.host === "cloudbilling.googleapis.com" &&
        /GCP_API_KEY/.test(err.message),
    );
  });
});
