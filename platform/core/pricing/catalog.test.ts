import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "../validation";
import { catalogAgeDays, defaultCatalog, loadCatalog } from "./catalog";
import { controlPlanePrice, findGpuOffer, findServerlessOffer, gpuTypesOffered, storagePrice } from "./lookup";
import { GPU_MEMORY_GIB } from "../gpus";
import { GPU_TYPES, CLOUDS } from "../types";

/** Temp dirs this file made; removed after the suite so the run leaves nothing behind. */
const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function writeTemp(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mp-cat-"));
  tempDirs.push(dir);
  const file = join(dir, "catalog.json");
  writeFileSync(file, content);
  return file;
}

describe("catalog", () => {
  const catalog = defaultCatalog();

  it("loads once and returns the same object", () => {
    assert.equal(defaultCatalog(), catalog);
  });

  it("has trustworthy rows: provenance on each, whole GPUs, spot below on-demand, no opt-in zones", () => {
    for (const o of catalog.gpuOffers) {
      assert.ok(o.source.length > 10 && /^\d{4}-\d{2}-\d{2}$/.test(o.asOf), `${o.instanceType}`);
      assert.ok(Number.isInteger(o.gpuCount) && [1, 2, 4, 8].includes(o.gpuCount), `${o.instanceType} ${o.gpuCount}`);
      assert.ok(o.onDemandHourlyUsd > 0);
      assert.ok(o.spotHourlyUsd === null || (o.spotHourlyUsd > 0 && o.spotHourlyUsd < o.onDemandHourlyUsd));
      assert.equal(o.gpuMemoryGiB, GPU_MEMORY_GIB[o.gpuType]);
      assert.ok(!/-(lax|atl|bos|mia|wl)\d*-/.test(o.region), o.region);
    }
    for (const x of [...catalog.serverless, ...catalog.storage, ...catalog.controlPlanes]) {
      assert.ok(x.source.length > 10 && /^\d{4}-\d{2}-\d{2}$/.test(x.asOf));
    }
  });

  it("sells only GPU types of the table, covers the placement classics, three clouds, and at least 5 regions per cloud", () => {
    const types = new Set(catalog.gpuOffers.map((o) => o.gpuType));
    for (const t of types) assert.ok(GPU_TYPES.includes(t), `${t} is not in the GPU table`);
    for (const t of ["T4", "L4", "A10G", "A10", "L40S", "A100", "A100-80GB", "H100", "V100"]) {
      assert.ok(types.has(t), `no ${t}`);
    }
    for (const c of CLOUDS) {
      assert.ok(new Set(catalog.gpuOffers.filter((o) => o.cloud === c).map((o) => o.region)).size >= 5, c);
    }
  });

  it("sells the current generations on AWS from the SkyPilot rows: H200 (p5en, p5e), B200 (p6-b200), B300 (p6-b300)", () => {
    const aws = (gpu: string) => catalog.gpuOffers.filter((o) => o.cloud === "aws" && o.gpuType === gpu);
    const p5en = aws("H200").find((o) => o.instanceType === "p5en.48xlarge" && o.region === "us-east-1");
    assert.equal(p5en?.onDemandHourlyUsd, 63.296);
    assert.equal(p5en?.gpuCount, 8);
    assert.equal(p5en?.gpuMemoryGiB, 141);
    const b200 = aws("B200").find((o) => o.region === "us-west-2");
    assert.equal(b200?.instanceType, "p6-b200.48xlarge");
    assert.equal(b200?.onDemandHourlyUsd, 113.9328);
    assert.ok(aws("B300").length >= 1);
  });

  it("names the bad field when a catalog file is wrong", () => {
    const bad = JSON.parse(JSON.stringify(catalog)) as { gpuOffers: Array<Record<string, unknown>> };
    bad.gpuOffers[3]!.spotHourlyUsd = (bad.gpuOffers[3]!.onDemandHourlyUsd as number) + 1;
    const file = writeTemp(JSON.stringify(bad));
    assert.throws(
      () => loadCatalog(file),
      (err: unknown) => err instanceof ValidationError && err.field === `${file}.gpuOffers[3].spotHourlyUsd`,
    );
    bad.gpuOffers[3]!.spotHourlyUsd = null;
    bad.gpuOffers[5]!.onDemandHourlyUsd = 0;
    assert.throws(() => loadCatalog(writeTemp(JSON.stringify(bad))), /gpuOffers\[5\]\.onDemandHourlyUsd: .*\$0/);
    assert.throws(() => loadCatalog(writeTemp("{nope")), /not valid JSON/);
    assert.throws(() => loadCatalog("/nonexistent/catalog.json"), /cannot read/);
  });

  it("rejects a duplicate offer", () => {
    const dup = { ...catalog, gpuOffers: [...catalog.gpuOffers, catalog.gpuOffers[0]] };
    assert.throws(() => loadCatalog(writeTemp(JSON.stringify(dup))), /duplicate offer/);
  });

  it("catalogAgeDays counts whole days from the as-of date", () => {
    const c = { ...catalog, asOf: "2026-11-01" };
    assert.equal(catalogAgeDays(c, new Date("2026-11-01T23:00:00Z")), 0);
    assert.equal(catalogAgeDays(c, new Date("2026-12-01T00:00:00Z")), 30);
    assert.equal(catalogAgeDays(c, new Date("2026-10-01T00:00:00Z")), 0);
  });

  describe("lookup", () => {
    it("finds offers by cloud, region and instance type", () => {
      const o = findGpuOffer(catalog, { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge" });
      assert.equal(o?.gpuType, "L4");
      assert.equal(
        o,
        catalog.gpuOffers.find((x) => x.cloud === "aws" && x.region === "us-east-1" && x.instanceType === "g6.xlarge"),
      );
      assert.equal(findGpuOffer(catalog, { cloud: "aws", region: "us-east-1", instanceType: "nope" }), undefined);
      assert.equal(findGpuOffer(catalog, { cloud: "gcp", region: "us-east-1", instanceType: "g6.xlarge" }), undefined);
    });
    it("lists GPU types per cloud in GPU_TYPES order", () => {
      assert.deepEqual(gpuTypesOffered(catalog, "azure"), ["T4", "V100", "A10", "A100", "A100-80GB", "H100"]);
      assert.ok(!gpuTypesOffered(catalog, "gcp").includes("A10G"));
    });
    it("finds serverless, storage and control-plane prices", () => {
      const run = findServerlessOffer(catalog, { cloud: "gcp", region: "us-central1", sku: "nvidia-l4" });
      assert.equal(run?.product, "cloud-run");
      assert.equal(storagePrice(catalog, "aws")?.tier, "STANDARD");
      assert.equal(
        storagePrice(catalog, "gcp", "nearline"),
        catalog.storage.find((s) => s.cloud === "gcp" && s.tier === "NEARLINE"),
      );
      assert.equal(storagePrice(catalog, "azure", "Archive"), undefined);
      assert.equal(
        controlPlanePrice(catalog, "aws"),
        catalog.controlPlanes.find((c) => c.cloud === "aws"),
      );
      assert.equal(controlPlanePrice(catalog, "azure")?.product, "aks-standard");
    });
  });
});
