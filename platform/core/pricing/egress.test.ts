/**
 * `weightsTransfer`: which store the weights come from and what one copy costs to move, on a
 * hand-made catalog whose egress rows all differ, so every choice shows in the figure.
 */
import * as assert from "node:assert/strict";
import type { Catalog, EgressPrice } from "./types";
import { weightsTransfer } from "./cost-model";

const row = (cloud: EgressPrice["cloud"], kind: EgressPrice["kind"], geography: string, perGbUsd: number) => ({
  cloud,
  kind,
  geography,
  perGbUsd,
  source: `fixture: ${cloud} ${kind} ${geography}`,
  asOf: "2026-11-30",
});

function catalog(egress: EgressPrice[] | undefined): Catalog {
  return {
    version: "test",
    asOf: "2026-11-30",
    gpuOffers: [],
    serverless: [],
    storage: [],
    controlPlanes: [],
    ...(egress ? { egress } : {}),
  } as Catalog;
}

// Rows listed so that a wrong match (cloud, kind or geography ignored) picks a different price.
const EGRESS = [
  row("aws", "inter-region", "eu", 0.5),
  row("gcp", "internet", "us", 0.7),
  row("aws", "internet", "eu", 0.6),
  row("aws", "inter-region", "us", 0.02),
  row("aws", "internet", "us", 0.09),
  row("gcp", "inter-region", "us", 0.03),
];

describe("weightsTransfer", () => {
  const cat = catalog(EGRESS);

  it("no store known: nothing to price", () => {
    assert.equal(weightsTransfer(cat, [], { cloud: "aws", region: "us-east-1" }, 10), undefined);
  });

  it("a store in the same cloud and region: free", () => {
    const t = weightsTransfer(cat, [{ cloud: "aws", region: "us-east-1" }], { cloud: "aws", region: "us-east-1" }, 10);
    assert.deepEqual(t && { usd: t.usd, from: t.from }, { usd: 0, from: { cloud: "aws", region: "us-east-1" } });
  });

  it("the same region name on another cloud is not local: internet egress of the store's cloud", () => {
    const t = weightsTransfer(
      cat,
      [{ cloud: "aws", region: "us-east-1" }],
      { cloud: "kubernetes", region: "us-east-1" },
      10,
    );
    assert.equal(t?.usd, 10 * 0.09);
  });

  it("within one cloud: the store cloud's inter-region price for its geography", () => {
    const t = weightsTransfer(cat, [{ cloud: "aws", region: "us-east-1" }], { cloud: "aws", region: "us-west-2" }, 10);
    assert.equal(t?.usd, 10 * 0.02);
    assert.match(t?.note ?? "", /aws us-east-1 store at \$0\.02\/GB inter-region egress \(fixture\)/);
  });

  it("to another cloud: the store cloud's internet price, not the destination's", () => {
    const t = weightsTransfer(
      cat,
      [{ cloud: "aws", region: "us-east-1" }],
      { cloud: "gcp", region: "us-central1" },
      10,
    );
    assert.equal(t?.usd, 10 * 0.09);
  });

  it("an inter-region price holds only inside its geography: us → eu is unpriced", () => {
    const t = weightsTransfer(cat, [{ cloud: "aws", region: "us-east-1" }], { cloud: "aws", region: "eu-west-1" }, 10);
    assert.equal(t?.usd, null);
    assert.equal(t?.from, null);
    assert.match(t?.note ?? "", /unpriced: the catalog has no egress price from aws us-east-1 to there/);
  });

  it("the cheapest priced store wins; a tie keeps the first", () => {
    const stores = [
      { cloud: "aws" as const, region: "us-east-1" },
      { cloud: "gcp" as const, region: "us-central1" },
    ];
    // aws → gcp costs aws internet (0.09); gcp → gcp us-east4 costs gcp inter-region (0.03).
    const t = weightsTransfer(cat, stores, { cloud: "gcp", region: "us-east4" }, 10);
    assert.deepEqual(t?.from, { cloud: "gcp", region: "us-central1" });
    assert.ok(Math.abs((t?.usd ?? 0) - 0.3) < 1e-12);
    // Dearer second store: the first is kept.
    const reversed = weightsTransfer(
      catalog([row("aws", "internet", "us", 0.01), row("gcp", "internet", "us", 0.05)]),
      stores,
      { cloud: "azure", region: "eastus" },
      10,
    );
    assert.deepEqual(reversed?.from, { cloud: "aws", region: "us-east-1" });
    // Equal prices: the first store is kept.
    const tie = weightsTransfer(
      catalog([row("aws", "internet", "us", 0.05), row("gcp", "internet", "us", 0.05)]),
      stores,
      { cloud: "azure", region: "eastus" },
      10,
    );
    assert.deepEqual(tie?.from, { cloud: "aws", region: "us-east-1" });
  });

  it("a catalog without egress prices leaves every move unpriced", () => {
    const t = weightsTransfer(
      catalog(undefined),
      [{ cloud: "aws", region: "us-east-1" }],
      { cloud: "gcp", region: "us-central1" },
      10,
    );
    assert.equal(t?.usd, null);
  });
});
