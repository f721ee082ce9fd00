/**
 * Issue 11's hostile inputs, one test each, over real HTTP on 127.0.0.1 in front of the real
 * control plane on PGlite. Each used to get a 500, pass silently, or be refused with no field.
 */
import * as assert from "node:assert/strict";
import { request } from "node:http";
import { deflateSync, gzipSync } from "node:zlib";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { MAX_REGIONS, MAX_TAGS } from "../platform/core/bounds";
import { DeploymentAcceptedSchema } from "./schemas";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  errorOf,
  makeKey,
  obj,
  serve,
  type Fixture,
  type JsonResponse,
  type RunningApi,
} from "./testing/harness";

const MODEL = { name: "hostile-model", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

/** A raw request (fetch would refuse or fix some of these). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; body: string; contentType: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, "content-length": body?.length ?? 0 },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            contentType: String(res.headers["content-type"] ?? ""),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("api: hostile input (issue 11)", function () {
  this.timeout(30_000);
  let fx: Fixture;
  let api: RunningApi;
  let deployer: string;
  let n = 0;
  const internal: unknown[] = [];

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      settings: { ...DEFAULT_TEST_SETTINGS, maxBodyBytes: 2 * 1024 * 1024 },
      log: (e) => internal.push(e),
    });
    deployer = (await makeKey(api.base, fx.adminKey, "team-h", "deployer")).secret;
  });

  after(async () => {
    await api?.close();
    await fx?.close();
    assert.deepEqual(internal, [], "no hostile input reached the internal-error path");
  });

  const deploy = (body: Record<string, unknown>): Promise<JsonResponse> =>
    call(api.base, "POST", "/v1/deployments", {
      key: deployer,
      body: { model: { ...MODEL, name: `${MODEL.name}-${n++}` }, ...body },
    });

  function assert400(r: JsonResponse, field: string | RegExp, message?: RegExp): void {
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const e = errorOf(r);
    if (typeof field === "string") assert.equal(e.field, field);
    else assert.match(e.field ?? "", field);
    if (message) assert.match(e.message, message);
  }

  describe("strict objects with the CLI's message", () => {
    it("scaling.min is an unknown key naming its path and the closest allowed key", async () => {
      const r = await deploy({ scaling: { min: 0 } });
      assert400(r, "scaling.min", /unknown key; did you mean "minReplicas"\? allowed here: minReplicas, maxReplicas/);
    });

    it("names unknown keys at every depth, in every body", async () => {
      assert400(await deploy({ server: { kind: "vllm", imag: "x" } }), "server.imag", /did you mean "image"/);
      assert400(await deploy({ constraints: { region: ["us-east-1"] } }), "constraints.region", /"regions"/);
      const q = await call(api.base, "POST", "/v1/quotes", {
        key: deployer,
        body: { model: { ...MODEL, precison: "bf16" } },
      });
      assert400(q, "model.precison", /did you mean "precision"/);
      const k = await call(api.base, "GET", "/v1/deployments?limt=5", { key: deployer });
      assert400(k, "limt", /did you mean "limit"/);
    });
  });

  describe("case-insensitive enums", () => {
    it("accepts BF16, H100 and AWS, stored in their canonical spelling", async () => {
      const r = await call(api.base, "POST", "/v1/deployments", {
        key: deployer,
        body: {
          model: { ...MODEL, name: "enum-case", precision: "BF16" },
          constraints: { clouds: ["AWS", "Gcp"], gpuTypes: ["h100", "L4"], capacity: "SPOT" },
          environment: "DEV",
        },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const d = DeploymentAcceptedSchema.parse(r.body);
      assert.equal((d.spec["model"] as { precision: string }).precision, "bf16");
      assert.equal(d.environment, "dev");
      assert.ok(["aws", "gcp"].includes(d.placement.cloud));
    });
  });

  describe("names normalised before the uniqueness check", () => {
    it("Llama_X, llama-x and 'LLAMA-X ' are one model: the second live one is a 409", async () => {
      const first = await deploy({ model: { ...MODEL, name: "Llama_Norm" } });
      assert.equal(first.status, 202, JSON.stringify(first.body));
      for (const name of ["llama-norm", "LLAMA-NORM ", "llama norm"]) {
        const again = await deploy({ model: { ...MODEL, name } });
        assert.equal(again.status, 409, `${name}: ${JSON.stringify(again.body)}`);
      }
    });
  });

  describe("text fields", () => {
    for (const [what, body, field] of [
      ["NUL in the model name", { model: { ...MODEL, name: "a\u0000b" } }, "model.name"],
      ["CR/LF in owner", { owner: "me\r\nX-Injected: 1" }, "owner"],
      ["a lone surrogate in the model name", { model: { ...MODEL, name: "x\ud800y" } }, "model.name"],
      ["a lone surrogate in a tag value", { tags: { team: "\udc00" } }, "tags.team"],
      ["a lone surrogate in a tag key", { tags: { "a\ud800": "v" } }, "tags.a\ud800"],
      ["NUL in a tag key", { tags: { "k\u0000": "v" } }, "tags.k\u0000"],
    ] as const) {
      it(`refuses ${what} with a 400 naming the field`, async () => {
        const r = await call(api.base, "POST", "/v1/deployments", {
          key: deployer,
          raw: JSON.stringify(Object.assign({ model: MODEL }, body)),
          headers: { "content-type": "application/json" },
        });
        assert400(r, field, /control character|lone UTF-16 surrogate/);
      });
    }

    it("refuses NUL in a query value", async () => {
      const r = await call(api.base, "GET", "/v1/deployments?model=a%00b", { key: deployer });
      assert400(r, "model", /control character/);
    });

    it("answers tags named like Object.prototype members with a 400 naming the key, never a 500", async () => {
      for (const key of ["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"]) {
        const tags = JSON.parse(`{${JSON.stringify(key)}: "q"}`) as Record<string, string>;
        assert400(await deploy({ tags }), `tags.${key}`, /object member name/);
      }
    });
  });

  describe("encodings and paths", () => {
    const json = Buffer.from(JSON.stringify({ model: MODEL }));
    for (const [encoding, bytes] of [
      ["gzip", Buffer.from("not gzip at all")],
      ["deflate", Buffer.from("not deflate")],
      ["br", Buffer.from("not brotli")],
      ["gzip", gzipSync(json).subarray(0, 12)],
      ["deflate", deflateSync(json).subarray(0, 5)],
    ] as const) {
      it(`answers a broken Content-Encoding: ${encoding} (${bytes.length} bytes) with 400 or 415`, async () => {
        const r = await raw(
          api.base,
          "POST",
          "/v1/quotes",
          { authorization: `Bearer ${deployer}`, "content-type": "application/json", "content-encoding": encoding },
          bytes,
        );
        assert.ok(r.status === 400 || r.status === 415, `${r.status} ${r.body}`);
        assert.match(r.contentType, /json/);
      });
    }

    it("answers malformed percent-encoding in a path id with 400", async () => {
      for (const path of ["/v1/deployments/%E0%A4%A", "/v1/deployments/%ZZ", "/v1/api-keys/%"]) {
        const r = await raw(api.base, path.startsWith("/v1/api") ? "DELETE" : "GET", path, {
          authorization: `Bearer ${fx.adminKey}`,
        });
        assert.equal(r.status, 400, `${path}: ${r.body}`);
        assert.equal(obj(JSON.parse(r.body)).error !== undefined, true);
      }
    });
  });

  describe("bounded work", () => {
    it(`refuses ${MAX_REGIONS + 1} and 100,000 constraints.regions naming the field and the maximum`, async () => {
      for (const count of [MAX_REGIONS + 1, 100_000]) {
        const regions = Array.from({ length: count }, (_, i) => `r${i}`);
        const r = await call(api.base, "POST", "/v1/quotes", {
          key: deployer,
          body: { model: MODEL, constraints: { regions } },
        });
        assert400(r, "constraints.regions", new RegExp(`at most ${MAX_REGIONS} items`));
        assert.ok(JSON.stringify(r.body).length < 2000, "the refusal does not echo the input");
      }
    });

    it(`refuses more than ${MAX_TAGS} tags`, async () => {
      const tags = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`t${i}`, "v"]));
      assert400(await deploy({ tags }), "tags", new RegExp(`at most ${MAX_TAGS} entries`));
    });

    it("refuses nesting deeper than the schema can use", async () => {
      let deep: unknown = "x";
      for (let i = 0; i < 200; i++) deep = [deep];
      const r = await call(api.base, "POST", "/v1/quotes", {
        key: deployer,
        body: { model: MODEL, constraints: { regions: deep } },
      });
      assert.equal(r.status, 400);
    });
  });
});
