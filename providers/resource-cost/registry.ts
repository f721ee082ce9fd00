/**
 * Resource cost readers: each cloud module's (from `providers/registry.ts`) plus Kubernetes', each owning its type tokens.
 * `readResource` is the single entry generic code uses; a type no module claims is `unknown`.
 */
import { CLOUD_MODULES } from "../registry";
import { kubernetesCost } from "../kubernetes/cost";
import { CloudSchema } from "../../platform/core/schemas";
import { num, str } from "../../platform/core/resources/read";
import type { CloudCostModule, ResourceFacts, ResourceInput, TypeReader } from "../../platform/core/resources/types";

/** Every cloud's cost readers (from the one registry), plus Kubernetes objects, which run on any cloud. */
export const COST_MODULES: readonly CloudCostModule[] = [...CLOUD_MODULES.map((m) => m.cost), kubernetesCost];

/**
 * A cost line a stack causes outside its own resources: a model's weights kept in the platform's
 * store (inputs: `cloud`, `region`, `sizeGiB`, optional `tier`). The offline plan adds it so a
 * deployment's plan carries the same storage figure as its quote.
 */
export const MODEL_ARTIFACT_TYPE = "modelplane:plan:ModelArtifact";

const artifactReader: TypeReader = {
  types: [MODEL_ARTIFACT_TYPE],
  read(r) {
    const cloud = str(r.inputs, "cloud");
    const sizeGiB = num(r.inputs, "sizeGiB");
    const parsed = CloudSchema.safeParse(cloud);
    if (!parsed.success || sizeGiB === undefined) {
      return { platform: "unknown", cost: { kind: "unknown", reason: "a model artifact needs cloud and sizeGiB" } };
    }
    const region = str(r.inputs, "region");
    const tier = str(r.inputs, "tier");
    // No `region` fact: the weights live in the platform's store, which its own stack's policies check.
    return {
      platform: parsed.data,
      cost: {
        kind: "storage",
        cloud: parsed.data,
        sizeGiB,
        ...(region ? { region } : {}),
        ...(tier ? { tier } : {}),
      },
    };
  },
};

const READERS = new Map<string, TypeReader>([[MODEL_ARTIFACT_TYPE, artifactReader]]);
for (const module of COST_MODULES) {
  for (const reader of module.readers) {
    for (const type of reader.types) {
      if (READERS.has(type)) throw new Error(`cost registry: ${type} is claimed twice`);
      READERS.set(type, reader);
    }
  }
}

/** Structural types that never cost anything and are not shown as resources (stack, providers, components). */
export function isStructural(type: string): boolean {
  return (
    type === "pulumi:pulumi:Stack" || type === "pulumi:pulumi:StackReference" || type.startsWith("pulumi:providers:")
  );
}

/** Type tokens some module can read. */
export function knownTypes(): string[] {
  return [...READERS.keys()].sort();
}

/** Read a resource's cost-relevant facts; `stack` holds its siblings (may be empty). */
export function readResource(resource: ResourceInput, stack: readonly ResourceInput[] = []): ResourceFacts {
  const reader = READERS.get(resource.type);
  if (!reader) {
    return {
      platform: "unknown",
      cost: { kind: "unknown", reason: `no cost model for resource type ${resource.type}` },
    };
  }
  return reader.read(resource, stack);
}

/** Whether any module reads this nodeSelector as asking for spot capacity (undefined: none says). */
export function spotFromSelector(selector: Readonly<Record<string, string>>): boolean | undefined {
  for (const module of COST_MODULES) {
    const spot = module.spotFromSelector?.(selector);
    if (spot !== undefined) return spot;
  }
  return undefined;
}
