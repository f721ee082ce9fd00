/**
 * One way to turn bad input into an error that names the field and the fix.
 * Used by the CLI, the API, the stack programs and the components alike.
 */
import type { z } from "zod";

/** Bad input. `field` is a path such as `constraints.clouds[1]` (empty for the whole input). */
export class ValidationError extends Error {
  readonly field: string;
  /** Every problem found, first one first; `message` describes the first. */
  readonly issues: ReadonlyArray<{ field: string; message: string }>;

  constructor(field: string, message: string, issues?: ReadonlyArray<{ field: string; message: string }>) {
    super(field ? `${field}: ${message}` : message);
    this.name = "ValidationError";
    this.field = field;
    this.issues = issues ?? [{ field, message }];
  }
}

/** `["clouds", 1, "gpuPools", 0, "gpu"]` → `clouds[1].gpuPools[0].gpu`, with an optional root prefix. */
export function formatPath(path: ReadonlyArray<PropertyKey>, root = ""): string {
  let out = root;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out && !out.endsWith(":") ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Parse `input` with `schema`; on failure throw a ValidationError whose message names the first
 * offending field (prefixed with `root`, e.g. `modelplane:` for stack config).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, root = ""): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: formatPath(issue.path, root),
    message: issue.message,
  }));
  const first = issues[0] ?? { field: root, message: "invalid input" };
  throw new ValidationError(first.field, first.message, issues);
}
