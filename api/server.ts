/**
 * The HTTP server in front of the app, with the slow-client limits Node leaves open by default
 * (60 s for headers, 300 s per request, no connection cap): a client that trickles its headers or
 * body is cut off, and connections above the cap are refused. Event streams are responses, which
 * these limits do not cover.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AppConfig } from "../platform/service/config";

export type ServerLimits = AppConfig["server"];

export function createApiServer(app: RequestListener, limits: ServerLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node checks the two timeouts above (default 30 s): a tenth of the shorter one.
      connectionsCheckingInterval: Math.max(
        10,
        Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10),
      ),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
