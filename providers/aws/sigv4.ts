/**
 * AWS Signature Version 4 with node:crypto: a presigned URL (query-string authentication) and a
 * signed request (Authorization header). Pure; the clock is a parameter.
 *
 * Facts used (read 2026-12-01):
 * - The algorithm (canonical request, string to sign, the HMAC key chain `AWS4<secret>` → date →
 *   region → service → `aws4_request`, query parameters `X-Amz-Algorithm`, `X-Amz-Credential`,
 *   `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`): AWS S3 API reference,
 *   "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)",
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html, and
 *   "Signature Calculations for the Authorization Header",
 *   https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
 * - Both are checked against published vectors in sigv4.test.ts.
 *
 * Limits: the path is taken as given (already URI-encoded; the STS calls here use `/`), one value
 * per query parameter and per header.
 */
import { createHash, createHmac } from "node:crypto";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
/** SHA-256 of the empty payload (a GET without a body). */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** An access key, with the session token of temporary credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials stop working. */
  expiration?: Date;
}

export const sha256Hex = (data: string): string => createHash("sha256").update(data, "utf8").digest("hex");
const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest();

/** `20150830T123600Z`: the ISO 8601 basic form SigV4 signs. */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** RFC 3986 encoding as SigV4 wants it: every byte but `A-Z a-z 0-9 - _ . ~` percent-encoded, uppercase hex. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Query parameters encoded and sorted by name (then value), joined with `&`. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

/** Lowercased header names, sorted, and their trimmed values with inner runs of spaces collapsed. */
function canonicalHeaders(headers: Record<string, string>): { text: string; signed: string } {
  const entries = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, " ")] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    text: entries.map(([k, v]) => `${k}:${v}\n`).join(""),
    signed: entries.map(([k]) => k).join(";"),
  };
}

export interface CanonicalRequestArgs {
  method: string;
  /** The URI-encoded absolute path, `/` at least. */
  path: string;
  query: Record<string, string>;
  /** Every header to sign, `host` included. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD` (S3 presigned URLs). */
  payloadHash: string;
}

export function canonicalRequest(a: CanonicalRequestArgs): string {
  const h = canonicalHeaders(a.headers);
  return [a.method, a.path, canonicalQuery(a.query), h.text, h.signed, a.payloadHash].join("\n");
}

/** `<date>/<region>/<service>/aws4_request`. */
export function credentialScope(date: Date, region: string, service: string): string {
  return `${amzDate(date).slice(0, 8)}/${region}/${service}/aws4_request`;
}

export function stringToSign(date: Date, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDate(date), scope, sha256Hex(canonical)].join("\n");
}

/** The signing key: HMAC chain of the secret over the scope's date, region, service and `aws4_request`. */
export function signingKey(secretAccessKey: string, date: Date, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, amzDate(date).slice(0, 8));
  return hmac(hmac(hmac(kDate, region), service), "aws4_request");
}

export interface SignArgs {
  method: string;
  host: string;
  path: string;
  query?: Record<string, string>;
  /** Headers to sign besides `host` (and, for a signed request, `x-amz-date` and the session token). */
  headers?: Record<string, string>;
  credentials: AwsCredentials;
  region: string;
  service: string;
  now: Date;
}

/**
 * A presigned `https://` URL: the auth parameters (and the session token) go into the query, the
 * signature is appended last. The caller must send the extra `headers` with the request.
 */
export function presignUrl(a: SignArgs & { expiresSeconds: number; payloadHash?: string }): string {
  const scope = credentialScope(a.now, a.region, a.service);
  const headers = { host: a.host, ...(a.headers ?? {}) };
  const query: Record<string, string> = {
    ...(a.query ?? {}),
    "X-Amz-Algorithm": SIGV4_ALGORITHM,
    "X-Amz-Credential": `${a.credentials.accessKeyId}/${scope}`,
    "X-Amz-Date": amzDate(a.now),
    "X-Amz-Expires": String(a.expiresSeconds),
    "X-Amz-SignedHeaders": canonicalHeaders(headers).signed,
    ...(a.credentials.sessionToken !== undefined ? { "X-Amz-Security-Token": a.credentials.sessionToken } : {}),
  };
  const canonical = canonicalRequest({
    method: a.method,
    path: a.path,
    query,
    headers,
    payloadHash: a.payloadHash ?? EMPTY_PAYLOAD_SHA256,
  });
  const signature = hmac(
    signingKey(a.credentials.secretAccessKey, a.now, a.region, a.service),
    stringToSign(a.now, scope, canonical),
  ).toString("hex");
  return `https://${a.host}${a.path}?${canonicalQuery(query)}&X-Amz-Signature=${signature}`;
}

/** The headers to send for a header-signed request: the given ones plus `x-amz-date`, the session token and `authorization`. */
export function signRequest(a: SignArgs & { body?: string }): Record<string, string> {
  const scope = credentialScope(a.now, a.region, a.service);
  const headers: Record<string, string> = {
    host: a.host,
    ...(a.headers ?? {}),
    "x-amz-date": amzDate(a.now),
    ...(a.credentials.sessionToken !== undefined ? { "x-amz-security-token": a.credentials.sessionToken } : {}),
  };
  const canonical = canonicalRequest({
    method: a.method,
    path: a.path,
    query: a.query ?? {},
    headers,
    payloadHash: sha256Hex(a.body ?? ""),
  });
  const signature = hmac(
    signingKey(a.credentials.secretAccessKey, a.now, a.region, a.service),
    stringToSign(a.now, scope, canonical),
  ).toString("hex");
  const signed = canonicalHeaders(headers).signed;
  return {
    ...headers,
    authorization: `${SIGV4_ALGORITHM} Credential=${a.credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}
