import { strict as assert } from "node:assert";
import { azureIdentityParts, gcpProjectOfServiceAccount, workloadIdentityFor } from "./workload-identity";

describe("workload identity", () => {
  it("annotates the ServiceAccount per cloud", () => {
    assert.deepEqual(workloadIdentityFor("aws", { identity: "arn:aws:iam::1:role/r" }).serviceAccountAnnotations, {
      "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/r",
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
});
