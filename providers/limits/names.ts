/**
 * Name limits that cloud APIs enforce but that no mock can see, as data with
 * its public source. `checkName()` turns a row into a plain-language
 * violation so a bad name fails offline, before `pulumi up` reaches the
 * provider. A row with `confirmed: false` could not be read in the
 * provider's own documentation; its `source` names what was found instead.
 * This folder is self-contained: it imports nothing from the project.
 */

/** Date every row in this file was last compared with its source. */
export const NAMES_CHECKED = "2026-11-30";

/** Where a fact was read: the page address and the page's own title. */
export interface SourceRef {
  /** Address of the public page (or repository thread) that states the fact. */
  readonly url: string;
  /** The page's title, as the page gives it. */
  readonly title: string;
}

/** A pattern that a name must NOT match, with the words the provider uses. */
export interface ForbiddenRule {
  /** Matching this pattern makes the name invalid. */
  readonly pattern: RegExp;
  /** The rule in human words, e.g. "must not start with xn--". */
  readonly text: string;
}

/** The characters and shape a name may take. */
export interface NameShape {
  /** The whole name must match this (anchored, no global/sticky flag). */
  readonly pattern: RegExp;
  /** The pattern in human words. */
  readonly patternText: string;
  /** Extra rules a name must not break (reserved prefixes and the like). */
  readonly forbidden?: readonly ForbiddenRule[];
}

/** One row of the name-limit table. */
export interface NameLimit extends NameShape {
  /** Which resource kind this row is about. */
  readonly kind: NameKind;
  /** Short name of the service that enforces the rule, used in messages. */
  readonly enforcedBy: string;
  /** Longest accepted name, in characters. */
  readonly maxLength: number;
  /** Shortest accepted name, in characters (1 when absent). */
  readonly minLength?: number;
  /** Where the rule is written down. */
  readonly source: SourceRef;
  /** Date the row was last compared with its source. */
  readonly checked: string;
  /** Present (and false) when the rule was not read in the provider's own docs. */
  readonly confirmed?: false;
  /** Caveats: conflicting docs, how the source was reached, what is not modelled. */
  readonly note?: string;
}

/** Row fields that say how sure the row is. */
type RowCaveats = Pick<NameLimit, "confirmed" | "note">;

/** Why a name was refused, with everything needed to fix it. */
export interface NameViolation {
  /** The resource kind that was checked. */
  readonly kind: NameKind;
  /** The name that was refused. */
  readonly value: string;
  /** Which part of the rule the name broke. */
  readonly rule: "maxLength" | "minLength" | "pattern" | "forbidden";
  /** The limit that was broken, in words (e.g. "at most 40 characters"). */
  readonly limit: string;
  /** Where the limit is written down. */
  readonly source: SourceRef;
  /** One sentence naming kind, value, limit and source. */
  readonly message: string;
}

const src = (title: string, url: string): SourceRef => ({ title, url });

const SRC = {
  azureNaming: src(
    "Naming rules and restrictions for Azure resources",
    "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules",
  ),
  k8sNames: src(
    "Object Names and IDs | Kubernetes",
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
  ),
  gkeNodePool: src(
    "[8.0.0] container: extend google_container_node_pool name_prefix max length to 31",
    "https://github.com/GoogleCloudPlatform/magic-modules/pull/18477",
  ),
  gkeCluster: src(
    "REST Resource: projects.locations.clusters (Cluster.name) | Google Kubernetes Engine",
    "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters",
  ),
  aksNodePool: src(
    "Create node pools for a cluster in Azure Kubernetes Service (AKS)",
    "https://learn.microsoft.com/en-us/azure/aks/create-node-pools",
  ),
  azureFic: src(
    "Microsoft.ManagedIdentity userAssignedIdentities/federatedIdentityCredentials - Bicep, ARM template & Terraform AzAPI reference",
    "https://learn.microsoft.com/en-us/azure/templates/microsoft.managedidentity/userassignedidentities/federatedidentitycredentials",
  ),
  iamRole: src(
    "PolicyRole - AWS Identity and Access Management (RoleName: length 1-64, pattern [\\w+=,.@-]+)",
    "https://docs.aws.amazon.com/goto/WebAPI/iam-2010-05-08/PolicyRole",
  ),
  eksNodeGroup: src(
    "nodeGroupName property - NodeGroup class (Pulumi AWS provider docs)",
    "https://pub.dev/documentation/pulumi_aws/latest/eks/NodeGroup/nodeGroupName.html",
  ),
  eksCluster: src(
    "RegisterClusterRequest - Amazon EKS API Reference (name: length 1-100, pattern ^[0-9A-Za-z][A-Za-z0-9\\-_]*)",
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_RegisterClusterRequest.html",
  ),
  s3: src(
    "General purpose bucket naming rules - Amazon Simple Storage Service",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  ),
  sagemakerEndpoint: src(
    "EndpointInfo - Amazon SageMaker (EndpointName constraints)",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_EndpointInfo.html",
  ),
  sagemakerModel: src(
    "OptimizationSageMakerModel - Amazon SageMaker (ModelName constraints)",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_OptimizationSageMakerModel.html",
  ),
  gcpServiceAccount: src(
    "google.cloud.iam_admin_v1.types.CreateServiceAccountRequest (account_id)",
    "https://docs.cloud.google.com/python/docs/reference/iam/latest/google.cloud.iam_admin_v1.types.CreateServiceAccountRequest",
  ),
  gcs: src("Bucket naming guidelines | Cloud Storage", "https://cloud.google.com/storage/docs/naming-buckets"),
  cloudRun: src(
    "Method: projects.locations.services.create (serviceId) | Cloud Run Admin API v2",
    "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services/create",
  ),
  k8sService: src(
    'Service | Kubernetes ("The name of a Service object must be a valid RFC 1035 label name")',
    "https://kubernetes.io/docs/concepts/services-networking/service/",
  ),
  k8sLabels: src(
    "Labels and Selectors | Kubernetes (Syntax and character set)",
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
  ),
};

const DOTTED_QUAD: ForbiddenRule = {
  pattern: /^\d{1,3}(?:\.\d{1,3}){3}$/,
  text: "must not be formatted as an IP address (e.g. 192.168.5.4)",
};

/** Shapes shared by several rows. */
const SHAPE = {
  lowerLetterStart: {
    pattern: /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/,
    patternText: "lowercase letters, digits and hyphens; starts with a letter; ends with a letter or digit",
  },
  dnsLabel: {
    pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/,
    patternText: "RFC 1123 label: lowercase letters, digits and '-'; starts and ends with a letter or digit",
  },
  dnsSubdomain: {
    pattern: /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/,
    patternText: "RFC 1123 subdomain: lowercase letters, digits, '-' and '.'; starts and ends with a letter or digit",
  },
  lowerLetterDigit: {
    pattern: /^[a-z][a-z0-9]*$/,
    patternText: "lowercase letters and digits only; starts with a lowercase letter",
  },
  lowerAlnum: { pattern: /^[a-z0-9]+$/, patternText: "lowercase letters and digits only" },
  alnumUnderscoreHyphenEnds: {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    patternText: "letters, digits, underscores and hyphens; starts and ends with a letter or digit",
  },
  alnumUnderscoreHyphenStart: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    patternText: "letters, digits, hyphens and underscores; starts with a letter or digit",
  },
  resourceGroup: {
    pattern: /^[-\p{L}\p{N}_.()]*[-\p{L}\p{N}_()]$/u,
    patternText:
      "letters or digits (Unicode), underscores, hyphens, periods and parentheses; must not end with a period",
  },
  iamRole: {
    pattern: /^[\w+=,.@-]+$/,
    patternText: "letters, digits and + = , . @ _ - (API pattern [\\w+=,.@-]+)",
  },
  sagemakerEndpoint: {
    pattern: /^[a-zA-Z0-9](?:-*[a-zA-Z0-9])*$/,
    patternText:
      "letters, digits and hyphens; starts and ends with a letter or digit ([a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})",
  },
  sagemakerModel: {
    pattern: /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
    patternText: "letters, digits and hyphens; starts and ends with a letter or digit",
  },
  s3: {
    pattern: /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/,
    patternText: "lowercase letters, digits, periods and hyphens; starts and ends with a letter or digit",
    forbidden: [
      { pattern: /\.\./, text: "must not contain two adjacent periods" },
      DOTTED_QUAD,
      { pattern: /^(?:xn--|sthree-|amzn-s3-demo-)/, text: "must not start with xn--, sthree- or amzn-s3-demo-" },
      { pattern: /(?:-s3alias|--ol-s3|\.mrap|--x-s3)$/, text: "must not end with -s3alias, --ol-s3, .mrap or --x-s3" },
    ],
  },
  gcs: {
    pattern: /^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/,
    patternText: "lowercase letters, digits, dashes, underscores and dots; starts and ends with a letter or digit",
    forbidden: [
      DOTTED_QUAD,
      { pattern: /^goog/, text: 'must not begin with the "goog" prefix' },
      { pattern: /g[o0]{2}gle/, text: 'must not contain "google" or close misspellings such as "g00gle"' },
    ],
  },
  labelValue: {
    pattern: /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/,
    patternText: "empty, or letters, digits, '-', '_' and '.' that start and end with a letter or digit",
  },
} satisfies Record<string, NameShape>;

const AZURE_NOTE: RowCaveats = {
  note: "Row read in the page's source, MicrosoftDocs/azure-docs articles/azure-resource-manager/management/resource-name-rules.md.",
};
const GCP_API_TEXT =
  "Text is Google's API description, read as carried verbatim in Google's generated API clients; the reference page itself was not fetched.";

type RowInput = Omit<NameLimit, "kind" | "checked">;

/** One row: who enforces it, [min, max] length, shape, source, caveats. */
function lim(by: string, [min, max]: [number, number], shape: NameShape, source: SourceRef, extra: RowCaveats = {}) {
  return { enforcedBy: by, maxLength: max, minLength: min, ...shape, source, ...extra } satisfies RowInput;
}

const ROWS = {
  "gke-node-pool": lim("GKE", [1, 40], SHAPE.lowerLetterStart, SRC.gkeNodePool, {
    confirmed: false,
    note: "Google's Terraform maintainers cite \"GKE's 40-character limit for NodePool.name, failing at apply time with HTTP 400\"; no Google product page stating it was found. Character rule assumed equal to the cluster-name rule.",
  }),
  "gke-cluster": lim("GKE", [1, 40], SHAPE.lowerLetterStart, SRC.gkeCluster, { note: GCP_API_TEXT }),
  "aks-linux-node-pool": lim("AKS", [1, 12], SHAPE.lowerLetterDigit, SRC.aksNodePool, {
    note: "Windows pools allow 1-6. Some Microsoft pages (AKS FAQ, older create-node-pools) say 1-11 for Linux; keep names at 11 or fewer to satisfy both.",
  }),
  "aks-cluster": lim("Azure", [1, 63], SHAPE.alnumUnderscoreHyphenEnds, SRC.azureNaming, AZURE_NOTE),
  "azure-storage-account": lim("Azure", [3, 24], SHAPE.lowerAlnum, SRC.azureNaming, AZURE_NOTE),
  "azure-resource-group": lim("Azure", [1, 90], SHAPE.resourceGroup, SRC.azureNaming, AZURE_NOTE),
  "azure-federated-identity-credential": lim("Azure", [3, 120], SHAPE.alnumUnderscoreHyphenStart, SRC.azureFic, {
    note: "ARM pattern ^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$. At most 20 per identity: see COUNT_LIMITS.",
  }),
  "azure-user-assigned-identity": lim("Azure", [3, 128], SHAPE.alnumUnderscoreHyphenStart, SRC.azureNaming, AZURE_NOTE),
  "azure-container-app": lim("Azure Container Apps", [2, 32], SHAPE.lowerLetterStart, SRC.azureNaming, AZURE_NOTE),
  "aws-iam-role": lim("AWS IAM", [1, 64], SHAPE.iamRole, SRC.iamRole, {
    note: "Case-insensitively unique per account. Character set also in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html.",
  }),
  "eks-node-group": lim("Amazon EKS", [1, 63], SHAPE.alnumUnderscoreHyphenStart, SRC.eksNodeGroup, {
    confirmed: false,
    note: 'AWS\'s CreateNodegroup reference only says "The unique name to give your node group"; the 63-character rule is from the Pulumi/Terraform AWS provider docs.',
  }),
  "eks-cluster": lim("Amazon EKS", [1, 100], SHAPE.alnumUnderscoreHyphenStart, SRC.eksCluster, {
    note: "CreateCluster's own description agrees: alphanumerics (case-sensitive), hyphens, underscores, starts alphanumeric, at most 100.",
  }),
  "s3-bucket": lim("Amazon S3", [3, 63], SHAPE.s3, SRC.s3),
  "sagemaker-endpoint": lim("SageMaker", [1, 63], SHAPE.sagemakerEndpoint, SRC.sagemakerEndpoint),
  "sagemaker-endpoint-config": lim("SageMaker", [1, 63], SHAPE.sagemakerEndpoint, SRC.sagemakerEndpoint, {
    confirmed: false,
    note: "EndpointConfigName's own constraint was not read; assumed equal to EndpointName's.",
  }),
  "sagemaker-model": lim("SageMaker", [1, 63], SHAPE.sagemakerModel, SRC.sagemakerModel),
  "gcp-service-account-id": lim("Google Cloud IAM", [6, 30], SHAPE.lowerLetterStart, SRC.gcpServiceAccount),
  "gcs-bucket": lim("Cloud Storage", [3, 63], SHAPE.gcs, SRC.gcs, {
    note: "Names with dots may reach 222 characters (each dot-separated part at most 63) but need domain verification; this check keeps the 63 limit.",
  }),
  "cloud-run-service": lim("Cloud Run", [1, 49], SHAPE.lowerLetterStart, SRC.cloudRun, {
    note: `serviceId: "must begin with letter, and cannot end with hyphen; must contain fewer than 50 characters". ${GCP_API_TEXT} Older v1 errors said 63.`,
  }),
  "k8s-dns-label": lim("Kubernetes", [1, 63], SHAPE.dnsLabel, SRC.k8sNames),
  "k8s-dns-subdomain": lim("Kubernetes", [1, 253], SHAPE.dnsSubdomain, SRC.k8sNames),
  "k8s-namespace": lim("Kubernetes", [1, 63], SHAPE.dnsLabel, SRC.k8sNames),
  "k8s-service": lim("Kubernetes", [1, 63], SHAPE.lowerLetterStart, SRC.k8sService),
  "k8s-object-name": lim("Kubernetes", [1, 253], SHAPE.dnsSubdomain, SRC.k8sNames, {
    note: "Most kinds (ConfigMap, Secret, Deployment...) use this rule; Pod names also become hostnames, so prefer k8s-dns-label for them.",
  }),
  "k8s-label-value": lim("Kubernetes", [0, 63], SHAPE.labelValue, SRC.k8sLabels),
};

/** A resource kind whose name is checked by `checkName()`. */
export type NameKind = keyof typeof ROWS;

/** Every resource kind with a name limit in this table. */
export const NAME_KINDS = Object.keys(ROWS) as readonly NameKind[];

/** The name-limit table, one row per kind. */
export const NAME_LIMITS: Readonly<Record<NameKind, NameLimit>> = Object.fromEntries(
  NAME_KINDS.map((kind) => [kind, { kind, ...ROWS[kind], checked: NAMES_CHECKED }]),
) as Record<NameKind, NameLimit>;

/** A quantity limit (how many of a thing), kept apart from name limits. */
export interface CountLimit {
  /** Stable identifier of the limit. */
  readonly kind: "azure-federated-credentials-per-identity";
  /** Most items allowed. */
  readonly max: number;
  /** Short name of the service that enforces the limit, used in messages. */
  readonly enforcedBy: string;
  /** What is being counted, in words. */
  readonly what: string;
  /** The container the count applies to, in words. */
  readonly per: string;
  /** Where the limit is written down. */
  readonly source: SourceRef;
  /** Date the row was last compared with its source. */
  readonly checked: string;
}

/** Kinds of quantity limit in `COUNT_LIMITS`. */
export type CountKind = CountLimit["kind"];

/** Quantity limits that a mock cannot see. */
export const COUNT_LIMITS: Readonly<Record<CountKind, CountLimit>> = {
  "azure-federated-credentials-per-identity": {
    kind: "azure-federated-credentials-per-identity",
    max: 20,
    enforcedBy: "Azure",
    what: "federated identity credentials",
    per: "user-assigned managed identity (or app registration)",
    source: src(
      "Important considerations and restrictions for federated identity credentials",
      "https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations",
    ),
    checked: NAMES_CHECKED,
  },
};

function describeSource(limit: { source: SourceRef; confirmed?: false }): string {
  const unconfirmed = limit.confirmed === false ? "; not confirmed in the provider's own docs" : "";
  return `source: ${limit.source.title}, ${limit.source.url}${unconfirmed}`;
}

/**
 * Check a name against the provider's published rule.
 * Returns undefined when the name is acceptable, otherwise the first broken rule.
 */
export function checkName(kind: NameKind, name: string): NameViolation | undefined {
  const limit = NAME_LIMITS[kind];
  const length = Array.from(name).length; // Unicode code points, which is what providers count
  const minLength = limit.minLength ?? 1;
  const by = limit.enforcedBy;
  const fail = (rule: NameViolation["rule"], limitText: string, sentence: string): NameViolation => {
    const message = `${kind} name ${JSON.stringify(name)} ${sentence} (${describeSource(limit)})`;
    return { kind, value: name, rule, limit: limitText, source: limit.source, message };
  };
  if (length > limit.maxLength) {
    const text = `at most ${limit.maxLength} characters`;
    return fail("maxLength", text, `is ${length} characters; ${by} allows at most ${limit.maxLength}`);
  }
  if (length < minLength) {
    const text = `at least ${minLength} characters`;
    return fail("minLength", text, `is ${length} characters; ${by} requires at least ${minLength}`);
  }
  if (!limit.pattern.test(name)) {
    return fail("pattern", limit.patternText, `is not accepted; ${by} allows ${limit.patternText}`);
  }
  const broken = (limit.forbidden ?? []).find((rule) => rule.pattern.test(name));
  if (broken !== undefined) {
    return fail("forbidden", broken.text, `is not accepted; ${by} says a name ${broken.text}`);
  }
  return undefined;
}

/** Why a count was refused. */
export interface CountViolation {
  /** The limit that was broken. */
  readonly kind: CountKind;
  /** The count that was asked for. */
  readonly value: number;
  /** The most allowed. */
  readonly max: number;
  /** Where the limit is written down. */
  readonly source: SourceRef;
  /** One sentence naming the limit, the count and the source. */
  readonly message: string;
}

/** Check a quantity against `COUNT_LIMITS`; undefined when within the limit. */
export function checkCount(kind: CountKind, count: number): CountViolation | undefined {
  const limit = COUNT_LIMITS[kind];
  if (count <= limit.max) return undefined;
  const sentence = `${count} ${limit.what} per ${limit.per}; ${limit.enforcedBy} allows at most ${limit.max}`;
  const message = `${sentence} (${describeSource(limit)})`;
  return { kind, value: count, max: limit.max, source: limit.source, message };
}
