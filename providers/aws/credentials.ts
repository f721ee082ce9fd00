/**
 * AWS credentials for `modelplane kube-token eks`, without the AWS CLI or SDK: the environment's
 * access key, else the pod's EKS Pod Identity (the container credential provider), and optionally
 * an STS AssumeRole on top. Shared config files and `AWS_PROFILE` are not read.
 *
 * Facts used (read 2026-12-01):
 * - Environment keys `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, and the
 *   container provider: EKS Pod Identity sets `AWS_CONTAINER_CREDENTIALS_FULL_URI` and
 *   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`; the SDK sends the file's content as the
 *   `Authorization` header of a GET to the URI and reads `AccessKeyId`, `SecretAccessKey`, `Token`,
 *   `Expiration` from the JSON answer; plain http is accepted only for loopback and the ECS/EKS
 *   agent addresses: AWS SDKs and Tools Reference Guide, "Container credential provider",
 *   https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html.
 * - `AWS_ENDPOINT_URL_STS` (service-specific endpoint override): same guide, "Service-specific
 *   endpoints". Used for AssumeRole only; the EKS token must name the real STS host.
 * - STS AssumeRole (Query API, `Version=2011-06-15`, POST form body, XML answer with
 *   `Credentials/AccessKeyId|SecretAccessKey|SessionToken|Expiration`): AWS STS API Reference,
 *   "AssumeRole", https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html.
 */
import { readFileSync } from "node:fs";
import { bodySnippet, fetchOrExplain, KubeTokenError } from "../kubernetes/exec-credential";
import { signRequest, type AwsCredentials } from "./sigv4";

export type Env = Readonly<Record<string, string | undefined>>;

const NO_CREDENTIALS_FIX =
  "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or run in a pod whose ServiceAccount has an EKS Pod Identity association (it sets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE); AWS_PROFILE and ~/.aws files are not read";

const POD_IDENTITY_FIX =
  "check that the pod's ServiceAccount has an EKS Pod Identity association and that the eks-pod-identity-agent add-on runs on its node";

/** Hosts the container provider may reach over plain http (the SDK guide's list, plus loopback). */
const AGENT_HOSTS = new Set(["169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"]);

function allowedContainerUri(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KubeTokenError(
      `AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL ("${raw}"): ${POD_IDENTITY_FIX}, or unset it`,
    );
  }
  const loopback = url.hostname === "localhost" || /^127\./.test(url.hostname) || url.hostname === "[::1]";
  if (url.protocol === "https:" || (url.protocol === "http:" && (loopback || AGENT_HOSTS.has(url.hostname)))) {
    return url;
  }
  throw new KubeTokenError(
    `AWS_CONTAINER_CREDENTIALS_FULL_URI ${raw} is plain http to a host that is neither loopback nor the EKS/ECS agent: use https, or the agent's address`,
  );
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The pod's credentials from the EKS Pod Identity agent (the container credential provider). */
async function containerCredentials(env: Env, readFile: (path: string) => string): Promise<AwsCredentials> {
  const url = allowedContainerUri(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] ?? "");
  const tokenFile = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"];
  let authorization = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"];
  if (tokenFile) {
    try {
      authorization = readFile(tokenFile).trim();
    } catch (err) {
      throw new KubeTokenError(
        `cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile} (${err instanceof Error ? err.message : String(err)}): ${POD_IDENTITY_FIX}`,
      );
    }
  }
  const res = await fetchOrExplain(
    url.href,
    { headers: authorization ? { Authorization: authorization } : {} },
    "the EKS Pod Identity agent",
    POD_IDENTITY_FIX,
  );
  const text = await res.text();
  if (!res.ok) {
    throw new KubeTokenError(
      `the EKS Pod Identity agent at ${url.href} answered ${res.status} (${bodySnippet(text)}): ${POD_IDENTITY_FIX}`,
    );
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // reported below as missing fields
  }
  const accessKeyId = str(body, "AccessKeyId");
  const secretAccessKey = str(body, "SecretAccessKey");
  if (!accessKeyId || !secretAccessKey) {
    throw new KubeTokenError(
      `the EKS Pod Identity agent at ${url.href} answered without AccessKeyId/SecretAccessKey (${bodySnippet(text)}): ${POD_IDENTITY_FIX}`,
    );
  }
  const token = str(body, "Token");
  const expiration = str(body, "Expiration");
  return {
    accessKeyId,
    secretAccessKey,
    ...(token !== undefined ? { sessionToken: token } : {}),
    ...(expiration !== undefined && !Number.isNaN(Date.parse(expiration)) ? { expiration: new Date(expiration) } : {}),
  };
}

/**
 * The caller's credentials: the environment's access key pair, else EKS Pod Identity, else a
 * KubeTokenError naming both sources. Half a key pair is an error naming the missing half.
 */
export async function awsCredentials(
  env: Env,
  readFile: (path: string) => string = (p) => readFileSync(p, "utf8"),
): Promise<AwsCredentials> {
  const id = env["AWS_ACCESS_KEY_ID"];
  const secret = env["AWS_SECRET_ACCESS_KEY"];
  if (id || secret) {
    if (!id || !secret) {
      throw new KubeTokenError(
        `${id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is not set but ${id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is: set both, or neither to use EKS Pod Identity`,
      );
    }
    const token = env["AWS_SESSION_TOKEN"];
    return { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
  }
  if (env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) return containerCredentials(env, readFile);
  throw new KubeTokenError(`no AWS credentials found: ${NO_CREDENTIALS_FIX}`);
}

/** The regional STS host (`sts.<region>.amazonaws.com`; `.amazonaws.com.cn` in the China regions). */
export function stsHost(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

const xmlField = (xml: string, tag: string): string | undefined =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.trim() || undefined;

export interface AssumeRoleArgs {
  credentials: AwsCredentials;
  roleArn: string;
  region: string;
  env: Env;
  now: Date;
  /** Default `modelplane-kube-token`. */
  sessionName?: string;
}

/** Temporary credentials of `roleArn` (15 minutes, the shortest STS grants), by a SigV4-signed STS AssumeRole. */
export async function assumeRole(a: AssumeRoleArgs): Promise<AwsCredentials> {
  const endpoint = new URL(a.env["AWS_ENDPOINT_URL_STS"] || `https://${stsHost(a.region)}/`);
  const body = new URLSearchParams({
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: a.roleArn,
    RoleSessionName: a.sessionName ?? "modelplane-kube-token",
    DurationSeconds: "900",
  }).toString();
  const headers = signRequest({
    method: "POST",
    host: endpoint.host,
    path: endpoint.pathname || "/",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
    credentials: a.credentials,
    region: a.region,
    service: "sts",
    now: a.now,
  });
  const { host: _host, ...send } = headers;
  const fix = `allow sts:AssumeRole on ${a.roleArn} for the caller, or drop --role-arn`;
  const res = await fetchOrExplain(endpoint.href, { method: "POST", headers: send, body }, "AWS STS", fix);
  const xml = await res.text();
  if (!res.ok) {
    const why = [xmlField(xml, "Code"), xmlField(xml, "Message")].filter(Boolean).join(": ") || bodySnippet(xml);
    throw new KubeTokenError(`STS AssumeRole of ${a.roleArn} failed (${res.status} ${why}): ${fix}`);
  }
  const accessKeyId = xmlField(xml, "AccessKeyId");
  const secretAccessKey = xmlField(xml, "SecretAccessKey");
  const sessionToken = xmlField(xml, "SessionToken");
  const expiration = xmlField(xml, "Expiration");
  if (!accessKeyId || !secretAccessKey || !sessionToken) {
    throw new KubeTokenError(
      `STS AssumeRole of ${a.roleArn} answered without credentials (${bodySnippet(xml)}): ${fix}`,
    );
  }
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    ...(expiration !== undefined && !Number.isNaN(Date.parse(expiration)) ? { expiration: new Date(expiration) } : {}),
  };
}
