/**
 * Serverless and node placements rank on one monthly figure: compute for the hours each bills,
 * plus the weights' storage once. A near tie between the two is where a wrong sign would show.
 */
import assert from "node:assert/strict";
import { artifactSizeGiB } from "../pricing/cost-model";
import { quote } from "./index";
import { now, offer, request, shipped, tiny } from "./testing";

describe("optimizer: serverless and nodes on one monthly figure", () => {
  it("ranks a serverless SKU by its billed hours plus storage, against a node a few cents cheaper", () => {
    const base = shipped.serverless.find((s) => s.cloud === "gcp")!;
    const sizeGiB = artifactSizeGiB({ parametersBillions: 1, precision: "bf16" });
    const storageRow = { ...shipped.storage.find((s) => s.cloud === "gcp")!, perGbMonthUsd: 1 / sizeGiB };
    // Every hour active: the SKU bills 730 h at $1.0001/h, the node 730 h at $1/h; both pay $1 storage.
    const sku = { ...base, region: "r1", gpuType: "H100", gpuCount: 1, gpuMemoryGiB: 80, perSecondUsd: 1.0001 / 3600 };
    const r = quote(
      request({ activeHoursPerDay: 24, constraints: { capacity: "any", scope: "anywhere" } }),
      tiny([offer("gcp", "n1", 1)], { serverless: [sku], storage: [storageRow] }),
      { now },
    );
    assert.deepEqual(
      r.placements.map((p) => [p.capacity, Math.round(p.monthlyUsd * 1000) / 1000]),
      [
        ["on-demand", 731],
        ["serverless", 731.073],
      ],
    );
  });
});
