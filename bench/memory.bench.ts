/**
 * Memory of `npm start` (issue 11): the resident set of `modelplane serve` (embedded PGlite, the
 * shipped platform config) once it listens and sits idle, on its first start (a new data
 * directory: initdb) and on a restart (the same directory); then loaded: after quotes and
 * deployment requests whose pre-flight plans start the plan worker and the cloud SDKs.
 * The server runs as its own process (`node --import tsx cli/main.ts serve`), measured from
 * /proc/<pid>/status (VmRSS; Linux only). Target: idle under 400 MB.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure, Section } from "./report";

export const name = "memory";

const ROOT = join(__dirname, "..");
const ADMIN_KEY = "bench-memory-admin-key-0123456789";
const IDLE_TARGET_MB = 400;
/** How long the server sits idle before the idle figure is read. */
const SETTLE_MS = 5000;

interface Server {
  child: ChildProcess;
  base: string;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

function start(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "cli/main.ts"), "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      MODELPLANE_DATA_DIR: dataDir,
      MODELPLANE_ADMIN_KEY: ADMIN_KEY,
      PORT: "0",
      // The load below measures memory, not the per-key limit.
      MODELPLANE_RATE_LIMIT_PER_MINUTE: "100000",
      MODELPLANE_RATE_LIMIT_BURST: "10000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not listen within 120 s:\n${out}`)), 120_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`serve exited with code ${code}:\n${out}`)));
  });
}

async function stop(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  await exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(base: string, path: string, body: unknown): Promise<number> {
  const r = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  return r.status;
}

async function idle(dataDir: string, label: string): Promise<{ server: Server; mb: number }> {
  const server = await start(dataDir);
  await sleep(SETTLE_MS);
  const mb = rssMb(server.child.pid!);
  process.stdout.write(`${label}: ${mb.toFixed(0)} MB RSS\n`);
  return { server, mb };
}

export async function run(): Promise<Section[]> {
  if (process.platform !== "linux") {
    return [{ title: "", figures: [], note: "Not measured: reads /proc/<pid>/status (Linux only)." }];
  }
  const dir = mkdtempSync(join(tmpdir(), "modelplane-memory-"));
  const figures: Figure[] = [];
  try {
    const first = await idle(dir, "idle, first start (new data directory)");
    await stop(first.server);
    const again = await idle(dir, "idle, restart (existing data directory)");
    const model = { name: "llama-3.1-8b", parametersBillions: 8, precision: "bf16", contextTokens: 8192 };
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    for (let i = 0; i < 200; i++) count(await post(again.server.base, "/v1/quotes", { model }));
    for (let i = 0; i < 10; i++)
      count(await post(again.server.base, "/v1/deployments", { model: { ...model, name: `mem-${i}` } }));
    await sleep(SETTLE_MS);
    const loaded = rssMb(again.server.child.pid!);
    const answers = [...statuses].map(([s, n]) => `${n}×${s}`).join(", ");
    process.stdout.write(
      `loaded (200 quotes, 10 deployment requests with pre-flight plans; ${answers}): ${loaded.toFixed(0)} MB RSS\n`,
    );
    await stop(again.server);
    const worst = Math.max(first.mb, again.mb);
    process.stdout.write(`target: idle < ${IDLE_TARGET_MB} MB ${worst < IDLE_TARGET_MB ? "met" : "MISSED"}\n`);
    figures.push(
      { label: "idle RSS, first start (new data directory)", value: `${first.mb.toFixed(0)} MB` },
      { label: "idle RSS, restart", value: `${again.mb.toFixed(0)} MB` },
      { label: "loaded RSS (200 quotes, 10 deployments with pre-flight plans)", value: `${loaded.toFixed(0)} MB` },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    {
      title: "",
      figures,
      note: `modelplane serve as its own process (embedded PGlite, shipped Pulumi.dev.yaml footprint), VmRSS ${SETTLE_MS / 1000} s after listening and after the load. Target: idle < ${IDLE_TARGET_MB} MB.`,
    },
  ];
}
