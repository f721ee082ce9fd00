/** The engine a control plane runs when none is injected: dry-run (plans offline) or Pulumi Automation. */
import type { AppConfig } from "../config";
import type { Engine } from "../engine/types";
import type { Footprint } from "../../core/footprint";
import { ValidationError } from "../../core/validation";

export async function defaultEngine(config: AppConfig): Promise<Engine> {
  if (config.engine === "dry-run") {
    // Loaded only here: the planner brings the Pulumi SDKs into a worker thread on first use.
    const [{ DryRunEngine }, { planDeployment }] = await Promise.all([import("../engine/dry-run"), import("../plan")]);
    // Planned against the platform's own footprint (its config file), never an invented platform.
    const source = config.footprintSource;
    let footprint: Promise<Footprint> | undefined;
    const footprintOf = () =>
      (footprint ??=
        source.kind === "config"
          ? import("../../../programs/platform/footprint").then((m) => m.footprintFromConfigFile(source.file))
          : Promise.reject(
              new ValidationError(
                "MODELPLANE_PLATFORM_CONFIG",
                "the dry-run engine plans against the platform's config file: set MODELPLANE_PLATFORM_CONFIG",
              ),
            ));
    return new DryRunEngine(async (stack) => planDeployment(stack.spec, { footprint: await footprintOf() }));
  }
  const { AutomationEngine } = await import("../engine/automation/engine");
  return new AutomationEngine(AutomationEngine.settingsFrom(config));
}
