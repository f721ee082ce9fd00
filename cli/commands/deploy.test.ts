import { strict as assert } from "node:assert";
import type { RemoteDeployment } from "../client/context";
import { settledReport } from "./deploy";

const base: RemoteDeployment = {
  id: "dep-1",
  name: "llama",
  model: "Llama-3.1-8B-Instruct",
  environment: "dev",
  status: "ready",
  placement: { cloud: "gcp", region: "us-central1", instanceType: "g2-standard-8", capacity: "spot" },
  estimatedMonthlyUsd: 200,
  outputs: null,
  error: null,
  createdAt: "2026-11-30T00:00:00Z",
};

describe("deploy: the settled report", () => {
  it("a gateway endpoint: the https URL and a curl on it", () => {
    const url = "https://models.example.com/mp-t/llama-1a2b3c/v1";
    const { text, ok } = settledReport({ ...base, outputs: { endpoint: url } }, "KEY");
    assert.ok(ok);
    assert.ok(text.includes(`endpoint: ${url}`), text);
    assert.ok(text.includes(`curl ${url}/chat/completions`), text);
  });

  it("a cluster without a gateway: no URL invented, the stack's reason and the in-cluster URL", () => {
    const outputs = {
      endpointReason: 'the platform stack "p" installs no gateway on cluster "gcp-us-central1"',
      inClusterEndpoint: "http://llama-1a2b3c.mp-t.svc.cluster.local/v1",
    };
    const { text } = settledReport({ ...base, outputs }, "KEY");
    assert.ok(text.includes(`endpoint: none (${outputs.endpointReason})`), text);
    assert.ok(text.includes(`in-cluster endpoint: ${outputs.inClusterEndpoint}`), text);
    assert.ok(!text.includes("curl"), text);
  });
});
