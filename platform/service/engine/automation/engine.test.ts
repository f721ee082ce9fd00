import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { loadConfig } from "../../config";
import { EngineUnavailableError } from "../../../core/errors";
import { classifyEngineError, EngineOperationError, OperationCancelledError, PULUMI_CLI_MISSING } from "../errors";
import type { EngineEventMessage, StackTarget } from "../types";
import { AutomationEngine } from "./engine";
import { plainOutputs, trimEngineEvent } from "./events";
import { policyDenied } from "./runner";
import {
  operationOptionsFor,
  secretsFor,
  settingsFromConfig,
  stackTagsFor,
  workspaceOptionsFor,
  type AutomationSettings,
} from "./settings";
import { testSpec } from "../../store/testing/spec";

const target: StackTarget = {
  stackName: "acme-llama-3-8b-dev-1a2b3c4d",
  deploymentId: "5b0c6c0e-8d1f-4a53-9a55-0a5d1e1e1e1e",
  tenant: "acme",
  model: "Llama 3 8B",
  spec: testSpec(),
};

function settings(env: NodeJS.ProcessEnv = {}): AutomationSettings {
  return settingsFromConfig(loadConfig({ MODELPLANE_DATA_DIR: "/var/lib/mp", ...env }, "/"), ["/opt/policy"]);
}

describe("Automation adapter: argument mapping (no CLI needed)", function () {
  it("maps a stack to LocalWorkspace options: work dir per stack, pulumiHome, backend, passphrase", function () {
    const plan = workspaceOptionsFor(settings({ PULUMI_CONFIG_PASSPHRASE: "s3cret" }), target);
    assert.deepEqual(plan, {
      stackName: target.stackName,
      projectName: "modelplane-deployment",
      workDir: `/var/lib/mp/stacks/${target.stackName}`,
      pulumiHome: "/var/lib/mp/pulumi-home",
      secretsProvider: "passphrase",
      envVars: {
        PULUMI_CONFIG_PASSPHRASE: "s3cret",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_BACKEND_URL: "file:///var/lib/mp/state",
      },
      projectSettings: {
        name: "modelplane-deployment",
        runtime: "nodejs",
        backend: { url: "file:///var/lib/mp/state" },
      },
    });
  });

  it("passes s3/gs/azblob/Pulumi Cloud backends through; Pulumi Cloud keeps its own secrets", function () {
    for (const url of ["s3://bucket/prefix", "gs://bucket", "azblob://container"]) {
      const plan = workspaceOptionsFor(
        settings({ MODELPLANE_BACKEND_URL: url, PULUMI_CONFIG_PASSPHRASE: "p" }),
        target,
      );
      assert.equal(plan.projectSettings.backend.url, url);
      assert.equal(plan.secretsProvider, "passphrase");
    }
    const cloud = workspaceOptionsFor(
      settings({ MODELPLANE_BACKEND_URL: "https://api.pulumi.com", MODELPLANE_ENV: "production" }),
      target,
    );
    assert.equal(cloud.secretsProvider, "service");
    assert.equal(cloud.envVars["PULUMI_CONFIG_PASSPHRASE"], undefined);
  });

  it("refuses to run without a passphrase outside development, allows an empty one in development", function () {
    assert.throws(
      () => secretsFor(settings({ MODELPLANE_ENV: "production" })),
      (e: unknown) =>
        e instanceof EngineOperationError && e.kind === "unavailable" && /PULUMI_CONFIG_PASSPHRASE/.test(e.message),
    );
    assert.deepEqual(secretsFor(settings()), {
      secretsProvider: "passphrase",
      envVars: { PULUMI_CONFIG_PASSPHRASE: "" },
    });
  });

  it("MODELPLANE_SECRETS_PROVIDER: a KMS provider encrypts the stacks' secrets, no passphrase needed in production", function () {
    const kms = "awskms://alias/cp-secrets?region=us-east-1";
    assert.deepEqual(secretsFor(settings({ MODELPLANE_ENV: "production", MODELPLANE_SECRETS_PROVIDER: kms })), {
      secretsProvider: kms,
      envVars: {},
    });
    assert.throws(
      () => settings({ MODELPLANE_SECRETS_PROVIDER: "passphrase" }),
      /MODELPLANE_SECRETS_PROVIDER: must be a KMS/,
    );
  });

  it("runs the policy pack on preview and up only; refresh on resume clears pending creates", function () {
    const s = settings();
    assert.deepEqual(operationOptionsFor(s, "preview"), { color: "never", policyPacks: ["/opt/policy"] });
    assert.deepEqual(operationOptionsFor(s, "up"), { color: "never", policyPacks: ["/opt/policy"] });
    assert.deepEqual(operationOptionsFor(s, "destroy"), { color: "never" });
    assert.deepEqual(operationOptionsFor(s, "refresh"), { color: "never", clearPendingCreates: true });
    assert.deepEqual(operationOptionsFor({ ...s, policyPacks: [] }, "up"), { color: "never" });
  });

  it("tags stacks with model, tenant and deployment id", function () {
    assert.deepEqual(stackTagsFor({ ...target, model: "Llama 3 8B <fp16>" }), {
      "modelplane:model": "Llama 3 8B _fp16_",
      "modelplane:tenant": "acme",
      "modelplane:deployment-id": target.deploymentId,
      "managed-by": "modelplane",
    });
  });

  it("trims engine events to what a person following the deployment needs", function () {
    const pre: EngineEvent = {
      sequence: 3,
      timestamp: 1,
      resourcePreEvent: {
        metadata: {
          op: "create",
          urn: "urn:pulumi:dev::p::k8s:apps/v1:Deployment::vllm",
          type: "kubernetes:apps/v1:Deployment",
          provider: "",
        },
      },
    };
    assert.deepEqual(trimEngineEvent(pre), {
      sequence: 3,
      timestamp: 1,
      type: "resourcePre",
      op: "create",
      urn: "urn:pulumi:dev::p::k8s:apps/v1:Deployment::vllm",
      resourceType: "kubernetes:apps/v1:Deployment",
    });
    const policy: EngineEvent = {
      sequence: 4,
      timestamp: 2,
      policyEvent: {
        message: "over budget",
        color: "never",
        policyName: "max-monthly-cost",
        policyPackName: "modelplane-cost",
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        enforcementLevel: "mandatory",
      },
    };
    assert.equal(trimEngineEvent(policy)?.["enforcementLevel"], "mandatory");
    const ephemeral: EngineEvent = {
      sequence: 5,
      timestamp: 3,
      diagnosticEvent: { message: "…", color: "never", severity: "info", ephemeral: true },
    };
    assert.equal(trimEngineEvent(ephemeral), null);
    assert.deepEqual(
      plainOutputs({ endpoint: { value: "https://x", secret: false }, token: { value: "t0p", secret: true } }),
      { endpoint: "https://x", token: "[secret]" },
    );
    assert.equal(classifyEngineError(policyDenied(["modelplane-cost/max-monthly-cost: over budget"])).kind, "policy");
  });
});

describe("AutomationEngine", function () {
  // A real data dir: the runner creates the work dir, Pulumi home and file backend under it.
  const dataDir = mkdtempSync(path.join(tmpdir(), "mp-engine-"));
  const base = settingsFromConfig(loadConfig({ MODELPLANE_DATA_DIR: dataDir }, "/"), []);
  after(function () {
    rmSync(dataDir, { recursive: true, force: true });
  });
  const ctx = (signal: AbortSignal = new AbortController().signal, events: EngineEventMessage[] = []) => ({
    signal,
    onEvent: (e: EngineEventMessage) => {
      events.push(e);
    },
  });

  it("detects the missing CLI at start and fails every operation fast with the reason", async function () {
    const engine = new AutomationEngine(base);
    const a = await engine.availability();
    if (a.available) this.skip();
    assert.deepEqual(a, { available: false, reason: PULUMI_CLI_MISSING });
    await assert.rejects(
      engine.up({ ...ctx(), stack: target }),
      (e: unknown) => e instanceof EngineUnavailableError && e.message === PULUMI_CLI_MISSING,
    );
  });

  it("reports itself unavailable outside development without a secrets passphrase", async function () {
    const prod = { ...base, env: "production" as const, passphrase: undefined };
    const engine = new AutomationEngine(prod, { detect: async () => ({ available: true, version: "3.200.0" }) });
    const a = await engine.availability();
    assert.equal(a.available, false);
    assert.equal(a.version, "3.200.0");
    assert.match(a.reason ?? "", /PULUMI_CONFIG_PASSPHRASE is not set/);
    const withPass = new AutomationEngine(
      { ...prod, passphrase: "correct horse" },
      { detect: async () => ({ available: true, version: "3.200.0" }) },
    );
    assert.deepEqual(await withPass.availability(), { available: true, version: "3.200.0" });
  });

  it("runs the operation in a child process; an error inside it comes back classified", async function () {
    // Pretend the CLI was found: the real runner starts, and the SDK fails inside the child.
    const engine = new AutomationEngine(base, { detect: async () => ({ available: true, version: "3.0.0" }) });
    const err = await engine.destroy({ ...ctx(), stack: target }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err, "must not pretend success");
    const f = classifyEngineError(err);
    assert.equal(f.kind, "unavailable", `classified as ${f.kind}: ${f.message}`);
    assert.equal(f.message, PULUMI_CLI_MISSING);
    const bad = await engine
      .preview({
        ...ctx(),
        stack: { ...target, spec: { ...target.spec, model: { ...target.spec.model, parametersBillions: -1 } } },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const g = classifyEngineError(bad);
    assert.equal(g.code, "invalid_spec", g.message);
  });

  it("survives a crashing engine process and reports it", async function () {
    const engine = new AutomationEngine(base, {
      detect: async () => ({ available: true }),
      runnerPath: path.join(__dirname, "../testing/crashing-runner.ts"),
    });
    const err = await engine.up({ ...ctx(), stack: target }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const f = classifyEngineError(err);
    assert.deepEqual([f.kind, f.code], ["failed", "engine_crashed"]);
    assert.match(f.message, /code 3/);
    assert.match(f.message, /simulated program crash/);
  });

  it("cancels through the abort signal and forwards events", async function () {
    const engine = new AutomationEngine(base, {
      detect: async () => ({ available: true }),
      runnerPath: path.join(__dirname, "../testing/hanging-runner.ts"),
    });
    const controller = new AbortController();
    const events: EngineEventMessage[] = [];
    const running = engine.up({ ...ctx(controller.signal, events), stack: target });
    while (events.length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await assert.rejects(running, OperationCancelledError);
    assert.deepEqual(events[0], { type: "log", data: { message: "working" } });
  });
});
