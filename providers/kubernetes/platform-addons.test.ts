import { strict as assert } from "node:assert";
import { addonConflicts, kindsInstalledBy } from "../limits/addons";
import { rolloutTimeoutSeconds } from "../limits/timeouts";
import { INTERCEPTOR_WAIT_TIMEOUT, planPlatformAddons, type GpuSoftware } from "./platform-addons";
import { HPA_METRIC } from "./autoscaling";
import { ASSUMED_SERVER_IMAGE_GIB } from "./model-server";

const seconds = (d: string): number => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);

describe("platform add-ons (pure plan)", () => {
  it("every cluster gets KEDA, the HTTP add-on, Prometheus and the adapter; GPU software per option, never two plugins", () => {
    const gpuAddon: Record<GpuSoftware, string[]> = {
      "nvidia-device-plugin": ["nvidia-device-plugin"],
      "gpu-operator": ["gpu-operator"],
      none: [],
    };
    for (const gpu of Object.keys(gpuAddon) as GpuSoftware[]) {
      const plan = planPlatformAddons({ gpu });
      assert.deepEqual(
        plan.map((r) => r.addon).sort(),
        [...gpuAddon[gpu], "keda", "keda-http-add-on", "kube-prometheus-stack", "prometheus-adapter"].sort(),
        gpu,
      );
      assert.deepEqual(addonConflicts(plan.map((r) => r.addon)), [], `${gpu}: no two add-ons own one API`);
    }
  });

  it("installs the kinds a model stack uses: ScaledObject, HTTPScaledObject, PodMonitor", () => {
    const kinds = kindsInstalledBy(planPlatformAddons({ gpu: "none" }).map((r) => r.addon)).map(
      (k) => `${k.apiVersion}/${k.kind}`,
    );
    for (const k of [
      "keda.sh/v1alpha1/ScaledObject",
      "http.keda.sh/v1alpha1/HTTPScaledObject",
      "monitoring.coreos.com/v1/PodMonitor",
    ]) {
      assert.ok(kinds.includes(k), k);
    }
  });

  it("installs dependants after what they need; only GPU DaemonSets skip the await", () => {
    const plan = planPlatformAddons({ gpu: "nvidia-device-plugin" });
    const order = plan.map((r) => r.addon);
    for (const r of plan) {
      for (const a of r.after) assert.ok(order.indexOf(a) < order.indexOf(r.addon), `${a} before ${r.addon}`);
      assert.equal(r.skipAwait, r.addon === "nvidia-device-plugin", r.addon);
    }
    assert.deepEqual(plan.find((r) => r.addon === "keda-http-add-on")?.after, ["keda"]);
    assert.deepEqual(plan.find((r) => r.addon === "prometheus-adapter")?.after, ["kube-prometheus-stack"]);
  });

  it("the adapter serves the HPA metric and claims no external metrics (KEDA owns that API)", () => {
    const adapter = planPlatformAddons({ gpu: "none" }).find((r) => r.addon === "prometheus-adapter");
    const rules = adapter?.values["rules"] as { custom: Array<{ name: { as: string } }>; external: unknown[] };
    assert.deepEqual(
      rules.custom.map((r) => r.name.as),
      [HPA_METRIC],
    );
    assert.deepEqual(rules.external, []);
  });

  it("Prometheus reads PodMonitors of every namespace; the interceptor holds a request longer than a 140 GiB cold start", () => {
    const kps = planPlatformAddons({ gpu: "none" }).find((r) => r.addon === "kube-prometheus-stack");
    const spec = (kps?.values["prometheus"] as { prometheusSpec: Record<string, unknown> }).prometheusSpec;
    assert.equal(spec["podMonitorSelectorNilUsesHelmValues"], false);
    assert.ok(
      seconds(INTERCEPTOR_WAIT_TIMEOUT) >=
        rolloutTimeoutSeconds({ weightsGiB: 140, imageGiB: ASSUMED_SERVER_IMAGE_GIB, nodeFromZero: true }),
    );
  });

  it("controllers go to the system pool when one is named, anywhere otherwise (a brought cluster)", () => {
    const sel = { "modelplane.dev/role": "system" };
    const keda = (o: Parameters<typeof planPlatformAddons>[0]) =>
      planPlatformAddons(o).find((r) => r.addon === "keda")?.values;
    assert.deepEqual(keda({ gpu: "none", systemNodeSelector: sel })?.["nodeSelector"], sel);
    assert.equal(keda({ gpu: "none" })?.["nodeSelector"], undefined);
  });
});
