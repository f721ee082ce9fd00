/**
 * `modelplane:controlPlane`: run modelplane's own API and workers on one of the platform's managed
 * clusters (components/ControlPlane.ts; docs/control-plane.md). Absent: nothing is created.
 *
 *   modelplane:controlPlane:
 *     cluster: aws-us-east-1                  # default: the first managed cluster
 *     image: ghcr.io/acme/modelplane:0.1.0    # built from the repo's Dockerfile; pinned
 *     hostname: api.models.example.com        # optional; default <gateway url>/_modelplane
 *     adminKey: { secure: … }                 # pulumi config set --secret --path modelplane:controlPlane.adminKey
 *     database: { password: { secure: … } }   # managed Postgres; or { url: { secure: … } }
 *     stateBackend: { kind: object-store }    # or { kind: pulumi-cloud, accessToken: { secure: … } }
 *
 * Pure: the schema and the args it gives the component. Errors name the config key.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ControlPlaneArgs } from "../../components/ControlPlane";
import { ValidationError } from "../../platform/core/validation";

const ROOT = "modelplane:controlPlane";

/** A secret config value: the decrypted text (from the engine), or its `{ secure }` form (a stack file read offline). */
const SecretSchema = z.union([z.string().min(1), z.object({ secure: z.string().min(1) }).strict()], {
  error: () => "must be set as a secret (pulumi config set --secret --path …)",
});

const WorkloadSchema = z
  .object({
    replicas: z.number().int().min(1).max(50).optional(),
    cpu: z.string().min(1).optional(),
    memory: z.string().min(1).optional(),
  })
  .strict();

export const ControlPlaneConfigSchema = z
  .object({
    /** The managed cluster entry (`modelplane:clouds[].name`) it runs on; default the first managed one. */
    cluster: z.string().min(1).optional(),
    /** The control plane image (repo Dockerfile), pinned by tag or digest. */
    image: z.string().min(1),
    namespace: z.string().min(1).optional(),
    /** The API's hostname on the gateway (its certificate must cover it). */
    hostname: z.string().min(1).optional(),
    /** The bootstrap platform-admin key (16+ characters), a secret. */
    adminKey: SecretSchema,
    api: WorkloadSchema.optional(),
    worker: WorkloadSchema.extend({ concurrency: z.number().int().min(1).max(64).optional() })
      .strict()
      .optional(),
    /** A managed Postgres (`password`, a secret) or a given `url` (a secret): exactly one. */
    database: z
      .object({
        password: SecretSchema.optional(),
        url: SecretSchema.optional(),
        instanceClass: z.string().min(1).optional(),
        storageGiB: z.number().int().optional(),
        version: z.string().min(1).optional(),
      })
      .strict(),
    stateBackend: z
      .object({
        kind: z.enum(["object-store", "pulumi-cloud"]).default("object-store"),
        url: z.string().min(1).optional(),
        accessToken: SecretSchema.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ControlPlaneConfig = z.output<typeof ControlPlaneConfigSchema>;

/** A secret config value as a Pulumi secret; the offline `{ secure }` form stays a marked placeholder. */
function secretInput(v: string | { secure: string }): pulumi.Output<string> {
  return pulumi.secret(typeof v === "string" ? v : "[secret: decrypted by the engine]");
}

/** The component's arguments from the config (cloud, cluster provider and gateway added by the program). */
export function controlPlaneArgs(
  c: ControlPlaneConfig,
): Omit<ControlPlaneArgs, "cloud" | "region" | "kubernetes" | "gateway"> {
  const d = c.database;
  if ((d.password === undefined) === (d.url === undefined))
    throw new ValidationError(
      `${ROOT}.database`,
      "set exactly one of password (a managed Postgres is created) or url (an existing Postgres), as a secret",
    );
  const s = c.stateBackend;
  if (s.kind === "pulumi-cloud" && s.accessToken === undefined)
    throw new ValidationError(`${ROOT}.stateBackend.accessToken`, "is required for Pulumi Cloud (a secret)");
  if (typeof c.adminKey === "string" && c.adminKey.length < 16)
    throw new ValidationError(`${ROOT}.adminKey`, "must be at least 16 characters");
  return {
    image: c.image,
    adminKey: secretInput(c.adminKey),
    database:
      d.url !== undefined
        ? { kind: "url", url: secretInput(d.url) }
        : {
            kind: "managed",
            password: secretInput(d.password ?? ""),
            ...(d.instanceClass !== undefined ? { instanceClass: d.instanceClass } : {}),
            ...(d.storageGiB !== undefined ? { storageGiB: d.storageGiB } : {}),
            ...(d.version !== undefined ? { version: d.version } : {}),
          },
    stateBackend:
      s.kind === "pulumi-cloud"
        ? { kind: "pulumi-cloud", accessToken: secretInput(s.accessToken ?? ""), ...(s.url ? { url: s.url } : {}) }
        : { kind: "object-store" },
    ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
    ...(c.hostname !== undefined ? { hostname: c.hostname } : {}),
    ...(c.api !== undefined ? { api: c.api } : {}),
    ...(c.worker !== undefined ? { worker: c.worker } : {}),
  };
}

/** Run `fn`, re-throwing a component ValidationError with the config key in front of its field. */
export function underControlPlane<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValidationError && !err.field.startsWith("modelplane:"))
      throw new ValidationError(`${ROOT}.${err.field}`, err.message.slice(err.field.length + 2));
    throw err;
  }
}
