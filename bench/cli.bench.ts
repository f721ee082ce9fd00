/**
 * The CLI client (issue 16: "`modelplane ls` answers in under 1 s"): the wall time of the installed
 * command, `node bin/modelplane.js ls`, against a server on loopback holding 50 deployments of one
 * tenant, as a person runs it: a new process each time. Beside it, `ls --help` (no request) is the
 * floor of starting Node and loading the TypeScript CLI. Median of 7 runs each.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, dryRunApi, makeKey } from "../api/testing/harness";
import type { Figure, Section } from "./report";

export const name = "cli";

const RUNS = 7;
const DEPLOYMENTS = 50;
const BIN = join(__dirname, "..", "bin", "modelplane.js");

const exec = promisify(execFile);

/** Wall times of `runs` runs of the installed command, sorted, in ms (the server runs in this process: never block it). */
async function timeCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<{ ms: number[]; rows: number }> {
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    const r = await exec(process.execPath, [BIN, ...args], { env, encoding: "utf8" });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rows = r.stdout.trim().split("\n").length;
  }
  return { ms: ms.sort((a, b) => a - b), rows };
}

const show = (ms: number[]): string =>
  `median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms (min ${ms[0]!.toFixed(0)}, max ${ms[ms.length - 1]!.toFixed(0)})`;

export async function run(): Promise<Section[]> {
  const { fx, api, close } = await dryRunApi();
  const home = mkdtempSync(join(tmpdir(), "modelplane-cli-bench-"));
  try {
    const key = (await makeKey(api.base, fx.adminKey, "bench", "deployer")).secret;
    for (let i = 0; i < DEPLOYMENTS; i += 1) {
      const r = await call(api.base, "POST", "/v1/deployments", {
        key,
        headers: { "idempotency-key": `cli-bench-${i}` },
        body: {
          model: { name: `m-${i}`, parametersBillions: 8, precision: "bf16", contextTokens: 8192 },
          environment: "dev",
        },
      });
      if (r.status !== 202) throw new Error(`deployment ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    // The user's own config is never read: a throwaway HOME, the server given by environment.
    const env = { ...process.env, HOME: home, MODELPLANE_URL: api.base, MODELPLANE_KEY: key };
    const floor = await timeCommand(["ls", "--help"], env, RUNS);
    const ls = await timeCommand(["ls"], env, RUNS);
    if (ls.rows !== DEPLOYMENTS + 1) throw new Error(`ls printed ${ls.rows} lines for ${DEPLOYMENTS} deployments`);
    const figures: Figure[] = [
      { label: `\`modelplane ls\` (${DEPLOYMENTS} deployments), wall time`, value: `${show(ls.ms)}; budget 1000 ms` },
      { label: "`modelplane ls --help` (start-up only, no request)", value: show(floor.ms) },
    ];
    for (const f of figures) process.stdout.write(`  ${f.label}: ${f.value}\n`);
    return [
      {
        title: "CLI client",
        figures,
        note: `node bin/modelplane.js, a new process per run, ${RUNS} runs each, server in-process on loopback (PGlite, dry-run engine)`,
      },
    ];
  } finally {
    await close();
    rmSync(home, { recursive: true, force: true });
  }
}
