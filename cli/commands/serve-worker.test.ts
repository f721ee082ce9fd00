import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { ControlPlaneHealth } from "../../platform/service/types";
import { workerProbeServer } from "./serve-worker";

describe("modelplane serve --role worker: the probe server", () => {
  async function probe(health: ControlPlaneHealth, path: string): Promise<{ status: number; body: unknown }> {
    const server = workerProbeServer({ health: async () => health });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.json() };
    } finally {
      server.close();
    }
  }
  const ok: ControlPlaneHealth = { database: { ok: true }, engine: { available: true, version: "v3" } };

  it("/healthz answers 200; /readyz 200 when the database and the engine are ready", async () => {
    assert.deepEqual(await probe(ok, "/healthz"), { status: 200, body: { status: "ok", role: "worker" } });
    assert.deepEqual(await probe(ok, "/readyz"), { status: 200, body: { ready: true, role: "worker", reasons: [] } });
  });

  it("/readyz answers 503 with every reason; other paths 404 (a worker serves no API)", async () => {
    const down: ControlPlaneHealth = {
      database: { ok: false, error: "ECONNREFUSED" },
      engine: { available: false, reason: "Pulumi CLI not found" },
    };
    assert.deepEqual(await probe(down, "/readyz"), {
      status: 503,
      body: { ready: false, role: "worker", reasons: ["database unreachable", "Pulumi CLI not found"] },
    });
    assert.equal((await probe(ok, "/v1/deployments")).status, 404);
  });
});
