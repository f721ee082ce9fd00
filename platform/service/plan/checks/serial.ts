/**
 * Serial writes: some clouds refuse two writes under one parent at the same time (Azure federated
 * identity credentials on one identity, AKS agent pools on one cluster; the table with sources is
 * providers/limits/serial-writes.ts). Pulumi runs independent resources in parallel, so resources
 * of such a kind under one parent must be ordered by their dependencies: for every two of them,
 * one depends (directly or through others) on the other. Two resources that write the same object
 * (same name under the same parent) are an error too: the second overwrites the first, and
 * deleting either deletes both.
 */
import { SERIAL_WRITE_LIMITS, type SerialWriteLimit } from "../../../../providers/limits/serial-writes";
import { serialWriteChecksFor, type SerialWriteCheck } from "../../../../providers/plan-checks";
import { str } from "../../../core/resources/read";
import type { RecordedResource } from "../record";
import type { PlanFinding } from "./types";

interface Member {
  r: RecordedResource;
  name: string | undefined;
}

const known = (v: string | undefined): v is string => v !== undefined && !v.startsWith("[");

function describe(limit: SerialWriteLimit): string {
  const unconfirmed = limit.confirmed === false ? "; not confirmed in the provider's own docs" : "";
  return `${limit.source.title}, ${limit.source.url}${unconfirmed}`;
}

/** URNs each resource depends on, directly or through others. */
function closure(resources: readonly RecordedResource[]): (urn: string) => ReadonlySet<string> {
  const direct = new Map(resources.map((r) => [r.urn, r.dependsOn]));
  const memo = new Map<string, Set<string>>();
  const reach = (urn: string): Set<string> => {
    const done = memo.get(urn);
    if (done) return done;
    const seen = new Set<string>();
    memo.set(urn, seen); // cycles end here
    const stack = [...(direct.get(urn) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    return seen;
  };
  return reach;
}

export function checkSerialWrites(resources: readonly RecordedResource[]): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const groups = new Map<string, { check: SerialWriteCheck; members: Member[] }>();
  for (const r of resources) {
    if (!r.custom) continue;
    for (const check of serialWriteChecksFor(r.type)) {
      const parent = check.parentFields.map((f) => str(r.inputs, f));
      const limit = SERIAL_WRITE_LIMITS[check.kind];
      if (!parent.every(known)) {
        findings.push({
          level: "warning",
          check: "serial",
          resource: { type: r.type, name: r.name },
          field: check.parentFields.join(", "),
          message: `${r.type} ${r.name}: ${check.parentFields.join(" and ")} are not known offline, so whether its writes are serialized with other ${limit.what} on the same ${limit.per} is not checked`,
          source: describe(limit),
        });
        continue;
      }
      const key = `${check.type}|${check.kind}|${parent.join("/")}`;
      const group = groups.get(key) ?? { check, members: [] };
      group.members.push({ r, name: check.nameField ? str(r.inputs, check.nameField) : undefined });
      groups.set(key, group);
    }
  }
  const reach = closure(resources);
  for (const { check, members } of groups.values()) {
    const limit = SERIAL_WRITE_LIMITS[check.kind];
    const parent = check.parentFields.map((f) => str(members[0]?.r.inputs ?? {}, f)).join("/");
    members.forEach((b, j) => {
      for (const a of members.slice(0, j)) {
        const resource = { type: b.r.type, name: b.r.name };
        if (check.nameField && known(a.name) && a.name === b.name) {
          findings.push({
            level: "error",
            check: "serial",
            resource,
            field: check.nameField,
            message: `${b.r.type} ${b.r.name}: ${check.nameField} "${b.name}" is also ${a.r.name}'s, under the same ${limit.per} ${parent}: both write one object, the second overwrites the first and deleting either deletes both; give each its own name`,
            source: describe(limit),
          });
        }
        if (reach(b.r.urn).has(a.r.urn) || reach(a.r.urn).has(b.r.urn)) continue;
        findings.push({
          level: "error",
          check: "serial",
          resource,
          field: "dependsOn",
          message: `${b.r.type} ${b.r.name} and ${a.r.name} are ${limit.what} on the same ${limit.per} ${parent} with no dependency between them, so Pulumi writes them at once and ${limit.enforcedBy} answers ${limit.answer}; make ${b.r.name} depend on ${a.r.name} (dependsOn)`,
          source: describe(limit),
        });
      }
    });
  }
  return findings;
}
