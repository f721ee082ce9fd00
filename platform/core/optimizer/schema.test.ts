/**
 * A misspelt key in a quote request is an error naming its own path and the keys allowed there
 * (exact messages), at every level of the request.
 */
import assert from "node:assert/strict";
import { ValidationError } from "../validation";
import { parseQuoteRequest } from "./schema";

const model = { name: "m", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

function rejects(input: unknown, field: string, message: string): void {
  assert.throws(
    () => parseQuoteRequest(input),
    (err: unknown) => err instanceof ValidationError && err.field === field && err.message === `${field}: ${message}`,
  );
}

describe("quote request: unknown keys", () => {
  it("at the top level", () => {
    rejects(
      { model, replica: 2 },
      "replica",
      "unknown key; allowed here: model, replicas, activeHoursPerDay, environment, constraints, workload, schedule",
    );
  });
  it("in model", () => {
    rejects(
      { model: { ...model, context: 1 } },
      "model.context",
      "unknown key; allowed here: name, parametersBillions, precision, contextTokens, concurrency, architecture",
    );
  });
  it("in model.architecture", () => {
    rejects(
      { model: { ...model, architecture: { layers: 1, kvHeads: 1, headDim: 1, heads: 2 } } },
      "model.architecture.heads",
      "unknown key; allowed here: layers, kvHeads, headDim",
    );
  });
  it("in constraints", () => {
    rejects(
      { model, constraints: { gpuType: ["L4"] } },
      "constraints.gpuType",
      "unknown key; allowed here: clouds, regions, gpuTypes, capacity, maxHourlyUsd, scope, allowSuspect",
    );
  });
  it("other errors keep zod's message for the first bad field", () => {
    rejects({ model, replicas: 0 }, "replicas", "replicas must be at least 1");
    rejects({ model: { ...model, contextTokens: 1.5 } }, "model.contextTokens", "contextTokens must be a whole number");
  });
  it("valid input passes with its values", () => {
    const r = parseQuoteRequest({ model, replicas: 3, constraints: { clouds: ["gcp"], maxHourlyUsd: 9 } });
    assert.deepEqual(r.constraints, { clouds: ["gcp"], maxHourlyUsd: 9, capacity: "any" });
    assert.equal(r.replicas, 3);
  });
});
