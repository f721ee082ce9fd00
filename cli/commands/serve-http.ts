/** Listening and graceful shutdown of `modelplane serve`'s HTTP server (every role). */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ValidationError } from "../../platform/core/validation";

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE")
        reject(new ValidationError("PORT", `${host}:${port} is already in use; set PORT (or --port) to a free port`));
      else if (err.code === "EACCES")
        reject(new ValidationError("PORT", `not allowed to listen on ${host}:${port}; use a port above 1023`));
      else reject(err);
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Stop accepting and let in-flight requests finish; after a 2 s grace cut what is left — event
 * streams never end by themselves (their clients reconnect with Last-Event-ID).
 */
export function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const grace = setTimeout(() => server.closeAllConnections(), 2000);
    grace.unref();
    server.close(() => {
      clearTimeout(grace);
      resolve();
    });
    server.closeIdleConnections();
  });
}
