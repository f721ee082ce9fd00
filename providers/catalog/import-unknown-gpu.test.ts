/**
 * The GPU list is the GPU spec table: a row whose accelerator the table knows (by name or alias)
 * imports, even when the cloud's own name map lacks it; any other accelerator becomes an import
 * note naming the row (instance type, region) and the accelerator, never a silent drop. Checked
 * against the reference rows copied from the public SkyPilot catalog.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CATALOG_DATA_DIR } from "../../platform/core/pricing/catalog";
import { parseCsvRecords } from "../../platform/core/pricing/csv";
import { CLOUDS } from "../../platform/core/types";
import { skypilotGpuType } from "../../platform/core/pricing/skypilot-row";
import { pricingFor } from "../registry";
import { importSkypilotCsv } from "./import";
import { buildCatalog } from "./build-catalog";

const REFERENCE = join(CATALOG_DATA_DIR, "sources", "reference");
const ctx = { source: "test", asOf: "2026-11-22", includeLocalZones: false };
const gpuNote = /^GPU "([^"]+)" not in the GPU list/;

describe("import: an unknown GPU is a note naming the row", () => {
  for (const cloud of CLOUDS) {
    it(`${cloud}: every reference row with an accelerator outside the GPU list has a note`, () => {
      const pricing = pricingFor(cloud);
      const text = readFileSync(join(REFERENCE, cloud, "vms.csv"), "utf8");
      const { records } = parseCsvRecords(text, pricing.skypilotColumns, "vms.csv");
      const unknown = records.filter(
        (r) => r.fields.AcceleratorName && !skypilotGpuType(pricing.skypilotGpuNames, r.fields.AcceleratorName),
      );
      const notes = importSkypilotCsv(cloud, text, ctx).notes.filter((n) => gpuNote.test(n.reason));
      assert.deepEqual(
        notes.map((n) => n.line).sort((a, b) => a - b),
        unknown.map((r) => r.line).sort((a, b) => a - b),
      );
      for (const n of notes) {
        const row = unknown.find((r) => r.line === n.line)!;
        assert.equal(n.region, row.fields.Region);
        assert.equal(n.action, "rejected");
        assert.equal(gpuNote.exec(n.reason)?.[1], row.fields.AcceleratorName);
        if (row.fields.InstanceType) assert.equal(n.instanceType, row.fields.InstanceType);
        else assert.ok(n.instanceType.startsWith(`${row.fields.AcceleratorName}:`), n.instanceType);
      }
    });
  }

  it("a GPU the spec table does not know is noted too, and the reason says so", () => {
    const pricing = pricingFor("aws");
    const text = readFileSync(join(REFERENCE, "aws", "vms.csv"), "utf8");
    const { records } = parseCsvRecords(text, pricing.skypilotColumns, "vms.csv");
    const row = records.find((r) => r.fields.AcceleratorName && pricing.skypilotGpuNames[r.fields.AcceleratorName]);
    assert.ok(row);
    const lines = text.split("\n");
    const header = lines[0]!.split(",");
    const col = header.indexOf("AcceleratorName");
    const cells = lines[row.line - 1]!.split(",");
    cells[col] = "NotAGpu9000";
    const notes = importSkypilotCsv("aws", `${lines[0]}\n${cells.join(",")}\n`, ctx).notes;
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.reason, /GPU "NotAGpu9000" not in the GPU list \(the GPU spec table: .*V100.*\)/);
    assert.equal(notes[0]!.instanceType, row.fields.InstanceType);
  });

  it("a GPU the table knows imports even when the cloud's name map lacks it (V100 on AWS)", () => {
    const pricing = pricingFor("aws");
    assert.equal(pricing.skypilotGpuNames.V100, undefined, "premise: AWS's name map has no V100");
    const text = readFileSync(join(REFERENCE, "aws", "vms.csv"), "utf8");
    const offers = importSkypilotCsv("aws", text, ctx).offers.filter((o) => o.gpuType === "V100");
    assert.ok(offers.length > 0, "the reference rows hold p3 (V100) rows");
    for (const o of offers) assert.match(o.instanceType, /^p3/);
  });

  it("the shipped build's notes are the recorded import-notes.json, with no GPU of the table among them", () => {
    const notes = buildCatalog().notes;
    assert.deepEqual(
      JSON.parse(readFileSync(join(CATALOG_DATA_DIR, "import-notes.json"), "utf8")),
      JSON.parse(JSON.stringify(notes)),
    );
    assert.deepEqual(
      notes.filter((n) => gpuNote.test(n.reason)),
      [],
    );
    assert.ok(buildCatalog().catalog.gpuOffers.some((o) => o.gpuType === "V100"));
  });
});
