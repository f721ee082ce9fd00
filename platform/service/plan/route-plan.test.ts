import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../core/pricing/catalog";
import { parseQuoteRequest, quote } from "../../core/optimizer";
import type { Cloud } from "../../core/types";
import { planDeployment } from "./index";
import { gatewayDeploymentSetup } from "./gateway-testing";
import { specFromPlacement } from "./quote";
import { join } from "node:path";
import { footprintFromConfigFile } from "../../../programs/platform/footprint";

// No closePlanWorker() after the tests: the plan worker (one per process, unreferenced when idle)
// stays warm for the next test file's plans, as in a server; a cold start costs ~2.5 s of CPU.

const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";

/**
 * Done-when of issue 14: "The plan of a cluster deployment shows its HTTPRoute and an https
 * endpoint output", on each cloud, against platform outputs with a `gateway` (GatewayOutput) and
 * every add-on: the route's objects pass the schema and add-on contract checks.
 */
describe("planDeployment: a cluster deployment behind the cluster gateway", function () {
  this.timeout(180_000);
  const catalog = defaultCatalog();

  const setup = (cloud: Cloud, scaleToZero: boolean) => gatewayDeploymentSetup(catalog, cloud, { scaleToZero });

  for (const cloud of ["aws", "gcp", "azure"] as const) {
    it(`${cloud}: the plan shows the HTTPRoute and the https endpoint; the wake objects pass every check`, async () => {
      const { spec, platformOutputs } = setup(cloud, true);
      const report = await planDeployment(spec, { catalog, platformOutputs });
      const types = report.resources.map((r) => r.type);
      assert.ok(types.includes(ROUTE), types.join(", "));
      assert.ok(types.includes("kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant"));
      assert.ok(types.includes("kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy"));
      assert.match(
        String(report.outputs["endpoint"]),
        new RegExp(`^https://models\\.${cloud}\\.example\\.com/mp-[a-z0-9-]+/llama-3-1-8b-[0-9a-f]{6}/v1$`),
      );
      assert.match(String(report.outputs["inClusterEndpoint"]), /^http:\/\/.+\.svc\.cluster\.local:8080\/v1$/);
      const routeFindings = report.findings.filter((f) => /gateway/.test(f.resource?.type ?? ""));
      assert.deepEqual(routeFindings, [], JSON.stringify(routeFindings, null, 1));
      assert.equal(report.errors, 0);
    });
  }

  it("the same platform without a gateway: no HTTPRoute, no endpoint, and the reason", async () => {
    const { spec, platformOutputs } = setup("gcp", false);
    for (const c of Object.values(platformOutputs.clusters)) delete (c as { gateway?: unknown }).gateway;
    const report = await planDeployment(spec, { catalog, platformOutputs });
    assert.equal(report.resources.filter((r) => r.type === ROUTE).length, 0);
    assert.equal(report.outputs["endpoint"], undefined);
    assert.match(String(report.outputs["endpointReason"]), /installs no gateway/);
  });

  it("against the dev footprint (modelplane plan … --platform Pulumi.dev.yaml): the HTTPRoute and an https endpoint", async () => {
    const footprint = footprintFromConfigFile(join(__dirname, "..", "..", "..", "Pulumi.dev.yaml"));
    const request = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      constraints: { clouds: ["gcp"], regions: ["us-central1"], capacity: "spot" },
    });
    const top = quote(request, catalog).placements[0];
    assert.ok(top);
    const report = await planDeployment(specFromPlacement(request, top, { owner: "a", costCenter: "c" }), {
      catalog,
      footprint,
    });
    assert.ok(report.resources.some((r) => r.type === ROUTE));
    assert.match(String(report.outputs["endpoint"]), /^https:\/\/.+\/mp-[a-z0-9-]+\/llama-3-1-8b-[0-9a-f]{6}\/v1$/);
  });
});
