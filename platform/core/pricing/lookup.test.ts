/** Lookups into a catalog other than the shipped one: clouds it has no offers for, a new catalog object. */
import assert from "node:assert/strict";
import { defaultCatalog } from "./catalog";
import { findGpuOffer, gpuTypesOffered } from "./lookup";
import type { Catalog } from "./types";

describe("catalog lookups on a small catalog", () => {
  const row = defaultCatalog().gpuOffers.find((o) => o.cloud === "aws")!;
  const awsOnly: Catalog = {
    version: "t",
    asOf: "2026-11-20",
    gpuOffers: [row],
    serverless: [],
    storage: [],
    controlPlanes: [],
  };

  it("a cloud with no offers has no GPU types", () => {
    assert.deepEqual(gpuTypesOffered(awsOnly, "gcp"), []);
    assert.deepEqual(gpuTypesOffered(awsOnly, "aws"), [row.gpuType]);
  });

  it("returns a copy of the GPU type list", () => {
    gpuTypesOffered(awsOnly, "aws").push("H100");
    assert.deepEqual(gpuTypesOffered(awsOnly, "aws"), [row.gpuType]);
  });

  it("indexes each catalog object on its own", () => {
    const other: Catalog = { ...awsOnly, gpuOffers: [] };
    assert.equal(findGpuOffer(awsOnly, row), row);
    assert.equal(findGpuOffer(other, row), undefined);
  });
});
