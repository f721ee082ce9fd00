/**
 * Kubernetes label syntax. Cost tags are free text (`owner: alice@example.com`); labels are not.
 * Rules (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set,
 * read 2026-11-22): a value is empty or at most 63 characters of `[A-Za-z0-9._-]`, starting and
 * ending alphanumeric; a key is an optional DNS-subdomain prefix (≤ 253) plus `/` plus a name with
 * the value's rules (non-empty).
 */
import { shortHash } from "../../platform/core/naming";

const NAME_MAX = 63;
const PREFIX_MAX = 253;
const VALID_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when `value` is a valid label value as it stands. */
export function isLabelValue(value: string): boolean {
  return value.length <= NAME_MAX && VALID_VALUE.test(value);
}

/** True when `key` is a valid label key as it stands. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (name === "" || !isLabelValue(name)) return false;
  if (slash < 0) return true;
  return (
    prefix.length > 0 &&
    prefix.length <= PREFIX_MAX &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)
  );
}

/**
 * Make `value` a valid label value: characters outside `[A-Za-z0-9._-]` become `_`, ends are
 * trimmed to alphanumerics, and an over-long value is cut and suffixed with a hash of the original
 * so two long values stay distinct. Already-valid values pass through unchanged.
 */
export function toLabelValue(value: string): string {
  if (isLabelValue(value)) return value;
  const folded = value.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  if (folded.length > 0 && folded.length <= NAME_MAX) return folded;
  const hash = shortHash(value, 8);
  const head = folded.slice(0, NAME_MAX - hash.length - 1).replace(/[^A-Za-z0-9]+$/g, "");
  return head ? `${head}-${hash}` : hash;
}

/** Make `key` a valid label key (the prefix, when present, is lowercased into DNS syntax). */
export function toLabelKey(key: string): string {
  if (isLabelKey(key)) return key;
  const slash = key.lastIndexOf("/");
  const rawPrefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = toLabelValue(slash >= 0 ? key.slice(slash + 1) : key) || "x";
  const prefix = rawPrefix
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .split(".")
    .map((p) => p.replace(/^-+|-+$/g, ""))
    .filter((p) => p !== "")
    .join(".")
    .slice(0, PREFIX_MAX);
  return prefix ? `${prefix}/${name}` : name;
}

/** Convert a tag map into valid labels (keys sorted; a later colliding key wins). */
export function toK8sLabels(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) {
    out[toLabelKey(key)] = toLabelValue(tags[key] ?? "");
  }
  return out;
}
