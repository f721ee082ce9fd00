/**
 * Upper bounds for every list, map and text of the request schemas (issue 11: "every array and
 * string in every schema has a maximum"). One place, so a limit is chosen once and documented in
 * docs/security.md; each schema field applies the one that fits. The bounds keep the work a
 * request can cause, and the size of any answer that echoes it, proportional to a small constant.
 */
import { z } from "zod";

/**
 * Tags per deployment. AWS allows 50 user tags per resource
 * (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html, read 2026-11-30), Azure
 * 50 tag name/value pairs (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations,
 * read 2026-11-30), GCP 64 labels (https://cloud.google.com/compute/docs/labeling-resources#requirements,
 * read 2026-11-30); modelplane adds up to 8 of its own (model, owner, cost-center, managed-by, …).
 */
export const MAX_TAGS = 40;

/**
 * Region codes in one request. The three clouds list about 140 GPU regions between them; the
 * shipped catalog has 54.
 */
export const MAX_REGIONS = 200;

/** A region, zone or instance-type code (the longest in the catalog is 25 characters). */
export const MAX_CODE_LENGTH = 64;

/** A container image reference (registry/repository:tag@digest). */
export const MAX_IMAGE_LENGTH = 512;

/** Items of a list whose elements come from a closed set: at most the set, each once. */
export const enumListMax = (values: readonly string[]): number => values.length;

/** A string → string map with at most `max` entries (the strict-input pass refuses more before parsing). */
export function boundedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, max: number) {
  return z
    .record(key, value)
    .refine((r) => Object.keys(r).length <= max, { message: `at most ${max} entries allowed` })
    .meta({ maxProperties: max });
}
