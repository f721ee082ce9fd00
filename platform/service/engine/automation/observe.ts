/**
 * The stack's Kubernetes Deployments as a Pulumi state export holds them (after a targeted refresh
 * they are the live objects): what readiness needs (../readiness.ts). Pure.
 */
import type { ObservedWorkload } from "../types";

export const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function resources(deployment: unknown): Obj[] {
  const list = obj(deployment)["resources"];
  return Array.isArray(list) ? list.map(obj) : [];
}

/** URNs of the stack's Deployments (what the refresh targets). */
export function deploymentUrns(deployment: unknown): string[] {
  return resources(deployment)
    .filter((r) => r["type"] === DEPLOYMENT_TYPE && typeof r["urn"] === "string" && r["delete"] !== true)
    .map((r) => r["urn"] as string);
}

/** Each Deployment's replicas, generation and conditions from its state outputs. */
export function workloadsFromState(deployment: unknown): ObservedWorkload[] {
  return resources(deployment)
    .filter((r) => r["type"] === DEPLOYMENT_TYPE && r["delete"] !== true)
    .map((r): ObservedWorkload => {
      const out = obj(r["outputs"]);
      const meta = obj(out["metadata"]);
      const status = obj(out["status"]);
      const conditions = Array.isArray(status["conditions"]) ? status["conditions"].map(obj) : [];
      const w: ObservedWorkload = {
        name: str(meta["name"]) ?? str(r["urn"])?.split("::").pop() ?? "deployment",
        conditions: conditions.map((c) => ({
          type: str(c["type"]) ?? "",
          status: str(c["status"]) ?? "",
          ...(str(c["reason"]) !== undefined ? { reason: str(c["reason"]) as string } : {}),
          ...(str(c["message"]) !== undefined ? { message: str(c["message"]) as string } : {}),
        })),
      };
      const set = (k: keyof ObservedWorkload, v: number | string | undefined) => {
        if (v !== undefined) Object.assign(w, { [k]: v });
      };
      set("namespace", str(meta["namespace"]));
      set("desiredReplicas", num(obj(out["spec"])["replicas"]));
      set("availableReplicas", num(status["availableReplicas"]));
      set("updatedReplicas", num(status["updatedReplicas"]));
      set("generation", num(meta["generation"]));
      set("observedGeneration", num(status["observedGeneration"]));
      return w;
    });
}
