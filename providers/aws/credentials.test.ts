/**
 * Where `modelplane kube-token eks` gets AWS credentials, over real loopback HTTP: EKS Pod
 * Identity's agent (Authorization from the token file), the environment's keys, STS AssumeRole
 * (via AWS_ENDPOINT_URL_STS), and the one-line errors naming the fix.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeTokenError } from "../kubernetes/exec-credential";
import { loopback, type Loopback } from "../kubernetes/testing/loopback";
import { assumeRole, awsCredentials } from "./credentials";
import { EKS_TOKEN_PREFIX, eksExecCredential } from "./eks-token";

const NOW = new Date("2026-12-01T12:00:00Z");

describe("AWS credentials for kube-token (providers/aws/credentials)", () => {
  let dir: string;
  let agent: Loopback | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "mp-kube-token-"));
  });
  afterEach(async () => {
    await agent?.close();
    agent = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("EKS Pod Identity: GETs the agent with the token file as Authorization; the token is signed with its keys", async () => {
    const tokenFile = join(dir, "eks-pod-identity-token");
    writeFileSync(tokenFile, "pod-identity-jwt\n");
    agent = await loopback(() => ({
      status: 200,
      body: JSON.stringify({
        AccessKeyId: "ASIAPOD",
        SecretAccessKey: "podsecret",
        Token: "podsession",
        AccountId: "123456789012",
        Expiration: "2026-12-01T18:00:00Z",
      }),
    }));
    const env = {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${agent.host}/v1/credentials`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile,
    };
    assert.deepEqual(await awsCredentials(env), {
      accessKeyId: "ASIAPOD",
      secretAccessKey: "podsecret",
      sessionToken: "podsession",
      expiration: new Date("2026-12-01T18:00:00Z"),
    });
    assert.equal(agent.received[0]?.method, "GET");
    assert.equal(agent.received[0]?.url, "/v1/credentials");
    assert.equal(agent.received[0]?.headers["authorization"], "pod-identity-jwt");

    const cred = await eksExecCredential(["--cluster-name", "mp", "--region", "us-east-1"], env, NOW);
    assert.equal(cred.kind, "ExecCredential");
    assert.equal(cred.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.equal(cred.status.expirationTimestamp, "2026-12-01T12:14:00Z");
    const url = new URL(Buffer.from(cred.status.token.slice(EKS_TOKEN_PREFIX.length), "base64url").toString());
    assert.match(url.searchParams.get("X-Amz-Credential") ?? "", /^ASIAPOD\//);
    assert.equal(url.searchParams.get("X-Amz-Security-Token"), "podsession");
  });

  it("the environment's keys come first; half a pair names the missing half", async () => {
    assert.deepEqual(
      await awsCredentials({ AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" }),
      { accessKeyId: "AKID", secretAccessKey: "s", sessionToken: "t" },
    );
    await assert.rejects(awsCredentials({ AWS_ACCESS_KEY_ID: "AKID" }), /AWS_SECRET_ACCESS_KEY is not set/);
  });

  it("no source: one line naming both sources and that profiles are not read", async () => {
    await assert.rejects(
      awsCredentials({ AWS_PROFILE: "dev" }),
      (e: unknown) =>
        e instanceof KubeTokenError &&
        !e.message.includes("\n") &&
        /AWS_ACCESS_KEY_ID/.test(e.message) &&
        /AWS_CONTAINER_CREDENTIALS_FULL_URI/.test(e.message) &&
        /AWS_PROFILE/.test(e.message),
    );
  });

  it("the agent's refusal, a down agent and a plain-http remote URI are errors naming the fix", async () => {
    agent = await loopback(() => ({ status: 403, body: '{"message":"token expired"}' }));
    await assert.rejects(
      awsCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${agent.host}/v1/credentials` }),
      /answered 403 \(\{"message":"token expired"\}\): check that the pod's ServiceAccount has an EKS Pod Identity association/,
    );
    await assert.rejects(
      awsCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://127.0.0.1:1/v1/credentials" }),
      /cannot reach the EKS Pod Identity agent at http:\/\/127\.0\.0\.1:1\/v1\/credentials/,
    );
    await assert.rejects(
      awsCredentials({ AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://example.com/creds" }),
      /plain http to a host that is neither loopback nor the EKS\/ECS agent/,
    );
    await assert.rejects(
      awsCredentials({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, "missing"),
      }),
      /cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE/,
    );
  });

  it("--role-arn: a SigV4-signed STS AssumeRole, whose temporary keys sign the token", async () => {
    agent = await loopback(() => ({
      status: 200,
      type: "text/xml",
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>rolesecret</SecretAccessKey><SessionToken>rolesession</SessionToken><Expiration>2026-12-01T12:15:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
    }));
    const env = {
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL_STS: `http://${agent.host}/`,
    };
    const cred = await eksExecCredential(
      ["--cluster-name", "mp", "--region", "us-east-1", "--role-arn", "arn:aws:iam::123456789012:role/admin"],
      env,
      NOW,
    );
    const req = agent.received[0];
    assert.equal(req?.method, "POST");
    const form = new URLSearchParams(req?.body);
    assert.equal(form.get("Action"), "AssumeRole");
    assert.equal(form.get("RoleArn"), "arn:aws:iam::123456789012:role/admin");
    assert.equal(form.get("Version"), "2011-06-15");
    assert.match(
      String(req?.headers["authorization"]),
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    const url = new URL(Buffer.from(cred.status.token.slice(EKS_TOKEN_PREFIX.length), "base64url").toString());
    assert.match(url.searchParams.get("X-Amz-Credential") ?? "", /^ASIAROLE\//);
    assert.equal(url.searchParams.get("X-Amz-Security-Token"), "rolesession");
    assert.equal(url.host, "sts.us-east-1.amazonaws.com", "the token names the real STS host, not the override");
  });

  it("an AssumeRole refusal names STS's code and message and the fix", async () => {
    agent = await loopback(() => ({
      status: 403,
      type: "text/xml",
      body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error></ErrorResponse>",
    }));
    await assert.rejects(
      assumeRole({
        credentials: { accessKeyId: "AKID", secretAccessKey: "s" },
        roleArn: "arn:aws:iam::1:role/x",
        region: "us-east-1",
        env: { AWS_ENDPOINT_URL_STS: `http://${agent.host}/` },
        now: NOW,
      }),
      /STS AssumeRole of arn:aws:iam::1:role\/x failed \(403 AccessDenied: not authorized to perform sts:AssumeRole\): allow sts:AssumeRole/,
    );
  });
});
