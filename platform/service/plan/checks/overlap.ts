/**
 * Two stacks that write one object: a migration's new stack comes up while the old one still runs,
 * often on the same cluster, account and resource group. Every object the new stack creates must
 * be its own. Otherwise its `pulumi up` fails with "already exists" (a Kubernetes object, an IAM
 * role), or it silently adopts the object, and then the old stack's destroy deletes it under the
 * new one (a GCP IAM binding, an Azure federated credential).
 *
 * What identifies an object (`objectKeys`):
 * - a Kubernetes object: its group, kind, namespace and name. The tenant Namespace is shared by
 *   design: each stack adopts it and none deletes it;
 * - a named cloud resource: the value of each of its type's name fields (providers' name checks),
 *   when the program sets it. An auto-named one gets a random suffix and never clashes;
 * - an unnamed binding: the inputs its provider module lists as its identity (`objectIdentities`).
 *
 * Pure: compares two recordings, for instance the offline plans of the old and the new spec.
 */
import { kubernetesKindOf, nameChecksFor, objectIdentitiesFor } from "../../../../providers/plan-checks";
import { str } from "../../../core/resources/read";
import type { RecordedResource } from "../record";
import { valuesAt } from "./paths";

/** The parts of a recorded resource the comparison reads. */
export type OverlapResource = Pick<RecordedResource, "type" | "name" | "inputs" | "custom">;

/** One object both stacks write. */
export interface StackOverlap {
  /** What the object is, e.g. `HTTPRoute mp-acme/llama-1a2b3c` or `aws:iam/role:Role name=mp-x`. */
  object: string;
  /** The resource in the first stack (Pulumi type and logical name). */
  first: { type: string; name: string };
  /** The resource in the second stack. */
  second: { type: string; name: string };
}

const known = (v: string | undefined): v is string => v !== undefined && !v.startsWith("[");

/** The identities of the objects a resource writes (none for components and auto-named resources). */
export function objectKeys(r: OverlapResource): string[] {
  if (!r.custom) return [];
  const k = kubernetesKindOf(r.type);
  if (k) {
    if (k.apiVersion === "v1" && k.kind === "Namespace") return [];
    const name = str(r.inputs, "metadata.name");
    if (!known(name)) return [];
    const group = k.apiVersion.includes("/") ? k.apiVersion.split("/")[0] : "core";
    const namespace = str(r.inputs, "metadata.namespace") ?? "";
    return [`${k.kind}.${group} ${namespace ? `${namespace}/` : ""}${name}`];
  }
  const keys = new Set<string>();
  for (const check of nameChecksFor(r.type)) {
    for (const found of valuesAt(r.inputs, check.field)) {
      if (typeof found.value === "string" && known(found.value)) keys.add(`${r.type} ${found.path}=${found.value}`);
    }
  }
  for (const id of objectIdentitiesFor(r.type)) {
    const values = id.fields.map((f) => str(r.inputs, f));
    if (values.every(known)) keys.add(`${r.type} ${id.fields.map((f, i) => `${f}=${values[i]}`).join(" ")}`);
  }
  return [...keys];
}

/** Every object both recordings write, in the first recording's order. */
export function stackOverlaps(first: readonly OverlapResource[], second: readonly OverlapResource[]): StackOverlap[] {
  const owners = new Map<string, OverlapResource>();
  for (const r of second) for (const key of objectKeys(r)) if (!owners.has(key)) owners.set(key, r);
  const out: StackOverlap[] = [];
  for (const r of first) {
    for (const key of objectKeys(r)) {
      const other = owners.get(key);
      if (other)
        out.push({
          object: key,
          first: { type: r.type, name: r.name },
          second: { type: other.type, name: other.name },
        });
    }
  }
  return out;
}

/** The objects two offline plans both write (e.g. a migration's old and new stack). */
export function planOverlaps(
  first: { resources: ReadonlyArray<{ type: string; name: string; urn?: string; inputs?: Record<string, unknown> }> },
  second: { resources: ReadonlyArray<{ type: string; name: string; urn?: string; inputs?: Record<string, unknown> }> },
): StackOverlap[] {
  // A report lists custom resources only; a line without a URN is a cost outside the stack.
  const of = (report: typeof first): OverlapResource[] =>
    report.resources.flatMap((r) =>
      r.urn !== undefined ? [{ type: r.type, name: r.name, inputs: r.inputs ?? {}, custom: true }] : [],
    );
  return stackOverlaps(of(first), of(second));
}
