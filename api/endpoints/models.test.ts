/**
 * The model registry over real HTTP (PGlite control plane): register from a real config.json, read
 * back the derived architecture, tenant scoping and roles, bad input named by field, odd names kept
 * byte for byte, and deployments by `model: {ref}` sized with the exact architecture.
 */
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TestEngine } from "../../platform/service/engine/testing/test-engine";
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
} from "../testing/harness";
import { ModelSchema } from "../model-schemas";

function config(file: string): Record<string, unknown> {
  const path = join(__dirname, "..", "..", "platform", "core", "model-config", "fixtures", `${file}.json`);
  return obj(JSON.parse(readFileSync(path, "utf8")));
}

const LLAMA_8B = {
  version: "1",
  artifactUri: "hf://meta-llama/Llama-3.1-8B",
  precision: "bf16",
  config: config("llama-3.1-8b"),
};

describe("api: model registry (/v1/models)", function () {
  this.timeout(60_000);
  let fx: Fixture;
  let api: RunningApi;
  let deployer: string;
  let viewer: string;
  let otherTenant: string;

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({ controlPlane: fx.controlPlane, catalog: fx.catalog, settings: DEFAULT_TEST_SETTINGS });
    deployer = (await makeKey(api.base, fx.adminKey, "research", "deployer")).secret;
    viewer = (await makeKey(api.base, fx.adminKey, "research", "viewer")).secret;
    otherTenant = (await makeKey(api.base, fx.adminKey, "rivals", "deployer")).secret;
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  it("registers a model from its config.json and returns the derived architecture to viewers", async () => {
    const created = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "llama-3.1-8b", versions: [LLAMA_8B] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.headers.get("location"), "/v1/models/llama-3.1-8b");
    const got = await call(api.base, "GET", "/v1/models/llama-3.1-8b", { key: viewer });
    assert.equal(got.status, 200);
    const model = ModelSchema.parse(got.body);
    const v = model.versions[0];
    assert.ok(v);
    assert.deepEqual(
      [v.architecture.layers, v.architecture.attentionHeads, v.architecture.kvHeads, v.architecture.headDim],
      [32, 32, 8, 128],
    );
    assert.equal(v.architecture.maxContextTokens, 131072);
    assert.equal(v.parametersSource, "config");
    assert.ok(Math.abs(v.parametersBillions - 8.03) < 0.08, String(v.parametersBillions));
    const list = await call(api.base, "GET", "/v1/models", { key: viewer });
    assert.deepEqual(
      obj(list.body).items instanceof Array ? (obj(list.body).items as Array<{ name: string }>).map((m) => m.name) : [],
      ["llama-3.1-8b"],
    );
  });

  it("is tenant-scoped and only deployers write", async () => {
    assert.equal((await call(api.base, "GET", "/v1/models/llama-3.1-8b", { key: otherTenant })).status, 404);
    const other = await call(api.base, "GET", "/v1/models", { key: otherTenant });
    assert.deepEqual(obj(other.body).items, []);
    const denied = await call(api.base, "POST", "/v1/models", {
      key: viewer,
      body: { name: "x", versions: [LLAMA_8B] },
    });
    assert.equal(denied.status, 403);
  });

  it("adds versions; an existing version is a 409 and nothing of that request is stored", async () => {
    const again = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "llama-3.1-8b", versions: [{ ...LLAMA_8B, version: "2" }, LLAMA_8B] },
    });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    const added = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "llama-3.1-8b", versions: [{ ...LLAMA_8B, version: "2", parametersBillions: 8.03 }] },
    });
    assert.equal(added.status, 201);
    const m = ModelSchema.parse(added.body);
    assert.deepEqual(
      m.versions.map((v) => [v.version, v.parametersSource]),
      [
        ["1", "config"],
        ["2", "given"],
      ],
    );
  });

  it("a config.json without a needed field, or a bad artifact URI, is a 400 naming the field", async () => {
    const cfg = config("mixtral-8x7b");
    delete cfg["num_attention_heads"];
    const missing = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "mixtral", versions: [{ ...LLAMA_8B, config: cfg }] },
    });
    assert.equal(missing.status, 400);
    assert.equal(errorOf(missing).field, "versions[0].config.num_attention_heads");
    const badUri = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "mixtral", versions: [{ ...LLAMA_8B, artifactUri: "ftp://weights/mixtral" }] },
    });
    assert.equal(badUri.status, 400);
    assert.equal(errorOf(badUri).field, "versions[0].artifactUri");
    const none = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "mixtral", versions: [{ version: "1", artifactUri: "s3://bucket-a/m", precision: "bf16" }] },
    });
    assert.equal(errorOf(none).field, "versions[0].config");
  });

  it("stores long names and odd unicode byte for byte, as JSON data; control characters are refused", async () => {
    const name = `<img src=x onerror=alert(1)> "模型" 🦙 Ωmega ${"ß".repeat(150)}`.slice(0, 200);
    const created = await call(api.base, "POST", "/v1/models", { key: deployer, body: { name, versions: [LLAMA_8B] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const got = await call(api.base, "GET", `/v1/models/${encodeURIComponent(name)}`, { key: viewer });
    assert.equal(got.status, 200);
    assert.match(got.headers.get("content-type") ?? "", /application\/json/);
    assert.equal(obj(got.body).name, name);
    const bad = await call(api.base, "POST", "/v1/models", {
      key: deployer,
      body: { name: "evil\u0000name", versions: [LLAMA_8B] },
    });
    assert.equal(bad.status, 400);
    assert.equal(errorOf(bad).field, "name");
  });

  it("deploys by model ref with the exact architecture (no estimated-KV warning); an unknown ref is a 404 naming it", async () => {
    const base = { replicas: 1, constraints: { clouds: ["aws"] } };
    const inline = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { ...base, model: { name: "inline-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 } },
    });
    assert.equal(inline.status, 202, JSON.stringify(inline.body));
    // Without an architecture the optimizer says it estimated the KV cache; the ref must not.
    assert.ok((obj(inline.body).warnings as string[]).some((w) => w.includes("KV cache estimated")));
    const byRef = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { ...base, model: { ref: "llama-3.1-8b@1", contextTokens: 8192 } },
    });
    assert.equal(byRef.status, 202, JSON.stringify(byRef.body));
    const warnings = obj(byRef.body).warnings as string[];
    assert.ok(!warnings.some((w) => w.includes("KV cache estimated")), warnings.join("\n"));
    assert.equal(obj(byRef.body).model, "llama-3.1-8b");

    const absent = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { ...base, model: { ref: "llama-3.1-8b@9" } },
    });
    assert.equal(absent.status, 404);
    assert.match(errorOf(absent).message, /llama-3\.1-8b@9/);
    const otherTenants = await call(api.base, "POST", "/v1/deployments", {
      key: otherTenant,
      body: { ...base, model: { ref: "llama-3.1-8b@1" } },
    });
    assert.equal(otherTenants.status, 404);
    const mixed = await call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { ...base, model: { ref: "llama-3.1-8b@1", parametersBillions: 70 } },
    });
    assert.equal(mixed.status, 400);
    assert.equal(errorOf(mixed).field, "model.parametersBillions");
  });

  it("documents the registry in the OpenAPI document", async () => {
    const doc = await call(api.base, "GET", "/openapi.json");
    const paths = obj(obj(doc.body).paths);
    assert.ok(paths["/v1/models"] && paths["/v1/models/{name}"], Object.keys(paths).join(", "));
  });
});
