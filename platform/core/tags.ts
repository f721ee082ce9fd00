/**
 * Cost-allocation tags: the one helper every component uses so that `model`, `owner`,
 * `cost-center` and `managed-by: modelplane` land on every taggable resource, on every cloud.
 *
 * AWS and Azure take the tags as they are (Azure forbids a few characters in keys, which
 * `toAzureTags` strips); GCP labels are stricter (lowercase `[a-z0-9_-]`, keys start with a letter,
 * 63 characters max), which `toGcpLabels` enforces.
 */

/** The value of the `managed-by` tag on everything modelplane creates. */
export const MANAGED_BY = "modelplane";

/**
 * What a component knows about who pays for it. Every field is optional. Every component's args
 * extend this interface, so these are the cost-tag arguments of all of them.
 */
export interface CostTagInput {
  /** `model` cost tag: the model the resource serves. Default: none (shared platform resource). */
  model?: string;
  /** `owner` cost tag: the team or person that owns the resource. Default: none. */
  owner?: string;
  /** `cost-center` cost tag: the cost center charged for it. Default: none. */
  costCenter?: string;
  /**
   * Extra tags. They never override `model`, `owner`, `cost-center` given above, and never
   * override `managed-by` (always `modelplane`). GCP gets every tag as a lowercase-safe label;
   * Azure keys lose the characters it forbids.
   */
  tags?: Readonly<Record<string, string>>;
}

/**
 * Merge user tags with the cost-allocation keys. Precedence (last wins): user tags, then the
 * explicit `model` / `owner` / `costCenter` fields, then `managed-by: modelplane`.
 * Keys are returned sorted, so the result is deterministic.
 */
export function costTags(input: CostTagInput = {}): Record<string, string> {
  const merged: Record<string, string> = { ...(input.tags ?? {}) };
  if (input.model !== undefined && input.model !== "") merged["model"] = input.model;
  if (input.owner !== undefined && input.owner !== "") merged["owner"] = input.owner;
  if (input.costCenter !== undefined && input.costCenter !== "") merged["cost-center"] = input.costCenter;
  merged["managed-by"] = MANAGED_BY;
  return sortKeys(merged);
}

/** Merge two tag sets (the later wins) while keeping `managed-by: modelplane`. */
export function mergeTags(
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return sortKeys({ ...base, ...(extra ?? {}), "managed-by": MANAGED_BY });
}

const GCP_LABEL_MAX = 63;

/** Lowercase, fold anything outside `[a-z0-9_-]` to `_`, cut to 63 characters. */
function gcpLabelPart(input: string): string {
  return input
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, GCP_LABEL_MAX);
}

/**
 * Convert tags into GCP-label-safe form: keys and values lowercase `[a-z0-9_-]`, at most 63
 * characters, keys start with a lowercase letter (prefixed with `k` otherwise), empty keys dropped.
 * Rules: https://cloud.google.com/compute/docs/labeling-resources#requirements (read 2026-11-22).
 * When two keys collide after conversion, the later one in sorted order wins.
 */
export function toGcpLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key] ?? "";
    let k = gcpLabelPart(key);
    if (k === "") continue;
    if (!/^[a-z]/.test(k)) k = `k${k}`.slice(0, GCP_LABEL_MAX);
    out[k] = gcpLabelPart(value);
  }
  return out;
}

/**
 * Azure tag names may not contain `< > % & \ ? /`; those characters become `_`. Values pass
 * through (max 256 characters, cut). Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
 * (read 2026-11-22).
 */
export function toAzureTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) {
    const k = key.replace(/[<>%&\\?/]/g, "_").slice(0, 512);
    if (k === "") continue;
    out[k] = (tags[key] ?? "").slice(0, 256);
  }
  return out;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] ?? "";
  return out;
}
