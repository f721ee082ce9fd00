/** The `why` of each placement, exactly (deltas per month, 730 h): the top one, the best per cloud, the rest; spot and serverless notes. */
import assert from "node:assert/strict";
import type { ServerlessOffer } from "../pricing/types";
import { sizeModel } from "../sizing";
import { quote } from "./index";
import { now, offer, request, shipped, tiny } from "./testing";

describe("optimizer: why", () => {
  const total = sizeModel(request().model).totalGiB.toFixed(1);
  const holds = `1×H100 (80 GiB) holds the ${total} GiB needed`;

  it("says why for the top, the best per cloud and the rest, with exact deltas", () => {
    const cat = tiny([offer("aws", "a", 2), offer("aws", "b", 2.5), offer("gcp", "g", 3), offer("azure", "z", 14)]);
    const r = quote(request(), cat, { now });
    assert.deepEqual(
      r.placements.map((p) => p.why),
      [
        `cheapest per month of 4 feasible placements: ${holds}`,
        "rank 2: +$365.00/month (+25%) vs the top placement",
        `cheapest on gcp: ${holds}; +$730.00/month (+50%) vs the top placement`,
        `cheapest on azure: ${holds}; +$8760.00/month (+600%) vs the top placement`,
      ],
    );
  });

  it("spot: the discount against on-demand on the top and a cloud's first placement only", () => {
    const cat = tiny([offer("aws", "a", 5, 2), offer("aws", "b", 8, 2.5), offer("gcp", "g", 10, 4)]);
    const r = quote(request({ constraints: { capacity: "spot" } }), cat, { now });
    assert.deepEqual(
      r.placements.map((p) => p.why),
      [
        `cheapest per month of 3 feasible placements: ${holds}; spot, 60% below on-demand ($5.0000/h per replica) and can be reclaimed`,
        "rank 2: +$365.00/month (+25%) vs the top placement",
        `cheapest on gcp: ${holds}; +$1460.00/month (+100%) vs the top placement; spot, 60% below on-demand ($10.00/h per replica) and can be reclaimed`,
      ],
    );
  });

  it("spot without an on-demand floor says nothing about a discount", () => {
    const r = quote(
      request({ constraints: { capacity: "spot" } }),
      tiny([offer("gcp", "a3-highgpu-1g", 5, 2, { onDemandAvailable: false })]),
      { now },
    );
    assert.equal(r.placements[0]!.why, `cheapest per month of 1 feasible placements: ${holds}`);
    assert.equal(r.placements[0]!.onDemandUnitHourlyUsd, null);
  });

  it("serverless: billed for the active hours, on the top and a cloud's first placement only", () => {
    const sv = (sku: string, perSecondUsd: number): ServerlessOffer => ({
      ...shipped.serverless[0]!,
      cloud: "gcp",
      region: "r1",
      sku,
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      perSecondUsd,
    });
    const r = quote(request({ activeHoursPerDay: 6 }), tiny([], { serverless: [sv("s1", 0.001), sv("s2", 0.002)] }), {
      now,
    });
    assert.deepEqual(
      r.placements.map((p) => p.why),
      [
        `cheapest per month of 2 feasible placements: ${holds}; serverless, billed per second for 6 active h/day (a node bills 24 h)`,
        "rank 2: +$657.00/month (+100%) vs the top placement",
      ],
    );
  });

  it("serverless as the first placement of a cloud that is not the top one is explained too", () => {
    const run: ServerlessOffer = {
      ...shipped.serverless[0]!,
      cloud: "gcp",
      region: "r1",
      sku: "s",
      gpuType: "H100",
      gpuCount: 1,
      gpuMemoryGiB: 80,
      perSecondUsd: 0.001,
    };
    // aws $0.80/h × 730 h = $584/month; serverless $3.60/h × 730 × 6/24 h = $657/month
    const r = quote(request({ activeHoursPerDay: 6 }), tiny([offer("aws", "a", 0.8)], { serverless: [run] }), { now });
    assert.deepEqual(
      r.placements.map((p) => p.why),
      [
        `cheapest per month of 2 feasible placements: ${holds}`,
        `cheapest on gcp: ${holds}; +$73.00/month (+13%) vs the top placement; serverless, billed per second for 6 active h/day (a node bills 24 h)`,
      ],
    );
  });

  it("a free top placement gives absolute deltas only", () => {
    const r = quote(request(), tiny([offer("aws", "a", 0), offer("aws", "b", 1)]), { now });
    assert.equal(r.placements[1]!.why, "rank 2: +$730.00/month vs the top placement");
  });
});
