/**
 * The engine's child process: runs ONE Automation API operation on one stack and reports events
 * and the result to the parent over IPC, so a crashing program cannot take the API down.
 * Started by ./engine.ts with `fork()`; not meant to be run by hand.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { EngineOperationError } from "../errors";
import type { EngineEventMessage } from "../types";
import { plainOutputs, trimEngineEvent } from "./events";
import { deploymentUrns, workloadsFromState } from "./observe";
import type { ChildMessage, ParentMessage, RunRequest } from "./protocol";
import { serializeError } from "./protocol";
import { operationOptionsFor, stackTagsFor, workspaceOptionsFor } from "./settings";

const controller = new AbortController();

function send(m: ChildMessage): void {
  if (process.send && process.connected) process.send(m);
}

function emit(event: EngineEventMessage): void {
  send({ type: "event", event });
}

async function programFor(req: RunRequest): Promise<() => Promise<Record<string, unknown>>> {
  // Only preview and up run the program; refresh (observe) and destroy work from the state.
  if (req.operation === "destroy" || req.operation === "outputs" || req.operation === "observe")
    return async () => ({});
  // The per-model program (issue 4); validates the spec (naming the field) before any resource.
  const { parseDeploymentSpec } = await import("../../../../programs/deployment/spec");
  const { deploymentProgram } = await import("../../../../programs/deployment/program");
  // In the image, the stack's kubeconfigs exec `modelplane kube-token` instead of a cloud CLI (#14).
  const kubeTokenCommand = req.settings.kubeTokenCommand;
  // Set on the control plane's pods when the workers' rights enforce a role boundary (components/ControlPlane.ts).
  const { STACK_ROLE_BOUNDARY_ENV } = await import("../../../../providers/types/control-plane");
  return deploymentProgram(parseDeploymentSpec(req.target.spec), {
    ...(kubeTokenCommand ? { kubeTokenCommand } : {}),
    requireRoleBoundary: process.env[STACK_ROLE_BOUNDARY_ENV] === "required",
  });
}

export async function run(req: RunRequest): Promise<Record<string, unknown>> {
  const plan = workspaceOptionsFor(req.settings, req.target);
  mkdirSync(plan.workDir, { recursive: true });
  mkdirSync(plan.pulumiHome, { recursive: true });
  if (req.settings.backendUrl.startsWith("file://")) {
    mkdirSync(fileURLToPath(req.settings.backendUrl), { recursive: true });
  }
  const program = await programFor(req);
  const pulumiCommand = await PulumiCommand.get(req.cliRoot ? { root: req.cliRoot } : {});
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: plan.stackName, projectName: plan.projectName, program },
    {
      workDir: plan.workDir,
      pulumiHome: plan.pulumiHome,
      pulumiCommand,
      envVars: plan.envVars,
      secretsProvider: plan.secretsProvider,
      projectSettings: plan.projectSettings,
    },
  );
  for (const [k, v] of Object.entries(stackTagsFor(req.target))) {
    await stack.setTag(k, v).catch((err: unknown) => {
      emit({
        type: "log",
        data: { message: `stack tag ${k} not set: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}` },
      });
    });
  }
  const mandatory: string[] = [];
  const onEvent = (e: EngineEvent) => {
    if (e.policyEvent && e.policyEvent.enforcementLevel === "mandatory") {
      mandatory.push(`${e.policyEvent.policyPackName}/${e.policyEvent.policyName}: ${e.policyEvent.message}`);
    }
    const trimmed = trimEngineEvent(e);
    if (trimmed) emit({ type: "engine", data: trimmed });
  };
  const common = { onEvent, signal: controller.signal };
  try {
    return await runOperation(req, stack, common, plan.stackName);
  } catch (err) {
    // The engine's own policy events say why better than the CLI's exit text: a policy denial.
    if (mandatory.length > 0) throw policyDenied(mandatory);
    throw err;
  }
}

export function policyDenied(violations: string[]): EngineOperationError {
  return new EngineOperationError(
    "policy",
    "policy_denied",
    `mandatory policy violation: ${violations.slice(0, 5).join("; ")}`,
  );
}

async function runOperation(
  req: RunRequest,
  stack: Stack,
  common: { onEvent: (e: EngineEvent) => void; signal: AbortSignal },
  stackName: string,
): Promise<Record<string, unknown>> {
  if (req.resume && req.operation !== "outputs" && req.operation !== "observe") {
    emit({ type: "log", data: { message: "resuming an interrupted operation: refreshing the stack first" } });
    await stack.refresh({ ...operationOptionsFor(req.settings, "refresh"), ...common });
  }
  switch (req.operation) {
    case "preview": {
      const r = await stack.preview({ ...operationOptionsFor(req.settings, "preview"), ...common });
      return { changes: r.changeSummary };
    }
    case "up": {
      const r = await stack.up({ ...operationOptionsFor(req.settings, "up"), ...common });
      return { changes: r.summary.resourceChanges ?? {}, outputs: plainOutputs(r.outputs) };
    }
    case "destroy": {
      const r = await stack.destroy({ ...operationOptionsFor(req.settings, "destroy"), ...common });
      if (req.removeStack) await stack.workspace.removeStack(stackName);
      return { changes: r.summary.resourceChanges ?? {}, removed: req.removeStack };
    }
    case "outputs":
      return { outputs: plainOutputs(await stack.outputs()) };
    case "observe": {
      // Readiness (../readiness.ts): refresh only the Deployments, then read their live status.
      const target = deploymentUrns((await stack.exportStack()).deployment);
      if (target.length === 0) return { workloads: [] };
      await stack.refresh({ ...operationOptionsFor(req.settings, "refresh"), ...common, target });
      return { workloads: workloadsFromState((await stack.exportStack()).deployment) };
    }
  }
}

if (require.main === module) {
  process.on("message", (raw: unknown) => {
    const m = raw as ParentMessage;
    if (m.type === "cancel") {
      controller.abort();
      return;
    }
    if (m.type === "run") {
      run(m)
        .then(
          (result) => send({ type: "result", result }),
          (err: unknown) => send({ type: "error", error: serializeError(err) }),
        )
        .finally(() => {
          // Let the IPC messages flush, then leave.
          setTimeout(() => process.exit(0), 50);
        });
    }
  });
  // The parent died (or was killed): stop the Pulumi process and exit.
  process.on("disconnect", () => {
    controller.abort();
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
