/**
 * `modelplane` — the command-line entry. Each subcommand lives in `cli/commands/<name>.ts` and
 * exports `run(argv): Promise<number>` (the exit code). Exit codes: 0 ok, 1 the command's own
 * failure (e.g. a mandatory policy violated, offline), 2 bad input.
 */
import { ValidationError } from "../platform/core/validation";

export interface Command {
  /** One line for `modelplane help`. */
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

/** Subcommands, loaded lazily so `modelplane quote` never pays for the Pulumi SDKs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./commands/serve")).command,
  quote: async () => (await import("./commands/quote")).command,
  plan: async () => (await import("./commands/plan")).command,
  catalog: async () => (await import("./commands/catalog")).command,
  pricing: async () => (await import("./commands/pricing")).command,
  gpus: async () => (await import("./commands/gpus")).command,
  login: async () => (await import("./commands/login")).command,
  deploy: async () => (await import("./commands/deploy")).command,
  ls: async () => (await import("./commands/ls")).command,
  status: async () => (await import("./commands/status")).command,
  events: async () => (await import("./commands/events")).command,
  update: async () => (await import("./commands/update")).command,
  rm: async () => (await import("./commands/rm")).command,
  keys: async () => (await import("./commands/keys")).command,
  "inference-keys": async () => (await import("./commands/inference-keys")).command,
  promote: async () => (await import("./commands/rollout")).promote,
  abort: async () => (await import("./commands/rollout")).abort,
  models: async () => (await import("./commands/remote-feature")).models,
  costs: async () => (await import("./commands/remote-feature")).costs,
  recommendations: async () => (await import("./commands/remote-feature")).recommendations,
  requote: async () => (await import("./commands/remote-feature")).requote,
  migrate: async () => (await import("./commands/remote-feature")).migrate,
  "kube-token": async () => (await import("./commands/kube-token")).command,
};

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  return [
    "usage: modelplane <command> [options]",
    "",
    "commands:",
    ...names.map((n) => `  ${n}`),
    "",
    "modelplane <command> --help for a command's options",
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`modelplane: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command.run(rest);
  } catch (err) {
    if (err instanceof ValidationError) {
      process.stderr.write(`modelplane ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Run the CLI in this process: the exit code from `main`; a closed output pipe is not an error. */
export function runCli(argv: string[]): void {
  // `modelplane catalog --json | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`modelplane: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCli(process.argv.slice(2));
