/**
 * The explanation of an infeasible quote, exactly: what excluded what, the cheapest fit anywhere,
 * which single constraint (or which lower precision) to relax. Hand-made catalogs; the GiB figures
 * come from the sizing module (sizeModel), not from the optimizer under test.
 */
import assert from "node:assert/strict";
import { defaultCatalog } from "../pricing/catalog";
import type { Catalog, GpuOffer } from "../pricing/types";
import { sizeModel } from "../sizing";
import type { Cloud, GpuType, Precision } from "../types";
import { parseQuoteRequest, quote, type QuoteRequestInput } from "./index";

const shipped = defaultCatalog();
const now = new Date("2026-11-21T00:00:00Z");
const ARCH = { layers: 2, kvHeads: 1, headDim: 64 };

function offer(
  cloud: Cloud,
  region: string,
  instanceType: string,
  gpu: [count: number, type: GpuType, gib: number],
  onDemand: number,
  spot: number | null = null,
): GpuOffer {
  const [gpuCount, gpuType, gpuMemoryGiB] = gpu;
  return {
    ...shipped.gpuOffers[0]!,
    cloud,
    region,
    instanceType,
    gpuType,
    gpuCount,
    gpuMemoryGiB,
    onDemandHourlyUsd: onDemand,
    spotHourlyUsd: spot,
  };
}

const tiny = (gpuOffers: GpuOffer[]): Catalog => ({
  version: "t",
  asOf: "2026-11-20",
  gpuOffers,
  serverless: [],
  storage: [],
  controlPlanes: [],
});

function model(parametersBillions: number, precision: Precision) {
  return { name: "m", parametersBillions, precision, contextTokens: 1024, architecture: ARCH };
}
const need = (parametersBillions: number, precision: Precision): string =>
  sizeModel(model(parametersBillions, precision)).totalGiB.toFixed(1);

const explain = (input: QuoteRequestInput, catalog: Catalog) => {
  const r = quote(parseQuoteRequest(input), catalog, { now });
  assert.deepEqual(r.placements, []);
  assert.equal(r.feasibleCount, 0);
  return r.infeasible!;
};

const USE_LOWER = "use a lower precision, a shorter contextTokens or a lower concurrency";

describe("optimizer: explaining an infeasible request", () => {
  it("an empty catalog: nothing holds the model, no fit, no relaxation", () => {
    const inf = explain({ model: model(1, "bf16") }, tiny([]));
    assert.deepEqual(inf, {
      message: `no node in the catalog holds ${need(1, "bf16")} GiB (the catalog has no offers); ${USE_LOWER}`,
      requiredGiB: sizeModel(model(1, "bf16")).totalGiB,
      constraints: [],
      relax: [],
      cheapestFit: null,
    });
  });

  it("a model no node holds names the largest node (the cheaper of equal sizes), in whole GiB from 100", () => {
    const cat = tiny([
      offer("aws", "r1", "h", [8, "H100", 80], 50),
      offer("aws", "r1", "a", [8, "A100-80GB", 80], 40),
      offer("aws", "r1", "l", [1, "L4", 24], 1),
    ]);
    const inf = explain({ model: model(2000, "fp32") }, cat);
    assert.equal(
      inf.message,
      `no node in the catalog holds ${need(2000, "fp32").replace(/\.\d$/, "")} GiB (largest: 8×A100-80GB = 640 GiB); ${USE_LOWER}`,
    );
    assert.equal(need(2000, "fp32").replace(/\.\d$/, ""), "8693");
  });

  it("prints 100 GiB whole and 80 GiB with one decimal", () => {
    const hundred = explain({ model: model(2000, "fp32") }, tiny([offer("aws", "r1", "x", [2, "H100", 50], 1)]));
    assert.match(hundred.message, /\(largest: 2×H100 = 100 GiB\)/);
    const eighty = explain({ model: model(2000, "fp32") }, tiny([offer("aws", "r1", "x", [1, "H100", 80], 1)]));
    assert.match(eighty.message, /\(largest: 1×H100 = 80\.0 GiB\)/);
  });

  // A 20B model needs 88.0 GiB in fp32, 44.6 in 16 bit, 22.8 in 8 bit, 12.0 in int4 (sizeModel).
  const lowerCases: Array<[from: Precision, gib: number, to: Precision | null]> = [
    ["fp32", 80, "bf16"],
    ["fp16", 24, "fp8"],
    ["bf16", 24, "fp8"],
    ["fp8", 16, "int4"],
    ["int8", 16, "int4"],
    ["int4", 8, null],
  ];
  for (const [from, gib, to] of lowerCases) {
    it(`${from}: suggests ${to ?? "nothing lower"} when only a lower precision fits one ${gib} GiB GPU`, () => {
      const inf = explain({ model: model(20, from) }, tiny([offer("aws", "r1", "x", [1, "H100", gib], 1)]));
      const largest = `(largest: 1×H100 = ${gib.toFixed(1)} GiB)`;
      const tail = to ? `relax precision (${to} needs ${need(20, to)} GiB)` : USE_LOWER;
      assert.equal(inf.message, `no node in the catalog holds ${need(20, from)} GiB ${largest}; ${tail}`);
      assert.deepEqual(inf.relax, to ? [`precision (${to} needs ${need(20, to)} GiB)`] : []);
    });
  }

  it("suggests the most precise lower precision that fits (bf16 before fp8 for fp32)", () => {
    const inf = explain({ model: model(20, "fp32") }, tiny([offer("aws", "r1", "x", [1, "H100", 80], 1)]));
    assert.deepEqual(inf.relax, [`precision (bf16 needs ${need(20, "bf16")} GiB)`]);
  });

  describe("one constraint excludes the only fit", () => {
    // 80B int4 needs 44.6 GiB: only the H100 (gcp, r2, on-demand only, $3/h) holds it.
    const cat = tiny([offer("aws", "r1", "l4", [1, "L4", 24], 1, 0.5), offer("gcp", "r2", "h", [1, "H100", 80], 3)]);
    const fit = "cheapest fit anywhere is 1×H100 (h) on gcp r2 at $3/h on-demand";
    const cases: Array<[string, QuoteRequestInput["constraints"], string]> = [
      ["clouds", { clouds: ["aws"] }, "no GPU on [aws] holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB)"],
      ["regions", { regions: ["r1"] }, "no GPU in [r1] holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB)"],
      ["gpuTypes", { gpuTypes: ["L4"] }, "no GPU in [L4] holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB)"],
      ["capacity", { capacity: "spot" }, "no GPU as spot holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB)"],
      [
        "maxHourlyUsd",
        { maxHourlyUsd: 2.5 },
        "no placement holding 44.6 GiB costs at most $2.5/h for 1 replica(s) (cheapest there: 1×H100 (h) on gcp r2 at $3/h on-demand)",
      ],
    ];
    for (const [name, constraints, what] of cases) {
      it(`${name}: says so, names the cheapest fit, and relaxes ${name}`, () => {
        assert.equal(need(80, "int4"), "44.6");
        const inf = explain({ model: model(80, "int4"), constraints }, cat);
        assert.equal(inf.message, `${what}; ${fit}; relax ${name}`);
        assert.deepEqual(inf.relax, [name]);
        assert.deepEqual(inf.constraints, [name]);
        assert.equal(inf.cheapestFit?.instanceType, "h");
        assert.equal(inf.cheapestFit?.hourlyUsd, 3);
      });
    }

    it("two constraints that each exclude it: neither alone is a relaxation; all are listed in order", () => {
      const inf = explain(
        {
          model: model(80, "int4"),
          constraints: { maxHourlyUsd: 2.5, capacity: "on-demand", gpuTypes: ["L4"], regions: ["r1"], clouds: ["aws"] },
        },
        cat,
      );
      assert.equal(
        inf.message,
        `no GPU in [L4] in [r1] on [aws] as on-demand holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB); ${fit}`,
      );
      assert.deepEqual(inf.relax, []);
      assert.deepEqual(inf.constraints, ["clouds", "regions", "gpuTypes", "capacity", "maxHourlyUsd"]);
    });

    it("listing every cloud is no restriction and is not named in the scope", () => {
      const inf = explain(
        { model: model(80, "int4"), constraints: { clouds: ["gcp", "aws", "azure"], gpuTypes: ["L4"] } },
        cat,
      );
      assert.equal(
        inf.message,
        `no GPU in [L4] holds 44.6 GiB (largest there: 1×L4 = 24.0 GiB); ${fit}; relax gpuTypes`,
      );
      assert.deepEqual(inf.constraints, ["clouds", "gpuTypes"]);
    });

    it("the largest node in scope is the first of equal size", () => {
      const two = tiny([
        offer("aws", "r1", "t4x2", [2, "T4", 16], 1),
        offer("aws", "r1", "l4", [1, "L4", 24], 2),
        offer("aws", "r1", "a10", [1, "A10G", 32], 3),
        offer("gcp", "r2", "h", [1, "H100", 80], 4),
      ]);
      const inf = explain({ model: model(80, "int4"), constraints: { clouds: ["aws"] } }, two);
      assert.match(inf.message, /^no GPU on \[aws\] holds 44\.6 GiB \(largest there: 2×T4 = 32\.0 GiB\)/);
    });

    it("no offer at all in scope", () => {
      const inf = explain({ model: model(80, "int4"), constraints: { clouds: ["gcp"], gpuTypes: ["L4"] } }, cat);
      assert.equal(inf.message, `the catalog has no offer in [L4] on [gcp]; ${fit}; relax gpuTypes`);
    });
  });

  it("a node holding exactly the requirement fits: it is the cheapest fit, and the cap is what excludes it", () => {
    const exact = sizeModel(model(1, "bf16")).totalGiB;
    const cat = tiny([offer("aws", "r1", "x", [1, "H100", exact], 2)]);
    const inf = explain({ model: model(1, "bf16"), constraints: { maxHourlyUsd: 1 } }, cat);
    assert.equal(
      inf.message,
      "no placement holding 3.3 GiB costs at most $1/h for 1 replica(s) (cheapest there: 1×H100 (x) on aws r1 at $2/h on-demand); cheapest fit anywhere is 1×H100 (x) on aws r1 at $2/h on-demand; relax maxHourlyUsd",
    );
    assert.equal(inf.cheapestFit?.instanceType, "x");
  });

  it("the cheapest fit carries its cloud's artifact storage (shipped catalog rows)", () => {
    const req = { model: model(8, "bf16"), constraints: { maxHourlyUsd: 0.01 } };
    const inf = explain(req, shipped);
    const fit = inf.cheapestFit!;
    const perGb = shipped.storage.find((s) => s.cloud === fit.cloud)!.perGbMonthUsd;
    const sizeGiB = (8e9 * 2) / 2 ** 30;
    assert.ok(perGb > 0);
    assert.ok(Math.abs(fit.storageMonthlyUsd - sizeGiB * perGb) < 1e-9, `${fit.storageMonthlyUsd}`);
  });

  it("prices the cheapest fit for every replica and prints $10 and above with cents", () => {
    const cat = tiny([offer("aws", "r1", "x", [1, "H100", 80], 5.25)]);
    const inf = explain({ model: model(1, "bf16"), replicas: 2, constraints: { maxHourlyUsd: 10 } }, cat);
    assert.equal(
      inf.message,
      "no placement holding 3.3 GiB costs at most $10.00/h for 2 replica(s) (cheapest there: 1×H100 (x) on aws r1 at $10.50/h on-demand); cheapest fit anywhere is 1×H100 (x) on aws r1 at $10.50/h on-demand; relax maxHourlyUsd",
    );
    assert.equal(inf.cheapestFit?.hourlyUsd, 10.5);
    assert.equal(inf.cheapestFit?.replicas, 2);
  });

  it("prints prices below $10 with up to four decimals, trailing zeros dropped", () => {
    const cat = tiny([offer("aws", "r1", "x", [1, "H100", 80], 1.2345)]);
    const inf = explain({ model: model(1, "bf16"), constraints: { maxHourlyUsd: 1.2 } }, cat);
    assert.match(inf.message, /costs at most \$1\.2\/h .* at \$1\.2345\/h on-demand\)/);
  });
});
