/**
 * Issue 14's Done-when: the OpenAPI document lists the inference-key, rollout (PATCH body),
 * promote and abort operations, and GET /v1/deployments/:id documents `endpoint`.
 */
import * as assert from "node:assert/strict";
import { buildOpenApi } from "./openapi";
import { buildRoutes } from "./routes";

type J = Record<string, unknown>;
const o = (v: unknown): J => {
  assert.ok(typeof v === "object" && v !== null && !Array.isArray(v), JSON.stringify(v));
  return v as J;
};

describe("api: the OpenAPI document lists the gateway's operations (issue 14)", () => {
  const doc = buildOpenApi(buildRoutes(), { title: "modelplane", version: "test" }) as J;
  const paths = o(doc.paths);
  const schemas = o(o(doc.components).schemas);
  /** Follow one `$ref` into components. */
  const deref = (s: unknown): J => {
    const r = o(s).$ref;
    return typeof r === "string" ? o(schemas[r.replace("#/components/schemas/", "")]) : o(s);
  };

  it("inference keys: create, list, revoke, and the gateway's check", () => {
    assert.ok(o(paths["/v1/inference-keys"]).post);
    assert.ok(o(paths["/v1/inference-keys"]).get);
    assert.ok(o(paths["/v1/inference-keys/{id}"]).delete);
    const check = o(o(paths["/v1/inference-keys/check/{namespace}/{service}/{path}"]).get);
    assert.equal(check["x-modelplane-any-method"], true);
    assert.deepEqual(check.security, [], "authenticated by the inference key, not a management key");
    assert.deepEqual(
      Object.keys(o(check.responses))
        .filter((s) => ["200", "401", "403", "429"].includes(s))
        .sort(),
      ["200", "401", "403", "429"],
    );
    const denied = deref(o(o(o(o(check.responses)["401"]).content)["application/json"]).schema);
    const openAiError = o(o(denied.properties).error);
    assert.deepEqual(Object.keys(o(openAiError.properties)).sort(), ["code", "message", "param", "type"]);
    const created = deref(
      o(o(o(o(o(o(paths["/v1/inference-keys"]).post).responses)["201"]).content)["application/json"]).schema,
    );
    assert.ok("secret" in o(created.properties));
  });

  it("rollout: the PATCH body's rollout (strategy, weight 0-100), promote and abort", () => {
    const patch = o(o(paths["/v1/deployments/{id}"]).patch);
    const body = deref(o(o(o(patch.requestBody).content)["application/json"]).schema);
    const rollout = o(o(body.properties).rollout);
    const props = o(rollout.properties);
    assert.deepEqual(o(props.strategy).enum, ["canary", "blue-green"]);
    assert.equal(o(props.weight).minimum, 0);
    assert.equal(o(props.weight).maximum, 100);
    assert.ok("model" in o(body.properties) && "server" in o(body.properties));
    for (const end of ["promote", "abort"]) {
      const op = o(o(paths[`/v1/deployments/{id}/${end}`]).post);
      assert.ok("202" in o(op.responses) && "409" in o(op.responses), end);
    }
  });

  it("GET /v1/deployments/{id} documents endpoint: {url, curl} or {url: null, reason}", () => {
    const get = o(o(paths["/v1/deployments/{id}"]).get);
    const detail = deref(o(o(o(o(get.responses)["200"]).content)["application/json"]).schema);
    const endpoint = deref(o(detail.properties).endpoint);
    const variants = (endpoint.anyOf ?? endpoint.oneOf) as unknown[];
    const keys = variants.map((v) =>
      Object.keys(o(deref(v).properties))
        .sort()
        .join(","),
    );
    assert.deepEqual(keys.sort(), ["curl,model,unverified,url", "reason,url"]);
  });

  it("every $ref resolves", () => {
    for (const m of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(m[1]! in schemas, `dangling $ref ${m[1]}`);
  });
});
