/**
 * `modelplane kube-token`: the ExecCredential on stdout and exit 0; a missing credential source
 * one line on stderr and exit 1; bad input exit 2 naming the field. In-process, and once through
 * bin/modelplane.js as kubectl would run it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { main } from "../main";
import { runKubeToken } from "./kube-token";

const BIN = join(__dirname, "..", "..", "bin", "modelplane.js");
const NOW = new Date("2026-12-01T12:00:00Z");

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe("modelplane kube-token", () => {
  it("eks with the environment's keys: one ExecCredential on stdout, exit 0", async () => {
    const c = io();
    const code = await runKubeToken(
      ["eks", "--cluster-name", "mp", "--region", "us-east-1"],
      { AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" },
      c.io,
      NOW,
    );
    assert.equal(code, 0, c.err.join(""));
    const cred = JSON.parse(c.out.join("")) as { kind: string; status: { token: string; expirationTimestamp: string } };
    assert.equal(cred.kind, "ExecCredential");
    assert.match(cred.status.token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    assert.equal(cred.status.expirationTimestamp, "2026-12-01T12:14:00Z");
    assert.deepEqual(c.err, []);
  });

  it("no credential source: nothing on stdout, one line on stderr naming the fix, exit 1", async () => {
    const c = io();
    const code = await runKubeToken(["eks", "--cluster-name", "mp", "--region", "us-east-1"], {}, c.io, NOW);
    assert.equal(code, 1);
    assert.deepEqual(c.out, []);
    const line = c.err.join("");
    assert.match(line, /^modelplane kube-token eks: no AWS credentials found: set AWS_ACCESS_KEY_ID/);
    assert.equal(line.trimEnd().split("\n").length, 1);
  });

  it("bad input exits 2 naming the field: an unknown source, a missing --cluster-name", async () => {
    const saved = process.stderr.write.bind(process.stderr);
    const lines: string[] = [];
    process.stderr.write = ((t: string) => lines.push(t) > 0) as typeof process.stderr.write;
    try {
      assert.equal(await main(["kube-token", "aks"]), 2);
      assert.equal(await main(["kube-token", "eks", "--region", "us-east-1"]), 2);
    } finally {
      process.stderr.write = saved;
    }
    assert.match(lines[0] ?? "", /^modelplane kube-token: SOURCE: unknown source "aks"; use one of eks, gke/);
    assert.match(lines[1] ?? "", /^modelplane kube-token: --cluster-name: required/);
  });

  it("runs through the installed launcher as an exec plugin would", async function () {
    this.timeout(20_000);
    const env = { PATH: process.env["PATH"] ?? "", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s" };
    const started = Date.now();
    const r = await promisify(execFile)(
      process.execPath,
      [BIN, "kube-token", "eks", "--cluster-name", "mp", "--region", "us-east-1"],
      { env, encoding: "utf8" },
    );
    const ms = Date.now() - started;
    assert.equal((JSON.parse(r.stdout) as { kind: string }).kind, "ExecCredential");
    assert.equal(r.stderr, "");
    assert.ok(ms < 15_000, `${ms} ms`);
  });
});
