import assert from "node:assert/strict";
import { ValidationError } from "../validation";
import { catalogRegions, resolveRegions } from "./regions";
import { offer, tiny } from "./testing";
import { broughtFootprint } from "./test-fixtures";
import type { ServerlessOffer } from "../pricing/types";

/** A catalog with GPU offers in aws us-east-1 and eu-west-1, gcp us-central1, and one azure serverless region. */
const serverless = { cloud: "azure", region: "westus3" } as ServerlessOffer;
const catalog = tiny(
  [
    offer("aws", "a", 1, null, { region: "us-east-1" }),
    offer("aws", "b", 1, null, { region: "eu-west-1" }),
    offer("aws", "c", 1, null, { region: "us-east-1" }),
    offer("gcp", "d", 1, null, { region: "us-central1" }),
  ],
  { serverless: [serverless] },
);

const failure = (fn: () => unknown): ValidationError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  assert.fail("expected a ValidationError");
};

describe("optimizer: resolveRegions (exact)", () => {
  it("lists each cloud's regions from GPU offers and serverless offers, once each", () => {
    const m = catalogRegions(catalog);
    assert.deepEqual([...(m.get("aws") ?? [])], ["us-east-1", "eu-west-1"]);
    assert.deepEqual([...(m.get("gcp") ?? [])], ["us-central1"]);
    assert.deepEqual([...(m.get("azure") ?? [])], ["westus3"]);
    assert.equal(catalogRegions(catalog), m, "built once per catalog");
  });

  it("returns undefined without a constraint, and the codes as given (trimmed, deduplicated) with one", () => {
    assert.equal(resolveRegions(undefined, undefined, catalog), undefined);
    assert.deepEqual(resolveRegions([" us-east-1 ", "us-east-1", "westus3"], undefined, catalog), [
      "us-east-1",
      "westus3",
    ]);
    assert.deepEqual(resolveRegions([], undefined, catalog), []);
  });

  it("expands a geography, case-insensitively, to the asked clouds' regions in it only", () => {
    assert.deepEqual(resolveRegions(["EU"], undefined, catalog), ["eu-west-1"]);
    assert.deepEqual(resolveRegions(["us"], ["gcp", "azure"], catalog), ["us-central1", "westus3"]);
    assert.deepEqual(resolveRegions(["us"], ["aws"], catalog), ["us-east-1"]);
  });

  it("refuses a geography with no region on the asked clouds, naming the group, its name and the clouds", () => {
    const e = failure(() => resolveRegions(["us-central1", "eu"], ["gcp", "azure"], catalog));
    assert.equal(e.field, "constraints.regions[1]");
    assert.match(
      e.message,
      /the catalog has no region in eu \(Europe [^)]*\)\) on gcp, azure; drop it or widen constraints\.clouds/,
    );
  });

  it("accepts a brought cluster's region only through the footprint, and only when kubernetes is asked (or all)", () => {
    const fp = broughtFootprint();
    assert.deepEqual(resolveRegions(["onprem-fra"], ["kubernetes"], catalog, fp), ["onprem-fra"]);
    assert.deepEqual(resolveRegions(["onprem-fra"], undefined, catalog, fp), ["onprem-fra"]);
    const e = failure(() => resolveRegions(["onprem-fra"], ["kubernetes"], catalog));
    assert.equal(e.field, "constraints.regions[0]");
    const left = failure(() => resolveRegions(["onprem-fra"], ["aws"], catalog, fp));
    assert.match(left.message, /on aws \(it is a kubernetes region; constraints\.clouds leaves kubernetes out\)/);
  });

  it("names the other cloud that has the region, and the did-you-mean, only when they exist", () => {
    const other = failure(() => resolveRegions(["us-central1"], ["aws"], catalog));
    assert.equal(
      other.message,
      `constraints.regions[0]: "us-central1" is not a region with GPU offers on aws (it is a gcp region; constraints.clouds leaves gcp out); geography groups (us, ca, eu, asia, oceania, sa, me, af) are accepted too`,
    );
    const guess = failure(() => resolveRegions(["us-east-2"], ["aws"], catalog));
    assert.equal(
      guess.message,
      `constraints.regions[0]: "us-east-2" is not a region with GPU offers on aws; did you mean "us-east-1"?; geography groups (us, ca, eu, asia, oceania, sa, me, af) are accepted too`,
    );
    const none = failure(() => resolveRegions(["mars-1"], undefined, catalog));
    assert.equal(
      none.message,
      `constraints.regions[0]: "mars-1" is not a region with GPU offers on aws, gcp, azure; geography groups (us, ca, eu, asia, oceania, sa, me, af) are accepted too`,
    );
    assert.equal(none.field, "constraints.regions[0]");
  });
});
