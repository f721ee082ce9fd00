/** The offline plan of a scheduled deployment: a KEDA cron ScaledObject in place of the HPA, priced for the scheduled hours. */
import assert from "node:assert/strict";
import { parseQuoteRequest, quote } from "../../core/optimizer";
import { defaultCatalog } from "../../core/pricing/catalog";
import { parseFootprint } from "../../core/footprint";
import { planDeployment } from "./index";
import { specFromPlacement } from "./quote";

describe("offline plan with a hibernation schedule", function () {
  this.timeout(300_000);
  it("schema-checks the cron ScaledObject and prices the scheduled hours like the quote", async function () {
    const catalog = defaultCatalog();
    const request = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      constraints: { clouds: ["aws"], capacity: "on-demand" },
      schedule: {
        timezone: "America/New_York",
        activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
      },
    });
    const top = quote(request, catalog, { limit: 1 }).placements[0];
    assert.ok(top);
    const footprint = parseFootprint({
      source: { kind: "config", file: "test" },
      clusters: [
        { cloud: top.cloud, region: top.region, name: `${top.cloud}-${top.region}`, pools: [], serverless: [] },
      ],
      stores: [{ cloud: top.cloud, region: top.region }],
    });
    const spec = specFromPlacement(request, top, { owner: "a", costCenter: "c" });
    assert.deepEqual(spec.schedule, request.schedule);
    const report = await planDeployment(spec, { catalog, footprint });
    const types = report.resources.map((r) => r.type);
    assert.ok(types.includes("kubernetes:keda.sh/v1alpha1:ScaledObject"), types.join(", "));
    assert.ok(!types.includes("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"));
    assert.equal(report.errors, 0, JSON.stringify(report.findings.filter((f) => f.level === "error")));
    assert.ok(
      Math.abs(report.monthlyUsd - top.monthlyUsd) < 0.01,
      `plan ${report.monthlyUsd} vs quote ${top.monthlyUsd}`,
    );
    assert.ok(top.monthlyUsd < top.hourlyUsd * 730 * 0.3);
  });
});
