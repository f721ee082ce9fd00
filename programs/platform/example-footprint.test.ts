import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { footprintFromConfigFile } from "./footprint";

const ROOT = join(__dirname, "..", "..");

describe("examples/footprint-dev.json", () => {
  it("is the footprint of the shipped Pulumi.dev.yaml (the docs quote against it)", () => {
    const { source: _source, ...fromConfig } = footprintFromConfigFile(join(ROOT, "Pulumi.dev.yaml"));
    const example: unknown = JSON.parse(readFileSync(join(ROOT, "examples", "footprint-dev.json"), "utf8"));
    assert.deepEqual(example, JSON.parse(JSON.stringify(fromConfig)));
  });
});
