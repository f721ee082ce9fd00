/**
 * Reading the platform stack's outputs through the Automation API (`LocalWorkspace.stackOutputs`),
 * for the footprint (`footprintFromStack`). Only the plain `clusters` output is returned: the
 * secret `kubeconfigs` output is never read into the service.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import type { StackOutputsReader } from "../../../../programs/platform/footprint";
import { CLUSTERS_OUTPUT } from "../../../../programs/platform/outputs";
import { secretsFor, type AutomationSettings } from "./settings";

/** The project the reading workspace declares (it runs no program). */
const READER_PROJECT = "modelplane-platform";

export function automationStackReader(s: AutomationSettings): StackOutputsReader {
  return {
    async stackOutputs(stack: string): Promise<Record<string, unknown>> {
      const { LocalWorkspace, PulumiCommand } = await import("@pulumi/pulumi/automation");
      const secrets = secretsFor(s);
      const workDir = path.join(s.workRoot, "_platform-reader");
      mkdirSync(workDir, { recursive: true });
      mkdirSync(s.pulumiHome, { recursive: true });
      const ws = await LocalWorkspace.create({
        workDir,
        pulumiHome: s.pulumiHome,
        pulumiCommand: await PulumiCommand.get({ root: s.cliRoot }).catch(() => PulumiCommand.get()),
        envVars: { ...secrets.envVars, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_BACKEND_URL: s.backendUrl },
        projectSettings: { name: READER_PROJECT, runtime: "nodejs", backend: { url: s.backendUrl } },
      });
      const outputs = await ws.stackOutputs(stack);
      const clusters = outputs[CLUSTERS_OUTPUT];
      return clusters === undefined ? {} : { [CLUSTERS_OUTPUT]: clusters.value as unknown };
    },
  };
}
