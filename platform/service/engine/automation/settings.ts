/**
 * Pure mapping from our settings and a stack target to the options handed to the Automation SDK
 * (`LocalWorkspace.createOrSelectStack`, `stack.preview/up/destroy`). Kept free of SDK calls so the
 * contract test can check it without the Pulumi CLI.
 */
import * as path from "node:path";
import type { AppConfig } from "../../config";
import { EngineOperationError } from "../errors";
import type { StackTarget } from "../types";

export const PROJECT_NAME = "modelplane-deployment";

export interface AutomationSettings {
  env: "development" | "production";
  /** `<dataDir>/stacks`: one work dir per stack below it. */
  workRoot: string;
  pulumiHome: string;
  /** file://, s3://, gs://, azblob://, or https://api.pulumi.com. */
  backendUrl: string;
  passphrase: string | undefined;
  /** MODELPLANE_SECRETS_PROVIDER: a KMS secrets provider URL; wins over the passphrase. */
  secretsProvider?: string | undefined;
  autoInstall: boolean;
  /** Where `PulumiCommand.install` puts the CLI when auto-install is on. */
  cliRoot: string;
  /** Policy pack directories run on every preview and up. */
  policyPacks: string[];
  /** The platform stack the per-model program references (its name is part of the spec too). */
  platformStack: string | undefined;
  /** MODELPLANE_KUBE_TOKEN_COMMAND: the per-model program's kubeconfigs exec `<command> kube-token` (providers/kube-token.ts). */
  kubeTokenCommand?: string | undefined;
}

export function settingsFromConfig(config: AppConfig, policyPacks: string[]): AutomationSettings {
  return {
    env: config.env,
    workRoot: config.pulumi.workRoot,
    pulumiHome: config.pulumi.home,
    backendUrl: config.pulumi.backendUrl,
    passphrase: config.pulumi.passphrase,
    secretsProvider: config.pulumi.secretsProvider,
    autoInstall: config.pulumi.autoInstall,
    cliRoot: path.join(config.dataDir, "pulumi-cli"),
    policyPacks,
    platformStack: config.pulumi.platformStack,
    kubeTokenCommand: config.pulumi.kubeTokenCommand,
  };
}

/** Pulumi Cloud backends keep secrets themselves; every other backend uses the passphrase provider. */
export function isPulumiCloud(backendUrl: string): boolean {
  return /^https:\/\//.test(backendUrl);
}

/**
 * The secrets setup, or an `unavailable` error: outside development a self-managed backend needs
 * PULUMI_CONFIG_PASSPHRASE; in development an empty passphrase is allowed (and said so).
 */
export function secretsFor(s: AutomationSettings): { secretsProvider: string; envVars: Record<string, string> } {
  // A KMS provider (the ControlPlane component creates one per cloud) encrypts without a passphrase.
  if (s.secretsProvider) return { secretsProvider: s.secretsProvider, envVars: {} };
  if (isPulumiCloud(s.backendUrl)) return { secretsProvider: "service", envVars: {} };
  if (s.passphrase === undefined || s.passphrase === "") {
    if (s.env !== "development") {
      throw new EngineOperationError(
        "unavailable",
        "secrets_unavailable",
        "PULUMI_CONFIG_PASSPHRASE is not set: deployments refuse to run without a secrets passphrase outside development",
      );
    }
    return { secretsProvider: "passphrase", envVars: { PULUMI_CONFIG_PASSPHRASE: "" } };
  }
  return { secretsProvider: "passphrase", envVars: { PULUMI_CONFIG_PASSPHRASE: s.passphrase } };
}

/** A stack name as a safe directory name. */
export function workDirFor(s: AutomationSettings, stackName: string): string {
  const safe = stackName.replace(/[^a-zA-Z0-9_.-]/g, "_");
  return path.join(s.workRoot, safe);
}

export interface WorkspaceOptionsPlan {
  stackName: string;
  projectName: string;
  workDir: string;
  pulumiHome: string;
  secretsProvider: string;
  envVars: Record<string, string>;
  projectSettings: { name: string; runtime: "nodejs"; backend: { url: string } };
}

/** What `LocalWorkspace.createOrSelectStack({ stackName, projectName, program }, opts)` gets (minus program/command). */
export function workspaceOptionsFor(s: AutomationSettings, target: StackTarget): WorkspaceOptionsPlan {
  const secrets = secretsFor(s);
  return {
    stackName: target.stackName,
    projectName: PROJECT_NAME,
    workDir: workDirFor(s, target.stackName),
    pulumiHome: s.pulumiHome,
    secretsProvider: secrets.secretsProvider,
    envVars: { ...secrets.envVars, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_BACKEND_URL: s.backendUrl },
    projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url: s.backendUrl } },
  };
}

/** Stack tags (model, tenant, deployment id), sanitized to what Pulumi accepts. */
export function stackTagsFor(target: StackTarget): Record<string, string> {
  const clean = (v: string) => v.replace(/[^a-zA-Z0-9_.:/ -]/g, "_").slice(0, 256);
  return {
    "modelplane:model": clean(target.model),
    "modelplane:tenant": clean(target.tenant),
    "modelplane:deployment-id": clean(target.deploymentId),
    "managed-by": "modelplane",
  };
}

export type OperationName = "preview" | "up" | "destroy" | "refresh";

/** Options for `stack.preview/up/destroy/refresh` besides `onEvent`, `onOutput` and `signal`. */
export function operationOptionsFor(
  s: AutomationSettings,
  op: OperationName,
): { policyPacks?: string[]; color: "never"; clearPendingCreates?: boolean } {
  if (op === "preview" || op === "up")
    return { color: "never", ...(s.policyPacks.length > 0 ? { policyPacks: [...s.policyPacks] } : {}) };
  if (op === "refresh") return { color: "never", clearPendingCreates: true };
  return { color: "never" };
}
