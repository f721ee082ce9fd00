import * as assert from "node:assert/strict";
import { defaultCatalog, parseCatalog } from "../../platform/core/pricing/catalog";
import { parseQuoteRequest, quote } from "../../platform/core/optimizer";
import { ValidationError } from "../../platform/core/validation";
import { importSkypilotCsv } from "./import";

const now = new Date("2026-12-01T00:00:00Z");

describe("the shipped catalog after the full SkyPilot import (#13)", () => {
  const catalog = defaultCatalog();

  it("holds at least 800 GPU offers, on all three clouds", () => {
    assert.ok(catalog.gpuOffers.length >= 800, `${catalog.gpuOffers.length} offers`);
    const perCloud = (c: string): number => catalog.gpuOffers.filter((o) => o.cloud === c).length;
    assert.ok(perCloud("aws") >= 400 && perCloud("gcp") >= 300 && perCloud("azure") > 0);
  });

  it("sells H200 on GCP (a3-ultragpu-8g, host + 8 × the H200 row of the same zone) in every region the source lists", () => {
    const h200 = catalog.gpuOffers.filter((o) => o.cloud === "gcp" && o.gpuType === "H200");
    assert.deepEqual(
      h200.map((o) => o.region),
      [
        "asia-south1",
        "asia-south2",
        "europe-west1",
        "europe-west4",
        "us-central1",
        "us-east4",
        "us-east5",
        "us-south1",
        "us-west1",
      ],
    );
    for (const o of h200) {
      assert.equal(o.instanceType, "a3-ultragpu-8g");
      assert.equal(o.gpuCount, 8);
      assert.equal(o.gpuMemoryGiB, catalog.gpuOffers.find((x) => x.gpuType === "H200")!.gpuMemoryGiB);
    }
    // gcp/vms.csv@006059e0: host a3-ultragpu-8g us-central1-b $12.266 + H200:8 row $74.49392.
    assert.equal(h200.find((o) => o.region === "us-central1")!.onDemandHourlyUsd, 86.75992);
  });

  it("lists B200 on GCP (a4-highgpu-8g) as unpriced with the reason, never as a $0 or GPU-only price", () => {
    assert.equal(
      catalog.gpuOffers.some((o) => o.instanceType === "a4-highgpu-8g"),
      false,
      "a4-highgpu-8g must not be a priced offer: its host price is $0.0 in the source",
    );
    const b200 = (catalog.unpricedGpuOffers ?? []).filter((o) => o.cloud === "gcp" && o.gpuType === "B200");
    assert.equal(b200.length, 10);
    for (const o of b200) {
      assert.equal(o.instanceType, "a4-highgpu-8g");
      assert.equal(o.gpuCount, 8);
      assert.match(o.reason, /a4-highgpu-8g at \$0\/h/);
      assert.match(o.reason, /no price for the machine's vCPUs and memory/);
      assert.ok(!("onDemandHourlyUsd" in o));
    }
  });

  it("a model that needs H200 memory places on GCP H200; B200 on GCP is never quoted", () => {
    // 405B bf16 (about 800 GiB): more than 8 × H100 80 GB holds, less than 8 × H200 141 GB.
    const model = { name: "llama-3.1-405b", parametersBillions: 405, precision: "bf16", contextTokens: 8192 };
    const h200 = quote(
      parseQuoteRequest({ model, constraints: { clouds: ["gcp"], gpuTypes: ["H200", "H100"], allowSuspect: true } }),
      catalog,
      { now, limit: 50 },
    );
    assert.ok(h200.placements.length > 0, h200.infeasible?.message);
    for (const p of h200.placements) {
      assert.equal(p.cloud, "gcp");
      assert.equal(p.gpuType, "H200");
      assert.equal(p.instanceType, "a3-ultragpu-8g");
    }
    const b200 = quote(parseQuoteRequest({ model, constraints: { clouds: ["gcp"], gpuTypes: ["B200"] } }), catalog, {
      now,
    });
    assert.equal(b200.placements.length, 0);
    assert.ok(b200.infeasible);
  });
});

describe("GCP import: a host machine listed at $0", () => {
  const header =
    "InstanceType,vCPUs,MemoryGiB,AcceleratorName,AcceleratorCount,GpuInfo,Region,AvailabilityZone,Price,SpotPrice";
  const gpuRow = ",,,B200,8,{'Gpus': [{'MemoryInfo': {'SizeInMiB': 184320}}]},us-east4,us-east4-b,64.44,32.6064";
  const ctx = { source: "test", asOf: "2026-12-01", includeLocalZones: false };

  it("gives an unpriced offer naming the row, not an offer priced from the GPU row alone", () => {
    const text = [header, "a4-highgpu-8g,224.0,3968.0,,,,us-east4,us-east4-b,0.0,0.0", gpuRow].join("\n");
    const r = importSkypilotCsv("gcp", text, ctx);
    assert.equal(r.offers.length, 0);
    assert.equal(r.unpriced?.length, 1);
    const u = r.unpriced![0]!;
    assert.deepEqual(
      [u.cloud, u.region, u.instanceType, u.gpuType, u.gpuCount],
      ["gcp", "us-east4", "a4-highgpu-8g", "B200", 8],
    );
    assert.match(u.reason, /at \$0\/h in us-east4-b \(line 2\)/);
    assert.match(u.reason, /B200 row \(line 3\) prices the 8 GPUs alone at \$64\.44\/h/);
  });

  it("prices the machine when the host row has a price (host + 8 × per-GPU)", () => {
    const text = [header, "a4-highgpu-8g,224.0,3968.0,,,,us-east4,us-east4-b,10.0,2.0", gpuRow].join("\n");
    const r = importSkypilotCsv("gcp", text, ctx);
    assert.equal(r.unpriced, undefined);
    assert.equal(r.offers.length, 1);
    assert.equal(r.offers[0]!.onDemandHourlyUsd, 74.44);
  });
});

describe("catalog schema: unpriced offers", () => {
  const base = defaultCatalog();
  const unpriced = base.unpricedGpuOffers![0]!;

  it("rejects an unpriced offer without a reason, naming the field", () => {
    const { reason: _reason, ...noReason } = unpriced;
    void _reason;
    assert.throws(
      () => parseCatalog({ ...base, unpricedGpuOffers: [noReason] }, "cat"),
      (e: unknown) => e instanceof ValidationError && /unpricedGpuOffers/.test(e.message),
    );
  });

  it("rejects an unpriced offer that is also a priced offer", () => {
    const priced = base.gpuOffers[0]!;
    assert.throws(
      () =>
        parseCatalog(
          {
            ...base,
            unpricedGpuOffers: [
              { ...unpriced, cloud: priced.cloud, region: priced.region, instanceType: priced.instanceType },
            ],
          },
          "cat",
        ),
      /is also a priced offer/,
    );
  });
});
