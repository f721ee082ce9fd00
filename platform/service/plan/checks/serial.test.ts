import * as assert from "node:assert/strict";
import { SERIAL_WRITE_LIMITS } from "../../../../providers/limits/serial-writes";
import { checkSerialWrites } from "./serial";
import { recorded } from "./testing";

const FIC = "azure-native:managedidentity:FederatedIdentityCredential";
const POOL = "azure-native:containerservice:AgentPool";

const credential = (name: string, credentialName: string, identity = "mp-reader", dependsOn: string[] = []) =>
  recorded(
    FIC,
    name,
    {
      resourceGroupName: "rg",
      resourceName: identity,
      federatedIdentityCredentialResourceName: credentialName,
      subject: `system:serviceaccount:ns:${name}`,
    },
    { dependsOn },
  );

describe("plan check: serial writes (Azure credentials on one identity, AKS pools on one cluster)", () => {
  it("two credentials on one identity with no dependency: an error on the second naming dependsOn and the source", () => {
    const a = credential("a", "mp-dep-1");
    const b = credential("b", "mp-dep-1-r2");
    const findings = checkSerialWrites([a, b]);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    const f = findings[0];
    assert.equal(f?.level, "error");
    assert.equal(f?.check, "serial");
    assert.deepEqual(f?.resource, { type: FIC, name: "b" });
    assert.equal(f?.field, "dependsOn");
    assert.match(f?.message ?? "", /409 Conflict/);
    assert.match(f?.message ?? "", /make b depend on a/);
    assert.match(f?.source ?? "", /workload-identity-federation-considerations/);
  });

  it("chained credentials pass, directly or through another resource", () => {
    const a = credential("a", "n1");
    const b = credential("b", "n2", "mp-reader", [a.urn]);
    assert.deepEqual(checkSerialWrites([a, b]), []);
    const svc = recorded("kubernetes:core/v1:ServiceAccount", "sa", {}, { dependsOn: [a.urn] });
    const c = credential("c", "n3", "mp-reader", [svc.urn]);
    assert.deepEqual(checkSerialWrites([a, svc, c]), []);
    // Three in a row: c after b after a orders every pair.
    const c2 = credential("c2", "n3", "mp-reader", [b.urn]);
    assert.deepEqual(checkSerialWrites([a, b, c2]), []);
  });

  it("credentials on different identities may be written at once", () => {
    assert.deepEqual(checkSerialWrites([credential("a", "n1", "id-1"), credential("b", "n2", "id-2")]), []);
  });

  it("one credential name twice on one identity: both write one object (even when chained)", () => {
    const a = credential("a", "mp-dep-x");
    const b = credential("b", "mp-dep-x", "mp-reader", [a.urn]);
    const findings = checkSerialWrites([a, b]);
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.equal(findings[0]?.field, "federatedIdentityCredentialResourceName");
    assert.match(findings[0]?.message ?? "", /overwrites/);
  });

  it("an identity not known offline: a warning, not an error", () => {
    const a = recorded(FIC, "a", { resourceGroupName: "[unknown]", resourceName: "id" });
    const findings = checkSerialWrites([a]);
    assert.deepEqual(
      findings.map((f) => [f.level, f.check]),
      [["warning", "serial"]],
    );
  });

  it("AKS agent pools on one cluster: unchained is an error, marked as not confirmed by Microsoft", () => {
    const p1 = recorded(POOL, "p1", { resourceGroupName: "rg", resourceName: "aks", agentPoolName: "spa" });
    const p2 = recorded(POOL, "p2", { resourceGroupName: "rg", resourceName: "aks", agentPoolName: "oda" });
    const findings = checkSerialWrites([p1, p2]);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.source ?? "", /not confirmed/);
    const p3 = recorded(
      POOL,
      "p3",
      { resourceGroupName: "rg", resourceName: "aks", agentPoolName: "odb" },
      {
        dependsOn: [p1.urn],
      },
    );
    assert.deepEqual(checkSerialWrites([p1, p3]), []);
  });

  it("every row of the table has a source address and a date", () => {
    for (const row of Object.values(SERIAL_WRITE_LIMITS)) {
      assert.match(row.source.url, /^https:\/\//);
      assert.ok(row.source.title.length > 0);
      assert.match(row.checked, /^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
