/**
 * Pure builders of the control plane's Kubernetes objects: its Namespace, the Secret holding the
 * database URL and the bootstrap admin key, a ConfigMap (state backend, secrets provider), a ServiceAccount, the API and worker Deployments
 * (separate: `modelplane serve --role api` / `--role worker`, same image), the API's Service, and
 * the HTTPRoute that exposes the API through the cluster's gateway (TLS ends at the gateway's
 * HTTPS listener). Plain objects in, plain manifests out; no Pulumi here. Every object is checked
 * against its upstream schema (`kubernetes-models`, `@kubernetes-models/gateway-api`) in tests.
 *
 * Facts used (read 2026-11-30):
 * - Gateway API HTTPRoute v1: `parentRefs[].sectionName` picks the listener; a `URLRewrite` filter
 *   with `ReplacePrefixMatch` strips a path prefix; `timeouts.request: "0s"` disables the request
 *   timeout (needed by the API's Server-Sent Events streams):
 *   https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 * - A route in another namespace attaches only if the listener's `allowedRoutes.namespaces`
 *   admits it (`from: All` or a selector): https://gateway-api.sigs.k8s.io/guides/multiple-ns/
 * - The gateway's inference-key check is a `SecurityPolicy` on its HTTPS listener. Envoy Gateway
 *   applies the most specific policy of a route (route rule > route > listener > Gateway) and does
 *   not merge them unless the route's policy sets `mergeType`
 *   (https://gateway.envoyproxy.io/v1.5/concepts/gateway_api_extensions/security-policy, section
 *   "Precedence", read 2026-12-01; the translator on main, envoyproxy/gateway
 *   internal/gatewayapi/securitypolicy.go, still does this: a Gateway or listener policy skips every
 *   route whose `Security` a route policy has set, read 2026-12-01). So the API's own
 *   `SecurityPolicy`, on its HTTPRoute with `authorization.defaultAction: Allow`, replaces the
 *   inference-key check there: the API checks its own API keys. A SecurityPolicy targets only
 *   objects in its own namespace, so it lives beside the route.
 */

/** The port `modelplane serve` listens on in the image (Dockerfile `PORT`). */
export const CONTROL_PLANE_PORT = 8080;
/** Base of every control plane object's name (the ControlPlane component's). */
export const CONTROL_PLANE_NAME = "modelplane";
/** Namespace of the control plane's objects when the config names none. */
export const DEFAULT_CONTROL_PLANE_NAMESPACE = "modelplane-system";
/** Port of the API's ClusterIP Service; it forwards to the container's `http` port (`CONTROL_PLANE_PORT`). */
export const API_SERVICE_PORT = 80;

/** An in-cluster Service by name, namespace and port. */
export interface ServiceRef {
  name: string;
  namespace: string;
  port: number;
}

/**
 * The API's Service as `controlPlaneManifests` creates it. The one source of its name, namespace and
 * port: the gateway's default ext-auth target (programs/platform/gateway-config.ts) is this. Pure.
 */
export function apiServiceRef(
  namespace: string = DEFAULT_CONTROL_PLANE_NAMESPACE,
  name: string = CONTROL_PLANE_NAME,
): ServiceRef {
  return { name: `${name}-api`, namespace, port: API_SERVICE_PORT };
}
/** The image's unprivileged user (Dockerfile `USER`). */
export const CONTROL_PLANE_UID = 10001;
/**
 * Path prefix of the API on a gateway without an API hostname. Model routes use
 * `/<namespace>/<service>/`; a Kubernetes namespace is a DNS label and never has `_`, so no model
 * route can claim this prefix.
 */
export const API_PATH_PREFIX = "/_modelplane";

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

/** The gateway an HTTPRoute attaches to (a subset of the platform's `GatewayOutput`). */
export interface GatewayParent {
  name: string;
  namespace: string;
  listener: string;
}

export interface ControlPlaneWorkload {
  replicas: number;
  cpu: string;
  memory: string;
}

export interface ControlPlaneManifestInput {
  /** Base of every object's name (`modelplane`). */
  name: string;
  namespace: string;
  /** The control plane image, pinned (tag or digest). */
  image: string;
  api: ControlPlaneWorkload;
  worker: ControlPlaneWorkload & {
    /** Operations one worker pod runs at once (MODELPLANE_WORKERS). */ concurrency: number;
  };
  /** Plain environment of both Deployments, fixed at plan time (MODELPLANE_ENV, platform stack, ...). */
  env: Record<string, string>;
  /** The ConfigMap both Deployments read (backend URL, secrets provider: known after the cloud creates them). */
  config: Record<string, string>;
  /** Secret values (DATABASE_URL, MODELPLANE_ADMIN_KEY, PULUMI_ACCESS_TOKEN); already resolved. */
  secret: Record<string, string>;
  /** The gateway to attach to; absent: no HTTPRoute (the API is reachable in-cluster only). */
  gateway?: GatewayParent;
  /** The API's hostname on the gateway; absent: served under `API_PATH_PREFIX` on the gateway's host. */
  hostname?: string;
  labels?: Record<string, string>;
  /** Extra labels on the API and worker pods only (Azure Workload ID's `azure.workload.identity/use`). */
  podLabels?: Record<string, string>;
}

const selectorOf = (name: string, role: string) => ({
  "app.kubernetes.io/name": name,
  "app.kubernetes.io/component": role,
});

function deployment(
  i: ControlPlaneManifestInput,
  role: "api" | "worker",
  w: ControlPlaneWorkload,
  extraEnv: Record<string, string>,
): Manifest {
  const labels = { ...(i.labels ?? {}), ...selectorOf(i.name, role), "app.kubernetes.io/part-of": "modelplane" };
  const env = { ...i.env, ...extraEnv, MODELPLANE_ROLE: role };
  const probe = (path: string, period: number) => ({
    httpGet: { path, port: "http" },
    periodSeconds: period,
    timeoutSeconds: 5,
    failureThreshold: 3,
  });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `${i.name}-${role}`, namespace: i.namespace, labels },
    spec: {
      replicas: w.replicas,
      selector: { matchLabels: selectorOf(i.name, role) },
      // Workers park running operations on SIGTERM; another worker resumes them.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...labels, ...(i.podLabels ?? {}) } },
        spec: {
          serviceAccountName: i.name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: role === "worker" ? 120 : 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: CONTROL_PLANE_UID,
            runAsGroup: CONTROL_PLANE_UID,
            fsGroup: CONTROL_PLANE_UID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: role,
              image: i.image,
              args: ["serve", "--role", role],
              ports: [{ name: "http", containerPort: CONTROL_PLANE_PORT, protocol: "TCP" }],
              env: Object.entries(env)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([name, value]) => ({ name, value })),
              envFrom: [{ configMapRef: { name: `${i.name}-config` } }, { secretRef: { name: `${i.name}-secrets` } }],
              readinessProbe: probe("/readyz", 10),
              livenessProbe: { ...probe("/healthz", 20), initialDelaySeconds: 30 },
              resources: {
                requests: { cpu: w.cpu, memory: w.memory },
                limits: { memory: w.memory },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/modelplane" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          // Stack work dirs and the CLI's plugin cache: scratch; the state lives in the backend.
          volumes: [
            { name: "data", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** Every object of the control plane, in apply order. Pure. */
export function controlPlaneManifests(i: ControlPlaneManifestInput): Manifest[] {
  const labels = { ...(i.labels ?? {}), "app.kubernetes.io/part-of": "modelplane" };
  const meta = (name: string) => ({ name, namespace: i.namespace, labels });
  const api = apiServiceRef(i.namespace, i.name);
  const out: Manifest[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: i.namespace, labels } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(i.name), automountServiceAccountToken: false },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${i.name}-config`), data: i.config },
    { apiVersion: "v1", kind: "Secret", metadata: meta(`${i.name}-secrets`), type: "Opaque", stringData: i.secret },
    deployment(i, "api", i.api, {}),
    deployment(i, "worker", i.worker, { MODELPLANE_WORKERS: String(i.worker.concurrency) }),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(api.name),
      spec: {
        type: "ClusterIP",
        selector: selectorOf(i.name, "api"),
        ports: [{ name: "http", port: api.port, targetPort: "http", protocol: "TCP" }],
      },
    },
  ];
  if (i.gateway) out.push(apiRoute(i, i.gateway), apiRouteSecurityPolicy(i));
  return out;
}

/**
 * The API route's own SecurityPolicy: allow every request at the gateway, which replaces the HTTPS
 * listener's inference-key check on this route (see the header). The API authenticates its callers
 * with its own API keys.
 */
function apiRouteSecurityPolicy(i: ControlPlaneManifestInput): Manifest {
  const route = apiServiceRef(i.namespace, i.name).name;
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "SecurityPolicy",
    metadata: { name: `${route}-no-inference-key`, namespace: i.namespace, labels: { ...(i.labels ?? {}) } },
    spec: {
      targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: route }],
      authorization: { defaultAction: "Allow" },
    },
  };
}

function apiRoute(i: ControlPlaneManifestInput, g: GatewayParent): Manifest {
  const prefix = i.hostname ? "/" : API_PATH_PREFIX;
  const api = apiServiceRef(i.namespace, i.name);
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: api.name, namespace: i.namespace, labels: { ...(i.labels ?? {}) } },
    spec: {
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: g.name,
          namespace: g.namespace,
          sectionName: g.listener,
        },
      ],
      ...(i.hostname ? { hostnames: [i.hostname] } : {}),
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: prefix } }],
          ...(i.hostname
            ? {}
            : {
                filters: [
                  { type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } },
                ],
              }),
          backendRefs: [{ name: api.name, port: api.port }],
          // Server-Sent Events streams stay open: no request timeout on the API route.
          timeouts: { request: "0s" },
        },
      ],
    },
  };
}

/** The API's external URL through the gateway. Pure. */
export function controlPlaneUrl(gatewayUrl: string, hostname: string | undefined): string {
  return hostname ? `https://${hostname}` : `${gatewayUrl.replace(/\/+$/, "")}${API_PATH_PREFIX}`;
}
