import assert from "node:assert/strict";
import { parseFootprint } from "../footprint";
import { ValidationError } from "../validation";
import { resolveRegions } from "./regions";
import { offer, tiny } from "./testing";

/** GPU offers in aws us-east-1 only. */
const catalog = tiny([offer("aws", "a", 1, null, { region: "us-east-1" })]);

describe("optimizer: resolveRegions with a footprint", () => {
  it("accepts the region of a brought (kubernetes) cluster, not that of a cloud cluster the catalog has no offer in", () => {
    const fp = parseFootprint({
      source: { kind: "config", file: "t.yaml" },
      clusters: [
        { cloud: "aws", region: "us-west-9", name: "w", pools: [] },
        { cloud: "kubernetes", region: "onprem-fra", name: "lab", pools: [] },
      ],
    });
    assert.deepEqual(resolveRegions(["onprem-fra", "us-east-1"], ["aws"], catalog, fp), ["onprem-fra", "us-east-1"]);
    assert.throws(
      () => resolveRegions(["us-west-9"], ["aws"], catalog, fp),
      (e: unknown) => e instanceof ValidationError && e.field === "constraints.regions[0]" && /"us-west-9" is not a region/.test(e.message),
    );
  });
});
