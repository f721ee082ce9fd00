import * as assert from "node:assert/strict";
import { clusterAt, parseFootprint, requireCluster } from "./footprint";
import { ValidationError } from "./validation";

const base = {
  source: { kind: "config", file: "Pulumi.dev.yaml" },
  clusters: [
    { cloud: "aws", region: "us-east-1", name: "aws-us-east-1", pools: [] },
    { cloud: "aws", region: "eu-west-1", name: "aws-eu-west-1", pools: [] },
  ],
};

describe("footprint", () => {
  it("finds the cluster of a placement's cloud and region, and only that one", () => {
    const fp = parseFootprint(base);
    assert.equal(clusterAt(fp, "aws", "eu-west-1")?.name, "aws-eu-west-1");
    assert.equal(clusterAt(fp, "aws", "eu-south-2"), undefined);
    assert.equal(clusterAt(fp, "gcp", "us-east-1"), undefined);
  });

  it("refuses a placement outside it, naming placement.region and listing the footprint", () => {
    const fp = parseFootprint(base);
    assert.throws(
      () => requireCluster(fp, "aws", "eu-south-2"),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.field === "placement.region" &&
        e.message.includes("aws us-east-1, aws eu-west-1"),
    );
  });

  it("refuses two clusters in one cloud and region, naming the second", () => {
    const dup = { ...base, clusters: [...base.clusters, { ...base.clusters[0], name: "again" }] };
    assert.throws(
      () => parseFootprint(dup),
      (e: unknown) => e instanceof ValidationError && e.field === "footprint.clusters[2]",
    );
  });

  it("names the bad field of malformed data", () => {
    const bad = { ...base, clusters: [{ ...base.clusters[0], cloud: "oracle" }] };
    assert.throws(
      () => parseFootprint(bad),
      (e: unknown) => e instanceof ValidationError && e.field === "footprint.clusters[0].cloud",
    );
  });
});
