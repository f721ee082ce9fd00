import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { runPlan } from "./plan";
import type { CommandIO } from "./catalog";

function capture(): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

describe("modelplane plan", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "mp-plan-"));
  const quoteFile = join(dir, "quote.json");
  writeFileSync(
    quoteFile,
    JSON.stringify({
      model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
      replicas: 1,
      constraints: { clouds: ["gcp"], capacity: "spot" },
    }),
  );
  const tight = join(dir, "tight.json");
  writeFileSync(tight, JSON.stringify({ "stack-monthly-budget": { monthlyBudgetUsd: { default: 1 } } }));
  // The plan worker stays warm for the next test file's plans (one per process, unreferenced when idle).
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The number of check errors the text report states. */
  const checkErrors = (text: string): number =>
    Number(/\nchecks \(schema, add-ons, cloud limits, GPU\): (\d+) error/.exec(text)?.[1] ?? 0);

  it("plans the top placement of a quote request: a table, the quoted price, the checks; exit 1 exactly when a check errs", async () => {
    const io = capture();
    const code = await runPlan([quoteFile, "--owner", "alice", "--cost-center", "cc-1"], io);
    assert.match(
      io.stdout,
      /^platform footprint \(Pulumi\.dev\.yaml\): aws us-east-1, azure westus3, gcp us-central1\ntop placement: gcp us-central1 g2-standard-\d+ \(1×L4, spot\) quoted at \$\d+\.\d{4}\/h, \$\d+\.\d\d\/month/,
    );
    assert.match(io.stdout, /\nkubernetes:apps\/v1:Deployment\s+llama-3-1-8b-server\s+min\s+/);
    assert.match(io.stdout, /more resource\(s\) at \$0/);
    assert.match(io.stdout, /\ntotal\s+\d+\.\d{4}\s+\d+\.\d\d\n/);
    assert.doesNotMatch(io.stdout, /\[mandatory\]/);
    assert.match(
      io.stdout,
      /\nchecks \(schema, add-ons, cloud limits, GPU\): (no findings|\d+ error\(s\), \d+ warning\(s\))\n/,
    );
    const errors = checkErrors(io.stdout);
    assert.equal(code, errors > 0 ? 1 : 0, io.stdout);
    assert.match(
      io.stdout,
      errors > 0 ? /\nDENIED: \d+ check error\(s\)\n$/ : /\nOK: no mandatory policy violated, no check error\n$/,
    );
  });

  it("--json prints the report whose total matches the quoted placement, with inputs, parents, dependencies, outputs and findings; a deployment spec plans the same", async () => {
    const io = capture();
    const code = await runPlan([quoteFile, "--json"], io);
    const out = JSON.parse(io.stdout) as {
      monthlyUsd: number;
      resources: Array<{
        type: string;
        name: string;
        priced: boolean;
        urn?: string;
        parent?: string;
        dependsOn?: string[];
        inputs?: Record<string, unknown>;
      }>;
      components: Array<{ type: string; urn: string }>;
      outputs: Record<string, unknown>;
      findings: Array<{ level: string; check: string; message: string }>;
      errors: number;
      placement: { monthlyUsd: number };
      spec: unknown;
      policy: { violations: unknown[] };
    };
    assert.equal(code, out.errors > 0 ? 1 : 0);
    assert.equal(out.errors, out.findings.filter((f) => f.level === "error").length);
    assert.ok(Math.abs(out.monthlyUsd - out.placement.monthlyUsd) < 0.01);
    assert.ok(out.resources.every((r) => typeof r.type === "string" && typeof r.priced === "boolean"));
    const server = out.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
    const service = out.components.find((c) => c.type === "modelplane:serving:ModelService");
    assert.ok(server && service);
    assert.equal(server.parent, service.urn);
    assert.match(
      server.urn ?? "",
      /^urn:pulumi:[^:]+::modelplane-deployment::.*kubernetes:apps\/v1:Deployment::llama-3-1-8b-server$/,
    );
    assert.equal((server.inputs?.["kind"] as string | undefined) ?? "", "Deployment");
    assert.ok(Array.isArray(server.dependsOn));
    assert.equal(typeof out.outputs, "object");
    const specFile = join(dir, "spec.json");
    writeFileSync(specFile, JSON.stringify(out.spec));
    const io2 = capture();
    const code2 = await runPlan([specFile, "--json"], io2);
    const out2 = JSON.parse(io2.stdout) as { monthlyUsd: number; errors: number };
    assert.ok(Math.abs(out2.monthlyUsd - out.monthlyUsd) < 1e-9);
    assert.equal(code2, out2.errors > 0 ? 1 : 0);
  });

  it("--platform plans that platform too: the add-on contract is checked against its clusters", async () => {
    const io = capture();
    await runPlan([quoteFile, "--json", "--platform", join(__dirname, "..", "..", "Pulumi.dev.yaml")], io);
    const out = JSON.parse(io.stdout) as { clusters: Array<{ cloud: string; addons: string[] | null; from?: string }> };
    assert.equal(out.clusters.length, 1);
    assert.equal(out.clusters[0]?.cloud, "gcp");
    assert.ok(Array.isArray(out.clusters[0]?.addons), "the add-ons are known");
    assert.match(out.clusters[0]?.from ?? "", /the planned .*Pulumi\.dev\.yaml$/);
    const without = capture();
    await runPlan([quoteFile, "--json"], without);
    const plain = JSON.parse(without.stdout) as { clusters: Array<{ addons: unknown }> };
    assert.equal(plain.clusters[0]?.addons, null, "without --platform the add-ons are unknown");
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      assert.equal(await main(["plan", quoteFile, "--platform", quoteFile]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(stderr[0] ?? "", /--platform: ".*quote\.json" is not a Pulumi\.<stack>\.yaml platform config/);
  });

  it("exits 1 when a mandatory policy is violated (budget from --policy-config)", async () => {
    const io = capture();
    assert.equal(await runPlan([quoteFile, "--policy-config", tight], io), 1);
    assert.match(
      io.stdout,
      /\[mandatory\] stack-monthly-budget: estimated \$\d+\.\d\d\/month exceeds the dev budget of \$1\.00\/month/,
    );
    assert.match(io.stdout, /DENIED: 1 mandatory violation/);
  });

  it("exits 2 for bad input, naming the field", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({ model: { name: "m", parametersBillions: -1, precision: "bf16", contextTokens: 8192 } }),
    );
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      assert.equal(await main(["plan", bad]), 2);
      assert.equal(await main(["plan", join(dir, "missing.json")]), 2);
      assert.equal(await main(["plan", quoteFile, "--environment", "qa"]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(stderr[0] ?? "", /model\.parametersBillions: parametersBillions must be positive/);
    assert.match(stderr[1] ?? "", /FILE: cannot read/);
    assert.match(stderr[2] ?? "", /--environment: "qa" is not an environment/);
  });

  it("--platform: a deployment spec outside the footprint exits 2 naming placement.region; inside it plans", async () => {
    const io = capture();
    assert.equal(await runPlan([quoteFile, "--json"], io), 0);
    const spec = (JSON.parse(io.stdout) as { spec: { placement: Record<string, unknown> } }).spec;
    assert.equal(spec.placement["region"], "us-central1", "the top placement inside the dev footprint");
    const outside = join(dir, "outside.json");
    writeFileSync(outside, JSON.stringify({ ...spec, placement: { ...spec.placement, region: "europe-west4" } }));
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const platform = join(__dirname, "..", "..", "Pulumi.dev.yaml");
      assert.equal(await main(["plan", outside, "--platform", platform]), 2);
      assert.equal(await main(["plan", outside, "--platform", join(dir, "Pulumi.none.yaml")]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(
      stderr[0] ?? "",
      /placement\.region: the platform has no cluster in gcp europe-west4; its footprint is: aws us-east-1, azure westus3, gcp us-central1/,
    );
    assert.match(stderr[1] ?? "", /cannot read .*Pulumi\.none\.yaml/);
  });

  it("plans the platform from a Pulumi.<stack>.yaml", async () => {
    const io = capture();
    await runPlan([join(__dirname, "..", "..", "Pulumi.dev.yaml"), "--json"], io);
    const out = JSON.parse(io.stdout) as { stack: string; resources: Array<{ type: string }>; componentCount: number };
    assert.equal(out.stack, "dev");
    assert.ok(out.resources.some((r) => r.type === "aws:eks/cluster:Cluster"));
    // docs/platform-contract.md quotes this plan's counts: they must be the plan's.
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "platform-contract.md"), "utf8");
    const quoted = /^(\d+) cloud resources, (\d+) components$/m.exec(doc);
    assert.ok(quoted, "docs/platform-contract.md quotes the plan's counts");
    assert.deepEqual(
      { resources: Number(quoted[1]), components: Number(quoted[2]) },
      { resources: out.resources.length, components: out.componentCount },
      "docs/platform-contract.md: update its plan block to `npx modelplane plan Pulumi.dev.yaml`",
    );
  });

  it("the shipped example Pulumi.dev.yaml passes its own policy pack and every Kubernetes object its schema", async () => {
    const file = join(__dirname, "..", "..", "Pulumi.dev.yaml");
    const io = capture();
    const code = await runPlan([file, "--json"], io);
    const out = JSON.parse(io.stdout) as {
      environment: string;
      resources: Array<{ type: string; name: string }>;
      policy: { denied: boolean; violations: Array<{ level: string; policy: string; message: string }> };
      findings: Array<{ level: string; check: string; message: string }>;
      errors: number;
    };
    assert.equal(code, out.errors > 0 ? 1 : 0);
    assert.equal(out.environment, "dev", "planned against the dev limits");
    assert.equal(out.policy.denied, false);
    assert.deepEqual(
      out.policy.violations.filter((v) => v.level === "mandatory"),
      [],
    );
    assert.deepEqual(
      out.findings.filter((f) => f.check === "schema"),
      [],
    );
    assert.ok(out.resources.some((r) => r.type.startsWith("kubernetes:") && !r.type.includes("helm.sh")));
    // Still the full example: every cloud's on-demand fallback pool, the autoscaler priority
    // ConfigMaps and the Azure serverless environment are planned.
    for (const name of [
      "modelplane-aws-l4-fallback",
      "modelplane-gcp-l4-fallback",
      "modelplane-azure-t4-fallback",
      "modelplane-aws-autoscaler-priorities",
      "modelplane-azure-autoscaler-priorities",
      "modelplane-azure-serverless-env",
    ]) {
      assert.ok(
        out.resources.some((r) => r.name === name),
        name,
      );
    }
    const text = capture();
    assert.equal(await runPlan([file], text), code);
    assert.match(text.stdout, /\npolicy: no violations\n/);
  });

  it("the shipped example Pulumi.dev.yaml has no check error: exit 0", async () => {
    const io = capture();
    assert.equal(await runPlan([join(__dirname, "..", "..", "Pulumi.dev.yaml")], io), 0, io.stdout);
    assert.match(io.stdout, /\nOK: no mandatory policy violated, no check error\n$/);
  });
});
