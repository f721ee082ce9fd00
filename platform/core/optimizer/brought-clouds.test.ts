/**
 * `constraints.clouds` names brought clusters too (#10): `kubernetes` keeps or leaves out the
 * footprint's `cloud: kubernetes` clusters, like any cloud, and their regions are known to the
 * region check only when kubernetes is asked for.
 */
import assert from "node:assert/strict";
import { ValidationError } from "../validation";
import { parseQuoteRequest, quote } from "./index";
import { broughtFootprint } from "./test-fixtures";
import { now, shipped } from "./testing";

const footprint = broughtFootprint();
const ask = (constraints: Record<string, unknown>) =>
  parseQuoteRequest({
    model: { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 4096 },
    constraints,
  });
const clouds = (constraints: Record<string, unknown>) => [
  ...new Set(quote(ask(constraints), shipped, { footprint, now }).placements.map((p) => p.cloud)),
];

function fieldOf(run: () => unknown): { field: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return { field: err.field, message: err.message };
    throw err;
  }
  return assert.fail("expected a ValidationError");
}

describe("optimizer: constraints.clouds and brought clusters", () => {
  it("without clouds, the footprint's brought pool and its cloud pools both rank", () => {
    assert.deepEqual(clouds({}).sort(), ["gcp", "kubernetes"]);
  });

  it("kubernetes alone keeps only the brought cluster's priced pool; a catalog cloud leaves it out", () => {
    assert.deepEqual(clouds({ clouds: ["kubernetes"] }), ["kubernetes"]);
    const only = quote(ask({ clouds: ["kubernetes"] }), shipped, { footprint, now }).placements;
    assert.deepEqual(
      only.map((p) => `${p.cluster}/${p.pool}`),
      ["lab/a100"],
      "the unpriced l4 pool is never ranked",
    );
    assert.deepEqual(clouds({ clouds: ["gcp"] }), ["gcp"]);
  });

  it("a brought region is a known region only when kubernetes is asked for", () => {
    assert.deepEqual(clouds({ clouds: ["kubernetes"], regions: ["onprem-fra"] }), ["kubernetes"]);
    assert.deepEqual(clouds({ regions: ["onprem-fra"] }), ["kubernetes"]);
    const refused = fieldOf(() =>
      quote(ask({ clouds: ["gcp"], regions: ["onprem-fra"] }), shipped, { footprint, now }),
    );
    assert.equal(refused.field, "constraints.regions[0]");
    assert.match(refused.message, /not a region with GPU offers on gcp/);
    assert.match(refused.message, /constraints\.clouds leaves kubernetes out/);
  });

  it("the error for a catalog region names kubernetes among the clouds asked", () => {
    const refused = fieldOf(() =>
      quote(ask({ clouds: ["kubernetes"], regions: ["us-central1"] }), shipped, { footprint, now }),
    );
    assert.equal(refused.field, "constraints.regions[0]");
    assert.match(refused.message, /on kubernetes \(it is a gcp region; constraints\.clouds leaves gcp out\)/);
  });

  it("an unknown cloud name is refused naming the entry and listing kubernetes", () => {
    const refused = fieldOf(() => ask({ clouds: ["k8s"] }));
    assert.equal(refused.field, "constraints.clouds[0]");
    assert.match(refused.message, /kubernetes/);
  });
});
