/**
 * The names a deployment request gets: the deployment's name, the model as the one-stack-per-model
 * rule sees it, and the stack's name.
 */
import { slug } from "../platform/core/naming";
import { stackNameFor } from "../programs/deployment/stack-name";
import type { CreateDeploymentRequest } from "./deployment-request";

/** The deployment's name: as given, else the model name slugged (`Llama_3.1 8B` → `llama-3-1-8b`). */
export function deploymentNameOf(body: CreateDeploymentRequest): string {
  if (body.name) return body.name;
  const s = slug(body.model.name).slice(0, 63).replace(/-+$/g, "");
  return s === "" ? "deployment" : s;
}

/**
 * A model name as the uniqueness rule sees it: `Llama_3.1-8B `, `llama-3.1-8b` and `LLAMA 3.1 8b`
 * are one model, so they share one stack (and a second live deployment of it is a 409).
 */
export function modelKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
}

/** The stack of a deployment: one per (tenant, model, environment), the model name normalised. */
export function stackNameOf(tenant: string, body: CreateDeploymentRequest): string {
  return stackNameFor({ tenant, model: modelKey(body.model.name), environment: body.environment });
}
