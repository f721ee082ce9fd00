/**
 * Tests for the pinned add-on chart table: exact versions, parseable sources,
 * the kinds each chart installs, and add-ons that must not be combined.
 */
import assert from "node:assert/strict";
import {
  ADDON_NAMES,
  ADDONS,
  ADDONS_CHECKED,
  addonConflicts,
  addonForKind,
  kindsInstalledBy,
  type AddonName,
} from "./addons";

/** Exact semver, optionally with the leading "v" some charts publish; no ranges or wildcards. */
const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

describe("providers/limits/addons table", () => {
  it("lists every add-on the brief names", () => {
    for (const name of ADDON_NAMES) assert.equal(ADDONS[name].name, name);
    assert.equal(ADDONS["keda-http-add-on"].chart, "keda-add-ons-http");
    assert.equal(ADDONS["envoy-gateway"].chart, "gateway-helm");
    assert.equal(ADDONS["envoy-gateway"].repo, "oci://docker.io/envoyproxy/gateway-helm");
  });

  it("pins every chart to an exact version", () => {
    for (const name of ADDON_NAMES) {
      const { version } = ADDONS[name];
      assert.match(version, EXACT_SEMVER, `${name}: ${version} is not an exact version`);
      assert.doesNotMatch(version, /[\^~*xX<>=| ]/, `${name}: ${version} looks like a range`);
    }
  });

  it("has a parseable repository and source for every chart", () => {
    for (const name of ADDON_NAMES) {
      const addon = ADDONS[name];
      assert.ok(["https:", "oci:"].includes(new URL(addon.repo).protocol), `${name} repo ${addon.repo}`);
      assert.equal(new URL(addon.source.url).protocol, "https:", `${name} source`);
      assert.ok(addon.source.title.length > 0);
      assert.ok(addon.seen.startsWith("2026"), `${name} seen ${addon.seen}`);
      assert.equal(addon.checked, ADDONS_CHECKED);
      assert.equal(addon.checked, "2026-11-30");
      assert.match(addon.namespace, /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/);
      if (addon.confirmed === false) assert.ok((addon.note ?? "").length > 0, `${name} needs a note`);
    }
  });

  it("gives every kind exactly one installing chart", () => {
    const owners = new Map<string, AddonName>();
    for (const name of ADDON_NAMES) {
      for (const ref of ADDONS[name].kinds) {
        const key = `${ref.apiVersion}/${ref.kind}`;
        assert.equal(owners.get(key), undefined, `${key} installed by ${owners.get(key)} and ${name}`);
        owners.set(key, name);
        assert.match(ref.apiVersion, /^[a-z0-9.-]+\/v\d+(?:(?:alpha|beta)\d+)?$/, key);
      }
    }
  });
});

describe("kindsInstalledBy", () => {
  it("returns the KEDA kinds model stacks create", () => {
    const kinds = kindsInstalledBy(["keda"]).map((ref) => `${ref.apiVersion} ${ref.kind}`);
    assert.ok(kinds.includes("keda.sh/v1alpha1 ScaledObject"));
    assert.ok(kinds.includes("keda.sh/v1alpha1 TriggerAuthentication"));
    assert.ok(!kinds.includes("http.keda.sh/v1alpha1 HTTPScaledObject"));
  });

  it("adds the HTTP add-on, Prometheus, Gateway and cert-manager kinds", () => {
    const kinds = kindsInstalledBy([
      "keda",
      "keda-http-add-on",
      "kube-prometheus-stack",
      "envoy-gateway",
      "cert-manager",
    ]).map((ref) => `${ref.apiVersion} ${ref.kind}`);
    for (const expected of [
      "http.keda.sh/v1alpha1 HTTPScaledObject",
      "monitoring.coreos.com/v1 PodMonitor",
      "monitoring.coreos.com/v1 ServiceMonitor",
      "monitoring.coreos.com/v1 PrometheusRule",
      "gateway.networking.k8s.io/v1 Gateway",
      "gateway.networking.k8s.io/v1 HTTPRoute",
      "gateway.networking.k8s.io/v1 GatewayClass",
      "gateway.envoyproxy.io/v1alpha1 SecurityPolicy",
      "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy",
      "gateway.envoyproxy.io/v1alpha1 ClientTrafficPolicy",
      "cert-manager.io/v1 Certificate",
      "cert-manager.io/v1 Issuer",
      "cert-manager.io/v1 ClusterIssuer",
    ]) {
      assert.ok(kinds.includes(expected), expected);
    }
  });

  it("de-duplicates when an add-on is named twice", () => {
    const once = kindsInstalledBy(["keda"]);
    assert.equal(kindsInstalledBy(["keda", "keda"]).length, once.length);
    assert.deepEqual(kindsInstalledBy([]), []);
  });

  it("throws on a name that is not in the table", () => {
    assert.throws(() => kindsInstalledBy(["linkerd" as AddonName]), /unknown add-on "linkerd"/);
  });
});

describe("addonForKind and addonConflicts", () => {
  it("finds the chart that installs a kind", () => {
    assert.equal(addonForKind("monitoring.coreos.com/v1", "ServiceMonitor"), "kube-prometheus-stack");
    assert.equal(addonForKind("keda.sh/v1alpha1", "ScaledObject"), "keda");
    assert.equal(addonForKind("gateway.networking.k8s.io/v1", "HTTPRoute"), "envoy-gateway");
    assert.equal(addonForKind("apps/v1", "Deployment"), undefined);
    assert.equal(addonForKind("keda.sh/v1beta1", "ScaledObject"), undefined);
  });

  it("flags the GPU Operator next to a standalone device plugin", () => {
    const conflicts = addonConflicts(["nvidia-device-plugin", "gpu-operator", "keda"]);
    assert.ok(conflicts.some((c) => c.addon === "nvidia-device-plugin" && c.with === "gpu-operator"));
    assert.deepEqual(addonConflicts(["gpu-operator", "keda"]), []);
  });

  it("lets KEDA and prometheus-adapter share a cluster: they register different metrics APIs", () => {
    assert.deepEqual(addonConflicts(["keda", "prometheus-adapter", "kube-prometheus-stack"]), []);
    const apis = ADDON_NAMES.flatMap((name) => ADDONS[name].apiServices);
    assert.equal(new Set(apis).size, apis.length, "two add-ons claim the same APIService");
    assert.ok(ADDONS.keda.apiServices.includes("v1beta1.external.metrics.k8s.io"));
  });
});
