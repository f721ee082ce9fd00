import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./config";
import { settingsFromConfig } from "./engine/automation/settings";
import { ValidationError } from "../core/validation";

describe("loadConfig", function () {
  it("has embedded defaults: PGlite under ./.modelplane, 2 workers, loopback:8080, file backend", function () {
    const c = loadConfig({}, "/srv/app");
    assert.equal(c.env, "development");
    assert.equal(c.dataDir, "/srv/app/.modelplane");
    assert.deepEqual(c.database, { kind: "pglite", dataDir: "/srv/app/.modelplane/db" });
    assert.equal(c.workers, 2);
    assert.equal(c.port, 8080);
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.pulumi.backendUrl, "file:///srv/app/.modelplane/state");
    assert.equal(c.pulumi.autoInstall, false);
    assert.equal(c.adminKey, undefined);
    assert.equal(c.maxBodyBytes, 1024 * 1024);
    assert.equal(c.policyConfigFile, undefined);
    assert.equal(c.catalogFile, undefined);
  });

  it("reads the policy config and catalog files, resolved against the working directory", function () {
    const c = loadConfig(
      { MODELPLANE_POLICY_CONFIG: "policy/config.example.json", MODELPLANE_CATALOG: "/abs/catalog.json" },
      "/srv/app",
    );
    assert.equal(c.policyConfigFile, "/srv/app/policy/config.example.json");
    assert.equal(c.catalogFile, "/abs/catalog.json");
  });

  it("reads every variable", function () {
    const c = loadConfig(
      {
        MODELPLANE_ENV: "production",
        MODELPLANE_DATA_DIR: "/data",
        DATABASE_URL: "postgres://u@db:5432/mp",
        MODELPLANE_WORKERS: "8",
        MODELPLANE_ADMIN_KEY: "0123456789abcdef0123",
        PORT: "9000",
        HOST: "0.0.0.0",
        PULUMI_CONFIG_PASSPHRASE: "pp",
        MODELPLANE_BACKEND_URL: "s3://bucket/state",
        MODELPLANE_PULUMI_AUTO_INSTALL: "1",
        MODELPLANE_PLATFORM_STACK: "org/platform/prod",
        MODELPLANE_RATE_LIMIT_PER_MINUTE: "120",
        MODELPLANE_RATE_LIMIT_BURST: "10",
        MODELPLANE_MAX_BODY_BYTES: "65536",
      },
      "/",
    );
    assert.deepEqual(c.database, { kind: "postgres", url: "postgres://u@db:5432/mp" });
    assert.equal(c.workers, 8);
    assert.equal(c.adminKey, "0123456789abcdef0123");
    assert.deepEqual([c.port, c.host], [9000, "0.0.0.0"]);
    assert.deepEqual(c.pulumi, {
      passphrase: "pp",
      secretsProvider: undefined,
      backendUrl: "s3://bucket/state",
      autoInstall: true,
      platformStack: "org/platform/prod",
      kubeTokenCommand: undefined,
      home: "/data/pulumi-home",
      workRoot: "/data/stacks",
    });
    assert.deepEqual(c.rateLimit, { perMinute: 120, burst: 10 });
    assert.equal(c.maxBodyBytes, 65536);
  });

  it("passes Pulumi Cloud, gs:// and azblob:// backends through", function () {
    for (const url of ["https://api.pulumi.com", "gs://b", "azblob://c"]) {
      assert.equal(loadConfig({ MODELPLANE_BACKEND_URL: url }).pulumi.backendUrl, url);
    }
  });

  it("names the variable on bad values", function () {
    const bad: Array<[NodeJS.ProcessEnv, string]> = [
      [{ MODELPLANE_WORKERS: "lots" }, "MODELPLANE_WORKERS"],
      [{ MODELPLANE_WORKERS: "0" }, "MODELPLANE_WORKERS"],
      [{ PORT: "70000" }, "PORT"],
      [{ MODELPLANE_ENV: "staging" }, "MODELPLANE_ENV"],
      [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
      [{ MODELPLANE_BACKEND_URL: "ftp://x" }, "MODELPLANE_BACKEND_URL"],
      [{ MODELPLANE_ADMIN_KEY: "short" }, "MODELPLANE_ADMIN_KEY"],
      [{ MODELPLANE_PULUMI_AUTO_INSTALL: "maybe" }, "MODELPLANE_PULUMI_AUTO_INSTALL"],
      [{ MODELPLANE_ROLE: "scheduler" }, "MODELPLANE_ROLE"],
      [{ MODELPLANE_ROLE: "worker" }, "MODELPLANE_ROLE"],
      [{ MODELPLANE_KUBE_TOKEN_COMMAND: "modelplane kube-token" }, "MODELPLANE_KUBE_TOKEN_COMMAND"],
    ];
    for (const [env, field] of bad) {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ValidationError && e.field === field && e.message.startsWith(`${field}: `),
        field,
      );
    }
    assert.throws(
      () => loadConfig({ MODELPLANE_WORKERS: "lots" }),
      /MODELPLANE_WORKERS: must be an integer from 1 to 64 \(got "lots"\)/,
    );
  });

  it("MODELPLANE_KUBE_TOKEN_COMMAND: unset by default (the platform's kubeconfigs as they are), the image's `modelplane` reaches the engine settings (#14)", function () {
    assert.equal(loadConfig({}).pulumi.kubeTokenCommand, undefined);
    const c = loadConfig({ MODELPLANE_KUBE_TOKEN_COMMAND: "modelplane" });
    assert.equal(c.pulumi.kubeTokenCommand, "modelplane");
    assert.equal(settingsFromConfig(c, []).kubeTokenCommand, "modelplane");
  });

  it("MODELPLANE_ROLE: all by default; api and worker need a shared Postgres", function () {
    assert.equal(loadConfig({}).role, "all");
    const url = "postgres://u@db:5432/mp";
    assert.equal(loadConfig({ MODELPLANE_ROLE: "api", DATABASE_URL: url }).role, "api");
    assert.equal(loadConfig({ MODELPLANE_ROLE: "worker", DATABASE_URL: url }).role, "worker");
    assert.throws(() => loadConfig({ MODELPLANE_ROLE: "api" }), /MODELPLANE_ROLE: "api" needs DATABASE_URL/);
  });

  it("the footprint source: MODELPLANE_PLATFORM_CONFIG, else ./Pulumi.dev.yaml when it exists, else the stack, else none", function () {
    const dir = mkdtempSync(join(tmpdir(), "mp-cfg-"));
    try {
      assert.deepEqual(loadConfig({}, dir).footprintSource, { kind: "none" });
      assert.deepEqual(loadConfig({ MODELPLANE_PLATFORM_STACK: "acme/platform/prod" }, dir).footprintSource, {
        kind: "stack",
        stack: "acme/platform/prod",
      });
      writeFileSync(join(dir, "Pulumi.dev.yaml"), "config: {}\n");
      assert.deepEqual(loadConfig({}, dir).footprintSource, {
        kind: "config",
        file: join(dir, "Pulumi.dev.yaml"),
        fromEnv: false,
      });
      assert.deepEqual(loadConfig({ MODELPLANE_PLATFORM_CONFIG: "stacks/Pulumi.prod.yaml" }, dir).footprintSource, {
        kind: "config",
        file: join(dir, "stacks/Pulumi.prod.yaml"),
        fromEnv: true,
      });
      assert.equal(loadConfig({ MODELPLANE_PLATFORM_STACK: "acme/platform/prod" }, dir).footprintSource.kind, "stack");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
