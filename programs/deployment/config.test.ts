import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../../platform/core/validation";
import { specFromConfig, type ConfigReader } from "./config";

function reader(values: Record<string, unknown>): ConfigReader {
  return {
    get: (key) => (typeof values[key] === "string" ? (values[key] as string) : undefined),
    getObject: <T>(key: string) => values[key] as T | undefined,
  };
}

const example: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, "examples", "llama-70b-spot.json"), "utf8"),
);

describe("deployment stack config", () => {
  const tempDirs: string[] = [];
  after(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it("reads the shipped example through specFile, relative to the project dir", () => {
    const spec = specFromConfig(reader({ specFile: "examples/llama-70b-spot.json" }), __dirname);
    assert.equal(spec.placement.gpuCount, 2);
    assert.equal(spec.platformStack, "acme/modelplane-platform/dev");
  });

  it("reads an inline spec and names the config key and field on error", () => {
    assert.equal(specFromConfig(reader({ spec: example }), __dirname).tenant, "research");
    const bad = structuredClone(example);
    (bad["placement"] as Record<string, unknown>)["gpuCount"] = 0;
    assert.throws(
      () => specFromConfig(reader({ spec: bad }), __dirname),
      (e: unknown) => e instanceof ValidationError && e.field === "modelplane-deployment:spec.placement.gpuCount",
    );
  });

  it("names the file on bad JSON and refuses both or neither source", () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-spec-"));
    tempDirs.push(dir);
    writeFileSync(join(dir, "bad.json"), "{ nope");
    assert.throws(() => specFromConfig(reader({ specFile: "bad.json" }), dir), /bad\.json is not valid JSON/);
    assert.throws(
      () => specFromConfig(reader({}), dir),
      (e: unknown) => e instanceof ValidationError && e.field === "modelplane-deployment:specFile",
    );
    assert.throws(() => specFromConfig(reader({ spec: example, specFile: "x.json" }), dir), /not both/);
  });
});
