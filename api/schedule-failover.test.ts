/**
 * Issue 15 items 4 and 5 over HTTP: quotes priced for a hibernation schedule, schedules validated
 * (400 naming the field), and quotes that skip placements remembered after a capacity failure.
 */
import * as assert from "node:assert/strict";
import type { ControlPlaneImpl } from "../platform/service/controlplane/controlplane";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { recordPlacementFailure } from "../platform/service/store/placement-failures";
import { HOURS_PER_MONTH } from "../platform/core/types";
import type { ResponseCheck } from "./response-check";
import { call, controlPlaneFixture, DEFAULT_TEST_SETTINGS, errorOf, serve, type Fixture } from "./testing/harness";

const MODEL = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };
const OFFICE = {
  timezone: "America/New_York",
  activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
};
const OFFICE_HOURS_PER_MONTH = (40 * HOURS_PER_MONTH) / 168;

interface QuotedTop {
  cloud: string;
  region: string;
  instanceType: string;
  capacity: string;
  hourlyUsd: number;
  monthlyUsd: number;
  atMaxMonthlyUsd: number;
}

describe("api: hibernation schedules and capacity exclusions", function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", { startWorkers: false });
  });
  after(async () => {
    await fx?.close();
  });

  it("prices a scheduled quote for its hours; schedules without an hour are a 400 naming the field", async () => {
    const checks: ResponseCheck[] = [];
    const api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      onResponseCheck: (c) => checks.push(c),
    });
    try {
      const key = fx.adminKey;
      const plain = await call(api.base, "POST", "/v1/quotes", {
        key,
        body: { model: MODEL, constraints: { capacity: "on-demand" } },
      });
      const sched = await call(api.base, "POST", "/v1/quotes", {
        key,
        body: { model: MODEL, constraints: { capacity: "on-demand" }, schedule: OFFICE },
      });
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
      assert.equal(sched.status, 200, JSON.stringify(sched.body));
      const a = (plain.body as { placements: QuotedTop[] }).placements[0]!;
      const b = (sched.body as { placements: QuotedTop[] }).placements[0]!;
      assert.equal(`${a.cloud} ${a.region} ${a.instanceType}`, `${b.cloud} ${b.region} ${b.instanceType}`);
      const fixed = a.monthlyUsd - a.hourlyUsd * HOURS_PER_MONTH;
      assert.ok(Math.abs(b.monthlyUsd - (b.hourlyUsd * OFFICE_HOURS_PER_MONTH + fixed)) < 1e-6);
      assert.ok(b.monthlyUsd < a.monthlyUsd * 0.3, `${b.monthlyUsd} vs ${a.monthlyUsd}`);
      assert.ok(Math.abs(b.atMaxMonthlyUsd - b.monthlyUsd) < 1e-6, "at most the scheduled hours");
      assert.deepEqual(
        checks.filter((c) => c.outcome === "failed"),
        [],
      );

      for (const [schedule, field] of [
        [{ timezone: "UTC", activeWindows: [] }, "schedule.activeWindows"],
        [
          { timezone: "UTC", activeWindows: [{ days: [], from: "09:00", to: "17:00" }] },
          "schedule.activeWindows[0].days",
        ],
        [
          { timezone: "UTC", activeWindows: [{ days: ["mon"], from: "09:00", to: "09:00" }] },
          "schedule.activeWindows[0].to",
        ],
        [
          { timezone: "Europe/Gotham", activeWindows: [{ days: ["mon"], from: "09:00", to: "10:00" }] },
          "schedule.timezone",
        ],
      ] as const) {
        for (const path of ["/v1/quotes", "/v1/deployments"]) {
          const r = await call(api.base, "POST", path, { key, body: { model: MODEL, schedule } });
          assert.equal(r.status, 400, `${path} ${JSON.stringify(schedule)}`);
          assert.equal(errorOf(r).field, field);
        }
      }

      // A deployment keeps its schedule and constraints in its spec and is priced for the windows.
      const dep = await call(api.base, "POST", "/v1/deployments", {
        key,
        body: { model: MODEL, constraints: { capacity: "on-demand" }, schedule: OFFICE },
      });
      assert.equal(dep.status, 202, JSON.stringify(dep.body));
      const d = dep.body as { id: string; estimatedMonthlyUsd: number; spec: Record<string, unknown> };
      assert.deepEqual(d.spec["schedule"], OFFICE);
      assert.equal((d.spec["placementConstraints"] as { capacity: string }).capacity, "on-demand");
      assert.ok(Math.abs(d.estimatedMonthlyUsd - Math.round(b.monthlyUsd * 100) / 100) < 0.01);
    } finally {
      await api.close();
    }
  });

  it("skips a placement remembered after a capacity failure and says why", async () => {
    const api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
    });
    try {
      const key = fx.adminKey;
      const before = await call(api.base, "POST", "/v1/quotes", { key, body: { model: MODEL } });
      const top = (before.body as { placements: QuotedTop[]; excluded?: unknown }).placements[0]!;
      assert.equal((before.body as { excluded?: unknown }).excluded, undefined);
      await recordPlacementFailure((fx.controlPlane as ControlPlaneImpl).db, {
        cloud: top.cloud,
        region: top.region,
        instanceType: top.instanceType,
        capacity: top.capacity as "spot",
        code: "capacity_unavailable",
        providerCode: "ZONE_RESOURCE_POOL_EXHAUSTED",
        message: "ZONE_RESOURCE_POOL_EXHAUSTED: The zone does not have enough resources",
        at: new Date(),
      });
      const after = await call(api.base, "POST", "/v1/quotes", { key, body: { model: MODEL } });
      assert.equal(after.status, 200, JSON.stringify(after.body));
      const body = after.body as { placements: QuotedTop[]; excluded: Array<{ instanceType: string; reason: string }> };
      assert.notEqual(
        `${body.placements[0]!.cloud} ${body.placements[0]!.instanceType} ${body.placements[0]!.capacity}`,
        `${top.cloud} ${top.instanceType} ${top.capacity}`,
      );
      assert.equal(body.excluded.length, 1);
      assert.equal(body.excluded[0]!.instanceType, top.instanceType);
      assert.match(body.excluded[0]!.reason, /^no capacity \(ZONE_RESOURCE_POOL_EXHAUSTED\) for .* skipped until /);
    } finally {
      await api.close();
    }
  });
});
