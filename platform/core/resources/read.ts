/**
 * Narrow, total readers over a resource's inputs (`unknown` all the way down). Cloud cost modules
 * read Pulumi inputs with these instead of casting; every reader returns `undefined` for a missing
 * or mistyped value, so an unknown (preview) input never throws.
 */

export type Props = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`spec.template.spec`), or undefined. */
export function at(props: unknown, path: string): unknown {
  let cur: unknown = props;
  for (const key of path.split(".")) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function str(props: unknown, path: string): string | undefined {
  const v = at(props, path);
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A number, also from a numeric string (Kubernetes quantities such as `"2"`). */
export function num(props: unknown, path: string): number | undefined {
  const v = at(props, path);
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function bool(props: unknown, path: string): boolean | undefined {
  const v = at(props, path);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

export function list(props: unknown, path: string): unknown[] {
  const v = at(props, path);
  return Array.isArray(v) ? v : [];
}

export function strings(props: unknown, path: string): string[] {
  return list(props, path).filter((v): v is string => typeof v === "string" && v !== "");
}

/** A string map (tags, labels); non-string values are dropped. Undefined when absent. */
export function stringMap(props: unknown, path: string): Record<string, string> | undefined {
  const v = at(props, path);
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}
