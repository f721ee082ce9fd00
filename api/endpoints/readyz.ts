/**
 * `GET /readyz`: ready to run deployments — the database answers AND the Pulumi CLI was found.
 * Also says which platform footprint deployments are placed in, and where it was read.
 * 503 otherwise, with every reason (e.g. "Pulumi CLI not found: install it, or set
 * MODELPLANE_PULUMI_AUTO_INSTALL=1 ..."). Requests are still accepted and persisted while not
 * ready; their jobs fail fast with the same reason.
 */
import { basename } from "node:path";
import type { ControlPlaneHealth } from "../../platform/service/types";
import { defineEndpoint } from "../endpoint";
import { ReadySchema } from "../schemas";

const HEALTH_TIMEOUT_MS = 3000;

function withTimeout(promise: Promise<ControlPlaneHealth>): Promise<ControlPlaneHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ControlPlaneHealth>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          database: { ok: false, error: `no answer within ${HEALTH_TIMEOUT_MS} ms` },
          engine: { available: false, reason: "health check timed out" },
        }),
      HEALTH_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const readyz = defineEndpoint({
  method: "get",
  path: "/readyz",
  summary: "Readiness: database reachable and Pulumi CLI found (with its version)",
  tags: ["operations"],
  role: null,
  responses: {
    200: { description: "Ready", schema: ReadySchema },
    503: { description: "Not ready; `reasons` says why and what to do", schema: ReadySchema },
  },
  async handle({ deps }) {
    const log = deps.log ?? (() => undefined);
    let health: ControlPlaneHealth;
    try {
      health = await withTimeout(deps.controlPlane.health());
    } catch {
      health = {
        database: { ok: false, error: "health check failed" },
        engine: { available: false, reason: "health check failed" },
      };
    }
    const reasons: string[] = [];
    // The database's own error can name hosts, users, schemas and paths: it goes to the server log,
    // never to an unauthenticated caller.
    if (!health.database.ok) {
      if (health.database.error) log(new Error(`readiness: database unreachable: ${health.database.error}`));
      reasons.push("database unreachable (details in the server log)");
    }
    if (!health.engine.available) reasons.push(health.engine.reason ?? "deployment engine unavailable");
    const ready = reasons.length === 0;
    const pulumi: { available: boolean; version?: string; reason?: string } = { available: health.engine.available };
    if (health.engine.version) pulumi.version = health.engine.version;
    if (health.engine.reason) pulumi.reason = health.engine.reason;
    const database: { ok: boolean; error?: string } = { ok: health.database.ok };
    if (!health.database.ok) database.error = "unreachable";
    const fp = deps.footprint;
    const footprint = fp
      ? {
          source: fp.source.kind === "config" ? `config ${basename(fp.source.file)}` : `stack ${fp.source.stack}`,
          clusters: fp.clusters.map((c) => ({ cloud: c.cloud, region: c.region, name: c.name })),
        }
      : { source: "none: deployments are not limited to a footprint", clusters: [] };
    return { status: ready ? 200 : 503, body: { ready, database, pulumi, footprint, reasons } };
  },
});
