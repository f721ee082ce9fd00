/**
 * Required-field contracts of the custom resources the inference gateway creates that no
 * `@kubernetes-models/*` package ships: Envoy Gateway's v1alpha1 policies, filter and Backend,
 * Gateway API's v1 BackendTLSPolicy (the pinned models package has only v1alpha2) and
 * cert-manager's Issuer and Certificate. Written down from each project's API types, with the
 * source, so the offline plan can check the objects (platform/service/plan/checks/gateway-crds.ts).
 *
 * A path is dotted; `[]` walks every element of an array. A `required` path must be present
 * whenever its parent is; `oneOf` lists sibling fields of which exactly one must be present
 * wherever the parent is; `enums` restrict a value where present.
 *
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every row in this file was last compared with its source. */
export const GATEWAY_CRDS_CHECKED = "2026-11-30";

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  readonly url: string;
  readonly title: string;
}

export interface CrdContract {
  readonly apiVersion: string;
  readonly kind: string;
  readonly required: readonly string[];
  readonly oneOf?: readonly { readonly at: string; readonly fields: readonly string[] }[];
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  readonly source: SourceRef;
  readonly checked: string;
}

const EG = "gateway.envoyproxy.io/v1alpha1";
const egSource = (file: string): SourceRef => ({
  url: `https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/${file}`,
  title: `envoyproxy/gateway api/v1alpha1/${file}`,
});
const CERT_MANAGER_SOURCE: SourceRef = {
  url: "https://github.com/openshift/cert-manager-operator/blob/cert-manager-1.14/config/crd/bases/issuers.cert-manager.io-crd.yaml",
  title: "cert-manager CRDs issuers/certificates.cert-manager.io v1 (as shipped with cert-manager v1.14.7)",
};

/** `targetRefs[]` of a policy (LocalPolicyTargetReference: group, kind, name). */
const TARGET_REFS = ["spec.targetRefs[].group", "spec.targetRefs[].kind", "spec.targetRefs[].name"];

export const GATEWAY_CRDS: readonly CrdContract[] = [
  // SecurityPolicy targets: a Gateway, a listener (Gateway + `sectionName`, envoyproxy/gateway#5916,
  // merged 2025-05), an xRoute or a route rule; the most specific target applies and replaces the
  // others (no merge unless the route's policy sets `mergeType`): "Precedence" in
  // https://gateway.envoyproxy.io/v1.5/concepts/gateway_api_extensions/security-policy and
  // internal/gatewayapi/securitypolicy.go on main, read 2026-12-01. A policy targets objects of
  // its own namespace only. `authorization.defaultAction` defaults to Deny.
  {
    apiVersion: EG,
    kind: "SecurityPolicy",
    required: ["spec", ...TARGET_REFS, "spec.extAuth.http.backendRefs[].name", "spec.extAuth.grpc.backendRefs[].name"],
    oneOf: [
      { at: "spec", fields: ["targetRef", "targetRefs", "targetSelectors"] },
      { at: "spec.extAuth", fields: ["http", "grpc"] },
    ],
    enums: { "spec.authorization.defaultAction": ["Allow", "Deny"] },
    source: egSource("ext_auth_types.go"),
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: EG,
    kind: "BackendTrafficPolicy",
    required: [
      "spec",
      ...TARGET_REFS,
      "spec.rateLimit.global.rules",
      "spec.rateLimit.global.rules[].limit",
      "spec.rateLimit.global.rules[].limit.requests",
      "spec.rateLimit.global.rules[].limit.unit",
      "spec.rateLimit.global.rules[].clientSelectors[].headers[].name",
      "spec.rateLimit.local.rules[].limit",
      "spec.rateLimit.local.rules[].limit.requests",
      "spec.rateLimit.local.rules[].limit.unit",
    ],
    oneOf: [{ at: "spec", fields: ["targetRef", "targetRefs", "targetSelectors"] }],
    enums: {
      "spec.rateLimit.type": ["Global", "Local"],
      "spec.rateLimit.global.rules[].limit.unit": ["Second", "Minute", "Hour", "Day", "Month", "Year"],
      "spec.rateLimit.global.rules[].clientSelectors[].headers[].type": ["Exact", "RegularExpression", "Distinct"],
    },
    source: egSource("ratelimit_types.go"),
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: EG,
    kind: "HTTPRouteFilter",
    required: ["spec"],
    enums: { "spec.directResponse.body.type": ["Inline", "ValueRef"] },
    source: egSource("httproutefilter_types.go"),
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: EG,
    kind: "EnvoyProxy",
    required: ["spec.provider.type"],
    enums: { "spec.provider.type": ["Kubernetes", "Host", "Custom"] },
    source: egSource("envoyproxy_types.go"),
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: EG,
    kind: "Backend",
    required: ["spec", "spec.endpoints[].fqdn.hostname", "spec.endpoints[].fqdn.port", "spec.endpoints[].ip.address"],
    oneOf: [{ at: "spec.endpoints[]", fields: ["fqdn", "ip", "unix"] }],
    source: egSource("backend_types.go"),
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "BackendTLSPolicy",
    required: ["spec", "spec.targetRefs", ...TARGET_REFS, "spec.validation", "spec.validation.hostname"],
    oneOf: [{ at: "spec.validation", fields: ["caCertificateRefs", "wellKnownCACertificates"] }],
    enums: { "spec.validation.wellKnownCACertificates": ["System"] },
    source: {
      url: "https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/backendtlspolicy_types.go",
      title: "kubernetes-sigs/gateway-api apis/v1/backendtlspolicy_types.go (standard channel since v1.4)",
    },
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: "cert-manager.io/v1",
    kind: "Issuer",
    required: ["spec", "spec.acme.server", "spec.acme.privateKeySecretRef", "spec.acme.privateKeySecretRef.name"],
    oneOf: [{ at: "spec", fields: ["acme", "ca", "vault", "selfSigned", "venafi"] }],
    source: CERT_MANAGER_SOURCE,
    checked: GATEWAY_CRDS_CHECKED,
  },
  {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    required: ["spec", "spec.secretName", "spec.issuerRef", "spec.issuerRef.name"],
    source: CERT_MANAGER_SOURCE,
    checked: GATEWAY_CRDS_CHECKED,
  },
];

/** One problem with an object against its contract: the field path and what is wrong. */
export interface ContractViolation {
  readonly field: string;
  readonly message: string;
}

type Node = { value: unknown; path: string };

/** Every node a dotted path (with `[]`) reaches from `root`, with its concrete path. */
function walk(root: unknown, path: string): Node[] {
  let nodes: Node[] = [{ value: root, path: "" }];
  for (const raw of path.split(".")) {
    const each = raw.endsWith("[]");
    const key = each ? raw.slice(0, -2) : raw;
    const next: Node[] = [];
    for (const n of nodes) {
      if (typeof n.value !== "object" || n.value === null) continue;
      const v = (n.value as Record<string, unknown>)[key];
      const p = n.path ? `${n.path}.${key}` : key;
      if (each) {
        if (Array.isArray(v)) v.forEach((e, i) => next.push({ value: e, path: `${p}[${i}]` }));
      } else next.push({ value: v, path: p });
    }
    nodes = next;
  }
  return nodes;
}

/** Check an object against a contract. Pure; [] when it holds. */
export function checkCrdContract(contract: CrdContract, obj: unknown): ContractViolation[] {
  const out: ContractViolation[] = [];
  for (const path of contract.required) {
    const cut = path.lastIndexOf(".");
    const parent = cut < 0 ? "" : path.slice(0, cut);
    const leaf = cut < 0 ? path : path.slice(cut + 1);
    const parents = parent ? walk(obj, parent) : [{ value: obj, path: "" }];
    for (const p of parents) {
      if (typeof p.value !== "object" || p.value === null) continue;
      const key = leaf.endsWith("[]") ? leaf.slice(0, -2) : leaf;
      if ((p.value as Record<string, unknown>)[key] === undefined) {
        out.push({ field: p.path ? `${p.path}.${key}` : key, message: "is required" });
      }
    }
  }
  for (const rule of contract.oneOf ?? []) {
    for (const p of walk(obj, rule.at)) {
      if (typeof p.value !== "object" || p.value === null) continue;
      const present = rule.fields.filter((f) => (p.value as Record<string, unknown>)[f] !== undefined);
      if (present.length !== 1) {
        out.push({
          field: p.path,
          message: `must set exactly one of ${rule.fields.join(", ")} (has ${present.length ? present.join(", ") : "none"})`,
        });
      }
    }
  }
  for (const [path, allowed] of Object.entries(contract.enums ?? {})) {
    for (const n of walk(obj, path)) {
      if (n.value !== undefined && !allowed.includes(String(n.value))) {
        out.push({ field: n.path, message: `must be one of ${allowed.join(", ")}, got ${JSON.stringify(n.value)}` });
      }
    }
  }
  return out;
}

/** The contract of `apiVersion`/`kind`, if this table has one. */
export function crdContractFor(apiVersion: string, kind: string): CrdContract | undefined {
  return GATEWAY_CRDS.find((c) => c.apiVersion === apiVersion && c.kind === kind);
}
