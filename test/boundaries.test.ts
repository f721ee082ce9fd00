import * as assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { checkBoundaries, describeReport, SOURCE_ROOTS } from "./boundaries";

const ROOT = resolve(__dirname, "..");

describe("import boundaries (dependency-cruiser)", () => {
  it("the project: no upward import, no value-import cycle between files, no folder cycle", async () => {
    const report = await checkBoundaries(ROOT, SOURCE_ROOTS);
    assert.ok(report.modules > 250, `cruised only ${report.modules} modules`);
    assert.equal(describeReport(report, ROOT), "");
  });

  it("a fixture with an upward import and a cycle fails, naming both files", async () => {
    const base = join(__dirname, "fixtures", "boundaries");
    const report = await checkBoundaries(base, ["platform", "api"]);
    const text = describeReport(report, base);
    assert.match(text, /core-imports-upward: platform\/core\/low\.ts imports api\/high\.ts/);
    assert.match(text, /no-value-cycles: /);
    assert.match(
      text,
      /folder cycle .*platform\/core\/low\.ts -> api\/high\.ts.*api\/high\.ts -> platform\/core\/low\.ts|folder cycle .*api\/high\.ts -> platform\/core\/low\.ts.*platform\/core\/low\.ts -> api\/high\.ts/,
    );
  });
});
