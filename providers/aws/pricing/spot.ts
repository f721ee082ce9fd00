/**
 * EC2 DescribeSpotPriceHistory over the query API, signed with AWS Signature Version 4 by hand
 * (node:crypto; no SDK), and its XML answer parsed into the lowest current spot price per
 * instance type across the region's regular AZs (opt-in zones skipped).
 */
import { createHash, createHmac } from "node:crypto";

export interface AwsCredentials {
  keyId: string;
  secret: string;
  sessionToken?: string;
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const hmac = (key: Buffer | string, s: string): Buffer => createHmac("sha256", key).update(s).digest();

/**
 * Sign a GET request with SigV4 (empty payload). Returns the canonical query string and the
 * headers to send (x-amz-date, Authorization, and the session token when there is one).
 */
export function sigV4Get(input: {
  host: string;
  path: string;
  query: Readonly<Record<string, string>>;
  region: string;
  service: string;
  creds: AwsCredentials;
  now: Date;
}): { query: string; headers: Record<string, string> } {
  const amzDate = input.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${enc(k)}=${enc(input.query[k]!)}`)
    .join("&");
  const headers: Record<string, string> = { host: input.host, "x-amz-date": amzDate };
  if (input.creds.sessionToken) headers["x-amz-security-token"] = input.creds.sessionToken;
  const signed = Object.keys(headers).sort();
  const canonical = [
    "GET",
    input.path,
    query,
    signed.map((h) => `${h}:${headers[h]}\n`).join(""),
    signed.join(";"),
    sha256(""),
  ].join("\n");
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${input.creds.secret}`, day), input.region), input.service), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  const out: Record<string, string> = {
    "x-amz-date": amzDate,
    Authorization: `AWS4-HMAC-SHA256 Credential=${input.creds.keyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`,
  };
  if (input.creds.sessionToken) out["x-amz-security-token"] = input.creds.sessionToken;
  return { query, headers: out };
}

/** A signed GET for DescribeSpotPriceHistory (prices current at `now`) of `instanceTypes`. */
export function signedEc2Url(
  region: string,
  instanceTypes: readonly string[],
  creds: AwsCredentials,
  now: Date,
): { url: string; headers: Record<string, string> } {
  const host = `ec2.${region}.amazonaws.com`;
  const params: Record<string, string> = {
    Action: "DescribeSpotPriceHistory",
    Version: "2016-11-15",
    "ProductDescription.1": "Linux/UNIX",
    StartTime: now.toISOString(),
  };
  instanceTypes.forEach((t, i) => {
    params[`InstanceType.${i + 1}`] = t;
  });
  const signed = sigV4Get({ host, path: "/", query: params, region, service: "ec2", creds, now });
  return { url: `https://${host}/?${signed.query}`, headers: signed.headers };
}

/** `<spotPriceHistorySet><item><instanceType/><availabilityZone/><spotPrice/>…` → lowest price per type. */
export function awsSpotFromXml(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  const items = xml.match(/<item>[\s\S]*?<\/item>/g) ?? [];
  for (const item of items) {
    const type = /<instanceType>([^<]+)<\/instanceType>/.exec(item)?.[1];
    const zone = /<availabilityZone>([^<]+)<\/availabilityZone>/.exec(item)?.[1] ?? "";
    const price = Number(/<spotPrice>([^<]+)<\/spotPrice>/.exec(item)?.[1]);
    // Regular AZ names end in a single letter (us-east-1a); Local/Wavelength zones do not.
    if (!type || !Number.isFinite(price) || !/^[a-z]+-[a-z]+-\d[a-z]$/.test(zone)) continue;
    const prev = out.get(type);
    out.set(type, prev === undefined ? price : Math.min(prev, price));
  }
  return out;
}
