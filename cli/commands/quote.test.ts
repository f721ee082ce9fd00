import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import type { CommandIO } from "./catalog";
import { runQuote } from "./quote";

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
const dir = mkdtempSync(join(tmpdir(), "mp-quote-"));
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}
const issueExample = {
  model: { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
  replicas: 1,
  activeHoursPerDay: 24,
  constraints: {
    clouds: ["aws", "gcp", "azure"],
    regions: ["us-east-1"],
    gpuTypes: ["L4"],
    capacity: "any",
    maxHourlyUsd: 5,
  },
};

describe("modelplane quote", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("prints a table for the issue's example request", async () => {
    const b = io();
    assert.equal(await runQuote([file("ok.json", issueExample)], b), 0);
    assert.match(b.stdout, /llama-3\.1-8b: needs 19\.6 GiB/);
    assert.match(b.stdout, /^1 +aws +us-east-1 +g6\.xlarge +1×L4 +spot +0\.3490/m);
    assert.match(b.stdout, /why #1: cheapest per month of \d+ feasible placements/);
  });

  it("--json prints the quote result", async () => {
    const b = io();
    assert.equal(await runQuote([file("ok.json", issueExample), "--json"], b), 0);
    const r = JSON.parse(b.stdout) as {
      placements: Array<{ hourlyUsd: number; instanceType: string }>;
      requirement: { totalGiB: number };
      catalog: { version: string };
    };
    assert.equal(r.placements[0]?.instanceType, "g6.xlarge");
    assert.ok(r.requirement.totalGiB > 19 && r.requirement.totalGiB < 20);
    assert.ok(r.catalog.version.length > 0);
  });

  it("exits 1 with the explanation when nothing fits", async () => {
    const b = io();
    // On T4: 8×L4 (g6.48xlarge spot, $3.73/h) holds 70B fp16 in us-east-1 under $5/h; 8×T4 does not.
    const big = {
      ...issueExample,
      model: { ...issueExample.model, parametersBillions: 70, precision: "fp16" },
      constraints: { ...issueExample.constraints, gpuTypes: ["T4"] },
    };
    assert.equal(await runQuote([file("big.json", big)], b), 1);
    assert.match(b.stdout, /no feasible placement: no GPU in \[T4\] in \[us-east-1\] holds/);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["bad JSON", "{ not json", /FILE: .* is not valid JSON/],
    ["unknown precision", JSON.stringify({ model: { ...issueExample.model, precision: "fp12" } }), /model\.precision/],
    [
      "negative parameters",
      JSON.stringify({ model: { ...issueExample.model, parametersBillions: -1 } }),
      /model\.parametersBillions/,
    ],
    [
      "unknown cloud",
      JSON.stringify({ ...issueExample, constraints: { clouds: ["aws", "oracle"] } }),
      /constraints\.clouds\[1\]/,
    ],
  ];
  for (const [name, content, pattern] of bad) {
    it(`exits 2 on ${name}, naming the field`, async () => {
      const stderr: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => {
        stderr.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      try {
        assert.equal(await main(["quote", file(`bad-${name.replace(/\s/g, "-")}.json`, content)]), 2);
      } finally {
        process.stderr.write = write;
      }
      assert.match(stderr.join(""), pattern);
    });
  }

  it("exits 2 on a missing file or an unknown flag", async () => {
    await assert.rejects(runQuote([join(dir, "nope.json")], io()), /FILE: cannot read/);
    await assert.rejects(runQuote(["--frobnicate"], io()), /--frobnicate/);
    await assert.rejects(runQuote([], io()), /FILE: missing/);
  });

  it("works as a process (tsx)", function () {
    this.timeout(30_000);
    const root = join(__dirname, "..", "..");
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", join(root, "cli", "main.ts"), "quote", file("ok.json", issueExample), "--json"],
      { cwd: root, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { placements: unknown[] }).placements.length > 0, true);
    const bad2 = spawnSync(
      process.execPath,
      ["--import", "tsx", join(root, "cli", "main.ts"), "quote", file("b.json", "{")],
      { cwd: root, encoding: "utf8" },
    );
    assert.equal(bad2.status, 2);
  });
});
