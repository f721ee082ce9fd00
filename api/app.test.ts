/**
 * The API's cross-cutting behaviour over real HTTP on 127.0.0.1, in front of the real control plane
 * on PGlite: auth and roles, key management, tenant isolation, validation messages, body limits,
 * rate limits, unknown routes, internal errors, the OpenAPI document and the metrics.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { quote } from "../platform/core/optimizer";
import { buildRoutes } from "./routes";
import { DeploymentAcceptedSchema, DeploymentPageSchema, DeploymentSchema, ErrorResponseSchema } from "./schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

import { clusterAt } from "../platform/core/footprint";

const MODEL = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

describe("api: auth, tenants, validation, limits (real HTTP, PGlite control plane)", () => {
  let fx: Fixture;
  let api: RunningApi;
  let engine: TestEngine;
  let adminA: string;
  let deployerA: string;
  let viewerA: string;
  let deployerB: string;
  let deploymentA: string;
  const logged: unknown[] = [];

  before(async function () {
    // The first file in a mocha worker also pays for the in-memory database template (a loaded CI machine: > 30 s).
    this.timeout(120_000);
    engine = new TestEngine();
    fx = await controlPlaneFixture({ engine });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      footprint: fx.footprint,
      settings: DEFAULT_TEST_SETTINGS,
      log: (e) => logged.push(e),
    });
    adminA = (await makeKey(api.base, fx.adminKey, "team-a", "admin")).secret;
    deployerA = (await makeKey(api.base, fx.adminKey, "team-a", "deployer")).secret;
    viewerA = (await makeKey(api.base, fx.adminKey, "team-a", "viewer")).secret;
    deployerB = (await makeKey(api.base, fx.adminKey, "team-b", "deployer")).secret;
    const r = await call(api.base, "POST", "/v1/deployments", { key: deployerA, body: { model: MODEL } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    deploymentA = String(obj(r.body).id);
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  describe("auth", () => {
    it("answers 401 without a key, with WWW-Authenticate and the error envelope", async () => {
      const r = await call(api.base, "GET", "/v1/deployments");
      assert.equal(r.status, 401);
      assert.match(r.headers.get("www-authenticate") ?? "", /^Bearer/);
      ErrorResponseSchema.parse(r.body);
      assert.equal(errorOf(r).code, "unauthorized");
    });

    it("answers 401 for an unknown key and for a malformed header", async () => {
      const r = await call(api.base, "GET", "/v1/deployments", { key: "mp_nope_0000000000000000" });
      assert.equal(r.status, 401);
      assert.match(errorOf(r).message, /invalid or revoked/);
      const m = await call(api.base, "GET", "/v1/deployments", {
        headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
      });
      assert.equal(m.status, 401);
      assert.match(errorOf(m).message, /Bearer/);
    });

    it("lets a viewer read and quote but not deploy (403)", async () => {
      assert.equal((await call(api.base, "GET", "/v1/deployments", { key: viewerA })).status, 200);
      assert.equal((await call(api.base, "POST", "/v1/quotes", { key: viewerA, body: { model: MODEL } })).status, 200);
      const r = await call(api.base, "POST", "/v1/deployments", {
        key: viewerA,
        body: { model: { ...MODEL, name: "viewer-try" } },
      });
      assert.equal(r.status, 403);
      assert.equal(errorOf(r).code, "forbidden");
      assert.match(errorOf(r).message, /viewer.*deployer/);
      for (const [method, path] of [
        ["DELETE", `/v1/deployments/${deploymentA}`],
        ["POST", `/v1/deployments/${deploymentA}/cancel`],
      ] as const) {
        assert.equal((await call(api.base, method, path, { key: viewerA })).status, 403, `${method} ${path}`);
      }
      const p = await call(api.base, "PATCH", `/v1/deployments/${deploymentA}`, {
        key: viewerA,
        body: { scaling: { maxReplicas: 2 } },
      });
      assert.equal(p.status, 403);
    });

    it("keeps key management to admins (403 for a deployer)", async () => {
      const c = await call(api.base, "POST", "/v1/api-keys", { key: deployerA, body: { role: "viewer", name: "x" } });
      assert.equal(c.status, 403);
      const created = await makeKey(api.base, adminA, "team-a", "viewer", "short-lived");
      const d = await call(api.base, "DELETE", `/v1/api-keys/${created.id}`, { key: deployerA });
      assert.equal(d.status, 403);
    });

    it("creates a key for the admin's own tenant by default, and a revoked key stops working at once", async () => {
      const r = await call(api.base, "POST", "/v1/api-keys", { key: adminA, body: { role: "viewer", name: "temp" } });
      assert.equal(r.status, 201);
      const b = obj(r.body);
      const key = obj(b.key);
      assert.equal(key.tenant, "team-a");
      assert.equal(key.role, "viewer");
      assert.ok(!JSON.stringify(key).includes(String(b.secret)), "the key listing never carries the secret");
      assert.equal(r.headers.get("location"), `/v1/api-keys/${String(key.id)}`);
      const secret = String(b.secret);
      assert.equal((await call(api.base, "GET", "/v1/deployments", { key: secret })).status, 200);
      const rev = await call(api.base, "DELETE", `/v1/api-keys/${String(key.id)}`, { key: adminA });
      assert.equal(rev.status, 200);
      assert.notEqual(obj(rev.body).revokedAt, null);
      assert.equal((await call(api.base, "GET", "/v1/deployments", { key: secret })).status, 401);
      const again = await call(api.base, "DELETE", "/v1/api-keys/00000000-0000-4000-8000-000000000000", {
        key: adminA,
      });
      assert.equal(again.status, 404);
    });
  });

  describe("every endpoint", () => {
    const RANK = { viewer: 0, deployer: 1, admin: 2, "platform-admin": 3 } as const;
    const pathOf = (template: string) => template.replace(":id", deploymentA);

    it("answers 401 without a key on every authenticated route, and serves public ones without", async () => {
      // The gateway's inference-key check is public to management keys but demands an inference key
      // (api/inference-keys.test.ts): it is the one public route that answers 401.
      for (const ep of buildRoutes().filter((e) => !e.anyMethod)) {
        const r = await call(
          api.base,
          ep.method.toUpperCase(),
          pathOf(ep.path).replace(/\/events$/, "/events?follow=false"),
          ep.body ? { body: {} } : {},
        );
        if (ep.role === null) assert.ok(r.status === 200 || r.status === 503, `${ep.method} ${ep.path} → ${r.status}`);
        else {
          assert.equal(r.status, 401, `${ep.method} ${ep.path}`);
          assert.equal(errorOf(r).code, "unauthorized");
        }
      }
    });

    it("answers 403 to every key below an endpoint's role, before reading the body", async () => {
      const keys = { viewer: viewerA, deployer: deployerA } as const;
      for (const ep of buildRoutes()) {
        if (ep.role === null) continue;
        for (const [role, key] of Object.entries(keys) as Array<[keyof typeof keys, string]>) {
          if (RANK[role] >= RANK[ep.role]) continue;
          const r = await call(api.base, ep.method.toUpperCase(), pathOf(ep.path), {
            key,
            ...(ep.body ? { body: {} } : {}),
          });
          assert.equal(r.status, 403, `${role} ${ep.method} ${ep.path}`);
        }
      }
    });
  });

  describe("tenant isolation", () => {
    it("never shows tenant A's deployment to tenant B: list, get, events, patch, delete, cancel", async () => {
      const listB = await call(api.base, "GET", "/v1/deployments", { key: deployerB });
      assert.equal(listB.status, 200);
      assert.deepEqual(
        DeploymentPageSchema.parse(listB.body)
          .items.map((d) => d.id)
          .filter((id) => id === deploymentA),
        [],
      );
      const listA = DeploymentPageSchema.parse((await call(api.base, "GET", "/v1/deployments", { key: viewerA })).body);
      assert.ok(listA.items.some((d) => d.id === deploymentA));
      assert.ok(listA.items.every((d) => d.tenant === "team-a"));

      const probes: Array<[string, string, unknown]> = [
        ["GET", `/v1/deployments/${deploymentA}`, undefined],
        ["GET", `/v1/deployments/${deploymentA}/events?follow=false`, undefined],
        ["PATCH", `/v1/deployments/${deploymentA}`, { scaling: { maxReplicas: 3 } }],
        ["DELETE", `/v1/deployments/${deploymentA}`, undefined],
        ["POST", `/v1/deployments/${deploymentA}/cancel`, undefined],
      ];
      for (const [method, path, body] of probes) {
        const r = await call(api.base, method, path, { key: deployerB, ...(body !== undefined ? { body } : {}) });
        assert.equal(r.status, 404, `${method} ${path} → ${r.status}`);
        assert.equal(errorOf(r).code, "not_found");
      }
      // ...and A still sees its deployment untouched.
      const a = await call(api.base, "GET", `/v1/deployments/${deploymentA}`, { key: viewerA });
      assert.equal(a.status, 200);
      assert.ok(!DeploymentSchema.parse(a.body).operations.some((o) => o.kind !== "create"));
    });
  });

  describe("validation", () => {
    it("names the nested field of a bad quote request", async () => {
      const r = await call(api.base, "POST", "/v1/quotes", {
        key: viewerA,
        body: { model: { ...MODEL, parametersBillions: -8 } },
      });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).code, "invalid_request");
      assert.equal(errorOf(r).field, "model.parametersBillions");
      assert.match(errorOf(r).message, /^model\.parametersBillions: /);
      const c = await call(api.base, "POST", "/v1/quotes", {
        key: viewerA,
        body: { model: MODEL, constraints: { clouds: ["aws", "ibm"] } },
      });
      assert.equal(c.status, 400);
      assert.equal(errorOf(c).field, "constraints.clouds[1]");
    });

    it("rejects unknown keys, naming them", async () => {
      const r = await call(api.base, "POST", "/v1/deployments", {
        key: deployerA,
        body: { model: MODEL, enviroment: "dev" },
      });
      assert.equal(r.status, 400);
      assert.match(errorOf(r).message, /enviroment/);
    });

    it("names the deployment option at fault (spec validation)", async () => {
      const r = await call(api.base, "POST", "/v1/deployments", {
        key: deployerA,
        body: {
          model: { ...MODEL, name: "floor-on-demand" },
          constraints: { capacity: "on-demand" },
          onDemandFloorReplicas: 1,
          scaling: { minReplicas: 2, maxReplicas: 3 },
        },
      });
      assert.equal(r.status, 400);
      assert.equal(errorOf(r).field, "onDemandFloorReplicas");
      const s = await call(api.base, "POST", "/v1/deployments", {
        key: deployerA,
        body: { model: { ...MODEL, name: "bad-scaling" }, scaling: { minReplicas: 4, maxReplicas: 2 } },
      });
      assert.equal(s.status, 400);
      assert.equal(errorOf(s).field, "scaling.minReplicas");
    });

    it("answers 400 for invalid JSON and for a body sent without a JSON content type", async () => {
      const j = await call(api.base, "POST", "/v1/quotes", {
        key: viewerA,
        raw: '{"model":',
        headers: { "content-type": "application/json" },
      });
      assert.equal(j.status, 400);
      assert.equal(errorOf(j).code, "invalid_json");
      const t = await call(api.base, "POST", "/v1/quotes", {
        key: viewerA,
        raw: JSON.stringify({ model: MODEL }),
        headers: { "content-type": "text/plain" },
      });
      assert.equal(t.status, 400);
      assert.match(errorOf(t).message, /Content-Type: application\/json/);
      // No body at all: read as {}, so the error names the missing field.
      const none = await call(api.base, "POST", "/v1/quotes", { key: viewerA });
      assert.equal(none.status, 400);
      assert.equal(errorOf(none).field, "model");
    });

    it("validates query parameters and path ids", async () => {
      const cases: Array<[path: string, field: string, message?: RegExp]> = [
        ["/v1/deployments?limit=0", "limit"],
        ["/v1/deployments?status=sleeping", "status", /queued/],
        ["/v1/deployments?cursor=garbage", "cursor"],
        ["/v1/deployments/not%20an%20id", "id"],
      ];
      for (const [path, field, message] of cases) {
        const r = await call(api.base, "GET", path, { key: viewerA });
        assert.equal(r.status, 400, path);
        assert.equal(errorOf(r).field, field, path);
        if (message) assert.match(errorOf(r).message, message);
      }
    });

    it("answers 413 for a body above the limit", async () => {
      const big = {
        model: { ...MODEL, name: "x".repeat(100) },
        tags: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`k${i}`, "v".repeat(200)])),
      };
      assert.ok(JSON.stringify(big).length > DEFAULT_TEST_SETTINGS.maxBodyBytes);
      const r = await call(api.base, "POST", "/v1/deployments", { key: deployerA, body: big });
      assert.equal(r.status, 413);
      assert.equal(errorOf(r).code, "payload_too_large");
    });
  });

  describe("routing and errors", () => {
    it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
      const r = await call(api.base, "GET", "/v2/nothing");
      assert.equal(r.status, 404);
      assert.equal(errorOf(r).code, "route_not_found");
      const m = await call(api.base, "PUT", "/v1/deployments", { key: deployerA });
      assert.equal(m.status, 405);
      assert.equal(m.headers.get("allow"), "POST, GET");
    });

    it("answers 500 with a generic message and logs the internal one", async () => {
      const broken = Object.create(fx.controlPlane) as typeof fx.controlPlane;
      broken.listDeployments = async () => {
        throw new Error('relation "deployments" does not exist at 10.0.0.5');
      };
      const api2 = await serve({
        controlPlane: broken,
        catalog: fx.catalog,
        footprint: fx.footprint,
        settings: DEFAULT_TEST_SETTINGS,
        log: (e) => logged.push(e),
      });
      try {
        const before = logged.length;
        const r = await call(api2.base, "GET", "/v1/deployments", { key: viewerA });
        assert.equal(r.status, 500);
        assert.deepEqual(r.body, { error: { code: "internal", message: "internal error" } });
        assert.equal(logged.length, before + 1);
        assert.match(String(logged[logged.length - 1]), /10\.0\.0\.5/);
      } finally {
        await api2.close();
      }
    });
  });

  describe("rate limits", () => {
    it("answers 429 with Retry-After once a key's bucket is empty, per key", async () => {
      const limited = await serve({
        controlPlane: fx.controlPlane,
        catalog: fx.catalog,
        footprint: fx.footprint,
        settings: { ...DEFAULT_TEST_SETTINGS, rateLimit: { perMinute: 6, burst: 3 } },
      });
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 5; i++) {
          const r = await call(limited.base, "GET", "/v1/deployments", { key: viewerA });
          statuses.push(r.status);
          if (r.status === 429) {
            retryAfter = r.headers.get("retry-after");
            assert.equal(errorOf(r).code, "rate_limited");
          }
        }
        assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
        // 6/min refills one token per 10 s.
        assert.ok(
          retryAfter !== null && Number(retryAfter) >= 1 && Number(retryAfter) <= 10,
          `Retry-After ${retryAfter}`,
        );
        // Another key has its own bucket.
        assert.equal((await call(limited.base, "GET", "/v1/deployments", { key: deployerA })).status, 200);
        // Public endpoints are not limited.
        assert.equal((await call(limited.base, "GET", "/healthz")).status, 200);
      } finally {
        await limited.close();
      }
    });
  });

  describe("documents", () => {
    it("serves an OpenAPI 3.1 document generated from the zod schemas", async () => {
      const r = await call(api.base, "GET", "/openapi.json");
      assert.equal(r.status, 200);
      const doc = obj(r.body);
      assert.equal(doc.openapi, "3.1.0");
      const paths = obj(doc.paths);
      for (const p of [
        "/v1/quotes",
        "/v1/deployments",
        "/v1/deployments/{id}",
        "/v1/deployments/{id}/events",
        "/v1/deployments/{id}/cancel",
        "/v1/api-keys",
        "/v1/api-keys/{id}",
        "/healthz",
        "/readyz",
        "/metrics",
        "/openapi.json",
      ]) {
        assert.ok(p in paths, `missing ${p}`);
      }
      const schemas = obj(obj(doc.components).schemas);
      for (const s of [
        "DeploymentRequest",
        "Deployment",
        "DeploymentAccepted",
        "Error",
        "Quote",
        "ApiKey",
        "ExplicitPlacement",
      ])
        assert.ok(s in schemas, `missing schema ${s}`);
      const req = obj(schemas.DeploymentRequest);
      const props = obj(req.properties);
      for (const f of ["model", "constraints", "environment", "scaling", "onDemandFloorReplicas", "placement"])
        assert.ok(f in props, `DeploymentRequest.${f}`);
      assert.equal(req.additionalProperties, false, "strict objects document additionalProperties: false");
      const post = obj(obj(paths["/v1/deployments"]).post);
      assert.deepEqual(Object.keys(obj(post.responses)).sort(), [
        "202",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "422",
        "429",
        "500",
      ]);
      assert.deepEqual(post.security, [{ bearer: [] }]);
      // Every $ref resolves.
      const text = JSON.stringify(doc);
      for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
        assert.ok(m[1]! in schemas, `dangling $ref ${m[1]}`);
    });

    it("exports HTTP latency, jobs, queue depth and spend by tenant on /metrics", async () => {
      await call(api.base, "POST", "/v1/quotes", { key: viewerA, body: { model: MODEL } });
      const r = await fetch(`${api.base}/metrics`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /text\/plain/);
      const text = await r.text();
      assert.match(
        text,
        /modelplane_http_request_duration_seconds_count\{method="POST",route="\/v1\/quotes",status="200"\} [1-9]/,
      );
      assert.match(text, /modelplane_jobs\{state="succeeded"\} \d+/);
      assert.match(text, /modelplane_queue_depth \d+/);
      assert.match(text, /modelplane_controlplane_stats_up 1/);
      const spend = /modelplane_estimated_monthly_spend_usd\{tenant="team-a"\} ([0-9.e+-]+)/.exec(text);
      assert.ok(spend, "spend for team-a");
      const listed = DeploymentPageSchema.parse(
        (await call(api.base, "GET", "/v1/deployments", { key: viewerA })).body,
      ).items;
      const live = listed.filter((d) => !["destroyed", "cancelled", "failed"].includes(d.status));
      const sum = live.reduce((s, d) => s + d.estimatedMonthlyUsd, 0);
      assert.ok(Math.abs(Number(spend[1]) - sum) < 0.01, `spend ${spend[1]} vs ${sum}`);
      assert.doesNotMatch(text, /tenant="team-b"/);
    });

    it("returns the optimizer's cheapest placement for the deployment (documented response shape)", async () => {
      const r = await call(api.base, "GET", `/v1/deployments/${deploymentA}`, { key: viewerA });
      const d = DeploymentSchema.parse(r.body);
      const expected = quote(
        {
          model: { ...MODEL, precision: "bf16", concurrency: 1 },
          replicas: 1,
          activeHoursPerDay: 24,
          constraints: { capacity: "any" },
        },
        fx.catalog,
        { limit: 10_000 },
      ).placements.find((p) => clusterAt(fx.footprint, p.cloud, p.region));
      assert.ok(expected, "the cheapest placement inside the platform's footprint");
      assert.equal(d.placement.instanceType, expected.instanceType);
      assert.equal(d.placement.region, expected.region);
      assert.equal(d.placement.capacity, expected.capacity);
      assert.equal(d.placement.hourlyUsd, expected.hourlyUsd);
      // The accepted schema is the deployment plus advisories and warnings.
      const accepted = await call(api.base, "POST", "/v1/deployments", {
        key: deployerA,
        body: { model: { ...MODEL, name: "schema-check" } },
      });
      DeploymentAcceptedSchema.parse(accepted.body);
    });
  });
});
