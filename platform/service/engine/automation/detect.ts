/** Pulumi CLI detection: on PATH, or where auto-install put it, or installed now when allowed. */
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { classifyEngineError, PULUMI_CLI_MISSING } from "../errors";

export interface CliDetection {
  available: boolean;
  version?: string;
  reason?: string;
  /** Set when the CLI is not the one on PATH. */
  root?: string;
}

function versionOf(cmd: PulumiCommand): string | undefined {
  return cmd.version ? cmd.version.toString() : undefined;
}

export async function detectPulumiCli(opts: { autoInstall: boolean; cliRoot: string }): Promise<CliDetection> {
  try {
    const cmd = await PulumiCommand.get();
    const version = versionOf(cmd);
    return { available: true, ...(version ? { version } : {}) };
  } catch (err) {
    const failure = classifyEngineError(err);
    try {
      const cmd = await PulumiCommand.get({ root: opts.cliRoot });
      const version = versionOf(cmd);
      return { available: true, root: opts.cliRoot, ...(version ? { version } : {}) };
    } catch {
      // not installed there either
    }
    if (opts.autoInstall) {
      try {
        const cmd = await PulumiCommand.install({ root: opts.cliRoot });
        const version = versionOf(cmd);
        return { available: true, root: opts.cliRoot, ...(version ? { version } : {}) };
      } catch (installErr) {
        const m = installErr instanceof Error ? installErr.message : String(installErr);
        return {
          available: false,
          reason: `Pulumi CLI not found and PulumiCommand.install failed: ${m.slice(0, 300)}`,
        };
      }
    }
    return {
      available: false,
      reason: failure.kind === "unavailable" ? PULUMI_CLI_MISSING : `Pulumi CLI unusable: ${failure.message}`,
    };
  }
}
