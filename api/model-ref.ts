/**
 * Resolve a deployment's `model: {ref: "name@version"}` against the caller's model registry into the
 * inline model the optimizer and the stack spec take, with the version's exact architecture (so the
 * KV cache is sized, not estimated). An inline model passes through unchanged.
 */
import { NotFoundError } from "../platform/core/errors";
import { ValidationError } from "../platform/core/validation";
import type { RegisteredModel } from "../platform/service/types";
import type { CreateDeploymentRequest, CreateDeploymentWire } from "./deployment-request";

/** `name@version` → parts; `name` alone (no `@` followed by a version label) → the newest version. */
export function splitModelRef(ref: string): { name: string; version?: string } {
  const at = ref.lastIndexOf("@");
  const version = at > 0 ? ref.slice(at + 1) : "";
  if (at > 0 && /^[^@/\s]+$/.test(version)) return { name: ref.slice(0, at), version };
  if (at === ref.length - 1) {
    throw new ValidationError("model.ref", `"${ref}" ends in @; write name@version, e.g. llama-3.1-8b@1`);
  }
  return { name: ref };
}

/** A request whose model is inline (no `ref`), typed as such; ValidationError otherwise. */
export function inlineRequest(body: CreateDeploymentWire): CreateDeploymentRequest {
  const { ref, name, parametersBillions, precision, contextTokens, ...m } = body.model;
  // The schema's refinement guarantees these; this keeps the types honest without a cast.
  if (
    ref !== undefined ||
    name === undefined ||
    parametersBillions === undefined ||
    precision === undefined ||
    contextTokens === undefined
  ) {
    throw new ValidationError("model", "give name, parametersBillions, precision and contextTokens, or only ref");
  }
  return { ...body, model: { ...m, name, parametersBillions, precision, contextTokens } };
}

/**
 * The request with its model inline. `lookup` is the registry read for the caller's tenant
 * (NotFoundError when absent); an absent model or version is a NotFoundError naming the ref.
 */
export async function resolveModelRef(
  body: CreateDeploymentWire,
  lookup: (name: string) => Promise<RegisteredModel>,
): Promise<CreateDeploymentRequest> {
  const { ref, ...m } = body.model;
  if (ref === undefined) return inlineRequest(body);
  const { name, version } = splitModelRef(ref);
  let entry: RegisteredModel;
  try {
    entry = await lookup(name);
  } catch (e) {
    if (e instanceof NotFoundError) throw new NotFoundError(`model ref "${ref}" (no model "${name}" in the registry)`);
    throw e;
  }
  const chosen = version === undefined ? entry.versions.at(-1) : entry.versions.find((v) => v.version === version);
  if (!chosen) {
    const known = entry.versions.map((v) => v.version).join(", ") || "none";
    throw new NotFoundError(`model ref "${ref}" (model "${name}" has versions: ${known})`);
  }
  const a = chosen.architecture;
  return {
    ...body,
    model: {
      name: entry.name,
      version: chosen.version,
      source: chosen.artifactUri,
      parametersBillions: chosen.parametersBillions,
      precision: chosen.precision,
      contextTokens: m.contextTokens ?? a.maxContextTokens,
      concurrency: m.concurrency,
      architecture: { layers: a.layers, kvHeads: a.kvHeads, headDim: a.headDim },
    },
  };
}
