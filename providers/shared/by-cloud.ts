/** Lookup shared by the per-cloud registries (`providerFor`, `pricingFor`). */
import { CLOUDS, type Cloud } from "../../platform/core/types";

/**
 * `registry[cloud]`, or an Error `cloud: "<cloud>" <problem>; use one of aws, gcp, azure` when the
 * registry has no entry (a cloud name that reached here unchecked, e.g. from JavaScript).
 */
export function forCloud<T>(registry: Readonly<Record<Cloud, T>>, cloud: Cloud, problem: string): T {
  const entry: T | undefined = registry[cloud];
  if (entry === undefined) throw new Error(`cloud: "${String(cloud)}" ${problem}; use one of ${CLOUDS.join(", ")}`);
  return entry;
}
