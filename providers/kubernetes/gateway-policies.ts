/**
 * The gateway's policy objects, as plain Kubernetes objects (pure builders; ./gateway.ts has the
 * Gateway itself and the names every object here refers to):
 *
 * - the control plane as an ext-auth `Backend` (and its `BackendTLSPolicy` when external);
 * - the `SecurityPolicy` that makes the control plane check every model request's inference key;
 * - the `BackendTrafficPolicy` with one global rate-limit bucket per inference key;
 * - the catch-all 404 in OpenAI's error shape (`HTTPRouteFilter` + `HTTPRoute`).
 *
 * Field names are Envoy Gateway's v1alpha1 API (api/v1alpha1/{ext_auth,ratelimit,httproutefilter,
 * backend}_types.go in envoyproxy/gateway, read 2026-11-30); their required fields are checked
 * offline by providers/limits/gateway-crds.ts.
 */
import {
  GATEWAY_NAMES,
  gatewayMeta as meta,
  HTTPS_LISTENER,
  INFERENCE_KEY_HEADER,
  TENANT_HEADER,
  type K8sObject,
} from "./gateway";
/** Where the check goes: an FQDN and port (an in-cluster Service's DNS name, or the control plane's public host). */
export interface AuthEndpoint {
  hostname: string;
  port: number;
  /** TLS to the endpoint, verified against the system CAs (external URLs). */
  tls: boolean;
  /** The check path prefix; Envoy appends the request's own path. */
  pathPrefix: string;
}

/** The control plane as an Envoy Gateway `Backend` (FQDN endpoint). */
export function authBackend(e: AuthEndpoint): K8sObject {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "Backend",
    metadata: meta(GATEWAY_NAMES.authBackend),
    spec: { endpoints: [{ fqdn: { hostname: e.hostname, port: e.port } }] },
  };
}

/** TLS to an external control plane, verified with the system CAs against its hostname. */
export function authBackendTls(e: AuthEndpoint): K8sObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "BackendTLSPolicy",
    metadata: meta(GATEWAY_NAMES.authBackend),
    spec: {
      targetRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: GATEWAY_NAMES.authBackend }],
      validation: { hostname: e.hostname, wellKnownCACertificates: "System" },
    },
  };
}

const HTTPS_TARGET = [
  { group: "gateway.networking.k8s.io", kind: "Gateway", name: GATEWAY_NAMES.gateway, sectionName: HTTPS_LISTENER },
];

/**
 * Ext auth on the HTTPS listener: every request is checked by the control plane first (fail
 * closed). A route's own SecurityPolicy replaces it on that route (the control plane's API route
 * does so, ./control-plane.ts); the HTTP listener admits only this namespace's routes (redirect,
 * ACME challenge), so it needs no policy.
 */
export function securityPolicy(e: AuthEndpoint): K8sObject {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "SecurityPolicy",
    metadata: meta(GATEWAY_NAMES.securityPolicy),
    spec: {
      targetRefs: HTTPS_TARGET,
      extAuth: {
        failOpen: false,
        http: {
          backendRefs: [{ group: "gateway.envoyproxy.io", kind: "Backend", name: GATEWAY_NAMES.authBackend }],
          path: e.pathPrefix,
          headersToBackend: [TENANT_HEADER, INFERENCE_KEY_HEADER],
        },
      },
    },
  };
}

/** One rate-limit bucket per distinct inference key, `requestsPerMinute` across every Envoy replica and route. */
export function rateLimitPolicy(requestsPerMinute: number): K8sObject {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: meta(GATEWAY_NAMES.rateLimit),
    spec: {
      // The whole Gateway: BackendTrafficPolicy's CEL rules refuse `sectionName` ("this policy does
      // not yet support the sectionName field", envoyproxy/gateway backendtrafficpolicy_types.go).
      // Requests without the key header (ACME, redirects) match no selector and are not counted.
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: GATEWAY_NAMES.gateway }],
      rateLimit: {
        type: "Global",
        global: {
          rules: [
            {
              clientSelectors: [{ headers: [{ name: INFERENCE_KEY_HEADER, type: "Distinct" }] }],
              limit: { requests: requestsPerMinute, unit: "Minute" },
              shared: true,
            },
          ],
        },
      },
    },
  };
}

/** The body of the gateway's 404: OpenAI's error shape. */
export function notFoundBody(): string {
  return JSON.stringify({
    error: {
      message:
        "No model is served at this path. Call https://<gateway>/<namespace>/<service>/v1 (the deployment's endpoint.url) as the OpenAI base URL.",
      type: "invalid_request_error",
      param: null,
      code: "model_not_found",
    },
  });
}

export function notFoundFilter(): K8sObject {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "HTTPRouteFilter",
    metadata: meta(GATEWAY_NAMES.notFoundFilter),
    spec: {
      directResponse: {
        statusCode: 404,
        contentType: "application/json",
        body: { type: "Inline", inline: notFoundBody() },
      },
    },
  };
}

/** Catch-all on the HTTPS listener: any path no model route claims gets the 404 above. */
export function notFoundRoute(): K8sObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: meta(GATEWAY_NAMES.notFoundRoute),
    spec: {
      parentRefs: [{ name: GATEWAY_NAMES.gateway, sectionName: HTTPS_LISTENER }],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          filters: [
            {
              type: "ExtensionRef",
              extensionRef: {
                group: "gateway.envoyproxy.io",
                kind: "HTTPRouteFilter",
                name: GATEWAY_NAMES.notFoundFilter,
              },
            },
          ],
        },
      ],
    },
  };
}
