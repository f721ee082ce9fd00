/** The one error mapper: every error class to its status, code and safe message. */
import * as assert from "node:assert/strict";
import {
  ConflictError,
  EngineUnavailableError,
  InfeasibleError,
  NotFoundError,
  PolicyDeniedError,
} from "../platform/core/errors";
import { ValidationError } from "../platform/core/validation";
import { ForbiddenError, MethodNotAllowedError, RateLimitedError, toHttpError, UnauthorizedError } from "./errors";

describe("api error mapper", () => {
  it("maps each domain error to its status and code", () => {
    const cases: Array<[unknown, number, string]> = [
      [new ValidationError("constraints.clouds[1]", "bad cloud"), 400, "invalid_request"],
      [new UnauthorizedError(), 401, "unauthorized"],
      [new ForbiddenError("no"), 403, "forbidden"],
      [new NotFoundError("deployment x"), 404, "not_found"],
      [new MethodNotAllowedError("PUT", "/v1/x", ["GET"]), 405, "method_not_allowed"],
      [new ConflictError("busy"), 409, "conflict"],
      [new InfeasibleError("nothing fits"), 422, "infeasible"],
      [
        new PolicyDeniedError([{ policy: "max-monthly-cost", level: "mandatory", message: "too dear" }]),
        422,
        "policy_denied",
      ],
      [new RateLimitedError(7), 429, "rate_limited"],
      [new EngineUnavailableError("Pulumi CLI not found"), 503, "engine_unavailable"],
    ];
    for (const [err, status, code] of cases) {
      const m = toHttpError(err);
      assert.equal(m.status, status, code);
      assert.equal(m.body.error.code, code);
      assert.equal(m.internal, false);
    }
  });

  it("carries the field for 400s, the violations for policy denials, Retry-After for 429s", () => {
    const v = toHttpError(new ValidationError("model.precision", "bad"));
    assert.equal(v.body.error.field, "model.precision");
    assert.equal(v.body.error.message, "model.precision: bad");
    const violations = [
      { policy: "max-monthly-cost", level: "mandatory" as const, message: "estimated 9000 USD > 5000 USD" },
    ];
    assert.deepEqual(toHttpError(new PolicyDeniedError(violations)).body.error.violations, violations);
    assert.equal(toHttpError(new RateLimitedError(3)).headers["Retry-After"], "3");
  });

  it("maps body-parser errors: 413 too large, 400 bad JSON", () => {
    assert.equal(toHttpError({ type: "entity.too.large", status: 413, limit: 1024 }).status, 413);
    assert.equal(toHttpError({ type: "entity.parse.failed", status: 400 }).body.error.code, "invalid_json");
  });

  it("never leaks an unknown error's message", () => {
    const m = toHttpError(new Error("password=hunter2 at db-internal:5432"));
    assert.equal(m.status, 500);
    assert.deepEqual(m.body, { error: { code: "internal", message: "internal error" } });
    assert.equal(m.internal, true);
    assert.equal(toHttpError("a string").status, 500);
    // An object that merely looks like a 5xx body-parser error is still internal.
    assert.equal(toHttpError({ type: "stream.not.readable", status: 500 }).status, 500);
  });
});
