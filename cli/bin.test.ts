/**
 * The installed command, `bin/modelplane.js`, as a person runs it: a new Node process that loads
 * the TypeScript CLI in-process and exits with the CLI's code (0 ok, 2 bad input naming the field).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const BIN = join(__dirname, "..", "bin", "modelplane.js");

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { encoding: "utf8" });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("bin/modelplane.js (the installed command)", () => {
  it("runs a command and exits 0", async () => {
    const r = await run(["ls", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^usage: modelplane ls /);
  });

  it("exits 2 on bad input, naming the field, and 2 on an unknown command", async () => {
    const missing = await run(["quote", "no-such-request.json"]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /^modelplane quote: FILE: cannot read no-such-request\.json/);
    const unknown = await run(["no-such-command"]);
    assert.equal(unknown.code, 2, unknown.stderr);
  });
});
