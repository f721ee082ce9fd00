/** Row → domain-object mapping shared by the repositories (one place that knows driver quirks). */
import type { Placement } from "../../core/placement";
import type {
  ApiKey,
  Deployment,
  DeploymentEvent,
  DeploymentSpec,
  DeploymentStatus,
  ErrorInfo,
  Operation,
  OperationKind,
  OperationStatus,
  Role,
} from "../types";
import type { Row } from "./db";

export function str(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  return String(v);
}

export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : str(v);
}

/** timestamptz → ISO string (pg and PGlite both return Date; tolerate strings). */
export function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return new Date(str(v)).toISOString();
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

/** int8/bigserial come back as strings from pg and as numbers or bigints from PGlite. */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return Number(str(v));
}

/** jsonb as returned by the driver (already parsed by both; tolerate text). */
export function json(v: unknown): unknown {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}

export function jsonObject(v: unknown): Record<string, unknown> {
  const j = json(v);
  return j !== null && typeof j === "object" && !Array.isArray(j) ? (j as Record<string, unknown>) : {};
}

export function errorInfo(v: unknown): ErrorInfo | null {
  const j = json(v);
  if (j === null || j === undefined || typeof j !== "object") return null;
  const o = j as Record<string, unknown>;
  return { code: str(o["code"]), message: str(o["message"]) };
}

export function toOperation(r: Row): Operation {
  return {
    id: str(r["id"]),
    deploymentId: str(r["deployment_id"]),
    kind: str(r["kind"]) as OperationKind,
    status: str(r["status"]) as OperationStatus,
    attempts: num(r["attempts"]),
    error: errorInfo(r["error"]),
    actor: str(r["actor"]),
    createdAt: iso(r["created_at"]),
    startedAt: isoOrNull(r["started_at"]),
    finishedAt: isoOrNull(r["finished_at"]),
  };
}

export function toDeployment(r: Row, operations: Operation[] = []): Deployment {
  const outputs = json(r["outputs"]);
  return {
    id: str(r["id"]),
    tenant: str(r["tenant"]),
    name: str(r["name"]),
    environment: str(r["environment"]),
    model: str(r["model"]),
    stackName: str(r["stack_name"]),
    status: str(r["status"]) as DeploymentStatus,
    placement: json(r["placement"]) as Placement,
    estimatedMonthlyUsd: num(r["estimated_monthly_usd"]),
    spec: jsonObject(r["spec"]) as DeploymentSpec,
    outputs: outputs === null || outputs === undefined ? null : jsonObject(outputs),
    error: errorInfo(r["error"]),
    createdBy: str(r["created_by"]),
    createdAt: iso(r["created_at"]),
    updatedAt: iso(r["updated_at"]),
    operations,
  };
}

export function toEvent(r: Row): DeploymentEvent {
  return {
    // The event's number within its deployment (migration 011), never the global id.
    id: num(r["seq"]),
    deploymentId: str(r["deployment_id"]),
    operationId: strOrNull(r["operation_id"]),
    type: str(r["type"]) as DeploymentEvent["type"],
    at: iso(r["at"]),
    data: jsonObject(r["data"]),
  };
}

export function toApiKey(r: Row): ApiKey {
  return {
    id: str(r["id"]),
    prefix: str(r["prefix"]),
    tenant: str(r["tenant"]),
    role: str(r["role"]) as Role,
    name: str(r["name"]),
    createdAt: iso(r["created_at"]),
    lastUsedAt: isoOrNull(r["last_used_at"] ?? null),
    revokedAt: isoOrNull(r["revoked_at"]),
    bootstrap: r["bootstrap"] === true,
  };
}

/** Postgres unique_violation, from either driver. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (err === null || typeof err !== "object") return false;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== "23505") return false;
  if (!constraint) return true;
  return e.constraint === constraint || (typeof e.message === "string" && e.message.includes(constraint));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether `s` is a UUID (ids are uuid columns: anything else matches no row). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
