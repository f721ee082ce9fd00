/**
 * Tests for the serverless GPU region table: rows are sourced, lookups accept
 * provider spellings, and unlisted or unconfirmed regions are refused.
 */
import assert from "node:assert/strict";
import {
  SERVERLESS_CHECKED,
  SERVERLESS_GPU_OFFERS,
  serverlessGpuOffers,
  serverlessGpuRegions,
  serverlessGpuSupported,
} from "./serverless-regions";

describe("providers/limits/serverless-regions table", () => {
  it("every offer is sourced, dated and uses lowercase region ids", () => {
    assert.ok(SERVERLESS_GPU_OFFERS.length >= 3);
    for (const offer of SERVERLESS_GPU_OFFERS) {
      assert.equal(offer.checked, SERVERLESS_CHECKED);
      assert.equal(offer.checked, "2026-11-30");
      assert.ok(offer.source.title.length > 0, offer.gpu);
      assert.equal(new URL(offer.source.url).protocol, "https:");
      for (const region of offer.regions) assert.match(region, /^[a-z0-9-]+$/, `${offer.gpu}: ${region}`);
      for (const caveat of offer.caveatRegions ?? []) {
        assert.match(caveat.region, /^[a-z0-9-]+$/);
        assert.ok(!offer.regions.includes(caveat.region), `${caveat.region} is both confirmed and a caveat`);
        assert.ok(caveat.why.length > 0);
        assert.equal(new URL(caveat.source.url).protocol, "https:");
      }
      if (offer.confirmed === false) assert.ok((offer.note ?? "").length > 0, `${offer.gpu} needs a note`);
    }
  });

  it("has one offer per cloud and GPU", () => {
    const keys = SERVERLESS_GPU_OFFERS.map((offer) => `${offer.cloud}/${offer.gpu}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe("serverless GPU lookups", () => {
  it("Azure Container Apps: T4 and A100 differ by region", () => {
    assert.equal(serverlessGpuSupported("azure", "westeurope", "T4"), true);
    assert.equal(serverlessGpuSupported("azure", "westeurope", "A100"), false);
    assert.equal(serverlessGpuSupported("azure", "westus", "nvidia-a100"), true);
    assert.equal(serverlessGpuSupported("azure", "westus", "nvidia-t4"), false);
  });

  it("accepts display names and workload profile types", () => {
    assert.equal(serverlessGpuSupported("azure", "West US 3", "Consumption-GPU-NC8as-T4"), true);
    assert.equal(serverlessGpuSupported("azure", "Sweden Central", "NVIDIA A100"), true);
  });

  it("refuses a region the provider does not list", () => {
    assert.equal(serverlessGpuSupported("azure", "eastus2"), false);
    assert.equal(serverlessGpuSupported("azure", "eastus2", "T4"), false);
    assert.equal(serverlessGpuSupported("gcp", "europe-west2", "L4"), false);
    assert.equal(serverlessGpuSupported("gcp", "westus3"), false);
  });

  it("Cloud Run L4 regions, with the invitation-only region only on request", () => {
    assert.equal(serverlessGpuSupported("gcp", "us-central1", "nvidia-l4"), true);
    assert.equal(serverlessGpuSupported("gcp", "europe-west4", "L4"), true);
    assert.equal(serverlessGpuSupported("gcp", "asia-south1", "L4"), false);
    assert.equal(serverlessGpuSupported("gcp", "asia-south1", "L4", { includeUnconfirmed: true }), true);
  });

  it("does not claim regions for a GPU whose regions were not read", () => {
    assert.deepEqual(serverlessGpuRegions("gcp", "nvidia-rtx-pro-6000"), []);
    assert.equal(serverlessGpuOffers("gcp", "rtx-pro-6000").length, 1);
  });

  it("returns nothing for an unknown GPU, and the union without one", () => {
    assert.deepEqual(serverlessGpuRegions("azure", "H100"), []);
    assert.deepEqual(serverlessGpuRegions("gcp", "T4"), []);
    const all = serverlessGpuRegions("azure");
    for (const region of ["westus3", "westus", "australiaeast", "swedencentral", "westeurope"]) {
      assert.ok(all.includes(region), region);
    }
    assert.deepEqual([...all], [...all].sort());
  });

  it("keeps third-party regions out unless asked", () => {
    assert.equal(serverlessGpuSupported("azure", "italynorth", "A100"), false);
    assert.equal(serverlessGpuSupported("azure", "italynorth", "A100", { includeUnconfirmed: true }), true);
    const confirmed = serverlessGpuRegions("azure", "T4");
    const withCaveats = serverlessGpuRegions("azure", "T4", { includeUnconfirmed: true });
    assert.ok(withCaveats.length > confirmed.length);
  });
});
