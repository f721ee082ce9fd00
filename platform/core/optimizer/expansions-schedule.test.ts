/** Expansion advice for a hibernating deployment: its nodes bill only the scheduled hours (found by mutation testing, #9). */
import assert from "node:assert/strict";
import { candidatesOf } from "./candidates";
import { findExpansions } from "./expansions";
import { Pricer } from "./price";
import { offer, request, tiny } from "./testing";

describe("expansions under a hibernation schedule", () => {
  it("advises an offer that saves money at the scheduled hours (84 h a week = 365 h a month)", () => {
    const catalog = {
      ...tiny([offer("aws", "a", 2, null, { region: "r1" })]),
      controlPlanes: [{ cloud: "aws" as const, product: "eks", hourlyUsd: 0, source: "t", asOf: "2026-11-20" }],
    };
    const req = request({
      schedule: {
        timezone: "UTC",
        activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], from: "00:00", to: "12:00" }],
      },
    });
    const es = findExpansions({
      all: candidatesOf(catalog),
      inFootprint: new Set(),
      request: req,
      constraints: req.constraints,
      requiredGiB: 1,
      pricer: new Pricer(req, catalog, undefined, undefined, []),
      catalog,
      policy: undefined,
      bestMonthlyUsd: 1000, // the footprint's best month at the same schedule
    });
    // a: $2/h × 365 h = $730 a month, $270 below the footprint's best.
    assert.deepEqual(
      es.map((e) => [e.instanceType, e.monthlyUsd, e.monthlySavingsUsd]),
      [["a", 730, 270]],
    );
  });
});
