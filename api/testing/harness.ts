/**
 * TEST-ONLY: start the real API over real HTTP on 127.0.0.1 (ephemeral port) in front of a real
 * control plane on in-memory PGlite, with the test engine (platform/service/engine/testing) or any other.
 * Imported only by api/**\/*.test.ts and the API benchmark.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testConfig, type AppConfig } from "../../platform/service/config";
import { createControlPlane, type ControlPlaneDeps } from "../../platform/service/controlplane/controlplane";
import type { ControlPlane, Role } from "../../platform/service/types";
import { defaultCatalog } from "../../platform/core/pricing/catalog";
import type { Footprint } from "../../platform/core/footprint";
import { footprintFromConfigFile } from "../../programs/platform/footprint";
import {
  dropPostgresSchemas,
  testDatabaseUrl,
  testSchemaName,
  type TestBackend,
} from "../../platform/service/store/testing/test-db";
import type { Catalog } from "../../platform/core/pricing/types";
import { DryRunEngine } from "../../platform/service/engine/dry-run";
import { planDeployment } from "../../platform/service/plan";
import { createApp } from "../app";
import { createApiServer, type ServerLimits } from "../server";
import type { AppDeps, ApiSettings } from "../deps";

export interface RunningApi {
  base: string;
  server: Server;
  close(): Promise<void>;
}

/** Serve `deps` on 127.0.0.1 at an ephemeral port. */
export async function serve(deps: AppDeps, limits?: ServerLimits): Promise<RunningApi> {
  const server = limits ? createApiServer(createApp(deps), limits) : createServer(createApp(deps));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const DEFAULT_TEST_SETTINGS: ApiSettings = {
  rateLimit: { perMinute: 600_000, burst: 10_000 },
  badKeyRateLimit: { perMinute: 600_000, burst: 10_000 },
  maxBodyBytes: 64 * 1024,
  sseHeartbeatMs: 60_000,
};

export interface Fixture {
  controlPlane: ControlPlane;
  catalog: Catalog;
  /** The shipped Pulumi.dev.yaml's footprint: aws us-east-1, gcp us-central1, azure westus3. */
  footprint: Footprint;
  adminKey: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The shipped Pulumi.dev.yaml's footprint: aws us-east-1, gcp us-central1, azure westus3. */
export function devFootprint(): Footprint {
  return footprintFromConfigFile(join(__dirname, "..", "..", "Pulumi.dev.yaml"));
}

/** The dry-run engine: each operation is the offline plan against `footprint` (as `serve --dry-run` does). */
export function dryRunEngine(footprint: Footprint): DryRunEngine {
  return new DryRunEngine((stack) => planDeployment(stack.spec, { footprint }));
}

/**
 * One control plane (one per test file) on in-memory PGlite, or on the local test Postgres in a
 * throwaway schema (dropped on close); its workers started, an admin key made.
 */
export async function controlPlaneFixture(
  deps: ControlPlaneDeps = {},
  backend: TestBackend = "pglite",
  options: { startWorkers?: boolean; config?: Partial<AppConfig> } = {},
): Promise<Fixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "modelplane-api-"));
  const schema = testSchemaName();
  const config =
    backend === "pglite"
      ? testConfig({ ...options.config, dataDir, schema })
      : testConfig({ ...options.config, dataDir, schema, database: { kind: "postgres", url: testDatabaseUrl() } });
  const controlPlane = await createControlPlane(config, deps);
  const { secret } = await controlPlane.ensureAdminKey();
  if (!secret) throw new Error("no admin key generated");
  if (options.startWorkers !== false) await controlPlane.start();
  return {
    controlPlane,
    catalog: defaultCatalog(),
    footprint: devFootprint(),
    adminKey: secret,
    dataDir,
    async close() {
      await controlPlane.close();
      if (backend === "postgres") await dropPostgresSchemas(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A control plane on the dry-run engine (each operation is the offline plan on the shipped footprint), served on loopback. */
export async function dryRunApi(
  options: { clock?: () => Date } = {},
): Promise<{ fx: Fixture; api: RunningApi; close(): Promise<void> }> {
  const fx = await controlPlaneFixture({ engine: dryRunEngine(devFootprint()) });
  const api = await serve({
    controlPlane: fx.controlPlane,
    catalog: fx.catalog,
    footprint: fx.footprint,
    settings: DEFAULT_TEST_SETTINGS,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    fx,
    api,
    async close() {
      await api.close();
      await fx.close();
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A fetch helper: JSON in, JSON out, with an optional bearer key. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text) as unknown;
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Create a key over HTTP with the admin key; returns the secret. */
export async function makeKey(
  base: string,
  adminKey: string,
  tenant: string,
  role: Role,
  name = `${tenant}-${role}`,
): Promise<{ id: string; secret: string }> {
  const r = await call(base, "POST", "/v1/api-keys", { key: adminKey, body: { tenant, role, name } });
  if (r.status !== 201) throw new Error(`creating a key failed: ${r.status} ${JSON.stringify(r.body)}`);
  const b = r.body as { key: { id: string }; secret: string };
  return { id: b.key.id, secret: b.secret };
}

/** Narrow an unknown JSON value to a record (throws when it is not one). */
export function obj(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

/** The `error` object of an error response. */
export function errorOf(r: JsonResponse): {
  code: string;
  message: string;
  field?: string;
  violations?: unknown[];
  details?: unknown;
} {
  return obj(obj(r.body).error) as { code: string; message: string; field?: string };
}

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Read Server-Sent Events from `path` until `until(frames)` is true (or the stream ends), then
 * abort. Returns the frames (comments and `retry:` lines are dropped).
 */
export async function readSse(
  base: string,
  path: string,
  key: string,
  until: (frames: SseFrame[]) => boolean,
  options: { headers?: Record<string, string>; timeoutMs?: number; onOpen?: () => void } = {},
): Promise<{ status: number; contentType: string | null; frames: SseFrame[]; endedByServer: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  const frames: SseFrame[] = [];
  let endedByServer = false;
  try {
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) },
      signal: controller.signal,
    });
    if (res.status !== 200 || !res.body)
      return { status: res.status, contentType: res.headers.get("content-type"), frames, endedByServer };
    options.onOpen?.();
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      while (!until(frames)) {
        const { value, done } = await reader.read();
        if (done) {
          endedByServer = true;
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = { data: "" };
          let hasData = false;
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) frame.id = line.slice(4);
            else if (line.startsWith("event: ")) frame.event = line.slice(7);
            else if (line.startsWith("data: ")) {
              frame.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) frames.push(frame);
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
    controller.abort();
    return { status: res.status, contentType: res.headers.get("content-type"), frames, endedByServer };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Poll `check` until it returns a value other than undefined (or time out): after 20 ms, then
 * half as long again each time up to 200 ms, so that a long wait (a dry-run plan on a loaded
 * machine) does not spend the CPU it waits for on polling.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let pause = 20; ; pause = Math.min(200, pause * 1.5)) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, pause));
  }
}
