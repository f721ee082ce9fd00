/**
 * The EKS bearer token, made without the AWS CLI: `k8s-aws-v1.` + base64url (no padding) of a
 * SigV4-presigned STS `GetCallerIdentity` URL whose signed headers are `host;x-k8s-aws-id`, the
 * header carrying the cluster's name. What `aws eks get-token` prints, as the ExecCredential of
 * `modelplane kube-token eks --cluster-name <name> --region <region> [--role-arn <arn>]`.
 *
 * Facts used: kubernetes-sigs/aws-iam-authenticator pkg/token/token.go (read 2026-12-01): the
 * prefix `k8s-aws-v1.`, `base64.RawURLEncoding`, the `x-k8s-aws-id` header, `X-Amz-Expires` 60
 * ("IT IS IGNORED": a presigned STS URL is valid 15 minutes after X-Amz-Date; the verifier accepts
 * 0..900), token expiry 15 − 1 minutes after signing, the regional STS endpoint. Its verifier
 * accepts only https, a known STS host, path `/`, `Action=GetCallerIdentity`, the parameters
 * Action, Version and X-Amz-* (Algorithm, Credential, Date, Expires, Security-Token, Signature,
 * SignedHeaders), and requires x-k8s-aws-id among the signed headers.
 */
import { ValidationError } from "../../platform/core/validation";
import {
  execCredential,
  parseSourceOptions,
  type ExecCredential,
  type KubeTokenSource,
} from "../kubernetes/exec-credential";
import { execProgram, type KubeExec } from "../kubernetes/kubeconfig";
import { assumeRole, awsCredentials, stsHost, type Env } from "./credentials";
import { presignUrl, type AwsCredentials } from "./sigv4";

export const EKS_TOKEN_PREFIX = "k8s-aws-v1.";
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";
/** Sent for compatibility; STS ignores it (see the file comment). */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** The token is good 15 minutes after signing; report 14 for some cushion, as aws-iam-authenticator does. */
export const EKS_TOKEN_LIFETIME_MS = 14 * 60_000;

export interface EksTokenArgs {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  now: Date;
}

/** The bearer token and when to get a new one (never later than the credentials' own expiry). Pure. */
export function eksToken(a: EksTokenArgs): { token: string; expires: Date } {
  const url = presignUrl({
    method: "GET",
    host: stsHost(a.region),
    path: "/",
    query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
    headers: { [CLUSTER_ID_HEADER]: a.clusterName },
    credentials: a.credentials,
    region: a.region,
    service: "sts",
    now: a.now,
    expiresSeconds: PRESIGN_EXPIRES_SECONDS,
  });
  const lifetime = a.now.getTime() + EKS_TOKEN_LIFETIME_MS;
  const credentialsEnd = a.credentials.expiration?.getTime() ?? Infinity;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url, "utf8").toString("base64url"),
    expires: new Date(Math.min(lifetime, credentialsEnd)),
  };
}

const OPTIONS = ["cluster-name", "region", "role-arn"] as const;

/** `--cluster-name`, `--region` (else AWS_REGION / AWS_DEFAULT_REGION) and `--role-arn`; missing ones name themselves. */
export function parseEksOptions(argv: string[], env: Env): { clusterName: string; region: string; roleArn?: string } {
  const o = parseSourceOptions("eks", argv, OPTIONS);
  const clusterName = o["cluster-name"];
  if (!clusterName) throw new ValidationError("--cluster-name", "required: the EKS cluster's name");
  const region = o["region"] || env["AWS_REGION"] || env["AWS_DEFAULT_REGION"];
  if (!region) {
    throw new ValidationError("--region", "required: the cluster's region (or set AWS_REGION), e.g. us-east-1");
  }
  const roleArn = o["role-arn"];
  return { clusterName, region, ...(roleArn ? { roleArn } : {}) };
}

/** The ExecCredential: the caller's credentials (after AssumeRole when `--role-arn` is given), signed into a token. */
export async function eksExecCredential(argv: string[], env: Env, now: Date): Promise<ExecCredential> {
  const o = parseEksOptions(argv, env);
  let credentials = await awsCredentials(env);
  if (o.roleArn !== undefined) {
    credentials = await assumeRole({ credentials, roleArn: o.roleArn, region: o.region, env, now });
  }
  const t = eksToken({ clusterName: o.clusterName, region: o.region, credentials, now });
  return execCredential(t.token, t.expires);
}

function flagValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

/**
 * `aws eks get-token --cluster-name X --region R [--role-arn A]` (as providers/aws/cluster.ts
 * writes it) → `<command> kube-token eks --cluster-name X --region R`. The role and the profile
 * (`AWS_PROFILE` env) are dropped on purpose: they are the developer's way in, while the control
 * plane's pods authenticate as their own Pod Identity role, which has its own access entry on the
 * cluster (providers/aws/control-plane.ts). Undefined for any other exec. Pure.
 */
export function eksWorkerExec(exec: KubeExec, command: string): KubeExec | undefined {
  const args = exec.args ?? [];
  if (execProgram(exec.command) !== "aws" || args[0] !== "eks" || args[1] !== "get-token") return undefined;
  const clusterName = flagValue(args, "--cluster-name");
  const region = flagValue(args, "--region");
  if (!clusterName || !region) return undefined;
  return {
    apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1beta1",
    command,
    args: ["kube-token", "eks", "--cluster-name", clusterName, "--region", region],
    env: [],
    installHint: `\`${command} kube-token\` ships in the modelplane control plane image (docs/control-plane.md); outside it, use the platform stack's kubeconfig with the AWS CLI`,
    interactiveMode: "Never",
    provideClusterInfo: exec.provideClusterInfo ?? false,
  };
}

export const eksTokenSource: KubeTokenSource = {
  name: "eks",
  usage:
    "eks --cluster-name <name> [--region <region>] [--role-arn <arn>]   an EKS token from the environment's AWS keys or EKS Pod Identity",
  credential: eksExecCredential,
  workerExec: eksWorkerExec,
};
