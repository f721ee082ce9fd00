/** Management API keys and inference keys (see ../types.ts and docs/security.md). */

/**
 * API key roles, highest first: `platform-admin` manages keys of every tenant (held by the bootstrap
 * key, and given only by a bootstrap key); `admin` manages its own tenant's keys; deployers
 * create/update/destroy; viewers read. See docs/security.md.
 */
export const ROLES = ["platform-admin", "admin", "deployer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  id: string;
  /** The public, non-secret part of the key shown in listings (`mp_<prefix>_...`). */
  prefix: string;
  tenant: string;
  role: Role;
  name: string;
  createdAt: string;
  /** When the key last authenticated a request (updated at most once a minute); null if never. */
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** True for the bootstrap key (MODELPLANE_ADMIN_KEY, or the first generated one). */
  bootstrap: boolean;
}

/**
 * A key that calls models through the cluster gateway (issue 14): tenant-scoped, stored hashed,
 * separate from the management keys. The gateway's auth check answers with its `id`, never its secret.
 */
export interface InferenceKey {
  id: string;
  /** The public part of the key (`mpi_<prefix>_...`), shown in listings. */
  prefix: string;
  tenant: string;
  name: string;
  /** Requests per minute the gateway's auth check lets this key make (429 above). */
  rateLimitPerMinute: number;
  /** The management key id that created it. */
  createdBy: string;
  createdAt: string;
  /** When the key last passed the gateway's check (at most once a minute); null if never. */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What `POST /v1/inference-keys` stores (validated). */
export interface CreateInferenceKeyInput {
  tenant: string;
  name: string;
  /** Default `DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE`. */
  rateLimitPerMinute?: number;
}

/** Requests per minute of an inference key created without a rate limit. */
export const DEFAULT_INFERENCE_RATE_LIMIT_PER_MINUTE = 600;
