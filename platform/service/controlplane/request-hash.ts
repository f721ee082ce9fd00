/** The hash an idempotency key is stored with: equal requests hash equally, whatever their key order. */
import { createHash } from "node:crypto";
import type { SubmitDeploymentInput } from "../types";

/** SHA-256 of the request without its actor (the same request by another key of the tenant replays). */
export function hashRequest(input: SubmitDeploymentInput): string {
  const { actor: _actor, ...rest } = input;
  return createHash("sha256").update(stableJson(rest)).digest("hex");
}

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
