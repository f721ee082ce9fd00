/**
 * TEST-ONLY: run `modelplane serve` as a real child process (the scale-out test and its baseline),
 * wait for its banner, and read the address it listens on. Stopped with SIGTERM (graceful).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

export const REPO_ROOT = path.join(__dirname, "..", "..", "..");

export interface ServeProcess {
  role: string;
  base: string;
  child: ChildProcess;
  /** Everything written to stdout and stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Start `modelplane serve --role <role> --port 0 --dry-run` with `env` added to the environment. */
export function startServe(role: "all" | "api" | "worker", env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(require.resolve("tsx")).href,
      path.join(REPO_ROOT, "cli", "main.ts"),
      "serve",
      "--role",
      role,
      "--port",
      "0",
      "--dry-run",
    ],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const proc = (base: string): ServeProcess => ({
    role,
    base,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  });
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const m = /(?:listening on|probes on) (http:\/\/[^\s/]+)/.exec(out);
      if (!m?.[1]) return;
      child.stdout?.off("data", onData);
      resolve(proc(m[1]));
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`serve --role ${role} exited (${code}) before listening:\n${out}`)));
  });
}
