import assert from "node:assert/strict";
import { parseFootprint } from "../footprint";
import type { ServerlessOffer } from "../pricing/types";
import { ValidationError } from "../validation";
import { catalogRegions, resolveRegions } from "./regions";
import { offer, tiny } from "./testing";

/** A fresh catalog per test (the region index is kept per catalog object): GPU offers in aws us-east-1 only. */
const catalog = () => tiny([offer("aws", "a", 1, null, { region: "us-east-1" })]);

describe("optimizer: resolveRegions with a footprint, catalogRegions on a new catalog", () => {
  it("accepts the region of a brought (kubernetes) cluster, not that of a cloud cluster the catalog has no offer in", () => {
    const fp = parseFootprint({
      source: { kind: "config", file: "t.yaml" },
      clusters: [
        { cloud: "aws", region: "us-west-9", name: "w", pools: [] },
        { cloud: "kubernetes", region: "onprem-fra", name: "lab", pools: [] },
      ],
    });
    const cat = catalog();
    assert.deepEqual(resolveRegions(["onprem-fra", "us-east-1"], ["aws", "kubernetes"], cat, fp), [
      "onprem-fra",
      "us-east-1",
    ]);
    assert.deepEqual(resolveRegions(["onprem-fra"], undefined, cat, fp), ["onprem-fra"]);
    assert.throws(
      () => resolveRegions(["us-west-9"], undefined, cat, fp),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "constraints.regions[0]" &&
        /"us-west-9" is not a region/.test(e.message),
    );
    assert.throws(
      () => resolveRegions(["us-west-9"], ["aws", "kubernetes"], cat, fp),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "constraints.regions[0]" &&
        /"us-west-9" is not a region/.test(e.message),
    );
  });

  it("names kubernetes as the cloud left out only for a brought cluster's region", () => {
    const fp = parseFootprint({
      source: { kind: "config", file: "t.yaml" },
      clusters: [
        { cloud: "aws", region: "us-west-9", name: "w", pools: [] },
        { cloud: "kubernetes", region: "onprem-fra", name: "lab", pools: [] },
      ],
    });
    const message = (name: string, clouds: ("aws" | "gcp" | "kubernetes")[] | undefined, withFp = true): string => {
      try {
        resolveRegions([name], clouds, catalog(), withFp ? fp : undefined);
      } catch (e) {
        if (e instanceof ValidationError) return e.message;
        throw e;
      }
      return assert.fail(`expected ${name} to be refused`);
    };
    const hint = "(it is a kubernetes region; constraints.clouds leaves kubernetes out)";
    assert.ok(message("onprem-fra", ["aws"]).includes(hint));
    assert.ok(!message("mars-1", ["aws"]).includes("kubernetes"), "another region: no hint");
    assert.ok(!message("us-west-9", ["gcp"]).includes("kubernetes"), "a cloud cluster's region: no hint");
    assert.ok(!message("onprem-fra", ["aws"], false).includes("kubernetes"), "no footprint: no hint");
  });

  it("indexes a catalog it has not seen: every cloud listed, GPU and serverless regions, the same map on the next call", () => {
    const cat = tiny([offer("gcp", "g", 1, null, { region: "us-central1" })], {
      serverless: [{ cloud: "azure", region: "westus3" } as ServerlessOffer],
    });
    const m = catalogRegions(cat);
    assert.deepEqual(
      [...m].map(([cloud, regions]) => [cloud, [...regions]]),
      [
        ["aws", []],
        ["gcp", ["us-central1"]],
        ["azure", ["westus3"]],
      ],
    );
    assert.equal(catalogRegions(cat), m);
    assert.deepEqual(resolveRegions(["us"], undefined, catalog()), ["us-east-1"]);
  });
});
