import * as assert from "node:assert/strict";
import { checkSchema, load, loadAllSchemas, SCHEMAS } from "./schema";
import { gpuDeployment, recorded } from "./testing";
import { SECRET, UNKNOWN } from "../record";

describe("plan checks: Kubernetes schema", function () {
  this.timeout(30_000);

  it("every row of the table loads a model class of the same apiVersion and kind as its type token", async () => {
    assert.equal(await loadAllSchemas(), SCHEMAS.size);
    for (const [token, ref] of SCHEMAS) {
      const cls = await load(ref);
      const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(token);
      assert.ok(cls && m, token);
      const apiVersion = m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`;
      assert.equal(cls.apiVersion, apiVersion, token);
      assert.equal(cls.kind, m[3], token);
    }
  });

  it("a valid GPU Deployment passes", async () => {
    assert.deepEqual(await checkSchema(gpuDeployment("ok")), []);
  });

  it("a containerPort given as a string fails, naming the field and the schema", async () => {
    const d = gpuDeployment("bad");
    const spec = d.inputs["spec"] as { template: { spec: { containers: Array<{ ports: unknown[] }> } } };
    spec.template.spec.containers[0]!.ports = [{ containerPort: "80" }];
    const findings = await checkSchema(d);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.level, "error");
    assert.equal(findings[0]?.field, "spec.template.spec.containers[0].ports[0].containerPort");
    assert.match(
      findings[0]?.message ?? "",
      /bad: spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort must be integer \(schema: kubernetes-models 4\.5\.1/,
    );
  });

  it("a missing required field is named", async () => {
    const svc = recorded("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", {
      metadata: { name: "x" },
      spec: { maxReplicas: 2 },
    });
    const findings = await checkSchema(svc);
    assert.ok(
      findings.some((f) => f.field === "spec.scaleTargetRef" && /is required/.test(f.message)),
      JSON.stringify(findings),
    );
  });

  it("validates custom resources against their CRD schema (KEDA, Prometheus operator)", async () => {
    const so = recorded("kubernetes:keda.sh/v1alpha1:ScaledObject", "so", {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "so" },
      spec: {
        scaleTargetRef: { name: "d" },
        minReplicaCount: "0",
        triggers: [{ type: "prometheus", metadata: { threshold: 5 } }],
      },
    });
    const fields = (await checkSchema(so)).map((f) => f.field).sort();
    assert.deepEqual(fields, ["spec.minReplicaCount", "spec.triggers[0].metadata.threshold"]);
    const pm = recorded("kubernetes:monitoring.coreos.com/v1:PodMonitor", "pm", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "pm" },
      spec: { selector: { matchLabels: { app: "x" } }, podMetricsEndpoints: [{ port: "http", path: "/metrics" }] },
    });
    assert.deepEqual(await checkSchema(pm), []);
  });

  it("HTTPScaledObject (KEDA HTTP add-on) is checked against its chart's CRD: types, required fields, port xor portName", async () => {
    const hso = (spec: Record<string, unknown>) =>
      recorded("kubernetes:http.keda.sh/v1alpha1:HTTPScaledObject", "wake", {
        apiVersion: "http.keda.sh/v1alpha1",
        kind: "HTTPScaledObject",
        metadata: { name: "wake" },
        spec,
      });
    const good = {
      hosts: ["llama.mp-default.svc"],
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "d", service: "s", port: 80 },
      replicas: { min: 0, max: 2 },
      scaledownPeriod: 900,
      scalingMetric: { concurrency: { targetValue: 8 } },
    };
    assert.deepEqual(await checkSchema(hso(good)), []);
    const bad = await checkSchema(
      hso({ ...good, replicas: { min: "0", max: 2 }, scaleTargetRef: { name: "d", port: 80 } }),
    );
    assert.deepEqual(bad.map((f) => f.field).sort(), ["spec.replicas.min", "spec.scaleTargetRef.service"]);
    assert.ok(bad.every((f) => f.level === "error" && /kedacore\/http-add-on CRD/.test(f.message)));
    assert.match(bad.find((f) => f.field === "spec.replicas.min")?.message ?? "", /must be integer/);
    assert.match(bad.find((f) => f.field === "spec.scaleTargetRef.service")?.message ?? "", /is required/);
    const both = await checkSchema(hso({ ...good, scaleTargetRef: { service: "s", port: 80, portName: "http" } }));
    assert.deepEqual(
      both.map((f) => f.field),
      ["spec.scaleTargetRef"],
    );
    assert.match(both[0]?.message ?? "", /must define either the 'portName' or the 'port'/);
  });

  it("a Kubernetes kind without a schema is an error, never passed silently; Helm releases are not objects", async () => {
    const widget = recorded("kubernetes:example.com/v1:Widget", "w", { metadata: { name: "w" } });
    const [f] = await checkSchema(widget);
    assert.equal(f?.level, "error");
    assert.match(f?.message ?? "", /no schema for example\.com\/v1 Widget/);
    assert.deepEqual(
      await checkSchema(recorded("kubernetes:helm.sh/v3:Release", "r", { chart: "keda", values: { x: 1 } })),
      [],
    );
  });

  it("validates a secret's plain value, not the [secret] placeholder the report shows", async () => {
    const d = gpuDeployment("secret");
    const spec = d.inputs["spec"];
    d.inputs["spec"] = SECRET;
    d.secrets = [{ path: ["spec"], value: spec }];
    assert.deepEqual(await checkSchema(d), []);
    (spec as { replicas: unknown }).replicas = "two";
    assert.equal((await checkSchema(d))[0]?.field, "spec.replicas");
  });

  it("a value only known after deployment that fails its schema is a warning, not an error", async () => {
    const d = gpuDeployment("later");
    (d.inputs["spec"] as { replicas: unknown }).replicas = UNKNOWN;
    const findings = await checkSchema(d);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.level, "warning");
    assert.match(findings[0]?.message ?? "", /spec\.replicas is only known after deployment/);
  });
});
