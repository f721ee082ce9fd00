/**
 * A migration's new stack beside the old one (#15): planned offline, the two stacks of one
 * deployment on one cluster write no object in common once the new one is the next generation,
 * and the old stack's route can hand its traffic to the new generation's Service. Without the
 * generation (the spec the migration used to build) they collide on every Kubernetes object and
 * on the cloud identity bindings.
 */
import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../../core/pricing/catalog";
import { parseQuoteRequest, quote } from "../../../core/optimizer";
import type { Cloud } from "../../../core/types";
import { planDeployment, type PlanReport } from "../index";
import { specFromPlacement } from "../quote";
import { gatewayDeploymentSetup } from "../gateway-testing";
import { objectKeys, planOverlaps, stackOverlaps } from "./overlap";
import { planMigrationOverlaps } from "../preflight";
import { footprintFromConfigFile } from "../../../../programs/platform/footprint";
import { join } from "node:path";

const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
const SERVICE = "kubernetes:core/v1:Service";
/** The identity binding each cloud's stack writes for its ServiceAccount. */
const BINDING: Record<Cloud, RegExp> = {
  aws: /^aws:eks\/podIdentityAssociation:PodIdentityAssociation clusterName=.* serviceAccount=/,
  gcp: /^gcp:serviceaccount\/iAMMember:IAMMember serviceAccountId=.* member=serviceAccount:/,
  azure: /^azure-native:managedidentity:FederatedIdentityCredential federatedIdentityCredentialResourceName=mp-dep-/,
};

describe("plan check: two stacks of one deployment write no object in common (#15)", function () {
  this.timeout(180_000);
  const catalog = defaultCatalog();

  const setup = (cloud: Cloud, scaleToZero: boolean) => gatewayDeploymentSetup(catalog, cloud, { scaleToZero });

  const routeOf = (report: PlanReport) => report.resources.find((r) => r.type === ROUTE);
  const backends = (report: PlanReport) => {
    const spec = routeOf(report)?.inputs?.["spec"] as { rules: Array<{ backendRefs: Array<Record<string, unknown>> }> };
    return spec.rules[0]?.backendRefs ?? [];
  };

  for (const cloud of ["aws", "gcp", "azure"] as const) {
    it(`${cloud}: generation 2 beside generation 1 shares nothing but the path; generation 1 twice collides`, async () => {
      const { spec, platformOutputs } = setup(cloud, false);
      const options = { catalog, platformOutputs };
      const old = await planDeployment(spec, { ...options, stack: "acme-llama-dev-1a2b3c4d" });
      const next = await planDeployment({ ...spec, generation: 2 }, { ...options, stack: "acme-llama-dev-m0f1e2d" });
      assert.deepEqual(planOverlaps(old, next), [], "the new generation writes only objects of its own");
      // The same path, so the same endpoint: the new route takes over when the old one is deleted.
      assert.equal(next.outputs["endpoint"], old.outputs["endpoint"]);
      assert.match(String(old.outputs["endpoint"]), /^https:\/\//);
      assert.notEqual(routeOf(next)?.inputs?.["metadata"], routeOf(old)?.inputs?.["metadata"]);

      // What the migration built before: the old spec under the new stack's name.
      const same = await planDeployment(spec, { ...options, stack: "acme-llama-dev-m0f1e2d" });
      const objects = planOverlaps(old, same).map((o) => o.object);
      assert.ok(
        objects.some((o) => o.startsWith("HTTPRoute.gateway.networking.k8s.io ")),
        objects.join("\n"),
      );
      assert.ok(
        objects.some((o) => o.startsWith("Deployment.apps ")),
        objects.join("\n"),
      );
      assert.ok(
        objects.some((o) => BINDING[cloud].test(o)),
        `a ${cloud} identity binding in:\n${objects.join("\n")}`,
      );
    });

    it(`${cloud}: the handoff sends the old route's traffic to generation 2's Service (scale-to-zero: its wake host)`, async () => {
      for (const scaleToZero of [false, true]) {
        const { spec, platformOutputs } = setup(cloud, scaleToZero);
        const options = { catalog, platformOutputs };
        const next = await planDeployment({ ...spec, generation: 2 }, options);
        const handing = await planDeployment({ ...spec, handoff: { generation: 2, weight: 100 } }, options);
        const plain = await planDeployment(spec, options);
        assert.equal(handing.findings.filter((f) => f.level === "error").length, 0, JSON.stringify(handing.findings));
        const refs = backends(handing);
        assert.deepEqual(
          refs.map((r) => r["weight"]),
          [0, 100],
        );
        if (!scaleToZero) {
          const nextServices = next.resources
            .filter((r) => r.type === SERVICE)
            .map((r) => (r.inputs?.["metadata"] as { name: string }).name);
          assert.equal(refs[0]?.["name"], backends(plain)[0]?.["name"], "weight 0 to its own Service");
          assert.ok(
            nextServices.includes(String(refs[1]?.["name"])),
            `${String(refs[1]?.["name"])} in ${nextServices.join(", ")}`,
          );
        } else {
          const hosts = next.resources
            .filter((r) => r.type === "kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject")
            .flatMap((r) => (r.inputs?.["spec"] as { hosts: string[] }).hosts);
          const rewrite = (r: Record<string, unknown> | undefined) =>
            (r?.["filters"] as Array<{ urlRewrite: { hostname: string } }>)[0]?.urlRewrite.hostname;
          assert.ok(hosts.includes(String(rewrite(refs[1]))), `${String(rewrite(refs[1]))} in ${hosts.join(", ")}`);
          assert.notEqual(rewrite(refs[0]), rewrite(refs[1]));
        }
      }
    });
  }

  it("in the plan worker, against the dev footprint: what a migration request checks before it is accepted", async () => {
    const footprint = footprintFromConfigFile(join(__dirname, "..", "..", "..", "..", "Pulumi.dev.yaml"), catalog);
    const request = parseQuoteRequest({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      constraints: { clouds: ["gcp"], capacity: "spot" },
    });
    const top = quote(request, catalog, { footprint }).placements[0];
    assert.ok(top);
    const spec = specFromPlacement(request, top, { owner: "a", costCenter: "c" });
    const from = { spec, stack: "acme-llama-dev-1a2b3c4d" };
    const clash = await planMigrationOverlaps(from, { spec, stack: "acme-llama-dev-m0f1e2d" }, { footprint });
    assert.ok(clash.length > 0 && clash.every((o) => o.object.length > 0));
    const next = { spec: { ...spec, generation: 2 }, stack: "acme-llama-dev-m0f1e2d" };
    assert.deepEqual(await planMigrationOverlaps(from, next, { footprint }), []);
  });

  it("objectKeys: the tenant Namespace is shared by design; auto-named and component resources have no key", () => {
    const ns = {
      type: "kubernetes:core/v1:Namespace",
      name: "ns",
      inputs: { metadata: { name: "mp-a" } },
      custom: true,
    };
    assert.deepEqual(objectKeys(ns), []);
    assert.deepEqual(objectKeys({ type: "aws:iam/role:Role", name: "r", inputs: {}, custom: true }), []);
    assert.deepEqual(objectKeys({ type: "modelplane:x:Y", name: "c", inputs: { name: "n" }, custom: false }), []);
    const role = { type: "aws:iam/role:Role", name: "r", inputs: { name: "mp-x-exec" }, custom: true };
    assert.deepEqual(objectKeys(role), ["aws:iam/role:Role name=mp-x-exec"]);
    const svc = (ns: string) => ({
      type: SERVICE,
      name: "s",
      inputs: { metadata: { name: "llama", namespace: ns } },
      custom: true,
    });
    assert.equal(stackOverlaps([svc("mp-a")], [svc("mp-b")]).length, 0, "another namespace is another object");
    assert.deepEqual(stackOverlaps([svc("mp-a"), role], [svc("mp-a"), { ...role, name: "r2" }]), [
      { object: "Service.core mp-a/llama", first: { type: SERVICE, name: "s" }, second: { type: SERVICE, name: "s" } },
      {
        object: "aws:iam/role:Role name=mp-x-exec",
        first: { type: "aws:iam/role:Role", name: "r" },
        second: { type: "aws:iam/role:Role", name: "r2" },
      },
    ]);
  });
});
