// @ts-check
/**
 * The dashboard's only door to the server: the public HTTP API, with the key from sessionStorage
 * in the Authorization header (never in a URL, never in localStorage). Errors become `ApiError`
 * with the server's code, message and field, or a network error naming the URL.
 */

const KEY = "modelplane.apiKey";

export function getKey() {
  return sessionStorage.getItem(KEY);
}

/** @param {string} key */
export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0: the request never got an answer)
   * @param {string} code
   * @param {string} message
   * @param {string} [field]
   */
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
export function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
async function errorOf(res) {
  /** @type {unknown} */
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = isObject(body) && isObject(body.error) ? body.error : {};
  const message = typeof e.message === "string" ? e.message : `${res.status} ${res.statusText}`;
  const field = typeof e.field === "string" && e.field !== "" ? e.field : undefined;
  return new ApiError(res.status, typeof e.code === "string" ? e.code : "http_error", message, field);
}

/**
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, key?: string, headers?: Record<string, string>, signal?: AbortSignal }} [opts]
 * @returns {Promise<Response>}
 */
async function send(method, path, opts = {}) {
  const key = opts.key ?? getKey();
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", ...(opts.headers ?? {}) };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  try {
    return await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      cache: "no-store",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", `cannot reach the API at ${new URL(path, location.href).href}: ${String(err)}`);
  }
}

/**
 * A JSON request; resolves to the body of a 2xx answer, throws ApiError otherwise.
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, key?: string, headers?: Record<string, string> }} [opts]
 * @returns {Promise<any>}
 */
export async function api(method, path, opts = {}) {
  const res = await send(method, path, opts);
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined;
  return res.json();
}

/** @type {Promise<Set<string>> | undefined} */
let operations;

/**
 * Whether the server's OpenAPI document lists an operation (features come with the server's version).
 * @param {string} method lower case, e.g. "get"
 * @param {string} path OpenAPI form, e.g. /v1/deployments/{id}/migrate
 */
export async function hasOperation(method, path) {
  operations ??= api("GET", "/openapi.json").then((doc) => {
    const ops = new Set();
    const paths = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
    for (const [p, item] of Object.entries(paths)) {
      if (isObject(item)) for (const m of Object.keys(item)) ops.add(`${m} ${p}`);
    }
    return ops;
  });
  return (await operations).has(`${method} ${path}`);
}

/**
 * @typedef {{ id: number, type: string, at: string, data: Record<string, unknown> }} DeploymentEvent
 */

/**
 * Follow a deployment's events (server-sent events read from a fetch stream, since EventSource
 * cannot send the Authorization header). Reconnects with Last-Event-ID when the stream drops,
 * until `signal` aborts.
 * @param {string} id
 * @param {(e: DeploymentEvent) => void} onEvent
 * @param {AbortSignal} signal
 * @param {(err: ApiError) => void} onError
 */
export async function followEvents(id, onEvent, signal, onError) {
  let lastId = 0;
  let retryMs = 2000;
  while (!signal.aborted) {
    try {
      /** @type {Record<string, string>} */
      const headers = { Accept: "text/event-stream" };
      if (lastId > 0) headers["Last-Event-ID"] = String(lastId);
      const res = await send("GET", `/v1/deployments/${encodeURIComponent(id)}/events`, { headers, signal });
      if (!res.ok) {
        onError(await errorOf(res));
        return;
      }
      if (!res.body) return;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let cut;
        while ((cut = buf.search(/\r?\n\r?\n/)) >= 0) {
          const frame = buf.slice(0, cut);
          buf = buf.slice(cut).replace(/^\r?\n\r?\n/, "");
          /** @type {string[]} */
          const data = [];
          for (const line of frame.split(/\r?\n/)) {
            if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
            else if (line.startsWith("retry:")) retryMs = Number(line.slice(6)) || retryMs;
          }
          if (data.length === 0) continue;
          /** @type {unknown} */
          const parsed = JSON.parse(data.join("\n"));
          if (isObject(parsed) && typeof parsed.id === "number" && typeof parsed.type === "string") {
            lastId = Math.max(lastId, parsed.id);
            onEvent(/** @type {DeploymentEvent} */ (parsed));
          }
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ApiError) onError(err);
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

/** A fresh Idempotency-Key for one submitted form. */
export function idempotencyKey() {
  return typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
