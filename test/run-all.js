#!/usr/bin/env node
// `npm test`: the type-check, the lint and format checks and the tests, run side by side so that the
// whole command fits in a few minutes on 2 cores. The tests' output streams live; the others'
// output is held and printed, whole, when the tests are done. A closing summary names each part
// with its result and time, and the exit code is non-zero when any part failed.
//
//   node test/run-all.js             all parts (what `npm test` runs)
//   node test/run-all.js lint tests  only the named parts
"use strict";
const { spawn } = require("node:child_process");
const { join } = require("node:path");
const { getPriority, setPriority } = require("node:os");

const ROOT = join(__dirname, "..");

/** The parts, longest first: the tests start first and stream; the rest run beside them. */
const PARTS = [
  { name: "tests", script: "test:only", live: true },
  { name: "typecheck", script: "typecheck" },
  { name: "lint", script: "lint" },
];

function run(part) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", part.script], {
      cwd: ROOT,
      stdio: part.live ? "inherit" : ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") },
    });
    children.add(child);
    // The held parts run at a lower priority: the tests' workers get the cores first (their hooks
    // have timeouts), and the type-check and lint take what the tests leave idle.
    if (!part.live && child.pid !== undefined) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + 10));
      } catch {
        // not permitted here: all parts at one priority
      }
    }
    const held = [];
    if (!part.live) {
      child.stdout.on("data", (b) => held.push(b));
      child.stderr.on("data", (b) => held.push(b));
    }
    const done = (code, signal, error) => {
      children.delete(child);
      const seconds = Math.round((Date.now() - started) / 1000);
      resolve({ part, code: error ? 1 : (code ?? 1), signal, error, seconds, output: Buffer.concat(held).toString() });
    };
    child.once("error", (error) => done(1, null, error));
    child.once("close", (code, signal) => done(code, signal));
  });
}

const children = new Set();
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    for (const child of children) child.kill(sig);
    process.exit(130);
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !PARTS.some((p) => p.name === w));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown part(s): ${unknown.join(", ")}; the parts are ${PARTS.map((p) => p.name).join(", ")}\n`,
    );
    process.exit(2);
  }
  const parts = wanted.length > 0 ? PARTS.filter((p) => wanted.includes(p.name)) : PARTS;
  const results = await Promise.all(parts.map(run));
  for (const r of results) {
    if (r.part.live) continue;
    process.stdout.write(`\n== ${r.part.name} (npm run ${r.part.script})\n`);
    if (r.output.trim()) process.stdout.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`);
  }
  process.stdout.write("\n== npm test summary\n");
  for (const r of results) {
    const how = r.error ? `could not start: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
    process.stdout.write(`${r.part.name}: ${r.code === 0 ? "passed" : `FAILED (${how})`} in ${r.seconds} s\n`);
  }
  const failed = results.filter((r) => r.code !== 0).map((r) => r.part.name);
  if (failed.length > 0) {
    process.stdout.write(`npm test FAILED: ${failed.join(", ")}\n`);
    process.exit(1);
  }
  process.stdout.write("npm test passed\n");
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
