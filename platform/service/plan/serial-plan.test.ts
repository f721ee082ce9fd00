import * as assert from "node:assert/strict";
import { defaultCatalog } from "../../core/pricing/catalog";
import { planDeployment } from "./index";
import { gatewayDeploymentSetup } from "./gateway-testing";

// No closePlanWorker() after the tests: the plan worker (one per process, unreferenced when idle)
// stays warm for the next test file's plans, as in a server; a cold start costs ~2.5 s of CPU.

const FIC = "azure-native:managedidentity:FederatedIdentityCredential";

/**
 * Issue 12, #6: during a rollout an Azure deployment stack binds two ServiceAccounts to the store
 * reader identity. Azure refuses concurrent credential writes on one identity (409), and one
 * credential name for both revisions made the second overwrite the first. The plan shows both
 * credentials, named apart, the second depending on the first; the serial check passes.
 */
describe("planDeployment: an Azure rollout writes its federated credentials one after the other", function () {
  this.timeout(180_000);
  const catalog = defaultCatalog();

  it("two credentials, two names, the second depends on the first; no serial finding", async () => {
    const { spec: base, platformOutputs } = gatewayDeploymentSetup(catalog, "azure", { capacity: "on-demand" });
    const spec = {
      ...base,
      model: { ...base.model, version: "v2" },
      revision: 2,
      rollout: {
        strategy: "canary" as const,
        weight: 10,
        stable: { revision: 1, model: base.model, server: base.server ?? { kind: "vllm" as const } },
      },
    };
    const report = await planDeployment(spec, { catalog, platformOutputs });
    const creds = report.resources.filter((r) => r.type === FIC);
    assert.equal(creds.length, 2, report.resources.map((r) => r.type).join(", "));
    const [first, second] = creds;
    const input = (i: number, key: string) => creds[i]?.inputs?.[key];
    assert.notEqual(
      input(0, "federatedIdentityCredentialResourceName"),
      input(1, "federatedIdentityCredentialResourceName"),
    );
    assert.notEqual(input(0, "subject"), input(1, "subject"));
    assert.ok(first?.urn && second?.dependsOn?.includes(first.urn), JSON.stringify(second?.dependsOn));
    // One identity per stack (providers/azure/reader-identity.ts): both credentials are on it, not
    // on the store's shared reader, and the first waits for it; its grant reads both revisions' weights.
    const own = report.resources.filter((r) => r.type === "azure-native:managedidentity:UserAssignedIdentity");
    assert.equal(own.length, 1);
    for (const i of [0, 1]) assert.equal(input(i, "resourceName"), own[0]?.inputs?.["resourceName"]);
    assert.notEqual(input(0, "resourceName"), "plan-reader");
    assert.ok(own[0]?.urn && first?.dependsOn?.includes(own[0].urn), JSON.stringify(first?.dependsOn));
    const grants = report.resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
    assert.equal(grants.length, 1);
    const condition = String(grants[0]?.inputs?.["condition"]);
    for (const v of [base.model.version ?? "latest", "v2"])
      assert.ok(condition.includes(`/${v}/'`), `${v} weights: ${condition}`);
    const serial = report.findings.filter((f) => f.check === "serial");
    assert.deepEqual(serial, [], JSON.stringify(serial, null, 1));
  });
});
