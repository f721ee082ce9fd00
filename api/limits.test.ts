/**
 * Bounded work per request and per tenant (issue 11), over real HTTP on 127.0.0.1: bad keys are
 * rate-limited per client address without a database lookup, slow clients are cut off, the
 * connection count is capped, a tenant's live deployments are capped, and /readyz never shows the
 * database's own error to an unauthenticated caller.
 */
import * as assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import type { ControlPlane } from "../platform/service/types";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  eventually,
  makeKey,
  obj,
  serve,
  type Fixture,
  type RunningApi,
} from "./testing/harness";

const MODEL = { name: "limits-model", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

/** A control plane whose `authenticate` calls are counted (everything else is the real one). */
function counting(cp: ControlPlane): { cp: ControlPlane; lookups: () => number } {
  let n = 0;
  const wrapped = Object.create(cp) as ControlPlane;
  wrapped.authenticate = (secret: string) => {
    n++;
    return cp.authenticate(secret);
  };
  return { cp: wrapped, lookups: () => n };
}

function open(base: string): Promise<Socket> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => resolve(s));
    s.on("error", reject);
  });
}

/** Resolve with what the server sent once it closes the socket. */
function closed(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    s.on("data", (d: Buffer) => (got += d.toString("utf8")));
    s.on("error", () => undefined);
    s.on("close", () => resolve(got));
  });
}

describe("api: bounded work (issue 11)", function () {
  this.timeout(60_000);
  let fx: Fixture;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() }, "pglite", {
      config: { quotas: { maxDeploymentsPerTenant: 2 } },
    });
  });
  after(async () => {
    await fx?.close();
  });

  describe("bad keys per client address", () => {
    let api: RunningApi;
    let good: string;
    let lookups: () => number;

    before(async () => {
      const c = counting(fx.controlPlane);
      lookups = c.lookups;
      api = await serve({
        controlPlane: c.cp,
        catalog: fx.catalog,
        settings: { ...DEFAULT_TEST_SETTINGS, badKeyRateLimit: { perMinute: 1, burst: 3 } },
      });
      good = (await makeKey(api.base, fx.adminKey, "limits-a", "viewer")).secret;
      assert.equal((await call(api.base, "GET", "/v1/deployments", { key: good })).status, 200);
    });
    after(async () => {
      await api?.close();
    });

    it("answers 429 after the burst, without asking the database, while known-good keys still pass", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await call(api.base, "GET", "/v1/deployments", { key: `mp_000000000000_bad-key-${i}-xxxxxxxxxxxx` })).status,
        );
      }
      assert.deepEqual(statuses, [401, 401, 401]);
      const before = lookups();
      const limited = await call(api.base, "GET", "/v1/deployments", { key: "mp_000000000000_bad-key-9-xxxxxxxxxxxx" });
      assert.equal(limited.status, 429);
      assert.equal(errorOf(limited).code, "rate_limited");
      assert.ok(Number(limited.headers.get("retry-after")) >= 1);
      const noKey = await call(api.base, "GET", "/v1/deployments");
      assert.equal(noKey.status, 429, "a missing key counts as a bad one");
      assert.equal(lookups(), before, "no lookup once the address is limited");
      assert.equal((await call(api.base, "GET", "/v1/deployments", { key: good })).status, 200);
    });
  });

  describe("slow clients and connection cap", () => {
    let api: RunningApi;
    before(async () => {
      api = await serve(
        { controlPlane: fx.controlPlane, catalog: fx.catalog, settings: DEFAULT_TEST_SETTINGS },
        { headersTimeoutMs: 300, requestTimeoutMs: 500, maxConnections: 3 },
      );
    });
    after(async () => {
      await api?.close();
    });

    it("cuts off a client that never finishes its headers (408)", async () => {
      const s = await open(api.base);
      const done = closed(s);
      s.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      const got = await done;
      assert.match(got, /^HTTP\/1\.1 408/);
    });

    it("cuts off a client that never finishes its body (408)", async () => {
      const s = await open(api.base);
      const done = closed(s);
      s.write(
        `POST /v1/quotes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${fx.adminKey}\r\n` +
          "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
      );
      const got = await done;
      assert.match(got, /^HTTP\/1\.1 408/);
    });

    it("refuses connections above the cap, and serves again once they close", async () => {
      const held = [await open(api.base), await open(api.base), await open(api.base)];
      const extra = await open(api.base);
      const got = await closed(extra);
      assert.equal(got, "", "the connection above the cap is closed unanswered");
      for (const s of held) s.destroy();
      const ok = await eventually(async () => {
        const r = await call(api.base, "GET", "/healthz").catch(() => undefined);
        return r?.status === 200 ? r : undefined;
      });
      assert.equal(ok.status, 200);
    });
  });

  describe("per-tenant deployment quota", () => {
    let api: RunningApi;
    let deployer: string;
    before(async () => {
      api = await serve({ controlPlane: fx.controlPlane, catalog: fx.catalog, settings: DEFAULT_TEST_SETTINGS });
      deployer = (await makeKey(api.base, fx.adminKey, "quota-a", "deployer")).secret;
    });
    after(async () => {
      await api?.close();
    });

    const deploy = (key: string, name: string, idempotencyKey?: string) =>
      call(api.base, "POST", "/v1/deployments", {
        key,
        body: { model: { ...MODEL, name } },
        ...(idempotencyKey ? { headers: { "idempotency-key": idempotencyKey } } : {}),
      });

    it("caps live deployments per tenant with 403 quota_exceeded; replays and other tenants pass; destroy frees a slot", async () => {
      const first = await deploy(deployer, "q-1", "quota-first");
      assert.equal(first.status, 202);
      assert.equal((await deploy(deployer, "q-2")).status, 202);
      const third = await deploy(deployer, "q-3");
      assert.equal(third.status, 403, JSON.stringify(third.body));
      assert.equal(errorOf(third).code, "quota_exceeded");
      assert.match(errorOf(third).message, /MODELPLANE_MAX_DEPLOYMENTS_PER_TENANT/);
      const replay = await deploy(deployer, "q-1", "quota-first");
      assert.equal(replay.status, 202, "an idempotent retry is not a new deployment");
      const other = (await makeKey(api.base, fx.adminKey, "quota-b", "deployer")).secret;
      assert.equal((await deploy(other, "q-1")).status, 202);

      const id = String(obj(first.body).id);
      await eventually(async () => {
        const d = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
        return ["ready", "failed"].includes(String(obj(d.body).status)) ? true : undefined;
      });
      assert.equal((await call(api.base, "DELETE", `/v1/deployments/${id}`, { key: deployer })).status, 202);
      await eventually(async () => {
        const d = await call(api.base, "GET", `/v1/deployments/${id}`, { key: deployer });
        return obj(d.body).status === "destroyed" ? true : undefined;
      });
      assert.equal((await deploy(deployer, "q-3")).status, 202);
    });

    it("holds under concurrent requests: exactly the quota is accepted", async () => {
      const key = (await makeKey(api.base, fx.adminKey, "quota-c", "deployer")).secret;
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => deploy(key, `c-${i}`)));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses.filter((s) => s === 202).length, 2, statuses.join(","));
      assert.ok(statuses.every((s) => s === 202 || s === 403));
    });
  });

  describe("/readyz", () => {
    it("never answers the database's own error to an unauthenticated caller", async () => {
      const secret = "connect ECONNREFUSED 10.9.8.7:5432 (user modelplane_admin, schema tenant_x)";
      const broken = Object.create(fx.controlPlane) as ControlPlane;
      broken.health = async () => ({ database: { ok: false, error: secret }, engine: { available: true } });
      const logged: unknown[] = [];
      const api = await serve({
        controlPlane: broken,
        catalog: fx.catalog,
        settings: DEFAULT_TEST_SETTINGS,
        log: (e) => logged.push(e),
      });
      try {
        const r = await call(api.base, "GET", "/readyz");
        assert.equal(r.status, 503);
        const text = JSON.stringify(r.body);
        assert.ok(!text.includes("10.9.8.7") && !text.includes("modelplane_admin"), text);
        assert.match(text, /database unreachable/);
        assert.ok(String(logged[0]).includes("10.9.8.7"), "the operator still sees it in the log");
      } finally {
        await api.close();
      }
    });
  });
});
