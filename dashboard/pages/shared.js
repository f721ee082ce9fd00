// @ts-check
/** Pieces several pages share: placement text, the endpoint of a deployment, status badges. */
import { h } from "../dom.js";
import { isObject } from "../api.js";

/** Statuses in which no operation is queued or running (platform/service/types.ts SETTLED_STATUSES). */
export const SETTLED = ["ready", "failed", "destroyed", "cancelled", "simulated", "unverified"];

/**
 * Why an `unverified` deployment (applied, but the control plane could not see it serve) is
 * unverified: its `outputs.readiness.reason`; undefined for any other status.
 * @param {Record<string, unknown>} d
 * @returns {string | undefined}
 */
export function unverifiedReason(d) {
  if (d.status !== "unverified") return undefined;
  const r = isObject(d.outputs) ? d.outputs.readiness : undefined;
  return isObject(r) && typeof r.reason === "string" && r.reason !== ""
    ? r.reason
    : "the control plane could not observe it serving";
}

/**
 * "gcp us-central1 · 1×L4 spot" from a placement object; "not placed" without one.
 * @param {unknown} p
 */
export function placementText(p) {
  if (!isObject(p)) return "not placed";
  const gpus = typeof p.gpuCount === "number" && p.gpuType ? `${p.gpuCount}×${String(p.gpuType)}` : "";
  return [p.cloud, p.region, "·", gpus, p.capacity].filter((s) => s !== undefined && s !== "").join(" ");
}

/**
 * The deployment's endpoint: `endpoint.url` where the server gives it, else the stack's
 * `outputs.endpoint`; without one (no gateway on the cluster), the in-cluster URL with the
 * stack's reason. A dry run has no URL, only the reason (its outputs hold the plan's placeholder).
 * Undefined while the stack has no outputs.
 * @param {Record<string, unknown>} d
 * @returns {{ url?: string, curl?: string, inCluster?: boolean, reason?: string } | undefined}
 */
export function endpointOf(d) {
  if (isObject(d.endpoint) && typeof d.endpoint.url === "string") {
    return { url: d.endpoint.url, ...(typeof d.endpoint.curl === "string" ? { curl: d.endpoint.curl } : {}) };
  }
  if (typeof d.endpoint === "string") return { url: d.endpoint };
  const o = isObject(d.outputs) ? d.outputs : {};
  if (o.simulated === true) return { reason: DRY_RUN_ENDPOINT };
  if (typeof o.endpoint === "string") return { url: o.endpoint };
  if (typeof o.inClusterEndpoint === "string") {
    return {
      url: o.inClusterEndpoint,
      inCluster: true,
      ...(typeof o.endpointReason === "string" ? { reason: o.endpointReason } : {}),
    };
  }
  return undefined;
}

/**
 * The endpoint as page content: the URL in code, marked in-cluster where it is.
 * @param {ReturnType<typeof endpointOf>} ep
 */
export function endpointText(ep) {
  if (!ep) return "none yet";
  if (ep.url === undefined) return `none (${ep.reason ?? "no URL"})`;
  return h("span", {}, h("code", {}, ep.url), ep.inCluster ? " (in-cluster only)" : "");
}

/** Why a dry run has no endpoint (the server's words, api/call-endpoint.ts). */
export const DRY_RUN_ENDPOINT = "dry run: nothing was created, so there is no URL to call";

/** @param {unknown} status */
export function statusBadge(status) {
  const s = String(status ?? "unknown");
  const title = s === "unverified" ? { title: "applied, but the control plane could not see it serve" } : {};
  return h("span", { class: `status status-${s.replace(/[^a-z]/g, "")}`, ...title }, s);
}

/**
 * The model fields of the quote and deploy forms, and the request body they make.
 * @param {string} prefix id prefix
 */
export function modelFields(prefix) {
  const name = h("input", { id: `${prefix}-model`, name: "model", required: true, value: "llama-3.1-8b-instruct" });
  const params = h("input", {
    id: `${prefix}-params`,
    name: "parametersBillions",
    type: "number",
    step: "any",
    min: "0",
    value: "8",
  });
  const precision = h(
    "select",
    { id: `${prefix}-precision`, name: "precision" },
    ["bf16", "fp16", "fp32", "fp8", "int8", "int4"].map((p) => h("option", { value: p }, p)),
  );
  const context = h("input", {
    id: `${prefix}-context`,
    name: "contextTokens",
    type: "number",
    min: "1",
    value: "8192",
  });
  const capacity = h(
    "select",
    { id: `${prefix}-capacity`, name: "capacity" },
    ["any", "spot", "on-demand"].map((p) => h("option", { value: p }, p)),
  );
  return { name, params, precision, context, capacity };
}

/**
 * The request's `model` (a registry `ref` when the name holds an "at" sign) and constraints.
 * @param {ReturnType<typeof modelFields>} f
 */
export function modelRequest(f) {
  const name = f.name.value.trim();
  /** @type {Record<string, unknown>} */
  const model = name.includes("@")
    ? { ref: name }
    : {
        name,
        ...(f.params.value !== "" ? { parametersBillions: Number(f.params.value) } : {}),
        precision: f.precision.value,
      };
  if (f.context.value !== "") model.contextTokens = Number(f.context.value);
  return { model, constraints: { capacity: f.capacity.value } };
}
