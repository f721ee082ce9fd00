/**
 * A property-based walk over every operation of the OpenAPI document (issue 11): hostile values
 * (wrong types, huge arrays, long strings, NUL and other control characters, lone surrogates,
 * unknown keys, Object.prototype names, odd content types and encodings, hostile path ids and
 * query values) must get a JSON 4xx that names the field — never a 5xx. Real HTTP on 127.0.0.1,
 * real control plane on PGlite.
 *
 * Fixed seed and a bounded count in `npm test`; `FUZZ_RUNS=10000 npx mocha api/fuzz.test.ts` runs
 * longer, `FUZZ_SEED=<n>` another sequence.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import {
  call,
  controlPlaneFixture,
  DEFAULT_TEST_SETTINGS,
  serve,
  type Fixture,
  type JsonResponse,
  type RunningApi,
} from "./testing/harness";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const RUNS = Number(process.env["FUZZ_RUNS"] ?? 500);
const SEED = Number(process.env["FUZZ_SEED"] ?? 20261130);

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonObject }>;
  body?: JsonObject;
  public: boolean;
}

/** Valid bodies to mutate, so a hostile value at one path is the only thing wrong. */
const MODEL = { name: "fuzz-model", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };
const BASES: Record<string, JsonObject> = {
  "post /v1/quotes": { model: MODEL },
  "post /v1/deployments": { model: MODEL, environment: "dev", tags: { team: "fuzz" } },
  "patch /v1/deployments/{id}": { scaling: { minReplicas: 1, maxReplicas: 2 } },
  "post /v1/api-keys": { role: "viewer", name: "fuzz" },
  "post /v1/inference-keys": { name: "fuzz" },
};

// ---- hostile values --------------------------------------------------------------------------

const nasty = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "line\r\nInjected: 1",
  "\u001b[31m",
  "\u007f",
  "toString",
  "__proto__",
  "constructor",
  "%00",
  "%E0%A4%A",
  "../../etc/passwd",
  "' OR 1=1 --",
  "BF16",
  "AWS",
  "",
  " ",
);
const hostileString = fc.oneof(
  nasty,
  fc.string({ maxLength: 40, unit: "binary" }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => "x".repeat(n)),
);
const leaf: fc.Arbitrary<Json> = fc.oneof(
  hostileString,
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, 0.5),
);
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => new Array<Json>(n).fill("r")) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, leaf, { maxKeys: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100, max: 3_000 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]))),
  },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 400 }).map((d) => nest(d)) },
);

function nest(depth: number): Json {
  let v: Json = "deep";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

// ---- the document --------------------------------------------------------------------------

function resolve(doc: JsonObject, schema: Json | undefined): JsonObject {
  if (!isObject(schema)) return {};
  const ref = schema["$ref"];
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    const components = doc["components"];
    const schemas = isObject(components) ? components["schemas"] : undefined;
    return resolve(doc, isObject(schemas) ? schemas[name] : undefined);
  }
  return schema;
}

/** Every `path` (as keys) into a body schema's objects, up to a few levels. */
function pathsOf(doc: JsonObject, schema: JsonObject, prefix: string[] = [], depth = 0): string[][] {
  const out: string[][] = [prefix];
  if (depth > 3) return out;
  const s = resolve(doc, schema);
  const props = s["properties"];
  if (!isObject(props)) return out;
  for (const [k, v] of Object.entries(props)) out.push(...pathsOf(doc, resolve(doc, v), [...prefix, k], depth + 1));
  return out;
}

function operationsOf(doc: JsonObject): Operation[] {
  const ops: Operation[] = [];
  const paths = doc["paths"];
  if (!isObject(paths)) return ops;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, raw] of Object.entries(item)) {
      if (!isObject(raw)) continue;
      const params = Array.isArray(raw["parameters"]) ? raw["parameters"].filter(isObject) : [];
      const body = raw["requestBody"];
      const content = isObject(body) && isObject(body["content"]) ? body["content"]["application/json"] : undefined;
      ops.push({
        method,
        path,
        pathParams: params.filter((p) => p["in"] === "path").map((p) => String(p["name"])),
        query: params
          .filter((p) => p["in"] === "query")
          .map((p) => ({ name: String(p["name"]), schema: resolve(doc, p["schema"]) })),
        ...(isObject(content) ? { body: resolve(doc, content["schema"]) } : {}),
        public: Array.isArray(raw["security"]) && raw["security"].length === 0,
      });
    }
  }
  return ops;
}

function setAt(base: JsonObject, path: string[], value: Json): JsonObject {
  const copy = JSON.parse(JSON.stringify(base)) as JsonObject;
  if (path.length === 0) return isObject(value) ? value : copy;
  let node: JsonObject = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isObject(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  Object.defineProperty(node, path[path.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

/** Every string, array and map of a request schema has a maximum. */
function unbounded(doc: JsonObject, schema: Json | undefined, where: string, seen = new Set<unknown>()): string[] {
  const s = resolve(doc, schema);
  if (seen.has(s)) return [];
  seen.add(s);
  const out: string[] = [];
  const types = Array.isArray(s["type"]) ? s["type"] : [s["type"]];
  if (types.includes("string") && s["maxLength"] === undefined && s["enum"] === undefined && s["const"] === undefined)
    out.push(`${where}: string without maxLength`);
  if (types.includes("array")) {
    if (s["maxItems"] === undefined) out.push(`${where}: array without maxItems`);
    out.push(...unbounded(doc, s["items"], `${where}[]`, seen));
  }
  if (isObject(s["properties"]))
    for (const [k, v] of Object.entries(s["properties"])) out.push(...unbounded(doc, v, `${where}.${k}`, seen));
  const extra = s["additionalProperties"];
  if (isObject(extra)) {
    if (s["maxProperties"] === undefined) out.push(`${where}: map without maxProperties`);
    out.push(...unbounded(doc, extra, `${where}.*`, seen));
  }
  if (isObject(s["propertyNames"])) out.push(...unbounded(doc, s["propertyNames"], `${where}(key)`, seen));
  for (const k of ["anyOf", "oneOf", "allOf"]) {
    const list = s[k];
    if (Array.isArray(list)) list.forEach((v, i) => out.push(...unbounded(doc, v, `${where}|${k}${i}`, seen)));
  }
  return out;
}

// ---- the walk ----------------------------------------------------------------------------------

describe("api: fuzz every operation of the OpenAPI document", function () {
  this.timeout(120_000);
  let fx: Fixture;
  let api: RunningApi;
  let doc: JsonObject;
  let ops: Operation[];
  const internal: unknown[] = [];

  before(async () => {
    fx = await controlPlaneFixture({ engine: new TestEngine() });
    api = await serve({
      controlPlane: fx.controlPlane,
      catalog: fx.catalog,
      settings: { ...DEFAULT_TEST_SETTINGS, maxBodyBytes: 1024 * 1024 },
      log: (e) => internal.push(e),
    });
    const r = await call(api.base, "GET", "/openapi.json");
    doc = r.body as JsonObject;
    ops = operationsOf(doc);
    assert.ok(ops.length >= 15, `operations: ${ops.length}`);
  });

  after(async () => {
    await api?.close();
    await fx?.close();
  });

  it("documents a maximum for every string, list and map a request can carry", () => {
    const problems: string[] = [];
    for (const op of ops) {
      const at = `${op.method.toUpperCase()} ${op.path}`;
      if (op.body) problems.push(...unbounded(doc, op.body, `${at} body`));
      for (const q of op.query) problems.push(...unbounded(doc, q.schema, `${at} ?${q.name}`));
    }
    assert.deepEqual(problems, []);
  });

  /** `others`: the path and query parameters, which were hostile too and may be named instead. */
  function check(r: JsonResponse, what: string, mutated: string[] | undefined, others: string[]): void {
    assert.ok(r.status < 500, `${what} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    if (r.status >= 400) {
      assert.match(r.headers.get("content-type") ?? "", /application\/json/, what);
      const e = (r.body as { error?: { code?: unknown; field?: unknown; message?: unknown } }).error;
      assert.ok(e && typeof e.code === "string" && typeof e.message === "string", `${what}: ${JSON.stringify(r.body)}`);
      if (r.status === 400 && e.code === "invalid_request" && mutated && mutated.length > 0) {
        assert.equal(typeof e.field, "string", `${what}: a 400 names the field: ${JSON.stringify(r.body)}`);
        const top = String(e.field).split(/[.[]/)[0] ?? "";
        assert.ok(
          [mutated[0], ...others].includes(top),
          `${what}: names ${String(e.field)}; the hostile values were at ${[mutated.join("."), ...others].join(", ")}`,
        );
      }
    }
  }

  it("answers hostile bodies, ids, queries and encodings with a JSON 4xx naming the field, never a 5xx", async () => {
    const opIndex = fc.nat({ max: 1_000 });
    const id = fc.oneof(
      fc.constantFrom(
        "%E0%A4%A",
        "%ZZ",
        "%",
        "%00",
        "..",
        "a%2Fb",
        "00000000-0000-4000-8000-000000000000",
        "x".repeat(300),
      ),
      fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent),
    );
    const bodyCase = fc.record({
      pathPick: fc.nat({ max: 1_000 }),
      value: hostileValue,
      unknownKey: fc.option(
        fc.oneof(fc.constantFrom("min", "regoin", "toString", "__proto__"), fc.string({ maxLength: 12 })),
      ),
    });
    const queryCase = fc.record({ name: fc.nat({ max: 50 }), value: hostileString.map((s) => s.slice(0, 2_000)) });
    const encoding = fc.constantFrom<Record<string, string>>(
      { "content-type": "application/json" },
      { "content-type": "text/plain" },
      { "content-type": "application/json; charset=latin1" },
      { "content-type": "application/json; charset=utf-16" },
      { "content-type": "application/json", "content-encoding": "gzip" },
      { "content-type": "application/json", "content-encoding": "br" },
      { "content-type": "application/json", "content-encoding": "compress" },
      { "content-type": "application/json" },
      { "content-type": "application/json" },
    );

    const outcome = await fc.check(
      fc.asyncProperty(opIndex, id, bodyCase, queryCase, encoding, async (i, idValue, b, q, headers) => {
        const op = ops[i % ops.length] as Operation;
        let path = op.path;
        for (const p of op.pathParams) path = path.replace(`{${p}}`, idValue);
        const params = new URLSearchParams();
        const named = op.query[q.name % Math.max(1, op.query.length)];
        if (named) params.set(named.name, q.value);
        else if (q.name % 3 === 0) params.set(`unknown${q.name}`, q.value);
        if (op.path.endsWith("/events")) params.set("follow", "false");
        const qs = params.toString();
        const url = `${path}${qs ? `?${qs}` : ""}`;
        const key = op.public ? undefined : fx.adminKey;
        let mutated: string[] | undefined;
        let raw: string | undefined;
        if (op.body) {
          const base = BASES[`${op.method} ${op.path}`] ?? {};
          const paths = pathsOf(doc, op.body);
          mutated = paths[b.pathPick % paths.length] ?? [];
          let body = setAt(base, mutated, b.value);
          if (b.unknownKey !== null) {
            body = setAt(body, [...mutated.slice(0, -1), b.unknownKey], "u");
            mutated = undefined; // two things are wrong now: either may be named
          }
          raw = JSON.stringify(body);
        }
        const what = `${op.method.toUpperCase()} ${url.slice(0, 200)} ${JSON.stringify(headers)} ${(raw ?? "").slice(0, 200)}`;
        const r = await call(api.base, op.method.toUpperCase(), url, {
          ...(key ? { key } : {}),
          headers: op.body ? headers : {},
          ...(raw !== undefined ? { raw } : {}),
        });
        const plainJson = !("content-encoding" in headers) && headers["content-type"] === "application/json";
        const others = [...op.pathParams, ...op.query.map((p) => p.name), "path"];
        if (!named && qs !== "") others.push(...params.keys());
        check(r, what, plainJson ? mutated : undefined, others);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // Report a failure briefly: counterexamples can hold 100,000-element arrays.
    if (outcome.failed) {
      const e = outcome.errorInstance;
      const why = e instanceof Error ? e.message : String(e);
      assert.fail(`${why.slice(0, 1500)}\n(seed ${outcome.seed}, path ${outcome.counterexamplePath ?? "?"})`);
    }
    assert.deepEqual(internal, [], "nothing reached the internal-error path");
  });
});
