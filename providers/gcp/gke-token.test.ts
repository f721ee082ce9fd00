/**
 * The GKE token from a metadata server on real loopback HTTP (GCE_METADATA_HOST), its errors, and
 * the rewrite of `gke-gcloud-auth-plugin`.
 */
import assert from "node:assert/strict";
import { KubeTokenError } from "../kubernetes/exec-credential";
import { loopback, type Loopback } from "../kubernetes/testing/loopback";
import { gkeCredentialOf, gkeExecCredential, gkeWorkerExec, metadataTokenUrl } from "./gke-token";

const NOW = new Date("2026-12-01T12:00:00Z");

describe("GKE token (providers/gcp/gke-token)", () => {
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("GETs the default service account's token with Metadata-Flavor: Google; expiry from expires_in, a minute early", async () => {
    server = await loopback(() => ({
      status: 200,
      body: JSON.stringify({ access_token: "ya29.test-token", expires_in: 3599, token_type: "Bearer" }),
    }));
    const cred = await gkeExecCredential([], { GCE_METADATA_HOST: server.host }, NOW);
    assert.deepEqual(cred, {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      spec: {},
      status: { token: "ya29.test-token", expirationTimestamp: "2026-12-01T12:58:59Z" },
    });
    assert.equal(server.received.length, 1);
    assert.equal(server.received[0]?.method, "GET");
    assert.equal(server.received[0]?.url, "/computeMetadata/v1/instance/service-accounts/default/token");
    assert.equal(server.received[0]?.headers["metadata-flavor"], "Google");
  });

  it("defaults to metadata.google.internal", () => {
    assert.equal(
      metadataTokenUrl({}),
      "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    );
  });

  it("a refusal, an unreachable server and an answer without a token are one-line errors naming Workload Identity", async () => {
    server = await loopback(() => ({ status: 404, type: "text/plain", body: "Not Found\n" }));
    const wi = /Workload Identity.*GCE_METADATA_HOST/;
    await assert.rejects(
      gkeExecCredential([], { GCE_METADATA_HOST: server.host }, NOW),
      (e: unknown) => e instanceof KubeTokenError && /answered 404 \(Not Found\)/.test(e.message) && wi.test(e.message),
    );
    await assert.rejects(
      gkeExecCredential([], { GCE_METADATA_HOST: "127.0.0.1:1" }, NOW),
      /cannot reach the GKE metadata server/,
    );
    assert.throws(() => gkeCredentialOf({ token_type: "Bearer" }, NOW), /without access_token\/expires_in/);
    await assert.rejects(
      gkeExecCredential(["--project", "p"], {}, NOW),
      /ValidationError: gke: Unknown option .--project.; accepted options: none/,
    );
  });

  it("rewrites gke-gcloud-auth-plugin into `<command> kube-token gke`, nothing else", () => {
    const next = gkeWorkerExec(
      { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin", args: [] },
      "modelplane",
    );
    assert.equal(next?.command, "modelplane");
    assert.deepEqual(next?.args, ["kube-token", "gke"]);
    assert.equal(next?.interactiveMode, "Never");
    assert.equal(gkeWorkerExec({ command: "aws", args: ["eks", "get-token"] }, "modelplane"), undefined);
  });
});
