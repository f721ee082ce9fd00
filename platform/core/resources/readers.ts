/**
 * Reader pieces every cloud cost module shares: where a resource's tags are, and the reader for
 * types that bill nothing by themselves. Each cloud passes its own facts (platform, how it finds a
 * region, where its tags live) as data.
 */
import { stringMap } from "./read";
import type { ResourceFacts, ResourceInput, TypeReader } from "./types";

/** The tags (labels) at `path` of a resource's inputs, as its facts report them; empty when unset. */
export function tagsAt(r: ResourceInput, path: string): ResourceFacts["tags"] {
  return { values: stringMap(r.inputs, path) ?? {}, path };
}

export interface FreeReaderOptions {
  platform: ResourceFacts["platform"];
  /** The resource's region; omit where the platform has none (Kubernetes). */
  region?: (r: ResourceInput) => string | undefined;
  /** Where the type's tags live, when it takes any. */
  tagPath?: string | undefined;
}

/** A reader for `types` that bill nothing by themselves (`note` says why). */
export function freeReader(types: string[], note: string, options: FreeReaderOptions): TypeReader {
  const { platform, region, tagPath } = options;
  return {
    types,
    read: (r) => ({
      platform,
      ...(region ? { region: region(r) } : {}),
      cost: { kind: "free", note },
      ...(tagPath !== undefined ? { tags: tagsAt(r, tagPath) } : {}),
    }),
  };
}

/**
 * `CloudCostModule.spotFromSelector` for a cloud whose nodes carry a capacity label: a selector
 * naming `label` asks for spot when its value is `spotValue`; one not naming it says nothing.
 */
export function spotFromLabel(
  label: string,
  spotValue: string,
): (selector: Readonly<Record<string, string>>) => boolean | undefined {
  return (selector) => {
    const v = selector[label];
    return v === undefined ? undefined : v === spotValue;
  };
}
