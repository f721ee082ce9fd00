/**
 * Why a re-quote recommends a move (issue 15 item 3: price change, new offer, spot price drop),
 * against copies of the shipped catalog changed one offer at a time, and that identical requests
 * are quoted once. The whole catalog is the scope (no footprint), so the changed offer wins.
 */
import assert from "node:assert/strict";
import { defaultCatalog } from "../../core/pricing/catalog";
import type { Catalog, GpuOffer } from "../../core/pricing/types";
import type { Placement } from "../../core/placement";
import { L4_SPOT_PLACED } from "../store/testing/spec";
import { DEFAULT_THRESHOLDS, RequoteContext, type RequoteFinding, type RequoteSubject } from "./requote";

const PLACED = L4_SPOT_PLACED;

const MODEL = {
  name: "mistral-7b",
  version: "v1",
  parametersBillions: 7,
  precision: "bf16" as const,
  contextTokens: 4096,
};

function subject(placement: Placement = PLACED, id = "d1"): RequoteSubject {
  return {
    id,
    tenant: "acme",
    placement,
    spec: { model: MODEL, environment: "dev", onDemandFloorReplicas: 0, placement },
  };
}

function shipped(version = "before"): Catalog {
  const c = structuredClone(defaultCatalog());
  c.version = version;
  return c;
}

/** The AWS L4 node in us-east-1 (the offer the tests make cheapest). */
function awsL4(c: Catalog): GpuOffer {
  const o = c.gpuOffers.find((x) => x.cloud === "aws" && x.region === "us-east-1" && x.instanceType === "g6.xlarge");
  assert.ok(o, "the shipped catalog sells aws us-east-1 g6.xlarge");
  return o;
}

function finding(current: Catalog, previous: Catalog | undefined, s: RequoteSubject = subject()): RequoteFinding {
  const f = new RequoteContext(current, undefined, DEFAULT_THRESHOLDS, previous).requote(s);
  assert.ok(f && !("skipped" in f), `a recommendation: ${JSON.stringify(f)}`);
  return f;
}

const offerOf = (p: Placement) => `${p.cloud} ${p.region} ${p.instanceType} ${p.capacity}`;

describe("re-quote reasons (price-change, new-offer, spot-drop)", function () {
  this.timeout(60_000);

  it("spot-drop: another offer's spot price fell since the previous catalog", function () {
    const now = shipped("after");
    awsL4(now).spotHourlyUsd = 0.02;
    const f = finding(now, shipped());
    assert.equal(offerOf(f.proposed.placement), "aws us-east-1 g6.xlarge spot");
    assert.equal(f.reason, "spot-drop");
  });

  it("not spot-drop: a spot proposal whose price did not fall (the deployment sat on dear on-demand)", function () {
    const onDemand: Placement = {
      ...PLACED,
      capacity: "on-demand",
      unitHourlyUsd: 0.70683,
      hourlyUsd: 0.70683,
      monthlyUsd: 515.99,
    };
    const now = shipped("after");
    const f = finding(now, shipped(), subject(onDemand));
    assert.equal(f.proposed.placement.capacity, "spot");
    assert.equal(f.reason, "price-change");
  });

  it("price-change: another offer's on-demand price fell (an on-demand proposal is no spot drop)", function () {
    const now = shipped("after");
    const o = awsL4(now);
    o.onDemandHourlyUsd = 0.03;
    o.spotHourlyUsd = null;
    const f = finding(now, shipped());
    assert.equal(offerOf(f.proposed.placement), "aws us-east-1 g6.xlarge on-demand");
    assert.equal(f.reason, "price-change");
  });

  it("new-offer: the proposal was not sold in the previous catalog (even when it is spot)", function () {
    const now = shipped("after");
    now.gpuOffers.push({ ...awsL4(now), instanceType: "g6.xlarge-new", onDemandHourlyUsd: 0.05, spotHourlyUsd: 0.02 });
    const f = finding(now, shipped());
    assert.equal(offerOf(f.proposed.placement), "aws us-east-1 g6.xlarge-new spot");
    assert.equal(f.reason, "new-offer");
  });

  it("new-offer: an offer newly sold as spot is new as a spot offer", function () {
    const before = shipped();
    awsL4(before).spotHourlyUsd = null;
    const now = shipped("after");
    awsL4(now).spotHourlyUsd = 0.02;
    assert.equal(finding(now, before).reason, "new-offer");
  });

  it("without a previous catalog nothing is new: a cheaper spot proposal is a spot-drop", function () {
    const now = shipped("after");
    now.gpuOffers.push({ ...awsL4(now), instanceType: "g6.xlarge-new", onDemandHourlyUsd: 0.05, spotHourlyUsd: 0.02 });
    assert.equal(finding(now, undefined).reason, "spot-drop");
  });

  it("price-change first: the current offer got dearer, whatever the proposal is", function () {
    const now = shipped("after");
    const placed = now.gpuOffers.find(
      (x) => x.cloud === "gcp" && x.instanceType === "g2-standard-4" && x.region === "us-central1",
    );
    assert.ok(placed && placed.spotHourlyUsd !== null);
    placed.spotHourlyUsd *= 3;
    placed.onDemandHourlyUsd *= 3;
    now.gpuOffers.push({ ...awsL4(now), instanceType: "g6.xlarge-new", onDemandHourlyUsd: 0.05, spotHourlyUsd: 0.02 });
    const f = finding(now, shipped());
    assert.equal(offerOf(f.proposed.placement), "aws us-east-1 g6.xlarge-new spot");
    assert.equal(f.reason, "price-change");
    // The current placement is repriced whole: its spot unit and its on-demand floor's unit.
    assert.equal(f.current.placement.unitHourlyUsd, placed.spotHourlyUsd);
    assert.equal(f.current.placement.onDemandUnitHourlyUsd, placed.onDemandHourlyUsd);
  });

  it("proposes only placements that hold the deployment's workload (concurrency, context)", function () {
    // 8 sequences of 32k tokens of a 7B model: about 52 GiB, more than any L4.
    const model = { ...MODEL, contextTokens: 32768, concurrency: 8 };
    const placed: Placement = {
      ...PLACED,
      cloud: "azure",
      region: "eastus",
      instanceType: "Standard_NC24ads_A100_v4",
      gpuType: "A100-80GB",
      gpuMemoryGiB: 80,
    };
    const now = shipped("after");
    const a100 = now.gpuOffers.find(
      (x) => x.cloud === "azure" && x.region === "eastus" && x.instanceType === placed.instanceType,
    );
    assert.ok(a100 && a100.spotHourlyUsd !== null);
    placed.unitHourlyUsd = a100.spotHourlyUsd;
    placed.hourlyUsd = a100.spotHourlyUsd;
    placed.monthlyUsd = a100.spotHourlyUsd * 730;
    a100.spotHourlyUsd *= 4;
    a100.onDemandHourlyUsd *= 4;
    const s: RequoteSubject = {
      id: "big",
      tenant: "acme",
      placement: placed,
      spec: { model, environment: "dev", onDemandFloorReplicas: 0, placement: placed },
    };
    const f = finding(now, shipped(), s);
    const p = f.proposed.placement;
    assert.ok(p.gpuMemoryGiB * p.gpuCount >= 48, `${offerOf(p)}: ${p.gpuCount} × ${p.gpuMemoryGiB} GiB`);
  });

  it("quotes identical requests once (a thousand deployments of one model: one optimizer run)", function () {
    const now = shipped("after");
    awsL4(now).spotHourlyUsd = 0.02;
    const ctx = new RequoteContext(now, undefined, DEFAULT_THRESHOLDS, shipped());
    for (let i = 0; i < 1000; i++) assert.ok(ctx.requote(subject(PLACED, `d${i}`)));
    assert.equal(ctx.optimizerRuns, 1);
    ctx.requote(
      subject({ ...PLACED, replicas: 2, hourlyUsd: PLACED.hourlyUsd * 2, monthlyUsd: PLACED.monthlyUsd * 2 }),
    );
    assert.equal(ctx.optimizerRuns, 2, "another replica count is another request");
  });
});
