import { strict as assert } from "node:assert";
import { deploymentUrns, workloadsFromState } from "./observe";
import { evaluateWorkloads } from "../readiness";

/** A state export as `pulumi stack export` writes it (deployment.resources), trimmed to what matters. */
const state = {
  resources: [
    { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" },
    {
      urn: "urn:pulumi:s::p::modelplane:serving:ModelService$kubernetes:apps/v1:Deployment::llama-server",
      type: "kubernetes:apps/v1:Deployment",
      outputs: {
        metadata: { name: "llama-abc123", namespace: "mp-t", generation: 2 },
        spec: { replicas: 1 },
        status: {
          observedGeneration: 2,
          replicas: 1,
          updatedReplicas: 1,
          conditions: [
            {
              type: "Available",
              status: "False",
              reason: "MinimumReplicasUnavailable",
              message: "Deployment does not have minimum availability.",
            },
            { type: "Progressing", status: "True", reason: "ReplicaSetUpdated" },
          ],
        },
      },
    },
    {
      urn: "urn:pulumi:s::p::kubernetes:apps/v1:Deployment::gone",
      type: "kubernetes:apps/v1:Deployment",
      delete: true,
    },
    { urn: "urn:pulumi:s::p::kubernetes:core/v1:Service::svc", type: "kubernetes:core/v1:Service", outputs: {} },
  ],
};

describe("observe: Deployments from a state export", () => {
  it("targets only the stack's live Deployments", () => {
    assert.deepEqual(deploymentUrns(state), [
      "urn:pulumi:s::p::modelplane:serving:ModelService$kubernetes:apps/v1:Deployment::llama-server",
    ]);
    assert.deepEqual(deploymentUrns(undefined), []);
  });

  it("reads replicas, generation and conditions; a Deployment with no available replica is pending", () => {
    const [w, ...rest] = workloadsFromState(state);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { ...w, conditions: w?.conditions.map((c) => c.type) },
      {
        name: "llama-abc123",
        namespace: "mp-t",
        desiredReplicas: 1,
        updatedReplicas: 1,
        generation: 2,
        observedGeneration: 2,
        conditions: ["Available", "Progressing"],
      },
    );
    const e = evaluateWorkloads(workloadsFromState(state));
    assert.equal(e.state, "pending");
    assert.match(e.reason, /mp-t\/llama-abc123: 0\/1 available, 1\/1 updated \(MinimumReplicasUnavailable/);
  });
});
