/**
 * The authorization model as one table, over real HTTP on 127.0.0.1: every role × every /v1
 * endpoint × own or another tenant. An admin key is tenant-scoped (issue 11: "an admin key created
 * for team-a mints keys for team-b and reads its deployments"); only platform-admin, held by the
 * bootstrap key, crosses tenants, and only for key management.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import type { Role } from "../platform/service/types";
import { buildRoutes } from "./routes";
import { ApiKeyListSchema, ApiKeySchema } from "./schemas";
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

const MODEL = { name: "authz-model", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };
const REGISTERED_VERSION = {
  version: "1",
  artifactUri: "s3://authz-bucket/model",
  precision: "bf16",
  parametersBillions: 8,
  architecture: { layers: 32, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 4096, maxContextTokens: 8192 },
};
const RANK: Record<Role, number> = { viewer: 0, deployer: 1, admin: 2, "platform-admin": 3 };
type Scope = "own" | "other";

describe("api: authorization table (role × endpoint × tenant)", function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningApi;
  /** Keys by role; the platform-admin is the bootstrap key of tenant `default`. */
  const keys = {} as Record<Role, { secret: string; tenant: string }>;
  /** A deployment and a key id per tenant, to aim at. */
  const targets = new Map<string, { deployment: string; keyId: string }>();

  async function deploymentOf(tenant: string, deployerSecret: string, n: number): Promise<string> {
    const r = await call(api.base, "POST", "/v1/deployments", {
      key: deployerSecret,
      body: { model: { ...MODEL, name: `${MODEL.name}-${n}` } },
    });
    assert.equal(r.status, 202, `${tenant}: ${JSON.stringify(r.body)}`);
    return String(obj(r.body).id);
  }

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({ controlPlane: fx.controlPlane, catalog: fx.catalog, settings: DEFAULT_TEST_SETTINGS });
    keys["platform-admin"] = { secret: fx.adminKey, tenant: "default" };
    for (const role of ["admin", "deployer", "viewer"] as const) {
      keys[role] = { secret: (await makeKey(api.base, fx.adminKey, "team-a", role)).secret, tenant: "team-a" };
    }
    let n = 0;
    for (const tenant of ["default", "team-a", "team-b"]) {
      const deployer = await makeKey(api.base, fx.adminKey, tenant, "deployer", `${tenant}-target`);
      targets.set(tenant, { deployment: await deploymentOf(tenant, deployer.secret, n++), keyId: deployer.id });
      const registered = await call(api.base, "POST", "/v1/models", {
        key: deployer.secret,
        body: { name: `registered-${tenant}`, versions: [REGISTERED_VERSION] },
      });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
    }
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  /** The tenant a cell aims at: the caller's own, or team-b (nobody's here but its own keys). */
  const tenantFor = (role: Role, scope: Scope): string => (scope === "own" ? keys[role].tenant : "team-b");

  /** What the model says a cell answers: a set of allowed statuses. */
  function expected(role: Role, least: Role, path: string, scope: Scope): number[] {
    if (RANK[role] < RANK[least]) return [403];
    const crossTenant = role === "platform-admin";
    if (path === "/v1/api-keys/:id") return scope === "own" || crossTenant ? [200] : [404];
    if (path === "/v1/api-keys") return scope === "own" || crossTenant ? [200, 201] : [403];
    if (path === "/v1/costs") return scope === "own" || crossTenant ? [200] : [403];
    // Re-quote: a tenant key reads (and an admin sweeps) its own tenant; platform-admin any.
    if (path === "/v1/recommendations" || path === "/v1/admin/requote") {
      return scope === "own" || crossTenant ? [200] : [403];
    }
    // The registry is the key's own tenant's, for every role (no cross-tenant reads, even platform-admin).
    if (path === "/v1/models/:name") return scope === "own" ? [200] : [404];
    if (path === "/v1/models") return [200, 201];
    if (path.includes(":id")) return scope === "own" ? [200, 202, 409] : [404];
    return [200, 202];
  }

  for (const ep of buildRoutes().filter((e) => e.role !== null)) {
    for (const role of Object.keys(RANK) as Role[]) {
      for (const scope of ["own", "other"] as const) {
        const least = ep.role as Role;
        it(`${role} ${ep.method.toUpperCase()} ${ep.path} (${scope} tenant)`, async () => {
          const tenant = tenantFor(role, scope);
          const target = targets.get(tenant);
          assert.ok(target);
          let path = ep.path;
          let body: unknown;
          if (ep.path === "/v1/api-keys/:id") {
            // A throwaway key of the target tenant, so revoking it disturbs nothing else.
            path = `/v1/api-keys/${(await makeKey(api.base, fx.adminKey, tenant, "viewer", "victim")).id}`;
          } else if (ep.path === "/v1/api-keys") {
            path = ep.method === "get" ? `/v1/api-keys?tenant=${tenant}` : path;
            body = ep.method === "post" ? { tenant, role: "viewer", name: "minted" } : undefined;
          } else if (ep.path === "/v1/costs") {
            path = `/v1/costs?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&tenant=${tenant}`;
          } else if (ep.path === "/v1/recommendations") {
            path = `/v1/recommendations?tenant=${tenant}`;
          } else if (ep.path === "/v1/admin/requote") {
            body = { tenant };
          } else if (ep.path === "/v1/models/:name") {
            path = `/v1/models/registered-${tenant}`;
          } else if (ep.path === "/v1/models") {
            const name = `minted-${role}-${scope}`;
            body = ep.method === "post" ? { name, versions: [REGISTERED_VERSION] } : undefined;
          } else if (ep.path.includes(":id")) {
            path = ep.path.replace(":id", target.deployment);
            if (ep.path.endsWith("/events")) path += "?follow=false";
            if (ep.method === "patch") body = { scaling: { minReplicas: 1, maxReplicas: 2 } };
            if (ep.path.endsWith("/migrate")) {
              body = {
                placement: { cloud: "gcp", region: "us-central1", instanceType: "g2-standard-4", capacity: "spot" },
              };
            }
          } else if (ep.method === "post") {
            body = { model: { ...MODEL, name: `${MODEL.name}-${role}-${scope}-${ep.path.length}` } };
          }
          const r = await call(api.base, ep.method.toUpperCase(), path, {
            key: keys[role].secret,
            ...(body !== undefined ? { body } : {}),
          });
          const allowed = expected(role, least, ep.path, scope);
          assert.ok(allowed.includes(r.status), `${r.status} ∉ {${allowed.join(",")}}: ${JSON.stringify(r.body)}`);
          if (r.status === 403) assert.equal(errorOf(r).code, "forbidden");
          if (r.status === 200 && ep.path === "/v1/api-keys" && ep.method === "get") {
            const items = ApiKeyListSchema.parse(r.body).items;
            assert.ok(items.length > 0);
            assert.ok(
              items.every((k) => k.tenant === tenant),
              "a listing shows the asked tenant's keys only",
            );
          }
          if (r.status === 200 && ep.path === "/v1/deployments") {
            const items = (obj(r.body).items as Array<{ tenant: string }>).map((d) => d.tenant);
            assert.ok(
              items.every((t) => t === keys[role].tenant),
              "list shows the caller's own tenant only",
            );
          }
        });
      }
    }
  }

  describe("what the table does not show", () => {
    it("an admin lists only its own tenant's keys (without ?tenant), with last use and never a secret", async () => {
      const r = await call(api.base, "GET", "/v1/api-keys", { key: keys.admin.secret });
      assert.equal(r.status, 200);
      const items = ApiKeyListSchema.parse(r.body).items;
      assert.ok(items.length > 0 && items.every((k) => k.tenant === "team-a"));
      const self = items.find((k) => k.role === "admin");
      assert.ok(self?.lastUsedAt, "the admin key's own use is recorded");
      const text = JSON.stringify(r.body);
      assert.ok(!text.includes(keys.admin.secret) && !/secret|hash/i.test(text));
    });

    it("a platform-admin lists every tenant's keys", async () => {
      const r = await call(api.base, "GET", "/v1/api-keys", { key: keys["platform-admin"].secret });
      const tenants = new Set(ApiKeyListSchema.parse(r.body).items.map((k) => k.tenant));
      for (const t of ["default", "team-a", "team-b"]) assert.ok(tenants.has(t), t);
    });

    it("an admin cannot mint platform-admin, even in its own tenant; only the bootstrap key gives it", async () => {
      const r = await call(api.base, "POST", "/v1/api-keys", {
        key: keys.admin.secret,
        body: { role: "platform-admin", name: "escalate" },
      });
      assert.equal(r.status, 403);
      assert.match(errorOf(r).message, /bootstrap key/);
      const made = await call(api.base, "POST", "/v1/api-keys", {
        key: keys["platform-admin"].secret,
        body: { tenant: "team-a", role: "platform-admin", name: "second platform admin" },
      });
      assert.equal(made.status, 201);
      const minted = String(obj(made.body).secret);
      const again = await call(api.base, "POST", "/v1/api-keys", {
        key: minted,
        body: { role: "platform-admin", name: "third" },
      });
      assert.equal(again.status, 403, "a minted platform-admin is not a bootstrap key");
      ApiKeySchema.parse(obj(made.body).key);
    });

    it("refuses tenant names that fold onto another tenant's namespace", async () => {
      for (const tenant of ["team-a-", "team--a"]) {
        const r = await call(api.base, "POST", "/v1/api-keys", {
          key: keys["platform-admin"].secret,
          body: { tenant, role: "viewer", name: "x" },
        });
        assert.equal(r.status, 400, tenant);
        assert.equal(errorOf(r).field, "tenant");
      }
    });
  });
});
