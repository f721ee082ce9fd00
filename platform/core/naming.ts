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
