/** How GET /v1/deployments/:id says to call a model: a URL and a curl only from a real https output. */
import * as assert from "node:assert/strict";
import { testSpec } from "../platform/service/store/testing/spec";
import { callEndpoint, chatCurl, openAiBase } from "./call-endpoint";
import { CallEndpointSchema } from "./inference-schemas";

const spec = testSpec();
const of = (
  outputs: Record<string, unknown> | null,
  status: "ready" | "queued" | "simulated" | "unverified" = "ready",
) => CallEndpointSchema.parse(callEndpoint({ status, outputs, spec }));

describe("api: the call endpoint of a deployment", () => {
  it("a gateway https endpoint: the base URL as it is and a curl of /chat/completions with the key variable and model", () => {
    const e = of({ endpoint: "https://gw.example.com/mp-team-a/llama/v1" });
    assert.equal(e.url, "https://gw.example.com/mp-team-a/llama/v1");
    assert.ok("curl" in e);
    assert.match(e.curl, /^curl 'https:\/\/gw\.example\.com\/mp-team-a\/llama\/v1\/chat\/completions'/);
    assert.match(e.curl, /-H "Authorization: Bearer \$MODELPLANE_INFERENCE_KEY"/);
    assert.ok(e.curl.includes(`"model":"${spec.model.name}"`));
    assert.equal(e.model, spec.model.name);
  });

  it("a serverless origin gets /v1 (the vLLM server's API root); any other https path is not an OpenAI base URL", () => {
    assert.equal(openAiBase("https://app.azurecontainerapps.io"), "https://app.azurecontainerapps.io/v1");
    assert.equal(openAiBase("https://x.run.app/"), "https://x.run.app/v1");
    assert.equal(openAiBase("https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/e/async-invocations"), null);
    const e = of({ endpoint: "https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/e/async-invocations" });
    assert.equal(e.url, null);
    assert.ok("reason" in e && /not an OpenAI base URL/.test(e.reason));
  });

  it("never invents a URL: the stack's own reason, in-cluster only, dry run, no outputs yet", () => {
    const reason = (o: Record<string, unknown> | null, status?: "ready" | "queued" | "simulated") => {
      const e = of(o, status);
      assert.equal(e.url, null);
      return "reason" in e ? e.reason : "";
    };
    assert.equal(
      reason({ endpointReason: "cluster aws-us-east-1 has no gateway" }),
      "cluster aws-us-east-1 has no gateway",
    );
    assert.match(reason({ endpoint: "http://svc.mp-a.svc.cluster.local/v1" }), /inside the cluster only/);
    assert.match(
      reason({ endpoint: "https://gw.example.com/mp-a/s/v1", simulated: true }, "simulated"),
      /dry run: nothing was created/,
    );
    assert.match(reason(null, "queued"), /no stack outputs yet \(status queued\)/);
  });

  it("an unverified deployment keeps its URL and says it was not seen serving, and why", () => {
    const outputs = {
      endpoint: "https://x.run.app",
      readiness: {
        state: "unverified",
        reason: "no Deployment to follow (serverless)",
        checkedAt: "t",
        waitedSeconds: 0,
      },
    };
    const e = of(outputs, "unverified");
    assert.equal(e.url, "https://x.run.app/v1");
    assert.ok("unverified" in e && e.unverified !== undefined);
    assert.match(e.unverified, /could not see it serve: no Deployment to follow \(serverless\)/);
    assert.ok(!("unverified" in of({ endpoint: "https://x.run.app" })), "a ready one says nothing more");
  });

  it("quotes the curl for the shell", () => {
    assert.ok(chatCurl("https://h/v1", "it's").includes(`'\\''`));
  });
});
