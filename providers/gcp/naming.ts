/**
 * Cloud Storage bucket naming rules and GCP service-account ids, as pure functions.
 * Rules: https://cloud.google.com/storage/docs/buckets#naming (read 2026-11-22): 3–63 characters
 * (without dots); lowercase letters, digits, dashes, underscores and dots; begin and end with a
 * letter or digit; not an IP address; must not begin with `goog`; must not contain `google` or
 * close misspellings such as `g00gle`. We never emit dots or underscores.
 */
import { shortHash, slug } from "../../platform/core/naming";

export const GCS_MAX = 63;

/** `undefined` when `name` is a valid GCS bucket name (dot-free form), else the reason. */
export function checkGcsBucketName(name: string): string | undefined {
  if (name.length < 3 || name.length > GCS_MAX) return `must be 3–${GCS_MAX} characters (got ${name.length})`;
  if (!/^[a-z0-9._-]+$/.test(name)) return "may contain only lowercase letters, digits, dashes, underscores and dots";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must begin and end with a letter or digit";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be an IP address";
  if (name.startsWith("goog")) return 'must not begin with "goog"';
  if (/g[o0]{2}g[l1]e/.test(name)) return 'must not contain "google" or a close misspelling';
  return undefined;
}

/** Remove `google` and look-alikes from a slug (GCS refuses them anywhere in a name). */
function withoutGoogle(s: string): string {
  return s.replace(/g[o0]{2}g[l1]e/g, "ggl");
}

/** `mp-<slug>-<hash8>`, at most 63 characters; distinct for distinct `hashInput`s. */
export function gcsBucketName(seed: string, hashInput: string): string {
  const hash = shortHash(hashInput, 8);
  const room = GCS_MAX - "mp-".length - 1 - hash.length;
  const body = withoutGoogle(slug(seed)).slice(0, room).replace(/-+$/, "");
  return body ? `mp-${body}-${hash}` : `mp-${hash}`;
}

/**
 * A service-account id (`accountId`): 6–30 characters, `[a-z]([-a-z0-9]*[a-z0-9])`.
 * Rules: https://cloud.google.com/iam/docs/service-accounts-create (read 2026-11-22).
 */
export function serviceAccountId(seed: string, hashInput: string, suffix = ""): string {
  const hash = shortHash(hashInput, 6);
  const tail = `${suffix ? `-${suffix}` : ""}-${hash}`;
  const room = 30 - "mp-".length - tail.length;
  const body = withoutGoogle(slug(seed)).slice(0, Math.max(room, 0)).replace(/-+$/, "");
  return body ? `mp-${body}${tail}` : `mp${tail}`;
}

export function checkServiceAccountId(id: string): string | undefined {
  if (!/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(id))
    return "must be 6–30 characters: a lowercase letter, then lowercase letters, digits or hyphens, ending in a letter or digit";
  return undefined;
}

/**
 * A Cloud Run service name: at most 49 characters, lowercase letters, digits and hyphens, starting
 * with a letter, not ending with a hyphen (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services, read 2026-11-22).
 */
export function cloudRunServiceName(seed: string, hashInput: string): string {
  const hash = shortHash(hashInput, 8);
  const room = 49 - 1 - hash.length;
  let body = slug(seed).slice(0, room).replace(/-+$/, "");
  if (!/^[a-z]/.test(body)) body = `mp${body ? `-${body}` : ""}`.slice(0, room).replace(/-+$/, "");
  return `${body}-${hash}`;
}
