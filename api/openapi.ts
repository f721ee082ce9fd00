/**
 * The OpenAPI 3.1 document, generated from the endpoints' own zod schemas with zod v4's
 * `z.toJSONSchema` (OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target). Schemas
 * carrying a `.meta({ id })` become `components.schemas` entries referenced by `$ref`.
 */
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { ErrorResponseSchema } from "./schemas";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Replace every `$ref` by `rename(ref)`, recursively. */
function rewriteRefs(node: Json, rename: (ref: string) => string): Json {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, rename));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === "$ref" && typeof v === "string" ? rename(v) : rewriteRefs(v, rename);
  }
  return out;
}

class SchemaCollector {
  readonly components: JsonObject = {};

  /** JSON Schema of `schema` with its named parts hoisted into components. */
  add(schema: z.ZodType, io: "input" | "output"): JsonObject {
    const raw = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as unknown as JsonObject;
    const defs = isObject(raw.$defs) ? raw.$defs : {};
    const names = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      // The same id can differ between request (input) and response (output) views.
      let name = id;
      const existing = this.components[name];
      const plain = rewriteRefs(def, (ref) => ref.replace("#/$defs/", "#/components/schemas/"));
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(plain))
        name = `${id}${io === "input" ? "Input" : "Output"}`;
      names.set(`#/$defs/${id}`, `#/components/schemas/${name}`);
    }
    const rename = (ref: string) => names.get(ref) ?? ref;
    for (const [id, def] of Object.entries(defs)) {
      const target = rename(`#/$defs/${id}`).slice("#/components/schemas/".length);
      this.components[target] = rewriteRefs(def, rename);
    }
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(raw)) if (k !== "$defs" && k !== "$schema") rest[k] = v;
    return rewriteRefs(rest, rename) as JsonObject;
  }
}

function parametersOf(collector: SchemaCollector, schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = collector.add(schema, "input");
  const props = isObject(json.properties) ? json.properties : {};
  const required = Array.isArray(json.required) ? json.required : [];
  return Object.entries(props).map(([name, s]) => {
    const param: JsonObject = { name, in: where, required: where === "path" || required.includes(name), schema: s };
    if (isObject(s) && typeof s.description === "string") param.description = s.description;
    return param;
  });
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export function buildOpenApi(endpoints: ReadonlyArray<Endpoint>, info: OpenApiInfo): JsonObject {
  const collector = new SchemaCollector();
  const errorRef = collector.add(ErrorResponseSchema, "output");
  const paths: JsonObject = {};
  for (const ep of endpoints) {
    // Express 5 templates: `:id` → `{id}`, an optional wildcard `{/*rest}` → `/{rest}` (it may hold slashes).
    const path = ep.path.replace(/\{\/\*([A-Za-z0-9_]+)\}/g, "/:$1").replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const op: JsonObject = {
      operationId: `${ep.method}${path
        .replace(/[{}]/g, "")
        .split(/[/-]/)
        .filter(Boolean)
        .map((p) => p[0]?.toUpperCase() + p.slice(1))
        .join("")}`,
      summary: ep.summary,
      tags: ep.tags,
    };
    const parameters = [...parametersOf(collector, ep.params, "path"), ...parametersOf(collector, ep.query, "query")];
    if (ep.path === "/v1/deployments" && ep.method === "post") {
      parameters.push({
        name: "Idempotency-Key",
        in: "header",
        required: false,
        schema: { type: "string", maxLength: 200 },
        description: "Repeat a request safely: the same key returns the same deployment",
      });
    }
    if (ep.path.endsWith("/events")) {
      parameters.push({
        name: "Last-Event-ID",
        in: "header",
        required: false,
        schema: { type: "string" },
        description: "Resume after this event id",
      });
    }
    if (parameters.length > 0) op.parameters = parameters;
    if (ep.body) {
      op.requestBody = { required: true, content: { "application/json": { schema: collector.add(ep.body, "input") } } };
    }
    op.security = ep.role === null ? [] : [{ bearer: [] }];
    if (ep.role !== null) op["x-modelplane-role"] = ep.role;
    if (ep.anyMethod) op["x-modelplane-any-method"] = true;
    const responses: JsonObject = {};
    for (const [status, doc] of Object.entries(ep.responses)) {
      const r: JsonObject = { description: doc.description };
      if (doc.schema) r.content = { "application/json": { schema: collector.add(doc.schema, "output") } };
      else if (doc.contentType) r.content = { [doc.contentType]: { schema: { type: "string" } } };
      if (doc.alternates && r.content && typeof r.content === "object" && !Array.isArray(r.content)) {
        for (const ct of doc.alternates) r.content[ct] = { schema: { type: "string" } };
      }
      responses[status] = r;
    }
    const error = (description: string): JsonObject => ({
      description,
      content: { "application/json": { schema: errorRef } },
    });
    if ((ep.params || ep.query || ep.body) && !responses["400"])
      responses["400"] = error("Invalid input; `error.field` names the field");
    if (ep.role !== null) {
      responses["401"] ??= error("Missing or invalid API key");
      responses["403"] ??= error(`The key's role is below ${ep.role}`);
      responses["429"] ??= {
        ...error("Rate limit exceeded"),
        headers: {
          "Retry-After": { schema: { type: "integer" }, description: "Seconds until the next request passes" },
        },
      };
    }
    if (ep.body) responses["413"] ??= error("Request body too large");
    responses["500"] ??= error("Internal error (details are logged, never returned)");
    op.responses = responses;
    const item = isObject(paths[path]) ? paths[path] : {};
    item[ep.method] = op;
    paths[path] = item;
  }
  const doc: JsonObject = {
    openapi: "3.1.0",
    info: { ...info } as JsonObject,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key: `Authorization: Bearer <key>`" },
      },
      schemas: collector.components,
    },
  };
  return doc;
}
