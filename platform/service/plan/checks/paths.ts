/** Small helpers over recorded inputs: wildcard paths, dotted field names, Kubernetes quantities. */
import { isRecord } from "../../../core/resources/read";

/** A value found under a path, with its concrete path (`agentPoolProfiles[0].name`). */
export interface Found {
  path: string;
  value: unknown;
}

/**
 * Values at a dotted path; `[]` walks every array item and `*` every map value
 * (`metadata.labels.*`, `agentPoolProfiles[].name`). Absent values are not returned.
 */
export function valuesAt(root: unknown, path: string): Found[] {
  let found: Found[] = [{ path: "", value: root }];
  for (const raw of path.split(".")) {
    const arrays = raw.endsWith("[]");
    const key = arrays ? raw.slice(0, -2) : raw;
    const next: Found[] = [];
    for (const f of found) {
      if (!isRecord(f.value)) continue;
      const entries: Array<[string, unknown]> = key === "*" ? Object.entries(f.value) : [[key, f.value[key]]];
      for (const [k, v] of entries) {
        if (v === undefined) continue;
        const p = f.path === "" ? k : `${f.path}.${k}`;
        if (arrays) {
          if (Array.isArray(v)) v.forEach((item, i) => next.push({ path: `${p}[${i}]`, value: item }));
        } else next.push({ path: p, value: v });
      }
    }
    found = next;
  }
  return found;
}

/** A JSON pointer or a path array as a dotted field name: `/spec/ports/0/port` → `spec.ports[0].port`. */
export function fieldName(path: ReadonlyArray<string | number> | string): string {
  const parts = typeof path === "string" ? path.split("/").filter((p) => p !== "") : path.map(String);
  return parts.reduce<string>((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out === "" ? p : `${out}.${p}`), "");
}

/** The value at a JSON pointer (`/spec/ports/0`), or undefined. */
export function atPointer(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const p of pointer.split("/").filter((s) => s !== "")) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isRecord(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

/** Set `value` at `path` in a deep copy of `root` (the copy is made by the caller). */
export function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let cur: unknown = root;
  path.forEach((p, i) => {
    if (!isRecord(cur) && !Array.isArray(cur)) return;
    const container = cur as Record<string | number, unknown>;
    if (i === path.length - 1) container[p] = value;
    else cur = container[p];
  });
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, "": 1 };

/**
 * A Kubernetes quantity (`23Gi`, `100G`, `500Mi`, `1073741824`) in GiB; undefined when it is not
 * one. Suffixes as in k8s.io/apimachinery resource.Quantity (binary Ki..Pi, decimal k..P).
 */
export function quantityGiB(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value / 2 ** 30;
  if (typeof value !== "string") return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P|)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  const factor = BINARY[unit] ?? DECIMAL[unit];
  return factor === undefined ? undefined : (n * factor) / 2 ** 30;
}
