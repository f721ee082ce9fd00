import assert from "node:assert/strict";
import { inGeography } from "../geography";
import type { Cloud } from "../types";
import { defaultCatalog } from "../pricing/catalog";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote } from "./index";

describe("optimizer: region constraints", () => {
  const catalog = defaultCatalog();
  const now = new Date("2026-11-23T00:00:00Z");
  const model = { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } as const;
  const fails = (constraints: Record<string, unknown>, field: string, message: RegExp) =>
    assert.throws(
      () => quote(parseQuoteRequest({ model, constraints }), catalog, { now }),
      (e: unknown) => e instanceof ValidationError && e.field === field && message.test(e.message),
    );

  it("rejects an unknown region code, naming it with a did-you-mean", () => {
    fails(
      { clouds: ["aws"], regions: ["us-east-1", "us-east1"] },
      "constraints.regions[1]",
      /"us-east1" is not a region with GPU offers on aws \(it is a gcp region; constraints.clouds leaves gcp out\); did you mean "us-east-1"\?/,
    );
    fails({ regions: ["estus"] }, "constraints.regions[0]", /did you mean "eastus"\?/);
    fails({ regions: ["mars-1"] }, "constraints.regions[0]", /"mars-1" is not a region/);
  });

  it("expands geography groups per cloud, and rejects a group with no region on the clouds asked", () => {
    const eu = quote(parseQuoteRequest({ model, constraints: { regions: ["eu"] } }), catalog, { now, limit: 1000 });
    assert.ok(eu.placements.length > 5);
    for (const p of eu.placements) assert.ok(inGeography("eu", p.cloud as Cloud, p.region), `${p.cloud} ${p.region}`);
    assert.ok(new Set(eu.placements.map((p) => p.cloud)).size >= 2, "both aws and gcp in Europe");
    const us = quote(parseQuoteRequest({ model, constraints: { regions: ["us"], clouds: ["azure"] } }), catalog, {
      now,
      limit: 1000,
    });
    assert.ok(us.placements.length > 0 && us.placements.every((p) => p.cloud === "azure" && /us\d?$/.test(p.region)));
    fails({ regions: ["eu"], clouds: ["azure"] }, "constraints.regions[0]", /no region in eu/);
  });
});
