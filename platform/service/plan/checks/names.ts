/**
 * Cloud limits on names: every name input a provider module declares (providers/plan-checks.ts)
 * is checked against its row in providers/limits/names.ts (length, characters, reserved forms),
 * each row with its public source. A name the program leaves to Pulumi's auto-naming is checked
 * as `<logical name>-<8 hex>`; a name left to a provider with no modelled auto-naming is a warning.
 */
import { checkName } from "../../../../providers/limits/names";
import { nameChecksFor, type NameCheck } from "../../../../providers/plan-checks";
import { str } from "../../../core/resources/read";
import type { RecordedResource } from "../record";
import { valuesAt } from "./paths";
import type { PlanFinding } from "./types";

/** The longest suffix Pulumi's auto-naming appends (`-` and 8 hex; bridged providers use 7). */
export const AUTO_NAME_SUFFIX = "-0000000a";

function applies(check: NameCheck, r: RecordedResource): boolean {
  if (!check.when) return true;
  const v = str(r.inputs, check.when.field);
  return v === undefined || v === check.when.equals;
}

export function checkNames(r: RecordedResource): PlanFinding[] {
  if (!r.custom) return [];
  const findings: PlanFinding[] = [];
  const resource = { type: r.type, name: r.name };
  for (const check of nameChecksFor(r.type)) {
    if (!applies(check, r)) continue;
    const wildcard = check.field.includes("*") || check.field.includes("[]");
    const found = valuesAt(r.inputs, check.field);
    if (found.length === 0 && !wildcard) {
      if (check.autoName === "pulumi-suffix")
        found.push({ path: `${check.field} (auto-named)`, value: `${r.name}${AUTO_NAME_SUFFIX}` });
      else if (check.kind !== "k8s-namespace") {
        findings.push({
          level: "warning",
          check: "name",
          resource,
          field: check.field,
          message: `${r.type} ${r.name}: ${check.field} is not set and the provider's own auto-naming is not modelled, so its ${check.kind} limit is not checked; set ${check.field}`,
        });
      }
    }
    for (const f of found) {
      if (typeof f.value !== "string" || f.value.startsWith("[")) continue; // "[secret]", "[unknown]"
      const v = checkName(check.kind, f.value);
      if (!v) continue;
      findings.push({
        level: "error",
        check: "name",
        resource,
        field: f.path,
        message: `${r.type} ${r.name}: ${f.path}: ${v.message}`,
        source: `${v.source.title}, ${v.source.url}`,
      });
    }
  }
  return findings;
}
