/**
 * `modelplane serve --role worker`: a process that only runs queued operations. It serves no API;
 * its port answers `GET /healthz` (alive) and `GET /readyz` (database reachable and engine
 * available, 503 otherwise) for the container's health check and Kubernetes probes. Shares the
 * Postgres of the API processes: jobs come from the queue, events go out through LISTEN/NOTIFY.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AppConfig } from "../../platform/service/config";
import { createControlPlane } from "../../platform/service/controlplane/controlplane";
import type { ControlPlane } from "../../platform/service/types";
import { listen, shutdown } from "./serve-http";

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The worker's probe server: /healthz and /readyz, 404 for everything else. */
export function workerProbeServer(controlPlane: Pick<ControlPlane, "health">): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return reply(res, 405, { error: "only GET" });
    if (path === "/healthz") return reply(res, 200, { status: "ok", role: "worker" });
    if (path === "/readyz") {
      void controlPlane.health().then(
        (h) => {
          const reasons: string[] = [];
          if (!h.database.ok) reasons.push("database unreachable");
          if (!h.engine.available) reasons.push(h.engine.reason ?? "deployment engine unavailable");
          reply(res, reasons.length === 0 ? 200 : 503, { ready: reasons.length === 0, role: "worker", reasons });
        },
        () => reply(res, 503, { ready: false, role: "worker", reasons: ["health check failed"] }),
      );
      return;
    }
    reply(res, 404, { error: "a worker process serves only /healthz and /readyz; the API runs with --role api|all" });
  });
}

export async function runWorker(
  config: AppConfig,
  at: { port: number; host: string },
  stopSignal: Promise<NodeJS.Signals>,
): Promise<number> {
  const controlPlane = await createControlPlane(config);
  let server: Server | undefined;
  try {
    server = workerProbeServer(controlPlane);
    const address = await listen(server, at.port, at.host);
    await controlPlane.start();
    const health = await controlPlane.health();
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const engine =
      config.engine === "dry-run"
        ? "DRY RUN (offline plans; nothing is created)"
        : health.engine.available
          ? `Pulumi CLI ${health.engine.version ?? "found"}`
          : `NOT AVAILABLE — ${health.engine.reason ?? "unknown reason"}`;
    process.stdout.write(
      [
        `modelplane worker running ${config.workers} operations at once; probes on http://${shownHost}:${address.port}/healthz`,
        `  engine: ${engine}`,
        "  database: Postgres (DATABASE_URL), shared with the API processes",
      ].join("\n") + "\n",
    );
    const signal = await stopSignal;
    process.stdout.write(`\n${signal}: shutting down (park running jobs for another worker)...\n`);
    await shutdown(server);
    server = undefined;
    await controlPlane.close();
    process.stdout.write("stopped.\n");
    return 0;
  } catch (err) {
    if (server) await shutdown(server).catch(() => undefined);
    await controlPlane.close().catch(() => undefined);
    throw err;
  }
}
