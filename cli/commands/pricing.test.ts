import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandIO } from "./catalog";
import { runCatalog } from "./catalog";
import { runPricing } from "./pricing";
import { loadCatalog, defaultCatalog, CATALOG_DATA_DIR } from "../../platform/core/pricing/catalog";

function io(): CommandIO & { stdout: string; stderr: string } {
  const b = {
    stdout: "",
    stderr: "",
    out(t: string) {
      b.stdout += t;
    },
    err(t: string) {
      b.stderr += t;
    },
  };
  return b;
}
const REFERENCE = join(CATALOG_DATA_DIR, "sources", "reference");

describe("modelplane catalog / pricing", () => {
  const tempDirs: string[] = [];
  after(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  it("catalog --json prints every offer with its fields", async () => {
    const b = io();
    assert.equal(await runCatalog(["--json"], b), 0);
    const c = JSON.parse(b.stdout) as { gpuOffers: Array<Record<string, unknown>>; asOf: string };
    assert.equal(c.gpuOffers.length, defaultCatalog().gpuOffers.length);
    for (const key of [
      "cloud",
      "region",
      "instanceType",
      "gpuType",
      "gpuCount",
      "gpuMemoryGiB",
      "vcpus",
      "memoryGiB",
      "onDemandHourlyUsd",
      "spotHourlyUsd",
      "source",
      "asOf",
    ]) {
      assert.ok(key in c.gpuOffers[0]!, key);
    }
    const one = io();
    await runCatalog(["--json", "--cloud", "azure"], one);
    assert.ok(
      (JSON.parse(one.stdout) as { gpuOffers: Array<{ cloud: string }> }).gpuOffers.every((o) => o.cloud === "azure"),
    );
    const table = io();
    await runCatalog([], table);
    assert.match(table.stdout, /^aws +H100 +\d+ +\d+ +\d+\.\d{4}$/m);
    await assert.rejects(
      runCatalog(["--cloud", "oracle"], io()),
      /--cloud: "oracle" is not a supported cloud; use one of aws, gcp, azure/,
    );
  });

  it("pricing import --format skypilot reads a skypilot-catalog checkout layout into a valid catalog file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mp-import-"));
    tempDirs.push(dir);
    for (const cloud of ["aws", "gcp", "azure"]) {
      mkdirSync(join(dir, "catalogs", "v8", cloud), { recursive: true });
      copyFileSync(join(REFERENCE, cloud, "vms.csv"), join(dir, "catalogs", "v8", cloud, "vms.csv"));
    }
    const out = join(dir, "catalog.json");
    const notes = join(dir, "notes.json");
    const b = io();
    assert.equal(
      await runPricing(
        ["import", "--format", "skypilot", dir, "--out", out, "--notes", notes, "--as-of", "2026-11-22"],
        b,
      ),
      0,
    );
    const c = loadCatalog(out);
    assert.ok(c.gpuOffers.length > 50);
    assert.ok(c.gpuOffers.some((o) => o.cloud === "azure") && c.gpuOffers.some((o) => o.cloud === "gcp"));
    assert.equal(c.serverless.length, defaultCatalog().serverless.length);
    assert.match(b.stderr, /imported \d+ GPU offers .*aws rejected: \d+/);
    const n = JSON.parse(readFileSync(notes, "utf8")) as Array<{ action: string }>;
    assert.ok(n.some((x) => x.action === "repaired"));
    const withZones = io();
    await runPricing(
      ["import", "--format", "skypilot", REFERENCE, "--include-local-zones", "--as-of", "2026-11-22"],
      withZones,
    );
    assert.ok(
      (JSON.parse(withZones.stdout) as { gpuOffers: Array<{ region: string }> }).gpuOffers.some(
        (o) => o.region === "us-west-2-lax-1",
      ),
    );
  });

  it("pricing import: bad input names the flag", async () => {
    await assert.rejects(runPricing(["import", REFERENCE], io()), /--format: missing/);
    await assert.rejects(runPricing(["import", "--format", "csv", REFERENCE], io()), /--format: unknown format "csv"/);
    await assert.rejects(runPricing(["import", "--format", "skypilot"], io()), /DIR: missing/);
    await assert.rejects(
      runPricing(["import", "--format", "skypilot", tmpdir()], io()),
      /DIR: no SkyPilot catalog under/,
    );
    await assert.rejects(
      runPricing(["import", "--format", "skypilot", REFERENCE, "--as-of", "yesterday"], io()),
      /--as-of/,
    );
    await assert.rejects(runPricing(["frobnicate"], io()), /subcommand: unknown "frobnicate"/);
  });

  it("pricing refresh: unknown cloud is bad input; offline is the command's failure naming the host", async function () {
    this.timeout(60_000);
    await assert.rejects(
      runPricing(["refresh", "--cloud", "oracle"], io()),
      /--cloud: "oracle" is not a supported cloud; use one of aws, gcp, azure/,
    );
    const b = io();
    const code = await runPricing(["refresh", "--cloud", "azure", "--out", join(tmpdir(), "never-written.json")], b);
    assert.equal(code, 1);
    assert.match(b.stderr, /azure: cannot reach prices\.azure\.com|azure: prices\.azure\.com answered/);
    const g = io();
    const saved = process.env.GCP_API_KEY;
    delete process.env.GCP_API_KEY;
    try {
      assert.equal(await runPricing(["refresh", "--cloud", "gcp"], g), 1);
    } finally {
      if (saved !== undefined) process.env.GCP_API_KEY = saved;
    }
    assert.match(g.stderr, /cloudbilling\.googleapis\.com needs an API key: set GCP_API_KEY/);
  });
  it("catalog shows the unpriced instance types with the reason; --json lists them (GCP a4-highgpu-8g)", async () => {
    const b = io();
    assert.equal(await runCatalog(["--cloud", "gcp"], b), 0);
    assert.match(
      b.stdout,
      /gcp +B200 +unpriced: a4-highgpu-8g in 10 regions, not quoted \(the source lists host machine/,
    );
    const j = io();
    assert.equal(await runCatalog(["--json", "--cloud", "gcp"], j), 0);
    const json = JSON.parse(j.stdout) as { unpricedGpuOffers: Array<{ instanceType: string; reason: string }> };
    assert.equal(json.unpricedGpuOffers.length, 10);
    assert.ok(json.unpricedGpuOffers.every((o) => o.instanceType === "a4-highgpu-8g" && o.reason.length > 0));
  });
});
