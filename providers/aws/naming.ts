/**
 * Amazon S3 general-purpose bucket naming rules, as a pure function pair: build a valid name and
 * explain why a name is invalid. Rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 * (read 2026-11-22): 3–63 characters; lowercase letters, digits, dots and hyphens; begin and end
 * with a letter or digit; no two adjacent dots; not formatted as an IPv4 address; not beginning
 * with `xn--`, `sthree-` or `amzn-s3-demo-`; not ending with `-s3alias`, `--ol-s3`, `.mrap`,
 * `--x-s3` or `--table-s3`. We also avoid dots altogether (they break virtual-hosted TLS).
 */
import { shortHash, slug } from "../../platform/core/naming";

export const S3_MAX = 63;
const FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** `undefined` when `name` is a valid S3 bucket name, else the reason it is not. */
export function checkS3BucketName(name: string): string | undefined {
  if (name.length < 3 || name.length > S3_MAX) return `must be 3–${S3_MAX} characters (got ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return "may contain only lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  const prefix = FORBIDDEN_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not begin with "${prefix}"`;
  const suffix = FORBIDDEN_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with "${suffix}"`;
  return undefined;
}

/**
 * `mp-<slug>-<hash8>`: readable, at most 63 characters, deterministic, and distinct for distinct
 * `hashInput`s even when the slugs agree (`Llama_3` vs `llama-3`).
 */
export function s3BucketName(seed: string, hashInput: string): string {
  const hash = shortHash(hashInput, 8);
  const room = S3_MAX - "mp-".length - 1 - hash.length;
  const body = slug(seed).slice(0, room).replace(/-+$/, "");
  return body ? `mp-${body}-${hash}` : `mp-${hash}`;
}

/**
 * A SageMaker resource name (model, endpoint config, endpoint): at most 63 characters of
 * `[a-zA-Z0-9-]`, not starting or ending with a hyphen. We emit lowercase `mp-<slug>-<hash8>`.
 */
export function sagemakerName(seed: string, hashInput: string): string {
  return s3BucketName(seed, hashInput);
}

/**
 * An IAM role/policy name: at most 64 characters (we emit `mp-<slug>-<hash8>-<suffix>`), from
 * `[A-Za-z0-9+=,.@_-]`. Rules: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (read 2026-11-22).
 */
export function iamName(seed: string, hashInput: string, suffix: string): string {
  const hash = shortHash(hashInput, 8);
  const tail = `-${hash}-${suffix}`;
  const room = 64 - "mp-".length - tail.length;
  const body = slug(seed).slice(0, Math.max(room, 0)).replace(/-+$/, "");
  return body ? `mp-${body}${tail}` : `mp${tail}`;
}
