/** Errors of the components the deployment program builds, named in the deployment spec's terms. */
import { ValidationError } from "../../platform/core/validation";

/** Component arguments → spec fields, so an error from a component still names the spec's field. */
const SPEC_FIELD: Readonly<Record<string, string>> = {
  gpu: "placement.gpuType",
  gpuCount: "placement.gpuCount",
  sku: "placement.instanceType",
  instanceType: "placement.instanceType",
  region: "placement.region",
  maxInstances: "scaling.maxReplicas",
  maxNodes: "scaling.maxReplicas",
  concurrency: "scaling.targetConcurrencyPerReplica",
  modelUri: "model.source",
  image: "server.image",
  fallback: "onDemandFloorReplicas",
  modelAccess: "platformStack",
};

/** Run `build`; a ValidationError from a component names the spec field it came from. */
export function inSpecTerms<T>(what: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof ValidationError) {
      const field = SPEC_FIELD[err.field] ?? `${what}.${err.field}`;
      const detail = err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
      throw new ValidationError(field, detail);
    }
    throw err;
  }
}
