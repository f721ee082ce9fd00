/**
 * The objects of a cluster's inference gateway, as plain Kubernetes objects (pure builders, tested
 * without mocks; `components/ClusterGateway.ts` registers them):
 *
 * - Envoy Gateway (chart `gateway-helm`) with the `Backend` API on and global rate limiting backed
 *   by a Redis it can reach; cert-manager with its Gateway API support on;
 * - a `GatewayClass` and a `Gateway` with an HTTPS listener (TLS terminated with the certificate
 *   cert-manager writes, or one given) and an HTTP listener (ACME HTTP-01, redirect to HTTPS);
 * - the certificate's issuer and `Certificate`, and the Redis the rate-limit counters live in.
 *
 * The auth and rate-limit policies and the catch-all 404 are in ./gateway-policies.ts. Field names
 * are Gateway API v1, Envoy Gateway's v1alpha1 API and cert-manager's v1 API; their required fields
 * are checked offline by providers/limits/gateway-crds.ts.
 */
import { ADDONS } from "../limits/addons";

/** Headers the control plane's check answers with, forwarded to the model (GatewayOutput contract). */
export const TENANT_HEADER = "x-modelplane-tenant";
export const INFERENCE_KEY_HEADER = "x-modelplane-inference-key";

/** Namespace of Envoy Gateway, its Gateway and every gateway object here. */
export const GATEWAY_NAMESPACE = ADDONS["envoy-gateway"].namespace;
/** The GatewayClass's controller (Envoy Gateway's default `controllerName`). */
export const ENVOY_GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";
export const HTTPS_LISTENER = "https";
export const HTTP_LISTENER = "http";
/** Object names, fixed per cluster (one gateway per cluster). */
export const GATEWAY_NAMES = {
  gatewayClass: "modelplane",
  gateway: "modelplane",
  certificateSecret: "modelplane-gateway-tls",
  issuer: "modelplane-gateway",
  authBackend: "modelplane-auth",
  securityPolicy: "modelplane-auth",
  rateLimit: "modelplane-rate-limit",
  notFoundFilter: "modelplane-not-found",
  notFoundRoute: "modelplane-not-found",
  redirectRoute: "modelplane-https-redirect",
  redis: "modelplane-ratelimit-redis",
  envoyProxy: "modelplane",
} as const;

/** Labels on the Gateway naming the cloud and region of the load balancer it creates (read by ./cost.ts). */
export const LB_CLOUD_LABEL = "modelplane.dev/lb-cloud";
export const LB_REGION_LABEL = "modelplane.dev/lb-region";

/**
 * Annotations the Envoy Service needs per cloud for the load balancer the catalog prices. EKS's
 * in-tree controller makes a Classic ELB unless told `nlb`
 * (https://kubernetes.io/docs/concepts/services-networking/service/#aws-nlb-support, read
 * 2026-11-30); GKE and AKS make a regional passthrough NLB (forwarding rule) / Standard LB by default.
 */
export const LB_SERVICE_ANNOTATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
};

/**
 * The Redis image Envoy Gateway's rate-limit service keeps counters in: the one Envoy Gateway's
 * global rate limit task deploys (https://gateway.envoyproxy.io/docs/tasks/traffic/global-rate-limit/,
 * read 2026-11-30). Counters only: no persistence, a restart resets the minute's counts.
 */
export const REDIS_IMAGE = "redis:6.0.6";
export const REDIS_PORT = 6379;
export const REDIS_URL = `${GATEWAY_NAMES.redis}.${GATEWAY_NAMESPACE}.svc.cluster.local:${REDIS_PORT}`;

/**
 * The address a gateway's load balancer has before it exists (an offline plan, a preview): a name
 * under `.invalid` (RFC 2606: reserved, never resolves), so a URL built from it is well-formed and
 * says what it is, and nothing can reach it by accident.
 */
export function addressKnownAfterApply(name: string): string {
  return `${name}.address-known-after-apply.invalid`;
}

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

const LABELS = { "app.kubernetes.io/managed-by": "modelplane", "app.kubernetes.io/part-of": "modelplane-gateway" };

/** Metadata of a gateway object: its name, the gateway namespace (unless cluster-scoped), the shared labels. */
export function gatewayMeta(name: string, namespaced = true): K8sObject["metadata"] {
  return { name, ...(namespaced ? { namespace: GATEWAY_NAMESPACE } : {}), labels: { ...LABELS } };
}

/** Helm values of the Envoy Gateway chart: the Backend API on, global rate limits in Redis. */
export function envoyGatewayValues(): Record<string, unknown> {
  return {
    config: {
      envoyGateway: {
        extensionApis: { enableBackend: true },
        rateLimit: { backend: { type: "Redis", redis: { url: REDIS_URL } } },
      },
    },
  };
}

/** Helm values of cert-manager: install its CRDs, and solve HTTP-01 through Gateway API routes. */
export function certManagerValues(): Record<string, unknown> {
  return {
    crds: { enabled: true },
    config: {
      apiVersion: "controller.config.cert-manager.io/v1alpha1",
      kind: "ControllerConfiguration",
      enableGatewayAPI: true,
    },
  };
}

/** The GatewayClass, parameterised by the EnvoyProxy below. */
export function gatewayClass(): K8sObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: gatewayMeta(GATEWAY_NAMES.gatewayClass, false),
    spec: {
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      parametersRef: {
        group: "gateway.envoyproxy.io",
        kind: "EnvoyProxy",
        name: GATEWAY_NAMES.envoyProxy,
        namespace: GATEWAY_NAMESPACE,
      },
    },
  };
}

/** How Envoy Gateway runs the proxy: its Service carries the cloud's load-balancer annotations. */
export function envoyProxy(cloud: string | undefined): K8sObject {
  const annotations = cloud ? (LB_SERVICE_ANNOTATIONS[cloud] ?? {}) : {};
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyProxy",
    metadata: gatewayMeta(GATEWAY_NAMES.envoyProxy),
    spec: {
      provider: {
        type: "Kubernetes",
        kubernetes: {
          envoyService: { type: "LoadBalancer", ...(Object.keys(annotations).length ? { annotations } : {}) },
        },
      },
    },
  };
}

export interface GatewayObjectArgs {
  /** The DNS name clients call; absent: any host (clients call the load balancer's address). */
  hostname?: string;
  /** The TLS Secret the HTTPS listener serves. */
  certificateSecret: { name: string; namespace?: string };
  /** Where the load balancer it creates runs (labels the cost reader prices it by); absent on a brought cluster. */
  loadBalancer?: { cloud: string; region: string };
}

/**
 * The Gateway: HTTPS (443) for every namespace's routes, HTTP (80) for the ACME challenge and the
 * redirect. `pulumi.com/waitFor: condition=Programmed`: the apply waits until Envoy Gateway has
 * given it an address (the load balancer's), which the platform exports.
 */
export function gatewayObject(args: GatewayObjectArgs): K8sObject {
  const host = args.hostname ? { hostname: args.hostname } : {};
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: {
      ...gatewayMeta(GATEWAY_NAMES.gateway),
      labels: {
        ...LABELS,
        ...(args.loadBalancer
          ? { [LB_CLOUD_LABEL]: args.loadBalancer.cloud, [LB_REGION_LABEL]: args.loadBalancer.region }
          : {}),
      },
      annotations: { "pulumi.com/waitFor": "condition=Programmed" },
    },
    spec: {
      gatewayClassName: GATEWAY_NAMES.gatewayClass,
      listeners: [
        {
          name: HTTPS_LISTENER,
          protocol: "HTTPS",
          port: 443,
          ...host,
          tls: {
            mode: "Terminate",
            certificateRefs: [
              {
                kind: "Secret",
                name: args.certificateSecret.name,
                ...(args.certificateSecret.namespace && args.certificateSecret.namespace !== GATEWAY_NAMESPACE
                  ? { namespace: args.certificateSecret.namespace }
                  : {}),
              },
            ],
          },
          allowedRoutes: { namespaces: { from: "All" } },
        },
        { name: HTTP_LISTENER, protocol: "HTTP", port: 80, ...host, allowedRoutes: { namespaces: { from: "Same" } } },
      ],
    },
  };
}

/**
 * A listener's `certificateRefs` may name a Secret in another namespace only when a ReferenceGrant
 * in the Secret's namespace allows Gateways of the Gateway's namespace to read it; without one the
 * listener is not programmed (`ResolvedRefs: False`, reason `RefNotPermitted`):
 * https://gateway-api.sigs.k8s.io/api-types/referencegrant/ and the `certificateRefs` field of
 * https://gateway-api.sigs.k8s.io/reference/spec/#gatewaytlsconfig, read 2026-12-01.
 * Undefined when the Secret is in the Gateway's namespace (no grant needed). Pure.
 */
export function certificateReferenceGrant(secret: { name: string; namespace?: string }): K8sObject | undefined {
  if (!secret.namespace || secret.namespace === GATEWAY_NAMESPACE) return undefined;
  return {
    apiVersion: "gateway.networking.k8s.io/v1beta1",
    kind: "ReferenceGrant",
    metadata: { ...gatewayMeta(`${GATEWAY_NAMES.gateway}-tls-${secret.name}`), namespace: secret.namespace },
    spec: {
      from: [{ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: GATEWAY_NAMESPACE }],
      to: [{ group: "", kind: "Secret", name: secret.name }],
    },
  };
}

/** HTTP → HTTPS redirect on the HTTP listener (the ACME solver's exact-path route is more specific and wins). */
export function httpsRedirectRoute(): K8sObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: gatewayMeta(GATEWAY_NAMES.redirectRoute),
    spec: {
      parentRefs: [{ name: GATEWAY_NAMES.gateway, sectionName: HTTP_LISTENER }],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  };
}

/** ACME issuer answering HTTP-01 through the Gateway's HTTP listener. */
export function acmeIssuer(email: string, server: string): K8sObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Issuer",
    metadata: gatewayMeta(GATEWAY_NAMES.issuer),
    spec: {
      acme: {
        email,
        server,
        privateKeySecretRef: { name: `${GATEWAY_NAMES.issuer}-acme-account` },
        solvers: [
          {
            http01: {
              gatewayHTTPRoute: {
                parentRefs: [
                  {
                    name: GATEWAY_NAMES.gateway,
                    namespace: GATEWAY_NAMESPACE,
                    kind: "Gateway",
                    sectionName: HTTP_LISTENER,
                  },
                ],
              },
            },
          },
        ],
      },
    },
  };
}

/** A self-signed issuer: TLS without a DNS name to prove (clients must trust the certificate explicitly). */
export function selfSignedIssuer(): K8sObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Issuer",
    metadata: gatewayMeta(GATEWAY_NAMES.issuer),
    spec: { selfSigned: {} },
  };
}

/** The listener's certificate, written by cert-manager to `GATEWAY_NAMES.certificateSecret`. */
export function certificate(dnsName: string): K8sObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: gatewayMeta(GATEWAY_NAMES.certificateSecret),
    spec: {
      secretName: GATEWAY_NAMES.certificateSecret,
      commonName: dnsName,
      dnsNames: [dnsName],
      issuerRef: { name: GATEWAY_NAMES.issuer, kind: "Issuer", group: "cert-manager.io" },
    },
  };
}

/** Redis for the rate-limit counters: a Deployment and its Service. */
export function redisObjects(): [K8sObject, K8sObject] {
  const labels = { app: GATEWAY_NAMES.redis };
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: gatewayMeta(GATEWAY_NAMES.redis),
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "redis",
                image: REDIS_IMAGE,
                ports: [{ containerPort: REDIS_PORT, name: "redis" }],
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: gatewayMeta(GATEWAY_NAMES.redis),
      spec: { selector: labels, ports: [{ name: "redis", port: REDIS_PORT, targetPort: REDIS_PORT }] },
    },
  ];
}
