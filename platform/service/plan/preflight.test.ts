import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { defaultCatalog } from "../../core/pricing/catalog";
import type { Catalog } from "../../core/pricing/types";
import { parseQuoteRequest, quote } from "../../core/optimizer";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";
import { planDeployment } from "./index";
import { CATALOGS_KEPT } from "./protocol";
import { planPreflight } from "./preflight";
import { specFromPlacement } from "./quote";
import { BusyError } from "../../core/errors";
import { closePlanWorker } from "./runner";

// No closePlanWorker() after the tests (only the tests of a restart stop it): the plan worker (one
// per process, unreferenced when idle) stays warm for the next test file's plans, as in a server; a
// cold start costs ~2.5 s of CPU.

const ROOT = join(__dirname, "..", "..", "..");
const DEV = join(ROOT, "Pulumi.dev.yaml");

/** The same catalog with every GPU price multiplied (a distinct object: a distinct catalog to the worker). */
function scaled(catalog: Catalog, factor: number): Catalog {
  return {
    ...catalog,
    gpuOffers: catalog.gpuOffers.map((o) => ({
      ...o,
      onDemandHourlyUsd: o.onDemandHourlyUsd * factor,
      ...(o.spotHourlyUsd !== undefined && o.spotHourlyUsd !== null ? { spotHourlyUsd: o.spotHourlyUsd * factor } : {}),
    })),
  };
}

describe("pre-flight in the plan worker (#11: off the event loop)", function () {
  this.timeout(180_000);
  const catalog = defaultCatalog();
  const footprint = footprintFromConfigFile(DEV, catalog);
  const request = parseQuoteRequest({
    model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
    constraints: { clouds: ["aws"], regions: ["us-east-1"], capacity: "on-demand" },
  });
  const top = quote(request, catalog, { footprint }).placements[0];
  assert.ok(top, "the dev footprint has an aws on-demand placement");
  const spec = specFromPlacement(request, top, { owner: "t", costCenter: "t" });
  const opts = (c: Catalog) => ({ catalog: c, footprint, activeHoursPerDay: 24 });

  it("answers the same violations as the plan in this thread, and a ValidationError naming the field", async () => {
    const here = (await planDeployment(spec, { catalog, footprint })).policy.violations;
    assert.deepEqual(await planPreflight(spec, opts(catalog)), here);
    const dear = scaled(catalog, 100);
    const dearHere = (await planDeployment(spec, { catalog: dear, footprint })).policy.violations;
    assert.ok(dearHere.length > here.length, "a 100× catalog violates more (the budget)");
    assert.deepEqual(await planPreflight(spec, opts(dear)), dearHere);
    await assert.rejects(
      planPreflight({ ...spec, model: { ...spec.model, parametersBillions: -1 } }, opts(catalog)),
      (e: unknown) => e instanceof Error && e.name === "ValidationError" && /parametersBillions/.test(e.message),
    );
  });

  it("sends each catalog once and keeps the right one by id, past eviction and a restarted worker", async () => {
    const dear = scaled(catalog, 100);
    const base = await planPreflight(spec, opts(catalog));
    const high = await planPreflight(spec, opts(dear));
    assert.notDeepEqual(base, high);
    // More catalogs than a worker keeps: the first ones are evicted on both sides, then re-sent.
    const others = Array.from({ length: CATALOGS_KEPT }, (_, i) => scaled(catalog, 1 + i / 100));
    for (const c of others) await planPreflight(spec, opts(c));
    assert.deepEqual(await planPreflight(spec, opts(dear)), high, "re-sent after eviction: still the 100× catalog");
    assert.deepEqual(await planPreflight(spec, opts(catalog)), base);
    await closePlanWorker();
    assert.deepEqual(await planPreflight(spec, opts(dear)), high, "a new worker is sent the catalog again");
  });

  it("the API's planner loads neither the plan module nor its checks in the caller's thread", async () => {
    const here = (await planDeployment(spec, { catalog, footprint })).policy.violations;
    const r = (p: string) => JSON.stringify(join(ROOT, p));
    const script = `
      const { createPlanner } = require(${r("api/planner.ts")});
      const { defaultCatalog } = require(${r("platform/core/pricing/catalog.ts")});
      const { footprintFromConfigFile } = require(${r("programs/platform/footprint.ts")});
      const catalog = defaultCatalog();
      const footprint = footprintFromConfigFile(${r("Pulumi.dev.yaml")}, catalog);
      const planner = createPlanner({ catalog, footprint });
      const spec = JSON.parse(process.argv[1]);
      planner.check(spec, { activeHoursPerDay: 24 }).then(async (violations) => {
        const loaded = Object.keys(require.cache).filter((k) => /platform\\/service\\/plan\\/(index|checks\\/stack|report)\\.ts$/.test(k));
        await planner.close();
        process.stdout.write(JSON.stringify({ violations: violations.length, loaded }));
      });
    `;
    const out = execFileSync(process.execPath, ["--import", "tsx", "-e", script, JSON.stringify(spec)], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 150_000,
    });
    const { violations, loaded } = JSON.parse(out) as { violations: number; loaded: string[] };
    assert.equal(violations, here.length, "the child's pre-flight found what this thread's plan finds");
    assert.deepEqual(loaded, [], "the plan ran in this thread");
  });

  it("a plan in flight when the worker is stopped fails busy (retry), not with a crash the API turns into a 500", async () => {
    // A catalog the worker has not seen: the plan is still in flight when close() runs.
    const inFlight = planPreflight(spec, opts(scaled(catalog, 3)));
    const outcome = inFlight.then(
      () => "answered",
      (e: unknown) => e,
    );
    await closePlanWorker();
    const e = await outcome;
    assert.ok(e instanceof BusyError, `a BusyError, got ${String(e)}`);
    assert.match(e.message, /plan worker is shut down.*retry the request/);
    assert.ok(e.retryAfterSeconds > 0);
    // The next plan starts a fresh worker and answers.
    assert.deepEqual(
      await planPreflight(spec, opts(catalog)),
      (await planDeployment(spec, { catalog, footprint })).policy.violations,
    );
  });
});
