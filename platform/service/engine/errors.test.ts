import assert from "node:assert/strict";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { EngineUnavailableError } from "../../core/errors";
import { ValidationError } from "../../core/validation";
import { classifyEngineError, EngineOperationError, OperationCancelledError, PULUMI_CLI_MISSING } from "./errors";

type CommandErrorFactory = (result: unknown) => Error;
type CommandResultCtor = new (stdout: string, stderr: string, code: number, err?: Error) => unknown;

describe("classifyEngineError", function () {
  let createCommandError: CommandErrorFactory;
  let CommandResult: CommandResultCtor;

  before(async function () {
    // The SDK's own (internal) factory that turns CLI output into its typed errors.
    const errorsModule = (await import("@pulumi/pulumi/automation/errors")) as unknown as {
      createCommandError: CommandErrorFactory;
    };
    const cmdModule = (await import("@pulumi/pulumi/automation/cmd")) as unknown as {
      CommandResult: CommandResultCtor;
    };
    createCommandError = errorsModule.createCommandError;
    CommandResult = cmdModule.CommandResult;
  });

  function cliError(stderr: string, code = 255): Error {
    return createCommandError(new CommandResult("", stderr, code));
  }

  it("treats the SDK's real missing-CLI error as unavailable, with the fix in the message", async function () {
    let err: unknown;
    try {
      await PulumiCommand.get();
    } catch (e) {
      err = e;
    }
    if (err === undefined) this.skip(); // a machine with the CLI installed
    const f = classifyEngineError(err);
    assert.deepEqual(f, {
      kind: "unavailable",
      code: "engine_unavailable",
      message: PULUMI_CLI_MISSING,
      retryable: false,
    });
    assert.equal(classifyEngineError(new EngineUnavailableError(PULUMI_CLI_MISSING)).kind, "unavailable");
  });

  it("retries a locked stack (DIY backend and Pulumi Cloud), from live errors and their IPC copies", function () {
    const diy = cliError(
      "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    );
    assert.equal(diy.name, "ConcurrentUpdateError", "the SDK itself recognises the lock");
    assert.deepEqual(classifyEngineError(diy), {
      kind: "transient",
      code: "stack_locked",
      message: "the stack is locked by another update; will retry",
      retryable: true,
    });
    const cloud = cliError("error: [409] Conflict: Another update is currently in progress.");
    assert.equal(classifyEngineError(cloud).code, "stack_locked");
    const copy = { name: diy.name, message: diy.message };
    assert.equal(classifyEngineError(copy).retryable, true);
  });

  it("never retries a policy denial", function () {
    const engineSide = new EngineOperationError(
      "policy",
      "policy_denied",
      "mandatory policy violation: cost/max-monthly-usd: 9000 > 5000",
    );
    assert.deepEqual(classifyEngineError(engineSide), {
      kind: "policy",
      code: "policy_denied",
      message: "mandatory policy violation: cost/max-monthly-usd: 9000 > 5000",
      retryable: false,
    });
    const text = cliError(
      "Policy Violations:\n    [mandatory]  modelplane-cost v0.1.0  max-monthly-cost (gpu-pool)\nerror: preview failed",
    );
    const f = classifyEngineError(text);
    assert.equal(f.kind, "policy");
    assert.equal(f.retryable, false);
  });

  it("reports program failures without retrying and without leaking the whole CLI transcript", function () {
    const notFound = cliError("error: no stack named 'org/proj/dev' found");
    assert.equal(notFound.name, "StackNotFoundError");
    const f = classifyEngineError(notFound);
    assert.deepEqual(f, {
      kind: "failed",
      code: "engine_failed",
      message: "error: no stack named 'org/proj/dev' found",
      retryable: false,
    });
    const noisy = cliError(
      "Updating (dev)\n  + pulumi:pulumi:Stack create\nerror: aws:ec2:Instance gpu: InsufficientInstanceCapacity\n    at Object.<anonymous> (/secret/path.js:1:1)",
    );
    assert.equal(classifyEngineError(noisy).message, "error: aws:ec2:Instance gpu: InsufficientInstanceCapacity");
  });

  it("classifies cancellation, bad specs, secrets, crashes and network blips", function () {
    assert.equal(classifyEngineError(new OperationCancelledError()).kind, "cancelled");
    assert.equal(
      classifyEngineError(Object.assign(new Error("This operation was aborted"), { name: "AbortError" })).kind,
      "cancelled",
    );
    const spec = classifyEngineError(new ValidationError("scaling.maxReplicas", "must be ≥ minReplicas"));
    assert.deepEqual([spec.code, spec.message], ["invalid_spec", "scaling.maxReplicas: must be ≥ minReplicas"]);
    const secrets = classifyEngineError(
      cliError(
        "error: passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables",
      ),
    );
    assert.deepEqual([secrets.kind, secrets.code], ["unavailable", "secrets_unavailable"]);
    const crash = classifyEngineError({
      name: "ChildProcessCrashed",
      message: "engine process exited (code 3, signal null)",
    });
    assert.deepEqual([crash.kind, crash.code, crash.retryable], ["failed", "engine_crashed", false]);
    assert.equal(classifyEngineError(new Error("read ECONNRESET")).kind, "transient");
    assert.equal(classifyEngineError("a string").kind, "failed");
  });
});
