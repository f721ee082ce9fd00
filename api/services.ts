/**
 * Per-app services (metrics registry, authenticator, endpoint list) that some endpoints need:
 * attached to the Express app by `createApp`, read back with `servicesOf(req.app)`. Kept apart from
 * app.ts so endpoints never import the module that imports them.
 */
import type express from "express";
import type { Authenticator } from "./auth";
import type { Endpoint } from "./endpoint";
import type { InferenceKeyCheck } from "./inference-check";
import type { ApiMetrics } from "./metrics";

export interface AppServices {
  metrics: ApiMetrics;
  auth: Authenticator;
  endpoints: Endpoint[];
  /** The gateway's inference-key check (cache, per-key buckets). */
  inference: InferenceKeyCheck;
}

const SERVICES = Symbol.for("modelplane.api.services");

export function attachServices(app: express.Application, services: AppServices): void {
  (app as unknown as Record<symbol, AppServices>)[SERVICES] = services;
}

/** The services of an app made by `createApp`. */
export function servicesOf(app: express.Application): AppServices {
  const services = (app as unknown as Record<symbol, AppServices | undefined>)[SERVICES];
  if (!services) throw new Error("not an app made by createApp");
  return services;
}
