/**
 * The shipped catalog's egress rows outside the US (#10): each row names its source and the date
 * it was read, and moves the weights at the sourced figure; a move no source prices stays unpriced
 * (never a US figure stretched to another geography).
 */
import * as assert from "node:assert/strict";
import { defaultCatalog } from "./catalog";
import { weightsTransfer } from "./cost-model";

const shipped = defaultCatalog();
const move = (from: { cloud: "aws" | "gcp" | "azure"; region: string }, to: { cloud: string; region: string }) =>
  weightsTransfer(shipped, [from], to, 10)?.usd;
const close = (a: number | null | undefined, b: number) =>
  assert.ok(a != null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe("shipped catalog: egress outside the US", () => {
  it("every egress row names its source and the date it was read", () => {
    for (const e of shipped.egress ?? []) {
      assert.ok(e.source.length > 40, `${e.cloud} ${e.kind} ${e.geography}: source`);
      assert.match(e.asOf, /^2026-\d\d-\d\d$/);
      assert.ok(e.perGbUsd > 0 && e.perGbUsd < 1, `${e.cloud} ${e.kind} ${e.geography}: ${e.perGbUsd}`);
    }
    const outside = (shipped.egress ?? []).filter((e) => e.geography !== "us");
    assert.ok(outside.length >= 9, `${outside.length} non-US rows`);
    for (const e of outside) assert.equal(e.asOf, "2026-12-01");
  });

  it("prices Azure moves inside Europe, Asia, South America, Canada and the Middle East at the bandwidth page's figures", () => {
    close(move({ cloud: "azure", region: "westeurope" }, { cloud: "azure", region: "northeurope" }), 10 * 0.02);
    close(move({ cloud: "azure", region: "japaneast" }, { cloud: "azure", region: "southeastasia" }), 10 * 0.08);
    close(move({ cloud: "azure", region: "brazilsouth" }, { cloud: "azure", region: "chilecentral" }), 10 * 0.16);
    close(move({ cloud: "azure", region: "canadacentral" }, { cloud: "azure", region: "canadaeast" }), 10 * 0.02);
    close(move({ cloud: "azure", region: "uaenorth" }, { cloud: "azure", region: "qatarcentral" }), 10 * 0.08);
  });

  it("prices GCP internet egress from Europe, Asia and South America (Premium Tier, first tier)", () => {
    close(move({ cloud: "gcp", region: "europe-west4" }, { cloud: "aws", region: "eu-west-1" }), 10 * 0.12);
    close(move({ cloud: "gcp", region: "asia-northeast1" }, { cloud: "azure", region: "japaneast" }), 10 * 0.12);
    close(move({ cloud: "gcp", region: "southamerica-east1" }, { cloud: "kubernetes", region: "onprem" }), 10 * 0.12);
  });

  it("leaves unpriced what no source gave: AWS outside the US, GCP between non-US regions, Azure to the internet, Oceania", () => {
    assert.equal(move({ cloud: "aws", region: "eu-west-1" }, { cloud: "aws", region: "eu-central-1" }), null);
    assert.equal(move({ cloud: "aws", region: "eu-west-1" }, { cloud: "gcp", region: "europe-west4" }), null);
    assert.equal(move({ cloud: "gcp", region: "europe-west4" }, { cloud: "gcp", region: "europe-west1" }), null);
    assert.equal(move({ cloud: "azure", region: "westeurope" }, { cloud: "aws", region: "eu-west-1" }), null);
    assert.equal(
      move({ cloud: "azure", region: "australiaeast" }, { cloud: "azure", region: "australiasoutheast" }),
      null,
    );
    assert.equal(
      move({ cloud: "gcp", region: "australia-southeast1" }, { cloud: "aws", region: "ap-southeast-2" }),
      null,
    );
    // An inter-region price holds inside its geography only: Europe → Asia stays unpriced.
    assert.equal(move({ cloud: "azure", region: "westeurope" }, { cloud: "azure", region: "japaneast" }), null);
  });
});
