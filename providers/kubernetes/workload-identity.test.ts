import { strict as assert } from "node:assert";
import {
  azureIdentityParts,
  federatedCredentialName,
  gcpProjectOfServiceAccount,
  workloadIdentityFor,
} from "./workload-identity";
import { checkName } from "../limits/names";

describe("workload identity", () => {
  it("annotates the ServiceAccount per cloud; AWS uses Pod Identity only (no IRSA annotation without an OIDC provider, #16)", () => {
    assert.deepEqual(workloadIdentityFor("aws", { identity: "arn:aws:iam::1:role/r" }), {
      serviceAccountAnnotations: {},
      podLabels: {},
    });
    assert.deepEqual(
      workloadIdentityFor("gcp", { clientId: "sa@p.iam.gserviceaccount.com" }).serviceAccountAnnotations,
      { "iam.gke.io/gcp-service-account": "sa@p.iam.gserviceaccount.com" },
    );
    const az = workloadIdentityFor("azure", { clientId: "0000-1111", identity: "/subscriptions/x/…" });
    assert.deepEqual(az.serviceAccountAnnotations, { "azure.workload.identity/client-id": "0000-1111" });
    assert.deepEqual(az.podLabels, { "azure.workload.identity/use": "true" });
  });

  it("sets nothing when no identity is known (Azure needs the client id, not the resource id)", () => {
    assert.deepEqual(workloadIdentityFor("aws", {}), { serviceAccountAnnotations: {}, podLabels: {} });
    assert.deepEqual(workloadIdentityFor("azure", { identity: "/subscriptions/x" }), {
      serviceAccountAnnotations: {},
      podLabels: {},
    });
  });

  it("parses the pieces a binding needs from identity strings", () => {
    assert.equal(gcpProjectOfServiceAccount("reader@my-proj-123.iam.gserviceaccount.com"), "my-proj-123");
    assert.equal(gcpProjectOfServiceAccount("123-compute@developer.gserviceaccount.com"), undefined);
    assert.deepEqual(
      azureIdentityParts(
        "/subscriptions/s/resourceGroups/mp-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mp-reader",
      ),
      { resourceGroupName: "mp-rg", name: "mp-reader" },
    );
    assert.equal(azureIdentityParts("not-an-id"), undefined);
  });

  it("the Azure federated credential is named per deployment, within Azure's limits (#6)", () => {
    const a = federatedCredentialName("dep-llama-1");
    const b = federatedCredentialName("dep-llama-2");
    assert.notEqual(a, b, "two deployments of one model do not share a credential");
    assert.equal(a, federatedCredentialName("dep-llama-1"), "stable across runs");
    assert.equal(checkName("azure-federated-identity-credential", a), undefined);
    assert.equal(checkName("azure-federated-identity-credential", federatedCredentialName("x".repeat(500))), undefined);
  });

  it("each revision of a deployment gets its own credential; revision 1 keeps the first name (#6)", () => {
    const r1 = federatedCredentialName("dep-llama-1", 1);
    const r2 = federatedCredentialName("dep-llama-1", 2);
    assert.equal(r1, federatedCredentialName("dep-llama-1"), "revision 1 is not renamed (no replacement)");
    assert.notEqual(r1, r2, "a rollout's two ServiceAccounts do not share (overwrite) one credential");
    assert.notEqual(r2, federatedCredentialName("dep-llama-2", 2));
    assert.equal(
      checkName("azure-federated-identity-credential", federatedCredentialName("x".repeat(500), 99999)),
      undefined,
    );
    assert.throws(() => federatedCredentialName("d", 0), /revision/);
  });
});
