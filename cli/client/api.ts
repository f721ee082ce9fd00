/**
 * The CLI's HTTP client for the modelplane API. Errors keep the API's own words: the code, the
 * message and the field it names. A network failure names the URL; a 401 says how to log in.
 */
import { ValidationError } from "../../platform/core/validation";

/** The API answered with an error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The API could not be reached at all. */
export class UnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`cannot reach ${url}: ${why}. Is the server running (npm start), and is the URL right (modelplane login)?`);
    this.name = "UnreachableError";
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string; details?: unknown; violations?: unknown };
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** One request; 2xx bodies are returned, others thrown as ApiError. */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await this.raw(method, path, body, headers);
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) throw this.toError(res.status, parsed);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** The raw fetch, with the key and JSON body; network failures become UnreachableError. */
  async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    try {
      return await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new UnreachableError(this.baseUrl, err);
    }
  }

  /** Whether the server documents `method path` in its OpenAPI document (feature detection). */
  async hasOperation(method: string, path: string): Promise<boolean> {
    const { body } = await this.request<{ paths?: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
    const item = body.paths?.[path];
    return item !== undefined && method.toLowerCase() in item;
  }

  private toError(status: number, parsed: unknown): Error {
    const e = (parsed as ErrorBody | undefined)?.error;
    const code = e?.code ?? `http_${status}`;
    const message = e?.message ?? (typeof parsed === "string" && parsed ? parsed : `HTTP ${status}`);
    if (status === 400 && e?.field) return new ValidationError(e.field, message.replace(`${e.field}: `, ""));
    if (status === 401) {
      return new ApiError(
        status,
        code,
        `${message}. Log in with a valid key: modelplane login --url ${this.baseUrl} (or set MODELPLANE_KEY)`,
      );
    }
    return new ApiError(status, code, message, e?.field, e?.details ?? e?.violations);
  }
}
