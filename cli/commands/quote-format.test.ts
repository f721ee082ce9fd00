/** The quote table names a pool whose nodes carry several replicas, with how many a node carries (#10). */
import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import { parseQuoteRequest, quote } from "../../platform/core/optimizer";
import { packedFootprint } from "../../platform/core/optimizer/test-fixtures";
import { formatQuote } from "./quote-format";

describe("quote table: pools whose nodes carry several replicas", () => {
  it("shows the pool with its replicas per node, and the replica's GPUs", () => {
    const catalog = defaultCatalog();
    const request = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      replicas: 3,
      constraints: { clouds: ["gcp"], capacity: "spot" },
    });
    const result = quote(request, catalog, { now: new Date("2026-11-23T00:00:00Z"), footprint: packedFootprint() });
    const row = formatQuote(result)
      .split("\n")
      .find((l) => /^1\s/.test(l));
    assert.ok(row, formatQuote(result));
    assert.match(row, /g2-standard-24\s+1×L4\s+spot\s+l4x2 \(2\/node\)/);
  });
});
