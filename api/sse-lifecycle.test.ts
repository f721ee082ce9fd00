/**
 * Event streams end when there is nothing more to follow or nobody to follow it for (issue 11):
 * at a settled status, and when the caller's key is revoked, here or on another replica.
 */
import * as assert from "node:assert/strict";
import { TestEngine } from "../platform/service/engine/testing/test-engine";
import { call, DEFAULT_TEST_SETTINGS, makeKey, obj, readSse, serve } from "./testing/harness";
import { startApiRig, type ApiRig } from "./testing/rig";

const MODEL = { name: "sse-model", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };

describe("api: event streams end honestly", function () {
  this.timeout(60_000);
  let rig: ApiRig;
  let n = 0;
  before(async () => (rig = await startApiRig({ engine: new TestEngine(), tenant: "sse-team" })));
  after(() => rig?.close());

  /** A deployment that has reached `ready`. */
  async function readyDeployment(): Promise<string> {
    const r = await call(rig.api.base, "POST", "/v1/deployments", {
      key: rig.key,
      body: { model: { ...MODEL, name: `${MODEL.name}-${n++}` } },
    });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = String(obj(r.body).id);
    assert.equal((await rig.settled(id)).status, "ready");
    return id;
  }

  it("ends the stream once the operation it follows settles", async () => {
    const id = await readyDeployment();
    const replay = await readSse(rig.api.base, `/v1/deployments/${id}/events?follow=false`, rig.key, () => false);
    const after = replay.frames[replay.frames.length - 1]?.id ?? "0";
    const s = await readSse(rig.api.base, `/v1/deployments/${id}/events?after=${after}`, rig.key, () => false, {
      timeoutMs: 20_000,
      onOpen: () => {
        void call(rig.api.base, "PATCH", `/v1/deployments/${id}`, {
          key: rig.key,
          body: { scaling: { minReplicas: 1, maxReplicas: 2 } },
        });
      },
    });
    assert.equal(s.endedByServer, true, "the server ended the stream");
    const last = s.frames[s.frames.length - 1];
    assert.ok(last, "live frames arrived");
    assert.equal((JSON.parse(last.data) as { data: { status?: string } }).data.status, "ready");
  });

  it("ends a revoked key's stream at once", async () => {
    const id = await readyDeployment();
    const viewer = await makeKey(rig.api.base, rig.fx.adminKey, "sse-team", "viewer", "revoked-watcher");
    const s = await readSse(rig.api.base, `/v1/deployments/${id}/events?after=1000000`, viewer.secret, () => false, {
      timeoutMs: 20_000,
      onOpen: () => {
        void call(rig.api.base, "DELETE", `/v1/api-keys/${viewer.id}`, { key: rig.fx.adminKey });
      },
    });
    assert.equal(s.endedByServer, true);
  });

  it("ends it at the next heartbeat when another replica revoked the key", async () => {
    const id = await readyDeployment();
    const other = await serve({
      controlPlane: rig.fx.controlPlane,
      catalog: rig.fx.catalog,
      settings: { ...DEFAULT_TEST_SETTINGS, sseHeartbeatMs: 100, authCacheMs: 0 },
    });
    try {
      const viewer = await makeKey(rig.api.base, rig.fx.adminKey, "sse-team", "viewer", "remote-watcher");
      const s = await readSse(other.base, `/v1/deployments/${id}/events?after=1000000`, viewer.secret, () => false, {
        timeoutMs: 20_000,
        onOpen: () => {
          void call(rig.api.base, "DELETE", `/v1/api-keys/${viewer.id}`, { key: rig.fx.adminKey });
        },
      });
      assert.equal(s.endedByServer, true);
    } finally {
      await other.close();
    }
  });
});
