/**
 * The response check over real HTTP on 127.0.0.1: every endpoint of the routes table answers a 2xx
 * that went through its declared schema (JSON) or declares a non-JSON content type; a body that
 * does not match is a 500 whose log line names the endpoint and the field.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import type { ControlPlane } from "../platform/service/types";
import { endpointName, checkResponse, ResponseSchemaError, type ResponseCheck } from "./response-check";
import { buildRoutes } from "./routes";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  readSse,
  serve,
  type Fixture,
} from "./testing/harness";
import { TEST_PLACEMENT, testSpec } from "../platform/service/store/testing/spec";
import { driveTo } from "../platform/service/store/testing/lifecycle-path";
import type { Db } from "../platform/service/store/db";

const MODEL = { name: "mistral-7b", parametersBillions: 7, precision: "bf16", contextTokens: 4096 };

describe("api: 2xx responses are checked against their declared schemas", () => {
  let fx: Fixture;

  before(async () => {
    // No workers: operations stay queued, so cancel, update and destroy each find what they need.
    fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", { startWorkers: false });
  });
  after(async () => {
    await fx?.close();
  });

  it("every endpoint in the routes table: its 2xx passed the check (or is declared non-JSON)", async () => {
    const checks: ResponseCheck[] = [];
    const api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      onResponseCheck: (c) => checks.push(c),
    });
    try {
      const admin = fx.adminKey;
      const ok = async (method: string, path: string, status: number, body?: unknown) => {
        const r = await call(api.base, method, path, { key: admin, ...(body !== undefined ? { body } : {}) });
        assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
        return r;
      };
      await ok("GET", "/healthz", 200);
      await ok("GET", "/readyz", 200);
      await ok("GET", "/metrics", 200);
      await ok("GET", "/openapi.json", 200);
      await ok("POST", "/v1/quotes", 200, { model: MODEL });
      const created = await ok("POST", "/v1/deployments", 202, { model: MODEL });
      const id = String(obj(created.body).id);
      await ok("GET", "/v1/deployments", 200);
      await ok("GET", `/v1/deployments/${id}`, 200);
      await ok("POST", `/v1/deployments/${id}/cancel`, 202);
      await ok("PATCH", `/v1/deployments/${id}`, 202, { replicas: 2 });
      await ok("POST", `/v1/deployments/${id}/cancel`, 202);
      await ok("DELETE", `/v1/deployments/${id}`, 202);
      const sse = await readSse(api.base, `/v1/deployments/${id}/events?follow=false`, admin, () => false);
      assert.equal(sse.status, 200);
      assert.ok(sse.frames.length > 0, "the stream replayed the deployment's events");
      const key = await makeKey(api.base, admin, "checked", "viewer");
      await ok("GET", "/v1/api-keys", 200);
      await ok("DELETE", `/v1/api-keys/${key.id}`, 200);
      const costs = "/v1/costs?groupBy=model&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
      await ok("GET", costs, 200);
      // CSV is the same body, checked as JSON first, then rendered.
      const before = checks.length;
      const csv = await call(api.base, "GET", costs, { key: admin, headers: { accept: "text/csv" } });
      assert.equal(csv.status, 200);
      assert.match(String(csv.body), /^model,usd,hours,catalogVersion,currency\r\n/);
      assert.deepEqual(
        checks.slice(before).map((c) => c.outcome),
        ["passed"],
      );
      const version = {
        version: "1",
        artifactUri: "hf://org/checked",
        precision: "bf16",
        parametersBillions: 8,
        architecture: {
          layers: 32,
          attentionHeads: 32,
          kvHeads: 8,
          headDim: 128,
          hiddenSize: 4096,
          maxContextTokens: 8192,
        },
      };
      await ok("POST", "/v1/models", 201, { name: "checked", versions: [version] });
      await ok("GET", "/v1/models", 200);
      await ok("GET", "/v1/models/checked", 200);

      // Re-quote and migration: a serving deployment (driven to ready, its create done) to move.
      const serving = await fx.controlPlane.submitDeployment({
        tenant: "default",
        actor: "test",
        name: "serving",
        environment: "dev",
        model: "mistral-7b",
        spec: testSpec("serving"),
        stackName: "default-serving-dev",
        placement: TEST_PLACEMENT,
        estimatedMonthlyUsd: TEST_PLACEMENT.monthlyUsd,
      });
      const sid = serving.deployment.id;
      const db = (fx.controlPlane as unknown as { db: Db }).db;
      await db.query(`UPDATE operations SET status = 'succeeded', finished_at = now() WHERE deployment_id = $1`, [sid]);
      await driveTo(db, sid, "ready");
      await ok("POST", "/v1/admin/requote", 200, {});
      await ok("GET", "/v1/recommendations", 200);
      await ok("POST", `/v1/deployments/${sid}/migrate`, 202, {
        placement: { cloud: "aws", region: "us-east-1", instanceType: "g6.xlarge", capacity: "spot" },
      });
      await ok("POST", `/v1/deployments/${sid}/migrate/abort`, 202);

      // The SSE handler reports when its stream has ended.
      const events = endpointName({ method: "get", path: "/v1/deployments/:id/events" });
      await eventually(async () => (checks.some((c) => c.endpoint === events) ? true : undefined));
      assert.deepEqual(
        checks.filter((c) => c.outcome === "failed"),
        [],
      );
      for (const ep of buildRoutes()) {
        const name = endpointName(ep);
        const seen = checks.filter((c) => c.endpoint === name);
        assert.ok(seen.length > 0, `${name} was not checked`);
        for (const c of seen) {
          const doc = ep.responses[c.status];
          assert.ok(doc, `${name} answered ${c.status}, which it does not declare`);
          assert.equal(c.outcome, doc.schema ? "passed" : "not-json", `${name} ${c.status}`);
        }
      }
      assert.deepEqual(
        buildRoutes()
          .filter((ep) => checks.some((c) => c.endpoint === endpointName(ep) && c.outcome === "not-json"))
          .map(endpointName)
          .sort(),
        ["GET /metrics", "GET /v1/deployments/:id/events"],
        "only the text endpoints skip the JSON check",
      );
    } finally {
      await api.close();
    }
  });

  it("a body that does not match its schema is a 500, logged with the endpoint and the field", async () => {
    const { id } = (
      await fx.controlPlane.submitDeployment({
        tenant: "default",
        actor: "test",
        name: "wrong",
        environment: "dev",
        model: "wrong",
        stackName: `wrong-${Date.now()}`,
        placement: TEST_PLACEMENT,
        estimatedMonthlyUsd: 255.5,
        spec: testSpec(),
      })
    ).deployment;
    // A facade that answers a deployment whose price is a string: the documented schema says number.
    const wrong: ControlPlane = Object.create(fx.controlPlane, {
      getDeployment: {
        value: async (tenant: string, deploymentId: string) => ({
          ...(await fx.controlPlane.getDeployment(tenant, deploymentId)),
          estimatedMonthlyUsd: "cheap",
        }),
      },
    }) as ControlPlane;
    const logged: unknown[] = [];
    const checks: ResponseCheck[] = [];
    const run = async (checkResponses: boolean) => {
      const api = await serve({
        controlPlane: wrong,
        catalog: fx.catalog,
        footprint: fx.footprint,
        settings: { ...DEFAULT_TEST_SETTINGS, checkResponses },
        log: (err) => logged.push(err),
        onResponseCheck: (c) => checks.push(c),
      });
      try {
        return await call(api.base, "GET", `/v1/deployments/${id}`, { key: fx.adminKey });
      } finally {
        await api.close();
      }
    };

    const checked = await run(true);
    assert.equal(checked.status, 500);
    assert.deepEqual(errorOf(checked), { code: "internal", message: "internal error" }, "nothing leaks to the caller");
    assert.equal(checked.headers.get("location"), null);
    assert.deepEqual(checks, [
      { endpoint: "GET /v1/deployments/:id", status: 200, outcome: "failed", field: "estimatedMonthlyUsd" },
    ]);
    assert.equal(logged.length, 1);
    const err = logged[0];
    assert.ok(err instanceof ResponseSchemaError);
    assert.match(
      err.message,
      /^response of GET \/v1\/deployments\/:id \(200\) does not match its declared schema: estimatedMonthlyUsd: /,
    );

    // In production the check is off: the same body goes out as it is.
    const unchecked = await run(false);
    assert.equal(unchecked.status, 200);
    assert.equal(obj(unchecked.body).estimatedMonthlyUsd, "cheap");
    assert.equal(checks.length, 1, "no check ran");
  });

  it("a 2xx JSON body for a status without a declared schema fails on the whole body", () => {
    const healthz = buildRoutes().find((ep) => ep.path === "/healthz");
    assert.ok(healthz);
    assert.deepEqual(checkResponse(healthz, 200, { status: "ok" }), {
      endpoint: "GET /healthz",
      status: 200,
      outcome: "passed",
    });
    assert.deepEqual(checkResponse(healthz, 201, { status: "ok" }), {
      endpoint: "GET /healthz",
      status: 201,
      outcome: "failed",
      field: "",
      detail: "no JSON response schema declared for 201",
    });
  });
});
