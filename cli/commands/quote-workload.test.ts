import assert from "node:assert/strict";
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

const model = {
  name: "llama-2-7b",
  parametersBillions: 6.74,
  precision: "fp16",
  contextTokens: 4096,
  architecture: { layers: 32, kvHeads: 32, headDim: 128 },
};

describe("modelplane quote with a workload", () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-quote-wl-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(content));
    return p;
  };

  it("shows replicas, $/M tokens and the predicted latencies per placement", async () => {
    const b = io();
    const req = {
      model,
      workload: { requestsPerSecond: 20, inputTokens: 800, outputTokens: 300, tpotP95Ms: 60 },
      constraints: { scope: "anywhere" },
    };
    assert.equal(await runQuote([file("wl.json", req), "--json"], b), 0);
    const json = JSON.parse(b.stdout) as {
      placements: Array<{ replicas: number; usdPerMillionTokens: number; predicted: { tpotMs: number } }>;
    };
    const top = json.placements[0]!;
    const t = io();
    assert.equal(await runQuote([file("wl.json", req)], t), 0);
    assert.match(t.stdout, /replicas +\$\/M tok +TTFT ms +TPOT ms +\$\/hour/);
    const row = t.stdout.split("\n").find((l) => l.startsWith("1 "));
    assert.ok(row, t.stdout);
    const cells = row.split(/ +/);
    assert.equal(cells[6], String(top.replicas));
    assert.equal(Number(cells[7]), Number(top.usdPerMillionTokens.toFixed(top.usdPerMillionTokens < 1 ? 3 : 2)));
    assert.equal(cells[9], top.predicted.tpotMs.toFixed(1));
    assert.match(t.stdout, /replicas sized for 20 req\/s/);
  });

  it("has no workload columns without a workload", async () => {
    const b = io();
    assert.equal(await runQuote([file("plain.json", { model, constraints: { scope: "anywhere" } })], b), 0);
    assert.doesNotMatch(b.stdout, /\$\/M tok/);
  });

  it("exits 2 naming the workload field on bad input", async () => {
    const bad = { model, workload: { requestsPerSecond: -1, inputTokens: 10, outputTokens: 10 } };
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      assert.equal(await main(["quote", file("bad.json", bad)]), 2);
    } finally {
      process.stderr.write = write;
    }
    assert.match(stderr.join(""), /workload\.requestsPerSecond/);
  });
});
