/**
 * Reading the files a user points at (request JSON, policy config, catalogs, stack YAML). A file
 * that cannot be read, or is not JSON, is bad input: a ValidationError on the argument that named
 * it (`FILE`, `--policy-config`, `catalog`), saying which file and why.
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "./validation";

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The UTF-8 text of `path`; unreadable → ValidationError on `field`. */
export function readTextFile(path: string, field: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ValidationError(field, `cannot read ${path}: ${reason(err)}`);
  }
}

/** The parsed JSON of `path`; unreadable or malformed → ValidationError on `field`. */
export function readJsonFile(path: string, field: string): unknown {
  const text = readTextFile(path, field);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(field, `${path} is not valid JSON: ${reason(err)}`);
  }
}
