/**
 * Request fields shared by create and update that carry governance: user tags (bounded, and never
 * a key the platform or its policies reserve) and the model-server image (only from the policy's
 * allowed registries). The schema bounds the shape; `checkGovernance` applies the policy config.
 */
import { z } from "zod";
import { boundedRecord, MAX_TAGS } from "../platform/core/bounds";
import { ValidationError } from "../platform/core/validation";
import { imageRefusal, requestGovernance, reservedTagReason, type RequestGovernance } from "../policy/governance";
import type { AppDeps } from "./deps";

let defaults: RequestGovernance | undefined;

/** The deps' governance, else the default policy config's (built once). */
export function governanceOf(deps: Pick<AppDeps, "governance">): RequestGovernance {
  if (deps.governance) return deps.governance;
  defaults ??= requestGovernance();
  return defaults;
}

/** User tags: at most MAX_TAGS, keys 1-63 characters, values up to 256 (the clouds' common limits). */
export const TagsSchema = boundedRecord(
  z
    .string()
    .min(1, "tag keys must not be empty")
    .max(63, "tag keys are at most 63 characters")
    // The Pulumi SDK and the cloud SDKs treat tag maps as plain objects: a key such as `toString`
    // shadows Object.prototype and broke the plan with a TypeError (issue 11).
    .refine((k) => !(k in Object.prototype), {
      error: (i) => `"${String(i.input)}" is a JavaScript object member name and cannot be a tag key`,
    }),
  z.string().max(256, "tag values are at most 256 characters"),
  MAX_TAGS,
).meta({
  description: `Extra tags (at most ${MAX_TAGS}). Keys reserved by modelplane or its policies (modelplane*, managed-by, the on-demand opt-out tag, model, owner, cost-center) are refused.`,
  maxProperties: MAX_TAGS,
});

/** Refuse reserved tag keys and images from registries the policy config does not allow. */
export function checkGovernance(
  body: { tags?: Record<string, string> | undefined; server?: { image?: string | undefined } | undefined },
  g: RequestGovernance,
): void {
  for (const key of Object.keys(body.tags ?? {})) {
    const why = reservedTagReason(key, g);
    if (why) throw new ValidationError(`tags.${key}`, `reserved tag key: ${why}`);
  }
  const image = body.server?.image;
  if (image !== undefined) {
    const why = imageRefusal(image, g);
    if (why) throw new ValidationError("server.image", why);
  }
}
