import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PriceSourceUnavailableError } from "../../../platform/core/pricing/provider";
import { azureRetailUrl, parseAzureRetailItems, refreshAzure } from "./refresh";

const page = (n: number): unknown =>
  JSON.parse(readFileSync(join(__dirname, "fixtures", `retail-prices-page${n}.json`), "utf8"));

describe("azure pricing refresh (Retail Prices API)", () => {
  it("keeps Linux pay-as-you-go and Spot meters; ignores Windows, Low Priority, reservations and other sizes", () => {
    const items = [...(page(1) as { Items: unknown[] }).Items, ...(page(2) as { Items: unknown[] }).Items];
    const r = parseAzureRetailItems(items, { asOf: "2026-11-22" });
    assert.deepEqual(
      r.offers.map((o) => `${o.region} ${o.instanceType} ${o.onDemandHourlyUsd} ${o.spotHourlyUsd}`),
      ["eastus Standard_NC24ads_A100_v4 3.673 0.7345", "westeurope Standard_ND96isr_H100_v5 98.32 null"],
    );
    const nd = r.offers[1]!;
    assert.equal(nd.gpuCount, 8);
    assert.ok(r.notes.some((n) => n.action === "spot-dropped" && n.instanceType === "Standard_ND96isr_H100_v5"));
  });

  it("follows NextPageLink and filters by size on the server", async () => {
    const urls: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response(JSON.stringify(page(urls.length)), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }) as typeof fetch;
    const r = await refreshAzure({ asOf: "2026-11-22", fetchImpl, regions: ["eastus"] });
    assert.equal(urls.length, 2);
    assert.ok(decodeURIComponent(urls[0]!).includes("armSkuName eq 'Standard_NC24ads_A100_v4'"));
    assert.ok(urls[0]!.startsWith("https://prices.azure.com/api/retail/prices?api-version="));
    assert.deepEqual(
      r.offers.map((o) => o.region),
      ["eastus"],
    );
    assert.ok(azureRetailUrl(["X"]).includes(encodeURIComponent("priceType eq 'Consumption'")));
  });

  it("fails with the host named when offline or refused", async () => {
    const offline = (async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND prices.azure.com") });
    }) as typeof fetch;
    await assert.rejects(
      refreshAzure({ asOf: "2026-11-22", fetchImpl: offline }),
      (err: unknown) =>
        err instanceof PriceSourceUnavailableError &&
        err.host === "prices.azure.com" &&
        /ENOTFOUND/.test(err.message) &&
        /pricing import/.test(err.message),
    );
    const refused = (async () => new Response("rate limited", { status: 429 })) as typeof fetch;
    await assert.rejects(refreshAzure({ asOf: "2026-11-22", fetchImpl: refused }), /HTTP 429/);
  });
});
