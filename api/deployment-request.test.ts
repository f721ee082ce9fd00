/**
 * The stack spec a deployment request builds keeps the workload the placement was sized for
 * (model.concurrency, model.architecture), so re-placements (failover, re-quote, migration) size
 * for the same.
 */
import assert from "node:assert/strict";
import { TEST_PLACEMENT } from "../platform/service/store/testing/spec";
import { buildSpec, CreateDeploymentBody, type CreateDeploymentRequest } from "./deployment-request";

const CTX = { tenant: "acme", keyName: "k", deploymentId: "dep-1", platformStack: "acme/modelplane-platform/dev" };
const MODEL = { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 32768 };

const body = (model: Record<string, unknown>): CreateDeploymentRequest =>
  CreateDeploymentBody.parse({ model }) as CreateDeploymentRequest;

describe("deployment request → stack spec", function () {
  it("keeps the request's concurrency and architecture in the spec's model", function () {
    const architecture = { layers: 32, kvHeads: 8, headDim: 128 };
    const spec = buildSpec(body({ ...MODEL, concurrency: 8, architecture }), TEST_PLACEMENT, CTX);
    assert.equal(spec.model.concurrency, 8);
    assert.deepEqual(spec.model.architecture, architecture);
  });

  it("a request without them sizes for one sequence, and says so in the spec", function () {
    const spec = buildSpec(body(MODEL), TEST_PLACEMENT, CTX);
    assert.equal(spec.model.concurrency, 1);
    assert.equal(spec.model.architecture, undefined);
  });
});
