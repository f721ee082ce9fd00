/** Name helpers shared by every place that must turn free text into a cloud-safe, stable name. */
import { createHash } from "node:crypto";

/** A short, stable, lowercase hex digest of `input` (default 8 characters). */
export function shortHash(input: string, length = 8): string {
  return createHash("sha256").update(input).digest("hex").slice(0, length);
}

/**
 * Lowercase `input` and fold every run of characters outside [a-z0-9] into one `-`,
 * trimming dashes at both ends. `Llama_3.1 8B` → `llama-3-1-8b`. Not injective: callers that need
 * distinct names for distinct inputs append `shortHash` of the original.
 */
export function slug(input: string): string {
  return input
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The hash input that names a deployment's objects in one stack generation. Generation 1 (every
 * deployment until it migrates) is the deployment id itself, so its names never change; a
 * migration's new stack is generation N+1 and gets names of its own, so two stacks of one
 * deployment can live side by side on one cluster, resource group or account during the move.
 */
export function generationKey(deploymentId: string, generation = 1): string {
  if (!Number.isInteger(generation) || generation < 1)
    throw new Error(`generation ${JSON.stringify(generation)} must be a whole number >= 1`);
  return generation === 1 ? deploymentId : `${deploymentId}/g${generation}`;
}
