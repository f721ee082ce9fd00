/**
 * The importer against the reference rows copied verbatim from the public SkyPilot catalog
 * (data/sources/reference, provenance in ../../shared/reference/pricing/README.md): every known
 * trap is rejected or repaired, and the good rows come through with the right numbers.
 */
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv } from "../../platform/core/pricing/csv";
import { assembleCatalog, findSkypilotFiles, importSkypilotCsv, importSkypilotDir, mergeOffers } from "./import";
import { CATALOG_DATA_DIR } from "../../platform/core/pricing/catalog";
import type { GpuOffer } from "../../platform/core/pricing/types";

const REFERENCE = join(CATALOG_DATA_DIR, "sources", "reference");
const ctx = { source: "test", asOf: "2026-11-22", includeLocalZones: false };
const ref = importSkypilotDir(REFERENCE, { asOf: "2026-11-22", source: "reference" });
const find = (offers: readonly GpuOffer[], cloud: string, region: string, type: string): GpuOffer | undefined =>
  offers.find((o) => o.cloud === cloud && o.region === region && o.instanceType === type);
const near = (a: number | null | undefined, b: number): void => {
  assert.ok(typeof a === "number" && Math.abs(a - b) < 1e-6, `${String(a)} ≉ ${b}`);
};

describe("csv", () => {
  it("keeps quoted commas and doubled quotes inside one field", () => {
    const rows = parseCsv('a,b,c\n1,"x, ""y""",3\r\n\n4,,6\n');
    assert.deepEqual(rows, [
      ["a", "b", "c"],
      ["1", 'x, "y"', "3"],
      ["4", "", "6"],
    ]);
  });
});

describe("SkyPilot import: reference rows", () => {
  const tempDirs: string[] = [];
  after(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it("finds vms.csv in both layouts", () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-sky-"));
    tempDirs.push(dir);
    mkdirSync(join(dir, "catalogs", "v8", "gcp"), { recursive: true });
    writeFileSync(join(dir, "catalogs", "v8", "gcp", "vms.csv"), readFileSync(join(REFERENCE, "gcp", "vms.csv")));
    assert.deepEqual(Object.keys(findSkypilotFiles(dir)), ["gcp"]);
    assert.deepEqual(Object.keys(findSkypilotFiles(REFERENCE)).sort(), ["aws", "azure", "gcp"]);
    const fromCheckout = importSkypilotDir(dir, { asOf: "2026-11-22" });
    assert.deepEqual(
      fromCheckout.offers.map((o) => o.instanceType + o.region),
      ref.offers.filter((o) => o.cloud === "gcp").map((o) => o.instanceType + o.region),
    );
  });

  it("drops opt-in AWS Local Zones unless asked, and keeps them as their own zone group when asked", () => {
    const g4 = find(ref.offers, "aws", "us-west-2", "g4dn.xlarge");
    near(g4?.spotHourlyUsd, 0.2386); // usw2-az3, not the LAX Local Zone's 0.0631
    assert.ok(ref.notes.some((n) => n.action === "rejected" && n.reason.includes("usw2-lax1-az1")));
    assert.ok(!ref.offers.some((o) => /lax|atl/.test(o.region)));
    const withZones = importSkypilotDir(REFERENCE, { asOf: "2026-11-22", includeLocalZones: true, clouds: ["aws"] });
    const lax = find(withZones.offers, "aws", "us-west-2-lax-1", "g4dn.xlarge");
    near(lax?.spotHourlyUsd, 0.0631);
    near(find(withZones.offers, "aws", "us-east-1-atl-2", "p5.48xlarge")?.spotHourlyUsd, 10.2397);
  });

  it("drops spot prices that are blank or not below on-demand", () => {
    const p5 = find(ref.offers, "aws", "us-east-1", "p5.48xlarge");
    near(p5?.onDemandHourlyUsd, 55.04);
    assert.equal(p5?.spotHourlyUsd, null); // use1-az1 lists spot = on-demand; the 10.24 is in an opt-in zone
    assert.equal(find(ref.offers, "aws", "us-east-1", "p5.4xlarge")?.spotHourlyUsd, null); // blank
    assert.equal(find(ref.offers, "aws", "ap-south-1", "p5.4xlarge")?.spotHourlyUsd, null); // equal
    assert.equal(find(ref.offers, "azure", "eastus", "Standard_NC40ads_H100_v5")?.spotHourlyUsd, null);
    for (const o of ref.offers)
      assert.ok(o.spotHourlyUsd === null || o.spotHourlyUsd < o.onDemandHourlyUsd, `${o.instanceType} ${o.region}`);
  });

  it("repairs Azure ND96isr_H100_v5 to its 8 GPUs", () => {
    const nd = find(ref.offers, "azure", "eastus", "Standard_ND96isr_H100_v5");
    assert.equal(nd?.gpuCount, 8);
    assert.equal(nd?.gpuType, "H100");
    assert.ok(
      ref.notes.some(
        (n) => n.action === "repaired" && n.instanceType === "Standard_ND96isr_H100_v5" && n.reason.includes("12"),
      ),
    );
    assert.equal(find(ref.offers, "azure", "westus3", "Standard_NC16ads_A10_v4"), undefined); // no accelerator listed
  });

  it("prices GCP GPU rows on top of the host VM of the same zone", () => {
    const a2 = find(ref.offers, "gcp", "us-central1", "a2-highgpu-1g");
    near(a2?.onDemandHourlyUsd, 0.73948 + 2.93391);
    near(a2?.spotHourlyUsd, 0.36975 + 1.4341);
    assert.equal(a2?.gpuType, "A100");
    assert.equal(a2?.vcpus, 12);
    const g2 = find(ref.offers, "gcp", "us-east4", "g2-standard-4");
    near(g2?.onDemandHourlyUsd, 0.14631 + 0.55821);
    const t4 = find(ref.offers, "gcp", "us-central1", "n1-highmem-8");
    near(t4?.onDemandHourlyUsd, 0.47321 + 2 * 0.35); // two T4 on the 8-vCPU host
    assert.equal(t4?.gpuCount, 2);
    // GPU rows with no host row in their zone produce no offer (asia-east2 has T4 rows, no n1 host).
    assert.ok(!ref.offers.some((o) => o.cloud === "gcp" && o.region === "asia-east2"));
    // GCP rows carry an empty InstanceType: no offer is ever named "".
    assert.ok(ref.offers.every((o) => o.instanceType !== ""));
  });

  it("drops GCP A100-80GB spot prices that are above on-demand", () => {
    assert.equal(find(ref.offers, "gcp", "us-central1", "a2-ultragpu-1g")?.spotHourlyUsd, null);
    assert.equal(find(ref.offers, "gcp", "europe-west4", "a2-ultragpu-1g")?.spotHourlyUsd, null);
    near(find(ref.offers, "gcp", "asia-southeast1", "a2-ultragpu-1g")?.spotHourlyUsd, 0.62379 + 1.823);
  });

  it("rejects GCP H100 rows priced far below the other regions (a discounted SKU, not on-demand)", () => {
    assert.equal(find(ref.offers, "gcp", "us-central1", "a3-highgpu-1g"), undefined);
    assert.ok(ref.notes.some((n) => n.cloud === "gcp" && n.region === "us-central1" && n.reason.includes("4.20076")));
    near(find(ref.offers, "gcp", "us-east4", "a3-highgpu-1g")?.onDemandHourlyUsd, 1.18251 + 9.79655);
  });

  it("marks GCP A3 High 1/2/4-GPU shapes as not sold on-demand", () => {
    const a3 = find(ref.offers, "gcp", "us-east4", "a3-highgpu-1g");
    assert.equal(a3?.onDemandAvailable, false);
    assert.equal(find(ref.offers, "gcp", "us-central1", "a2-highgpu-1g")?.onDemandAvailable, undefined);
  });

  it("rejects fractional GPUs and $0 prices", () => {
    const header =
      "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,Arch";
    const csv = [
      header,
      "g6f.2xlarge,L4,0.25,8.0,32.0,,0.68888,0.367400,ap-northeast-1,apne1-az1,x86_64",
      "g6.xlarge,L4,1.0,4.0,16.0,,0.0,0.0,us-east-1,use1-az1,x86_64",
      "g6.xlarge,L4,1.0,4.0,16.0,,,0.1,us-east-2,use2-az1,x86_64",
      "g6.xlarge,L4,1.0,4.0,16.0,,0.8048,0.0,us-west-2,usw2-az1,x86_64",
    ].join("\n");
    const r = importSkypilotCsv("aws", csv, ctx);
    assert.deepEqual(
      r.offers.map((o) => o.region),
      ["us-west-2"],
    );
    assert.equal(r.offers[0]?.spotHourlyUsd, null);
    assert.deepEqual(
      r.notes.map((n) => n.action),
      ["rejected", "rejected", "rejected", "spot-dropped"],
    );
    assert.match(r.notes[0]!.reason, /fractional/);
    assert.match(r.notes[1]!.reason, /\$0/);
  });

  it("reads columns by name, in any order, and names a missing column", () => {
    const text = readFileSync(join(REFERENCE, "aws", "vms.csv"), "utf8");
    const rows = parseCsv(text);
    const order = [8, 0, 6, 7, 1, 2, 3, 4, 5, 9, 10];
    const quote = (f: string): string => (/[",]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const shuffled = rows.map((r) => order.map((i) => quote(r[i] ?? "")).join(",")).join("\n");
    const a = importSkypilotCsv("aws", text, ctx).offers;
    const b = importSkypilotCsv("aws", shuffled, ctx).offers;
    assert.deepEqual(b, a);
    assert.throws(() => importSkypilotCsv("gcp", "InstanceType,vCPUs\nx,1\n", ctx), /missing column "MemoryGiB"/);
  });

  it("stamps source and as-of on every offer and assembles a valid catalog", () => {
    assert.ok(ref.offers.length > 50);
    for (const o of ref.offers) {
      assert.match(o.source, /reference .*vms\.csv/);
      assert.equal(o.asOf, "2026-11-22");
    }
    const catalog = assembleCatalog({
      version: "t.1",
      gpuOffers: mergeOffers(ref.offers),
      serverless: [],
      storage: [],
      controlPlanes: [],
    });
    assert.equal(catalog.asOf, "2026-11-22");
  });

  it("merges offer lists: newer as-of wins per cloud, region and instance type", () => {
    const old = ref.offers.filter((o) => o.cloud === "aws").slice(0, 3);
    const fresh = old
      .slice(0, 1)
      .map((o) => ({ ...o, onDemandHourlyUsd: o.onDemandHourlyUsd + 1, asOf: "2026-12-01" }));
    const stale = old.slice(1, 2).map((o) => ({ ...o, onDemandHourlyUsd: 99, asOf: "2020-01-01" }));
    const merged = mergeOffers(old, fresh, stale);
    assert.equal(merged.length, 3);
    near(
      merged.find((o) => o.instanceType === old[0]!.instanceType && o.region === old[0]!.region)?.onDemandHourlyUsd,
      old[0]!.onDemandHourlyUsd + 1,
    );
    near(
      merged.find((o) => o.instanceType === old[1]!.instanceType && o.region === old[1]!.region)?.onDemandHourlyUsd,
      old[1]!.onDemandHourlyUsd,
    );
  });
});
