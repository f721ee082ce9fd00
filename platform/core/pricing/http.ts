/**
 * The one way a price refresher talks HTTP: GET JSON, with network failures and non-2xx answers
 * turned into PriceSourceUnavailableError naming the host and what to do instead.
 */
import { PriceSourceUnavailableError } from "./provider";

export const OFFLINE_HINT =
  "check network access/proxy to it, or import a SkyPilot catalog checkout instead: modelplane pricing import --format skypilot DIR";

async function get(url: string, fetchImpl: typeof fetch, init?: RequestInit): Promise<Response> {
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetchImpl(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new PriceSourceUnavailableError(host, `cannot reach ${host} (${cause}); ${OFFLINE_HINT}`);
  }
  if (!res.ok) {
    const body = (await res.text().catch(() => "")).slice(0, 200);
    throw new PriceSourceUnavailableError(host, `${host} answered HTTP ${res.status}${body ? `: ${body}` : ""}`);
  }
  return res;
}

/** GET a text body (e.g. the EC2 query API's XML). */
export async function getText(url: string, fetchImpl: typeof fetch, init?: RequestInit): Promise<string> {
  return (await get(url, fetchImpl, init)).text();
}

/** GET and parse a JSON body. */
export async function getJson(url: string, fetchImpl: typeof fetch, init?: RequestInit): Promise<unknown> {
  const host = new URL(url).host;
  const res = await get(url, fetchImpl, init);
  try {
    return (await res.json()) as unknown;
  } catch (err) {
    throw new PriceSourceUnavailableError(
      host,
      `${host} returned invalid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Narrowing helpers for untyped JSON. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
export function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}
export function numOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}
