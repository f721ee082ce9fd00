/**
 * Stack names for per-model deployment stacks: one stack per (tenant, model, environment).
 *
 * Every Pulumi backend accepts `[A-Za-z0-9_.-]` (the Cloud/service backend), and the DIY backends
 * store the name as a file path; lowercase `[a-z0-9-]` is valid everywhere and case-insensitive
 * filesystems cannot fold two names together. Slugs are not injective (`Llama_3` and `llama-3`
 * both slug to `llama-3`), so the name ends with a short hash of the raw inputs.
 */
import { shortHash, slug } from "../../platform/core/naming";

/** Hard cap the result stays under; Pulumi allows up to 100 characters. */
export const STACK_NAME_MAX = 60;
const HASH_LENGTH = 8;

export interface StackNameInput {
  tenant: string;
  /** The model name as the user wrote it (case and punctuation count toward the hash). */
  model: string;
  environment: string;
}

/** Cut a slug to `max` characters without leaving a trailing dash; empty becomes `x`. */
function part(input: string, max: number): string {
  const cut = slug(input).slice(0, max).replace(/-+$/g, "");
  return cut === "" ? "x" : cut;
}

/**
 * `{tenant: "Team A", model: "Llama_3.1-70B", environment: "prod"}` →
 * `team-a-llama-3-1-70b-prod-1a2b3c4d`. Deterministic; at most STACK_NAME_MAX characters.
 */
export function stackNameFor(input: StackNameInput): string {
  // The hash covers the raw inputs, separated so ("a-b","c") and ("a","b-c") differ.
  const hash = shortHash(JSON.stringify([input.tenant, input.model, input.environment]), HASH_LENGTH);
  const env = part(input.environment, 12);
  const tenant = part(input.tenant, 16);
  const budget = STACK_NAME_MAX - tenant.length - env.length - HASH_LENGTH - 3;
  const model = part(input.model, Math.max(1, budget));
  return `${tenant}-${model}-${env}-${hash}`;
}
