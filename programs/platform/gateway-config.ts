/**
 * `modelplane:gateway`: the inference gateway the platform installs on every cluster (managed and
 * existing): Envoy Gateway and cert-manager (pinned charts, providers/limits/addons.ts), one
 * Gateway with an HTTPS listener, ext auth against the control plane, a per-key rate limit and a
 * 404 in OpenAI's error shape for unknown paths. See docs/gateway.md.
 *
 *   modelplane:gateway:
 *     enabled: true                       # default
 *     dnsZone: models.example.com         # hostnames <cluster>.models.example.com, ACME certificates
 *     dns: { cloud: aws, zoneId: Z0123 }  # optional: create the records (Route53 / Cloud DNS / Azure DNS)
 *     tls: { acmeEmail: ops@example.com } # or { certificateSecret: { name, namespace } }
 *     auth: { url: https://api.models.example.com }   # or { service: { name, namespace, port } }
 *     rateLimit: { requestsPerMinute: 600 }
 *
 * Pure: the schema, and the per-cluster plan the component takes. Errors name the config key.
 */
import { z } from "zod";
import { ADDONS } from "../../providers/limits/addons";
import { CloudSchema } from "../../platform/core/schemas";
import { ValidationError } from "../../platform/core/validation";
import type { ClusterGatewayArgs, GatewayAuth, GatewayTls } from "../../components/ClusterGateway";
import { apiServiceRef, controlPlaneUrl } from "../../providers/kubernetes/control-plane";

const ROOT = "modelplane:gateway";

/** An exact chart version (`v1.10.0`, `1.10.0`), never a range. */
const ExactVersionSchema = z
  .string()
  .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "must be an exact chart version such as v1.10.0 (no ranges)");

/** A DNS name: lowercase labels of letters, digits and dashes. */
const DnsNameSchema = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    "must be a DNS name of at least two lowercase labels, e.g. models.example.com",
  );

const K8sNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a Kubernetes name: lowercase letters, digits, dashes");

/** Let's Encrypt's production ACME directory (https://letsencrypt.org/docs/acme-protocol-updates/, read 2026-11-30). */
export const LETS_ENCRYPT_PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";

export const GatewayTlsSchema = z
  .object({
    /** With `dnsZone`: the ACME account e-mail; cert-manager gets a certificate over HTTP-01 through the Gateway. */
    acmeEmail: z.email({ error: "must be an e-mail address (the ACME account contact)" }).optional(),
    /** ACME directory URL (default Let's Encrypt production). */
    acmeServer: z.url({ protocol: /^https$/, error: "must be an https:// ACME directory URL" }).optional(),
    /** A `kubernetes.io/tls` Secret you manage, present on every cluster; wins over ACME. */
    certificateSecret: z
      .object({
        name: K8sNameSchema,
        /** Default: the gateway's namespace (`envoy-gateway-system`). */
        namespace: K8sNameSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const GatewayDnsSchema = z
  .object({
    /** The cloud whose DNS service hosts `dnsZone`. */
    cloud: CloudSchema,
    /** Route53: the hosted zone id; Cloud DNS: the managed zone name; Azure DNS: the zone's resource group. */
    zoneId: z
      .string()
      .min(1, "must name the zone (Route53 hosted zone id, Cloud DNS managed zone, Azure resource group)"),
    /** GCP only: the project of the managed zone (default: the provider's). */
    project: z.string().min(1).optional(),
    /** Record TTL, seconds (default 300). */
    ttl: z.number().int("must be a whole number of seconds").min(30).max(86400).default(300),
  })
  .strict();

export const GatewayAuthSchema = z
  .object({
    /** The control plane's external base URL (`https://api.example.com`); the gateway reaches it through an Envoy Gateway `Backend`. */
    url: z.url({ protocol: /^https$/, error: "must be an https:// URL (the control plane's base URL)" }).optional(),
    /** Or the control plane's in-cluster Service. */
    service: z
      .object({
        name: K8sNameSchema,
        namespace: K8sNameSchema,
        port: z.number().int().min(1).max(65535),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((a) => !(a.url && a.service), { error: "give either url or service, not both", path: ["url"] });

export const GatewayConfigSchema = z
  .object({
    /** Install the gateway on every cluster (default true). */
    enabled: z.boolean().default(true),
    /** Envoy Gateway chart version (default: the pinned row in providers/limits/addons.ts). */
    envoyGatewayVersion: ExactVersionSchema.optional(),
    /** cert-manager chart version (default: the pinned row). */
    certManagerVersion: ExactVersionSchema.optional(),
    /** DNS zone: each cluster's gateway is `<cluster name>.<dnsZone>`. */
    dnsZone: DnsNameSchema.optional(),
    /** Create the DNS records in this cloud's DNS service (needs `dnsZone`). */
    dns: GatewayDnsSchema.optional(),
    tls: GatewayTlsSchema.prefault({}),
    /** Where the gateway checks inference keys. Default: the in-cluster Service `defaultAuthService()`. */
    auth: GatewayAuthSchema.prefault({}),
    rateLimit: z
      .object({
        /** Requests per minute per inference key, across the gateway's replicas (default 600). */
        requestsPerMinute: z.number().int("must be a whole number").min(1).max(1_000_000).default(600),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

/**
 * The control plane's in-cluster Service when `auth` names none: the API Service the ControlPlane
 * component creates (`apiServiceRef`, one source for both), in `modelplane:controlPlane.namespace`
 * when that is set.
 */
export function defaultAuthService(controlPlaneNamespace?: string): { name: string; namespace: string; port: number } {
  return apiServiceRef(controlPlaneNamespace);
}

/** One cluster's gateway, resolved from config: the component's arguments but its provider. */
export type ClusterGatewayPlan = Omit<ClusterGatewayArgs, "provider" | "dependsOn">;

/** The check path on the control plane: Envoy appends the request's path (`/<ns>/<svc>/v1/...`). */
export const AUTH_CHECK_PATH = "/v1/inference-keys/check";

/** Cross-field rules the schema cannot say; errors name the key. Pure. */
export function validateGatewayConfig(g: GatewayConfig): void {
  if (g.dns && !g.dnsZone) {
    throw new ValidationError(
      `${ROOT}.dns`,
      "needs dnsZone: the records are <cluster>.<dnsZone>; set dnsZone or remove dns",
    );
  }
  if (g.tls.acmeEmail && !g.dnsZone && !g.tls.certificateSecret) {
    throw new ValidationError(
      `${ROOT}.tls.acmeEmail`,
      "needs dnsZone: ACME issues certificates for DNS names, not for a load balancer's address; set dnsZone, or give tls.certificateSecret",
    );
  }
}

/** Where the platform runs its control plane (`modelplane:controlPlane`): the default check target. */
export interface ControlPlaneSite {
  /** The cluster entry's name it runs on. */
  cluster: string;
  /** `modelplane:controlPlane.namespace`. */
  namespace?: string;
}

/**
 * One cluster's gateway settings (pure). `clusterName` is the entry's name (`aws-us-east-1`).
 * Without `auth`, the check goes to the control plane (`site`): on its own cluster to its API
 * Service; on another cluster, with a DNS zone, to its external URL through its cluster's gateway
 * (`https://<cluster>.<dnsZone>/_modelplane`, the API route, which has no inference-key check);
 * otherwise to the in-cluster Service name, which exists only where the control plane runs.
 */
export function planClusterGateway(g: GatewayConfig, clusterName: string, site?: ControlPlaneSite): ClusterGatewayPlan {
  validateGatewayConfig(g);
  const hostname = g.dnsZone ? `${clusterName}.${g.dnsZone}` : undefined;
  let tls: GatewayTls;
  if (g.tls.certificateSecret) {
    tls = {
      mode: "secret",
      name: g.tls.certificateSecret.name,
      ...(g.tls.certificateSecret.namespace ? { namespace: g.tls.certificateSecret.namespace } : {}),
    };
  } else if (hostname && g.tls.acmeEmail) {
    tls = { mode: "acme", email: g.tls.acmeEmail, server: g.tls.acmeServer ?? LETS_ENCRYPT_PRODUCTION };
  } else {
    // Nothing to prove a name with: a self-signed certificate (clients must trust it explicitly).
    tls = { mode: "self-signed", commonName: hostname ?? `${clusterName}.gateway.modelplane.invalid` };
  }
  return {
    envoyGatewayVersion: g.envoyGatewayVersion ?? ADDONS["envoy-gateway"].version,
    certManagerVersion: g.certManagerVersion ?? ADDONS["cert-manager"].version,
    ...(hostname ? { hostname } : {}),
    tls,
    ...(g.dns && g.dnsZone
      ? {
          dns: {
            cloud: g.dns.cloud,
            zone: g.dnsZone,
            zoneId: g.dns.zoneId,
            ttl: g.dns.ttl,
            ...(g.dns.project ? { project: g.dns.project } : {}),
          },
        }
      : {}),
    auth: authTarget(g, clusterName, site),
    requestsPerMinute: g.rateLimit.requestsPerMinute,
  };
}

function authTarget(g: GatewayConfig, clusterName: string, site: ControlPlaneSite | undefined): GatewayAuth {
  const remote =
    !g.auth.url && !g.auth.service && site && site.cluster !== clusterName && g.dnsZone
      ? controlPlaneUrl(`https://${site.cluster}.${g.dnsZone}`, undefined)
      : undefined;
  const url = g.auth.url ?? remote;
  if (url) {
    const u = new URL(url);
    const base = u.pathname.replace(/\/+$/, "");
    return {
      kind: "external",
      hostname: u.hostname,
      port: u.port ? Number(u.port) : 443,
      pathPrefix: `${base}${AUTH_CHECK_PATH}`,
    };
  }
  const s = g.auth.service ?? defaultAuthService(site?.namespace);
  return { kind: "service", name: s.name, namespace: s.namespace, port: s.port, pathPrefix: AUTH_CHECK_PATH };
}
