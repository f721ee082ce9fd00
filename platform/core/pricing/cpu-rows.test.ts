import * as assert from "node:assert/strict";
import { parseCsvRecords } from "./csv";
import { CPU_ROW_COLUMNS, cpuPricesFromRows } from "./cpu-rows";
import { defaultCatalog } from "./catalog";

const ctx = { cloud: "aws" as const, source: "test file", asOf: "2026-11-30" };
const rows = (lines: string[]) =>
  parseCsvRecords(
    [
      "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone",
      ...lines,
    ].join("\n"),
    CPU_ROW_COLUMNS,
  ).records;

describe("cpuPricesFromRows", () => {
  it("collapses zone rows into one on-demand price per region and type", () => {
    const { prices, notes } = cpuPricesFromRows(
      rows([
        "t3.large,,,2.0,8.0,,0.0832,0.0391,us-east-1,use1-az1",
        "t3.large,,,2.0,8.0,,0.0832,0.0448,us-east-1,use1-az2",
        "t3.large,,,2.0,8.0,,0.0912,0.054,eu-west-1,euw1-az1",
      ]),
      ctx,
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(
      prices.map((p) => [p.region, p.instanceType, p.onDemandHourlyUsd, p.vcpus, p.memoryGiB]),
      [
        ["eu-west-1", "t3.large", 0.0912, 2, 8],
        ["us-east-1", "t3.large", 0.0832, 2, 8],
      ],
    );
    assert.equal(prices[0]?.source, "test file");
  });

  it("keeps the higher price when zones disagree, and notes it", () => {
    const { prices, notes } = cpuPricesFromRows(
      rows(["m5.large,,,2.0,8.0,,0.096,,us-east-1,use1-az1", "m5.large,,,2.0,8.0,,0.1,,us-east-1,use1-az2"]),
      ctx,
    );
    assert.equal(prices[0]?.onDemandHourlyUsd, 0.1);
    assert.equal(notes.length, 1);
    assert.match(notes[0]?.reason ?? "", /zones disagree.*higher is kept/);
  });

  it("skips accelerator rows and notes a row without a usable price", () => {
    const { prices, notes } = cpuPricesFromRows(
      rows(["g6.xlarge,L4,1.0,4.0,16.0,,0.8048,0.3,us-east-1,use1-az1", "t3.large,,,2.0,8.0,,0.0,,us-east-1,use1-az1"]),
      ctx,
    );
    assert.deepEqual(prices, []);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.line, 3);
    assert.match(notes[0]?.reason ?? "", /no usable price/);
  });

  it("the shipped catalog prices each cloud's default system instance in the example platform's regions", () => {
    const cpu = defaultCatalog().cpuInstances ?? [];
    for (const [cloud, region, type] of [
      ["aws", "us-east-1", "t3.large"],
      ["gcp", "us-central1", "e2-standard-4"],
      ["azure", "westus3", "Standard_D4s_v5"],
    ] as const) {
      const row = cpu.find((c) => c.cloud === cloud && c.region === region && c.instanceType === type);
      assert.ok(row, `${cloud} ${region} ${type}`);
      assert.ok(row.onDemandHourlyUsd > 0);
      assert.match(row.source, /skypilot-catalog/);
    }
  });
});
