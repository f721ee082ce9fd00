/** The engine a control plane runs when none is injected: dry-run (plans offline) or Pulumi Automation. */
import type { AppConfig } from "../config";
import type { Engine } from "../engine/types";
import type { Footprint } from "../../core/footprint";
import { ValidationError } from "../../core/validation";

/**
 * Readiness wait when a stack does not export its own: 45 minutes. ASSUMPTION: covers a GPU node
 * from zero, the image pull and a 70B weight copy (providers/limits/timeouts.ts sizes the real one).
 */
export const READINESS_DEFAULT_TIMEOUT_SECONDS = 45 * 60;
/** Between two observations (each is a targeted `pulumi refresh` of the stack's Deployments). */
export const READINESS_INTERVAL_SECONDS = 30;

export async function defaultEngine(config: AppConfig): Promise<Engine> {
  if (config.engine === "dry-run") {
    // Loaded only here. Each operation is planned whole in the plan worker (recording, checks,
    // pricing, policy), so dry-run operations do not hold the API's event loop (#11).
    const [{ DryRunEngine }, { planDeploymentInWorker, warmPreflight }] = await Promise.all([
      import("../engine/dry-run"),
      import("../plan/preflight"),
    ]);
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
    // Warmed by the first availability check: a process that runs operations makes it at start, an
    // API-only process never does (its plan worker starts with its first pre-flight, issue 11).
    return new DryRunEngine(async (stack) => planDeploymentInWorker(stack.spec, { footprint: await footprintOf() }), {
      warm: async () => warmPreflight({ footprint: await footprintOf() }),
    });
  }
  const [{ AutomationEngine }, { followReadiness }] = await Promise.all([
    import("../engine/automation/engine"),
    import("../engine/readiness"),
  ]);
  // `up` succeeds only once the stack's Deployments were seen serving (issue 12, #1): the stack
  // says how long to wait (`readinessTimeoutSeconds`, sized from the weights); older stacks get
  // READINESS_DEFAULT_TIMEOUT_SECONDS.
  return followReadiness(new AutomationEngine(AutomationEngine.settingsFrom(config)), {
    defaultTimeoutSeconds: READINESS_DEFAULT_TIMEOUT_SECONDS,
    intervalSeconds: READINESS_INTERVAL_SECONDS,
  });
}
