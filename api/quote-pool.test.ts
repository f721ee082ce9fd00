import * as assert from "node:assert/strict";
import { BusyError } from "../platform/core/errors";
import { quote } from "../platform/core/optimizer";
import type { QuoteRunner } from "../platform/service/compute/quote-pool";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { call, controlPlaneFixture, DEFAULT_TEST_SETTINGS, errorOf, serve, type Fixture } from "./testing/harness";

const MODEL = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

describe("api: quotes run through the quote pool when given one (issue 11, bounded work)", () => {
  let fx: Fixture;
  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", { startWorkers: false });
  });
  after(async () => fx.close());

  async function withRunner<T>(runner: QuoteRunner, fn: (base: string) => Promise<T>): Promise<T> {
    const api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      quotes: runner,
    });
    try {
      return await fn(api.base);
    } finally {
      await api.close();
    }
  }

  it("POST /v1/quotes hands the validated request to the pool and answers its quote", async () => {
    const seen: unknown[] = [];
    const runner: QuoteRunner = {
      quote: (request, options) => {
        seen.push({ request, options });
        return Promise.resolve(quote(request, fx.catalog, { ...options, footprint: fx.footprint }));
      },
      close: () => Promise.resolve(),
    };
    const r = await withRunner(runner, (base) =>
      call(base, "POST", "/v1/quotes", { key: fx.adminKey, body: { model: MODEL } }),
    );
    assert.equal(r.status, 200);
    assert.equal(seen.length, 1);
    const job = seen[0] as { request: { model: { name: string }; replicas: number }; options: { now: Date } };
    assert.equal(job.request.model.name, MODEL.name);
    assert.equal(job.request.replicas, 1, "defaults applied before the pool");
    assert.ok(job.options.now instanceof Date);
    assert.ok((r.body as { placements: unknown[] }).placements.length > 0);
  });

  it("a full pool answers 503 `busy` with Retry-After, never 500", async () => {
    const runner: QuoteRunner = {
      quote: () => Promise.reject(new BusyError("too many quote requests in progress (1 running, 8 waiting)", 1)),
      close: () => Promise.resolve(),
    };
    const r = await withRunner(runner, (base) =>
      call(base, "POST", "/v1/quotes", { key: fx.adminKey, body: { model: MODEL } }),
    );
    assert.equal(r.status, 503);
    assert.equal(r.headers.get("retry-after"), "1");
    assert.equal(errorOf(r).code, "busy");
    assert.match(errorOf(r).message, /too many quote requests in progress/);
  });
});
