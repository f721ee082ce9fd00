/**
 * ClusterGateway: the inference gateway of one cluster (issue 14). Installs Envoy Gateway and
 * cert-manager (pinned charts), then a Gateway with TLS, ext auth against the control plane, a
 * per-key rate limit, a catch-all 404 in OpenAI's error shape and, with a DNS zone, the record
 * `<cluster>.<zone>` in the configured cloud's DNS. The objects are built by
 * `providers/kubernetes/gateway.ts` and `gateway-policies.ts`; this component registers them in order. Its outputs fill
 * `clusters.<name>.gateway` (`GatewayOutput`, programs/platform/outputs.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { Cloud } from "../platform/core/types";
import { ValidationError } from "../platform/core/validation";
import { ADDONS } from "../providers/limits/addons";
import { providerFor } from "../providers/registry";
import {
  acmeIssuer,
  addressKnownAfterApply,
  certificate,
  certManagerValues,
  certificateReferenceGrant,
  envoyProxy,
  envoyGatewayValues,
  gatewayClass,
  gatewayObject,
  GATEWAY_NAMES,
  GATEWAY_NAMESPACE,
  HTTPS_LISTENER,
  httpsRedirectRoute,
  redisObjects,
  selfSignedIssuer,
  type K8sObject,
} from "../providers/kubernetes/gateway";
import {
  authBackend,
  authBackendTls,
  notFoundFilter,
  notFoundRoute,
  rateLimitPolicy,
  securityPolicy,
  type AuthEndpoint,
} from "../providers/kubernetes/gateway-policies";

/** How the HTTPS listener gets its certificate. */
export type GatewayTls =
  | { mode: "acme"; email: string; server: string }
  | { mode: "secret"; name: string; namespace?: string }
  | { mode: "self-signed"; commonName: string };

/** Where ext auth calls: an in-cluster Service, or an external https host (through a `Backend`). */
export type GatewayAuth =
  | { kind: "service"; name: string; namespace: string; port: number; pathPrefix: string }
  | { kind: "external"; hostname: string; port: number; pathPrefix: string };

/** The DNS record of the gateway, in `cloud`'s DNS service. */
export interface GatewayDns {
  cloud: Cloud;
  /** The DNS zone (`models.example.com`); `hostname` must be inside it. */
  zone: string;
  /** Route53 hosted zone id, Cloud DNS managed zone name, or Azure DNS resource group. */
  zoneId: string;
  /** GCP only: the managed zone's project. */
  project?: string;
  /** Seconds. */
  ttl: number;
}

/** Arguments of a ClusterGateway. */
export interface ClusterGatewayArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** The DNS name clients call (`<cluster>.<zone>`); absent: clients call the load balancer's address. */
  hostname?: string;
  /** The listener certificate: ACME (needs `hostname`), a given Secret, or self-signed. */
  tls: GatewayTls;
  /** The control plane's check endpoint. */
  auth: GatewayAuth;
  /** Requests per minute per inference key (a whole number ≥ 1). */
  requestsPerMinute: number;
  /** Envoy Gateway chart version (default: the pinned row of providers/limits/addons.ts). */
  envoyGatewayVersion?: string;
  /** cert-manager chart version (default: the pinned row). */
  certManagerVersion?: string;
  /** Create `hostname` in a cloud's DNS service (needs `hostname`). */
  dns?: GatewayDns;
  /** The cluster's cloud and region (its load balancer is priced there); absent for a brought cluster. */
  loadBalancer?: { cloud: Cloud; region: string };
  /** The cluster's name in the platform outputs; names the address placeholder before apply (default: this component's name). */
  clusterName?: string;
  /** Labels on every object (cost tags: owner, cost-center, managed-by). */
  labels?: Record<string, string>;
  /** Resources the charts wait for (the cluster's control plane and system pool). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Check the arguments first; errors name the argument. Pure. */
export function validateClusterGatewayArgs(args: Omit<ClusterGatewayArgs, "provider">): void {
  if (!Number.isInteger(args.requestsPerMinute) || args.requestsPerMinute < 1) {
    throw new ValidationError("requestsPerMinute", `must be a whole number ≥ 1, got ${args.requestsPerMinute}`);
  }
  if (args.tls.mode === "acme" && !args.hostname) {
    throw new ValidationError("tls", "ACME needs hostname: a certificate is issued for a DNS name, not an address");
  }
  if (args.dns && !args.hostname) throw new ValidationError("dns", "needs hostname (the record's name)");
  if (args.dns && args.hostname && !args.hostname.endsWith(`.${args.dns.zone}`)) {
    throw new ValidationError("dns.zone", `hostname ${args.hostname} is not inside zone ${args.dns.zone}`);
  }
  if (!args.auth.pathPrefix.startsWith("/")) throw new ValidationError("auth.pathPrefix", "must start with /");
}

/** The ext auth endpoint of an auth target (an in-cluster Service is reached by its cluster DNS name). Pure. */
export function authEndpoint(auth: GatewayAuth): AuthEndpoint {
  return auth.kind === "service"
    ? {
        hostname: `${auth.name}.${auth.namespace}.svc.cluster.local`,
        port: auth.port,
        tls: false,
        pathPrefix: auth.pathPrefix,
      }
    : { hostname: auth.hostname, port: auth.port, tls: true, pathPrefix: auth.pathPrefix };
}

/** Every Kubernetes object of the gateway after the charts, in apply order, with the role in its child name. Pure. */
export function planGatewayObjects(args: Omit<ClusterGatewayArgs, "provider">): Array<[role: string, obj: K8sObject]> {
  const e = authEndpoint(args.auth);
  const secret =
    args.tls.mode === "secret"
      ? { name: args.tls.name, ...(args.tls.namespace ? { namespace: args.tls.namespace } : {}) }
      : { name: GATEWAY_NAMES.certificateSecret };
  const out: Array<[string, K8sObject]> = [];
  const [redis, redisService] = redisObjects();
  out.push(["redis", redis], ["redis-service", redisService]);
  if (args.tls.mode === "acme") {
    out.push(["issuer", acmeIssuer(args.tls.email, args.tls.server)]);
    out.push(["certificate", certificate(args.hostname ?? "")]);
  } else if (args.tls.mode === "self-signed") {
    out.push(["issuer", selfSignedIssuer()], ["certificate", certificate(args.hostname ?? args.tls.commonName)]);
  }
  const grant = certificateReferenceGrant(secret);
  if (grant) out.push(["tls-reference-grant", grant]);
  out.push(["proxy", envoyProxy(args.loadBalancer?.cloud)], ["class", gatewayClass()]);
  out.push([
    "gateway",
    gatewayObject({
      ...(args.hostname ? { hostname: args.hostname } : {}),
      certificateSecret: secret,
      ...(args.loadBalancer ? { loadBalancer: args.loadBalancer } : {}),
    }),
  ]);
  out.push(["https-redirect", httpsRedirectRoute()]);
  out.push(["auth-backend", authBackend(e)]);
  if (e.tls) out.push(["auth-backend-tls", authBackendTls(e)]);
  out.push(["auth", securityPolicy(e)]);
  out.push(["rate-limit", rateLimitPolicy(args.requestsPerMinute)]);
  out.push(["not-found-filter", notFoundFilter()], ["not-found", notFoundRoute()]);
  const labels = args.labels ?? {};
  return out.map(([role, obj]) => [
    role,
    { ...obj, metadata: { ...obj.metadata, labels: { ...labels, ...obj.metadata.labels } } },
  ]);
}

/** The gateway's address from the Gateway's status (`status.addresses[0].value`), if any. Pure. */
export function addressFromStatus(status: unknown): string | undefined {
  const addresses = (status as { addresses?: Array<{ value?: unknown }> } | undefined)?.addresses;
  const v = Array.isArray(addresses) ? addresses[0]?.value : undefined;
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export class ClusterGateway extends pulumi.ComponentResource {
  /** The Gateway's name and namespace, and its HTTPS listener (an HTTPRoute's parentRef). */
  readonly gatewayName: string = GATEWAY_NAMES.gateway;
  readonly namespace: string = GATEWAY_NAMESPACE;
  readonly listener: string = HTTPS_LISTENER;
  /** The load balancer's address (IP or DNS name), from the Gateway's status once programmed. */
  readonly address: pulumi.Output<string>;
  /** The DNS name when configured, else the address. */
  readonly hostname: pulumi.Output<string>;
  /** `https://<hostname>`. */
  readonly url: pulumi.Output<string>;
  /** The Gateway object. */
  readonly gateway: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ClusterGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("modelplane:network:ClusterGateway", name, {}, opts);
    validateClusterGatewayArgs(args);
    const provider = args.provider;
    const child = { parent: this, provider };

    const eg = ADDONS["envoy-gateway"];
    const envoyGateway = new k8s.helm.v3.Release(
      `${name}-envoy-gateway`,
      {
        name: "eg",
        chart: eg.repo,
        version: args.envoyGatewayVersion ?? eg.version,
        namespace: eg.namespace,
        createNamespace: true,
        values: envoyGatewayValues(),
      },
      { ...child, dependsOn: args.dependsOn ?? [] },
    );
    const cm = ADDONS["cert-manager"];
    // After Envoy Gateway: cert-manager's Gateway API support needs the Gateway API CRDs at start.
    const certManager = new k8s.helm.v3.Release(
      `${name}-cert-manager`,
      {
        name: cm.chart,
        chart: cm.chart,
        version: args.certManagerVersion ?? cm.version,
        repositoryOpts: { repo: cm.repo },
        namespace: cm.namespace,
        createNamespace: true,
        values: certManagerValues(),
      },
      { ...child, dependsOn: [envoyGateway] },
    );

    let gateway: k8s.apiextensions.CustomResource | undefined;
    const made: pulumi.Resource[] = [];
    for (const [role, obj] of planGatewayObjects(args)) {
      const after = obj.apiVersion.startsWith("cert-manager.io") ? [certManager] : [envoyGateway];
      const dependsOn = [...after, ...(role === "gateway" ? made.filter((r) => r !== undefined) : [])];
      if (obj.kind === "Deployment") {
        made.push(
          new k8s.apps.v1.Deployment(`${name}-${role}`, obj as unknown as k8s.apps.v1.DeploymentArgs, {
            ...child,
            dependsOn,
          }),
        );
      } else if (obj.kind === "Service") {
        made.push(
          new k8s.core.v1.Service(`${name}-${role}`, obj as unknown as k8s.core.v1.ServiceArgs, {
            ...child,
            dependsOn,
          }),
        );
      } else {
        // `status` as an (empty) input makes it an output: the Gateway's address is read from it.
        const withStatus = obj.kind === "Gateway" ? { ...obj, status: undefined } : obj;
        const r = new k8s.apiextensions.CustomResource(`${name}-${role}`, withStatus, { ...child, dependsOn });
        if (obj.kind === "Gateway") gateway = r;
        made.push(r);
      }
    }
    if (!gateway) throw new Error("ClusterGateway: no Gateway object planned");
    this.gateway = gateway;

    const status = (gateway as unknown as Record<string, pulumi.Output<unknown> | undefined>)["status"];
    this.address = (status ?? pulumi.output(undefined)).apply(
      (s) => addressFromStatus(s) ?? addressKnownAfterApply(args.clusterName ?? name),
    );
    if (args.dns && args.hostname) {
      const dns = providerFor(args.dns.cloud).dns;
      if (!dns)
        throw new ValidationError("dns.cloud", `${args.dns.cloud} has no DNS provider in providers/${args.dns.cloud}`);
      dns.createRecord(
        `${name}-dns`,
        {
          zoneId: args.dns.zoneId,
          zone: args.dns.zone,
          fqdn: args.hostname,
          address: this.address,
          ttl: args.dns.ttl,
          ...(args.dns.project ? { project: args.dns.project } : {}),
        },
        this,
      );
    }
    this.hostname = args.hostname ? pulumi.output(args.hostname) : this.address;
    this.url = this.hostname.apply((h) => `https://${h}`);
    this.registerOutputs({ address: this.address, hostname: this.hostname, url: this.url });
  }
}
