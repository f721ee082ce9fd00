/**
 * The zod schemas of the shared vocabulary: one schema per datum, with one message, used by every
 * layer that parses it (the API, the stack programs, the platform config, the catalog, the
 * components and the CLI). Types come from the lists in ./types.ts and from these schemas.
 */
import { z } from "zod";
import { CLOUDS, ENVIRONMENTS, PLACEMENT_CLOUDS } from "./types";

/** "oracle" → `"oracle" is not a supported cloud; use one of aws, gcp, azure`. */
function notOneOf(what: string, allowed: readonly string[]) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `is required; use one of ${allowed.join(", ")}`
      : `${JSON.stringify(issue.input)} is not ${what}; use one of ${allowed.join(", ")}`;
}

/** A cloud name: one of `CLOUDS`. */
export const CloudSchema = z.enum(CLOUDS, { error: notOneOf("a supported cloud", CLOUDS) });

/** Where a placement runs: a cloud, or `kubernetes` (a cluster the platform engineer brought). */
export const PlacementCloudSchema = z.enum(PLACEMENT_CLOUDS, {
  error: notOneOf("a supported cloud (or kubernetes, a brought cluster)", PLACEMENT_CLOUDS),
});

/** A deployment environment: one of `ENVIRONMENTS` (part of the stack name, and what policy budgets key on). */
export const EnvironmentSchema = z.enum(ENVIRONMENTS, { error: notOneOf("an environment", ENVIRONMENTS) });
