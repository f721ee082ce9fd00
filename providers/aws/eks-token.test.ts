/**
 * The EKS token: its shape as aws-iam-authenticator's verifier checks it (pkg/token/token.go),
 * the signature over the cluster header, the expiry, and the rewrite of `aws eks get-token`.
 */
import assert from "node:assert/strict";
import { ValidationError } from "../../platform/core/validation";
import { execKubeconfig } from "../kubernetes/kubeconfig";
import { getTokenArgs } from "./cluster";
import {
  CLUSTER_ID_HEADER,
  EKS_TOKEN_PREFIX,
  eksToken,
  eksWorkerExec,
  parseEksOptions,
  PRESIGN_EXPIRES_SECONDS,
} from "./eks-token";
import { canonicalRequest, EMPTY_PAYLOAD_SHA256, signingKey, stringToSign } from "./sigv4";
import { createHmac } from "node:crypto";

const NOW = new Date("2026-12-01T12:00:00Z");
const KEYS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

/** The presigned URL inside a token (the verifier's first steps: prefix, base64url without padding). */
function decode(token: string): URL {
  assert.ok(token.startsWith(EKS_TOKEN_PREFIX), token);
  const body = token.slice(EKS_TOKEN_PREFIX.length);
  assert.match(body, /^[A-Za-z0-9_-]+$/, "base64url alphabet, no padding");
  return new URL(Buffer.from(body, "base64url").toString("utf8"));
}

/** The parameters aws-iam-authenticator accepts (its `parameterWhitelist`, lowercased). */
const ALLOWED = new Set([
  "action",
  "version",
  "x-amz-algorithm",
  "x-amz-credential",
  "x-amz-date",
  "x-amz-expires",
  "x-amz-security-token",
  "x-amz-signature",
  "x-amz-signedheaders",
]);

describe("EKS token (providers/aws/eks-token)", () => {
  it("is k8s-aws-v1. + base64url of a presigned STS GetCallerIdentity URL the authenticator accepts", () => {
    const { token, expires } = eksToken({
      clusterName: "mp-aws-0a1b2c",
      region: "eu-west-1",
      credentials: KEYS,
      now: NOW,
    });
    const url = decode(token);
    assert.equal(url.protocol, "https:");
    assert.equal(url.host, "sts.eu-west-1.amazonaws.com");
    assert.equal(url.pathname, "/");
    for (const k of url.searchParams.keys()) assert.ok(ALLOWED.has(k.toLowerCase()), `parameter ${k}`);
    const q = Object.fromEntries(url.searchParams);
    assert.equal(q["Action"], "GetCallerIdentity");
    assert.equal(q["Version"], "2011-06-15");
    assert.equal(q["X-Amz-Algorithm"], "AWS4-HMAC-SHA256");
    assert.equal(q["X-Amz-Credential"], "AKIDEXAMPLE/20261201/eu-west-1/sts/aws4_request");
    assert.equal(q["X-Amz-Date"], "20261201T120000Z");
    assert.equal(q["X-Amz-Expires"], String(PRESIGN_EXPIRES_SECONDS));
    assert.equal(PRESIGN_EXPIRES_SECONDS, 60);
    assert.equal(q["X-Amz-SignedHeaders"], `host;${CLUSTER_ID_HEADER}`);
    assert.equal(q["X-Amz-Security-Token"], undefined);
    assert.match(q["X-Amz-Signature"] ?? "", /^[0-9a-f]{64}$/);
    // 15 minutes after X-Amz-Date, less one: as aws-iam-authenticator reports it.
    assert.equal(expires.toISOString(), "2026-12-01T12:14:00.000Z");
  });

  it("signs the cluster's name: the signature is the SigV4 of host + x-k8s-aws-id over the other parameters", () => {
    const sign = (clusterName: string) => {
      const url = decode(eksToken({ clusterName, region: "us-east-1", credentials: KEYS, now: NOW }).token);
      const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "X-Amz-Signature"));
      const canonical = canonicalRequest({
        method: "GET",
        path: "/",
        query,
        headers: { host: url.host, [CLUSTER_ID_HEADER]: clusterName },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      });
      const expected = createHmac("sha256", signingKey(KEYS.secretAccessKey, NOW, "us-east-1", "sts"))
        .update(stringToSign(NOW, "20261201/us-east-1/sts/aws4_request", canonical))
        .digest("hex");
      assert.equal(url.searchParams.get("X-Amz-Signature"), expected);
      return expected;
    };
    assert.notEqual(sign("cluster-a"), sign("cluster-b"));
  });

  it("carries temporary credentials' session token and never outlives them", () => {
    const soon = new Date(NOW.getTime() + 5 * 60_000);
    const { token, expires } = eksToken({
      clusterName: "c",
      region: "us-east-1",
      credentials: { ...KEYS, sessionToken: "SESSION", expiration: soon },
      now: NOW,
    });
    assert.equal(decode(token).searchParams.get("X-Amz-Security-Token"), "SESSION");
    assert.equal(expires.getTime(), soon.getTime());
  });

  it("uses the China partition's STS host in cn- regions", () => {
    const url = decode(eksToken({ clusterName: "c", region: "cn-north-1", credentials: KEYS, now: NOW }).token);
    assert.equal(url.host, "sts.cn-north-1.amazonaws.com.cn");
  });

  it("options: --cluster-name required, --region or AWS_REGION, unknown options named", () => {
    assert.deepEqual(parseEksOptions(["--cluster-name", "c", "--region", "us-east-2"], {}), {
      clusterName: "c",
      region: "us-east-2",
    });
    assert.deepEqual(parseEksOptions(["--cluster-name", "c", "--role-arn", "arn:r"], { AWS_REGION: "eu-west-1" }), {
      clusterName: "c",
      region: "eu-west-1",
      roleArn: "arn:r",
    });
    assert.throws(() => parseEksOptions(["--region", "us-east-1"], {}), /--cluster-name: required/);
    assert.throws(() => parseEksOptions(["--cluster-name", "c"], {}), /--region: required.*AWS_REGION/);
    assert.throws(
      () => parseEksOptions(["--cluster-name", "c", "--profile", "p"], {}),
      (e: unknown) => e instanceof ValidationError && /--profile/.test(e.message) && /--cluster-name/.test(e.message),
    );
  });

  it("rewrites the exec `aws eks get-token` as the platform writes it into `<command> kube-token eks`, without role or profile", () => {
    const kubeconfig = JSON.parse(
      execKubeconfig({
        name: "mp",
        endpoint: "https://k8s.example",
        caData: "Q0E=",
        command: "aws",
        args: getTokenArgs("mp-aws-0a1b2c", "us-east-1", "arn:aws:iam::123456789012:role/admin"),
        env: { AWS_PROFILE: "dev" },
        installHint: "install the AWS CLI",
      }),
    ) as { users: Array<{ user: { exec: Parameters<typeof eksWorkerExec>[0] } }> };
    const exec = kubeconfig.users[0]!.user.exec;
    const next = eksWorkerExec(exec, "modelplane");
    assert.deepEqual(next?.args, ["kube-token", "eks", "--cluster-name", "mp-aws-0a1b2c", "--region", "us-east-1"]);
    assert.equal(next?.command, "modelplane");
    assert.deepEqual(next?.env, []);
    assert.equal(next?.interactiveMode, "Never");
    assert.equal(eksWorkerExec({ command: "gke-gcloud-auth-plugin" }, "modelplane"), undefined);
    assert.equal(eksWorkerExec({ command: "aws", args: ["sts", "get-caller-identity"] }, "modelplane"), undefined);
    assert.equal(
      eksWorkerExec(
        { command: "/usr/local/bin/aws", args: ["eks", "get-token", "--cluster-name=c", "--region=r"] },
        "mp",
      )?.args?.join(" "),
      "kube-token eks --cluster-name c --region r",
    );
  });
});
