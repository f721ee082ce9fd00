/**
 * One pass over untrusted input, guided by its zod schema, BEFORE the schema parses it (the API
 * runs it on every body, query and path). It makes the whole class of "input the schema does not
 * expect" an error that names the field and the fix, the way the CLI already answers a typo:
 *
 * - every object is strict: an unknown key is `scaling.min: unknown key; did you mean
 *   "minReplicas"? allowed here: minReplicas, maxReplicas, …` (also under schemas that would strip
 *   it silently);
 * - enum values are matched case-insensitively and replaced by the canonical spelling
 *   (`BF16` → `bf16`, `h100` → `H100`, `AWS` → `aws`);
 * - arrays are refused above their schema maximum before any element is looked at, and maps above
 *   their `maxProperties`, so a 100,000-element list costs one comparison;
 * - text refuses control characters (NUL, CR, LF, …) and lone UTF-16 surrogates, which Postgres
 *   jsonb rejects and which headers and tags must never carry;
 * - nesting deeper than MAX_DEPTH is refused.
 *
 * Returns a copy with enum spellings normalised; throws ValidationError otherwise.
 */
import { z } from "zod";
import { formatPath, ValidationError } from "./validation";

/** Deepest nesting accepted anywhere (the API's schemas need 4). */
export const MAX_DEPTH = 16;

type Path = PropertyKey[];
type Def = { type: string; [k: string]: unknown };

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/** Strip optional/default/pipe wrappers; remember the first `maxProperties` met on the way. */
function unwrap(schema: z.core.$ZodType): { schema: z.core.$ZodType; maxProperties?: number } {
  let s = schema;
  let maxProperties: number | undefined;
  for (let i = 0; i < 20; i++) {
    const meta = z.globalRegistry.get(s as z.ZodType) as { maxProperties?: unknown } | undefined;
    if (maxProperties === undefined && typeof meta?.maxProperties === "number") maxProperties = meta.maxProperties;
    const d = defOf(s);
    if (WRAPPERS.has(d.type)) s = d["innerType"] as z.core.$ZodType;
    else if (d.type === "pipe") s = d["in"] as z.core.$ZodType;
    else if (d.type === "lazy") s = (d["getter"] as () => z.core.$ZodType)();
    else break;
  }
  return maxProperties === undefined ? { schema: s } : { schema: s, maxProperties };
}

function maxLengthOf(schema: z.core.$ZodType): number | undefined {
  const checks = (defOf(schema)["checks"] ?? []) as Array<{ _zod: { def: { check: string; maximum?: number } } }>;
  let max: number | undefined;
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === "max_length" && typeof d.maximum === "number") max = Math.min(max ?? Infinity, d.maximum);
  }
  return max;
}

// Control characters: C0, DEL and C1. Tabs and newlines included: no field of the API is free text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throw unless `text` is free of control characters and lone surrogates. */
export function checkText(text: string, field: string): void {
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new ValidationError(field, `must not contain control characters (found U+${code} at ${control.index})`);
  }
  if (LONE_SURROGATE.test(text)) {
    throw new ValidationError(field, "must be valid Unicode text (found a lone UTF-16 surrogate)");
  }
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

const fold = (s: string): string => s.toLowerCase().replace(/[-_ ]/g, "");

/** The allowed key `key` most likely meant, or undefined when nothing is close. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = fold(key);
  if (k === "") return undefined;
  const same = allowed.find((a) => fold(a) === k);
  if (same) return same;
  const byLength = [...allowed].sort((a, b) => a.length - b.length);
  const prefix = byLength.find((a) => fold(a).startsWith(k) || k.startsWith(fold(a)));
  if (prefix && k.length >= 2) return prefix;
  if (k.length >= 3) {
    const inside = byLength.find((a) => fold(a).includes(k));
    if (inside) return inside;
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(k.length / 3)) + 1;
  for (const a of allowed) {
    const d = levenshtein(k, fold(a));
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best;
}

/** The message for an unknown key (shared with the CLI's wording: "unknown key; allowed here: …"). */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const guess = closestKey(key, allowed);
  const list = allowed.length > 0 ? allowed.join(", ") : "(none)";
  return `unknown key; ${guess ? `did you mean "${guess}"? ` : ""}allowed here: ${list}`;
}

const shown = (key: string): string => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/** Set an own, enumerable property, even `__proto__` (plain assignment would change the prototype). */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Walk `input` against `schema`; see the module comment. */
export function guardInput(schema: z.core.$ZodType, input: unknown, root = ""): unknown {
  return walk(schema, input, [], root, 0);
}

function walk(schema: z.core.$ZodType | undefined, value: unknown, path: Path, root: string, depth: number): unknown {
  const field = (): string => formatPath(path, root);
  if (depth > MAX_DEPTH) throw new ValidationError(field(), `nested deeper than ${MAX_DEPTH} levels`);
  if (typeof value === "string") {
    checkText(value, field());
    if (!schema) return value;
    const inner = unwrap(schema).schema;
    const d = defOf(inner);
    if (d.type === "enum") {
      const values = Object.values(d["entries"] as Record<string, unknown>).filter(
        (v): v is string => typeof v === "string",
      );
      if (values.includes(value)) return value;
      const lower = value.toLowerCase();
      const matches = values.filter((v) => v.toLowerCase() === lower);
      if (matches.length === 1) return matches[0];
    }
    return value;
  }
  if (value === null || typeof value !== "object") return value;

  const u = schema ? unwrap(schema) : undefined;
  const d = u ? defOf(u.schema) : undefined;

  if (Array.isArray(value)) {
    const max = d?.type === "array" && u ? maxLengthOf(u.schema) : undefined;
    if (max !== undefined && value.length > max) {
      throw new ValidationError(field(), `at most ${max} items allowed (got ${value.length})`);
    }
    const element = d?.type === "array" ? (d["element"] as z.core.$ZodType) : undefined;
    return value.map((v, i) => walk(element, v, [...path, i], root, depth + 1));
  }

  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (d?.type === "object") {
    const shape = d["shape"] as Record<string, z.core.$ZodType>;
    const catchall = d["catchall"] as z.core.$ZodType | undefined;
    const loose = catchall !== undefined && defOf(catchall).type !== "never";
    const allowed = Object.keys(shape);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      checkText(key, formatPath([...path, key], root));
      const child = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (!child && !loose) {
        throw new ValidationError(formatPath([...path, shown(key)], root), unknownKeyMessage(key, allowed));
      }
      put(out, key, walk(child ?? catchall, record[key], [...path, key], root, depth + 1));
    }
    return out;
  }
  if (d?.type === "record" && u) {
    if (u.maxProperties !== undefined && keys.length > u.maxProperties) {
      throw new ValidationError(field(), `at most ${u.maxProperties} entries allowed (got ${keys.length})`);
    }
    const valueType = d["valueType"] as z.core.$ZodType;
    const keyType = d["keyType"] as z.core.$ZodType;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      checkText(key, formatPath([...path, key], root));
      // zod reports a bad record key as "Invalid key in record": name the key and its own rule.
      const keyResult = z.safeParse(keyType, key);
      if (!keyResult.success) {
        const why = keyResult.error.issues[0]?.message ?? "invalid key";
        throw new ValidationError(formatPath([...path, shown(key)], root), why);
      }
      put(out, key, walk(valueType, record[key], [...path, key], root, depth + 1));
    }
    return out;
  }
  // Unions, unknown and the like: no shape to hold it to, but the text and depth rules still apply.
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    checkText(key, formatPath([...path, key], root));
    put(out, key, walk(undefined, record[key], [...path, key], root, depth + 1));
  }
  return out;
}
