/**
 * What `GET /v1/deployments/:id` says about calling the model: the external https base URL from the
 * stack's `endpoint` output and a curl of `/chat/completions`, or, without one, why not. Never a
 * made-up URL: an in-cluster `http://` endpoint, a dry run or a missing output is a reason. An
 * `unverified` deployment (applied, not seen serving) keeps its URL, with `unverified` saying why.
 */
import { unverifiedReason, type Deployment } from "../platform/service/types";
import type { CallEndpoint } from "./inference-schemas";

/** The shell variable the curl reads the key from (create one with POST /v1/inference-keys). */
export const INFERENCE_KEY_VARIABLE = "MODELPLANE_INFERENCE_KEY";

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The curl of `/chat/completions` at base URL `url` (which ends in `/v1`). */
export function chatCurl(url: string, model: string): string {
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] });
  return [
    `curl ${shellQuote(`${url}/chat/completions`)}`,
    `-H "Authorization: Bearer $${INFERENCE_KEY_VARIABLE}"`,
    `-H 'Content-Type: application/json'`,
    `-d ${shellQuote(body)}`,
  ].join(" \\\n  ");
}

/**
 * The OpenAI base URL of an https endpoint: as it is when its path ends in `/v1` (a gateway route),
 * `<origin>/v1` when it is a bare origin (a serverless container running the vLLM server, which
 * serves `/v1`), null otherwise (e.g. an asynchronous-invocation URL, not OpenAI-compatible).
 */
export function openAiBase(endpoint: string): string | null {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return null;
  }
  if (u.protocol !== "https:" || u.search !== "" || u.hash !== "") return null;
  const path = u.pathname.replace(/\/+$/, "");
  if (path === "") return `${u.origin}/v1`;
  return path.endsWith("/v1") ? `${u.origin}${path}` : null;
}

/** Why a dry run has no endpoint (the dashboard shows the same words: dashboard/pages/shared.js). */
export const DRY_RUN_ENDPOINT = "dry run: nothing was created, so there is no URL to call";

export function callEndpoint(d: Pick<Deployment, "status" | "outputs" | "spec">): CallEndpoint {
  const outputs = d.outputs ?? {};
  const endpoint = outputs["endpoint"];
  const model = d.spec.model.name;
  if (typeof endpoint === "string" && /^https:\/\/[^\s/]+/.test(endpoint) && outputs["simulated"] !== true) {
    const url = openAiBase(endpoint);
    if (url !== null) {
      const unverified = d.status === "unverified" ? unverifiedReason(d.outputs) : null;
      return {
        url,
        curl: chatCurl(url, model),
        model,
        ...(unverified !== null
          ? { unverified: `applied, but the control plane could not see it serve: ${unverified}` }
          : {}),
      };
    }
    return {
      url: null,
      reason: `the endpoint ${endpoint.slice(0, 300)} is not an OpenAI base URL (its path is neither / nor …/v1); call it as its product documents`,
    };
  }
  const stated = outputs["endpointReason"];
  if (typeof stated === "string" && stated.length > 0) return { url: null, reason: stated };
  if (outputs["simulated"] === true) {
    return { url: null, reason: DRY_RUN_ENDPOINT };
  }
  if (d.outputs === null) {
    return { url: null, reason: `no stack outputs yet (status ${d.status}); the endpoint appears once it is ready` };
  }
  if (typeof endpoint === "string") {
    return {
      url: null,
      reason: `the endpoint is reachable inside the cluster only (${endpoint.slice(0, 200)}); the cluster has no gateway (modelplane:gateway)`,
    };
  }
  return { url: null, reason: "the stack has no endpoint output" };
}
