import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEFAULT_CATALOG_PATH } from "../../platform/core/pricing/catalog";
import { buildCatalog } from "./build-catalog";

describe("build-catalog", () => {
  it("the shipped catalog is exactly what the recorded sources build (no hand edits)", () => {
    const { catalog: fresh } = buildCatalog();
    assert.deepEqual(JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, "utf8")), JSON.parse(JSON.stringify(fresh)));
  });
});
