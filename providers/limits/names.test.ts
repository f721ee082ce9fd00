/**
 * Tests for the cloud name-limit table: every row is well-formed and sourced,
 * and each limit that a provider enforces at apply time is enforced here.
 */
import assert from "node:assert/strict";
import { COUNT_LIMITS, NAME_KINDS, NAME_LIMITS, NAMES_CHECKED, checkCount, checkName, type NameKind } from "./names";

const ok = (kind: NameKind, name: string): void => {
  const violation = checkName(kind, name);
  assert.equal(violation, undefined, violation?.message);
};
const bad = (kind: NameKind, name: string, rule?: string): void => {
  const violation = checkName(kind, name);
  assert.ok(violation, `${kind} should refuse ${JSON.stringify(name)}`);
  if (rule !== undefined) assert.equal(violation.rule, rule, violation.message);
};

describe("providers/limits/names table", () => {
  it("has one well-formed, sourced row per kind", () => {
    assert.ok(NAME_KINDS.length >= 25);
    for (const kind of NAME_KINDS) {
      const row = NAME_LIMITS[kind];
      assert.equal(row.kind, kind);
      assert.equal(row.checked, NAMES_CHECKED);
      assert.equal(row.checked, "2026-11-30");
      assert.ok(row.enforcedBy.length > 0, kind);
      assert.ok(row.patternText.length > 0, kind);
      assert.ok(row.source.title.trim().length > 0, `${kind} source title`);
      const url = new URL(row.source.url);
      assert.equal(url.protocol, "https:", `${kind} source must be https`);
      assert.ok(row.maxLength >= (row.minLength ?? 1), kind);
    }
  });

  it("anchors every pattern and never uses stateful flags", () => {
    for (const kind of NAME_KINDS) {
      const { pattern, forbidden } = NAME_LIMITS[kind];
      assert.ok(pattern.source.startsWith("^") && pattern.source.endsWith("$"), `${kind} pattern not anchored`);
      for (const re of [pattern, ...(forbidden ?? []).map((rule) => rule.pattern)]) {
        assert.ok(!re.global && !re.sticky, `${kind}: /${re.source}/ must not be global or sticky`);
      }
    }
  });

  it("marks unconfirmed rows with a note saying what was found", () => {
    for (const kind of NAME_KINDS) {
      const row = NAME_LIMITS[kind];
      if (row.confirmed === false) assert.ok((row.note ?? "").length > 0, `${kind} needs a note`);
    }
  });

  it("has a sourced count table", () => {
    for (const limit of Object.values(COUNT_LIMITS)) {
      assert.ok(limit.source.title.length > 0);
      assert.equal(new URL(limit.source.url).protocol, "https:");
      assert.equal(limit.checked, "2026-11-30");
    }
  });
});

describe("checkName", () => {
  it("GKE node pool: 40 characters pass, 41 fail with kind, value, limit and source", () => {
    ok("gke-node-pool", `p${"a".repeat(39)}`);
    const name = `p${"a".repeat(40)}`;
    const violation = checkName("gke-node-pool", name);
    assert.ok(violation);
    assert.equal(violation.rule, "maxLength");
    assert.equal(violation.kind, "gke-node-pool");
    assert.equal(violation.value, name);
    const expected = `gke-node-pool name "${name}" is 41 characters; GKE allows at most 40 (source: `;
    assert.ok(violation.message.startsWith(expected), violation.message);
    assert.equal(violation.limit, "at most 40 characters");
    assert.ok(violation.message.includes(NAME_LIMITS["gke-node-pool"].source.url));
  });

  it("GKE names start with a lowercase letter", () => {
    bad("gke-node-pool", "1pool", "pattern");
    bad("gke-node-pool", "GpuPool", "pattern");
    bad("gke-cluster", "cluster-", "pattern");
    ok("gke-cluster", "modelplane-prod-1");
  });

  it("AKS Linux pool: lowercase alphanumerics, starts with a letter, 1-12", () => {
    bad("aks-linux-node-pool", "Agentpool", "pattern");
    bad("aks-linux-node-pool", "gpu-pool", "pattern");
    bad("aks-linux-node-pool", "1gpu", "pattern");
    bad("aks-linux-node-pool", "gpupoolabcdef", "maxLength");
    ok("aks-linux-node-pool", "agentpool");
    ok("aks-linux-node-pool", "gpua100x1234");
  });

  it("Azure storage account: 3-24 lowercase alphanumerics", () => {
    bad("azure-storage-account", "ab", "minLength");
    bad("azure-storage-account", "model-weights", "pattern");
    bad("azure-storage-account", "a".repeat(25), "maxLength");
    ok("azure-storage-account", "a".repeat(24));
  });

  it("Azure resource group: at most 90, may not end with a period, Unicode letters allowed", () => {
    ok("azure-resource-group", "rg-modelplane_(prod)");
    ok("azure-resource-group", "grupo-ñandú");
    bad("azure-resource-group", "rg-prod.", "pattern");
    bad("azure-resource-group", "rg/prod", "pattern");
    bad("azure-resource-group", "r".repeat(91), "maxLength");
  });

  it("federated identity credential: 3-120, starts alphanumeric; at most 20 per identity", () => {
    ok("azure-federated-identity-credential", "gh_actions-main-1");
    bad("azure-federated-identity-credential", "ab", "minLength");
    bad("azure-federated-identity-credential", "-abc", "pattern");
    bad("azure-federated-identity-credential", "ns.sa", "pattern");
    bad("azure-federated-identity-credential", "a".repeat(121), "maxLength");
    assert.equal(checkCount("azure-federated-credentials-per-identity", 20), undefined);
    const tooMany = checkCount("azure-federated-credentials-per-identity", 21);
    assert.ok(tooMany);
    assert.match(tooMany.message, /^21 federated identity credentials .* at most 20 \(source: /);
  });

  it("Azure Container Apps: 2-32, lowercase, starts with a letter, ends alphanumeric", () => {
    ok("azure-container-app", "llama-3-8b");
    bad("azure-container-app", "a", "minLength");
    bad("azure-container-app", "Llama", "pattern");
    bad("azure-container-app", "llama-", "pattern");
    bad("azure-container-app", "8b-llama", "pattern");
    bad("azure-container-app", `a${"b".repeat(32)}`, "maxLength");
  });

  it("AWS IAM role: at most 64 of [\\w+=,.@-]", () => {
    ok("aws-iam-role", "modelplane+node=role,v1.2@prod-x_y");
    ok("aws-iam-role", "r".repeat(64));
    bad("aws-iam-role", "r".repeat(65), "maxLength");
    bad("aws-iam-role", "role/with/slash", "pattern");
  });

  it("EKS: cluster at most 100, node group at most 63, both start alphanumeric", () => {
    ok("eks-cluster", "c".repeat(100));
    bad("eks-cluster", "c".repeat(101), "maxLength");
    bad("eks-cluster", "_cluster", "pattern");
    ok("eks-node-group", "gpu_l4-0");
    bad("eks-node-group", "g".repeat(64), "maxLength");
  });

  it("S3 bucket: 3-63, lowercase, and none of the reserved shapes", () => {
    ok("s3-bucket", "modelplane-weights.us-east-1");
    bad("s3-bucket", "My-Bucket", "pattern");
    bad("s3-bucket", "ab", "minLength");
    bad("s3-bucket", "my..bucket", "forbidden");
    bad("s3-bucket", "192.168.5.4", "forbidden");
    bad("s3-bucket", "xn--bucket", "forbidden");
    bad("s3-bucket", "weights-s3alias", "forbidden");
  });

  it("SageMaker endpoint/config/model: at most 63 of letters, digits and '-'", () => {
    for (const kind of ["sagemaker-endpoint", "sagemaker-endpoint-config", "sagemaker-model"] as const) {
      ok(kind, "llama-3-8b-prod");
      bad(kind, "llama_3", "pattern");
      bad(kind, "-llama", "pattern");
      bad(kind, "e".repeat(64), "maxLength");
      ok(kind, "e".repeat(63));
    }
  });

  it("GCP service account id: 6-30, starts with a letter", () => {
    ok("gcp-service-account-id", "mp-node-1");
    bad("gcp-service-account-id", "mp-sa", "minLength");
    bad("gcp-service-account-id", "1mp-node", "pattern");
    bad("gcp-service-account-id", `s${"a".repeat(30)}`, "maxLength");
  });

  it("GCS bucket: 3-63, no goog prefix, no google", () => {
    ok("gcs-bucket", "modelplane_weights-1");
    bad("gcs-bucket", "goog-weights", "forbidden");
    bad("gcs-bucket", "my-google-bucket", "forbidden");
    bad("gcs-bucket", "my-g00gle-bucket", "forbidden");
    bad("gcs-bucket", "b".repeat(64), "maxLength");
  });

  it("Cloud Run service: 49 characters pass, 50 fail", () => {
    ok("cloud-run-service", `s${"a".repeat(48)}`);
    bad("cloud-run-service", `s${"a".repeat(49)}`, "maxLength");
    bad("cloud-run-service", "9svc", "pattern");
  });

  it("Kubernetes names, namespaces, Services and label values", () => {
    ok("k8s-dns-label", "1svc");
    bad("k8s-service", "1svc", "pattern");
    ok("k8s-service", "svc-1");
    ok("k8s-namespace", "model-llama");
    bad("k8s-namespace", "model.llama", "pattern");
    bad("k8s-namespace", "n".repeat(64), "maxLength");
    ok("k8s-object-name", "weights.llama-3");
    bad("k8s-object-name", "a..b", "pattern");
    bad("k8s-dns-subdomain", "s".repeat(254), "maxLength");
    ok("k8s-dns-subdomain", "s".repeat(253));
    ok("k8s-label-value", "");
    ok("k8s-label-value", "Llama_3.1-8B");
    bad("k8s-label-value", "-x", "pattern");
    bad("k8s-label-value", "v".repeat(64), "maxLength");
  });

  it("says when a rule is not confirmed in the provider's own docs", () => {
    const violation = checkName("eks-node-group", "g".repeat(64));
    assert.ok(violation);
    assert.match(violation.message, /not confirmed/);
    const confirmed = checkName("eks-cluster", "c".repeat(101));
    assert.ok(confirmed);
    assert.doesNotMatch(confirmed.message, /not confirmed/);
  });
});
