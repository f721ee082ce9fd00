/**
 * Model classes (shaped like kubernetes-models': `new X(obj).validate()` throws with ajv-style
 * `errors`) for the gateway's custom resources no models package ships, from the required-field
 * contracts in providers/limits/gateway-crds.ts, so the schema check treats them like the rest.
 */
import { checkCrdContract, GATEWAY_CRDS, type CrdContract } from "../../../../providers/limits/gateway-crds";
import type { ModelClass, ModelRef } from "./schema";

const pointer = (dotted: string): string =>
  dotted
    ? `/${dotted
        .replace(/\[(\d+)\]/g, ".$1")
        .split(".")
        .join("/")}`
    : "";

function modelOf(contract: CrdContract): ModelClass {
  return class {
    static readonly apiVersion = contract.apiVersion;
    static readonly kind = contract.kind;
    constructor(private readonly data: unknown) {}
    validate(): void {
      const violations = checkCrdContract(contract, this.data);
      if (violations.length === 0) return;
      const errors = violations.map((v) => {
        if (v.message === "is required") {
          const cut = v.field.lastIndexOf(".");
          return {
            instancePath: pointer(cut < 0 ? "" : v.field.slice(0, cut)),
            message: v.message,
            params: { missingProperty: cut < 0 ? v.field : v.field.slice(cut + 1) },
          };
        }
        return { instancePath: pointer(v.field), message: v.message, params: {} };
      });
      throw Object.assign(new Error(violations.map((v) => `${v.field} ${v.message}`).join(", ")), { errors });
    }
  };
}

/** Schema-table rows (Pulumi type token → model) for every contract. */
export function gatewayCrdSchemas(): Array<[string, ModelRef]> {
  return GATEWAY_CRDS.map((c) => [
    `kubernetes:${c.apiVersion}:${c.kind}`,
    { model: modelOf(c), source: `${c.source.title} (${c.source.url}), read ${c.checked}` },
  ]);
}
