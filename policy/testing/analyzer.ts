/**
 * TEST-ONLY: run a policy pack in its own process and talk to it over the analyzer gRPC protocol,
 * as the Pulumi engine does. Constructing a PolicyPack starts the analyzer server and prints its
 * port on the first line of stdout; the engine then connects to 127.0.0.1:<port>.
 */
import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

export interface RunningPack {
  client: AnalyzerClient;
  /** Close the client, stop the pack process and wait until it has exited. */
  close(): Promise<void>;
}

/** Start `command args` in `cwd` (with `env`, default this process's) and connect to the analyzer it serves. */
export async function startPack(
  command: string,
  args: string[],
  cwd?: string,
  env?: NodeJS.ProcessEnv,
): Promise<RunningPack> {
  const proc = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd ? { cwd } : {}),
    ...(env ? { env } : {}),
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    proc.on("exit", (code) => reject(new Error(`policy pack exited (${code}): ${err}${out}`)));
  });
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    async close() {
      client.close();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
      await exited;
    },
  };
}

/** One unary analyzer call as a promise. */
export function call<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(req, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** The resource options the engine sends with every resource (nothing set). */
export function resourceOptions(): analyzer.AnalyzerResourceOptions {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(false);
  o.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
  return o;
}

/** A Configure request from a `--policy-pack-config` file's content, with per-policy overrides. */
export function configureRequest(
  config: Record<string, Record<string, unknown>>,
  overrides: Record<string, Record<string, unknown>> = {},
): analyzer.ConfigureAnalyzerRequest {
  const configure = new analyzer.ConfigureAnalyzerRequest();
  for (const [name, value] of Object.entries(config)) {
    const { enforcementLevel, ...props } = value;
    const pc = new analyzer.PolicyConfig();
    pc.setEnforcementlevel(
      enforcementLevel === "advisory" ? analyzer.EnforcementLevel.ADVISORY : analyzer.EnforcementLevel.MANDATORY,
    );
    pc.setProperties(Struct.fromJavaScript((overrides[name] ?? props) as Record<string, never>));
    configure.getPolicyconfigMap().set(name, pc);
  }
  return configure;
}
